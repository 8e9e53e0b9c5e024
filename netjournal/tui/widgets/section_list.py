"""A titled, keyboard-navigable list for a summary screen (the dashboard, the weekly
review): a title with its count, the rows, and a line of encouragement when there is
nothing to show. Row ids say what enter opens: ``contact:<slug>`` or
``reflection:<path>``.

A section is one widget that draws its lines itself. It was a title, an OptionList
and an empty line (four widgets); the dashboard has seven sections, and its first
screen spent a third of its time there, the OptionLists measuring every row again at
each layout pass.
"""

from __future__ import annotations

from typing import ClassVar, Iterable, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from netjournal.tui.messages import ContactChosen, ReflectionChosen
from netjournal.tui.widgets.row_cursor import RowCursor, cursor_bindings
from netjournal.tui.widgets.strips import WidgetStyles, line_segments

Row = tuple[str, Text]


def contact_row(slug: str) -> str:
    return f"contact:{slug}"


def reflection_row(path: str) -> str:
    return f"reflection:{path}"


def parse_row(row_id: str | None) -> tuple[str, str] | None:
    """``("contact", slug)`` or ``("reflection", path)`` from a row id."""
    if not row_id or ":" not in row_id:
        return None
    what, _, value = row_id.partition(":")
    return (what, value) if what in ("contact", "reflection") and value else None


def focus_first(sections: Iterable[SectionList]) -> None:
    """Focus the first of ``sections`` that has rows (a screen's first, as it opens);
    the section then shows itself, from its title down."""
    for section in sections:
        if section.row_count:
            section.focus(scroll_visible=False)
            return


class Layout(NamedTuple):
    """A section's lines at one width."""

    title: list[Text]
    empty: list[Text]  # what to say, when there are no rows
    text_width: int  # the rows' width (beside the bar, and the scrollbar if they scroll)
    lines: list[tuple[int, Text]]  # the rows' lines: (row index, one line); "more" is len(rows)


_BAR = "▊"  # the left edge of the rows: Textual's "tall" border, drawn as it draws it


