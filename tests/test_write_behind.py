"""Write-behind index (what the app uses): files are written at once, the index in
memory; flush() writes it, merging what another process wrote meanwhile; a missed
flush costs only a re-read of the changed files on the next open."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from netjournal.journal import Journal
from tests.conftest import TODAY


def index_bytes(root: Path) -> bytes:
    return (root / ".netjournal" / "index.json").read_bytes()


def test_save_writes_the_file_now_and_the_index_on_flush(sample_journal: Journal) -> None:
    root = sample_journal.root
    journal = Journal.open(root, today=TODAY, write_behind=True)
    before = index_bytes(root)
    journal.set_step("kofi-mensah", "trust", on=dt.date(2026, 11, 24))
    assert "trust: 2026-11-24" in (root / "contacts" / "kofi-mensah.md").read_text()
    assert index_bytes(root) == before and journal.index_pending
    # the journal itself already knows
    assert journal.contact_facts("kofi-mensah").contact.steps["trust"].date == "2026-11-24"
    journal.flush()
    assert not journal.index_pending
    record = next(r for r in json.loads(index_bytes(root))["files"].values() if r["path"] == "contacts/kofi-mensah.md")
    assert record["data"]["steps"]["trust"][0] == "2026-11-24"
    assert Journal.open(root, today=TODAY).last_sync.touched == 0


def test_a_missed_flush_loses_nothing(sample_journal: Journal) -> None:
    root = sample_journal.root
    journal = Journal.open(root, today=TODAY, write_behind=True)
    added = journal.add_reflection("Written, never flushed", kind="give", contacts=["kofi-mensah"])
    # the process "dies" here: no flush, no close
    fresh = Journal.open(root, today=TODAY)
    assert fresh.last_sync.added == 1 and fresh.last_sync.changed_paths == [added.path]
    assert fresh.contact_facts("kofi-mensah").last_touch == TODAY.isoformat()


def test_flush_merges_with_another_processs_writes(sample_journal: Journal) -> None:
    root = sample_journal.root
    app = Journal.open(root, today=TODAY, write_behind=True)
    other = Journal.open(root, today=TODAY)  # writes through, like the CLI
    app.set_step("kofi-mensah", "trust", on=dt.date(2026, 11, 24))
    other.add_reflection("From the command line", kind="note")
    other.update_contact("marcus-feld", {"role": "Partner"})
    app.add_reflection("From the app", kind="note")
    app.close()
    fresh = Journal.open(root, today=TODAY)
    assert fresh.last_sync.touched == 0  # the index already agrees with the files
    titles = {r.title for r in fresh.reflections()}
    assert {"From the command line", "From the app"} <= titles
    assert fresh.contact_facts("kofi-mensah").contact.steps["trust"].date == "2026-11-24"
    assert fresh.contact_facts("marcus-feld").contact.role == "Partner"
    paths = [r["path"] for r in json.loads(index_bytes(root))["files"].values()]
    assert len(paths) == len(set(paths))


def test_delete_with_write_behind(sample_journal: Journal) -> None:
    root = sample_journal.root
    journal = Journal.open(root, today=TODAY, write_behind=True)
    journal.delete_contact("tomas-herrera")
    journal.flush()
    paths = [r["path"] for r in json.loads(index_bytes(root))["files"].values()]
    assert "contacts/tomas-herrera.md" not in paths
    assert Journal.open(root, today=TODAY).last_sync.touched == 0


def test_temp_files_of_killed_saves_are_swept_to_the_trash(sample_journal: Journal) -> None:
    """A save killed midway leaves `.<name>.nj-<random>.tmp`; the next open moves one
    older than a minute to the trash (it may hold words that never reached their
    file) and removes the index's own; a fresh one (a save in progress) stays."""
    import os

    root = sample_journal.root
    old = root / "contacts" / ".kofi-mensah.md.nj-abc12345.tmp"
    old.write_text("---\nname: Kofi Mensah\n---\nhalf a new vers")
    fresh = root / "reflections" / "2026" / ".x.md.nj-def45678.tmp"
    fresh.write_text("in progress")
    cache = root / ".netjournal" / ".index.json.nj-zzzzzzzz.tmp"
    cache.write_text("{")
    for path in (old, cache):
        os.utime(path, ns=(0, 0))
    Journal.open(root, today=TODAY)
    assert not old.exists() and not cache.exists() and fresh.exists()
    trashed = list((root / ".netjournal" / "trash").rglob(".kofi-mensah.md.nj-abc12345.tmp"))
    assert len(trashed) == 1 and trashed[0].read_text().endswith("half a new vers")


def test_a_big_rebuild_reads_in_parallel_and_gives_the_same_index(tmp_path, monkeypatch) -> None:
    """The command line's full rebuild forks workers for many files; the records and
    the search cache must be exactly what one process builds."""
    import netjournal.store.index as index_module

    root = tmp_path / "big"
    journal = Journal.init(root, today=TODAY)
    for n in range(40):
        journal.add_contact(f"Person {n}", why="w", offer="o")
        journal.add_reflection(f"Met person {n}", contacts=[f"person-{n}"], kind="meeting",
                               body=f"We talked about topic {n} and [[person-{(n + 1) % 40}]].")
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10**9)
    single = Journal.open(root, today=TODAY, full=True)
    expected = {p: {k: v for k, v in r.items()} for p, r in single.index.records().items()}
    monkeypatch.setattr(index_module, "PARALLEL_MIN", 10)
    parallel = Journal.open(root, today=TODAY, full=True)
    assert {p: dict(r) for p, r in parallel.index.records().items()} == expected
    assert parallel.search("topic 7")[0].title == "Met person 7"  # the phrase ranks first
    assert parallel.contact_facts("person-3").last_touch == TODAY.isoformat()
