"""A contact's reflections, newest first: date, kind, title. Enter shows one."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from netjournal.model import Reflection
from netjournal.tui.safe import literal


class TimelineTable(DataTable):
    """Rows are keyed by the reflection's path; early asks are flagged in the kind column."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Show reflection", id="contact.timeline.show"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.add_column("Date", key="date", width=10)
        self.add_column("Kind", key="kind", width=8)
        self.add_column("Title", key="title")

    def on_resize(self) -> None:
        # The title takes what the date and kind leave, so long titles are cut, not scrolled.
        column = self.columns.get("title")  # type: ignore[call-overload]
        if column is not None:
            column.auto_width = False
            column.width = max(8, self.scrollable_content_region.width - 10 - 8 - 3 * 2 * self.cell_padding)
            self.refresh()

    def show(self, reflections: list[Reflection], early: list[str]) -> None:
        """Replace the rows, keeping the cursor on the same reflection when it is still there."""
        keep = None
        if self.row_count:
            keep = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        self.clear()
        for reflection in reflections:
            kind = f"⚠ {reflection.kind}" if reflection.path in early else reflection.kind
            title = literal(reflection.title)
            title.no_wrap, title.overflow = True, "ellipsis"
            self.add_row(reflection.date, kind, title, key=reflection.path)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep), animate=False)
