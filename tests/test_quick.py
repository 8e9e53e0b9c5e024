"""The quick path (netjournal/quick.py): ``reflections`` and ``search`` answered from
``.netjournal/listing.bin`` and the full-text cache when nothing changed on disk.

What must hold: it prints exactly what opening the journal prints, and it never
answers from a listing that no longer describes the files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from netjournal import quick
from netjournal.cli import main
from netjournal.journal import Journal
from netjournal.store import files as files_module
from netjournal.store import fulltext, listing
from netjournal.store import index as index_module
from tests.conftest import TODAY

HOUR_NS = 3600 * 1_000_000_000
R = "reflections/2026/"
HOSTILE = "[bold red]Boss[/] \x1b]52;c;ZXZpbA==\x07 ‮evil‭ \u202e"


# Files changed within the racy window before the index's last sync (or since it) are
# hashed, and more than 50 of them send the quick path to the journal.  The window is
# 2 s, for file systems with 1- and 2-second timestamps; here it is shortened so that
# a journal written by a test can be waited out quickly (ctimes cannot be put back:
# only time passing makes a file settled).  The racy tests below use the real window.
WINDOW_NS = 40_000_000


@pytest.fixture
def short_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "RACY_NS", WINDOW_NS)
    monkeypatch.setattr(index_module, "RACY_NS", WINDOW_NS)


def age_files(root: Path, by_ns: int = HOUR_NS) -> None:
    """Every entry file written an hour ago, as in a journal kept over time, and the
    (shortened) racy window waited out, so that the next open's sync time comes after
    every file's ctime."""
    then = time.time_ns() - by_ns
    for folder in ("contacts", "reflections"):
        for path in (root / folder).rglob("*.md"):
            os.utime(path, ns=(then, then))
    time.sleep(2 * WINDOW_NS / 1e9)


