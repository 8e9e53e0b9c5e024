"""``?``: every key of the screen underneath, from the same bindings the footer uses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from netjournal.tui.safe import literal


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(key, description) for every binding active on ``screen``, in order, once each."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action
        display = screen.app.get_key_display(binding)
        if description in ("", None) or (display, description) in seen:
            continue
        seen.add((display, description))  # type: ignore[arg-type]
        rows.append((display, description))
    return rows


class HelpScreen(ModalScreen[None]):
    """The keys of the screen you came from."""

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
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static("escape closes this", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "What it does")
        for key, description in describe_bindings(self.under):
            table.add_row(literal(key, "bold"), literal(description))
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
