"""Fixtures for the trust suite."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Callable

import pytest

from netjournal.cli import main
from netjournal.journal import Journal
from tests.conftest import TODAY

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``netjournal.cli.main`` in-process: (exit code, stdout, stderr).
    An exception escaping ``main`` (a traceback for the user) fails the test."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse's --help/--version only
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # pragma: no cover - this is the failure we look for
            pytest.fail("an exception escaped the CLI:\n" + traceback.format_exc())
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def journal_root(tmp_path: Path) -> Path:
    """A small journal: one contact (ada-lovelace) and one reflection about her."""
    root = tmp_path / "journal"
    journal = Journal.init(root, today=TODAY)
    journal.add_contact("Ada Lovelace", org="Analytical Engines", why="She sees further", offer="Notes")
    journal.add_reflection("Met Ada", kind="meeting", contacts=["ada-lovelace"], body="We talked.\n")
    journal.close()
    return root
