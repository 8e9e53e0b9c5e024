"""Shared fixtures: keep the developer's real config and data out of every test,
and pin "today" so derived facts (due, overdue, this week) are stable."""

from __future__ import annotations

import datetime as dt
import os
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


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durability is not under test (see test_files.py and tests/trust/); keep the suite
    fast.  Modules that want it say ``pytestmark = pytest.mark.usefixtures("no_fsync")``."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Journal:
    """One sample journal shared by a module's tests that only read it."""
    return Journal.init(tmp_path_factory.mktemp("read-only") / "journal", sample=True, today=TODAY)


@pytest.fixture
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Real git, never the developer's: an empty global config of the test's own (no
    system config), a fixed identity from the environment, this machine called "here",
    and no variable that would point git at another repository.  Returns the global
    config file (a test may add to it)."""
    config = tmp_path_factory.mktemp("git-config") / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Writer")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "writer@example.org")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETJOURNAL_HOST", "here")
    return config
