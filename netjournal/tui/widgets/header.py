"""The top line of every screen, as Textual's Header draws it, in one widget.

Textual's Header is four widgets (itself, the icon, the title, the clock's space),
and its title is a Static whose every update asks for a new layout of the screen:
the title is set as each screen mounts, so the first screen was laid out once more
for it. This one draws the same cells itself -- the icon that opens the command
palette, the screen's title and sub-title centred between the icon and the clock's
space, on ``$panel`` -- and a new title is a repaint. A click elsewhere makes it
taller, as Textual's does.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.strip import Strip
from textual.widget import Widget

from netjournal.text import clean


class Header(Widget):
    """The app's title and the screen's sub-title (``App.format_title``)."""

    ICON = "⭘"
    ICON_WIDTH = 8  # Textual's HeaderIcon: 8 cells, padded 1 on the left
    CLOCK_WIDTH = 10  # Textual's HeaderClockSpace: kept empty, so the title centres as there

    DEFAULT_CSS = """
    Header {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;

        &.-tall {
            height: 3;
        }
        & > .header--icon-hover {
            background: $foreground 10%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"header--icon-hover"}

    _icon_hover = False

    def _on_mount(self, _: events.Mount) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def format_title(self) -> Content:
        """The line shown: ``App.format_title`` of the screen's title and sub-title
        (the app's where the screen has none), their control characters made visible:
        a title may hold user text (a file's path, whose name can hold an escape
        sequence), and the header draws every screen's."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(clean(title), clean(sub_title))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.visual_style
        icon_style = style + self.get_visual_style("header--icon-hover") if self._icon_hover else style
        icon_width = min(self.ICON_WIDTH, width)
        middle = y == self.size.height // 2
        icon = Content(f" {self.ICON}" if middle else "").pad_right(icon_width).truncate(icon_width)
        segments = icon.render_segments(icon_style)
        title_width = max(0, width - icon_width - self.CLOCK_WIDTH)
        title = self.format_title().rstrip() if middle else Content("")
        title = title.truncate(title_width, ellipsis=True)
        left = (title_width - title.cell_length) // 2
        segments += title.pad(left, title_width - title.cell_length - left).render_segments(style)
        segments.append(Segment(" " * max(0, width - icon_width - title_width), style.rich_style))
        return Strip(segments).adjust_cell_length(width, style.rich_style)

    def _over_icon(self, event: events.MouseEvent) -> bool:
        """Whether the mouse is on the icon (when the app has a command palette to open)."""
        offset = event.get_content_offset(self)
        return offset is not None and offset.x < self.ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def _on_click(self, event: events.Click) -> None:
        if self._over_icon(event):
            event.stop()
            self.app.action_command_palette()
        else:
            self.toggle_class("-tall")

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        over = self._over_icon(event)
        if over != self._icon_hover:
            self._icon_hover = over
            self.tooltip = "Open the command palette" if over else None
            self.refresh()

    def _on_leave(self, _: events.Leave) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()
