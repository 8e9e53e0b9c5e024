"""Change YAML front matter text in place: exactly what changed, nothing else.

``splice(raw, old, new)`` compares the mapping ``raw`` parsed to (``old``) with the one
to write (``new``) leaf by leaf, and edits only the text of the leaves that differ.
The composer gives every node its span in ``raw`` (``start_mark.index`` to
``end_mark.index``); a changed scalar's span is replaced by the new value's text, a
removed key loses its own lines, an added key gets one line at its mapping's
indentation (or a place inside the braces of a flow mapping).  Every other character --
comments, quoting, ``~``, the user's spacing, each line's own newline -- stays.

It raises ``CannotSplice`` when a change cannot be made that way (keys reordered, a
merge key, an odd line break); the caller then rewrites more.  The result is not
trusted here: ``frontmatter.render_meta`` parses it again and falls back when it does
not read back as ``new``.  This runs on save only; parsing never comes here.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

from netjournal.store import frontmatter as fm

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# Line breaks YAML counts that the line arithmetic below does not: a lone CR, NEL and
# the Unicode separators.  Text holding one is left to the coarser rewrite.
_ODD_LINE_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_WIDE = 1 << 30  # never fold a written value over several lines


class CannotSplice(Exception):
    """This change cannot be made as a minimal edit of the text."""


def same(a: Any, b: Any) -> bool:
    """The same value, key order included (a date equals its ISO string)."""
    return fm._ordered(a) == fm._ordered(b)


def splice(raw: str, old: dict[str, Any], new: dict[str, Any], newline: str = "\n") -> str:
    """``raw`` edited so that it reads as ``new``, touching only what differs from
    ``old`` (what ``raw`` reads as).  Raises CannotSplice."""
    if _ODD_LINE_BREAK.search(raw):
        raise CannotSplice("odd line breaks")
    loader = fm._Loader(raw)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        raise CannotSplice("does not compose") from None
    finally:
        loader.dispose()
    editor = _Splicer(raw, fm._dominant_newline(raw, newline))
    if root is None:  # empty, or only comments
        if old:
            raise CannotSplice("nothing to edit")
        editor.append_pairs(new)
    elif isinstance(root, yaml.MappingNode) and isinstance(old, dict) and root.tag == _MAP:
        if not new:
            raise CannotSplice("every key removed")
        editor.mapping(root, old, new, 1)
    else:
        raise CannotSplice("not a mapping")
    return editor.apply()


# --------------------------------------------------------------------------- rendering


class _Quoted(str):
    """A string to be written in the quote style the user had chosen for it."""

    style = "'"


class _DoubleQuoted(_Quoted):
    style = '"'


class _BlockDumper(fm._Dumper):
    pass


class _FlowDumper(fm._Dumper):
    """Inside ``[...]`` or ``{...}`` a multi-line string is one double-quoted line."""


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=value.style)


def _represent_flow_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value or fm._ODD_BREAKS.search(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return fm._represent_str(dumper, value)


for _dumper in (_BlockDumper, _FlowDumper):
    _dumper.add_representer(_Quoted, _represent_quoted)
    _dumper.add_representer(_DoubleQuoted, _represent_quoted)
_FlowDumper.add_representer(str, _represent_flow_str)


def _styled(value: Any, node: yaml.Node | None) -> Any:
    """``value`` marked to be written the way the user wrote the value it replaces,
    where that still reads back as ``value``: quotes stay quotes, a plain date a
    plain date."""
    if not isinstance(node, yaml.ScalarNode):
        return value
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime) and node.style in ("'", '"'):
        value = value.isoformat()  # a quoted date stays quoted: it reads back the same
    if not isinstance(value, str):
        return value
    if node.style in ("'", '"') and "\n" not in value and not fm._ODD_BREAKS.search(value):
        return _Quoted(value) if node.style == "'" else _DoubleQuoted(value)
    if not node.style and node.tag == _TIMESTAMP and _ISO_DAY.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _dump(data: Any, dumper: type, flow: bool) -> str:
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=flow, width=_WIDE)


def _flow_text(value: Any, depth: int, node: yaml.Node | None = None) -> str:
    """``value`` as it is written inside a flow collection (one line)."""
    text = _dump([_styled(fm._shape(value, depth), node)], _FlowDumper, True).rstrip("\n")
    if not (text.startswith("[") and text.endswith("]")) or "\n" in text:
        raise CannotSplice("no one-line flow text")
    return text[1:-1]


def _flow_pair(key: str, value: Any, depth: int) -> str:
    text = _dump(fm._FlowDict({key: fm._shape(value, depth)}), _FlowDumper, True).rstrip("\n")
    if not (text.startswith("{") and text.endswith("}")) or "\n" in text:
        raise CannotSplice("no one-line flow text")
    return text[1:-1]


def _indent(text: str, column: int, newline: str) -> str:
    """Move continuation lines right by ``column``; blank lines stay empty."""
    lines = text.split("\n")
    pad = " " * column
    return newline.join([lines[0]] + [pad + line if line else line for line in lines[1:]])


def _block_text(key: Any, value: Any, depth: int, column: int, newline: str,
                node: yaml.Node | None = None) -> str:
    """A block entry's text: ``key: value`` (key given) or ``- value`` (key None),
    continuation lines indented from ``column``, no final newline."""
    shaped = _styled(fm._shape(value, depth), node)
    data = [shaped] if key is None else {key: shaped}
    text = _dump(data, _BlockDumper, False)
    if not text.endswith("\n"):
        raise CannotSplice("unexpected dump")
    return _indent(text[:-1], column, newline)


# --------------------------------------------------------------------------- editing


@dataclass
class _Place:
    """Where a value sits: in a flow collection, after a block key's ``:``, or after
    a block sequence's ``-`` (``at`` is that indicator's index, ``column`` the block's
    indentation)."""

    kind: str  # "flow" | "map" | "seq"
    at: int = 0
    column: int = 0
    key: yaml.Node | None = None


class _Splicer:
    def __init__(self, raw: str, newline: str) -> None:
        self.raw = raw
        self.newline = newline
        self.edits: list[tuple[int, int, str]] = []

    # ---------------------------------------------------------------- text positions

    def line_start(self, index: int) -> int:
        return self.raw.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Where the line holding ``index`` ends (its line break, or the end)."""
        found = self.raw.find("\n", index)
        if found < 0:
            return len(self.raw)
        return found - 1 if found > index and self.raw[found - 1] == "\r" else found

    def break_at(self, index: int) -> str:
        if self.raw.startswith("\r\n", index):
            return "\r\n"
        return "\n" if self.raw.startswith("\n", index) else ""

    def newline_near(self, index: int) -> str:
        return self.break_at(self.line_end(index)) or self.newline

    def blank_before(self, index: int) -> bool:
        return not self.raw[self.line_start(index) : index].strip(" ")

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def end(self, node: yaml.Node) -> int:
        """Where ``node``'s own text ends: a block scalar's span runs on over the
        line breaks after it, a block collection's to the next token; both are cut
        back to their last character (a ``|+`` scalar to the end of its last line,
        blank or not: those lines are its value)."""
        if isinstance(node, yaml.ScalarNode):
            start, stop = node.start_mark.index, node.end_mark.index
            if node.style in ("|", ">"):
                header = self.raw[start : self.line_end(start)].split("#", 1)[0]
                if "+" in header:  # kept trailing blank lines are the value's own
                    last = self.raw.rfind("\n", start, stop)
                    if last > start:
                        return last - 1 if self.raw[last - 1] == "\r" else last
                while stop > start + 1 and self.raw[stop - 1] in " \t\r\n":
                    stop -= 1
            return stop
        if node.flow_style:
            return node.end_mark.index
        if not node.value:
            raise CannotSplice("empty block collection")
        last = node.value[-1]
        return self.end(last[1] if isinstance(node, yaml.MappingNode) else last)

    def edit(self, start: int, stop: int, text: str) -> None:
        self.edits.append((start, stop, text))

    def apply(self) -> str:
        edits = sorted(self.edits, key=lambda e: (e[0], e[1]))
        for (_, stop, _), (start, _, _) in zip(edits, edits[1:]):
            if start < stop:
                raise CannotSplice("edits overlap")
        text = self.raw
        for start, stop, new in reversed(edits):
            text = text[:start] + new + text[stop:]
        return text

    # ---------------------------------------------------------------- what changed

    def change(self, node: yaml.Node, old: Any, new: Any, depth: int, place: _Place) -> None:
        """Make the value at ``node`` read as ``new``: inside it when both are
        mappings or both lists, else by replacing its text."""
        mark = len(self.edits)
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP and isinstance(old, dict) \
                    and isinstance(new, dict) and new:
                self.mapping(node, old, new, depth)
                return
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ and isinstance(old, list) \
                    and isinstance(new, list) and new:
                self.sequence(node, old, new, depth)
                return
        except CannotSplice:
            del self.edits[mark:]
        self.replace(node, new, depth, place)

    def mapping(self, node: yaml.MappingNode, old: dict[str, Any], new: dict[str, Any], depth: int) -> None:
        pairs = node.value
        keys: list[str] = []
        for key_node, _ in pairs:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                raise CannotSplice("a key that is not plain text")
            keys.append(key_node.value)
        if keys != list(old):
            raise CannotSplice("the text does not read as the old mapping")
        kept = [k for k in keys if k in new]
        if kept != [k for k in new if k in old]:
            raise CannotSplice("keys reordered")
        if not kept and pairs:
            raise CannotSplice("nothing kept")
        flow = bool(node.flow_style)
        index = {k: i for i, k in enumerate(keys)}
        added: dict[int, dict[str, Any]] = {}
        anchor = -1
        for key, value in new.items():
            if key in old:
                anchor = index[key]
            else:
                added.setdefault(anchor, {})[key] = value
        removed = [i for i, k in enumerate(keys) if k not in new]
        if flow:
            self.flow_remove([(k.start_mark.index, self.end(v)) for k, v in pairs], removed)
        for i, (key_node, value_node) in enumerate(pairs):
            key = key_node.value
            if key not in new:
                if not flow:
                    self.block_remove(key_node.start_mark.index, self.end(value_node))
            elif not same(old[key], new[key]):
                if flow:
                    place = _Place("flow", key=key_node)
                else:
                    place = _Place("map", self.colon(key_node), self.column(key_node.start_mark.index), key_node)
                self.change(value_node, old[key], new[key], depth + 1, place)
        for at, items in added.items():
            if flow:
                texts = [_flow_pair(k, v, depth + 1) for k, v in items.items()]
                self.flow_insert(node, [k.start_mark.index for k, _ in pairs],
                                 [self.end(v) for _, v in pairs], at, texts)
            else:
                first = self.block_start(node)
                column = self.column(first)
                nl = self.newline_near(first)
                texts = [" " * column + _block_text(k, v, depth + 1, column, nl) for k, v in items.items()]
                self.block_insert(first, self.end(pairs[at][1]) if at >= 0 else None, texts)

    def sequence(self, node: yaml.SequenceNode, old: list[Any], new: list[Any], depth: int) -> None:
        items = node.value
        if len(items) != len(old):
            raise CannotSplice("the text does not read as the old list")
        flow = bool(node.flow_style)
        a = [repr(fm._ordered(v)) for v in old]
        b = [repr(fm._ordered(v)) for v in new]
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if items and not any(op[0] == "equal" for op in ops) and len(old) != len(new):
            raise CannotSplice("nothing kept")
        dashes = [] if flow else [self.dash(item) for item in items]
        removed: list[int] = []
        for op, i1, i2, j1, j2 in ops:
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                for offset in range(i2 - i1):
                    i = i1 + offset
                    if flow:
                        place = _Place("flow")
                    else:
                        place = _Place("seq", dashes[i], self.column(dashes[i]))
                    self.change(items[i], old[i], new[j1 + offset], depth + 1, place)
                continue
            removed.extend(range(i1, i2))
            if op == "delete":
                continue
            at = i1 - 1
            if flow:
                texts = [_flow_text(v, depth + 1) for v in new[j1:j2]]
                starts = [item.start_mark.index for item in items]
                self.flow_insert(node, starts, [self.end(item) for item in items], at, texts)
            else:
                column = self.column(dashes[0])
                nl = self.newline_near(dashes[0])
                texts = [" " * column + _block_text(None, v, depth + 1, column, nl) for v in new[j1:j2]]
                self.block_insert(dashes[0], self.end(items[at]) if at >= 0 else None, texts)
        if flow:
            self.flow_remove([(item.start_mark.index, self.end(item)) for item in items], removed)
        else:
            for i in removed:
                self.block_remove(dashes[i], self.end(items[i]))

    # ---------------------------------------------------------------- indicators

    def block_start(self, node: yaml.MappingNode) -> int:
        """Where a block mapping's first entry starts, for its indentation: the
        mapping's own mark (a ``? `` key's, too), unless a tag put it on the line
        above; then the first key that begins its line; in ``- a: 1``, the key."""
        for at in [node.start_mark.index] + [k.start_mark.index for k, _ in node.value]:
            if self.blank_before(at):
                return at
        return node.start_mark.index

    def colon(self, key_node: yaml.Node) -> int:
        """The index of the ``:`` after a block mapping key (on the next line after
        a ``? `` key)."""
        at = key_node.end_mark.index
        while at < len(self.raw) and self.raw[at] in " \t\r\n":
            at += 1
        if at >= len(self.raw) or self.raw[at] != ":":
            raise CannotSplice("no ':' after the key")
        return at

    def dash(self, item: yaml.Node) -> int:
        """The index of the ``-`` before a block sequence item (on its line)."""
        at = item.start_mark.index - 1
        while at >= 0 and self.raw[at] in " \t":
            at -= 1
        if at < 0 or self.raw[at] != "-":
            raise CannotSplice("no '-' before the item")
        return at

    # ---------------------------------------------------------------- edits

    def replace(self, node: yaml.Node, new: Any, depth: int, place: _Place) -> None:
        start, stop = node.start_mark.index, self.end(node)
        if place.kind == "flow":
            text = _flow_text(new, depth, node)
            if start == stop:  # ``{a: , b}`` or ``{c}``: a null written as nothing
                if place.key is None:
                    raise CannotSplice("an empty item")
                between = self.raw[place.key.end_mark.index : start]
                if ":" not in between:
                    text = ": " + text
                elif not self.raw[start - 1].isspace():
                    text = " " + text
            self.edit(start, stop, text)
            return
        nl = self.newline_near(place.at)
        if place.kind == "map":
            text = _block_text("k", new, depth, place.column, nl, node)[len("k:"):]
        else:
            text = _block_text(None, new, depth, place.column, nl, node)[len("-"):]
        after = place.at + 1
        line_end = self.line_end(after)  # the end of the indicator's line
        later = start != stop and start >= line_end  # the value starts on a later line
        # comments beside the old value: on the indicator's line (``steps:   # mine``)
        # when the value starts below it, and after the value's last character
        head = self.raw[after:line_end] if later else ""
        head = head if head.strip() else ""
        stop_end = self.line_end(stop)
        tail = self.raw[stop:stop_end]
        tail = tail if tail.strip() else ""
        if nl not in text:
            if start == stop:  # ``why:`` (nothing written), maybe with a comment
                self.edit(after, line_end, text + tail)
            elif later:
                self.edit(after, stop, text + head)
            else:
                self.edit(start, stop, text[1:])  # the user's spacing after ``:`` stays
            return
        # A multi-line value (a block scalar, a block collection) would swallow a
        # comment after it: the comments go on its first line, where YAML allows them.
        first, _, rest = text.partition(nl)
        if start != stop and not later and first and (place.kind == "map" or start == after + 1):
            self.edit(start, stop_end, first[1:] + head + tail + nl + rest)
        else:  # ``-   x`` becoming ``- a: 1`` starts right after the ``-``, aligned
            self.edit(after, stop_end, first + head + tail + nl + rest)

    def block_remove(self, start: int, stop: int) -> None:
        """Remove the whole lines from ``start`` (a key or a ``-``) to ``stop``."""
        if not self.blank_before(start):
            raise CannotSplice("the entry shares its line")
        begin = self.line_start(start)
        end = self.line_end(stop)
        self.edit(begin, end + len(self.break_at(end)), "")

    def block_insert(self, first: int, after: int | None, texts: list[str]) -> None:
        """Insert lines: after the line where ``after`` ends, or (None) before the
        line of the block's first entry ``first``."""
        if after is None:
            if not self.blank_before(first):
                raise CannotSplice("the first entry shares its line")
            at = self.line_start(first)
            nl = self.newline_near(first)
            self.edit(at, at, "".join(t + nl for t in texts))
        else:
            at = self.line_end(after)
            nl = self.break_at(at) or self.newline_near(max(after - 1, 0))
            self.edit(at, at, "".join(nl + t for t in texts))

    def flow_remove(self, spans: list[tuple[int, int]], removed: list[int]) -> None:
        """Remove entries of a flow collection with their commas."""
        count = len(spans)
        runs: list[tuple[int, int]] = []
        for i in removed:
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        for first, stop in runs:
            if stop < count:
                self.edit(spans[first][0], spans[stop][0], "")
            elif first > 0:
                self.edit(spans[first - 1][1], spans[count - 1][1], "")
            else:
                raise CannotSplice("every entry removed")

    def flow_insert(self, node: yaml.Node, starts: list[int], ends: list[int], at: int,
                    texts: list[str]) -> None:
        joined = ", ".join(texts)
        if not starts:
            opening = node.start_mark.index
            if self.raw[opening] not in "[{":
                raise CannotSplice("no bracket")
            self.edit(opening + 1, opening + 1, joined)
        elif at < 0:
            self.edit(starts[0], starts[0], joined + ", ")
        else:
            self.edit(ends[at], ends[at], ", " + joined)

    def append_pairs(self, new: dict[str, Any]) -> None:
        """Keys for front matter that has none yet (empty, or comments only)."""
        nl = self.newline
        text = "".join(_block_text(k, v, 2, 0, nl) + nl for k, v in new.items())
        lead = nl if self.raw and not self.raw.endswith("\n") else ""
        self.edit(len(self.raw), len(self.raw), lead + text)
