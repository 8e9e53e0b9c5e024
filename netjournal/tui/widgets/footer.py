"""The screen's keys on the bottom line, drawn by one widget.

Textual's ``Footer`` is a container with a widget per key (thirteen on the
dashboard), each styled, laid out and painted, and all rebuilt -- unmounted and
mounted again -- every time the screen says its bindings may have changed: on focus,
on a stack change, on every ``refresh_bindings``.  That was a tenth of the time to
the first screen, and a rebuild on every move between the dashboard's sections.
This one draws the same line (the same keys, words, groups, styles and the command
palette's key at the right) as one text: a change of bindings is a repaint.  A
click on a key presses it; hovering shows the key's tooltip, as Textual's does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget


@dataclass
class _Key:
    """One key as drawn: where it is on the line and what pressing it does."""

    start: int
    end: int
    key: str
    enabled: bool
    tooltip: str


class Footer(Widget, can_focus=False):
    """The active bindings that ask to be shown, as Textual's ``Footer`` shows them."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key", "footer-key--description", "footer-key--hover", "footer--item", "footer--palette-edge",
    }
    # The colours are Textual's footer's (its theme variables), so that every theme
    # draws this line as it draws Textual's.
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--item {
            background: $footer-item-background;
        }
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[_Key] = []
        self._hover: int | None = None  # the x of the mouse, while over the line

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    # ------------------------------------------------------------------ drawing

    def _shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The screen's shown bindings, one per action (the first key of several),
        in order, as (binding, enabled, tooltip)."""
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        return list(by_action.values())

    def render(self) -> Text:
        try:
            bindings = self._shown_bindings()
            palette = self._palette_binding()
        except NoMatches:  # a screen whose ``check_action`` looks at widgets not mounted yet
            return Text()
        key_style = self.get_component_rich_style("footer-key--key", partial=True)
        description_style = self.get_component_rich_style("footer-key--description", partial=True)
        item_style = self.get_component_rich_style("footer--item", partial=True)
        hover_style = self.get_component_rich_style("footer-key--hover", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        keys: list[_Key] = []

        def add(binding: Binding, enabled: bool, tooltip: str, parts: list[tuple[str, Style]], base: Style) -> None:
            start = line.cell_len
            for text, style in parts:
                line.append(text, base + style)
            end = line.cell_len
            if not enabled:
                line.stylize(Style(dim=True), start, end)
            if self._hover is not None and start <= self._hover < end:
                line.stylize(hover_style, start, end)
            keys.append(_Key(start, end, binding.key, enabled, tooltip))

        item_ends: list[int] = []  # where each key (or group of keys) ends: a cut is made there
        at = 0
        while at < len(bindings):
            binding, enabled, tooltip = bindings[at]
            group = binding.group
            members = [bindings[at]]
            while group is not None and at + len(members) < len(bindings) \
                    and bindings[at + len(members)][0].group is group:
                members.append(bindings[at + len(members)])
            at += len(members)
            if group is not None and len(members) > 1:
                # a group ("1234 Areas"): its keys side by side, then its name
                line.append(" " if group.compact else "")
                for member, member_enabled, member_tooltip in members:
                    display = self.app.get_key_display(member)
                    margin = "" if group.compact else " "
                    line.append(margin)
                    add(member, member_enabled, member_tooltip or member.description,
                        [(display, key_style)], item_style)
                    line.append(margin)
                line.append(" ")
                line.append(group.description + " ", description_style)
            else:
                add(binding, enabled, tooltip,
                    [(f" {self.app.get_key_display(binding)} ", key_style), (f"{binding.description} ", description_style)],
                    item_style)
            item_ends.append(line.cell_len)

        if palette is not None:  # at the right, after a thin edge
            binding, enabled, _ = palette
            parts = [(self.app.get_key_display(binding), key_style), (f" {binding.description}", description_style),
                     (" ", Style())]
            room = max(0, self.size.width - sum(cell_len(text) for text, _ in parts) - 1)
            if line.cell_len > room:  # the keys that fit whole; none cut in the middle of its name
                cut = max((end for end in item_ends if end <= room), default=0)
                line.truncate(cut)
                keys = [key for key in keys if key.end <= cut]
            line.append(" " * (room - line.cell_len))
            line.append("▏", self.get_component_rich_style("footer--palette-edge"))
            add(binding, enabled, binding.tooltip or binding.description, parts, item_style)
        self._keys = keys
        return line

    def _palette_binding(self) -> tuple[Binding, bool, str] | None:
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        return None if found is None else (found[1], found[2], found[3])

    # ------------------------------------------------------------------ the mouse

    def _key_at(self, x: int) -> _Key | None:
        return next((key for key in self._keys if key.start <= x < key.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        hover = None if key is None else key.start
        if hover != self._hover:
            self._hover = hover
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    @property
    def shown(self) -> list[tuple[str, int, int]]:
        """The keys drawn (their key names) with where each begins and ends on the
        line, as last drawn."""
        return [(key.key, key.start, key.end) for key in self._keys]
