"""Apps for pilot and snapshot tests: a fresh copy of the sample journal as of TODAY,
built through the same class the real entry point uses."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from netjournal.journal import Journal
from netjournal.tui.app import NetJournalApp
from tests.conftest import TODAY


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., NetJournalApp]:
    """make_app(start="contacts", journal=None) → an app on a sample journal copy."""

    def build(start: str = "dashboard", journal: Journal | None = None, **kwargs) -> NetJournalApp:
        if journal is None:
            journal = Journal.init(tmp_path / "journal", sample=True, today=TODAY)
        return NetJournalApp(journal, start=start, remember_theme=False, **kwargs)

    return build
