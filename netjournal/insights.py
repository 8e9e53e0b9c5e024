"""Derived facts, computed in one place for the CLI and the TUI alike.

- last touch: the newest linked reflection whose kind is not ``note``;
- due: last touch + cadence; never touched is "not yet connected", not due;
- ledger: gave = give + thanks + intro, asked = ask, received = receive, intros = intro;
- ask readiness: ``trust`` and ``deepen`` done; an ask without it is an early ask;
- follow-ups: open until done (``follow_up_done``); an intro is followed up 30 days on;
- health: one number 0-100 per contact (the formula is in ``health_of`` below);
- unanswered: the why or the offer, when it is neither written nor its step done;
- the weekly review: this week's gives, asks, reflections, and who became due;
- coming up: birthdays and dates to remember in the next 14 days, with the age or the
  number of years when the year is known (29 February is kept on the 28th in other
  years);
- the pool: an imported contact (it has a ``source``) with no why, no step done and no
  linked reflection whose kind is not ``note``: in the address book, not yet in the
  network.  It is listed and found by search, but left out of what asks for action
  (due, without a why, stuck, the checklist, the review's became-due) until chosen.
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, NamedTuple

# The words only: the facts are computed from the model's objects, which the callers
# hand in (importing netjournal.model here would put it on the app's start path: the
# dashboard imports this module, and its first screen may come from a kept view).
from netjournal.vocab import DEFAULT_CADENCE, GIVE_KINDS, STEP_KEYS, STUCK_DAYS, TOUCH_KINDS, parse_date

if TYPE_CHECKING:
    from netjournal.model import Contact, Reflection, YearlyDate


NOT_CONNECTED = "not yet connected"
OVERDUE = "overdue"
DUE = "due"
OK = "ok"


@dataclass
class ContactFacts:
    """Everything the product says about one contact, derived from the files."""

    contact: Contact
    cadence: int
    last_touch: str | None = None
    due: str | None = None
    status: str = NOT_CONNECTED
    days_overdue: int = 0
    gave: int = 0
    asked: int = 0
    received: int = 0
    early_asks: list[str] = field(default_factory=list)  # reflection paths
    reflections: list[str] = field(default_factory=list)  # linked, newest first
    stuck_since: str | None = None  # last step date when stuck, else None
    pool: bool = False  # imported, not yet chosen (see the module's docstring)
    intros: int = 0  # intros that introduced them to someone (each also counts in gave)
    health: int = 0  # 0-100: see health_of
    health_reasons: list[str] = field(default_factory=list)  # what keeps it below 100
    once_healthy: bool = False  # health was HEALTHY or more on the day of one of their touches

    @property
    def ask_ready(self) -> bool:
        return self.contact.ask_ready

    @property
    def ask_readiness(self) -> str:
        """Ask readiness in the article's words."""
        return ask_readiness_text(self.contact)

    @property
    def unanswered(self) -> list[str]:
        return unanswered(self.contact)


def unanswered(contact: Contact) -> list[str]:
    """``"why"`` and/or ``"offer"``: the first two steps when neither their answer is
    written nor the step marked done.  The one fact behind every "no why yet" / "no
    offer yet" the app and the CLI show: a step marked done is never also flagged
    as missing, even with its words not written down."""
    return [key for key, words in (("why", contact.why), ("offer", contact.offer))
            if not words.strip() and not contact.steps[key].done]


MISSING_ANSWER = {
    "why": "No why yet: why do you want this relationship? Be selective.",
    "offer": "No offer yet: what can you give them, with what you have?",
}


def missing_answer(contact: Contact, key: str) -> str | None:
    """What to say in place of an empty why or offer (``key``), or None when it is
    written: the question while it is unanswered, else when its step was done."""
    if (contact.why if key == "why" else contact.offer).strip():
        return None
    if key in unanswered(contact):
        return MISSING_ANSWER[key]
    return f"Step done on {contact.steps[key].date}, not written down."


def ask_readiness_text(contact: Contact) -> str:
    trust, deepen = contact.steps["trust"].done, contact.steps["deepen"].done
    if trust and deepen:
        return "Ready to ask: trust is earned and the relationship goes deeper than small talk."
    if not trust and not deepen:
        return "Not ready to ask: earn trust and go deeper first."
    if not trust:
        return "Not ready to ask: earn their trust first (help them build themselves up)."
    return "Not ready to ask: go deeper first (tell them what of theirs helped you)."


