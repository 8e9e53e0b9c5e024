"""Area 4: checklist overview. (Skeleton: being built.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ChecklistScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Checklist")
        yield Footer()
