"""Area 3. The reflections table, editor and preview arrive with the next release;
until then this area lists the newest reflections read-only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal


class ReflectionsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reflections (read-only until the editor arrives in the next release)", classes="area-title")
        yield DataTable(id="reflections-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Date", "Kind", "Title", "Contacts")
        self.refresh_data()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in self.app.journal.reflections():  # type: ignore[attr-defined]
            table.add_row(r.date, r.kind, literal(r.title), literal(", ".join(r.links)), key=r.path)
