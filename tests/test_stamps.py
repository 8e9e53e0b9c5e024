"""The listing's check in pieces (``store/stamps.py``) and shared by two processes
(``listing.Check``).

What must hold: it answers exactly as the full scan (``listing.is_current``) does, for
every change another program can make; it decides the usual journal itself (no full
scan); and when the files are split between the forked child and the command, an edit
in either share is seen, every chunk is stat'ed by one of the two, and whatever the
pieces cannot decide goes to the full scan."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from netjournal.journal import Journal
from netjournal.store import index as index_module
from netjournal.store import listing, stamps
from tests.conftest import TODAY
from tests.test_quick import FORKED_PROGRAM, listed_anew

WINDOW_NS = 40_000_000  # the racy window, shortened (as in test_quick.py)
HOUR_NS = 3600 * 1_000_000_000
R = "reflections/2026/"
PRIYA = R + "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample journal with its files an hour old and a listing that describes them."""
    monkeypatch.setattr(listing, "RACY_NS", WINDOW_NS)
    monkeypatch.setattr(index_module, "RACY_NS", WINDOW_NS)
    journal = Journal.init(tmp_path / "journal", sample=True, today=TODAY)
    journal.close()
    settle(journal.root)
    return journal.root


def settle(root: Path) -> None:
    """Every entry file written an hour ago, the index (and its listing) synced after
    that, and the racy window waited out: a journal as it is between two days' use."""
    then = time.time_ns() - HOUR_NS
    for folder in ("contacts", "reflections"):
        for path in (root / folder).rglob("*.md"):
            os.utime(path, ns=(then, then))
    time.sleep(2 * WINDOW_NS / 1e9)
    Journal.open(root).close()
    time.sleep(2 * WINDOW_NS / 1e9)


def pieces(root: Path, current: listing.Listing) -> bool | None:
    """The pieces' own answer: True or False, None when they leave it to the full scan."""
    part = stamps.StampCheck(root, current, listing.RACY_NS)
    try:
        if not part.tree() or not all(map(part.chunk, range(stamps.chunks(current.count)))):
            return False
        return len(part.racy) <= listing.RACY_FILES and listing._racy_same(root, current, part.racy)
    except stamps.Unknown:
        return None
    finally:
        part.close()


def same_size_edit(path: Path) -> None:
    """An edit of the same size with the mtime put back (``cp -p``, ``rsync -t``): only
    the ctime tells."""
    st = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"e", b"E", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def sed_i(path: Path) -> None:
    """``sed -i``: a new file renamed over the old one (a new inode)."""
    tmp = path.with_name("sedAbc123")
    tmp.write_bytes(path.read_bytes().replace(b"e", b"E", 1))
    os.replace(tmp, path)


def vim_backup_rename(path: Path) -> None:
    """vim's ``backupcopy=no``: the file renamed to ``x.md~``, the buffer written anew."""
    data = path.read_bytes()
    os.rename(path, path.with_name(path.name + "~"))
    path.write_bytes(data + b"one more line\n")


def touch_r(path: Path) -> None:
    """``touch -r other``: only the mtime changes."""
    os.utime(path, ns=(0, path.stat().st_mtime_ns - 10**9))


def renamed(path: Path) -> None:
    os.rename(path, path.with_name("2026-01-01-renamed.md"))


def traded(path: Path) -> None:
    """Two files that trade names (their paths all still listed, each under the other's name)."""
    other = path.with_name("2026-11-05-on-saying-no-to-favours.md")
    assert other.exists()
    os.rename(path, path.with_name("swap"))
    os.rename(other, path)
    os.rename(path.with_name("swap"), other)


def symlink_entry(path: Path) -> None:
    (path.parent / "2026-01-02-link.md").symlink_to(path)


def fifo_entry(path: Path) -> None:
    os.mkfifo(path.parent / "2026-01-03-pipe.md")


def folder_named_md(path: Path) -> None:
    (path.parent / "2026-01-04-folder.md").mkdir()


def folder_in_contacts(path: Path) -> None:
    (path.parents[2] / "contacts" / "archive").mkdir()


def nested_entry(path: Path) -> None:
    (path.parent / "trip").mkdir()
    (path.parent / "trip" / "2026-01-05-day-one.md").write_text("---\ntitle: Day one\ndate: 2026-01-05\n---\n")


