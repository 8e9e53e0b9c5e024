"""Text drawn as segments, for the widgets that draw their own lines (the tables,
the dashboard's sections)."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

_NEWLINE = Text("\n")


def line_segments(console: Console, line: Text) -> list[Segment]:
    """One line of text as segments, its own style under its spans (``Text.render``
    leaves the style off a line without spans; joining puts it on, as Rich does)."""
    return list(_NEWLINE.join([line]).render(console))
