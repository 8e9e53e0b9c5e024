"""Colours from the stylesheet for text a widget draws itself (component classes)."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """The component's text style without its background, so it works on any row
    (a cursor row too). Its colour is blended against the widget's background first,
    which keeps muted colours like ``$foreground 60%`` muted."""
    full = widget.get_component_rich_style(name)
    partial = widget.get_component_rich_style(name, partial=True)
    return partial + Style(color=full.color)
