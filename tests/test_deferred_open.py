"""The deferred open (``Journal.open(defer=True)``) and the views kept between runs
(``Journal.remember_view`` / ``remembered_view``), attacked.

The promise: a view handed back at the next start is exactly what computing it from
the files now would give, and the deferred open never loses or hides a change.  So
every change a user or another program can make between two runs -- an edit by
``sed -i``, a copy by ``cp -p`` with its mtime kept, ``touch -r``, a file added,
removed or renamed, a ``netjournal`` command, the settings, the day -- must make
``remembered_view`` answer None, and the open, once finished, must show the change.
A kept file that is damaged, hostile or not a file at all must be ignored, never
raise nor wait.

The checks run as the app's do: in a forked process (``listing.FORK_FROM`` lowered so
that the sample journal counts as big), on a journal whose files were written an
hour ago (the racy window shortened, as in test_quick.py, so that it can be waited
out).  The tools are the real ones (sed, cp, touch, mv, the netjournal program)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from netjournal.journal import Journal
from netjournal.store import index as index_module
from netjournal.store import listing, views
from netjournal.store.index import Index
from tests.conftest import TODAY
from tests.test_stamps import settle

pytestmark = pytest.mark.usefixtures("no_fsync")

WINDOW_NS = 40_000_000  # the racy window, shortened (see test_quick.py)
VIEW = "summary"


def summary(journal: Journal) -> dict[str, Any]:
    """A view of the kind the dashboard keeps: JSON of what the journal's facts say."""
    facts = journal.facts()
    return {
        "today": journal.today.isoformat(),
        "contacts": [[c.slug, c.name, c.org] for c in journal.contacts(include_archived=True)],
        "facts": {slug: [f.status, f.days_overdue, f.health, f.due, f.stuck_since] for slug, f in sorted(facts.items())},
        "due": [f.contact.slug for f in journal.due()],
        "reflections": [r.path for r in journal.reflections()],
    }


def no_other_threads() -> None:
    """The check is forked only in a process that runs no other thread (a fork of a
    threaded process may find a lock held forever): wait for any a test before this
    one left to end."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(timeout=10)
    assert threading.active_count() == 1, f"threads left running: {threading.enumerate()}"


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "FORK_FROM", 0)
    monkeypatch.setattr(listing, "RACY_NS", WINDOW_NS)
    monkeypatch.setattr(index_module, "RACY_NS", WINDOW_NS)
    monkeypatch.setattr(listing, "found_stale", set())
    no_other_threads()


@pytest.fixture
def root(tmp_path: Path, forking: None) -> Path:
    journal = Journal.init(tmp_path / "journal", sample=True)
    journal.close()
    settle(journal.root)
    assert listing.read_if_current(journal.root, listing.SCHEMA) is not None
    return journal.root


def computed_at_open(root: Path) -> dict[str, Any]:
    """A deferred open that finds no kept view for the journal as it is now: the
    summary once the open is finished."""
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) is None
        journal.finish_open()
        return summary(journal)
    finally:
        journal.close()


def deferred(root: Path) -> Journal:
    """The journal opened as the app opens it; the open must really be deferred."""
    journal = Journal.open(root, write_behind=True, defer=True)
    assert not journal.opened, "the open was not deferred"
    return journal


def fresh(root: Path) -> dict[str, Any]:
    """The view computed now by a plain open."""
    journal = Journal.open(root)
    try:
        return summary(journal)
    finally:
        journal.close()


def keep(root: Path) -> dict[str, Any]:
    """A run of the app: the open finished, the view kept as it closes."""
    journal = deferred(root)
    try:
        journal.finish_open()
        view = summary(journal)
        assert journal.remember_view(VIEW, view)
        return view
    finally:
        journal.close()


def kept_file(root: Path) -> Path:
    return root / ".netjournal" / "views" / f"{VIEW}.json"


def state_stamps(root: Path) -> dict[str, tuple[int, int, int]]:
    """The index, its listing and the kept views: what a write would change."""
    state = root / ".netjournal"
    found = {}
    for path in [state / "index.json", state / "listing.bin", *(state / "views").rglob("*")]:
        st = path.lstat()
        found[str(path.relative_to(root))] = (st.st_mtime_ns, st.st_size, st.st_ino)
    return found


def cli(root: Path, *args: str) -> None:
    """The netjournal program, in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(root), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def run(*argv: str | Path) -> None:
    subprocess.run([str(a) for a in argv], check=True, timeout=30)


