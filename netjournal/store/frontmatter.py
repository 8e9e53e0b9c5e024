"""Split, parse and dump Markdown files with YAML front matter.

The body is never touched: what follows the closing ``---`` line is kept byte for
byte, and so are the fences as written.  The front matter is read with a safe loader
only, and written back changed exactly where the values changed, at any depth, every
other character (comments, quoting, newlines) as the user wrote it (``render_meta``;
the splicing itself is ``yamledit``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back quietly when absent
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

MAX_FRONT_MATTER = 64 * 1024
BOM = "\ufeff"

_OPEN_RE = re.compile(r"---[ \t]*(\r?\n)")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


class FrontMatterError(ValueError):
    """The front matter cannot be read. ``line`` is 1-based within the file."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class Document:
    """A file split into its parts.

    ``raw_meta`` is the front matter text exactly as it was in the file (without the
    ``---`` fences); ``meta`` is what it parsed to.  ``body`` is everything after the
    closing fence, untouched.  ``fences`` are the opening and closing fence lines as
    written (``"---  \\r\\n"``, ``"...\\n"``, a last ``"---"`` with no newline), so a save
    gives them back; None for a file without front matter (``dump`` writes ``---``).
    """

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    raw_meta: str | None = None
    bom: bool = False
    newline: str = "\n"
    fences: tuple[str, str] | None = None

    @property
    def has_front_matter(self) -> bool:
        return self.raw_meta is not None

    def with_body(self, body: str) -> Document:
        """This document with another body (the front matter, its fences and newline
        kept as read)."""
        return replace(self, body=body)


# --------------------------------------------------------------------------- split


def split(text: str) -> tuple[str | None, str, bool, str, int]:
    """Split ``text`` into (raw front matter or None, body, bom, newline, body line).

    A file has front matter when its first line is ``---`` and a later line is
    ``---`` (or ``...``).  Without a closing fence the whole text is body.
    ``body line`` is the 1-based line at which the front matter starts (2), used to
    turn YAML marks into file lines.
    """
    return _split(text)[:5]  # type: ignore[return-value]


