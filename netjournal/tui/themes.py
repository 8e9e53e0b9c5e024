"""Themes: YAML files mapped to Textual ``Theme`` objects.

Shipped themes live in the top-level ``themes/`` folder; the user's own in
``<config dir>/themes/``.  A broken file gives a notice and is skipped, so the app
falls back to the default theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.theme import Theme

from netjournal.config import read_theme_files

DEFAULT_THEME = "netjournal-dark"
_COLOR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface",
               "panel", "boost", "warning", "error", "success")


@dataclass
class ThemeLoad:
    themes: list[Theme] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def theme_from_mapping(data: dict, source: str) -> Theme:
    """Build a Theme from a mapping, or raise ValueError saying what is wrong."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a theme needs a 'name'")
    if not isinstance(data.get("primary"), str):
        raise ValueError("a theme needs a 'primary' colour")
    colors = {key: str(data[key]) for key in _COLOR_KEYS if data.get(key) is not None}
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("'variables' must be a mapping")
    theme = Theme(name=name.strip(), dark=bool(data.get("dark", True)),
                  variables={str(k): str(v) for k, v in variables.items()}, **colors)
    theme.to_color_system()  # raises on a colour Textual cannot read
    return theme


def load_themes() -> ThemeLoad:
    """Shipped themes, then the user's; a file that cannot be read or is not a theme
    becomes an error to show (the files are read by ``netjournal.config``)."""
    result = ThemeLoad()
    for path, data in read_theme_files():
        if isinstance(data, str):
            result.errors.append(f"{path}: {data}")
            continue
        try:
            result.themes.append(theme_from_mapping(data, path))
        except Exception as exc:  # a colour Textual cannot read raises its own errors
            result.errors.append(f"{path}: {exc}")
    return result