class SectionList(RowCursor, Widget, can_focus=True):
    """One section: "Title (n)", then its rows beside a bar, or what to say when it is
    empty. A row is a Rich Text that may wrap onto several lines; one is highlighted,
    and after them, greyed and out of the cursor's reach, a line such as "… and 12
    more". The rows scroll within ``ROWS_HIGH`` lines.

    It looks and moves like the OptionList it replaced: the same colours for the bar,
    the highlight (focused or not) and the hover; ``up`` ``down`` ``pageup``
    ``pagedown`` ``home`` ``end`` move, ``enter`` or a click on the highlighted row
    opens it (posts ContactChosen or ReflectionChosen). Only a section with rows takes
    the focus. A row's lines are wrapped once per width."""

    ROWS_HIGH = 10  # lines of rows shown; more scroll
    LIMIT = 20  # rows shown per section; the title gives the full count

    BINDINGS: ClassVar[list[BindingType]] = cursor_bindings("section")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "section-list--title",
        "section-list--empty",
        "section-list--bar",
        "section-list--highlighted",
        "section-list--hover",
        "section-list--more",
        "section-list--scrollbar",
        "section-list--scrollbar-thumb",
    }

    # The rows' colours are OptionList's, so the sections look as they did.
    DEFAULT_CSS = """
    SectionList {
        height: auto;
        margin: 0 0 1 0;
        color: $foreground;
        background: transparent;

        & > .section-list--title {
            text-style: bold;
            color: $accent;
        }
        & > .section-list--empty {
            color: $foreground 60%;
            text-style: italic;
        }
        & > .section-list--bar {
            color: $panel;
        }
        & > .section-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .section-list--more {
            color: $text-disabled;
        }
        & > .section-list--hover {
            background: $block-hover-background;
        }
        & > .section-list--scrollbar {
            background: $scrollbar-background;
        }
        & > .section-list--scrollbar-thumb {
            background: $scrollbar;
        }
        &:focus {
            & > .section-list--bar {
                color: $accent;
            }
            & > .section-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Highlighted(Message):
        """The highlight is on another row (moved, or the rows under it changed)."""

        def __init__(self, section: SectionList, index: int) -> None:
            super().__init__()
            self.section = section
            self.index = index

        @property
        def control(self) -> SectionList:
            return self.section

    def __init__(self, title: str, empty: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.empty = empty
        self.targets: list[str] = []
        self.total = 0
        self._prompts: list[Text] = []
        self._more: Text | None = None
        self.highlighted: int | None = None
        self._told: int | None = None  # the row last posted as Highlighted
        self._top = 0  # the first line of rows shown
        self._wrapped: dict[int, Layout] = {}  # width -> the lines at that width
        self._style = WidgetStyles(self, "section-list--")
        self.can_focus = False  # until there are rows

    # ------------------------------------------------------------------ contents

    def show(self, rows: list[Row], total: int | None = None) -> None:
        """Replace the rows, keeping the highlight where it was when it still fits.

        ``rows`` may stop after the first ``LIMIT`` (those are all that is shown) when
        ``total`` says how many there are: a caller with hundreds makes only those."""
        self.total = len(rows) if total is None else total
        shown = rows[: self.LIMIT]
        self.targets = [row_id for row_id, _ in shown]
        self._prompts = [prompt for _, prompt in shown]
        # A dashboard is read at a glance: the most pressing rows, then the count
        # (and laying out hundreds of rows would make the start screen slow).
        self._more = Text(f"… and {self.total - len(shown)} more") if self.total > len(shown) else None
        self._wrapped.clear()
        self._hover = None
        self.highlighted = None if not shown else max(0, min(self.highlighted or 0, len(shown) - 1))
        self.can_focus = bool(shown)
        if not shown and self.has_focus:  # the focus moves on (or goes, if no other can take it)
            self.screen.focus_next()
            if self.has_focus:
                self.screen.set_focus(None)
        self.refresh(layout=True)
        self._scroll_to_highlight()
        self._post_highlighted()

    @property
    def row_count(self) -> int:
        return len(self._prompts)

    @property
    def heading(self) -> str:
        """The title with the count: "Due to touch (3)"."""
        return f"{self.title} ({self.total})"

    def drawn(self) -> list[str]:
        """The section's lines as they are on the screen, in plain text."""
        return [self.render_line(y).text.rstrip() for y in range(self.size.height)]

    @property
    def texts(self) -> list[str]:
        """The rows as shown, in plain text (the "… and n more" line too)."""
        return [prompt.plain for prompt in self._all_prompts()]

    def _all_prompts(self) -> list[Text]:
        return self._prompts + ([self._more] if self._more is not None else [])

    def target(self, index: int | None) -> tuple[str, str] | None:
        """What the row at ``index`` stands for: ("contact", slug) or ("reflection", path)."""
        if index is None or not 0 <= index < len(self.targets):
            return None
        return parse_row(self.targets[index])

    def selected_row(self) -> tuple[str, str] | None:
        """What the highlighted row stands for, if anything."""
        return self.target(self.highlighted)

    # ------------------------------------------------------------------ geometry

    def _layout(self, width: int) -> Layout:
        """The section's lines for a widget ``width`` wide (kept for the few widths a
        layout asks about)."""
        laid = self._wrapped.get(width)
        if laid is None:
            title = self._wrap_one(Text(self.heading), max(1, width))
            empty = [] if self._prompts else self._wrap_one(Text(self.empty), max(1, width - 1))
            # the rows beside the bar, and narrower by a scrollbar when they are more
            # than ROWS_HIGH lines: known before wrapping when they have that many
            # lines of their own
            full = max(1, width - 1)
            narrow = max(1, full - self.styles.scrollbar_size_vertical)
            own_lines = sum(prompt.plain.count("\n") + 1 for prompt in self._all_prompts())
            text_width = narrow if own_lines > self.ROWS_HIGH else full
            lines = self._wrap(text_width)
            if len(lines) > self.ROWS_HIGH and text_width != narrow:
                text_width = narrow
                lines = self._wrap(text_width)
            laid = Layout(title, empty, text_width, lines)
            if len(self._wrapped) >= 4:
                self._wrapped.clear()
            self._wrapped[width] = laid
        return laid

    def _wrap(self, width: int) -> list[tuple[int, Text]]:
        return [(index, line) for index, prompt in enumerate(self._all_prompts())
                for line in self._wrap_one(prompt, width)]

    def _wrap_one(self, text: Text, width: int) -> list[Text]:
        """``text``'s lines at ``width``: its own lines when each fits (a third of the
        time of Rich's wrap, and most rows do), else as Rich wraps them. Tabs become
        spaces to the next stop, as Rich's wrap makes them: a tab sent to the terminal
        would move its cursor past cells the line then does not fill."""
        if "\t" in text.plain:
            text = text.copy()
            text.expand_tabs()
        lines = text.split("\n", allow_blank=True)
        if all(line.cell_len <= width for line in lines):
            return list(lines)
        return list(text.wrap(self.app.console, width, overflow="fold"))

    def _lines(self) -> list[tuple[int, Text]]:
        return self._layout(self.size.width).lines

    def _rows_high(self) -> int:
        return min(self.ROWS_HIGH, len(self._lines()))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        laid = self._layout(width)
        return len(laid.title) + (min(self.ROWS_HIGH, len(laid.lines)) if self._prompts else len(laid.empty))

    def _row_span(self, index: int) -> tuple[int, int] | None:
        """The first line of row ``index`` and how many lines it has."""
        found = [y for y, (row, _) in enumerate(self._lines()) if row == index]
        return (found[0], len(found)) if found else None

    def _scroll_to(self, top: int) -> None:
        top = max(0, min(top, len(self._lines()) - self._rows_high()))
        if top != self._top:
            self._top = top
            self.refresh()

    def _scroll_to_highlight(self) -> None:
        """Scroll the rows so the highlighted one is in view (its start, if it is taller)."""
        if not self.size:
            return  # not laid out yet: on_resize comes
        if self.highlighted is None:
            self._scroll_to(self._top)  # the rows may be fewer now
            return
        span = self._row_span(self.highlighted)
        if span is None:
            return
        first, count = span
        high = self._rows_high()
        if first < self._top or count > high:
            self._scroll_to(first)
        elif first + count > self._top + high:
            self._scroll_to(first + count - high)
        else:
            self._scroll_to(self._top)

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the mouse (not the "more" line); None on the title or below."""
        offset = event.get_content_offset(self)
        laid = self._layout(self.size.width)
        if offset is None or offset.y < len(laid.title) or not self._prompts \
                or self._on_scrollbar(event) is not None:
            return None
        lines = laid.lines
        y = offset.y - len(laid.title) + self._top
        if not 0 <= y < len(lines) or lines[y][0] >= len(self._prompts):
            return None
        return lines[y][0]

    def on_resize(self) -> None:
        self._scroll_to_highlight()
        self.call_after_refresh(self._reveal_highlight)  # the containers laid out at the new size

    def _reveal_highlight(self) -> None:
        """Scroll the containers the section is in so that the highlighted row is on
        the screen, when the section has the focus: the section scrolls its own rows,
        but at 60x20 it may stand partly below the screen's edge (after a resize, or
        taller than the space there is), and the cursor moved where no one sees it.
        Textual's ``scroll_to_widget``, for the row's lines instead of the widget."""
        if not self.has_focus or self.highlighted is None or not self.size:
            return
        span = self._row_span(self.highlighted)
        if span is None:
            return
        first = len(self._layout(self.size.width).title) + max(0, span[0] - self._top)
        region = Region(0, first, self.size.width, max(1, min(span[1], self._rows_high())))
        region = region.translate(self.virtual_region.offset)
        widget: Widget = self
        while isinstance(widget.parent, Widget) and region:
            container = widget.parent
            scrolled = container.scroll_to_region(region, spacing=widget.dock_gutter, animate=False,
                                                  immediate=True)
            region = (region.translate(-scrolled)
                      .translate(container.styles.margin.top_left)
                      .translate(container.styles.border.spacing.top_left)
                      .translate(container.virtual_region_with_margin.offset)
                      .intersection(container.virtual_region_with_margin.grow(container.styles.margin)))
            widget = container

    # ------------------------------------------------------------------ drawing

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._style("base")
        laid = self._layout(width)
        if y < len(laid.title):
            return self._strip([], laid.title[y], base + self._style("title"), width)
        y -= len(laid.title)
        if not self._prompts:
            if y < len(laid.empty):
                return self._strip([Segment(" ", base)], laid.empty[y], base + self._style("empty"), width)
            return Strip.blank(width, base)
        line = y + self._top
        if not 0 <= line < len(laid.lines) or y >= self.ROWS_HIGH:
            return Strip.blank(width, base)
        index, text = laid.lines[line]
        style = base
        if index >= len(self._prompts):
            style += self._style("more")
        else:
            if index == self._hover:
                style += self._style("hover")
            if index == self.highlighted:
                style += self._style("highlighted")
        bar = Segment(_BAR, Style(color=base.bgcolor, bgcolor=self._style("bar").color))
        strip = self._strip([bar], text, style, 1 + laid.text_width)
        if len(laid.lines) > self.ROWS_HIGH:  # the scrollbar
            strip = Strip([*strip, self._scrollbar(y, width - 1 - laid.text_width)])
        return strip

    def _strip(self, before: list[Segment], text: Text, style: Style, width: int) -> Strip:
        """``before``, then ``text`` on ``style``, cut or filled to ``width`` cells."""
        segments = before + list(Segment.apply_style(line_segments(self.app.console, text), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _scrollbar(self, y: int, width: int) -> Segment:
        """The rows' scrollbar at row-line ``y`` in view: thumb or track, ``width`` wide."""
        start, thumb = self._thumb()
        name = "scrollbar-thumb" if start <= y < start + thumb else "scrollbar"
        return Segment(" " * width, self._style("base") + self._style(name))

    def _thumb(self) -> tuple[int, int]:
        """The scrollbar's thumb: its first line in view and its height."""
        high = self._rows_high()
        total = len(self._lines())
        thumb = max(1, round(high * high / total))
        return round(self._top * (high - thumb) / max(1, total - high)), thumb

    # ------------------------------------------------------------------ keys and mouse

    @property
    def cursor_row(self) -> int | None:
        return self.highlighted

    def move_cursor(self, row: int) -> None:
        """Put the highlight on ``row`` (clamped to the rows there are)."""
        if not self._prompts:
            return
        row = max(0, min(row, len(self._prompts) - 1))
        if row != self.highlighted:
            self.highlighted = row
            self.refresh()
        self._scroll_to_highlight()
        self._reveal_highlight()
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        if self.highlighted is not None and self.highlighted != self._told:
            self.post_message(self.Highlighted(self, self.highlighted))
        self._told = self.highlighted

    def _page_row(self, direction: int) -> int:
        """The row a screenful of lines away from the highlighted one; at least the next
        (a row taller than the lines shown -- one long address -- has a screenful
        inside it)."""
        span = None if self.highlighted is None else self._row_span(self.highlighted)
        if span is None:
            return 0
        lines = self._lines()
        row = lines[max(0, min(span[0] + direction * self._rows_high(), len(lines) - 1))][0]
        return self.highlighted + direction if row == self.highlighted else row

    def _select_row(self, row: int) -> None:
        """Say which contact or reflection the row stands for."""
        target = self.target(row)
        if target is not None:
            what, value = target
            self.post_message(ContactChosen(value) if what == "contact" else ReflectionChosen(value))

    def _refresh_row(self, row: int) -> None:
        self.refresh()

    def _on_scrollbar(self, event: events.MouseEvent) -> int | None:
        """The row-line in view (0 is the first) under the mouse when it is on the
        scrollbar, else None."""
        offset = event.get_content_offset(self)
        laid = self._layout(self.size.width)
        if offset is None or len(laid.lines) <= self.ROWS_HIGH or offset.x < 1 + laid.text_width:
            return None
        y = offset.y - len(laid.title)
        return y if 0 <= y < self._rows_high() else None

    def _on_click(self, event: events.Click) -> None:
        """On the scrollbar's track a click scrolls the rows a page toward it, as
        Textual's scrollbars do (on the thumb, nothing: it is dragged); it opens no row
        (``_row_at`` finds none there for RowCursor's own handler, called after this)."""
        y = self._on_scrollbar(event)
        if y is None:
            return
        event.stop()
        start, thumb = self._thumb()
        if y < start:
            self._scroll_to(self._top - self._rows_high())
        elif y >= start + thumb:
            self._scroll_to(self._top + self._rows_high())

    _grabbed: tuple[int, int] | None = None  # the thumb dragged: (the mouse's screen y, the top line) then

    def _on_mouse_down(self, event: events.MouseDown) -> None:
        y = self._on_scrollbar(event)
        if y is not None:
            event.stop()
            start, thumb = self._thumb()
            if start <= y < start + thumb:
                self._grabbed = (event.screen_y, self._top)
                self.capture_mouse()

    def _on_mouse_up(self, event: events.MouseUp) -> None:
        if self._grabbed is not None:
            event.stop()
            self._grabbed = None
            self.release_mouse()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        """The thumb dragged: the rows follow (RowCursor's hover is not lit meanwhile)."""
        if self._grabbed is None:
            return
        event.prevent_default()
        grabbed_y, top = self._grabbed
        high, total = self._rows_high(), len(self._lines())
        thumb = self._thumb()[1]
        self._scroll_to(top + round((event.screen_y - grabbed_y) * (total - high) / max(1, high - thumb)))

    def _on_mouse_release(self, _: events.MouseRelease) -> None:
        self._grabbed = None

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._wheel(event, 1)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._wheel(event, -1)

    def _wheel(self, event: events.MouseEvent, by: int) -> None:
        """The wheel scrolls the rows while they can go further; then the screen."""
        before = self._top
        self._scroll_to(self._top + by * max(1, round(self.app.scroll_sensitivity_y)))  # as Textual scrolls
        if self._top != before:
            event.stop()
