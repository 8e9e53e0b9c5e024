"""The demo journal: a fresh copy of sample_data/ whose story happens "now".

The sample journal's story is told as of ``SAMPLE_TODAY``.  A demo copy shifts every
date in it (front matter dates, step dates, follow-ups, and the dates in reflection
file names) by the days between then and the day it is opened, so that who is due,
who is overdue and what happened this week read the same on any day.  The shipped
files are never modified.
"""

from __future__ import annotations

import datetime as _dt
import re
import tempfile
from pathlib import Path
from typing import Any

from netjournal.journal import Journal, copy_tree, sample_data_dir
from netjournal.model import DATE_KEYS, parse_date
from netjournal.store import frontmatter
from netjournal.store.entries import CONTACTS, REFLECTIONS
from netjournal.store.files import atomic_write

SAMPLE_TODAY = _dt.date(2026, 11, 25)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shift_value(value: Any, days: int) -> Any:
    if isinstance(value, str) and _ISO.match(value) and parse_date(value):
        return parse_date(value) + _dt.timedelta(days=days)  # type: ignore[operator]
    if isinstance(value, dict):
        return {k: _shift_value(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_value(v, days) for v in value]
    return value


_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")


def _shift_day(value: Any, days: int) -> Any:
    """A birthday or a date to remember moved too (``--MM-DD`` included), so that
    what is coming up on the demo's dashboard is the same on any day."""
    if isinstance(value, str) and _YEARLESS.match(value):
        day = parse_date(f"2000{value[1:]}")
        if day:
            moved = day + _dt.timedelta(days=days)
            return f"--{moved.month:02d}-{moved.day:02d}"
    if isinstance(value, list):
        return [dict(item, date=_shift_day(item.get("date"), days)) if isinstance(item, dict) else item
                for item in value]
    return _shift_value(value, days)


def shift_dates(root: Path, days: int) -> None:
    """Move every date in the journal's entries by ``days`` (file names too)."""
    if days == 0:
        return
    for path in sorted((root / CONTACTS).glob("*.md")) + sorted((root / REFLECTIONS).rglob("*.md")):
        raw = path.read_bytes()
        doc = frontmatter.parse_bytes(raw)
        keys = (*DATE_KEYS, "steps")
        meta = {k: (_shift_value(v, days) if k in keys else _shift_day(v, days) if k in ("birthday", "dates")
                    else v) for k, v in doc.meta.items()}
        text = frontmatter.dump(doc, meta, old_meta=doc.meta)
        atomic_write(path, text.encode("utf-8"))
        name = path.name
        if path.is_relative_to(root / REFLECTIONS) and _ISO.match(name[:10]) and parse_date(name[:10]):
            day = parse_date(name[:10]) + _dt.timedelta(days=days)  # type: ignore[operator]
            target = root / REFLECTIONS / f"{day.year:04d}" / f"{day.isoformat()}{name[10:]}"
            if target != path:
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                path.rename(target)
    for folder in sorted((root / REFLECTIONS).iterdir(), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def make_demo(today: _dt.date | None = None, parent: Path | None = None) -> Path:
    """A new temporary copy of the sample journal, its dates moved to ``today``."""
    today = today or _dt.date.today()
    base = Path(tempfile.mkdtemp(prefix="netjournal-demo-", dir=parent))
    root = base / "demo-journal"
    root.mkdir(mode=0o700)
    copy_tree(sample_data_dir(), root)
    shift_dates(root, (today - SAMPLE_TODAY).days)
    return root


def open_demo(today: _dt.date | None = None) -> Journal:
    root = make_demo(today)
    return Journal.open(root, today=today, write_behind=True)
