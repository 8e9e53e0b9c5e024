"""Fixtures for the sync tests: real git with the test's own config (``git_env``),
local bare repositories only, and "machines" -- journals that sync with one hub."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.machines import Machine, bare
from tests.trust.conftest import Run, cli  # noqa: F401  (the in-process CLI fixture)


@pytest.fixture(autouse=True)
def _real_git(git_env: Path) -> Path:
    return git_env


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    """An empty bare repository on a "server" (a local folder)."""
    return bare(tmp_path / "hub.git")


@pytest.fixture
def laptop(tmp_path: Path, cli: Run, hub: Path) -> Machine:  # noqa: F811
    """The sample journal, made a repository and pushed to the hub."""
    machine = Machine(tmp_path / "laptop", "laptop", cli)
    code, out, err = machine.run("init", str(machine.root), "--sample")
    assert code == 0, err
    code, out, err = machine.run("git", "init", "--remote", str(hub))
    assert code == 0, err
    return machine


@pytest.fixture
def desk(tmp_path: Path, cli: Run, hub: Path, laptop: Machine) -> Machine:  # noqa: F811
    """A second machine: the laptop's journal, cloned from the hub."""
    machine = Machine(tmp_path / "desk", "desk", cli)
    code, out, err = machine.run("git", "init", "--remote", str(hub))
    assert code == 0, err
    return machine


@pytest.fixture
def solo(tmp_path: Path, cli: Run) -> Machine:  # noqa: F811
    """The sample journal in a repository of its own, no remote."""
    machine = Machine(tmp_path / "solo", "solo", cli)
    machine.ok("init", str(machine.root), "--sample")
    machine.ok("git", "init")
    return machine