def empty_subfolder(path: Path) -> None:
    (path.parent / "drafts").mkdir()


def readme_in_contacts(path: Path) -> None:
    (path.parents[2] / "contacts" / "README").write_text("What these are.\n")  # a warning: a problem record


def notes_txt(path: Path) -> None:
    (path.parent / "notes.txt").write_text("not an entry, not meant as one\n")


def dotfile(path: Path) -> None:
    (path.parent / ".DS_Store").write_bytes(b"\0\0")


def leftover(path: Path) -> None:
    (path.parent / f".{path.name}.nj-abc12345.tmp").write_text("half a save")


def others_temp(path: Path) -> None:
    (path.parent / f".{path.name}.syncthing.tmp").write_text("a sync in progress")


def chmod(path: Path) -> None:
    path.chmod(0o600)  # a new ctime, nothing else


def removed(path: Path) -> None:
    path.unlink()


def added(path: Path) -> None:
    (path.parent / "2026-12-31-new.md").write_text("---\ntitle: New\ndate: 2026-12-31\n---\n")


def contacts_linked(path: Path) -> None:
    contacts = path.parents[2] / "contacts"
    os.rename(contacts, contacts.with_name("people"))
    contacts.symlink_to("people")


def racy_same_content(path: Path) -> None:
    """The file's ctime after the sync (a write of the same bytes): its content decides."""
    path.write_bytes(path.read_bytes())


# (change, whether the listing still describes the files, whether the pieces decide it)
CHANGES: list[tuple[Callable[[Path], None], bool, bool]] = [
    (lambda path: None, True, True),
    (same_size_edit, False, True),
    (sed_i, False, True),
    (vim_backup_rename, False, True),
    (touch_r, False, True),
    (renamed, False, True),
    (traded, False, True),
    (removed, False, True),
    (added, False, True),
    (nested_entry, False, True),
    (empty_subfolder, True, True),
    (notes_txt, True, True),
    (dotfile, True, True),
    (others_temp, True, True),
    (leftover, False, True),
    (chmod, False, True),
    (symlink_entry, False, True),  # a new name: whatever it is, the scan would list it
    (fifo_entry, False, True),
    (folder_named_md, False, True),
    (folder_in_contacts, False, False),
    (readme_in_contacts, False, False),
    (contacts_linked, True, False),
]


@pytest.mark.parametrize("change, current, decided", CHANGES, ids=[c.__name__ for c, _, _ in CHANGES])
def test_the_pieces_answer_as_the_full_scan(root: Path, change: Callable[[Path], None], current: bool,
                                            decided: bool) -> None:
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    change(root / PRIYA)
    assert listing.is_current(root, listed) is current  # the definition
    assert listing.check(root, listed) is current
    assert pieces(root, listed) is (current if decided else None)


@pytest.mark.parametrize("odd", [symlink_entry, fifo_entry, folder_named_md, folder_in_contacts, readme_in_contacts],
                         ids=lambda odd: odd.__name__)
def test_odd_entries_once_listed_are_left_to_the_full_scan(root: Path, odd: Callable[[Path], None]) -> None:
    """Entries the scan makes problem records of (with rules of their own: a link's
    target, a FIFO never opened): the pieces do not judge them, the full scan does."""
    odd(root / PRIYA)
    settle(root)
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    assert pieces(root, listed) is None
    assert listing.check(root, listed) is listing.is_current(root, listed) is True


def test_a_file_changed_within_its_stamps_tick_is_judged_by_its_content(root: Path) -> None:
    """A file written again after the sync began, with the stamp the listing holds (the
    listing taken in the same tick as the write): the pieces hash it, as the scan does."""
    path = root / PRIYA
    racy_same_content(path)
    listed_anew(root, {PRIYA: path.stat()})
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    assert pieces(root, listed) is listing.check(root, listed) is listing.is_current(root, listed) is True
    path.write_bytes(path.read_bytes().replace(b"e", b"E", 1))  # the same size
    listed_anew(root, {PRIYA: path.stat()})
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    assert pieces(root, listed) is listing.check(root, listed) is listing.is_current(root, listed) is False


