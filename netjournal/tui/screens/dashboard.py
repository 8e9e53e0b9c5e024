"""Area 1, the start screen. The full dashboard (due list, follow-ups, early asks,
this week) arrives with the next release; until then it shows who is due."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal


class DashboardScreen(Screen):
    """Who is due, at a glance."""

    CSS_PATH = "dashboard.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_contact", "New contact", id="dashboard.new"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield Static("Dig your well before you are thirsty", classes="area-title")
            yield Vertical(id="dashboard-body")
            yield Static(
                "The full dashboard (follow-ups, early asks, this week's gives) comes in the next release. "
                "Press 2 for contacts, 4 for the checklist, ? for every key.",
                id="dashboard-later", classes="hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        self.refresh_data()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        journal = self.app.journal  # type: ignore[attr-defined]
        body = self.query_one("#dashboard-body", Vertical)
        body.remove_children()
        empty = not journal.contacts(include_archived=True)
        self.query_one("#dashboard-later").display = not empty
        if empty:
            body.mount(Static(
                "Welcome. This journal has no contacts yet.\n\n"
                "Press n to add someone you want to know, and say why: be selective. "
                "Then note what you could give them, before you ever need to ask.\n\n"
                "(Or press ctrl+p and choose 'New contact'; ? lists every key.)",
                classes="welcome",
            ))
            return
        due = journal.due()
        if not due:
            body.mount(Static("Nobody is due a touch. Your well is dug.", classes="dim"))
        for fact in due:
            when = f"{fact.days_overdue} days overdue" if fact.days_overdue else "due today"
            line = Text()
            line.append_text(literal(fact.contact.name, "bold"))
            line.append(f"  {when}")
            if fact.contact.offer:
                line.append("  · you could give: ")
                line.append_text(literal(fact.contact.offer))
            body.mount(Static(line, classes="due-row"))

    def action_new_contact(self) -> None:
        self.app.action_new_contact()  # type: ignore[attr-defined]