def effective_cadence(contact: Contact, default: int | None) -> int:
    """The contact's cadence, else the journal's default, else 30 days."""
    return contact.cadence or default or DEFAULT_CADENCE


def ready_since(contact: Contact) -> str | None:
    """The date from which asking was fair (both trust and deepen done), if ever."""
    trust, deepen = contact.steps["trust"].date, contact.steps["deepen"].date
    if trust and deepen:
        return max(trust, deepen)
    return None


def is_early_ask(reflection: Reflection, contact: Contact) -> bool:
    """An ask made before trust and deepen were both done (on the ask's date)."""
    if reflection.kind != "ask":
        return False
    since = ready_since(contact)
    return since is None or reflection.date < since


def compute_facts(
    contacts: Iterable[Contact],
    reflections: Iterable[Reflection],
    today: _dt.date,
    default_cadence: int | None = None,
) -> dict[str, ContactFacts]:
    """Facts for every contact (by slug), from the contacts and all reflections."""
    facts = {c.slug: ContactFacts(c, effective_cadence(c, default_cadence)) for c in contacts}
    newest = sorted(reflections, key=lambda r: (r.date, r.path), reverse=True)
    for reflection in newest:
        for slug in reflection.links:
            fact = facts.get(slug)
            if fact is None:
                continue
            fact.reflections.append(reflection.path)
            if reflection.is_touch and (fact.last_touch is None or reflection.date > fact.last_touch):
                fact.last_touch = reflection.date
            if reflection.kind in GIVE_KINDS:
                fact.gave += 1
                if reflection.kind == "intro":
                    fact.intros += 1
            elif reflection.kind == "ask":
                fact.asked += 1
                if is_early_ask(reflection, fact.contact):
                    fact.early_asks.append(reflection.path)
            elif reflection.kind == "receive":
                fact.received += 1
    stuck_before = (today - _dt.timedelta(days=STUCK_DAYS)).isoformat()
    for fact in facts.values():
        if fact.last_touch:
            due = parse_date(fact.last_touch) + _dt.timedelta(days=fact.cadence)  # type: ignore[operator]
            fact.due = due.isoformat()
            delta = (today - due).days
            fact.status = OVERDUE if delta > 0 else DUE if delta == 0 else OK
            fact.days_overdue = max(delta, 0)
        dates = [d for d in fact.contact.step_dates().values() if d]
        if fact.contact.progress < len(STEP_KEYS) and dates and max(dates) < stuck_before:
            fact.stuck_since = max(dates)
        fact.pool = in_pool(fact.contact, fact.last_touch)
    add_health(facts, {r.path: r for r in newest}, today)
    return facts


def in_pool(contact: Contact, last_touch: str | None) -> bool:
    """Imported and not yet chosen: a ``source``, no why, no step done, and no linked
    reflection other than notes (``last_touch`` is the newest such one)."""
    return bool(contact.source) and not contact.why.strip() and contact.progress == 0 and last_touch is None


def due_now(facts: Iterable[ContactFacts], *, include_archived: bool = False) -> list[ContactFacts]:
    """Contacts due today or overdue, most overdue first."""
    rows = [
        f for f in facts
        if f.status in (OVERDUE, DUE) and not f.pool and (include_archived or not f.contact.archived)
    ]
    return sorted(rows, key=lambda f: (f.due or "", f.contact.name.lower()))


def not_connected(facts: Iterable[ContactFacts]) -> list[ContactFacts]:
    return sorted(
        (f for f in facts if f.status == NOT_CONNECTED and not f.contact.archived and not f.pool),
        key=lambda f: f.contact.name.lower(),
    )


@dataclass
class EarlyAsk:
    reflection: Reflection
    contact: Contact


def early_asks(facts: dict[str, ContactFacts], reflections: dict[str, Reflection]) -> list[EarlyAsk]:
    """Asks made before trust and deepen were done, newest first."""
    found = [
        EarlyAsk(reflections[path], fact.contact)
        for fact in facts.values()
        for path in fact.early_asks
        if path in reflections
    ]
    return sorted(found, key=lambda e: (e.reflection.date, e.reflection.path), reverse=True)


def week_bounds(day: _dt.date) -> tuple[_dt.date, _dt.date]:
    """Monday and Sunday of the ISO week holding ``day``."""
    monday = day - _dt.timedelta(days=day.weekday())
    return monday, monday + _dt.timedelta(days=6)


