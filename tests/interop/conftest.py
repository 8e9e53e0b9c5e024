from __future__ import annotations

from pathlib import Path

import pytest

from netjournal.journal import Journal
from tests.conftest import TODAY


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty journal's folder."""
    Journal.init(tmp_path / "journal", today=TODAY)
    return tmp_path / "journal"
