"""Ask for a date range ("reflections since …"): two YYYY-MM-DD inputs, checked."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.validation import Function
from textual.widgets import Input, Label, Static

from netjournal.tui.screens.base import JournalModal
from netjournal.tui.screens.editor import valid_date

DateRange = tuple[str | None, str | None]


def _empty_or_date(value: str) -> bool:
    return not value.strip() or valid_date(value)


class DateRangeScreen(JournalModal["DateRange | None"]):
    """Dismisses with (since, until), either None when left empty, or None on escape."""

    CSS_PATH = "date_range.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date_range.cancel")]

    def __init__(self, since: str | None = None, until: str | None = None) -> None:
        super().__init__()
        self.since = since or ""
        self.until = until or ""

    def compose(self) -> ComposeResult:
        check = [Function(_empty_or_date, "a date as YYYY-MM-DD, or empty")]
        with Vertical(id="range-dialog", classes="dialog"):
            yield Static("Reflections since …", classes="dialog-title")
            with Horizontal(classes="range-row"):
                yield Label("Since", classes="range-label")
                yield Input(self.since, placeholder="YYYY-MM-DD", id="since", max_length=10, validators=check)
            with Horizontal(classes="range-row"):
                yield Label("Until", classes="range-label")
                yield Input(self.until, placeholder="YYYY-MM-DD (optional)", id="until", max_length=10,
                            validators=check)
            yield Static("", id="range-error")
            yield Static("enter applies · both empty shows every date · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#since", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        since = self.query_one("#since", Input).value.strip()
        until = self.query_one("#until", Input).value.strip()
        error = self.query_one("#range-error", Static)
        for name, value in (("since", since), ("until", until)):
            if not _empty_or_date(value):
                error.update(f"'{name}' must be a date written YYYY-MM-DD, e.g. 2026-10-01.")
                self.query_one(f"#{name}", Input).focus()
                return
        if since and until and until < since:
            error.update("'until' comes before 'since'.")
            self.query_one("#until", Input).focus()
            return
        self.dismiss((since or None, until or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
