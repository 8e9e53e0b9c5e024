"""Areas that arrive in a later release: say so plainly, with a way onward."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PlaceholderScreen(Screen):
    AREA = ""
    MESSAGE = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="placeholder"):
            yield Static(self.AREA, classes="placeholder-title")
            yield Static(self.MESSAGE, classes="placeholder-text")
        yield Footer()
