"""Rich Text as JSON and back, for a view kept between runs (``Journal.remember_view``).

The text was made safe when the view was computed (``safe.literal``), but the kept
file is only a cache in the journal's folder, which any program can write: what
comes back is cleaned again, and anything that does not decode makes the whole view
unusable (``KeptViewError``) so that the screen computes it afresh.
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


def text_from(kept: Any) -> Text:
    """The Text ``text_json`` made (cleaned of control characters)."""
    try:
        plain, style, spans = kept
        if not isinstance(plain, str) or not isinstance(style, str):
            raise TypeError("not a text")
        built = [Span(int(start), int(end), Style.parse(span_style)) for start, end, span_style in spans
                 if isinstance(span_style, str)]
        return Text(clean(plain, oneline=False), style=Style.parse(style) if style else "", spans=built)
    except (TypeError, ValueError, AttributeError, StyleSyntaxError) as exc:
        raise KeptViewError(str(exc)) from exc
