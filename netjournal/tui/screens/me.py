"""Your "me" card: what you want the people you chose to know about you.

The article's ultimate goal is to *be known*.  The card lives in ``netjournal.yaml``
(``me:``); this screen shows it as a form (one item per line) and ``ctrl+s`` writes
only the fields you changed, through ``Journal.update_me``.  Reached with ``m`` from
any area, or the palette's "Your card".
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from netjournal.journal import JournalError
from netjournal.me import FIELDS, LIST_FIELDS, QUESTION, MeCard
from netjournal.text import clean
from netjournal.tui.messages import JournalChanged
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header

INTRO = ("The ultimate goal of networking is not to know people but to be known by them: "
         f"your strengths and your goals, well enough to vouch for you. {QUESTION}")
HINT = "One item per line · ctrl+s saves to netjournal.yaml (only what you changed) · escape goes back"


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeScreen(JournalScreen):
    """The card as a form: name, strengths, goals, what I offer, what I am looking for."""

    CSS_PATH = "me.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_card", "Save", id="me.save", priority=True),
        Binding("escape", "leave", "Back", id="me.back"),
        Binding("tab", "app.focus_next", "Next field", show=False, id="me.focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, id="me.focus_previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.card = MeCard()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(INTRO, id="me-intro", classes="hint")
        with VerticalScroll(id="me-form"):
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="form-label")
                yield Input(placeholder="how they know you", compact=True, id="me-name")
            for key, label in FIELDS:
                if key == "name":
                    continue
                yield Label(label, classes="me-label")
                yield TextArea(id=f"me-{key}", classes="me-list", soft_wrap=True, show_line_numbers=False)
        yield Static(HINT, id="me-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Your card"
        self.title = "netjournal · your card"
        self.load()
        self.query_one("#me-name", Input).focus()

    def load(self) -> None:
        """Show the card as it is in netjournal.yaml now."""
        self.card = self.journal.me_card()
        # control characters never reach the terminal, not even inside a text box
        self.query_one("#me-name", Input).value = clean(self.card.name)
        for key in LIST_FIELDS:
            self.query_one(f"#me-{key}", TextArea).load_text("\n".join(clean(v) for v in self.card.value(key)))

    def changes(self) -> dict[str, Any]:
        """The fields whose text differs from the card as loaded."""
        found: dict[str, Any] = {}
        name = self.query_one("#me-name", Input).value.strip()
        if name != clean(self.card.name):
            found["name"] = name
        for key in LIST_FIELDS:
            items = lines_of(self.query_one(f"#me-{key}", TextArea).text)
            if items != [clean(v) for v in self.card.value(key)]:
                found[key] = items
        return found

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def on_journal_changed(self, _: JournalChanged) -> None:
        if not self.dirty:
            self.load()  # netjournal.yaml edited elsewhere: show it

    def action_save_card(self) -> None:
        changes = self.changes()
        if not changes:
            self.notify("Nothing changed.", markup=False, timeout=3)
            return
        try:
            self.journal.update_me(changes, seen=self.card)
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        self.load()
        self.notify("Your card is saved in netjournal.yaml.", markup=False, timeout=4)
        self.app.journal_changed()

    def action_leave(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.app.pop_screen()

        self.app.push_screen(ConfirmModal("Leave without saving the changes to your card?",
                                          yes="Discard them", no="Stay"), answered)