# ---------------------------------------------------------------------- the untouched journal


def test_an_untouched_journal_gives_back_the_view_and_reads_nothing_again(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = keep(root)
    reread: list[str] = []
    incremental = Index._incremental
    monkeypatch.setattr(Index, "_incremental", lambda self: reread.append("incremental") or incremental(self))
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) == view
        assert journal.remembered_view("another") is None  # a name never kept
        journal.finish_open()
        assert journal.opened and reread == []  # the check's answer stood for the comparison
        assert journal.remembered_view(VIEW) is None  # only while the open is deferred
        assert summary(journal) == view == fresh(root)
    finally:
        journal.close()


def test_until_the_index_is_used_nothing_finishes_the_open(root: Path) -> None:
    keep(root)
    journal = deferred(root)
    try:
        journal.flush()
        assert not journal.index_pending
        with journal.write_lock:
            pass
        assert journal.remember_view(VIEW, {"computed": "from nothing"}) is False
        assert journal.name == "Sam's network"  # the settings are read at once
        assert not journal.opened
        assert journal.remembered_view(VIEW) is not None
        assert journal.contacts()  # the first use of the index
        assert journal.opened
    finally:
        journal.close()


# ---------------------------------------------------------------------- changes between two runs


def sed_edit(root: Path, tmp: Path) -> None:
    run("sed", "-i", "s/^org: Brightline Logistics$/org: Brightline Freight Co/", root / "contacts/daniel-kowalczyk.md")


def sed_same_size_mtime_put_back(root: Path, tmp: Path) -> None:
    """An edit of the same length, the file's mtime put back with ``touch -r`` from a
    ``cp -p`` backup: only the inode and the ctime tell."""
    path = root / "contacts/marcus-feld.md"
    run("cp", "-p", path, tmp / "backup.md")
    run("sed", "-i", "s/^org: Oakridge Partners$/org: Oakridge Parkners/", path)
    run("touch", "-r", tmp / "backup.md", path)
    backup = (tmp / "backup.md").stat()
    assert (path.stat().st_mtime_ns, path.stat().st_size) == (backup.st_mtime_ns, backup.st_size)


def cp_p_over_it(root: Path, tmp: Path) -> None:
    """``cp -p`` of an edited copy whose mtime is the file's own: cp writes into the
    same inode, so mtime, size and inode are all as listed; only the ctime tells."""
    path = root / "contacts/marcus-feld.md"
    before = path.stat()
    edited = tmp / "marcus-feld.md"
    edited.write_bytes(path.read_bytes().replace(b"org: Oakridge Partners", b"org: Oakridge Parkners"))
    run("touch", "-r", path, edited)
    run("cp", "-p", edited, path)
    after = path.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)


def touch_r_only(root: Path, tmp: Path) -> None:
    """Another file's times, the content unchanged (both were written at the same moment)."""
    run("touch", "-r", root / "contacts/kofi-mensah.md", root / "contacts/daniel-kowalczyk.md")


def added(root: Path, tmp: Path) -> None:
    (root / "contacts/zed-newcomer.md").write_text("---\nname: Zed Newcomer\norg: Elsewhere\n---\n")


