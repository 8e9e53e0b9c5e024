"""Privacy: a journal is the user's private notes.  A new journal's folders are
0700 and every file the app creates is 0600 -- whatever the umask -- and a file the
user opened up (0644) keeps its mode when the app saves it."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterator

import pytest

from netjournal.journal import Journal
from tests.conftest import TODAY
from tests.trust.conftest import Run


@pytest.fixture(params=[0o022, 0o002, 0o000])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _modes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): _mode(p) for p in [root, *root.rglob("*")]}


def _use_every_feature(root: Path, cli: Run) -> None:
    for args in (["add", "contact", "Ada Lovelace", "--why", "engines"],
                 ["add", "contact", "Charles Babbage"],
                 ["add", "reflection", "Met Ada", "--kind", "meeting", "--contact", "ada-lovelace"],
                 ["add", "reflection", "Old one", "--date", "2019-05-05", "--body", "findme"],
                 ["step", "ada-lovelace", "trust"], ["search", "findme"], ["reindex", "--full"]):
        code, _, err = cli("--journal", root, *args)
        assert code == 0, (args, err)
    journal = Journal.open(root)
    journal.delete("contacts/charles-babbage.md")  # into .netjournal/trash/


@pytest.mark.parametrize("how", ["api", "cli"])
def test_new_journal_is_private_whatever_the_umask(how: str, umask: int, tmp_path: Path, cli: Run) -> None:
    """Proves: under a permissive umask (022, 002, 000), a journal made by
    Journal.init or `netjournal init` and then used (contacts, reflections in a new
    year folder, index, full-text shards, lock, trash) has only 0700 folders and
    0600 files: nothing in it is readable by anyone but its owner."""
    root = tmp_path / "new" / "journal"
    if how == "api":
        Journal.init(root, today=TODAY).close()
    else:
        code, _, err = cli("init", root)
        assert code == 0, err
    _use_every_feature(root, cli)
    modes = _modes(root)
    expected_kinds = {"contacts/ada-lovelace.md", "reflections/2019", ".netjournal/index.json",
                      ".netjournal/lock", ".netjournal/fulltext", ".netjournal/trash", "netjournal.yaml"}
    assert expected_kinds <= set(modes), sorted(modes)
    assert any(p.startswith(".netjournal/fulltext/") for p in modes)
    assert any(p.startswith(".netjournal/trash/") and p.endswith("charles-babbage.md") for p in modes)
    wrong = {}
    for rel, mode in modes.items():
        path = root / rel if rel != "." else root
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            wrong[rel] = oct(mode)
    assert not wrong, f"not private: {wrong}"


def test_sample_journal_is_private(umask: int, tmp_path: Path, cli: Run) -> None:
    """Proves: a journal started from the sample (`netjournal init --sample`) is
    private too: its copied files are 0600 and its folders 0700."""
    root = tmp_path / "sample"
    code, _, err = cli("init", root, "--sample")
    assert code == 0, err
    wrong = {rel: oct(mode) for rel, mode in _modes(root).items()
             if mode != (0o700 if (root / rel).is_dir() else 0o600)}
    assert not wrong, f"not private: {wrong}"


def test_a_file_the_user_opened_up_keeps_its_mode(tmp_path: Path, cli: Run) -> None:
    """Proves: files the user chose to make 0644 (a contact, a reflection, the
    settings file's neighbours) stay 0644 after the app saves them, and the app
    never widens a private file."""
    root = tmp_path / "journal"
    Journal.init(root, today=TODAY).close()
    assert cli("--journal", root, "add", "contact", "Ada Lovelace")[0] == 0
    assert cli("--journal", root, "add", "contact", "Grace Hopper")[0] == 0
    assert cli("--journal", root, "add", "reflection", "Met Ada", "--contact", "ada-lovelace")[0] == 0
    contact = root / "contacts" / "ada-lovelace.md"
    reflection = next((root / "reflections").rglob("*.md"))
    private = root / "contacts" / "grace-hopper.md"
    contact.chmod(0o644)
    reflection.chmod(0o640)
    before = contact.read_bytes()
    assert cli("--journal", root, "step", "ada-lovelace", "trust")[0] == 0
    assert cli("--journal", root, "step", "grace-hopper", "trust")[0] == 0
    journal = Journal.open(root)
    journal.update_reflection(reflection.relative_to(root).as_posix(), {"kind": "give"}, body="new body\n")
    assert contact.read_bytes() != before  # it was saved (replaced), and...
    assert _mode(contact) == 0o644  # ...kept the user's mode
    assert _mode(reflection) == 0o640
    assert _mode(private) == 0o600
