"""The TinyDB index: metadata only, versioned, rebuilt when it cannot be trusted,
synced incrementally, problems kept, and safe with several processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from tinydb.table import Table

import netjournal.store.entries as entries_module
from netjournal.journal import Journal, JournalError, NotFound
from netjournal.store.index import SCHEMA, AtomicJSONStorage, JournalLock, plain_json
from tests.conftest import TODAY

SAMPLE_CONTACTS = 12
SAMPLE_REFLECTIONS = 39  # the intro of Owen and Nadia is the 39th


pytestmark = pytest.mark.usefixtures("no_fsync")


def index_json(root: Path) -> dict[str, Any]:
    return json.loads((root / ".netjournal" / "index.json").read_bytes())


def file_records(root: Path) -> list[dict[str, Any]]:
    return list(index_json(root)["files"].values())


def counts(journal: Journal) -> tuple[int, int]:
    return len(journal.contacts(include_archived=True)), len(journal.reflections())


def spy_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file read (parsed), by relative path: the index and the journal
    read files through ``entries.load`` (imported where they read)."""
    loaded: list[str] = []
    real = entries_module.load

    def spy(root: Path, rel: str, **kwargs: Any):
        loaded.append(rel)
        return real(root, rel, **kwargs)

    monkeypatch.setattr(entries_module, "load", spy)
    return loaded


def reopen(root: Path, **kwargs: Any) -> Journal:
    return Journal.open(root, today=TODAY, **kwargs)


# --------------------------------------------------------------------------- what is stored


def test_index_holds_metadata_only_and_a_schema_version(sample_journal: Journal) -> None:
    root = sample_journal.root
    raw = (root / ".netjournal" / "index.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert list(data["meta"].values())[0]["schema"] == SCHEMA
    records = list(data["files"].values())
    assert len(records) == SAMPLE_CONTACTS + SAMPLE_REFLECTIONS
    for record in records:
        assert set(record) == {"path", "kind", "mtime_ns", "size", "ctime_ns", "ino", "sha256", "ok", "data",
                               "problems"}
        assert "body" not in (record["data"] or {})
    # sentences that only exist in bodies are not in the index
    for sentence in ("allergic to fluff", "designing the silences", "in a code block this is just text"):
        assert sentence in raw_bodies(root)
        assert sentence not in raw


def raw_bodies(root: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(root.glob("*/**/*.md")))


def test_everything_in_index_json_is_plain_json(sample_journal: Journal) -> None:
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        else:
            assert value is None or isinstance(value, (str, int, float, bool))

    sample_journal.set_step("kofi-mensah", "trust", on=dt.date(2026, 11, 24), note="Sent the second draft")
    walk(index_json(sample_journal.root))


def test_plain_json_refuses_dates_and_other_objects() -> None:
    assert plain_json({"a": (1, 2), 3: [None, True, 1.5, "x"]}) == {"a": [1, 2], "3": [None, True, 1.5, "x"]}
    for bad in (dt.date(2026, 11, 20), {"d": dt.datetime(2026, 1, 1)}, [{1, 2}], b"bytes", object()):
        with pytest.raises(TypeError):
            plain_json(bad)


# --------------------------------------------------------------------------- rebuilding


def test_schema_mismatch_rebuilds_with_nothing_lost(sample_journal: Journal) -> None:
    root = sample_journal.root
    sample_journal.close()
    data = index_json(root)
    for meta in data["meta"].values():
        meta["schema"] = SCHEMA + 41
    (root / ".netjournal" / "index.json").write_text(json.dumps(data))
    journal = reopen(root)
    assert journal.last_sync.rebuilt and journal.last_sync.reason == "index schema changed"
    assert counts(journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)
    assert list(index_json(root)["meta"].values())[0]["schema"] == SCHEMA


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\xff\xfe garbage \x89PNG",
        b'{"files": {"1": {"path": "contacts/a.md"',  # cut off mid-write
        b"[1, 2, 3]",
        b'{"files": []}',
        b'{"meta": {"1": {"schema": 1}}, "files": {"1": {"path": "contacts/priya-raman.md"}}}',
        b'{"meta": {"1": {"schema": 1}}, "files": {"1": "not a record"}}',
        b"",
    ],
)
def test_corrupt_index_rebuilds_transparently(sample_journal: Journal, garbage: bytes) -> None:
    root = sample_journal.root
    sample_journal.close()
    (root / ".netjournal" / "index.json").write_bytes(garbage)
    journal = reopen(root)
    assert journal.last_sync.rebuilt
    assert counts(journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)
    assert journal.contact_facts("priya-raman").gave == 5
    assert len(file_records(root)) == SAMPLE_CONTACTS + SAMPLE_REFLECTIONS


