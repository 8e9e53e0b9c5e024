"""Apps for pilot and snapshot tests: a fresh copy of the sample journal as of TODAY,
built through the same class the real entry point uses; one way to wait for the app
to settle, and one way to type a burst of keys as a fast typist's arrive."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Callable

import pytest
from rich.console import Console
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Input, TextArea

from netjournal.journal import Journal
from netjournal.tui.app import NetJournalApp
from tests.conftest import TODAY

SETTLE = 0.2  # longer than the app's own short delays (the reflections preview waits 80 ms)


async def settle(pilot, delay: float = SETTLE) -> None:
    """Wait until what the keys set off is on screen: the app's short timers have run
    (``delay``), then every widget has handled what was queued."""
    await pilot.pause(delay)
    await pilot.pause()
    await pilot.pause()  # what the first round set off (a Markdown's blocks, a pushed screen's mount)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text cursor that blinks makes a snapshot depend on the moment it is taken:
    in tests the cursors stay lit."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


def burst(app: App, *keys: str) -> None:
    """Queue ``keys`` (names as ``pilot.press`` takes them; one character each for
    text: ``*"Acme"``) all at once, before the app handles any of them, as a fast
    typist's keys arrive; ``pilot.press`` waits for the app between keys."""
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            character: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


def screen_text(app: App) -> str:
    """What the terminal shows now, as plain text (one line a row)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., NetJournalApp]:
    """make_app(start="contacts", journal=None) → an app on a sample journal copy."""

    def build(start: str = "dashboard", journal: Journal | None = None, **kwargs) -> NetJournalApp:
        if journal is None:
            journal = Journal.init(tmp_path / "journal", sample=True, today=TODAY)
        return NetJournalApp(journal, start=start, remember_theme=False, **kwargs)

    return build
