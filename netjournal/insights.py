"""Derived facts, computed in one place for the CLI and the TUI alike.

- last touch: the newest linked reflection whose kind is not ``note``;
- due: last touch + cadence; never touched is "not yet connected", not due;
- ledger: gave = give + thanks, asked = ask, received = receive;
- ask readiness: ``trust`` and ``deepen`` done; an ask without it is an early ask;
- unanswered: the why or the offer, when it is neither written nor its step done;
- the weekly review: this week's gives, asks, reflections, and who became due;
- the pool: an imported contact (it has a ``source``) with no why, no step done and no
  linked reflection whose kind is not ``note``: in the address book, not yet in the
  network.  It is listed and found by search, but left out of what asks for action
  (due, without a why, stuck, the checklist, the review's became-due) until chosen.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable

from netjournal.model import (
    DEFAULT_CADENCE,
    GIVE_KINDS,
    STEP_KEYS,
    Contact,
    Reflection,
    parse_date,
)

STUCK_DAYS = 60

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
    for reflection in sorted(reflections, key=lambda r: (r.date, r.path), reverse=True):
        for slug in reflection.links:
            fact = facts.get(slug)
            if fact is None:
                continue
            fact.reflections.append(reflection.path)
            if reflection.is_touch and (fact.last_touch is None or reflection.date > fact.last_touch):
                fact.last_touch = reflection.date
            if reflection.kind in GIVE_KINDS:
                fact.gave += 1
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
        follow_ups=[r for r in everything if r.follow_up and start <= r.follow_up <= end],
    )


def follow_ups_due(reflections: Iterable[Reflection], today: _dt.date, days: int = 7) -> list[Reflection]:
    """Follow-ups falling within ``days`` of ``today``: the ones missed in the past
    ``days`` days and the ones coming in the next ``days`` days, soonest first."""
    start = (today - _dt.timedelta(days=days)).isoformat()
    end = (today + _dt.timedelta(days=days)).isoformat()
    found = [r for r in reflections if r.follow_up and start <= r.follow_up <= end]
    return sorted(found, key=lambda r: (r.follow_up or "", r.date, r.path))


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
