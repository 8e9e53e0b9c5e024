"""The networking domain: the six steps, contacts, reflections, problems.

Plain dataclasses.  They are built either from a parsed file (``from_meta``) or from
an index record (``from_record``); ``to_record`` gives the JSON-safe index record.
Nothing here reads or writes files.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

# KINDS, STEP_KEYS, parse_date and the kinds that count are part of the model's
# vocabulary, defined where the quick command path (and insights) can use them
# without importing dataclasses
from netjournal.vocab import (  # noqa: F401
    DEFAULT_CADENCE, GIVE_KINDS, ISO_DATE, KINDS, STEP_KEYS, TOUCH_KINDS, entry_id, parse_date,
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    question: str
    suggestion: str


# Keys, labels and questions are the product's contract (docs/design.md); the
# suggestions are the article's advice for working on that step.
STEPS: tuple[Step, ...] = (
    Step("why", "Chose them for a reason", "Why do I want this relationship?",
         "Be selective: write down why you want to know them, not just that you could."),
    Step("offer", "Know what I can give", "How can I help them, with what I have?",
         "See how you can help them first: name something you can give from your own resources."),
    Step("connect", "Connected authentically", "Did I reach out without asking for anything?",
         "Reach out with something for them, and ask for nothing."),
    Step("trust", "Earned their trust", "Have I helped them build themselves up, and kept my word?",
         "Help them build themselves up, and keep every promise, however small."),
    Step("deepen", "Went deeper", "Have I told them what helped me; is this more than small talk?",
         "Go beyond small talk: tell them what of theirs helped you."),
    Step("known", "They know me", "Do they know my strengths and goals well enough to vouch for me?",
         "Be known: let them see your strengths and goals, so they could vouch for you."),
)
assert tuple(step.key for step in STEPS) == STEP_KEYS
STEP_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}


def iso(value: _dt.date | None) -> str | None:
    return value.isoformat() if value else None


def as_text(value: Any) -> str:
    """A front matter value shown as text ('' for missing)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return ", ".join(as_text(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def as_list(value: Any) -> list[str]:
    """Tags and contact lists: a YAML list, or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, list):
        return [as_text(v).strip() for v in value if as_text(v).strip()]
    return [part.strip() for part in as_text(value).split(",") if part.strip()]


# ---------------------------------------------------------------------- birthdays and dates

_FULL_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_YEARLESS_DAY = re.compile(r"^--(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class YearlyDate:
    """A birthday or a date to remember: its month and day, and its year when known
    (``1990-04-15``; ``--06-14`` has none)."""

    month: int
    day: int
    year: int | None = None

    def on(self, year: int) -> _dt.date:
        """The day it falls on in ``year``: 29 February is kept on 28 February in a
        year that has no 29th (the README's rule; the calendar export agrees)."""
        import calendar  # here: ~1 ms to import (it imports locale), for birthdays only

        if self.month == 2 and self.day == 29 and not calendar.isleap(year):
            return _dt.date(year, 2, 28)
        return _dt.date(year, self.month, self.day)


def yearly_date(value: Any) -> YearlyDate | None:
    """``YYYY-MM-DD`` or ``--MM-DD`` as a YearlyDate; None for anything else (text
    such as ``circa 1815`` is kept and shown, not a date; so is an impossible one,
    which ``is_broken_date`` tells apart)."""
    text = as_text(value).strip()
    match = _FULL_DAY.match(text)
    if match:
        try:
            day = _dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return YearlyDate(day.month, day.day, day.year)
    match = _YEARLESS_DAY.match(text)
    if match:
        import calendar

        month, day = int(match[1]), int(match[2])
        # 2000 is a leap year: --02-29 is a birthday
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return YearlyDate(month, day)
    return None


def is_broken_date(value: Any) -> bool:
    """Written as a date, and no date: ``2026-02-30``, ``--13-01``."""
    text = as_text(value).strip()
    return bool(_FULL_DAY.match(text) or _YEARLESS_DAY.match(text)) and yearly_date(text) is None


def read_dates(value: Any) -> tuple[list[tuple[str, str]], list[str]]:
    """A contact's ``dates:`` (a list of ``{label: …, date: …}``) as (label, date)
    pairs, and what is wrong with it.  A date is ``YYYY-MM-DD``, ``--MM-DD``, or text
    kept as written; an impossible one is kept, and named in the warnings."""
    if value is None or value == "" or value == []:
        return [], []
    if not isinstance(value, list):
        return [], ["dates must be a list of {label: …, date: …} (e.g. '- {label: started at Harbourline, "
                    "date: 2021-03-01}')"]
    found: list[tuple[str, str]] = []
    warnings: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            warnings.append(f"item {number} ({as_text(item)[:40]!r}) is not {{label: …, date: …}}; it is ignored")
            continue
        label = " ".join(as_text(item.get("label")).split())
        day = as_text(item.get("date")).strip()
        if not day:
            warnings.append(f"item {number} ({label or 'no label'}) has no date; it is ignored")
            continue
        if is_broken_date(day):
            warnings.append(f"item {number} ({label or 'no label'}): {day!r} is not a date "
                            "(YYYY-MM-DD, or --MM-DD without the year)")
        found.append((label, day))
    return found, warnings


@dataclass
class Problem:
    """A file the app could not fully read: reported, never rewritten."""

    path: str
    line: int
    reason: str
    severity: str = "error"  # "error": the file is left out; "warning": read, with a flaw

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"

    def to_record(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "reason": self.reason, "severity": self.severity}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Problem":
        return cls(record["path"], int(record["line"]), record["reason"], record.get("severity", "error"))


@dataclass
class StepState:
    date: str | None = None
    note: str | None = None

    @property
    def done(self) -> bool:
        return self.date is not None


def read_step(value: Any) -> tuple[StepState, str | None]:
    """A step value from front matter, and a warning when it makes no sense."""
    if value is None or value is False or value == "":
        return StepState(), None
    if isinstance(value, dict):
        day = parse_date(value.get("date"))
        note = value.get("note")
        note = as_text(note) if note is not None else None
        if value.get("date") not in (None, "") and day is None:
            return StepState(None, note), f"step date {as_text(value.get('date'))!r} is not a YYYY-MM-DD date"
        return StepState(iso(day), note), None
    day = parse_date(value)
    if day is None:
        if value is True:
            return StepState(None), "a step needs a date (YYYY-MM-DD), not 'true'"
        return StepState(None), f"step value {as_text(value)!r} is not a YYYY-MM-DD date"
    return StepState(iso(day)), None


@dataclass
class Contact:
    slug: str
    path: str
    name: str
    org: str = ""
    role: str = ""
    email: str = ""
    tags: list[str] = field(default_factory=list)
    why: str = ""
    offer: str = ""
    cadence: int | None = None
    steps: dict[str, StepState] = field(default_factory=lambda: {k: StepState() for k in STEP_KEYS})
    archived: bool = False
    wikilinks: list[str] = field(default_factory=list)  # [[slug]] links in the notes
    phone: str = ""
    birthday: str = ""  # YYYY-MM-DD, --MM-DD, or text as written ("circa 1800")
    links: list[str] = field(default_factory=list)  # profile URLs (the file's ``links:``)
    uid: str = ""  # a stable identity across import and export
    source: str = ""  # where an imported contact came from ("linkedin 2026-12-04")
    connected: str = ""  # LinkedIn's "Connected On" (not the connect step)
    emails: list[str] = field(default_factory=list)  # the addresses in ``emails:`` (import)
    dates: list[tuple[str, str]] = field(default_factory=list)  # (label, date) of ``dates:``
    body: str | None = None  # loaded on demand; the index keeps no bodies

    @property
    def progress(self) -> int:
        return sum(1 for key in STEP_KEYS if self.steps[key].done)

    @property
    def next_step(self) -> Step | None:
        """The first step not yet done, in order."""
        for step in STEPS:
            if not self.steps[step.key].done:
                return step
        return None

    @property
    def ask_ready(self) -> bool:
        """Trust and deepen done: the article's condition for asking a favour."""
        return self.steps["trust"].done and self.steps["deepen"].done

    def step_dates(self) -> dict[str, str | None]:
        return {key: self.steps[key].date for key in STEP_KEYS}

    @classmethod
    def from_meta(cls, slug: str, path: str, meta: dict[str, Any], wikilinks: list[str],
                  body: str | None = None) -> tuple["Contact", list[tuple[str, str]]]:
        """Build from front matter; also returns (key, warning) pairs."""
        warnings: list[tuple[str, str]] = []
        raw_steps = meta.get("steps") or {}
        steps = {key: StepState() for key in STEP_KEYS}
        if isinstance(raw_steps, dict):
            for key in STEP_KEYS:
                state, warning = read_step(raw_steps.get(key))
                steps[key] = state
                if warning:
                    warnings.append(("steps", f"{key}: {warning}"))
        else:
            warnings.append(("steps", "steps must be a mapping of step keys to dates"))
        cadence = meta.get("cadence")
        if cadence is not None:
            if isinstance(cadence, bool) or not isinstance(cadence, int) or cadence <= 0:
                warnings.append(("cadence", f"cadence {as_text(cadence)!r} is not a whole number of days"))
                cadence = None
        name = as_text(meta.get("name")).strip() or slug
        birthday = as_text(meta.get("birthday")).strip()
        if is_broken_date(birthday):
            warnings.append(("birthday", f"birthday {birthday!r} is not a date: write YYYY-MM-DD, or --MM-DD "
                                         "without the year (it is shown as written, and left out of what is "
                                         "coming up and of the calendar)"))
        dates, date_warnings = read_dates(meta.get("dates"))
        warnings.extend(("dates", f"dates: {warning}") for warning in date_warnings)
        contact = cls(
            slug=slug, path=path, name=name, org=as_text(meta.get("org")),
            role=as_text(meta.get("role")), email=as_text(meta.get("email")),
            tags=as_list(meta.get("tags")), why=as_text(meta.get("why")),
            offer=as_text(meta.get("offer")), cadence=cadence, steps=steps,
            archived=meta.get("archived") is True, wikilinks=wikilinks,
            phone=as_text(meta.get("phone")).strip(), birthday=birthday,
            links=as_list(meta.get("links")), uid=as_text(meta.get("uid")).strip(),
            source=as_text(meta.get("source")).strip(), connected=as_text(meta.get("connected")).strip(),
            emails=typed_values(meta.get("emails")), dates=dates, body=body,
        )
        return contact, warnings

    def to_record(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "name": self.name, "org": self.org, "role": self.role,
            "email": self.email, "tags": list(self.tags), "why": self.why, "offer": self.offer,
            "cadence": self.cadence,
            "steps": {k: [self.steps[k].date, self.steps[k].note] for k in STEP_KEYS},
            "archived": self.archived, "wikilinks": list(self.wikilinks),
            "phone": self.phone, "birthday": self.birthday, "links": list(self.links),
            "uid": self.uid, "source": self.source, "connected": self.connected,
            "emails": list(self.emails), "dates": [list(pair) for pair in self.dates],
        }

    @classmethod
    def from_record(cls, path: str, record: dict[str, Any]) -> "Contact":
        steps = {k: StepState(*record["steps"][k]) for k in STEP_KEYS}
        return cls(
            slug=record["slug"], path=path, name=record["name"], org=record["org"],
            role=record["role"], email=record["email"], tags=list(record["tags"]),
            why=record["why"], offer=record["offer"], cadence=record["cadence"], steps=steps,
            archived=record["archived"], wikilinks=list(record["wikilinks"]),
            phone=record["phone"], birthday=record["birthday"], links=list(record["links"]),
            uid=record["uid"], source=record["source"], connected=record["connected"],
            emails=list(record["emails"]), dates=[(label, day) for label, day in record["dates"]],
        )


def typed_values(value: Any) -> list[str]:
    """The addresses of an ``emails:`` (or ``phones:``) list: each item a mapping with a
    ``value`` (and a ``type``), or a plain string."""
    if not isinstance(value, list):
        return []
    found = []
    for item in value:
        text = as_text(item.get("value") if isinstance(item, dict) else item).strip()
        if text:
            found.append(text)
    return found


@dataclass
class Reflection:
    path: str
    title: str
    date: str
    kind: str = "note"
    contacts: list[str] = field(default_factory=list)  # as written in front matter
    links: list[str] = field(default_factory=list)  # front matter + [[wikilinks]], deduped
    follow_up: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str | None = None
    follow_up_done: str | None = None  # the day the follow-up was done, if it was

    @property
    def id(self) -> str:
        """The file's stem, e.g. ``2026-11-20-told-priya``."""
        return entry_id(self.path)

    @property
    def is_touch(self) -> bool:
        return self.kind in TOUCH_KINDS

    @classmethod
    def from_meta(cls, path: str, meta: dict[str, Any], wikilinks: list[str],
                  body: str | None = None) -> tuple["Reflection | None", list[tuple[str, str]]]:
        """Build from front matter; None (and a reason) when it has no usable date."""
        warnings: list[tuple[str, str]] = []
        stem = path.rsplit("/", 1)[-1]
        day = parse_date(meta.get("date"))
        if day is None:
            if meta.get("date") is not None:
                return None, [("date", f"date {as_text(meta.get('date'))!r} is not a YYYY-MM-DD date")]
            day = parse_date(stem[:10])
            if day is None:
                return None, [("date", "no date: add 'date: YYYY-MM-DD' to the front matter")]
        kind = as_text(meta.get("kind")).strip().lower() or "note"
        if kind not in KINDS:
            warnings.append(("kind", f"kind {kind!r} is not one of {', '.join(KINDS)}; read as 'note'"))
            kind = "note"
        follow = meta.get("follow_up")
        follow_day = parse_date(follow)
        if follow not in (None, "") and follow_day is None:
            warnings.append(("follow_up", f"follow_up {as_text(follow)!r} is not a YYYY-MM-DD date"))
        done = meta.get("follow_up_done")
        done_day = parse_date(done)
        if done not in (None, "") and done_day is None:
            warnings.append(("follow_up_done", f"follow_up_done {as_text(done)!r} is not a YYYY-MM-DD date"))
        contacts = as_list(meta.get("contacts"))
        links = list(dict.fromkeys(contacts + wikilinks))
        if kind == "intro" and len(links) < 2:
            warnings.append(("kind", f"an intro links two or more contacts (the people introduced); "
                                     f"this one links {len(links)}"))
        title = as_text(meta.get("title")).strip() or (stem[11:-3] if stem[:10] == iso(day) else stem[:-3])
        reflection = cls(
            path=path, title=title, date=day.isoformat(), kind=kind, contacts=contacts,
            links=links, follow_up=iso(follow_day), tags=as_list(meta.get("tags")), body=body,
            follow_up_done=iso(done_day),
        )
        return reflection, warnings

    def to_record(self) -> dict[str, Any]:
        return {
            "title": self.title, "date": self.date, "kind": self.kind,
            "contacts": list(self.contacts), "links": list(self.links),
            "follow_up": self.follow_up, "tags": list(self.tags),
            "follow_up_done": self.follow_up_done,
        }

    @classmethod
    def from_record(cls, path: str, record: dict[str, Any]) -> "Reflection":
        return cls(
            path=path, title=record["title"], date=record["date"], kind=record["kind"],
            contacts=list(record["contacts"]), links=list(record["links"]),
            follow_up=record["follow_up"], tags=list(record["tags"]),
            follow_up_done=record["follow_up_done"],
        )


class StepRuleError(ValueError):
    """A step cannot be changed without losing what the user wrote in its place."""


def _steps_of(value: Any) -> dict[str, Any]:
    """The contact's ``steps`` mapping to change (a copy); refuses anything else, whose
    text a generated mapping would replace."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        shown = as_text(value)
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        raise StepRuleError(
            f"'steps:' holds {shown!r}, not a mapping of step keys to dates; "
            "change it in the file (e.g. 'steps: {why: 2026-03-01}') and try again")
    return dict(value)


def _step_value_checked(key: str, current: Any) -> Any:
    """The step's current value, refused when marking it would overwrite the user's text
    (``why: done in March``, ``trust: {date: soon}``)."""
    day = current.get("date") if isinstance(current, dict) else current
    if day is None or day is False or day == "" or parse_date(day) is not None:
        return current
    shown = as_text(day)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    raise StepRuleError(f"step '{key}' holds {shown!r}, not a date; change it in the file and try again")


def mark_step(steps: Any, key: str, day: _dt.date, note: str | None = None) -> dict[str, Any]:
    """``steps`` with ``key`` done on ``day`` (and its note, if given).

    Only that step's value changes: the other steps, their order, the user's own keys
    inside a step (``{date: …, with: Ada}``) and missing steps stay as they are."""
    mapping = _steps_of(steps)
    current = _step_value_checked(key, mapping.get(key))
    if isinstance(current, dict):
        value: Any = dict(current, date=day) if note is None else dict(current, date=day, note=note)
    else:
        value = {"date": day, "note": note} if note else day
    mapping[key] = value
    return mapping


def unmark_step(steps: Any, key: str) -> dict[str, Any]:
    """``steps`` with ``key`` not done; its note and the user's own keys are kept."""
    mapping = _steps_of(steps)
    current = _step_value_checked(key, mapping.get(key))
    if isinstance(current, dict) and any(k != "date" for k in current):
        mapping[key] = dict(current, date=None)
    elif key in mapping:
        mapping[key] = None
    return mapping


def note_step(steps: Any, key: str, note: str) -> dict[str, Any]:
    """``steps`` with the note of ``key`` set (blank: removed), its date kept."""
    mapping = _steps_of(steps)
    current = _step_value_checked(key, mapping.get(key))
    note = note.strip()
    if note:
        base = current if isinstance(current, dict) else {"date": current}
        mapping[key] = dict(base, note=note)
    elif isinstance(current, dict) and "note" in current:
        kept = {k: v for k, v in current.items() if k != "note"}
        mapping[key] = kept["date"] if list(kept) == ["date"] else kept
    return mapping


def new_contact_steps(why: str, offer: str, day: _dt.date) -> dict[str, Any]:
    """The six steps of a new contact: writing down why, and what you can give, is
    itself the first two steps, done ``day``."""
    steps: dict[str, Any] = {key: None for key in STEP_KEYS}
    if why.strip():
        steps["why"] = day
    if offer.strip():
        steps["offer"] = day
    return steps


def steps_after_writing(contact: "Contact | None", steps: Any, changes: dict[str, Any],
                        day: _dt.date) -> dict[str, Any] | None:
    """When a why or an offer is written where there was none, that step is done ``day``
    (unless it already is): the new ``steps``, or None when nothing changes (also when
    ``steps:`` is not a mapping -- the why is saved, the user's text is left alone)."""
    if contact is None or (steps is not None and not isinstance(steps, dict)):
        return None
    mapping = None
    for key in ("why", "offer"):
        value = changes.get(key)
        written = isinstance(value, str) and value.strip()
        if written and not getattr(contact, key).strip() and not contact.steps[key].done:
            try:
                mapping = mark_step(mapping if mapping is not None else steps, key, day)
            except StepRuleError:
                continue
    return mapping
# Reflection keys that hold a date (written unquoted; moved with the demo's story).
DATE_KEYS = ("date", "follow_up", "follow_up_done")


def dateify(meta: dict[str, Any]) -> dict[str, Any]:
    """Known date fields as date objects, so they are written unquoted."""
    out = dict(meta)
    for key in DATE_KEYS:
        day = parse_date(out.get(key))
        if day is not None and isinstance(out.get(key), str) and ISO_DATE.match(out[key]):
            out[key] = day
    steps = out.get("steps")
    if isinstance(steps, dict):
        fixed: dict[str, Any] = {}
        for key, value in steps.items():
            if isinstance(value, str) and ISO_DATE.match(value) and parse_date(value):
                fixed[key] = parse_date(value)
            elif isinstance(value, dict):
                inner = dict(value)
                if isinstance(inner.get("date"), str) and ISO_DATE.match(inner["date"]) and parse_date(inner["date"]):
                    inner["date"] = parse_date(inner["date"])
                fixed[key] = inner
            else:
                fixed[key] = value
        out["steps"] = fixed
    return out
