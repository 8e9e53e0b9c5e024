"""Start the app: find (or make) the journal, or a demo copy of the sample one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.config import ConfigError, resolve_journal
from netjournal.journal import Journal, JournalError, is_journal
from netjournal.text import clean

if TYPE_CHECKING:
    from netjournal.tui.app import NetJournalApp


def open_for_app(journal: str | None, demo: bool) -> Journal:
    """The journal the app should show. The default location is created on first run."""
    if demo:
        from netjournal.demo import open_demo

        return open_demo()
    root, source = resolve_journal(journal)
    if source == "default" and not is_journal(root):
        Journal.init(root, name="My network").close()
    # deferred: the index is read once the first screen is up (NetJournalApp.on_ready)
    return Journal.open(root, write_behind=True, defer=True)


def build_app(journal: Journal, *, demo: bool = False, theme: str | None = None) -> "NetJournalApp":
    """The app on ``journal``.  A demo is a visit: a theme chosen in it (``--theme`` or
    the palette) is used for that run and not written into the user's config."""
    from netjournal.tui.app import NetJournalApp

    return NetJournalApp(journal, theme_name=theme, remember_theme=not demo)


def launch(*, journal: str | None = None, demo: bool = False, theme: str | None = None) -> int:
    try:
        opened = open_for_app(journal, demo)
    except (JournalError, ConfigError) as exc:
        print(f"netjournal: {clean(str(exc))}", file=sys.stderr)
        return 1
    app = build_app(opened, demo=demo, theme=theme)
    app.run()
    if demo:
        print(f"The demo journal is at {Path(opened.root)} (a temporary copy; the sample files were not changed).")
    return 0