def test_a_listing_in_another_order_is_left_to_the_full_scan(root: Path) -> None:
    data = json.loads((root / ".netjournal" / "index.json").read_bytes())
    synced_ns = next(iter(data["meta"].values()))["synced_ns"]
    real_key = listing.order_key
    try:
        listing.order_key = lambda p: real_key(p)[::-1]  # type: ignore[assignment]
        (root / ".netjournal" / listing.FILE).write_bytes(listing.build(data["files"], listing.SCHEMA, synced_ns))
    finally:
        listing.order_key = real_key  # type: ignore[assignment]
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    assert pieces(root, listed) is None and listing.check(root, listed) is True
    (root / "contacts" / "priya-raman.md").unlink()  # the names differ, whatever the order: decided
    assert pieces(root, listed) is False and listing.check(root, listed) is False


def test_a_name_that_is_not_utf8_is_left_to_the_full_scan(root: Path) -> None:
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    with open(os.path.join(os.fsencode(root / R), b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\ntitle: x\n---\n")
    assert pieces(root, listed) is None and listing.check(root, listed) is listing.is_current(root, listed) is False


def test_more_racy_files_than_are_hashed_are_not_trusted(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "RACY_FILES", 3)
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    for path in sorted((root / R).glob("*.md"))[:4]:
        racy_same_content(path)
    assert listing.is_current(root, listed) is listing.check(root, listed) is pieces(root, listed) is False


# ---------------------------------------------------------------------- two processes

# The program with its check forked whatever the size, in chunks of CHUNK files, and
# hooks to steer who takes which chunk: the child may wait before its first chunk
# (the command then takes them all from the back), the command may wait before it
# takes any (the child then takes them all), and each chunk taken is logged with the
# process that took it.
SHARED_PROGRAM = """
import os, sys, time
from netjournal.store import listing, stamps
stamps.CHUNK = 3
log, child_wait, command_wait, chunk_wait = sys.argv.pop(2), *(float(sys.argv.pop(2)) for _ in range(3))
command = os.getpid()
chunk, tree, share = stamps.StampCheck.chunk, stamps.StampCheck.tree, listing.Check._share
def logged(self, number):
    with open(log, "a") as handle:
        handle.write(("command" if os.getpid() == command else "child") + " %d\\n" % number)
    time.sleep(chunk_wait)
    return chunk(self, number)
def waited_tree(self):
    time.sleep(child_wait)
    return tree(self)
def waited_share(self, current):
    time.sleep(command_wait)
    return share(self, current)
stamps.StampCheck.chunk, stamps.StampCheck.tree, listing.Check._share = logged, waited_tree, waited_share
""" + FORKED_PROGRAM  # the program, its check forked whatever the size, saying when it opens the journal


def shared(root: Path, log: Path, *args: str, child_wait: float = 0.0, command_wait: float = 0.0,
           chunk_wait: float = 0.0) -> tuple[subprocess.CompletedProcess[str], dict[int, set[str]]]:
    """The program run with its check shared; and who took each chunk."""
    log.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", SHARED_PROGRAM, str(listing.RACY_NS), str(log), str(child_wait),
                           str(command_wait), str(chunk_wait), "--journal", str(root), *args],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    done.stderr = done.stderr.replace("forked\n", "")
    taken: dict[int, set[str]] = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        who, number = line.split()
        taken.setdefault(int(number), set()).add(who)
    return done, taken


def chunk_of(root: Path, rel: str) -> tuple[int, int]:
    """The chunk (of 3 files) ``rel`` is in, and how many chunks there are."""
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    return listed.paths.index(rel) // 3, -(-listed.count // 3)


def journal_says(root: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "netjournal.cli", "--journal", str(root), *args],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    return done.stdout


def test_every_chunk_is_checked_by_one_of_the_two(root: Path, tmp_path: Path) -> None:
    expected = journal_says(root, "reflections", "--json")
    done, taken = shared(root, tmp_path / "log", "reflections", "--json", chunk_wait=0.01)
    _, chunks = chunk_of(root, PRIYA)
    assert done.returncode == 0 and done.stdout == expected and "opened" not in done.stderr
    assert set(taken) == set(range(chunks))  # none left out
    assert {"child", "command"} <= set().union(*taken.values())  # both took some


@pytest.mark.parametrize("who", ["command", "child"])
def test_an_edit_in_either_share_is_seen(root: Path, tmp_path: Path, who: str) -> None:
    """The edited file's chunk taken by the command (the child waits before its first
    chunk), or by the child (the command waits before it takes any)."""
    rel = sorted(p for p in (f"{R}{n.name}" for n in (root / R).iterdir()))[-1 if who == "command" else 0]
    number, _ = chunk_of(root, rel)
    same_size_edit(root / rel)
    waits = {"child_wait": 1.0} if who == "command" else {"command_wait": 1.0}
    done, taken = shared(root, tmp_path / "log", "search", "e", "--json", "--limit", "0", **waits)
    assert taken[number] == {who}
    assert done.returncode == 0 and done.stderr == "opened\n"  # the listing was found stale
    assert done.stdout == journal_says(root, "search", "e", "--json", "--limit", "0")


def test_what_the_commands_share_cannot_decide_goes_to_the_full_scan(root: Path, tmp_path: Path) -> None:
    """A FIFO named like an entry, listed (a problem record) in the last chunk, which the
    command takes: its chunk is not for the pieces to decide, the full scan is."""
    os.mkfifo(root / R / "zz-pipe.md")
    settle(root)
    number, chunks = chunk_of(root, R + "zz-pipe.md")
    assert number == chunks - 1
    expected = journal_says(root, "reflections", "--json")
    done, taken = shared(root, tmp_path / "log", "reflections", "--json", child_wait=1.0)
    assert taken[number] == {"command"}
    assert done.returncode == 0 and done.stdout == expected and "opened" not in done.stderr


def test_a_racy_file_in_each_share_is_hashed(root: Path, tmp_path: Path) -> None:
    """Files written again just before the sync (the same bytes), one in the child's
    share and one in the command's: both hashed, found the same, and the answer comes
    from the listing.  Then one of them changed within its stamp's tick (the listing
    taken in the same tick as the write): hashed, found changed, the journal answers."""
    names = sorted(n.name for n in (root / R).iterdir())
    first, last = root / R / names[0], root / R / names[-1]
    time.sleep(1.0)
    racy_same_content(first)
    racy_same_content(last)
    Journal.open(root).close()  # a sync just after: the two racy, the others a second older
    listing.RACY_NS = 500_000_000  # (the window the program gets)
    try:
        done, taken = shared(root, tmp_path / "log", "reflections", "--json", child_wait=0.3, chunk_wait=0.05)
        assert done.returncode == 0 and "opened" not in done.stderr, done.stderr
        assert taken[chunk_of(root, f"{R}{names[0]}")[0]] == {"child"}
        assert taken[chunk_of(root, f"{R}{names[-1]}")[0]] == {"command"}
        last.write_bytes(last.read_bytes().replace(b"e", b"E", 1))  # the same size
        listed_anew(root, {f"{R}{names[-1]}": last.stat()})  # its stamp as listed: only the content tells
        done, taken = shared(root, tmp_path / "log", "reflections", "--json", child_wait=0.3, chunk_wait=0.05)
        assert taken[chunk_of(root, f"{R}{names[-1]}")[0]] == {"command"}
        assert done.stderr == "opened\n"
    finally:
        listing.RACY_NS = WINDOW_NS


def test_a_file_gone_from_the_commands_share_is_seen(root: Path, tmp_path: Path) -> None:
    names = sorted(n.name for n in (root / R).iterdir())
    gone = root / R / names[-1]
    shutil.move(gone, root / "gone.md")
    done, taken = shared(root, tmp_path / "log", "reflections", "--json", child_wait=1.0)
    assert done.stderr == "opened\n"
    assert json.loads(done.stdout) == json.loads(journal_says(root, "reflections", "--json"))


@pytest.mark.parametrize("order", ["from the back", "from the front", "shuffled"])
def test_the_command_cuts_each_chunks_paths_from_the_listing(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                             order: str) -> None:
    """A process that did not list the folders cuts a chunk's paths out of the
    listing's text (walking back from the last chunk it cut): the same paths, in
    whatever order it takes the chunks."""
    monkeypatch.setattr(stamps, "CHUNK", 4)
    listed = listing.read(root, listing.SCHEMA)
    assert listed is not None
    numbers = list(range(stamps.chunks(listed.count)))
    numbers = {"from the back": numbers[::-1], "from the front": numbers,
               "shuffled": sorted(numbers, key=lambda n: (n * 7) % len(numbers))}[order]
    part = stamps.StampCheck(root, listed, listing.RACY_NS)
    for number in numbers:
        start, stop = number * 4, min(number * 4 + 4, listed.count)
        assert part._paths_between(start, stop) == listed.paths[start:stop]
    assert all(part.chunk(number) for number in numbers)
