"""What a change did, in words: ``Contact: Ada Lovelace (trust)``.

One function describes one file's change from its old and new bytes; commit messages,
``sync``'s report of what came in and went out, and ``history`` all use it, so a
change reads the same everywhere.  Every title is cleaned of control characters
(``netjournal.text.clean``): the words end up in commit messages and on terminals.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from netjournal.text import clean
from netjournal.vocab import STEP_KEYS

SUBJECT_WIDTH = 72  # a commit subject longer than this is cut, as git tools expect
DESCRIBED = 25  # files described one by one in a message; the rest are counted
TRAILER = "Netjournal"  # every commit netjournal makes says which step made it
HOST_TRAILER = "Netjournal-Host"
UNDOES_TRAILER = "Netjournal-Undoes"


@dataclass
class Change:
    """One file's change: ``status`` is A (added), M (modified) or D (deleted)."""

    path: str
    status: str
    label: str  # "Contact: Ada Lovelace", "Reflection: Coffee with Ada", "Settings", a path
    what: list[str] = field(default_factory=list)  # "trust", "notes", "new", "deleted"…

    def __str__(self) -> str:
        return f"{self.label} ({', '.join(self.what)})" if self.what else self.label

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "what": str(self)}


def _kind(path: str) -> str:
    from netjournal.store.scan import conflict_copy_of, kind_of

    if conflict_copy_of(path):
        return "copy"
    if path == "netjournal.yaml":
        return "settings"
    if path.startswith("templates/"):
        return "template"
    return kind_of(path) or "file"


def _parse(data: bytes | None, kind: str) -> tuple[dict[str, Any], str] | None:
    """(front matter, body), or None when the bytes are not a readable entry."""
    if data is None:
        return None
    from netjournal.store import frontmatter

    try:
        if kind == "settings":
            return frontmatter.parse_meta(data.decode("utf-8"), 1), ""
        doc = frontmatter.parse_bytes(data)
    except (frontmatter.FrontMatterError, UnicodeDecodeError):
        return None
    return doc.meta, doc.body


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> Any:
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value

    return norm(a) == norm(b)


def changed_keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The front matter keys whose values differ; for ``steps``, the steps that changed."""
    what: list[str] = []
    old_steps, new_steps = old.get("steps"), new.get("steps")
    if isinstance(old_steps, dict) and isinstance(new_steps, dict):
        keys = [k for k in STEP_KEYS if k in old_steps or k in new_steps]
        keys += [k for k in list(old_steps) + list(new_steps) if k not in keys and k not in STEP_KEYS]
        what.extend(str(k) for k in dict.fromkeys(keys) if not _same(old_steps.get(k), new_steps.get(k)))
    elif not _same(old_steps, new_steps):
        what.append("steps")
    for key in list(new) + [k for k in old if k not in new]:
        if key != "steps" and not _same(old.get(key), new.get(key)):
            what.append(str(key))
    return what


def describe(path: str, old: bytes | None, new: bytes | None) -> Change:
    """One file's change in words, from its bytes before and after (None: absent)."""
    kind = _kind(path)
    status = "A" if old is None else "D" if new is None else "M"
    newer = _parse(new, kind) if new is not None else None
    older = _parse(old, kind) if old is not None else None
    shown = newer or older
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if kind == "contact":
        name = shown[0].get("name") if shown else None
        label = f"Contact: {clean(name) if isinstance(name, str) and name.strip() else stem}"
    elif kind == "reflection":
        title = shown[0].get("title") if shown else None
        label = f"Reflection: {clean(title) if isinstance(title, str) and title.strip() else stem}"
    elif kind == "settings":
        label = "Settings"
    elif kind == "template":
        label = f"Template: {clean(stem)}"
    elif kind == "copy":
        from netjournal.store.scan import conflict_copy_of

        original, maker = conflict_copy_of(path) or (path, "")
        label = f"Conflict copy of {clean(original)}" + ("" if maker == "netjournal" else f" ({maker})")
    else:
        label = clean(path)
    what: list[str] = []
    if status == "A":
        what = [] if kind in ("reflection", "copy") else ["new"]
    elif status == "D":
        what = ["deleted"]
    elif newer is None or older is None:
        what = ["edited"]
    else:
        what = changed_keys(older[0], newer[0])
        if older[1] != newer[1]:
            what.append("notes" if kind == "contact" else "text")
        if not what:
            what = ["layout"]  # the same values, written differently
    return Change(path, status, label, what)


