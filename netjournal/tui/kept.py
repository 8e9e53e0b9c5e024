"""Rich Text as JSON and back, for a view kept between runs (``Journal.remember_view``).

The text was made safe when the view was computed (``safe.literal``), but the kept
file is only a cache in the journal's folder, which any program can write: what
comes back is checked again, and anything that is not what ``text_json`` makes of a
safe text makes the whole view unusable (``KeptViewError``) so that the screen
computes it afresh.
"""

from __future__ import annotations

from typing import Any

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Span, Text

from netjournal.text import clean


class KeptViewError(ValueError):
    """A kept view that does not decode: compute it again."""


def _style(style: str | Style) -> str:
    return str(style) if isinstance(style, Style) else style


def text_json(text: Text) -> list[Any]:
    """``[plain, style, [[start, end, style], ...]]``."""
    return [text.plain, _style(text.style), [[s.start, s.end, _style(s.style)] for s in text.spans]]


# Breaks ``literal`` folds into spaces, so no text the app keeps has one; terminals
# draw them at widths Rich does not count (``clean`` keeps them in multi-line text).
_NOT_KEPT = ("\u2028", "\u2029", "\x85", "\t")


def text_from(kept: Any) -> Text:
    """The Text ``text_json`` made, if it is one ``text_json`` could have made of a
    text shown safely: a plain text with no control character in it (``clean``
    would leave it as it is), styles Rich parses and that link nowhere, spans of
    whole numbers within the text (Textual renders a span that begins before the
    text in an endless loop).  Else KeptViewError."""
    try:
        plain, style, spans = kept
        if not isinstance(plain, str) or not isinstance(style, str) or not isinstance(spans, list):
            raise TypeError("not a text")
        if clean(plain, oneline=False) != plain or any(mark in plain for mark in _NOT_KEPT):
            raise ValueError("control characters in a kept text")
        built = []
        for start, end, span_style in spans:
            if type(start) is not int or type(end) is not int or not 0 <= start <= end <= len(plain):
                raise ValueError(f"a span out of the text: {start!r}, {end!r}")
            built.append(Span(start, end, _parsed(span_style)))
        return Text(plain, style=_parsed(style) if style else "", spans=built)
    except (TypeError, ValueError, AttributeError, StyleSyntaxError) as exc:
        raise KeptViewError(str(exc)) from exc


def _parsed(style: Any) -> Style:
    if not isinstance(style, str):
        raise TypeError("a style that is not a string")
    parsed = Style.parse(style)
    if parsed.link:
        raise ValueError("a link in a kept style")  # text_json's texts have none
    return parsed
