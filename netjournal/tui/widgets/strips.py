"""Text drawn as segments, and the styles to draw it in, for the widgets that draw
their own lines (the tables, the dashboard's sections)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from textual.widget import Widget

_NEWLINE = Text("\n")


def line_segments(console: Console, line: Text) -> list[Segment]:
    """One line of text as segments, its own style under its spans (``Text.render``
    leaves the style off a line without spans; joining puts it on, as Rich does)."""
    return list(_NEWLINE.join([line]).render(console))


class WidgetStyles:
    """A widget's Rich styles -- its own (``"base"``) and its components' (by the name
    after ``prefix``) -- worked out once per style change and focus state (working one
    out walks the DOM). Names in ``alone`` are a component's own style, not combined
    with the widget's (a table's header and stripes). Call ``clear`` when the widget's
    styles change (``notify_style_update``)."""

    def __init__(self, widget: Widget, prefix: str, alone: frozenset[str] = frozenset()) -> None:
        self._widget = widget
        self._prefix = prefix
        self._alone = alone
        self._cache: dict[tuple[str, bool], Style] = {}

    def __call__(self, name: str) -> Style:
        widget = self._widget
        cache_key = (name, widget.has_focus)
        style = self._cache.get(cache_key)
        if style is None:
            if name == "base":
                style = widget.rich_style
            elif name in self._alone:
                style = widget.get_component_styles(self._prefix + name).rich_style
            else:
                style = widget.get_component_rich_style(self._prefix + name)
            self._cache[cache_key] = style
        return style

    def clear(self) -> None:
        self._cache.clear()
