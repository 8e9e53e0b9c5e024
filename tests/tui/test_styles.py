"""Each screen's stylesheet styles that screen only.

Textual loads a screen's CSS_PATH into the app's one stylesheet the first time the
screen is shown, and keeps it: an unscoped rule (``.form-label``) then styles every
screen.  The contact form's right-aligned labels and padded inputs once cut the first
digit off the editor's dates for the rest of the run."""

from __future__ import annotations

import re
from pathlib import Path

from textual.screen import Screen

from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.screens.editor import EditorScreen
from tests.tui.conftest import screen_text, settle

SCREENS = Path(__file__).resolve().parents[2] / "netjournal" / "tui" / "screens"


def top_level_selectors(css: str) -> list[str]:
    """The selectors of the rules at the top of a stylesheet (variables and comments left out)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors, depth, start = [], 0, 0
    for at, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selectors.append(css[start:at].strip().split(";")[-1].strip())
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = at + 1
    return selectors


def screen_classes() -> dict[str, type[Screen]]:
    """Every screen class with a stylesheet of its own, by the stylesheet's name."""
    import importlib

    found: dict[str, type[Screen]] = {}
    for path in SCREENS.glob("*.py"):
        module = importlib.import_module(f"netjournal.tui.screens.{path.stem}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Screen) and value.__module__ == module.__name__:
                css_path = value.CSS_PATH
                for name in [css_path] if isinstance(css_path, str) else list(css_path or []):
                    found[str(name)] = value
    return found


def test_every_screen_stylesheet_is_scoped_to_its_screen() -> None:
    owners = screen_classes()
    sheets = sorted(SCREENS.glob("*.tcss"))
    assert sheets and set(owners) == {sheet.name for sheet in sheets}
    for sheet in sheets:
        selectors = top_level_selectors(sheet.read_text())
        assert selectors == [owners[sheet.name].__name__], (
            f"{sheet.name}: every rule belongs inside one '{owners[sheet.name].__name__} {{ … }}' block, "
            f"found {selectors}")


async def test_the_editor_dates_read_whole_after_the_contact_form_was_open(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)
        await pilot.press("escape", "3", "n", "tab", "tab", "tab", "tab", *"2026-12-20")  # title → follow-up
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        shown = screen_text(app)
        assert "Date      2026-11-25" in shown
        assert "Follow-up 2026-12-20" in shown
        assert "Title     What happened" in shown  # labels left-aligned, as the editor has them


async def test_each_stylesheet_is_parsed_once_until_the_theme_changes(make_app, monkeypatch) -> None:
    """Textual parses every source again when a screen's own stylesheet is first loaded,
    and sets the (same) variables again, which emptied the cache of parsed rules: the
    app keeps what was parsed while the variables are the same. A new theme has new
    variables: then everything is parsed again, and drawn in its colours."""
    from collections import Counter

    from textual.css import stylesheet as stylesheet_module

    parsed: Counter[str] = Counter()  # a source (a class's defaults once per subclass) -> parses
    real_parse = stylesheet_module.parse

    def counting_parse(scope, css, read_from, *args, **kwargs):
        parsed[f"{read_from} {scope} {kwargs.get('tie_breaker')}"] += 1
        return real_parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet_module, "parse", counting_parse)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert parsed and max(parsed.values()) == 1, parsed.most_common(3)
        assert any("dashboard.tcss" in source for source in parsed)
        await pilot.press("2")  # another area: its own stylesheet, the rest kept
        await settle(pilot)
        assert max(parsed.values()) == 1, parsed.most_common(3)
        dark_background = app.screen.styles.background
        parsed.clear()
        app.theme = "textual-light"
        await settle(pilot)
        assert any("app.tcss" in source for source in parsed)  # parsed again for the new variables
        assert app.screen.styles.background != dark_background
