"""Showing user text: literally (no markup) and without control characters."""

from __future__ import annotations

from rich.text import Text

from netjournal.text import clean


def literal(value: object, style: str = "", *, oneline: bool = True) -> Text:
    """A Rich Text of user text: ``[bold]`` stays ``[bold]``, ESC becomes ␛."""
    return Text(clean(value, oneline=oneline), style=style)


def markdown_source(value: object) -> str:
    """User Markdown for the Markdown widget: line breaks kept, controls made visible."""
    return clean(value, oneline=False)
