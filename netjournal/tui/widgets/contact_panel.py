"""The side panel of the contacts area: the highlighted contact at a glance.

Why and offer come first (the article: be selective, and see how you can help
first), then the six steps with their dates, then the reciprocity ledger.
"""

from __future__ import annotations

import datetime as _dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from netjournal.insights import ContactFacts, missing_answer
from netjournal.model import STEPS, parse_date
from netjournal.tui.safe import literal
from netjournal.tui.widgets.health_bar import health_bar



def short_date(value: str | None, today: _dt.date) -> str:
    """``22 May`` this year, ``22 May 2025`` otherwise; ``—`` for none."""
    day = parse_date(value)
    if day is None:
        return "—"
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


class ContactPanel(VerticalScroll, can_focus=False):
    """Shows one contact's why, offer, steps and ledger (read-only)."""

    def compose(self) -> ComposeResult:
        yield Static(id="panel-body")

    def show(self, facts: ContactFacts | None, today: _dt.date) -> None:
        body = self.query_one("#panel-body", Static)
        body.update(self.render_facts(facts, today) if facts else Text(""))
        self.scroll_home(animate=False)

    def _color(self, name: str, fallback: str) -> str:
        return self.app.theme_variables.get(name, fallback)

    def render_facts(self, facts: ContactFacts, today: _dt.date) -> RenderableType:
        contact = facts.contact
        heading = self._color("text-primary", "cyan") + " bold"
        warn = self._color("text-warning", "yellow")
        parts: list[RenderableType] = []

        title = literal(contact.name, "bold")
        if contact.archived:
            title.append("  archived", style="dim italic")
        parts.append(title)
        where = " · ".join(part for part in (contact.role, contact.org) if part)
        if where:
            parts.append(literal(where))
        if contact.tags:
            parts.append(literal(" ".join(f"#{t}" for t in contact.tags), "dim"))
        if facts.pool:
            pool = literal(f"In the pool: imported ({contact.source}). Write why you want to know them "
                           "(e) to choose them.", f"italic {self._color('text-accent', 'magenta')}")
            parts.append(pool)

        flagged = facts.unanswered
        for label, key, value in (("Why", "why", contact.why), ("Offer", "offer", contact.offer)):
            line = Text("\n")
            line.append(f"{label}: ", style=heading)
            missing = missing_answer(contact, key)
            if missing is None:
                line.append_text(literal(value))
            else:
                line.append(missing, style=f"{warn} italic" if key in flagged else "dim italic")
            parts.append(line)

        parts.append(Text(f"\nSteps {contact.progress}/{len(STEPS)}", style=heading))
        parts.append(self._steps_table(facts, today))

        parts.append(Text("\nLedger", style=heading))
        # Give and receive side by side (is it reciprocal?), asks on their own line.
        intros = f" ({facts.intros} intro{'s' if facts.intros != 1 else ''})" if facts.intros else ""
        parts.append(Text(f"gave {facts.gave}{intros} · received {facts.received}"))
        asks = Text(f"asked {facts.asked}")
        if facts.early_asks:
            asks.append(f" · {len(facts.early_asks)} too early", style=self._color("text-error", "red"))
        parts.append(asks)
        ready = self._color("text-success", "green") if facts.ask_ready else warn
        parts.append(Text(facts.ask_readiness, style=ready))
        if facts.last_touch:
            health = Text("\nHealth ", style=heading)
            health.append_text(health_bar(facts.health, self.app.theme_variables))
            parts.append(health)
            if facts.health_reasons:
                parts.append(Text("; ".join(facts.health_reasons), style="dim"))
        return Group(*parts)

    def _steps_table(self, facts: ContactFacts, today: _dt.date) -> Table:
        done_style = self._color("text-success", "green")
        grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        for step in STEPS:
            state = facts.contact.steps[step.key]
            if state.done:
                mark = Text("●", style=done_style)
                when = Text(short_date(state.date, today))
            else:
                mark = Text("○", style="dim")
                when = Text("")
            note = literal(state.note or "", "dim")
            grid.add_row(mark, Text(step.key.capitalize()), when, note)
        return grid
