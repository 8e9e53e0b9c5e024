"""Shared fixtures: keep the developer's real config and data out of every test,
and pin "today" so derived facts (due, overdue, this week) are stable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netjournal.journal import Journal

TODAY = dt.date(2026, 11, 25)  # the sample journal's story is told as of this day


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("NETJOURNAL_CONFIG_DIR", str(home / ".config" / "netjournal"))
    monkeypatch.setenv("NETJOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.delenv("NETJOURNAL_DIR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.fixture
def sample_journal(tmp_path: Path) -> Journal:
    """A fresh copy of sample_data/, opened as of TODAY."""
    return Journal.init(tmp_path / "journal", sample=True, today=TODAY)


@pytest.fixture
def empty_journal(tmp_path: Path) -> Journal:
    return Journal.init(tmp_path / "empty", today=TODAY)
