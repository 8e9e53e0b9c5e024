"""At start: unsaved editor work left by a crash or a closed terminal, offered back."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal


class DraftsScreen(JournalModal[None]):
    """Recover a draft into the editor, or discard it; escape decides later."""

    CSS_PATH = "drafts.tcss"
    BINDINGS = [
        Binding("enter,r", "recover_draft", "Recover", id="drafts.recover"),
        Binding("d,delete", "discard_draft", "Discard", id="drafts.discard"),
        Binding("escape", "close", "Later", id="drafts.later"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="drafts-dialog", classes="dialog"):
            yield Static("Unsaved reflections were left behind", classes="dialog-title")
            yield Static("The app closed before they were saved. Recover one to keep writing, "
                         "or discard it.", classes="hint")
            yield DataTable(id="drafts-table", cursor_type="row", zebra_stripes=True)
            yield Static("enter recovers · d discards · escape asks again next time", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Kept at", "Title", "Of")
        self.refresh_drafts()
        table.focus()

    def refresh_drafts(self) -> None:
        self.drafts: list[dict[str, Any]] = self.journal.drafts()
        if not self.drafts:
            self.dismiss(None)
            return
        table = self.query_one(DataTable)
        table.clear()
        for draft in self.drafts:
            title = draft.get("title") or "(no title yet)"
            table.add_row(literal(str(draft.get("saved_at", "")).replace("T", " ")), literal(title),
                          literal(draft.get("path") or "a new reflection"))

    def _current(self) -> dict[str, Any] | None:
        table = self.query_one(DataTable)
        if not self.drafts or table.cursor_row >= len(self.drafts):
            return None
        return self.drafts[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_recover_draft()

    def action_recover_draft(self) -> None:
        from netjournal.tui.screens.editor import EditorScreen

        draft = self._current()
        if draft is None:
            return
        self.dismiss(None)
        self.app.push_screen(EditorScreen(draft=draft))

    def action_discard_draft(self) -> None:
        draft = self._current()
        if draft is None:
            return
        self.journal.discard_draft(draft["key"])
        self.notify("Draft discarded.", markup=False, timeout=3)
        self.refresh_drafts()

    def action_close(self) -> None:
        self.dismiss(None)