def _split(text: str) -> tuple[str | None, str, bool, str, int, tuple[str, str] | None]:
    """``split`` plus the two fence lines as written (None without front matter)."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    opening = _OPEN_RE.match(text)
    if not opening:
        newline = "\r\n" if "\r\n" in text[:4096] else "\n"
        return None, text, bom, newline, 1, None
    newline = opening.group(1)
    start = opening.end()
    closing = _CLOSE_RE.search(text, start)
    if not closing:
        return None, text, bom, newline, 1, None
    raw = text[start : closing.start()]
    return raw, text[closing.end() :], bom, newline, 2, (opening.group(0), closing.group(0))


# --------------------------------------------------------------------------- parse


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader whose dates come back as ISO strings, and whose keys are the
    text the user wrote (``on:`` stays ``"on"``, not ``True``; ``null:`` stays
    ``"null"``), so that unknown keys keep their names when the file is saved.

    A key written twice in one mapping is an error: PyYAML would keep the last
    value, and the next save would drop the user's other line without a word."""

    first_line = 1  # the file line of the front matter's first line (set per parse)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # e.g. ``!!map [a]``
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found {node.id}", node.start_mark
            )
        written = node.value
        self.flatten_mapping(node)
        # ``<<: {...}`` merge keys put their pairs first, in a new list; the keys the
        # user wrote may override those (that is what a merge is for), not each other.
        pairs = node.value
        merged = len(pairs) - len(written) if pairs is not written else 0
        mapping: dict[Any, Any] = {}
        for key_node, value_node in pairs[merged:] if merged else pairs:
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value
            else:
                key = self._key(key_node, deep)
            if key in mapping:
                raise self._duplicate(key, key_node, pairs[merged:])
            mapping[key] = self.construct_object(value_node, deep=deep)
        if merged:
            base: dict[Any, Any] = {}
            for key_node, value_node in pairs[:merged]:
                base[self._key(key_node, deep)] = self.construct_object(value_node, deep=deep)
            base.update(mapping)
            mapping = base
        return mapping

    def _key(self, key_node: yaml.Node, deep: bool) -> Any:
        if isinstance(key_node, yaml.ScalarNode):
            return key_node.value
        key = self.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found unhashable key", key_node.start_mark
            ) from None
        return key

    def _duplicate(self, key: Any, key_node: yaml.Node, pairs: list[Any]) -> FrontMatterError:
        """The error for ``key`` written again at ``key_node`` (its line is counted within
        the front matter; ``parse_meta`` moves it to the file line)."""
        shown = key if isinstance(key, str) else str(key)
        shown = repr(shown if len(shown) <= 40 else shown[:40] + "…")
        first = next((k.start_mark.line for k, _ in pairs
                      if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        where = f" (first on line {first + self.first_line})" if first is not None else ""
        return FrontMatterError(
            f"key {shown} is written twice{where}; keep one of them", key_node.start_mark.line + 1
        )

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's constructors raise plain ValueError, KeyError, TypeError or
        # AttributeError for a tagged value they cannot build (``!!float abc``,
        # ``!!int x``, ``!!bool maybe``, ``!!timestamp abc``, ``!!map [a]``, an int
        # over 4300 digits): turn those into a marked YAML error like the others.
        try:
            return super().construct_object(node, deep=deep)
        except FrontMatterError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            tag = str(node.tag).rsplit(":", 1)[-1]
            what = repr(node.value if len(node.value) <= 40 else node.value[:40] + "…") \
                if isinstance(node.value, str) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} cannot be read as {tag}", node.start_mark
            ) from None


    # The C parser asks this Python method for the tag of every scalar; the same
    # keys and values (name, steps, null, dates' shape) recur in every file.
    _resolved: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and isinstance(value, str) and len(value) <= 64:
            key = (value, implicit)
            tag = self._resolved.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._resolved) < 20_000:
                    self._resolved[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    value = loader.construct_scalar(node)
    try:
        parsed = yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {value!r} ({exc})", node.start_mark
        ) from None
    return parsed.isoformat()


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _reject_aliases(node: yaml.Node) -> None:
    """Refuse anchors and aliases: they are how YAML bombs are built."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise FrontMatterError(
                "YAML anchors and aliases are not allowed", current.start_mark.line + 1
            )
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _plain(value: Any, line: int) -> Any:
    """Turn what YAML built into plain JSON types (str keys, no bytes or sets)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v, line) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, line) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise FrontMatterError("numbers such as .inf and .nan are not supported", line)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise FrontMatterError(f"unsupported YAML value of type {type(value).__name__}", line)


