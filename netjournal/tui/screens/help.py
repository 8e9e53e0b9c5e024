"""``?``: every key of the screen underneath, from the same bindings the footer uses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal


SECTIONS = ("On this screen", "Anywhere", "Also")


def key_name(screen: Screen, binding: Binding) -> str:
    """The key as the footer writes it, but words where a symbol is unclear."""
    return "enter" if binding.key == "enter" else screen.app.get_key_display(binding)


def describe_bindings(screen: Screen) -> list[tuple[str, str, str]]:
    """(section, key, description) for every binding active on ``screen``, once each:
    the screen's own keys, then the app's, then Textual's (lists, focus, copy)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        display = key_name(screen, binding)
        if (display, binding.description) in seen:
            continue
        seen.add((display, binding.description))
        if not binding.id:  # netjournal's bindings all have ids; Textual's do not
            section = SECTIONS[2]
        elif active.node is screen.app:
            section = SECTIONS[1]
        else:
            section = SECTIONS[0]
        rows.append((section, display, binding.description))
    return sorted(rows, key=lambda row: SECTIONS.index(row[0]))


class HelpScreen(JournalModal[None]):
    """The keys of the screen you came from."""

    CSS_PATH = "help.tcss"

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help.close2"),
        Binding("q", "dismiss", "Close", show=False, id="help.close3"),
    ]

    def __init__(self, under: Screen, title: str) -> None:
        super().__init__()
        self.under = under
        self.area_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(literal(f"Keys: {self.area_title}"), classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="none", zebra_stripes=True)
            yield Static("escape closes this", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does")
        section = None
        for where, key, description in describe_bindings(self.under):
            if where != section:
                section = where
                table.add_row("", literal(where, "bold italic"))
            table.add_row(literal(key, "bold"), literal(description))
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
