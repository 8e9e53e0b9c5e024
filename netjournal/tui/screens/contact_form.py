"""The new/edit contact form. (Skeleton: being built.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class ContactFormScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="form.cancel")]

    def __init__(self, slug: str | None) -> None:
        super().__init__()
        self.slug = slug

    def compose(self) -> ComposeResult:
        yield Static("form")

    def action_cancel(self) -> None:
        self.dismiss(None)
