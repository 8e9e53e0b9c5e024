"""Showing user text: literally (no markup) and without control characters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from netjournal.text import clean

if TYPE_CHECKING:
    from textual.fuzzy import Matcher


def literal(value: object, style: str = "", *, oneline: bool = True) -> Text:
    """A Rich Text of user text: ``[bold]`` stays ``[bold]``, ESC becomes ␛."""
    return Text(clean(value, oneline=oneline), style=style)


def markdown_source(value: object) -> str:
    """User Markdown for the Markdown widget: line breaks kept, controls made visible."""
    return clean(value, oneline=False)


def markup_escape(value: object) -> str:
    """User text for an API that insists on Textual markup (e.g. the command
    palette's help line): every ``[`` escaped, controls made visible."""
    return clean(value).replace("[", "\\[")


def highlighted(text: str, query: str, matcher: "Matcher") -> Content:
    """``text`` as literal Content with the letters ``matcher`` found highlighted
    (``Matcher.highlight`` would read the text as markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