def added_in_a_new_folder(root: Path, tmp: Path) -> None:
    (root / "reflections/2025").mkdir()
    (root / "reflections/2025/2025-12-01-old-notes.md").write_text(
        "---\ntitle: Old notes\ndate: 2025-12-01\ncontacts: [kofi-mensah]\nkind: give\n---\nFound them.\n")


def removed(root: Path, tmp: Path) -> None:
    run("rm", root / "contacts/marcus-feld.md")


def renamed(root: Path, tmp: Path) -> None:
    run("mv", root / "contacts/daniel-kowalczyk.md", root / "contacts/dan-kowalczyk.md")


def unreadable_added(root: Path, tmp: Path) -> None:
    (root / "contacts/broken.md").write_text("---\nname: [unclosed\n---\n")


def cli_add_contact(root: Path, tmp: Path) -> None:
    cli(root, "add", "contact", "Zed Newcomer", "--org", "Elsewhere")


def cli_step(root: Path, tmp: Path) -> None:
    cli(root, "step", "kofi-mensah", "trust")


def cadence_changed(root: Path, tmp: Path) -> None:
    path = root / "netjournal.yaml"
    path.write_text(path.read_text().replace("cadence: 30", "cadence: 7"))


def settings_comment(root: Path, tmp: Path) -> None:
    with open(root / "netjournal.yaml", "a") as handle:
        handle.write("# a comment\n")


# (the change, whether the view changes with it)
CHANGES: list[tuple[Callable[[Path, Path], None], bool]] = [
    (sed_edit, True), (sed_same_size_mtime_put_back, True), (cp_p_over_it, True), (touch_r_only, False),
    (added, True), (added_in_a_new_folder, True), (removed, True), (renamed, True), (unreadable_added, False),
    (cli_add_contact, True), (cli_step, True), (cadence_changed, True), (settings_comment, False),
]


@pytest.mark.parametrize("change, changes_view", CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_change_between_two_runs_is_never_hidden_by_the_kept_view(
        root: Path, tmp_path: Path, change: Callable[[Path, Path], None], changes_view: bool) -> None:
    view = keep(root)
    change(root, tmp_path)
    # not a moment ago: a file written within the racy window of the sync is hashed,
    # and one with a problem has no hash, so every open would check it again
    time.sleep(2 * WINDOW_NS / 1e9)
    now = computed_at_open(root)  # after a command too: it wrote the index and its listing
    assert now == fresh(root)
    assert (now != view) == changes_view
    # and the next run's view is the new one
    assert keep(root) == now
    again = deferred(root)
    try:
        assert again.remembered_view(VIEW) == now
    finally:
        again.close()


def test_the_view_is_of_one_day(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = keep(root)
    monkeypatch.setenv("NETJOURNAL_TODAY", "2026-11-26")
    now = computed_at_open(root)
    assert now["today"] == "2026-11-26" and now != view and now == fresh(root)
    overdue = {slug: fact[1] for slug, fact in view["facts"].items() if fact[1]}
    assert overdue and all(now["facts"][slug][1] == days + 1 for slug, days in overdue.items())


def test_an_edit_between_the_deferred_open_and_its_end_is_read_by_the_next_sync(root: Path) -> None:
    """The check answered at the open; an editor's save after it (while the first
    screen is up) is the next sync's to read, as after any open -- and the view kept
    meanwhile is not taken for the edited journal at the next start."""
    view = keep(root)
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) == view
        run("sed", "-i", "s/^name: Daniel Kowalczyk$/name: Daniel Edited/", root / "contacts/daniel-kowalczyk.md")
        journal.finish_open()
        journal.remember_view(VIEW, summary(journal))
        report = journal.sync()  # the app's look at the files, every few seconds
        assert report.touched == 1
        assert ["daniel-kowalczyk", "Daniel Edited", "Brightline Logistics"] in summary(journal)["contacts"]
    finally:
        journal.close()
    journal = deferred(root)
    try:
        remembered = journal.remembered_view(VIEW)
        assert remembered is None or remembered == fresh(root)
    finally:
        journal.close()


# ---------------------------------------------------------------------- what is kept, and when


def test_no_view_is_kept_while_saves_wait_to_reach_the_index(root: Path) -> None:
    keep(root)
    before = kept_file(root).read_bytes()
    journal = deferred(root)
    try:
        journal.finish_open()
        journal.set_step("kofi-mensah", "trust")
        assert journal.index_pending
        assert journal.remember_view(VIEW, summary(journal)) is False
        assert kept_file(root).read_bytes() == before
        journal.flush()
        now = summary(journal)
        assert journal.remember_view(VIEW, now) is True
    finally:
        journal.close()
    assert fresh(root) == now
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) == now
    finally:
        journal.close()


