"""Leaving the editor or a form with unsaved changes: save, discard, or stay."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from netjournal.tui.screens.base import JournalModal

Choice = Literal["save", "discard"]


class UnsavedChangesScreen(JournalModal["Choice | None"]):
    """Dismisses with "save", "discard", or None (stay in the editor)."""

    CSS_PATH = "unsaved_changes.tcss"
    BINDINGS = [
        Binding("s", "choose('save')", "Save", id="unsaved.save"),
        Binding("d", "choose('discard')", "Discard", id="unsaved.discard"),
        Binding("escape", "choose(None)", "Stay", id="unsaved.stay"),
    ]

    def __init__(self, what: str = "This reflection") -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-dialog", classes="dialog"):
            yield Static(f"{self.what} has unsaved changes", classes="dialog-title")
            yield Static("Save them, discard them, or stay and keep writing?", id="unsaved-question")
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", variant="primary", id="save")
                yield Button("Discard (d)", variant="error", id="discard")
                yield Button("Stay (esc)", id="stay")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = event.button.id
        self.action_choose(choice if choice in ("save", "discard") else None)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)  # type: ignore[arg-type]
