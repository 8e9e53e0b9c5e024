"""The per-contact checklist screen. (Skeleton: being built.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ContactScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="contact.back")]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.slug)
        yield Footer()