def parse_meta(raw: str, first_line: int = 2) -> dict[str, Any]:
    """Parse front matter text into a plain dict, or raise FrontMatterError."""
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER:
        raise FrontMatterError(
            f"front matter is larger than {MAX_FRONT_MATTER // 1024} KiB", first_line
        )
    if "&" in raw:
        _reject_anchors(raw, first_line)
    loader = _Loader(raw)
    loader.first_line = first_line
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if "&" in raw:  # without an anchor there can be no alias (the composer refuses one)
            _reject_aliases(node)
        data = loader.construct_document(node)
    except FrontMatterError as exc:
        exc.line += first_line - 1
        raise
    except yaml.MarkedYAMLError as exc:
        _explain_tabs(raw, first_line)
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        reason = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(_one_line(reason), line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(_one_line(str(exc)) or "invalid YAML", first_line) from None
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply", first_line) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # anything else PyYAML lets slip: still a problem with this file, not a crash
        raise FrontMatterError(_one_line(f"invalid YAML value ({exc})"), first_line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise FrontMatterError(f"front matter must be a mapping of keys, not {kind}", first_line)
    return _plain(data, first_line)


def _reject_anchors(raw: str, first_line: int) -> None:
    """Refuse anchors even when nothing refers to them (only called when the text
    holds an ``&``, so ordinary front matter pays nothing)."""
    try:
        for event in yaml.parse(raw, Loader=_BaseLoader):
            if getattr(event, "anchor", None) is not None:
                raise FrontMatterError(
                    "YAML anchors and aliases are not allowed", first_line + event.start_mark.line
                )
    except yaml.YAMLError:
        return  # the real parse below reports it, with its line


def _explain_tabs(raw: str, first_line: int) -> None:
    """When the YAML does not parse and a line is indented with a tab, say so plainly
    instead of a scanner error.  (Tabs are fine inside values, e.g. block scalars, so
    this only runs once the parse has failed.)"""
    if "\t" not in raw:
        return
    for number, line in enumerate(raw.splitlines(), start=first_line):
        if line.lstrip(" ").startswith("\t"):
            raise FrontMatterError("a tab is used for indentation (use spaces)", number)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def parse(text: str) -> Document:
    """Parse a whole file's text. Raises FrontMatterError with a file line number."""
    raw, body, bom, newline, first_line, fences = _split(text)
    if raw is None:
        return Document(meta={}, body=body, raw_meta=None, bom=bom, newline=newline)
    meta = parse_meta(raw, first_line)
    return Document(meta=meta, body=body, raw_meta=raw, bom=bom, newline=newline, fences=fences)


def parse_bytes(data: bytes) -> Document:
    """Decode UTF-8 (with or without BOM) and parse. Invalid UTF-8 is a problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError("the file is not valid UTF-8 text", line) from None
    if "\x00" in text:
        raise FrontMatterError("the file looks binary (it contains NUL bytes)", text[: text.index("\x00")].count("\n") + 1)
    return parse(text)


# --------------------------------------------------------------------------- dump

# Plain scalars that YAML 1.1 or 1.2 readers (PyYAML, Obsidian, js-yaml, ruamel)
# would read as something other than a string.  Such strings are written quoted.
# (The patterns a dump uses are compiled at its first use: ~2 ms, which reading a
# file, or the app's first screen, does without.)
@functools.cache
def _ambiguous() -> re.Pattern[str]:
    return re.compile(
        r"""^(?:
          y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
        | ~|null|Null|NULL|
        | [-+]?(?:0|[1-9][0-9_]*)                          # decimal int
        | [-+]?0[0-7_]+ | [-+]?0o[0-7_]+                   # octal (1.1 and 1.2)
        | [-+]?0x[0-9a-fA-F_]+ | [-+]?0b[01_]+             # hex, binary
        | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?  # sexagesimal
        | [-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?  # float with a dot
        | [-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+   # float with exponent only
        | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
        | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9].*)?  # dates, datetimes
        | = | <<
        )$""",
        re.VERBOSE,
    )


class _FlowList(list):
    """A list of scalars, written inline: ``[a, b]``."""


class _FlowDict(dict):
    """A small nested mapping of scalars, written inline: ``{date: ..., note: ...}``."""


class _Dumper(yaml.SafeDumper):
    pass


# Characters YAML reads as line breaks besides \n.  PyYAML writes them raw (even in
# single quotes, where NEL then comes back as a space); double quotes escape them.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _ODD_BREAKS.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if _ambiguous().match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_flow_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def _represent_flow_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    node = dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)
    return node


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_FlowList, _represent_flow_list)
_Dumper.add_representer(_FlowDict, _represent_flow_dict)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]

_SCALARS = (str, int, float, bool, type(None), _dt.date)


def _is_flowable_scalar(value: Any) -> bool:
    return isinstance(value, _SCALARS) and not (isinstance(value, str) and "\n" in value)


def _shape(value: Any, depth: int) -> Any:
    """Choose inline style for short lists of scalars and for small mappings nested in
    a key's mapping (a step's ``{date: ..., note: ...}``).  A top-level key's own
    mapping (``steps:``, ``me:``) stays a block, one key per line, as the format shows."""
    if isinstance(value, dict):
        items = {k: _shape(v, depth + 1) for k, v in value.items()}
        if depth >= 3 and items and all(_is_flowable_scalar(v) for v in items.values()):
            return _FlowDict(items)
        return items
    if isinstance(value, (list, tuple)):
        items = [_shape(v, depth + 1) for v in value]
        if all(_is_flowable_scalar(v) for v in items):
            return _FlowList(items)
        return items
    return value


def dump_meta(meta: dict[str, Any]) -> str:
    """Write a mapping as YAML front matter text (ends with a newline, no fences)."""
    if not meta:
        return ""
    return yaml.dump(
        _shape(meta, 1),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


# libyaml's emitter, with the same representers: the same text, several times faster.
# It escapes what PyYAML's writes as is beyond the Basic Multilingual Plane (an emoji
# in a name), so such text, and control characters, go through PyYAML's.
_CDumper: Any = None
if hasattr(yaml, "CSafeDumper"):
    class _CDumper(yaml.CSafeDumper):  # type: ignore[no-redef]
        pass

    for _type, _representer in _Dumper.yaml_representers.items():
        _CDumper.add_representer(_type, _representer)
    _CDumper.ignore_aliases = lambda self, data: True  # type: ignore[method-assign]


@functools.cache
def _plain_text() -> re.Pattern[str]:
    return re.compile("[\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffc]*")


def _plain_texts(value: Any) -> bool:
    if isinstance(value, str):
        return _plain_text().fullmatch(value) is not None
    if isinstance(value, dict):
        return all(_plain_texts(k) and _plain_texts(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain_texts(v) for v in value)
    return True


def dump_new_meta(meta: dict[str, Any]) -> str:
    """``dump_meta(meta)``, for a file being created (an import writes thousands):
    the same text, by libyaml's emitter where it writes it the same way."""
    if _CDumper is None or not meta or not _plain_texts(meta):
        return dump_meta(meta)
    return yaml.dump(_shape(meta, 1), Dumper=_CDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)


def comparable(value: Any) -> Any:
    """A value as compared across versions: a date and its ISO text are equal, and
    ``True``, ``1`` and ``1.0`` are not (in Python they are; a change between them
    must still be written)."""
    if isinstance(value, (bool, float)):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _ordered(value: Any) -> Any:
    """``comparable`` that also sees key order, at every depth (a reorder is a change)."""
    if isinstance(value, dict):
        return [("map",)] + [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [_ordered(v) for v in value]
    return comparable(value)


def _dominant_newline(text: str | None, default: str = "\n") -> str:
    """The newline most lines of ``text`` end with (``default`` when it has none)."""
    if not text or "\n" not in text:
        return default
    return "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"


_TOP_KEY_RE = re.compile(r"^[^\s#-]")


def _top_level_blocks(raw: str) -> list[tuple[str | None, str]] | None:
    """Cut front matter text into (key, text) blocks, one per top-level key.

    Comment and blank lines before a key belong to that key; trailing ones to the
    last block (key None).  Returns None when the text is not a plain block mapping
    that can be cut safely (the caller then re-dumps everything).
    """
    blocks: list[list[str]] = []
    pending: list[str] = []
    for line in raw.splitlines(keepends=True):
        if _TOP_KEY_RE.match(line) and not line.startswith(("---", "...", "{", "[", "?", "&", "*", "!", "%")):
            blocks.append(pending + [line])
            pending = []
        elif line.strip() == "" or line.startswith("#"):
            pending.append(line)
        elif blocks:
            blocks[-1].extend(pending)
            pending = []
            blocks[-1].append(line)
        else:
            return None
    result: list[tuple[str | None, str]] = []
    for lines in blocks:
        text = "".join(lines)
        try:
            parsed = parse_meta(text)
        except FrontMatterError:
            return None
        if len(parsed) != 1:
            return None
        result.append((next(iter(parsed)), text))
    if pending:
        result.append((None, "".join(pending)))
    return result


def render_meta(meta: dict[str, Any], raw: str | None, old: dict[str, Any] | None,
                newline: str | None = None) -> str:
    """Front matter text for ``meta``: ``raw`` (what ``old`` was read from) changed
    exactly where ``meta`` differs from ``old``, and nowhere else.

    Each changed leaf -- a key at any depth, a list item, a key in a flow mapping --
    has its own text replaced; a removed key loses its lines; an added key gets one
    line at its mapping's indentation (or a place inside a flow mapping's braces).
    Comments, quoting, ``~``, values YAML reads as something else (``9:30``, ``0755``,
    ``yes``, a date) and each line's own newline stay as written; new lines take
    their neighbours' newline.  ``meta`` may hold ``datetime.date`` objects where
    ``old`` holds the ISO strings parsing gave.

    The result is parsed again and must read as ``meta``, keys in order.  When the
    minimal edit cannot be made or does not read back, the changed top-level keys
    are re-written whole; as a last resort the whole mapping is dumped afresh.
    ``newline`` is used where the text has none of its own (new front matter).
    """
    nl = _dominant_newline(raw, newline or "\n")
    if raw is None or old is None:
        return _with_newline(dump_meta(meta), nl)
    target = _ordered(meta)
    if _ordered(old) == target:
        return raw
    from netjournal.store import yamledit  # only edits need it: parsing stays lean

    try:
        text = yamledit.splice(raw, old, meta, nl)
    except yamledit.CannotSplice:
        text = None
    if text is not None and _reads_as(text, target):
        return text
    text = _rewrite_top_level_keys(meta, raw, old, nl)
    if text is not None and _reads_as(text, target):
        return text
    return _with_newline(dump_meta(meta), nl)


def _with_newline(text: str, newline: str) -> str:
    return text if newline == "\n" else text.replace("\n", newline)


def _reads_as(text: str, target: Any) -> bool:
    try:
        return _ordered(parse_meta(text)) == target
    except FrontMatterError:
        return False


def _rewrite_top_level_keys(meta: dict[str, Any], raw: str, old: dict[str, Any], nl: str) -> str | None:
    """The coarser edit: each changed top-level key's block re-written whole (the
    comments above it kept), removed keys dropped, new keys added at the end."""
    blocks = _top_level_blocks(raw)
    if blocks is None:
        return None
    target = comparable(meta)
    pieces: list[str] = []
    done: set[str] = set()
    for key, text in blocks:
        if key is None:
            pieces.append(text)
            continue
        if key not in meta:
            continue
        done.add(key)
        if key in old and comparable(old[key]) == target[key]:
            if not text.endswith("\n"):
                text += nl
            pieces.append(text)
        else:
            pieces.append(_leading_comments(text) + _with_newline(dump_meta({key: meta[key]}), nl))
    trailing = None
    if pieces and blocks and blocks[-1][0] is None:
        trailing = pieces.pop()
    for key, value in meta.items():
        if key not in done:
            pieces.append(_with_newline(dump_meta({key: value}), nl))
    if trailing is not None:
        pieces.append(trailing)
    return "".join(pieces)


def _leading_comments(block: str) -> str:
    lead: list[str] = []
    for line in block.splitlines(keepends=True):
        if line.startswith("#") or line.strip() == "":
            lead.append(line)
        else:
            break
    return "".join(lead)


def dump(doc: Document, meta: dict[str, Any] | None = None, old_meta: dict[str, Any] | None = None) -> str:
    """The whole file text for ``doc`` with ``meta`` (default: ``doc.meta``).

    ``old_meta`` is what ``doc.raw_meta`` parsed to; with it, only what changed is
    re-written (see ``render_meta``).  The fences are given back as written and the
    body is appended untouched.
    """
    meta = doc.meta if meta is None else meta
    prefix = BOM if doc.bom else ""
    if not meta and not doc.has_front_matter:
        # Without fences, a body that starts with a BOM or a ``---`` block would be
        # read back differently; only then write an empty front matter block.
        raw, body, _, _, _ = split(prefix + doc.body)
        if raw is None and body == doc.body:
            return prefix + doc.body
    nl = doc.newline
    text = render_meta(meta, doc.raw_meta, old_meta, nl)
    opening, closing = doc.fences if doc.fences and doc.has_front_matter else (f"---{nl}", f"---{nl}")
    if text and not text.endswith("\n"):
        text += nl
    if doc.body and not closing.endswith("\n"):
        closing += nl  # the file ended at its closing fence; a body now follows it
    return f"{prefix}{opening}{text}{closing}{doc.body}"