def test_deleted_state_folder_rebuilds_with_nothing_lost(sample_journal: Journal) -> None:
    root = sample_journal.root
    before = {c.slug: c.step_dates() for c in sample_journal.contacts(include_archived=True)}
    sample_journal.close()
    shutil.rmtree(root / ".netjournal")
    journal = reopen(root)
    assert journal.last_sync.rebuilt
    assert {c.slug: c.step_dates() for c in journal.contacts(include_archived=True)} == before
    assert counts(journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)
    assert journal.search("allergic to fluff")[0].path == "contacts/priya-raman.md"


def test_state_folder_deleted_while_open(sample_journal: Journal) -> None:
    # Found by review: the lock file lives in .netjournal/, so with the folder gone
    # every later sync or save crashed with FileNotFoundError.
    root = sample_journal.root
    shutil.rmtree(root / ".netjournal")
    report = sample_journal.sync()
    assert report.rebuilt
    assert counts(sample_journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)
    shutil.rmtree(root / ".netjournal")
    sample_journal.set_step("kofi-mensah", "trust", on=dt.date(2026, 11, 24))
    sample_journal.add_reflection("Sent Kofi the second draft", kind="give", contacts=["kofi-mensah"])
    journal = reopen(root)
    assert counts(journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS + 1)
    assert journal.contact_facts("kofi-mensah").contact.steps["trust"].date == "2026-11-24"


