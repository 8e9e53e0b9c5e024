"""Relationship health (``insights.health_of``) drawn as a short bar and its number."""

from __future__ import annotations

from typing import Mapping

from rich.text import Text

from netjournal.insights import HEALTHY, NEEDS_CARE

EIGHTHS = " ▏▎▍▌▋▊▉"


def health_color(score: int, colors: Mapping[str, str]) -> str:
    """The theme's success colour from HEALTHY up, warning from NEEDS_CARE, else error."""
    if score >= HEALTHY:
        return colors.get("text-success", "green")
    if score >= NEEDS_CARE:
        return colors.get("text-warning", "yellow")
    return colors.get("text-error", "red")


def health_bar(score: int, colors: Mapping[str, str], *, width: int = 5, number: bool = True) -> Text:
    """``████▌ 87``: ``width`` cells in eighths, then the number (right-aligned)."""
    filled = max(0, min(score, 100)) * width * 8 // 100
    bar = "█" * (filled // 8)
    if filled % 8 and len(bar) < width:
        bar += EIGHTHS[filled % 8]
    text = Text(no_wrap=True)
    text.append(bar, style=health_color(score, colors))
    text.append("·" * (width - len(bar)), style="dim")
    if number:
        text.append(f" {score:>3}")
    return text
