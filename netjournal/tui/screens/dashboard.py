"""Area 1, the start screen. The full dashboard (due list, follow-ups, early asks,
this week) arrives with the next release; until then it shows who is due."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal


class DashboardScreen(Screen):
    """Who is due, at a glance."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("Dig your well before you are thirsty", classes="area-title")
            yield Vertical(id="dashboard-body")
            yield Static(
                "The full dashboard (follow-ups, early asks, this week's gives) comes in the next release. "
                "Press 2 for contacts, 4 for the checklist, ? for every key.",
                classes="hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        journal = self.app.journal  # type: ignore[attr-defined]
        body = self.query_one("#dashboard-body", Vertical)
        body.remove_children()
        if not journal.contacts(include_archived=True):
            body.mount(Static(
                "Welcome. This journal has no contacts yet.\n\n"
                "Press 2, then n, to add someone you want to know, and say why. "
                "Or press ctrl+p and choose 'New contact'.",
                classes="welcome",
            ))
            return
        due = journal.due()
        if not due:
            body.mount(Static("Nobody is due a touch. Your well is dug.", classes="dim"))
        for fact in due:
            when = f"{fact.days_overdue} days overdue" if fact.days_overdue else "due today"
            line = literal(fact.contact.name, "bold")
            line.append(f"  {when}")
            if fact.contact.offer:
                line.append("  · you could give: ")
                line.append_text(literal(fact.contact.offer))
            body.mount(Static(line, classes="due-row"))
