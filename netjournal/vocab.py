"""The journal's fixed words and the few pure rules that quick commands share.

Nothing here imports more than the standard library's smallest modules: the command
line's quick path (``netjournal.quick``) answers from these without loading the
model, YAML or TinyDB.  ``netjournal.model`` builds its dataclasses on top of them.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # ``typing`` costs a quick command ~3 ms to import
if TYPE_CHECKING:
    import datetime as _dt
    from collections.abc import Iterable
    from typing import Any

# The six steps, in order (their labels and questions live in netjournal.model).
STEP_KEYS: tuple[str, ...] = ("why", "offer", "connect", "trust", "deepen", "known")

# ``intro``: I introduced two (or more) of my contacts to each other -- a give to each.
KINDS: tuple[str, ...] = ("note", "meeting", "give", "thanks", "ask", "receive", "intro")

# A touch is a reflection of any kind but a note; an introduction is a give to each
# person introduced (and counted on its own too).
GIVE_KINDS = frozenset({"give", "thanks", "intro"})
TOUCH_KINDS = frozenset(KINDS) - {"note"}

DEFAULT_CADENCE = 30  # days between touches, when neither the contact nor the settings say
STUCK_DAYS = 60  # a relationship with no step done in this many days is stuck (insights)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> _dt.date | None:
    """An ISO date string (or date) as a date; None for anything else."""
    import datetime as _dt  # here: a command with no date to read starts without it (~1 ms)

    if isinstance(value, _dt.date):
        return value if not isinstance(value, _dt.datetime) else value.date()
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 10 and ISO_DATE.match(text[:10]):
            try:
                return _dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    return None


def entry_id(path: str) -> str:
    """A reflection's id: its file's stem, e.g. ``2026-11-20-told-priya``."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") else name


def reflection_wanted(links: Iterable[str], kind: str, date: str, tags: Iterable[str], *,
                      contact: str | None = None, kind_filter: str | None = None,
                      since: str | None = None, until: str | None = None,
                      tag: str | None = None) -> bool:
    """Whether a reflection passes the ``reflections`` filters (one place for both the
    journal and the quick path)."""
    return (
        (contact is None or contact in links)
        and (kind_filter is None or kind == kind_filter)
        and (since is None or date >= since)
        and (until is None or date <= until)
        and (tag is None or tag.lower() in (t.lower() for t in tags))
    )


def newest_first(date: str, path: str) -> tuple[str, str]:
    """The sort key of reflection lists, used with ``reverse=True``: newest date
    first, then by path."""
    return date, path
