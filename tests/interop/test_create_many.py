"""Many files created at once: each whole or absent, never over another, one sync."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from netjournal.store import files
from netjournal.store.files import create_many


def test_names_are_made_unique_and_nothing_is_replaced(tmp_path: Path) -> None:
    folder, scratch = tmp_path / "contacts", tmp_path / ".state"
    folder.mkdir()
    (folder / "ana.md").write_text("the user's own file\n")
    made = create_many([(folder, "ana", b"one\n"), (folder, "ana", b"two\n"), (folder, "bo", b"three\n")], scratch)
    assert made == [folder / "ana-2.md", folder / "ana-3.md", folder / "bo.md"]
    assert (folder / "ana.md").read_text() == "the user's own file\n"
    assert [(folder / n).read_text() for n in ("ana-2.md", "ana-3.md", "bo.md")] == ["one\n", "two\n", "three\n"]
    assert list(scratch.iterdir()) == []  # the temp files are gone
    assert {oct(p.stat().st_mode & 0o777) for p in made} == {"0o600"}


def test_one_sync_for_all_of_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    fsyncs: list[int] = []
    monkeypatch.setattr(files, "sync_filesystem", lambda path: synced.append(path))
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd)))
    folder = tmp_path / "contacts"
    folder.mkdir()
    create_many([(folder, f"p{i}", b"x\n") for i in range(50)], tmp_path / ".state")
    assert synced == [tmp_path / ".state"]
    assert len(fsyncs) == 1  # the folder's, once


def test_without_hard_links_each_file_is_still_created_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "ana.md").write_text("mine\n")
    made = create_many([(folder, "ana", b"theirs\n")], tmp_path / ".state")
    assert made == [folder / "ana-2.md"] and (folder / "ana.md").read_text() == "mine\n"
    assert (folder / "ana-2.md").read_text() == "theirs\n"


def test_a_new_file_is_written_as_the_front_matter_dumper_writes_it(tmp_path: Path) -> None:
    import datetime as dt

    from netjournal.journal import _new_file_text
    from netjournal.model import dateify
    from netjournal.store import frontmatter

    metas = [
        {"name": "Ana Lima", "org": "No", "role": "1e3", "tags": [], "why": None, "steps": {"why": None},
         "connected": dt.date(2021, 3, 12), "links": ["https://x.example/a: b"], "archived": False},
        {"name": "---", "org": "multi\nline", "emails": [{"type": "work", "value": "a@b"}], "cadence": 30,
         "vcard": {"N": ";x;;;", "X-A;TYPE=b": ["1", "2"]}, "birthday": "--04-15", "why": "yes"},
        {"title": "2026-11-20", "date": dt.date(2026, 11, 20), "time": "15:39", "starred": True, "uid": "jrnl-x"},
    ]
    metas.append({"name": "Zoë 😀", "org": "Esc \x1b[31m", "note": "tab\there", "nel": "a\x85b"})  # PyYAML's
    for path in sorted((Path(__file__).parents[2] / "sample_data").rglob("*.md")):
        metas.append(frontmatter.parse(path.read_text(encoding="utf-8")).meta or {"name": path.stem})
    for meta in metas:
        expected = frontmatter.dump(frontmatter.Document({}, "body\n", None), dateify(meta))
        assert _new_file_text(dateify(meta), "body\n") == expected
