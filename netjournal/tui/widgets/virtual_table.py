"""A table that draws only the rows on screen, for lists refilled on every keystroke.

Textual's DataTable keeps each row as widget state and measures every cell of every
row it is given, so refilling it with a thousand contacts or ten thousand reflections
on each filter keystroke took 70-290 ms.  This table holds just the list of rows: a
row's cells are asked for (``cells(row)``) when the row is drawn, so showing a new
list costs one assignment, and a frame draws the thirty-odd rows that fit.  Columns
have fixed widths (the screens share the width out themselves); every row is one line.

It looks and moves like a DataTable with ``cursor_type="row"`` and zebra stripes:
the same component-class roles and colours, ``up`` ``down`` ``pageup`` ``pagedown``
``home`` ``end`` move the cursor, ``enter`` or a click on the cursor row selects it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, ClassVar, Hashable, Sequence

from rich.console import Console, ConsoleOptions, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip

from netjournal.tui.widgets.row_cursor import RowCursor, cursor_bindings
from netjournal.tui.widgets.strips import WidgetStyles, line_segments

CellsFunction = Callable[[Any], Sequence[RenderableType]]


@dataclass(frozen=True)
class Column:
    """One column: its key, its header label and its width in cells (padding not included)."""

    key: str
    label: str
    width: int


class VirtualTable(RowCursor, ScrollView, can_focus=True):
    """Rows are any objects; ``key(row)`` names one (for the cursor), ``cells(row)`` draws it."""

    ALLOW_SELECT = False
    CELL_PADDING = 1
    CACHE_ROWS = 400  # rendered rows kept: a few screenfuls, so scrolling back is free

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("table")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--hover",
        "virtual-table--even-row",
        "virtual-table--odd-row",
    }

    # The colours of DataTable's own default CSS, so both kinds of table look alike.
    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;

        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .virtual-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .virtual-table--hover {
            background: $block-hover-background;
        }
    }
    """

    class _RowMessage(Message):
        def __init__(self, table: VirtualTable, cursor_row: int, row_key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor is on another row (moved, or the rows under it changed)."""

    class RowSelected(_RowMessage):
        """``enter`` on a row, or a click on the cursor row."""

    @dataclass
    class Resized(Message):
        """The table's width changed (the terminal, or a panel beside it that came or
        went): the screen shares the width out among the columns again."""

        table: VirtualTable
        width: int

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        cells: CellsFunction,
        *,
        key: Callable[[Any], Hashable] | None = None,
        zebra_stripes: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._cells = cells
        self._key = key or (lambda row: row)
        self.zebra_stripes = zebra_stripes
        self.columns: dict[str, Column] = {}
        self._rows: Sequence[Any] = ()
        self._cursor = 0
        self._highlighted: Hashable | None = None
        # (row key, stripe, cursor, hover, focus, width) -> (the cells drawn, their strip)
        self._strips: dict[tuple, tuple[Sequence[RenderableType], Strip]] = {}
        self._style = WidgetStyles(self, "virtual-table--", frozenset({"header", "even-row", "odd-row"}))

    _width_told = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width_told:
            self._width_told = event.size.width
            self.post_message(self.Resized(self, event.size.width))

    # ------------------------------------------------------------------ contents

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (the rows stay)."""
        self.columns = {column.key: column for column in columns}
        self._strips.clear()
        self._update_virtual_size()
        self.refresh()

    def set_rows(self, rows: Sequence[Any], cursor: int = 0) -> None:
        """Show ``rows`` (the table keeps the sequence, it does not copy it), the cursor on
        row ``cursor``. Posts RowHighlighted when that is another row than before."""
        self._rows = rows
        self._cursor = max(0, min(cursor, len(rows) - 1))
        self._update_virtual_size()
        self.refresh()
        self._scroll_cursor_into_view()
        self._post_highlighted()

    @property
    def rows(self) -> Sequence[Any]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def row_keys(self) -> list[Hashable]:
        return [self._key(row) for row in self._rows]

    def get_row_at(self, index: int) -> Sequence[RenderableType]:
        """The cells of the row at ``index``, as they are drawn."""
        return self._cells(self._rows[index])

    def get_row(self, key: Hashable) -> Sequence[RenderableType]:
        """The cells of the row whose key is ``key`` (a pass over the rows); KeyError if none."""
        for row in self._rows:
            if self._key(row) == key:
                return self._cells(row)
        raise KeyError(key)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> Hashable | None:
        """The key of the row under the cursor; None when the table is empty."""
        return self._key(self._rows[self._cursor]) if self._rows else None

    def move_cursor(self, row: int, *, scroll: bool = True) -> None:
        """Put the cursor on row ``row`` (clamped to the rows there are)."""
        row = max(0, min(row, len(self._rows) - 1))
        if row != self._cursor:
            self._refresh_row(self._cursor)
            self._cursor = row
            self._refresh_row(row)
        if scroll:
            self._scroll_cursor_into_view()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        key = self.cursor_key
        if key != self._highlighted:
            self._highlighted = key
            if key is not None:
                self.post_message(self.RowHighlighted(self, self._cursor, key))

    # ------------------------------------------------------------------ geometry

    @property
    def _table_width(self) -> int:
        return sum(column.width + 2 * self.CELL_PADDING for column in self.columns.values())

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._table_width, len(self._rows) + 1)  # + the header

    def _refresh_row(self, index: int) -> None:
        self.refresh_line(index + 1)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        if not self._rows:
            return
        if not self.size:  # not laid out yet: once it is
            self.call_after_refresh(self._scroll_cursor_into_view)
            return
        region = Region(int(self.scroll_x), self._cursor + 1, max(self.size.width, self._table_width), 1)
        self.scroll_to_region(region, animate=animate, spacing=Spacing(1, 0, 0, 0), force=True)

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row index under the mouse, None on the header or below the rows."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        index = offset.y - 1 + int(self.scroll_y)
        return index if index < len(self._rows) else None

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._style.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            strip = self._header_strip(width)
        else:
            index = y - 1 + scroll_y
            if index >= len(self._rows):
                return Strip.blank(width, self._style("base"))
            strip = self._row_strip(index, width)
        if scroll_x or strip.cell_length != width:  # wider than the widget: the part in view
            strip = strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, self._style("base")).simplify()
        return strip

    def _header_strip(self, width: int) -> Strip:
        cache_key = ("header", self.has_focus, width)
        cached = self._strips.get(cache_key)
        if cached is not None:
            return cached[1]
        style = self._style("header")
        labels = [Text(column.label, no_wrap=True, end="") for column in self.columns.values()]
        strip = self._draw(labels, style, Style(), Style(), style, width)
        self._strips[cache_key] = ((), strip)
        return strip

    def _row_strip(self, index: int, width: int) -> Strip:
        row = self._rows[index]
        cells = self._cells(row)
        cursor = index == self._cursor
        hover = index == self._hover
        cache_key = (self._key(row), index % 2, cursor, hover, self.has_focus, width)
        cached = self._strips.get(cache_key)
        if cached is not None and cached[0] is cells:
            return cached[1]
        if self.zebra_stripes:
            row_style = self._style("odd-row" if index % 2 else "even-row")
        else:
            row_style = self._style("base")
        highlight = Style()
        if hover:
            highlight += self._style("hover")
        if cursor:
            highlight += self._style("cursor")
        # The cursor's foreground wins over a cell's own colours; its background does not
        # (DataTable's defaults), so a coloured "overdue" stays readable on the cursor row.
        post = Style.from_color(color=highlight.color)
        strip = self._draw(cells, row_style, highlight, post, row_style + highlight, width)
        if len(self._strips) >= self.CACHE_ROWS:
            self._strips.clear()
        self._strips[cache_key] = (cells, strip)
        return strip

    def _draw(self, cells: Sequence[RenderableType], style: Style, highlight: Style, post: Style,
              fill: Style, width: int) -> Strip:
        """One line: each cell padded to its column's width, then ``fill`` to the edge."""
        console = self.app.console
        options = self.app.console_options
        pad = self.CELL_PADDING
        segments: list[Segment] = []
        for index, (column, cell) in enumerate(zip(self.columns.values(), cells)):
            if isinstance(cell, str):
                cell = Text(cell, no_wrap=True, end="")  # literal: a str cell is never markup
            # The column in the style's meta keeps each cell its own segment, as in a DataTable.
            pre = style + _column_meta(index) + highlight
            if _is_one_line(cell):
                segments.extend(text_cell(console, cell, column.width, pad, pre, post))
            else:
                segments.extend(rich_cell(console, options, cell, column.width, pad, pre, post))
        segments.append(Segment(" " * max(0, width - self._table_width), fill + _OUTSIDE))
        return Strip(segments).simplify()

    # ------------------------------------------------------------------ keys and mouse (RowCursor)

    def _page_row(self, direction: int) -> int:
        return self._cursor + direction * max(1, self.scrollable_content_region.height - 1)  # the rows under the header

    def _select_row(self, row: int) -> None:
        self.post_message(self.RowSelected(self, row, self._key(self._rows[row])))


