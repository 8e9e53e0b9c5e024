"""Themes: YAML files mapped to Textual ``Theme`` objects.

Shipped themes live in the top-level ``themes/`` folder; the user's own in
``<config dir>/themes/``.  A broken file gives a notice and is skipped, so the app
falls back to the default theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.theme import Theme

from netjournal.config import user_config_dir
from netjournal.store import frontmatter

DEFAULT_THEME = "netjournal-dark"
_COLOR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface",
               "panel", "boost", "warning", "error", "success")


def shipped_themes_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "themes", here.parent / "themes"):
        if candidate.is_dir():
            return candidate
    return None


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


def load_folder(folder: Path | None, result: ThemeLoad) -> None:
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.y*ml")):
        try:
            data = frontmatter.parse_meta(path.read_text(encoding="utf-8"), 1)
            result.themes.append(theme_from_mapping(data, str(path)))
        except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError, ValueError, Exception) as exc:
            result.errors.append(f"{path}: {exc}")


def load_themes() -> ThemeLoad:
    """Shipped themes, then the user's (which may override a shipped one by name)."""
    result = ThemeLoad()
    load_folder(shipped_themes_dir(), result)
    load_folder(user_config_dir() / "themes", result)
    return result