def test_full_rebuild_uses_insert_multiple(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    sample_journal.close()
    calls: list[tuple[str, str, int]] = []
    real_insert, real_multiple = Table.insert, Table.insert_multiple

    def insert(self: Table, document: Any) -> int:
        calls.append(("insert", self.name, 1))
        return real_insert(self, document)

    def insert_multiple(self: Table, documents: Any) -> list[int]:
        documents = list(documents)
        calls.append(("insert_multiple", self.name, len(documents)))
        return real_multiple(self, documents)

    monkeypatch.setattr(Table, "insert", insert)
    monkeypatch.setattr(Table, "insert_multiple", insert_multiple)
    journal = reopen(root, full=True)
    assert journal.last_sync.rebuilt and journal.last_sync.reason == "full rebuild requested"
    file_calls = [c for c in calls if c[1] == "files"]
    assert file_calls == [("insert_multiple", "files", SAMPLE_CONTACTS + SAMPLE_REFLECTIONS)]


# --------------------------------------------------------------------------- incremental sync


def test_reopening_an_unchanged_journal_reads_nothing(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    sample_journal.close()
    loaded = spy_loads(monkeypatch)
    journal = reopen(root)
    report = journal.last_sync
    assert not report.rebuilt and report.touched == 0 and report.changed_paths == []
    assert loaded == []
    assert counts(journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)


def test_one_file_changed_externally_is_the_only_one_read(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    sample_journal.close()
    rel = "reflections/2026/2026-11-05-on-saying-no-to-favours.md"
    path = root / rel
    path.write_text(path.read_text().replace('title: "On: saying no to favours"', "title: Saying no, kindly"))
    loaded = spy_loads(monkeypatch)
    journal = reopen(root)
    report = journal.last_sync
    assert not report.rebuilt
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    assert report.changed_paths == [rel]
    assert loaded == [rel]
    assert journal.reflection(rel).title == "Saying no, kindly"


def test_one_file_changed_with_same_size_and_mtime_is_noticed(sample_journal: Journal) -> None:
    root = sample_journal.root
    journal = sample_journal
    rel = "contacts/marcus-feld.md"
    path = root / rel
    st = path.stat()
    path.write_text(path.read_text().replace("cadence: 60", "cadence: 61"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    report = journal.sync()
    assert report.changed_paths == [rel]
    assert journal.contact_facts("marcus-feld").cadence == 61


def test_external_delete_and_add(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    sample_journal.close()
    gone = "reflections/2026/2026-05-18-demo-call-with-rob-at-clearpath.md"
    (root / gone).unlink()
    new = "reflections/2026/2026-11-25-coffee-with-aisha.md"
    (root / new).write_text(
        "---\ntitle: Coffee with Aisha\ndate: 2026-11-25\ncontacts: [aisha-bello]\nkind: meeting\n---\nShe asked about the canvas.\n"
    )
    loaded = spy_loads(monkeypatch)
    journal = reopen(root)
    report = journal.last_sync
    assert (report.added, report.changed, report.removed) == (1, 0, 1)
    assert sorted(report.changed_paths) == sorted([gone, new])
    assert loaded == [new]
    paths = {r.path for r in journal.reflections()}
    assert gone not in paths and new in paths
    assert journal.contact_facts("aisha-bello").last_touch == "2026-11-25"
    assert {r["path"] for r in file_records(root)} == {p for p in journal.index.records()}
    assert gone not in {r["path"] for r in file_records(root)}


# --------------------------------------------------------------------------- problems


BAD_FILES = {
    "contacts/broken-yaml.md": (b"---\nname: Broken\ntags: [a, b\nwhy: x\n---\nNotes.\n", 4),
    "contacts/bad-bytes.md": (b"---\nname: Bad\n---\nline\n\xff\xfe\n", 5),
    "reflections/2026/2026-11-21-impossible-date.md": (b"---\ntitle: Impossible\ndate: 2026-02-30\n---\nx\n", 3),
    "reflections/2026/2026-11-22-a-list.md": (b"---\n- just\n- a list\n---\nx\n", 2),
    "reflections/2026/undated.md": (b"---\ntitle: No date anywhere\n---\nx\n", 2),
}


def add_bad_files(root: Path) -> None:
    for rel, (data, _) in BAD_FILES.items():
        (root / rel).write_bytes(data)


def test_problems_are_kept_listed_and_never_rewritten(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    add_bad_files(root)
    sample_journal.sync()
    problems = {p.path: p for p in sample_journal.problems() if p.severity == "error"}
    assert set(problems) == set(BAD_FILES)
    for rel, (_, line) in BAD_FILES.items():
        assert problems[rel].line == line, rel
        assert problems[rel].reason and "\n" not in problems[rel].reason
        assert str(problems[rel]).startswith(f"{rel}:{line}: ")
    # they are in the index, marked not ok, with their problems
    records = {r["path"]: r for r in file_records(root)}
    for rel in BAD_FILES:
        assert records[rel]["ok"] is False and records[rel]["problems"]
    # good files are still all there
    assert counts(sample_journal) == (SAMPLE_CONTACTS, SAMPLE_REFLECTIONS)
    # and they are not re-read on every open
    sample_journal.close()
    loaded = spy_loads(monkeypatch)
    journal = reopen(root)
    assert loaded == [] and len([p for p in journal.problems() if p.severity == "error"]) == len(BAD_FILES)
    # nothing the app does rewrites them
    with pytest.raises(JournalError):
        journal.load_entry("contacts/broken-yaml.md")
    with pytest.raises(NotFound):
        journal.set_step("broken-yaml", "why")
    journal.sync(full=True)
    journal.set_step("kofi-mensah", "trust")
    journal.search("x")
    for rel, (data, _) in BAD_FILES.items():
        assert (root / rel).read_bytes() == data


def test_a_fixed_problem_file_comes_back(sample_journal: Journal) -> None:
    root = sample_journal.root
    add_bad_files(root)
    sample_journal.sync()
    (root / "contacts/broken-yaml.md").write_text("---\nname: Fixed\ntags: [a, b]\n---\nNotes.\n")
    sample_journal.sync()
    assert sample_journal.has_contact("broken-yaml")
    assert "contacts/broken-yaml.md" not in {p.path for p in sample_journal.problems()}


def test_broken_settings_file_is_a_problem_too(sample_journal: Journal) -> None:
    root = sample_journal.root
    (root / "netjournal.yaml").write_text("name: x\ncadence: [oops\n")
    sample_journal.sync()
    problem = [p for p in sample_journal.problems() if p.path == "netjournal.yaml"]
    assert problem and problem[0].line >= 1
    assert sample_journal.default_cadence is None
    assert (root / "netjournal.yaml").read_text() == "name: x\ncadence: [oops\n"


# --------------------------------------------------------------------------- several processes


def assert_index_agrees_with_files(root: Path, expected_reflections: int) -> Journal:
    records = file_records(root)  # parses
    paths = [r["path"] for r in records]
    assert len(paths) == len(set(paths)), "a file is indexed twice"
    on_disk = {p.relative_to(root).as_posix() for p in root.glob("contacts/*.md")}
    on_disk |= {p.relative_to(root).as_posix() for p in root.glob("reflections/**/*.md")}
    assert set(paths) == on_disk
    journal = reopen(root)
    assert journal.last_sync.touched == 0, journal.last_sync
    assert len(journal.reflections()) == expected_reflections
    fresh = reopen(root, full=True)
    assert {p: r["data"] for p, r in fresh.index.records().items()} == {
        p: r["data"] for p, r in journal.index.records().items()
    }
    return journal


WORKER = textwrap.dedent(
    """
    import datetime as dt, os, sys
    os.fsync = lambda fd: None  # locking is under test here, not durability
    from netjournal.journal import Journal
    root, worker = sys.argv[1], sys.argv[2]
    journal = Journal.open(root, today=dt.date(2026, 11, 25))
    for i in range(10):
        journal.add_reflection(f"Worker {worker} note {i}", kind="give", contacts=["ada"],
                               body=f"Written by worker {worker}, number {i}.\\n")
        if i % 3 == 0:
            journal.set_step("ada", "connect", on=dt.date(2026, 11, 1 + i))
    journal.close()
    """
)


def test_four_processes_writing_at_once(empty_journal: Journal) -> None:
    root = empty_journal.root
    empty_journal.add_contact("Ada", why="Test")
    empty_journal.close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for n in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    journal = assert_index_agrees_with_files(root, 40)
    titles = {r.title for r in journal.reflections()}
    assert titles == {f"Worker {w} note {i}" for w in range(4) for i in range(10)}
    assert journal.contact_facts("ada").gave == 40
    assert journal.search("written by worker 3 number 7")[0].title == "Worker 3 note 7"


def test_two_journals_on_one_folder_take_turns(sample_journal: Journal) -> None:
    """The same race, made deterministic: B writes between A's open and A's write."""
    root = sample_journal.root
    a = sample_journal
    b = reopen(root)
    b.add_reflection("B was here", kind="note")
    a.add_reflection("A was here", kind="note")  # A's cached ids are stale now
    a.set_step("kofi-mensah", "trust", on=dt.date(2026, 11, 24))
    b.update_contact("marcus-feld", {"role": "Partner"})
    a.delete("reflections/2026/2026-05-18-demo-call-with-rob-at-clearpath.md")
    journal = assert_index_agrees_with_files(root, SAMPLE_REFLECTIONS + 1)
    assert journal.contact_facts("kofi-mensah").contact.steps["trust"].date == "2026-11-24"
    assert journal.contact_facts("marcus-feld").contact.role == "Partner"


def test_storage_notices_a_same_size_rewrite_in_the_same_tick(tmp_path: Path) -> None:
    """Another process replacing index.json with one of the same size, inode and
    mtime must still be seen (the 'racy' case of a stat-based cache)."""
    state = tmp_path / ".netjournal"
    state.mkdir()
    lock = JournalLock(state / "lock")
    storage = AtomicJSONStorage(str(state / "index.json"), lock)
    storage.write({"t": {"1": {"v": "aaaa"}}})
    assert storage.read() == {"t": {"1": {"v": "aaaa"}}}
    path = state / "index.json"
    st = path.stat()
    with open(path, "r+b") as handle:  # in place: same inode, same size
        handle.write(path.read_bytes().replace(b"aaaa", b"bbbb"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == (st.st_ino, st.st_size, st.st_mtime_ns)
    with lock:
        assert storage.read() == {"t": {"1": {"v": "bbbb"}}}


def test_an_index_from_an_older_schema_is_rebuilt(tmp_path: Path) -> None:
    """Schema 2: a key written twice became a problem; an index made by schema 1 still
    holds such a file as readable, so it must be rebuilt, not trusted."""
    journal = Journal.init(tmp_path / "j")
    (journal.root / "contacts" / "ana.md").write_text("---\nname: Ana\nname: Bob\n---\n")
    journal.close()
    index_file = journal.root / ".netjournal" / "index.json"
    data = json.loads(index_file.read_bytes())
    for meta in data["meta"].values():
        meta["schema"] = 1
    index_file.write_text(json.dumps(data))
    reopened = Journal.open(journal.root)
    assert reopened.last_sync is not None and reopened.last_sync.rebuilt
    assert any(p.path == "contacts/ana.md" and "written twice" in p.reason for p in reopened.problems())


def test_the_lock_is_on_the_journal_folder_and_survives_the_cache_being_deleted(tmp_path: Path) -> None:
    """Deleting .netjournal/ (a cache) while a process holds the lock must not let
    another process take it too: the flock is on the journal folder itself."""
    import fcntl
    import threading

    root = tmp_path / "j"
    (root / ".netjournal").mkdir(parents=True)
    first = JournalLock(root / ".netjournal" / "lock", root)
    second = JournalLock(root / ".netjournal" / "lock", root)
    taken = threading.Event()

    def take_second() -> None:
        with second:
            taken.set()

    with first:
        shutil.rmtree(root / ".netjournal")
        probe = os.open(root, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(probe)
        waiter = threading.Thread(target=take_second)
        waiter.start()
        assert not taken.wait(0.3)
        assert first.bump() is not None  # the token file is made again where it was
    waiter.join(5)
    assert taken.is_set()
    assert (root / ".netjournal" / "lock").is_file()


def test_the_sync_time_is_when_the_scan_began(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are read after the sync began, so a change made during a long sync has a
    ctime after the recorded sync time and is checked by content next time."""
    root = sample_journal.root
    sample_journal.close()
    before = __import__("time").time_ns()
    journal = Journal.open(root, full=True)
    synced = list(index_json(root)["meta"].values())[0]["synced_ns"]
    assert before <= synced <= journal.index._built_ns + 1 and synced < __import__("time").time_ns()
