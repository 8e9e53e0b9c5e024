"""Who a contact is (name, org, tags, why, offer) and where the relationship stands
(the reciprocity ledger, ask readiness, last touch, due)."""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from netjournal.insights import (
    BIRTHDAY, DUE, NOT_CONNECTED, OVERDUE, ContactFacts, Upcoming, missing_answer, unanswered,
)
from netjournal.model import Contact, Reflection, parse_date
from netjournal.tui.safe import literal
from netjournal.tui.widgets.health_bar import health_bar
from netjournal.tui.widgets.styled import component_style


class _Styled(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "summary--name",
        "summary--label",
        "summary--muted",
        "summary--warning",
        "summary--good",
    }

    def _style(self, name: str):
        return component_style(self, f"summary--{name}")


class ContactHeader(_Styled):
    """Name, org and role, tags; why and offer, flagged when missing."""

    def show(self, contact: Contact, *, pool: bool = False, upcoming: list[Upcoming] | None = None) -> None:
        text = Text()
        text.append_text(literal(contact.name, self._style("name")))
        where = ", ".join(part for part in (contact.role, contact.org) if part.strip())
        if where:
            text.append("  ·  ")
            text.append_text(literal(where))
        if contact.archived:
            text.append("  (archived)", self._style("muted"))
        if contact.tags:
            text.append("   ")
            text.append_text(literal("  ".join(f"#{tag}" for tag in contact.tags), self._style("muted")))
        reach = [part for part in (contact.email, contact.phone) if part]
        if reach or contact.links:
            text.append("\n")
            text.append_text(literal("  ·  ".join(reach), self._style("muted")))
            for link in contact.links:
                text.append("  ·  " if reach or link != contact.links[0] else "", self._style("muted"))
                text.append_text(literal(link, self._style("muted")))
        dates = self._dates(contact, upcoming or [])
        if dates:
            text.append("\n")
            text.append_text(dates)
        if pool:
            text.append("\n")
            text.append_text(literal(f"Imported ({contact.source}) and not yet chosen: it stays in the pool, "
                                     "off your dashboard, until you write why (e) or mark a step.",
                                     self._style("muted")))
        # A grid keeps wrapped why/offer lines indented under their text.
        grid = Table.grid()
        grid.add_column(width=7, no_wrap=True)
        grid.add_column(ratio=1)
        flagged = unanswered(contact)
        for label, key, value in (("Why", "why", contact.why), ("Offer", "offer", contact.offer)):
            missing = missing_answer(contact, key)
            if missing is None:
                shown = literal(value)
            elif key in flagged:
                shown = Text(f"⚠ {missing} (e edits)", self._style("warning"))
            else:
                shown = Text(f"{missing} (e edits)", self._style("muted"))
            grid.add_row(Text(label, self._style("label")), shown)
        self.update(Group(text, grid))


    def _dates(self, contact: Contact, upcoming: list[Upcoming]) -> Text:
        """"born 15 Apr 1990 · started at Harbourline 1 Mar 2021", what is coming up
        in bold with when ("turns 36, in 6 days")."""
        soon = {(u.is_birthday, u.label, u.written): u for u in upcoming}
        text = Text()
        shown = ([(True, BIRTHDAY, contact.birthday)] if contact.birthday else []) + \
            [(False, label or "date", day) for label, day in contact.dates]
        for is_birthday, label, day in shown:
            if text:
                text.append("  ·  ", self._style("muted"))
            words = birthday_words(day)
            text.append_text(literal(f"born {words}" if is_birthday else f"{label} {words}", self._style("muted")))
            item = soon.get((is_birthday, label, day))
            if item is not None:
                what = item.words()
                text.append(f" ({what + ', ' if what else ''}{item.when()})", self._style("warning"))
        return text


class ContactLedger(_Styled):
    """Gave / asked / received, ask readiness in words, early asks, last touch and due."""

    def show(self, facts: ContactFacts, timeline: list[Reflection], today: _dt.date) -> None:
        style = self._style
        text = Text()
        for label, count in (("Gave", facts.gave), ("Asked", facts.asked), ("Received", facts.received)):
            if label != "Gave":
                text.append("  ·  ", style("muted"))
            text.append(f"{label} ", style("label"))
            text.append(str(count))
            if label == "Gave" and facts.intros:
                text.append(f" ({facts.intros} intro{'s' if facts.intros != 1 else ''})", style("muted"))
        text.append("\n")
        text.append(facts.ask_readiness, style("good") if facts.ask_ready else style("warning"))
        if facts.early_asks:
            titles = {r.path: r for r in timeline}
            count = len(facts.early_asks)
            text.append(f"\n⚠ {count} early ask{'s' if count != 1 else ''}, before trust and deepen",
                        style("warning"))
            for path in facts.early_asks:
                reflection = titles.get(path)
                if reflection:
                    text.append(f"\n  {reflection.date} ", style("muted"))
                    text.append_text(literal(reflection.title))
        text.append("\n")
        text.append("Last touch ", style("label"))
        text.append(facts.last_touch or "none yet")
        text.append(f"  ·  every {facts.cadence} days", style("muted"))
        text.append("\n")
        text.append_text(_status_line(facts, today, style))
        text.append("\n")
        text.append("Health ", style("label"))
        if facts.last_touch:
            text.append_text(health_bar(facts.health, self.app.theme_variables, width=10))
            text.append("\n")
            text.append("; ".join(facts.health_reasons) or "in touch, giving first, every step done",
                        style("muted"))
        else:
            text.append("none yet: not connected", style("muted"))
        self.update(text)


def birthday_words(value: str) -> str:
    """``1990-04-15`` → ``15 Apr 1990``, ``--04-15`` → ``15 Apr``; text as written."""
    if value.startswith("--") and len(value) == 7:
        day = parse_date(f"2000{value[1:]}")
        return f"{day.day} {day:%b}" if day else value
    day = parse_date(value)
    return f"{day.day} {day:%b} {day.year}" if day and len(value) == 10 else value


def _status_line(facts: ContactFacts, today: _dt.date, style) -> Text:
    if facts.status == NOT_CONNECTED:
        return Text("Not yet connected: no touch recorded yet.", style("warning"))
    if facts.status == OVERDUE:
        days = facts.days_overdue
        return Text(f"Overdue by {days} day{'s' if days != 1 else ''} (was due {facts.due})", style("warning"))
    if facts.status == DUE:
        return Text("Due today", style("warning"))
    due = parse_date(facts.due)
    left = (due - today).days if due else 0
    return Text(f"Next touch due {facts.due} (in {left} day{'s' if left != 1 else ''})", style("good"))
