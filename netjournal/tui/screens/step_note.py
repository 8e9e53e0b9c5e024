"""A small dialog to write a step's note: enter saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from netjournal.model import Step
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal


class StepNoteScreen(JournalModal[str | None]):
    """Dismisses with the new note ('' clears it), or None when cancelled or unchanged."""

    CSS_PATH = "step_note.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="step_note.cancel"),
        Binding("enter", "save", "Save note", id="step_note.save", show=False),
    ]

    def __init__(self, step: Step, note: str | None) -> None:
        super().__init__()
        self.step = step
        # Control characters never reach the terminal, not even inside an Input.
        self.original = clean(note or "")

    def compose(self) -> ComposeResult:
        with Vertical(id="step-note-dialog", classes="dialog"):
            yield Static(literal(f"Note for '{self.step.label}'"), classes="dialog-title")
            yield Static(literal(self.step.question), classes="hint")
            yield Input(self.original, placeholder="What happened; what you did or promised",
                        id="step-note-input")
            yield Static("enter saves · escape cancels · an empty note removes it", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(None if value == self.original.strip() else value)

    def action_cancel(self) -> None:
        self.dismiss(None)
