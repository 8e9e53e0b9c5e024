"""The journal's reminders as an iCalendar file (RFC 5545); its values encoded by the
icalendar package (which the tests read it back with).

All-day events, marked free (``TRANSP:TRANSPARENT``) so they never block a day:

- **a touch**: each chosen contact's next due touch, ``Touch base with <name>: you
  could give <offer>`` (the article: see how you can help them first).  An overdue
  touch is shown on the day of the export, its description saying since when; a
  contact never touched has no due date, and the pool has none.
- **a follow-up**: each open follow-up (``insights.follow_ups``: ``follow_up`` set and no
  ``follow_up_done``, or an intro not yet closed, asked about as "How did the introduction
  of A and B go?"), on its day, or on the day of the export when it is overdue.
- **a birthday**: a yearly event from the birthday (a yearless one starts in 2000); 29
  February falls on the last day of February (``BYMONTHDAY=-1``), so on the 28th in
  other years -- the dashboard's rule.
- **a date to remember**: each of the contact's ``dates``, yearly, like a birthday.

Titles: an event's ``SUMMARY`` is one line -- a line break or a run of spaces in the
offer, name, label or title it is made of becomes one space; the description keeps its
lines.

Identity: each event's ``UID`` names what it is about, never when, so that a calendar
which re-imports the file or subscribes to it updates the event instead of adding
another: ``touch-<slug>@netjournal``, ``followup-<reflection id>@netjournal``,
``birthday-<slug>@netjournal``, ``date-<slug>-<label slug>@netjournal``.  A touch that
moved keeps its UID and carries the new date.

Change: ``DTSTAMP`` is when the file was made (``METHOD:PUBLISH``); ``LAST-MODIFIED`` is
when what the event shows last changed -- the newest of the files it comes from (and,
for an overdue item shown today, the start of today, UTC); ``SEQUENCE`` is that moment
in seconds since 2020-01-01 UTC, so it grows whenever the event changes and a
client that compares revisions takes the new one.  ``REFRESH-INTERVAL`` and
``X-PUBLISHED-TTL`` ask subscribers to look again every 12 hours.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from netjournal.insights import remembered_dates
from netjournal.interop.records import fold, plain
from netjournal.model import STEP_BY_KEY, YearlyDate

EPOCH = _dt.datetime(2020, 1, 1, tzinfo=_dt.timezone.utc)
YEARLESS_START = 2000  # the first year of a yearless birthday's series (a leap year)
REFRESH = _dt.timedelta(hours=12)


def one_line(text: str) -> str:
    """An event's title as a calendar shows it: one line, each run of whitespace (a line
    break from a multi-line offer, name or title among them) one space."""
    return " ".join(plain(text).split())


def sequence(modified: _dt.datetime) -> int:
    """A revision number that grows with ``LAST-MODIFIED``: its seconds since 2020
    (an int32 holds them until 2088)."""
    return max(int((modified - EPOCH).total_seconds()), 0)


class _Calendar:
    """The calendar's content lines.  Every value is encoded by icalendar's property
    types (text escaping, dates, recurrence rules); the lines are put together and folded
    here, because icalendar's own component serialiser costs ~0.5 ms an event (a
    journal of 1,000 contacts has 5,000 events)."""

    def __init__(self, journal: Any, now: _dt.datetime) -> None:
        import icalendar

        self.ical = icalendar
        self.journal = journal
        self.today = journal.today
        self.today_start = _dt.datetime.combine(self.today, _dt.time(), _dt.timezone.utc)
        self.stamp = self._when(now.replace(microsecond=0))
        self._times: dict[_dt.datetime, str] = {}
        self._rules: dict[tuple[tuple[str, Any], ...], str] = {}
        self.lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netjournal//netjournal//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + self._text(plain(f"netjournal · {journal.name}", multiline=False)),
            "X-WR-CALDESC:" + self._text("Who is due a touch, follow-ups, birthdays and dates to remember"),
            "REFRESH-INTERVAL;VALUE=DURATION:" + icalendar.vDuration(REFRESH).to_ical().decode(),
            "X-PUBLISHED-TTL:" + icalendar.vDuration(REFRESH).to_ical().decode(),
        ]
        self.count = 0

    def _text(self, value: str) -> str:
        return self.ical.vText(value).to_ical().decode("utf-8")

    def _when(self, moment: _dt.datetime) -> str:
        return self.ical.vDDDTypes(moment.astimezone(_dt.timezone.utc)).to_ical().decode("ascii")

    def _time(self, moment: _dt.datetime) -> str:
        text = self._times.get(moment)
        if text is None:
            text = self._times[moment] = self._when(moment)
        return text

    def _rule(self, rule: dict[str, Any]) -> str:
        key = tuple(sorted(rule.items()))
        text = self._rules.get(key)
        if text is None:
            text = self._rules[key] = self.ical.vRecur(rule).to_ical().decode("ascii")
        return text

    def modified(self, *paths: str) -> _dt.datetime:
        times = [when for when in (self.journal.modified(path) for path in paths) if when is not None]
        return max(times) if times else EPOCH

    def event(self, uid: str, summary: str, day: _dt.date, modified: _dt.datetime, *,
              description: str = "", rrule: dict[str, Any] | None = None) -> None:
        date = self.ical.vDate
        lines = [
            "BEGIN:VEVENT",
            "UID:" + self._text(uid),
            "DTSTAMP:" + self.stamp,
            "SUMMARY:" + self._text(one_line(summary)),
            "DTSTART;VALUE=DATE:" + date(day).to_ical().decode("ascii"),
            "DTEND;VALUE=DATE:" + date(day + _dt.timedelta(days=1)).to_ical().decode("ascii"),
        ]
        if rrule:
            lines.append("RRULE:" + self._rule(rrule))
        if description:
            lines.append("DESCRIPTION:" + self._text(plain(description)))
        lines += ["TRANSP:TRANSPARENT", "LAST-MODIFIED:" + self._time(modified),
                  f"SEQUENCE:{sequence(modified)}", "END:VEVENT"]
        self.lines.extend(fold(line) for line in lines)
        self.count += 1

    def to_ical(self) -> bytes:
        return ("\r\n".join(self.lines + ["END:VCALENDAR"]) + "\r\n").encode("utf-8")

    def shown_on(self, day: _dt.date, modified: _dt.datetime) -> tuple[_dt.date, _dt.datetime]:
        """An overdue day is shown today, and changed at the start of today."""
        if day < self.today:
            return self.today, max(modified, self.today_start)
        return day, modified


def _yearly(date: YearlyDate) -> tuple[_dt.date, dict[str, Any]]:
    start = date.on(date.year if date.year is not None else YEARLESS_START)
    if date.month == 2 and date.day == 29:
        return start, {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
    return start, {"freq": "yearly"}


def _label_slug(label: str, taken: set[str]) -> str:
    from netjournal.store.files import slugify

    base = slugify(label, "date", 40)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def render(journal: Any, contacts: list[Any], options: Any, now: _dt.datetime | None = None) -> tuple[bytes, int]:
    """The calendar for these contacts (and, without a filter, every open follow-up)."""
    cal = _Calendar(journal, now or _dt.datetime.now(_dt.timezone.utc))
    facts = journal.facts()
    names = {slug: fact.contact.name for slug, fact in facts.items()}
    for contact in contacts:
        fact = facts[contact.slug]
        if fact.due and not fact.pool:
            due = _dt.date.fromisoformat(fact.due)
            day, modified = cal.shown_on(due, cal.modified(contact.path, *fact.reflections))
            summary = f"Touch base with {contact.name}"
            summary += f": you could give {contact.offer}" if contact.offer.strip() else " (what could you give them?)"
            lines = []
            if contact.why.strip():
                lines.append(f"Why: {contact.why}")
            lines.append(f"You could give: {contact.offer}" if contact.offer.strip()
                         else "No offer written yet: what could you give them?")
            lines.append(f"Last touch {fact.last_touch}, every {fact.cadence} days; due {fact.due}"
                         + (f" ({fact.days_overdue} days overdue)" if fact.days_overdue else ""))
            step = contact.next_step
            if step is not None:
                lines.append(f"Next step: {STEP_BY_KEY[step.key].question}")
            cal.event(f"touch-{contact.slug}@netjournal", summary, day, modified, description="\n".join(lines))
        modified = cal.modified(contact.path)
        taken: set[str] = set()
        for item in remembered_dates(contact):
            start, rule = _yearly(item.date)
            known = item.date.year is not None
            if item.is_birthday:
                uid, summary = f"birthday-{contact.slug}@netjournal", f"Birthday: {contact.name}"
                description = f"Born {item.written}." if known else ""
            else:
                uid = f"date-{contact.slug}-{_label_slug(item.label, taken)}@netjournal"
                summary = f"{contact.name}: {item.label}"
                description = f"Since {item.written}." if known else ""
            cal.event(uid, summary, start, modified, description=description, rrule=rule)
    chosen = {c.slug for c in contacts}
    everyone = not options.contacts and options.tag is None
    for item in journal.follow_ups():
        reflection = item.reflection
        if not item.is_open or (not everyone and not chosen.intersection(reflection.links)):
            continue
        day, modified = cal.shown_on(_dt.date.fromisoformat(item.due), cal.modified(reflection.path))
        if item.question:  # an intro: asked about 30 days on, unless it has its own date
            summary = f"Follow up: {item.question}"
            description = f"You introduced them on {reflection.date} ({reflection.title})."
        else:
            people = [names[s] for s in reflection.links if s in names]
            summary = f"Follow up: {reflection.title}" + (f" ({', '.join(people)})" if people else "")
            description = f"From the {reflection.kind} of {reflection.date}; follow-up due {item.due}."
        cal.event(f"followup-{reflection.id}@netjournal", summary, day, modified, description=description)
    return cal.to_ical(), cal.count
