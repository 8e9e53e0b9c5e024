"""The keys and the mouse of a list with a cursor on one of its rows, as Textual's lists
move: ``up`` ``down`` ``pageup`` ``pagedown`` ``home`` ``end`` move the cursor,
``enter`` or a click on the cursor's row selects it, a click on another row moves the
cursor there, and the row under the mouse is lit until a key moves the cursor.
Shared by the tables that draw only the rows on screen and the dashboard's sections."""

from __future__ import annotations

from textual import events
from textual.binding import Binding, BindingType


def cursor_bindings(prefix: str) -> list[BindingType]:
    """The keys, their ids under ``prefix`` (``table.up``, ``section.up``)."""
    return [
        Binding("enter", "select_cursor", "Open", show=False, id=f"{prefix}.select"),
        Binding("up", "cursor_up", "Previous row", show=False, id=f"{prefix}.up"),
        Binding("down", "cursor_down", "Next row", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home", "first_row", "First row", show=False, id=f"{prefix}.first"),
        Binding("end", "last_row", "Last row", show=False, id=f"{prefix}.last"),
    ]


class RowCursor:
    """A mixin for a widget (before the widget class in its bases) that says where the
    cursor is, how many rows there are, which row the mouse is over and how to move,
    page, select and redraw a row; it gets the actions of ``cursor_bindings`` and the
    mouse handling."""

    _hover: int | None = None  # the row under the mouse; None after a key moved the cursor

    @property
    def cursor_row(self) -> int | None:
        raise NotImplementedError

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped to the rows there are), in view."""
        raise NotImplementedError

    def _page_row(self, direction: int) -> int:
        """The row a page up (-1) or down (1) from the cursor's."""
        raise NotImplementedError

    def _select_row(self, row: int) -> None:
        """Say that ``row`` was chosen (a message)."""
        raise NotImplementedError

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the mouse; None where there is none."""
        raise NotImplementedError

    def _refresh_row(self, row: int) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ keys

    def _move_by_key(self, row: int) -> None:
        self._keyboard()
        if self.row_count:
            self.move_cursor(row)

    def action_cursor_up(self) -> None:
        self._move_by_key((self.cursor_row or 0) - 1)

    def action_cursor_down(self) -> None:
        self._move_by_key((self.cursor_row or 0) + 1)

    def action_page_up(self) -> None:
        self._move_by_key(self._page_row(-1))

    def action_page_down(self) -> None:
        self._move_by_key(self._page_row(1))

    def action_first_row(self) -> None:
        self._move_by_key(0)

    def action_last_row(self) -> None:
        self._move_by_key(self.row_count - 1)

    def action_select_cursor(self) -> None:
        self._keyboard()
        if self.row_count and self.cursor_row is not None:
            self._select_row(self.cursor_row)

    def _keyboard(self) -> None:
        """A key moved the cursor: the mouse's hover highlight goes."""
        if self._hover is not None:
            self._refresh_row(self._hover)
            self._hover = None

    # ------------------------------------------------------------------ mouse

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            if self._hover is not None:
                self._refresh_row(self._hover)
            self._hover = row
            if row is not None:
                self._refresh_row(row)

    def _on_leave(self, _: events.Leave) -> None:
        self._keyboard()

    def _on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        if row == self.cursor_row:
            self._select_row(row)
        else:
            self.move_cursor(row)