@dataclass
class WeeklyReview:
    start: str
    end: str
    gives: list[Reflection]
    asks: list[Reflection]
    early: list[EarlyAsk]
    reflections: list[Reflection]
    touched: list[Contact]
    became_due: list[ContactFacts]
    follow_ups: list[Reflection]
    coming_up: list["Upcoming"] = field(default_factory=list)  # see review_coming_up


def weekly_review(
    facts: dict[str, ContactFacts], reflections: Iterable[Reflection], day: _dt.date
) -> WeeklyReview:
    """What the week holding ``day`` looked like: gives, asks, reflections, who became due."""
    monday, sunday = week_bounds(day)
    start, end = monday.isoformat(), sunday.isoformat()
    everything = sorted(reflections, key=lambda r: (r.date, r.path))
    in_week = [r for r in everything if start <= r.date <= end]
    by_path = {r.path: r for r in in_week}
    touched_slugs = dict.fromkeys(s for r in in_week if r.is_touch for s in r.links if s in facts)
    return WeeklyReview(
        start=start,
        end=end,
        gives=[r for r in in_week if r.kind in GIVE_KINDS],
        asks=[r for r in in_week if r.kind == "ask"],
        early=[e for e in early_asks(facts, by_path)],
        reflections=in_week,
        touched=[facts[s].contact for s in touched_slugs],
        became_due=sorted(
            (f for f in facts.values()
             if f.due and start <= f.due <= end and not f.contact.archived and not f.pool),
            key=lambda f: f.due or "",
        ),
        follow_ups=[r for r in everything
                    if r.follow_up and not r.follow_up_done and start <= r.follow_up <= end],
    )


