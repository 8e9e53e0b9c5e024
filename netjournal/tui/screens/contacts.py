"""Area 2: contacts. (Skeleton: being built.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class ContactsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Contacts")
        yield Footer()