_ORDER = {"reflection": 0, "contact": 1, "copy": 2, "settings": 3, "template": 4, "file": 5}


def describe_all(rows: Iterable[tuple[str, str]], read: Callable[[list[str]], dict[str, bytes | None]],
                 limit: int = DESCRIBED) -> tuple[list[Change], dict[str, int]]:
    """Describe many changes given as (path, status) with ``read`` fetching
    ``old:<path>``/``new:<path>`` contents; only the first ``limit`` (reflections,
    then contacts, then the rest) are read and described, the others counted by kind."""
    ordered = sorted(rows, key=lambda r: (_ORDER.get(_kind(r[0]), 9), r[0]))
    first, rest = ordered[:limit], ordered[limit:]
    specs = [f"old:{p}" for p, s in first if s != "A"] + [f"new:{p}" for p, s in first if s != "D"]
    data = read(specs) if specs else {}
    changes = [describe(p, data.get(f"old:{p}") if s != "A" else None, data.get(f"new:{p}") if s != "D" else None)
               for p, s in first]
    return changes, count_kinds(path for path, _ in rest)


_NOUNS = {"reflection": ("reflection", "reflections"), "contact": ("contact", "contacts"),
          "copy": ("conflict copy", "conflict copies"), "settings": ("settings file", "settings files"),
          "template": ("template", "templates"), "file": ("other file", "other files")}


def count_kinds(paths: Iterable[str]) -> dict[str, int]:
    """How many of each kind of file (contacts, reflections…) among ``paths``."""
    counted: dict[str, int] = {}
    for path in paths:
        kind = _kind(path)
        counted[kind] = counted.get(kind, 0) + 1
    return counted


def count_words(counted: dict[str, int]) -> str:
    """"3 contacts, 1 reflection"."""
    parts = []
    for kind in sorted(counted, key=lambda k: _ORDER.get(k, 9)):
        one, many = _NOUNS.get(kind, ("file", "files"))
        parts.append(f"{counted[kind]:,} {one if counted[kind] == 1 else many}")
    return ", ".join(parts)


def summary(changes: list[Change], counted: dict[str, int] | None = None, width: int = SUBJECT_WIDTH) -> str:
    """One line: the changes joined by `` · `` while they fit, then "and N more"."""
    counted = counted or {}
    more = sum(counted.values())
    if not changes:
        return count_words(counted) or "No change"
    parts: list[str] = []
    for i, change in enumerate(changes):
        text = str(change)
        left = len(changes) - i - 1 + more
        tail = f" · and {left} more" if left else ""
        candidate = " · ".join(parts + [text])
        if len(candidate + tail) > width and parts:
            return " · ".join(parts) + f" · and {len(changes) - i + more} more"
        if len(candidate + tail) > width:  # the first one alone is too long: cut it
            room = max(10, width - len(tail) - 1)
            return text[:room].rstrip() + "…" + tail
        parts.append(text)
    return " · ".join(parts) + (f" · and {more} more" if more else "")


def message(changes: list[Change], counted: dict[str, int] | None, step: str, *,
            subject: str | None = None, extra: Iterable[tuple[str, str]] = ()) -> str:
    """A commit message: a subject that says what changed, the list when there is
    more than fits, and the trailers that mark it as netjournal's."""
    from netjournal.store.scan import host_name

    counted = counted or {}
    subject = subject or summary(changes, counted)
    lines = [subject, ""]
    listed = [f"- {c}" for c in changes]
    if counted:
        listed.append(f"- and {count_words(counted)}")
    if len(changes) > 1 or counted or (changes and str(changes[0]) != subject):
        lines.extend(listed)
        lines.append("")
    lines.append(f"{TRAILER}: {step}")
    lines.append(f"{HOST_TRAILER}: {host_name()}")
    for key, value in extra:
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"