_OUTSIDE = Style.from_meta({"column": 0, "out_of_bounds": True})


@lru_cache(maxsize=64)
def _column_meta(index: int) -> Style:
    return Style.from_meta({"column": index})


def rich_cell(console: Console, options: ConsoleOptions, cell: RenderableType, width: int, pad: int,
              pre: Style, post: Style) -> list[Segment]:
    """One cell, the way a DataTable draws it: any renderable, padded, cut to one line."""
    return console.render_lines(
        Styled(Padding(cell, (0, pad)), pre_style=pre, post_style=post),
        options.update_dimensions(width + 2 * pad, 1).update(no_wrap=True, overflow="ellipsis"),
    )[0]


def text_cell(console: Console, cell: Text, width: int, pad: int, pre: Style, post: Style) -> list[Segment]:
    """What ``rich_cell`` draws for one line of text, without Rich's general layout
    machinery (a third of the time): cut to the width as Rich would, then padded."""
    line = cell
    if line.cell_len > width:
        line = line.copy()
        line.truncate(width, overflow=line.overflow or "ellipsis")  # a cut cell ends in "…"
    segments = [
        Segment(" " * pad),
        *line_segments(console, line),
        Segment(" " * (width - line.cell_len + pad)),
    ]
    return list(Segment.apply_style(segments, pre, post))


def _is_one_line(cell: RenderableType) -> bool:
    return (isinstance(cell, Text) and cell.justify in (None, "default")
            and "\n" not in cell.plain and "\t" not in cell.plain)