@pytest.fixture
def root(tmp_path: Path, short_window: None) -> Path:
    journal = Journal.init(tmp_path / "journal", sample=True, today=TODAY)
    journal.add_reflection(f"Lunch with {HOSTILE}", contacts=["priya-raman"], kind="give",
                           body=f"Told them {HOSTILE} about the quarterly plan.\n", day=TODAY)
    journal.close()
    age_files(journal.root)
    Journal.open(journal.root).close()  # the index (and the listing) after the ageing
    return journal.root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def no_journal_open(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the quick path should have answered without opening the journal")

    monkeypatch.setattr(Journal, "open", refuse)


COMMANDS = [
    ["reflections"],
    ["reflections", "--json"],
    ["reflections", "--limit", "3"],
    ["reflections", "--limit", "3", "--json"],
    ["reflections", "--contact", "priya-raman"],
    ["reflections", "--contact", "priya-raman", "--json", "--limit", "2"],
    ["reflections", "--kind", "give"],
    ["reflections", "--since", "2026-11-01", "--until", "2026-11-20"],
    ["reflections", "--kind", "ask", "--since", "2030-01-01"],
    ["search", "priya"],
    ["search", "priya", "--json"],
    ["search", "the", "--limit", "0", "--json"],
    ["search", "the", "--limit", "1", "--json"],  # the top hits of a word in nearly every entry
    ["search", "the", "--limit", "3"],
    ["search", "a", "--limit", "5", "--json"],
    ["search", "THE quarterly", "--json"],
    ["search", "boss"],
    ["search", "[bold"],
    ["search", "nothing-matches-this"],
    ["search", "   "],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_the_quick_path_prints_exactly_what_the_journal_prints(
        root: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        quick_result = run(capsys, "--journal", str(root), *command)
    with monkeypatch.context() as patch:
        patch.setattr(quick, "reflections", lambda *a, **k: None)
        patch.setattr(quick, "search", lambda *a, **k: None)
        full_result = run(capsys, "--journal", str(root), *command)
    assert quick_result == full_result
    assert quick_result[0] == 0
    assert "\x1b" not in quick_result[1] and "\u202e" not in quick_result[1]


def test_an_unknown_contact_is_reported_by_the_journal(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--journal", str(root), "reflections", "--contact", "nobody")
    assert (code, out, err) == (1, "", "netjournal: no contact 'nobody'\n")


def titles(capsys: pytest.CaptureFixture[str], root: Path) -> list[str]:
    _, out, _ = run(capsys, "--journal", str(root), "reflections", "--json")
    return [r["title"] for r in json.loads(out)]


def test_an_edit_in_place_is_never_missed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # an editor that rewrites the file in place: same folder, same size, new mtime
    path = root / R / "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"
    text = path.read_text()
    assert 'title: "Thanked' in text
    changed = text.replace('title: "Thanked', 'title: "XThanked', 1)[:-1]  # one character in, one out
    assert len(changed.encode()) == len(text.encode())
    was = path.stat().st_mtime_ns
    path.write_text(changed)
    os.utime(path, ns=(was + 1_000_000_000, was + 1_000_000_000))  # only the mtime tells, and not racy
    assert listing.read_if_current(root, listing.SCHEMA) is None
    assert any(t.startswith("X") for t in titles(capsys, root))
    # ... and the journal that answered wrote a listing that is current again
    assert listing.read_if_current(root, listing.SCHEMA) is not None


def test_new_and_deleted_files_are_never_missed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = titles(capsys, root)
    (root / R / "2026-11-21-written-by-hand.md").write_text(
        "---\ntitle: Written by hand\ndate: 2026-11-21\n---\nBody.\n")
    assert "Written by hand" in titles(capsys, root)
    age_files(root)
    Journal.open(root).close()
    (root / R / "2026-11-21-written-by-hand.md").unlink()
    assert titles(capsys, root) == before


def listed_anew(root: Path, stamps: dict[str, os.stat_result]) -> None:
    """The listing written again from the index's records, with these files' stamps as
    ``stamps`` gives them: as if the index had been taken at that moment."""
    data = json.loads((root / ".netjournal" / "index.json").read_bytes())
    records = data["files"]
    for record in records.values():
        st = stamps.get(record["path"])
        if st is not None:
            record.update(mtime_ns=st.st_mtime_ns, size=st.st_size, ctime_ns=st.st_ctime_ns, ino=st.st_ino)
    synced_ns = next(iter(data["meta"].values()))["synced_ns"]
    (root / ".netjournal" / listing.FILE).write_bytes(listing.build(records, listing.SCHEMA, synced_ns))


def test_a_file_written_in_the_same_instant_as_the_sync_is_checked_by_content(root: Path) -> None:
    """A file whose stamp the listing holds, but which changed since the index's sync
    began: it may have changed again within its timestamps' tick, leaving every stat
    field as it was, so its content decides."""
    current = listing.read(root, listing.SCHEMA)
    assert current is not None and listing.read_if_current(root, listing.SCHEMA) is not None
    rel = current.paths[0]
    some = root / rel
    os.utime(some, ns=(current.synced_ns, current.synced_ns))  # a new ctime, after the sync
    listed_anew(root, {rel: some.stat()})  # the stamp matches, but the file may have changed again since
    assert listing.read_if_current(root, listing.SCHEMA) is not None  # same content: trusted
    text = some.read_bytes()
    some.write_bytes(text.replace(b"a", b"b", 1))  # same size
    listed_anew(root, {rel: some.stat()})  # as if the listing were taken in the same tick as this write
    assert listing.read_if_current(root, listing.SCHEMA) is None


def test_right_after_an_add_the_next_command_is_quick_and_shows_it(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, _ = run(capsys, "--journal", str(root), "add", "reflection", "Just now", "--body", "Hi.")
    assert code == 0
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        assert "Just now" in titles(capsys, root)


def test_files_dated_ahead_by_another_clock_stay_quick_and_their_edits_are_seen(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every entry's mtime a day ahead (a machine whose clock is ahead, synced with its
    mtimes kept; an archive's dates): once indexed, the next commands answer from the
    listing (such an mtime used to count as 'just written' on every open: each command
    opened the journal and rewrote the index), and an edit is still seen -- its ctime
    is new even when the program puts the future mtime back."""
    ahead = time.time_ns() + 24 * HOUR_NS
    paths = [p for folder in ("contacts", "reflections") for p in (root / folder).rglob("*.md")]
    for path in paths:
        os.utime(path, ns=(ahead, ahead))
    time.sleep(2 * WINDOW_NS / 1e9)
    Journal.open(root).close()  # sees new stamps; the listing is written again
    time.sleep(2 * WINDOW_NS / 1e9)
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        before = titles(capsys, root)
    assert listing.read_if_current(root, listing.SCHEMA) is not None
    path = root / R / "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"
    text = path.read_text()
    path.write_text(text.replace('title: "Thanked', 'title: "XThanked', 1)[:-1])  # the same size
    os.utime(path, ns=(ahead, ahead))  # the mtime put back: only the ctime tells
    assert listing.read_if_current(root, listing.SCHEMA) is None
    assert any(t.startswith("X") for t in titles(capsys, root)) and len(titles(capsys, root)) == len(before)


def test_racy_window_is_the_index_one() -> None:
    assert listing.RACY_NS == files_module.RACY_NS


def header_field(at: int, value: bytes) -> Callable[[Path], None]:
    """Damage: one field of the listing's first line replaced."""
    def damage(path: Path) -> None:
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        fields = head.split(b" ")
        fields[at] = value
        path.write_bytes(b" ".join(fields) + b"\n" + body)
    return damage


def stamps_out_of_step(path: Path) -> None:
    """Damage: the stamps part a file short, the lengths in the first line to match."""
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    fields = head.split(b" ")
    lengths = [int(n) for n in fields[5:-1]]  # the last field: the index it was written with
    start = lengths[0]
    body = body[:start] + body[start + 32:]  # 32 bytes: one file's four numbers
    fields[5 + 1] = str(lengths[1] - 32).encode()
    path.write_bytes(b" ".join(fields) + b"\n" + body)


@pytest.mark.parametrize("damage", [
    lambda p: p.unlink(),
    lambda p: p.write_bytes(b"{not a listing"),
    lambda p: p.write_bytes(b""),
    lambda p: p.write_bytes(p.read_bytes()[:-1]),  # cut short
    lambda p: p.write_bytes(p.read_bytes() + b"x"),  # longer than it says
    header_field(1, b"99"),
    header_field(2, b"99"),
    stamps_out_of_step,
    header_field(3, b"soon"),
    lambda p: p.write_bytes(listing.MAGIC + b" unusable\n"),
], ids=["deleted", "not-a-listing", "empty", "cut-short", "too-long", "other-format", "other-schema",
        "stamps-out-of-step", "bad-time", "unusable"])
def test_a_missing_or_damaged_listing_only_costs_time(
        root: Path, damage: Callable[[Path], None], capsys: pytest.CaptureFixture[str]) -> None:
    expected = titles(capsys, root)
    damage(root / ".netjournal" / listing.FILE)
    assert listing.read_if_current(root, listing.SCHEMA) is None
    assert titles(capsys, root) == expected


@pytest.mark.parametrize("limit", [0, 1])  # every row decoded at once, or the first one alone
def test_damaged_rows_only_cost_time(root: Path, capsys: pytest.CaptureFixture[str], limit: int) -> None:
    """The rows ``reflections`` shows are checked when it decodes them."""
    expected = titles(capsys, root)
    path = root / ".netjournal" / listing.FILE
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n")
    fields = head.split(b" ")
    rows = body[-int(fields[-2]):]  # the rows, the last part (the index stamp follows)
    contacts, _, reflections = rows.partition(b"\n")
    damaged = contacts + b"\n[0]\n" + reflections.partition(b"\n")[2]  # the newest row without its columns
    fields[-2] = str(len(damaged)).encode()
    path.write_bytes(b" ".join(fields) + b"\n" + body[:-len(rows)] + damaged)
    assert listing.read_if_current(root, listing.SCHEMA) is not None  # the rest of it is sound
    assert quick.reflections(root, limit=limit) is None
    assert titles(capsys, root) == expected


def test_an_old_listing_is_removed_when_a_new_one_is_written(root: Path) -> None:
    old = root / ".netjournal" / "listing.json"
    old.write_text('{"format": 4}')
    (root / ".netjournal" / listing.FILE).unlink()
    Journal.open(root).close()
    assert not old.exists() and (root / ".netjournal" / listing.FILE).exists()


def test_a_listing_in_another_order_is_compared_path_by_path(root: Path) -> None:
    """Files listed in an order other than the scan's (a file system that sorts
    names otherwise): still compared exactly, each path with its own stamp."""
    path = root / ".netjournal" / listing.FILE
    good = path.read_bytes()
    real_key = listing.order_key
    try:
        listing.order_key = lambda p: real_key(p)[::-1]  # type: ignore[assignment]
        listed_anew(root, {})
    finally:
        listing.order_key = real_key  # type: ignore[assignment]
    current = listing.read(root, listing.SCHEMA)
    assert current is not None and current.paths != sorted(current.paths, key=real_key)
    assert listing.read_if_current(root, listing.SCHEMA) is not None
    changed = root / current.paths[3]
    st = changed.stat()
    os.utime(changed, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert listing.read_if_current(root, listing.SCHEMA) is None
    path.write_bytes(good)


def test_a_leftover_temp_file_sends_the_command_to_the_journal(root: Path) -> None:
    (root / R / ".2026-11-20-x.md.nj-abc12345.tmp").write_text("half a save")
    assert listing.read_if_current(root, listing.SCHEMA) is None


def test_other_programs_temp_files_do_not(root: Path) -> None:
    (root / R / ".2026-11-20-x.md.abc123.tmp").write_text("someone else's")
    (root / "contacts" / ".syncthing.new-person.md.tmp").write_text("a sync in progress")
    assert listing.read_if_current(root, listing.SCHEMA) is not None


def test_search_needs_every_current_text_in_the_cache(root: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    rel = "contacts/priya-raman.md"
    shard = root / ".netjournal" / "fulltext" / f"{fulltext.shard_of(rel):02d}.txt"
    _, expected, _ = run(capsys, "--journal", str(root), "search", "allergic to fluff", "--json")
    assert json.loads(expected)[0]["path"] == rel
    shard.unlink()
    assert quick.search(root, "allergic to fluff") is None  # the cache lacks some texts
    assert run(capsys, "--journal", str(root), "search", "allergic to fluff", "--json")[1] == expected
    with monkeypatch.context() as patch:  # the journal repaired the cache: quick again
        no_journal_open(patch)
        assert run(capsys, "--journal", str(root), "search", "allergic to fluff", "--json")[1] == expected


def test_a_cache_with_more_than_the_listing_is_compared_entry_by_entry(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A shard that holds a text the listing does not (say, of a file deleted while a
    sync tool held it): not as listed, so its entries are compared one by one, and the
    search still answers without the journal."""
    _, expected, _ = run(capsys, "--journal", str(root), "search", "priya", "--json")
    rel = "contacts/priya-raman.md"
    number = fulltext.shard_of(rel)
    shard = root / ".netjournal" / "fulltext" / f"{number:02d}.txt"
    current = listing.read(root, listing.SCHEMA)
    assert current is not None and fulltext.search_listed(shard.parent, ["priya"], current.shard_head, current.shard_size)  # as listed
    entries = fulltext.decode(shard.read_bytes(), number).entries()
    extra = next(f"contacts/gone-{i}.md" for i in range(1000) if fulltext.shard_of(f"contacts/gone-{i}.md") == number)
    entries[extra] = ("0" * 64, "Gone\npriya was here")
    shard.write_bytes(fulltext.encode(entries, number))
    current = listing.read(root, listing.SCHEMA)
    assert current is not None and fulltext.search_listed(shard.parent, ["priya"], current.shard_head, current.shard_size) is None
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        assert run(capsys, "--journal", str(root), "search", "priya", "--json")[1] == expected


def test_a_shown_text_from_a_damaged_shard_sends_the_search_to_the_journal(
        root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel = "contacts/priya-raman.md"
    shard = root / ".netjournal" / "fulltext" / f"{fulltext.shard_of(rel):02d}.txt"
    _, expected, _ = run(capsys, "--journal", str(root), "search", "allergic to fluff", "--json")
    raw = shard.read_bytes()
    shard.write_bytes(raw[:-2] + b"\xff" + raw[-1:])  # the texts as written: the same length, not UTF-8
    assert quick.search(root, "allergic to fluff") is None
    assert run(capsys, "--journal", str(root), "search", "allergic to fluff", "--json")[1] == expected
    assert quick.search(root, "allergic to fluff") is not None  # the journal repaired the shard


def test_a_file_with_a_problem_is_left_out_both_ways(root: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (root / R / "2026-11-22-broken.md").write_text("---\ntitle: [unclosed\n---\nquarterly words\n")
    age_files(root)
    Journal.open(root).close()
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        _, out, _ = run(capsys, "--journal", str(root), "reflections", "--json")
        assert "broken" not in out
        _, out, _ = run(capsys, "--journal", str(root), "search", "quarterly", "--json")
        assert "broken" not in out


def test_not_a_journal_is_reported_as_before(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--journal", str(tmp_path / "nowhere"), "reflections")
    assert code == 1 and out == "" and "does not exist" in err
    code, out, err = run(capsys, "--journal", str(tmp_path / "nowhere"), "search", "x")
    assert code == 1 and out == "" and "does not exist" in err


def test_a_deleted_listing_is_written_again_by_the_next_command(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (root / ".netjournal" / listing.FILE).unlink()
    expected = titles(capsys, root)  # opens the journal: nothing changed, yet it writes one
    assert (root / ".netjournal" / listing.FILE).exists()
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        assert titles(capsys, root) == expected


def test_a_journal_indexed_the_moment_its_files_were_written_gets_a_new_sync_time(tmp_path: Path) -> None:
    # e.g. a journal copied from a backup and indexed at once: every file is "racy"
    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    journal.close()
    for i in range(60):
        (journal.root / R / f"2026-10-{i % 28 + 1:02d}-copied-{i}.md").write_text(
            f"---\ntitle: Copied {i}\ndate: 2026-10-{i % 28 + 1:02d}\n---\n")
    Journal.open(journal.root).close()  # indexes them, within 2 s of their mtimes
    first = listing.read(journal.root, listing.SCHEMA).synced_ns  # type: ignore[union-attr]
    time.sleep(files_module.RACY_NS / 1e9 + 0.1)
    Journal.open(journal.root).close()  # hashes the >50 racy files once, and says so
    second = listing.read(journal.root, listing.SCHEMA).synced_ns  # type: ignore[union-attr]
    assert second > first
    assert listing.read_if_current(journal.root, listing.SCHEMA) is not None


def test_a_file_that_is_not_read_does_not_stop_the_quick_path(
        root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Warnings for names that are not read (contacts/README, x.MD) and odd entries
    are problem records in the index too, with their stamps: the listing still
    describes the folder, and the quick commands answer as before."""
    (root / "contacts" / "README").write_text("What these files are.\n")
    (root / "contacts" / "Someone.MD").write_text("---\nname: Someone\n---\n")
    os.mkfifo(root / R / "2026-11-26-pipe.md")
    time.sleep(2 * WINDOW_NS / 1e9)  # not changed a moment ago (those are hashed, and these cannot be)
    expected = titles(capsys, root)  # opens the journal, which writes the listing with them
    with monkeypatch.context() as patch:
        no_journal_open(patch)
        assert titles(capsys, root) == expected
        assert run(capsys, "--journal", str(root), "search", "priya")[0] == 0
    (root / "contacts" / "README").write_text("Changed.\n")
    assert listing.read_if_current(root, listing.SCHEMA) is None


FORKED_PROGRAM = """
import os, sys
from netjournal.store import index, listing
listing.FORK_FROM = 0  # this small journal checked as a big one is
listing.RACY_NS = index.RACY_NS = int(sys.argv.pop(1))  # the window the test waited out
fork = os.fork
def counted():
    pid = fork()
    if pid:
        sys.stderr.write("forked\\n")
    return pid
os.fork = counted
from netjournal.journal import Journal
journal_open = Journal.open
def opened(*args, **kwargs):
    sys.stderr.write("opened\\n")
    return journal_open(*args, **kwargs)
Journal.open = opened
from netjournal.program import run
sys.argv[0] = "netjournal"
run()
"""


def program(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The ``netjournal`` program in a process of its own (a test process may run
    threads, and then the check is never forked), its check forked whatever the size:
    begun before the command line is read, since it names the journal."""
    journal = [] if env else ["--journal", str(root)]
    return subprocess.run([sys.executable, "-c", FORKED_PROGRAM, str(listing.RACY_NS), *journal, *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})


@pytest.mark.parametrize("command", [["search", "the", "--limit", "3", "--json"], ["search", "priya"],
                                     ["reflections", "--json"], ["reflections", "--contact", "priya-raman"]])
def test_the_program_checks_in_a_forked_process_and_prints_the_same(
        root: Path, command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(quick, "reflections", lambda *a, **k: None)
        patch.setattr(quick, "search", lambda *a, **k: None)
        expected = run(capsys, "--journal", str(root), *command)
    done = program(root, *command)
    assert (done.returncode, done.stdout) == (expected[0], expected[1])
    assert done.stderr == "forked\n"  # checked beside the answer, the journal not opened, the answer printed whole


def test_an_edit_is_seen_through_a_forked_check(root: Path) -> None:
    path = root / R / "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"
    path.write_text(path.read_text().replace('title: "Thanked', 'title: "Edited', 1))
    os.utime(path, ns=(time.time_ns() - HOUR_NS, time.time_ns() - HOUR_NS))  # not racy: only the stamp tells
    done = program(root, "reflections", "--json")
    # the check saw the edit, so the journal was opened (and its sync re-read the
    # files without checking the same listing again)
    assert done.returncode == 0 and done.stderr == "forked\nopened\n"
    assert any(r["title"].startswith("Edited") for r in json.loads(done.stdout))
    again = program(root, "search", "edited", "--json")  # the journal that answered wrote a fresh listing
    assert again.stderr == "forked\n" and [h["path"] for h in json.loads(again.stdout)] == [
        str(path.relative_to(root))]


def test_the_check_begun_early_follows_netjournal_dir(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = run(capsys, "--journal", str(root), "search", "priya", "--json")
    done = program(root, "search", "priya", "--json", env={"NETJOURNAL_DIR": str(root)})
    assert (done.returncode, done.stdout, done.stderr) == (0, expected[1], "forked\n")


def test_a_check_begun_early_and_not_taken_is_dropped(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    done = program(root, "search", "--limit", "x", "priya")  # a usage error after the check began
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("forked\nnetjournal search: argument --limit")
    other = Journal.init(tmp_path / "other", sample=True, today=TODAY)
    other.add_reflection("Only in the other journal", body="priya", day=TODAY)
    other.close()
    # two --journal: argparse decides which, so no check begins early; the command's own
    # check (forked here too) is of the folder it answers about
    done = program(root, "search", "other journal", "--json", "--journal", str(other.root))
    _, expected, _ = run(capsys, "--journal", str(root), "search", "other journal", "--json",
                         "--journal", str(other.root))
    assert (done.returncode, done.stdout) == (0, expected) and "Only in the other journal" in expected
    assert done.stderr.count("forked") == 1


@pytest.mark.parametrize("argv, named", [
    (["--journal", "j", "search", "x"], "j"),
    (["search", "x", "--journal=j"], "j"),
    (["--journal", "j", "search", "x", "--journal", "k"], None),  # twice
    (["--jour", "j", "search", "x"], None),  # abbreviated
    (["search", "--", "--journal", "x"], None),
])
def test_the_journal_named_plainly(argv: list[str], named: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    from netjournal.program import journal_named

    monkeypatch.delenv("NETJOURNAL_DIR", raising=False)
    assert journal_named(argv) == named


@pytest.mark.parametrize("command", [["search", "priya"], ["reflections", "--json"]])
def test_a_quick_answer_with_stdout_closed_ends_without_a_traceback(root: Path, command: list[str]) -> None:
    """``netjournal search x >&-`` (a cron line, a script that closed its output):
    Python has no sys.stdout then; the quick path left as the journal's path does,
    with exit code 0 and nothing on stderr, not an AttributeError traceback."""
    argv = [sys.executable, "-c", FORKED_PROGRAM, str(listing.RACY_NS), "--journal", str(root), *command]
    closed = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *argv], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert "opened" not in closed.stderr  # answered from the listing
    assert "Traceback" not in closed.stderr
    assert closed.returncode == 0, closed.stderr
    assert closed.stderr.replace("forked\n", "") == ""


def test_a_file_name_that_is_not_utf8_does_not_stop_the_journal(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``cp x.md $'reflections/2026/caf\\xe9.md'`` (a Latin-1 name copied from an old disk)."""
    source = next((root / "reflections").rglob("*.md"))
    folder = os.fsencode(root / "reflections" / "2026")
    with open(os.path.join(folder, b"2026-01-01-caf\xe9.md"), "wb") as handle:
        handle.write(source.read_bytes())
    time.sleep(2 * WINDOW_NS / 1e9)  # copied a moment ago, not in the (shortened) racy window
    assert run(capsys, "--journal", str(root), "reindex")[0] == 0
    code, out, _ = run(capsys, "--journal", str(root), "search", "priya", "--limit", "0")
    assert code == 0 and out
    # reported with its path (the byte escaped) and left alone; a second open is quiet
    # and the quick path answers (the listing holds the problem under the same name)
    code, out, err = run(capsys, "--journal", str(root), "check")
    assert "reflections/2026/2026-01-01-caf\\xe9.md:1: the name is not UTF-8; not read" in out + err
    assert os.path.exists(os.path.join(folder, b"2026-01-01-caf\xe9.md"))
    assert listing.read_if_current(root, listing.SCHEMA) is not None
    # a folder of such a name is not walked into either
    os.mkdir(os.path.join(folder, b"old-caf\xe9"))
    with open(os.path.join(folder, b"old-caf\xe9", b"inside.md"), "wb") as handle:
        handle.write(source.read_bytes())
    code, out, err = run(capsys, "--journal", str(root), "check")
    assert "reflections/2026/old-caf\\xe9:1: the name is not UTF-8; not read" in out + err
    assert run(capsys, "--journal", str(root), "reflections", "--json")[0] == 0