def test_a_view_of_records_another_process_wrote_meanwhile_is_not_kept_as_theirs(root: Path) -> None:
    """The app's flush takes in what a command wrote to the index meanwhile: the view
    it computed before that knows nothing of it, and must not be kept under the
    index's new stamp."""
    journal = deferred(root)
    try:
        journal.finish_open()
        stale = summary(journal)
        cli(root, "add", "contact", "Zed Newcomer")
        journal.set_step("kofi-mensah", "trust")
        journal.flush()  # merges the command's record with ours
        journal.remember_view(VIEW, stale)
        journal.remember_view("recomputed", summary(journal))
    finally:
        journal.close()
    now = fresh(root)
    assert any(c[1] == "Zed Newcomer" for c in now["contacts"])
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) in (None, now)
        assert journal.remembered_view("recomputed") in (None, now)
    finally:
        journal.close()


def test_a_read_only_journal_uses_the_view_it_has_and_keeps_none(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = keep(root)
    stamps = state_stamps(root)

    def refused(path: Path, data: bytes) -> os.stat_result:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    with monkeypatch.context() as read_only:  # nothing in .netjournal can be written, as on a read-only mount
        read_only.setattr(views, "write_cache_file", refused)
        read_only.setattr(index_module, "write_cache_file", refused)
        journal = deferred(root)
        try:
            assert journal.remembered_view(VIEW) == view
            journal.finish_open()
            assert journal.remember_view(VIEW, summary(journal)) is False
        finally:
            journal.close()
        # a file changed: read into memory (the index cannot be written), and no view
        # is kept of it under the old index's name
        sed_edit(root, root)
        journal = deferred(root)
        try:
            assert journal.remembered_view(VIEW) is None
            journal.finish_open()
            assert journal.index.read_only
            edited = summary(journal)
            assert edited != view
            assert journal.remember_view(VIEW, edited) is False
        finally:
            journal.close()
        assert state_stamps(root) == stamps
    assert fresh(root) == edited  # writable again: the edit indexed


def test_the_views_folder_deleted_costs_one_computed_start(root: Path) -> None:
    keep(root)
    shutil.rmtree(root / ".netjournal" / "views")
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) is None
        journal.finish_open()
        view = summary(journal)
        assert journal.remember_view(VIEW, view)
    finally:
        journal.close()
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) == view
    finally:
        journal.close()


def damaged(kind: str, path: Path) -> None:
    data = path.read_bytes()
    kept = json.loads(data)
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "not utf-8":
        path.write_bytes(b"\xff\xfe" + data)
    elif kind == "deeply nested":
        path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    elif kind == "a list":
        path.write_text(json.dumps([kept]))
    elif kind == "key of other types":
        kept["key"] = {name: [value] for name, value in kept["key"].items()}
        path.write_text(json.dumps(kept))
    elif kind == "key without the day":
        del kept["key"]["today"]
        path.write_text(json.dumps(kept))
    elif kind == "a folder":
        path.unlink()
        path.mkdir()
    elif kind == "a FIFO":
        path.unlink()
        os.mkfifo(path)
    elif kind == "a link to /dev/zero":
        path.unlink()
        path.symlink_to("/dev/zero")
    else:
        raise AssertionError(kind)