def gives_per_week(reflections: Iterable[Reflection], today: _dt.date, weeks: int = 12) -> list[int]:
    """Count of gives (give + thanks) in each of the last ``weeks`` weeks, oldest first."""
    monday, _ = week_bounds(today)
    first = monday - _dt.timedelta(weeks=weeks - 1)
    counts = [0] * weeks
    for r in reflections:
        if r.kind not in GIVE_KINDS:
            continue
        day = parse_date(r.date)
        if day is None or day < first or day > monday + _dt.timedelta(days=6):
            continue
        counts[(day - first).days // 7] += 1
    return counts


# The article's reference-letter story: don't suddenly ask a favour of someone who
# barely knows you; earn their trust and go deeper first.
EARLY_ASK_WARNING = (
    "Asking a favour now? The article warns against suddenly asking for a favour (like a "
    "reference letter) from someone who barely knows you: how can they put their reputation "
    "on the line for you? Earn their trust and go deeper first."
)


def early_ask_warning(contacts: Iterable[Contact]) -> str | None:
    """The warning for recording an ask with contacts who are not ask-ready, naming
    each of them and what is missing; None when all are ready."""
    lines = [f"{c.name}: {ask_readiness_text(c)}" for c in contacts if not c.ask_ready]
    if not lines:
        return None
    return EARLY_ASK_WARNING + "\n\n" + "\n".join(lines)


# --------------------------------------------------------------------------- follow-ups

INTRO_FOLLOW_UP_DAYS = 30  # an intro without its own follow-up date is asked about then

DONE = "done"
UPCOMING = "upcoming"


@dataclass
class FollowUp:
    """A reflection to come back to: one with a ``follow_up`` date, or an intro.

    An intro (two or more contacts introduced) is followed up on its own date, else
    INTRO_FOLLOW_UP_DAYS after it, with a question: "How did the introduction of A
    and B go?". It is closed by ``follow_up_done``, or by a later reflection linked
    to everyone it introduced (``closed_by``)."""

    reflection: Reflection
    due: str
    done: str | None = None
    introduced: list[str] = field(default_factory=list)  # slugs, for an intro
    question: str | None = None  # for an intro
    closed_by: str | None = None  # path of the reflection that closed an intro

    @property
    def is_open(self) -> bool:
        return self.done is None

    def status(self, today: _dt.date) -> str:
        """``done``, ``overdue``, ``due`` (today) or ``upcoming``."""
        if self.done:
            return DONE
        day = today.isoformat()
        return OVERDUE if self.due < day else DUE if self.due == day else UPCOMING

    def days_overdue(self, today: _dt.date) -> int:
        """Days past the due date (negative: days still to go)."""
        return (today - parse_date(self.due)).days  # type: ignore[operator]


def introduction_question(names: list[str]) -> str:
    """"How did the introduction of A and B go?" (A, B and C for three)."""
    people = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"How did the introduction of {people} go?"


def _intro_closed_by(intro: Reflection, introduced: list[str], facts: dict[str, ContactFacts],
                     by_path: dict[str, Reflection]) -> Reflection | None:
    """The first reflection dated after ``intro`` that links everyone it introduced."""
    found = None
    for path in facts[introduced[0]].reflections:  # newest first
        other = by_path.get(path)
        if other is None:
            continue
        if other.date <= intro.date:
            break
        if all(slug in other.links for slug in introduced):
            found = other
    return found


def follow_ups(facts: dict[str, ContactFacts], by_path: dict[str, Reflection],
               today: _dt.date) -> list[FollowUp]:
    """Every follow-up: the open ones by due date (oldest first), then the done ones
    (most recently done first)."""
    found: list[FollowUp] = []
    for reflection in by_path.values():
        introduced = [s for s in reflection.links if s in facts] if reflection.kind == "intro" else []
        if len(introduced) < 2:
            introduced = []
        if not reflection.follow_up and not introduced:
            continue
        day = parse_date(reflection.date)
        due = reflection.follow_up or (day + _dt.timedelta(days=INTRO_FOLLOW_UP_DAYS)).isoformat()  # type: ignore[operator]
        item = FollowUp(reflection, due, reflection.follow_up_done, introduced)
        if introduced:
            item.question = introduction_question([facts[s].contact.name for s in introduced])
            if item.done is None:
                closer = _intro_closed_by(reflection, introduced, facts, by_path)
                if closer is not None:
                    item.done, item.closed_by = closer.date, closer.path
        found.append(item)
    open_items = sorted((f for f in found if f.is_open), key=lambda f: (f.due, f.reflection.date, f.reflection.path))
    done_items = sorted((f for f in found if not f.is_open),
                        key=lambda f: (f.done or "", f.reflection.path), reverse=True)
    return open_items + done_items


def follow_ups_due(items: Iterable[FollowUp], today: _dt.date, days: int = 7) -> list[FollowUp]:
    """What the dashboard lists: every open follow-up that is overdue (however long
    ago), due today or due within ``days``; an intro's question only from its day on.
    Oldest first."""
    soon = (today + _dt.timedelta(days=days)).isoformat()
    now = today.isoformat()
    rows = [
        f for f in items
        if f.is_open and f.due <= (soon if f.reflection.follow_up else now)
    ]
    return sorted(rows, key=lambda f: (f.due, f.reflection.date, f.reflection.path))


# --------------------------------------------------------------------------- health
#
# One number, 0-100, for how a relationship is doing, from four things the journal
# knows, as of a day D (today, unless said):
#
#   R, recency: 1 while the last touch is within the cadence; after that it decays
#      smoothly, R = H / (H + days overdue), with a half-life H = cadence x (1 + years
#      of tenure): a month overdue halves a new relationship's R; a five-year one
#      touched 13 months ago (cadence 30) keeps a third of it.  Never touched: R = 0.
#   Q, reciprocity over the past year: (gives + 1) / (asks + early asks + 1), at most
#      1.  Gives are give, thanks and intro reflections; an early ask (made before
#      trust and deepen were done) counts twice.  No exchange at all is 1.
#   S, progress: steps done by D, out of 6.
#   T, tenure: the years the relationship has been lived, from the first touch (or
#      the connect step, if earlier) to the last touch -- not to D, so that years of
#      silence do not count as tenure -- as T = years / (years + 1): half after a
#      year, 0.83 after five.  The same years slow R's decay.
#
#   health = round(100 x R x (0.55 + 0.30 S + 0.15 T) x (0.5 + 0.5 Q))
#
# So a relationship you keep up, give to and have walked through the steps for years
# is near 100; touched just now with nothing else behind it, 55; only asking halves
# it; neglect takes it towards 0, slower the longer it has lasted.
#
# "Once healthy": health was HEALTHY or more on the day of one of their touches (a
# touch day is when R is 1, so that is the relationship at its best). The dashboard's
# "Needs care" lists those once healthy whose health is now below NEEDS_CARE, lowest
# first: relationships that went somewhere and are slipping.

HEALTHY = 70
NEEDS_CARE = 50
RECIPROCITY_DAYS = 365
NEW_DAYS = 90  # younger than this, tenure is named among the reasons


class _Touch(NamedTuple):  # a tuple: tens of thousands are made per change
    day: _dt.date
    kind: str
    early: bool


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _tenure_start(contact: Contact, touches: list[_Touch], on: _dt.date) -> _dt.date | None:
    starts = [t.day for t in touches if t.day <= on]
    connect = parse_date(contact.steps["connect"].date)
    if connect is not None and connect <= on:
        starts.append(connect)
    return min(starts) if starts else None


def _health_score(recency: float, steps: int, years: float, gives: int, asks: int, early: int) -> int:
    reciprocity = min(1.0, (gives + 1) / (asks + early + 1))
    built = 0.55 + 0.30 * steps / len(STEP_KEYS) + 0.15 * years / (years + 1)
    return round(100 * recency * built * (0.5 + 0.5 * reciprocity))


def health_of(contact: Contact, cadence: int, touches: list[_Touch], on: _dt.date) -> tuple[int, list[str]]:
    """The health of one relationship as of ``on`` and the reasons it is not 100
    (the formula is above)."""
    past = [t for t in touches if t.day <= on]
    if not past:
        return 0, ["not yet connected: no touch recorded"]
    last = max(t.day for t in past)
    start = _tenure_start(contact, past, on)
    years = max((last - start).days, 0) / 365.25 if start else 0.0
    overdue = max((on - last).days - cadence, 0)
    half_life = cadence * (1 + years)
    recency = 1.0 if overdue == 0 else half_life / (half_life + overdue)
    year_ago = on - _dt.timedelta(days=RECIPROCITY_DAYS)
    recent = [t for t in past if t.day > year_ago]
    gives = sum(1 for t in recent if t.kind in GIVE_KINDS)
    asks = sum(1 for t in recent if t.kind == "ask")
    early = sum(1 for t in recent if t.early)
    steps = sum(1 for d in contact.step_dates().values() if d and d <= on.isoformat())
    score = _health_score(recency, steps, years, gives, asks, early)
    reasons = []
    if overdue:
        reasons.append(f"overdue {_plural(overdue, 'day')}")
    if asks + early > gives:  # reciprocity below 1
        ask_words = _plural(asks, "ask") + (f" ({early} early)" if early else "")
        reasons.append(f"{ask_words}, {_plural(gives, 'give')} in the past year")
    if steps < len(STEP_KEYS):
        reasons.append(f"{steps} of {len(STEP_KEYS)} steps done")
    if start and (on - start).days < NEW_DAYS:
        reasons.append(f"a new relationship: first touch {_plural((on - start).days, 'day')} ago")
    return score, reasons


def _once_healthy(contact: Contact, touches: list[_Touch]) -> bool:
    """Whether health reached HEALTHY on the day of any touch (R is 1 on such a day),
    walking the touches once in date order with a one-year window for reciprocity."""
    ordered = sorted(touches, key=lambda t: t.day)
    step_days = sorted(d for d in (parse_date(v) for v in contact.step_dates().values()) if d)
    connect = parse_date(contact.steps["connect"].date)
    first = ordered[0].day
    window: deque[_Touch] = deque()
    gives = asks = early = steps_done = at = 0
    while at < len(ordered):
        day = ordered[at].day
        while at < len(ordered) and ordered[at].day == day:
            touch = ordered[at]
            window.append(touch)
            gives += touch.kind in GIVE_KINDS
            asks += touch.kind == "ask"
            early += touch.early
            at += 1
        year_ago = day - _dt.timedelta(days=RECIPROCITY_DAYS)
        while window[0].day <= year_ago:
            gone = window.popleft()
            gives -= gone.kind in GIVE_KINDS
            asks -= gone.kind == "ask"
            early -= gone.early
        while steps_done < len(step_days) and step_days[steps_done] <= day:
            steps_done += 1
        start = min(first, connect) if connect is not None and connect <= day else first
        if _health_score(1.0, steps_done, (day - start).days / 365.25, gives, asks, early) >= HEALTHY:
            return True
    return False


def add_health(facts: dict[str, ContactFacts], by_path: dict[str, Reflection], today: _dt.date) -> None:
    """Fill in ``health``, ``health_reasons`` and ``once_healthy`` of every contact."""
    days: dict[str, _dt.date | None] = {}  # each date parsed once, not once per link
    for fact in facts.values():
        early = set(fact.early_asks)
        touches = []
        for path in fact.reflections:
            reflection = by_path.get(path)
            if reflection is None or reflection.kind not in TOUCH_KINDS:
                continue
            day = days.get(reflection.date, _dt.date.min)
            if day is _dt.date.min:
                day = days[reflection.date] = parse_date(reflection.date)
            if day is not None and day <= today:
                touches.append(_Touch(day, reflection.kind, path in early))
        fact.health, fact.health_reasons = health_of(fact.contact, fact.cadence, touches, today)
        fact.once_healthy = bool(touches) and _once_healthy(fact.contact, touches)


def needs_care(facts: Iterable[ContactFacts]) -> list[ContactFacts]:
    """Relationships that were once healthy and are now below NEEDS_CARE, lowest first."""
    rows = [f for f in facts if f.once_healthy and f.health < NEEDS_CARE and not f.contact.archived]
    return sorted(rows, key=lambda f: (f.health, f.contact.name.lower()))


# --------------------------------------------------------------------------- coming up

COMING_UP_DAYS = 14
BIRTHDAY = "birthday"


@dataclass
class Upcoming:
    """A birthday or a date to remember that falls on ``on``, ``in_days`` from today."""

    contact: Contact
    label: str  # "birthday", or the date's label as written
    written: str  # the date as the file holds it (1990-04-15, --06-14)
    on: _dt.date  # the day it falls on this time
    in_days: int
    years: int | None  # the age they turn, or the years since; None when the year is unknown
    is_birthday: bool = False  # the contact's ``birthday`` (not a date labelled so)

    def when(self) -> str:
        """"today", "tomorrow", "in 6 days"."""
        return "today" if self.in_days == 0 else "tomorrow" if self.in_days == 1 else f"in {self.in_days} days"

    def words(self) -> str:
        """"turns 36", "5 years", or "" without a year."""
        if self.years is None:
            return ""
        if self.is_birthday:
            return f"turns {self.years}"
        return f"{self.years} year{'s' if self.years != 1 else ''}"


def next_day(date: YearlyDate, today: _dt.date) -> _dt.date:
    """The first day on or after ``today`` that ``date`` falls on: its own day when it
    has a year still ahead, else this year's or next year's anniversary."""
    if date.year is not None:
        first = date.on(date.year)
        if first >= today:
            return first
    this_year = date.on(today.year)
    return this_year if this_year >= today else date.on(today.year + 1)


@dataclass(frozen=True)
class Remembered:
    """A contact's birthday, or one of their ``dates``, that is a date."""

    label: str  # "birthday", or the date's label ("date" when it has none)
    written: str  # as the file holds it
    date: YearlyDate
    is_birthday: bool


def remembered_dates(contact: Contact) -> list[Remembered]:
    """The contact's birthday and ``dates`` that are dates (text such as ``circa 1815``
    and impossible dates are left out), the birthday first."""
    from netjournal.model import yearly_date

    found = []
    birthday = yearly_date(contact.birthday) if contact.birthday else None
    if birthday is not None:
        found.append(Remembered(BIRTHDAY, contact.birthday, birthday, True))
    for label, written in contact.dates:
        date = yearly_date(written)
        if date is not None:
            found.append(Remembered(label or "date", written, date, False))
    return found


def upcoming_dates(contact: Contact, today: _dt.date, days: int = COMING_UP_DAYS) -> list[Upcoming]:
    """The contact's birthday and dates falling today or in the next ``days`` days."""
    found = []
    for item in remembered_dates(contact):
        on = next_day(item.date, today)
        if (on - today).days > days:
            continue
        years = on.year - item.date.year if item.date.year is not None else None
        found.append(Upcoming(contact, item.label, item.written, on, (on - today).days,
                              years if years is not None and years >= 1 else None, item.is_birthday))
    return sorted(found, key=lambda u: (u.on, not u.is_birthday))


def coming_up(facts: Iterable[ContactFacts], today: _dt.date, days: int = COMING_UP_DAYS) -> list[Upcoming]:
    """Every birthday and date to remember in the next ``days`` days (today included),
    soonest first; archived contacts and the pool are left out, as from the rest of
    the dashboard."""
    found = [
        item for fact in facts if not fact.contact.archived and not fact.pool
        for item in upcoming_dates(fact.contact, today, days)
    ]
    return sorted(found, key=lambda u: (u.on, u.contact.name.lower(), u.contact.slug, not u.is_birthday))


def review_coming_up(facts: Iterable[ContactFacts], review: WeeklyReview, today: _dt.date,
                     days: int = COMING_UP_DAYS) -> list[Upcoming]:
    """What the review lists as coming up: the birthdays and dates in the ``days`` days
    from today when the week holds today, else from the Monday after the week."""
    start = parse_date(review.start)
    end = parse_date(review.end)
    assert start is not None and end is not None
    first = today if start <= today <= end else end + _dt.timedelta(days=1)
    return coming_up(facts, first, days)
