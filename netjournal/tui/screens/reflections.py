"""Area 3: every reflection, newest first, with its Markdown beside it.

``/`` filters as you type (title, tags, contact names), ``k`` cycles a kind,
``s`` (or the palette's "Reflections since …") sets a date range, ``ctrl+f``
searches the full text; ``enter`` opens the editor, ``n`` starts a new entry,
``delete`` moves one to the trash after asking.

Large journals stay responsive: each row's lower-case filter text is built once
per change, filtering is a pass over those strings, and the table draws only the
rows on screen (their cells are made when first drawn), so every keystroke filters
at once, with no pause for typing to stop.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Markdown, Static

from netjournal.journal import JournalError
from netjournal.model import KINDS
from netjournal.tui.follow_ups import toggle_follow_up
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal, markdown_source
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.date_range import DateRange, DateRangeScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from textual.app import App

KIND_CYCLE: tuple[str | None, ...] = (None, *KINDS)


@dataclass
class Row:
    """One reflection as the table shows it, with its filter text made once."""

    path: str
    date: str
    kind: str
    title: str
    who: str  # linked contacts' names
    hay: str  # lower-case title, tags, contact names and slugs
    early: bool = False  # an ask made before trust and deepen
    followable: bool = False  # has a follow-up, or is an intro: d marks it done
    _cells: tuple[object, ...] | None = None

    @property
    def cells(self) -> tuple[object, ...]:
        """The table cells, made when the row is first shown (most rows never are)."""
        if self._cells is None:
            kind = Text(self.kind)
            if self.early:
                kind.append(" !", "bold")
            self._cells = (self.date, kind, literal(self.title), literal(self.who))
        return self._cells


def date_range_words(since: str | None, until: str | None) -> str:
    """The range the filter applies, in words that say exactly that: an open end is
    open ("since 2026-10-01" lists later entries too, future-dated ones included)."""
    if since and until:
        return f"{since} to {until}"
    return f"since {since}" if since else f"until {until}"


class ReflectionsScreen(JournalScreen):
    """The reflections table, its filters, and a preview of the selected entry."""

    CSS_PATH = "reflections.tcss"
    PREVIEW_DELAY = 0.08  # the preview follows the cursor once it rests (reading a file, laying out Markdown)
    BINDINGS = [
        Binding("n", "new_reflection", "New", id="reflections.new"),
        Binding("enter", "open_reflection", "Open", id="reflections.open"),
        # Priority, as in the contacts area: "/" acts before the keys typed after it
        # are routed, so "/trust" typed fast all lands in the filter.
        Binding("slash", "filter_reflections", "Filter", priority=True, id="reflections.filter"),
        Binding("k", "cycle_kind", "Kind", id="reflections.kind"),
        Binding("s", "set_range", "Since…", id="reflections.range"),
        Binding("ctrl+f", "search_reflections", "Search", id="reflections.search", priority=True),
        Binding("delete", "delete_reflection", "Delete", id="reflections.delete"),
        # not in the footer (it is full at 100 columns); ? lists it
        Binding("d", "toggle_follow_up", "Follow-up done / open again", show=False,
                id="reflections.follow_up_done"),
        Binding("escape", "clear_filters", "Clear filters", id="reflections.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self.by_path: dict[str, Row] = {}
        self.shown: list[Row] = []
        self.filter_text = ""
        self.kind: str | None = None
        self.since: str | None = None
        self.until: str | None = None
        self.search_query: str | None = None
        self.search_paths: list[str] | None = None
        self.query_mode = "filter"
        self._preview_timer: Timer | None = None
        self._preview_path: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reflections", classes="area-title", id="reflections-title")
        yield Static(id="reflections-status", classes="hint")
        yield Input(id="reflections-query", compact=True)
        with Horizontal(id="reflections-main"):
            yield VirtualTable(lambda row: row.cells, key=lambda row: row.path, id="reflections-table")
            with VerticalScroll(id="reflections-preview", can_focus=False):
                yield Static(id="preview-meta")
                yield Markdown(id="preview-body", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        table.set_columns(self._columns(title=30, contacts=18))
        box = self.query_one("#reflections-query", Input)
        box.display = False
        # Watched rather than told by Input.Changed: the rows are filtered while the key
        # is handled, so the typed character and the rows it selects share one frame.
        self.watch(box, "value", self._query_changed, init=False)
        self.load_rows()
        self.show_rows()
        self._show_preview()
        table.focus()
        self.call_after_refresh(self.fit_columns)

    def on_virtual_table_resized(self, _: VirtualTable.Resized) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the title what the table's width leaves after date, kind and contacts."""
        table = self.table
        width = table.size.width - table.styles.scrollbar_size_vertical  # room for the scrollbar
        if width <= 0:
            return
        contacts = max(12, min(24, width // 4))
        title = max(12, width - 10 - 8 - contacts - 4 * 2 * table.CELL_PADDING)
        columns = table.columns
        if (columns["title"].width, columns["contacts"].width) != (title, contacts):
            table.set_columns(self._columns(title, contacts))

    @staticmethod
    def _columns(title: int, contacts: int) -> list[Column]:
        return [Column("date", "Date", 10), Column("kind", "Kind", 8),
                Column("title", "Title", title), Column("contacts", "Contacts", contacts)]

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#reflections-table", VirtualTable)

    # ------------------------------------------------------------------ data

    def load_rows(self) -> None:
        """Rebuild every row (after a change in the journal)."""
        journal = self.journal
        names = journal.contact_names()
        early = {e.reflection.path for e in journal.early_asks()}
        rows: list[Row] = []
        for r in journal.reflections():
            who = ", ".join([names.get(slug, slug) for slug in r.links])
            hay = f"{r.title} {' '.join(r.tags)} {who} {' '.join(r.links)}".lower()
            rows.append(Row(r.path, r.date, r.kind, r.title, who, hay, r.path in early,
                            bool(r.follow_up) or r.kind == "intro"))
        self.rows = rows
        self.by_path = {row.path: row for row in rows}
        # The journal's records and these rows live as long as the app. Without this,
        # every full garbage collection walks them all: on 10,000 reflections each walk
        # froze the UI for about half a second (see tests/perf/bench_reflections_tui.py).
        # Only here, not per filter: freezing also keeps whatever garbage exists at that
        # moment, so doing it on every keystroke leaked ~20 MB a filter.
        gc.freeze()
        if self.search_paths is not None:
            self.search_paths = [p for p in self.search_paths if p in self.by_path]

    def matching(self) -> list[Row]:
        """The rows that pass the search, kind, date range and filter, in order."""
        if self.search_paths is not None:
            rows = [self.by_path[p] for p in self.search_paths if p in self.by_path]
        else:
            rows = self.rows
        if self.kind:
            rows = [r for r in rows if r.kind == self.kind]
        if self.since:
            rows = [r for r in rows if r.date >= self.since]
        if self.until:
            rows = [r for r in rows if r.date <= self.until]
        for word in self.filter_text.lower().split():  # every word must match: one narrowing pass each
            rows = [r for r in rows if word in r.hay]
        return rows

    def current(self) -> Row | None:
        row = self.table.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    # ------------------------------------------------------------------ showing

    def show_rows(self, keep: str | None = None) -> None:
        """Show the matching rows, the cursor on ``keep`` (default: the current row) if
        it is among them, else on the first."""
        if keep is None and (row := self.current()) is not None:
            keep = row.path
        self.shown = self.matching()
        index = next((i for i, r in enumerate(self.shown) if r.path == keep), 0) if keep else 0
        self.table.set_rows(self.shown, index)
        self._show_status()
        self._preview_soon()

    def _show_status(self) -> None:
        text = Text()
        total = len(self.rows)
        text.append(f"{len(self.shown)} of {total} reflections" if len(self.shown) != total
                    else f"{total} reflections, newest first")
        if self.search_query is not None:
            text.append(" · search ")
            text.append_text(literal(f"“{self.search_query}”", "bold"))
        if self.kind:
            text.append(f" · kind {self.kind}")
        if self.since or self.until:
            text.append(f" · {date_range_words(self.since, self.until)}")
        if self.filter_text:
            text.append(" · filter ")
            text.append_text(literal(f"“{self.filter_text}”", "bold"))
        if self.search_query is not None or self.kind or self.since or self.until or self.filter_text:
            text.append("   escape clears", "dim")
        elif total:
            text.append("   ! marks an ask made before trust and deepen", "dim")
        self.query_one("#reflections-status", Static).update(text)

    def on_virtual_table_row_highlighted(self, _: VirtualTable.RowHighlighted) -> None:
        self._preview_soon()

    def _preview_soon(self) -> None:
        """Preview the current row once the cursor rests; say at once when nothing is shown."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        row = self.current()
        if row is None:
            self._show_preview()
        elif row.path != self._preview_path:
            self._preview_timer = self.set_timer(self.PREVIEW_DELAY, self._show_preview)

    def _show_preview(self) -> None:
        meta = self.query_one("#preview-meta", Static)
        body = self.query_one("#preview-body", Markdown)
        row = self.current()
        if row is None:
            self._preview_path = None
            if not self.rows:
                meta.update("No reflections yet.\n\nPress n to write one: what did you give, what did you "
                            "learn about them, how can you help them next?")
            else:
                meta.update("Nothing matches. Press escape to clear the filters.")
            body.update("")
            return
        if row.path == self._preview_path:
            return
        self._preview_path = row.path
        try:
            r = self.journal.reflection(row.path)
        except JournalError as exc:
            meta.update(literal(str(exc), oneline=False))
            body.update("")
            return
        names = self.journal.contact_names()
        text = literal(r.title, "bold")
        text.append("\n")
        text.append(f"{r.date} · {r.kind}")
        if r.links:
            text.append(" · with ")
            text.append_text(literal(", ".join(names.get(s, s) for s in r.links)))
        if r.follow_up:
            text.append(f" · follow up {r.follow_up}")
        if r.follow_up_done:
            text.append(f" (done {r.follow_up_done})")
        if r.tags:
            text.append(" · ")
            text.append_text(literal(" ".join(f"#{t}" for t in r.tags)))
        meta.update(text)
        body.update(markdown_source(r.body or ""))

    # ------------------------------------------------------------------ filters

    def _open_query(self, mode: str) -> None:
        box = self.query_one("#reflections-query", Input)
        self.query_mode = mode
        if mode == "search":
            box.placeholder = "search the text of every reflection, then enter"
            box.value = self.search_query or ""
        else:
            box.placeholder = "filter by title, tags or contact names"
            box.value = self.filter_text
        box.display = True
        self.set_focus(box)  # at once: box.focus() waits, and keys typed meanwhile were lost

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_reflections":  # in the box itself, "/" is text
            return self.focused is not self.query_one("#reflections-query", Input)
        return True

    def action_filter_reflections(self) -> None:
        self._open_query("filter")

    def action_search_reflections(self) -> None:
        self._open_query("search")

    def _query_changed(self, value: str) -> None:
        if self.query_mode == "filter":  # a search runs on enter, not as you type
            self._apply_filter(value)

    def _apply_filter(self, value: str) -> None:
        if value != self.filter_text:
            self.filter_text = value
            self.show_rows()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "reflections-query":
            return
        event.stop()
        value = event.value.strip()
        if self.query_mode == "search":
            self.search(value or None)
        else:
            self._apply_filter(event.value)
        self._close_query()

    def search(self, query: str | None) -> None:
        """Show the reflections whose text matches ``query`` (best first); None ends the search."""
        if query is None:
            self.search_query, self.search_paths = None, None
        else:
            hits = self.journal.search(query, limit=0, snippets=False)  # the table shows none
            self.search_query = query
            self.search_paths = [h.path for h in hits if h.kind == "reflection"]
        self.show_rows(keep=None if query is None else "")

    def _close_query(self) -> None:
        box = self.query_one("#reflections-query", Input)
        if self.query_mode == "search" or not self.filter_text:
            box.display = False
        else:
            box.value = self.filter_text
        self.table.focus()

    def action_cycle_kind(self) -> None:
        index = KIND_CYCLE.index(self.kind)
        self.kind = KIND_CYCLE[(index + 1) % len(KIND_CYCLE)]
        self.show_rows()

    def action_set_range(self) -> None:
        def chosen(result: DateRange | None) -> None:
            if result is not None:
                self.since, self.until = result
                self.show_rows()

        self.app.push_screen(DateRangeScreen(self.since, self.until), chosen)

    def action_clear_filters(self) -> None:
        box = self.query_one("#reflections-query", Input)
        if box.has_focus:
            # escape in the box: forget what it was for, keep the other filters
            if self.query_mode == "filter":
                self.filter_text = ""
            box.value = ""
            box.display = False
            self.table.focus()
            self.show_rows()
            return
        self.filter_text, self.kind, self.since, self.until = "", None, None, None
        self.search_query, self.search_paths = None, None
        box.value = ""
        box.display = False
        self.show_rows()

    # ------------------------------------------------------------------ actions on entries

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.action_open_reflection()

    def action_open_reflection(self) -> None:
        row = self.current()
        if row is not None:
            self.app.open_editor(row.path)

    def action_new_reflection(self) -> None:
        self.app.open_editor()

    def action_toggle_follow_up(self) -> None:
        """Mark the selected reflection's follow-up done today (or open it again)."""
        row = self.current()
        if row is None:
            return
        if not row.followable:
            self.notify("This reflection has no follow-up (give it one in the editor: Follow-up).",
                        markup=False, timeout=4)
            return
        toggle_follow_up(self.app, row.path)

    def action_delete_reflection(self) -> None:
        row = self.current()
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.journal.delete(row.path)
            except (JournalError, OSError) as exc:
                self.app.report_error(exc)
                return
            self.notify(f"Moved {row.path} to the trash (netjournal restore brings it back).",
                        title="Deleted", markup=False, timeout=5)
            self.app.journal_changed(row.path)

        question = f"Move “{row.title}” ({row.date}) to the trash?\n\nIt can be restored with: netjournal restore"
        self.app.push_screen(ConfirmModal(question, yes="Move to trash", no="Keep"), answered)

    def on_journal_changed(self, message: JournalChanged) -> None:
        keep = message.path if message.path and message.path.startswith("reflections/") else None
        self.load_rows()
        self._preview_path = None  # the entry shown may be the one that changed
        self.show_rows(keep=keep if keep in self.by_path else None)


async def run_in_reflections_area(app: "App", action: str) -> None:
    """Go to the reflections area and run one of its actions (for the command palette)."""
    if app.current_mode != "reflections":
        await app.switch_mode("reflections")
    screen = app.screen
    if not isinstance(screen, ReflectionsScreen):
        app.notify("Close the editor first (escape), then try again.", markup=False)
        return
    await screen.run_action(action)