DAMAGE = ["truncated", "empty", "not utf-8", "deeply nested", "a list", "key of other types",
          "key without the day", "a folder", "a FIFO", "a link to /dev/zero"]


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_kept_view_is_ignored(root: Path, kind: str) -> None:
    view = keep(root)
    damaged(kind, kept_file(root))
    journal = deferred(root)
    try:
        assert journal.remembered_view(VIEW) is None  # neither raised nor waited for a writer
        journal.finish_open()
        assert summary(journal) == view
        assert journal.remember_view(VIEW, view) is (kind not in ("a folder",))
    finally:
        journal.close()


# ---------------------------------------------------------------------- threads, failures, closing


def test_two_threads_asking_for_the_index_at_once_share_one_sync(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep(root)
    journal = deferred(root)
    syncs: list[int] = []
    real_sync = Index.sync

    def slow_sync(self: Index, **kwargs: Any) -> Any:
        syncs.append(threading.get_ident())
        time.sleep(0.2)  # the other thread arrives meanwhile
        return real_sync(self, **kwargs)

    monkeypatch.setattr(Index, "sync", slow_sync)
    start = threading.Barrier(2)
    seen: dict[str, Any] = {}

    def ask(name: str) -> None:
        start.wait()
        try:
            seen[name] = journal.index.records()
        except BaseException as exc:  # noqa: BLE001 -- shown by the assertion below
            seen[name] = exc

    threads = [threading.Thread(target=ask, args=(name,)) for name in ("one", "two")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(syncs) == 1
        assert seen["one"] is seen["two"]
        assert isinstance(seen["one"], dict) and journal.opened
        assert summary(journal) == fresh(root)
    finally:
        journal.close()


def test_a_deferred_sync_that_failed_runs_again_plainly(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = keep(root)
    journal = deferred(root)
    pid = journal._deferred.check.pid  # type: ignore[union-attr]
    real_load = Index._load
    failures = [OSError(errno.EIO, "Input/output error")]

    def load_once_failing(self: Index) -> str | None:
        if failures:
            raise failures.pop()
        return real_load(self)

    monkeypatch.setattr(Index, "_load", load_once_failing)
    try:
        with pytest.raises(OSError):
            journal.finish_open()
        assert not journal.opened
        assert journal.remembered_view(VIEW) is None  # its check is used up
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # the check's process was waited for
        assert summary(journal) == view  # the next use: a plain sync
        assert journal.opened
    finally:
        journal.close()


def test_a_deferred_journal_closed_unused_reaps_its_check_and_writes_nothing(root: Path) -> None:
    keep(root)
    stamps = state_stamps(root)
    journal = deferred(root)
    check = journal._deferred
    pid = check.check.pid  # type: ignore[union-attr]
    assert pid
    journal.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(OSError):
        os.fstat(check.fd)  # type: ignore[union-attr]
    assert state_stamps(root) == stamps


def test_closing_while_another_thread_finishes_the_open_waits_for_it(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keep(root)
    journal = deferred(root)
    entered, go = threading.Event(), threading.Event()
    real_load = Index._load

    def held_load(self: Index) -> str | None:
        entered.set()
        go.wait(timeout=30)
        return real_load(self)

    monkeypatch.setattr(Index, "_load", held_load)
    failed: list[BaseException] = []

    def finish() -> None:
        try:
            journal.finish_open()
        except BaseException as exc:  # noqa: BLE001 -- shown by the assertion below
            failed.append(exc)

    finishing = threading.Thread(target=finish)
    finishing.start()
    assert entered.wait(timeout=30)
    closing = threading.Thread(target=journal.close)
    closing.start()
    closing.join(timeout=0.2)
    go.set()
    finishing.join(timeout=30)
    closing.join(timeout=30)
    assert not finishing.is_alive() and not closing.is_alive()
    assert failed == []
    assert journal.opened
