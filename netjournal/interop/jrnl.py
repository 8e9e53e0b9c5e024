"""jrnl journals, as plain text or as jrnl's ``--export json``, into entries.

Plain text: an entry starts at a line beginning with ``[<date and time>] ``
(jrnl's ``timeformat``, by default ``%Y-%m-%d %H:%M``; a 12-hour clock and seconds are
read too).  The title is the first sentence of that line, the body the rest; a first
line ending in ``*`` marks a starred entry.  Tags are the ``@words`` (jrnl's default
tag symbol); ``#`` is left alone, since a Markdown heading starts with it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from netjournal.interop.records import InputError, Skip, decode, multi_line, one_line, read_input

ENTRY_START = re.compile(r"(?:^|\n)\[([^\]\n]{6,40})\] ?")
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p",
                "%Y-%m-%d")
TAG = re.compile(r"(?<!\S)@([\w][-+*/\w]*)")
SENTENCE_END = re.compile(r"[.!?\u2026]+['\u2019\"\u201d]?[\])]*\s+")
TITLE_MAX = 120


@dataclass
class Entry:
    where: str
    when: _dt.datetime
    title: str
    body: str
    tags: list[str] = field(default_factory=list)
    starred: bool = False

    @property
    def uid(self) -> str:
        """The entry's identity across imports: its minute and title (an entry edited
        in jrnl afterwards is still the same entry)."""
        digest = hashlib.sha256(self.title.encode("utf-8")).hexdigest()[:8]
        return f"jrnl-{self.when:%Y-%m-%dT%H:%M}-{digest}"


def read(paths: list[Path]) -> tuple[list[Entry], list[Skip]]:
    entries: list[Entry] = []
    skipped: list[Skip] = []
    for path in paths:
        text = decode(read_input(path), str(path))
        if text.lstrip().startswith("{"):
            _read_json(path, text, entries, skipped)
        else:
            _read_text(path, text, entries, skipped)
    return entries, skipped


def _when(blob: str) -> _dt.datetime | None:
    for fmt in TIME_FORMATS:
        try:
            return _dt.datetime.strptime(blob.strip(), fmt)
        except ValueError:
            continue
    return None


def _read_text(path: Path, text: str, entries: list[Entry], skipped: list[Skip]) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = [(m, when) for m in ENTRY_START.finditer(text) if (when := _when(m[1])) is not None]
    if not starts:
        raise InputError(f"{path}: no jrnl entries (a line starting with [YYYY-MM-DD HH:MM])")
    lead = text[: starts[0][0].start()].strip()
    if lead:
        skipped.append(Skip(f"{path}:1", "text before the first dated entry"))
    for index, (match, when) in enumerate(starts):
        end = starts[index + 1][0].start() if index + 1 < len(starts) else len(text)
        line = text.count("\n", 0, match.start()) + (1 if match.start() == 0 else 2)
        where = f"{path}:{line}"
        entry = make_entry(where, when, text[match.end():end])
        if isinstance(entry, Skip):
            skipped.append(entry)
        else:
            entries.append(entry)


def make_entry(where: str, when: _dt.datetime, raw: str, *, starred: bool = False,
               tags: list[str] | None = None) -> Entry | Skip:
    """An entry from its text after the date: title, body, tags, star."""
    raw = multi_line(raw).strip()
    first, _, rest = raw.partition("\n")
    if first.rstrip().endswith("*"):
        starred = True
        first = first.rstrip().rstrip("*").rstrip()
    first = first.strip()
    if not first and rest.strip():
        first, _, rest = rest.strip().partition("\n")
    if not first:
        return Skip(where, "an empty entry")
    split = SENTENCE_END.search(first)
    if split and split.end() < len(first):
        title, opening = first[: split.end()].strip(), first[split.end():].strip()
        body = opening + ("\n" + rest if rest else "")
    else:
        title, body = first, rest
    title = one_line(title)
    if len(title) > TITLE_MAX:
        cut = title.rfind(" ", 0, TITLE_MAX)
        body = first + ("\n" + rest if rest else "")
        title = title[: cut if cut > 40 else TITLE_MAX].rstrip() + "…"
    found = tags if tags is not None else TAG.findall(first + "\n" + rest)
    clean_tags = [t.lower().lstrip("@").rstrip("-+*/") for t in found]
    return Entry(where, when, title, body.strip("\n"),
                 list(dict.fromkeys(t for t in clean_tags if t)), starred)


def _read_json(path: Path, text: str, entries: list[Entry], skipped: list[Skip]) -> None:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}:{getattr(exc, 'lineno', 1)}: not valid JSON ({getattr(exc, 'msg', exc)})") from None
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InputError(f"{path}: not a jrnl JSON export (no \"entries\" list)")
    for number, item in enumerate(items, start=1):
        where = f"{path} entry {number}"
        if not isinstance(item, dict):
            skipped.append(Skip(where, "not an entry (a JSON object)", problem=True))
            continue
        when = _when(f"{item.get('date', '')} {item.get('time', '')}".strip())
        if when is None:
            skipped.append(Skip(where, f"date {one_line(item.get('date'))!r} is not YYYY-MM-DD", problem=True))
            continue
        title = str(item.get("title") or "")
        body = str(item.get("body") or "")
        tags = item.get("tags") if isinstance(item.get("tags"), list) else None
        entry = make_entry(where, when, title + ("\n" + body if body else ""),
                           starred=item.get("starred") is True,
                           tags=[str(t) for t in tags] if tags is not None else None)
        if isinstance(entry, Skip):
            skipped.append(entry)
        else:
            entries.append(entry)
