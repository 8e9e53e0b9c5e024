"""Other programs share the journal folder: editors saving while a command runs, sync
tools that put mtimes back, their temp files, odd directory entries, symlinks.

Each test attacks one promise the README makes about the user's files when other
programs write beside netjournal (issue 9, items 5-9)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netjournal.journal import Journal
from netjournal.store import listing
from netjournal.store.files import RACY_NS
from tests.conftest import TODAY
from tests.trust.helpers import assert_index_matches_files

ADA = "contacts/ada-lovelace.md"

# ---------------------------------------------------------------------- 5. an editor saving during a command

# An editor's save, as vim, VS Code or a sync tool make it: write the new text to a
# temp file beside the file, fsync, rename over the file.  Each save adds a line of its
# own to the body, so that a save that was overwritten shows as a missing line.
#
# Unlike a real editor, which saves its buffer, this one re-reads the file before each
# save (so that its lines and netjournal's changes accumulate).  When netjournal finds,
# at the instant of its rename, that an editor save landed just before, it swaps that
# save back within microseconds; a read in those microseconds sees netjournal's version
# for a moment.  So a read that lacks the editor's own previous line looks again a
# moment later, and only a line still missing then was overwritten.  Those are counted.
EDITOR = r'''
import os, random, sys, time
path, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
folder, name = os.path.split(path)
tmp = os.path.join(folder, "." + name + ".editor-save~")
lost = []
for k in range(count):
    for attempt in range(3):
        with open(path, "rb") as handle:
            data = handle.read()
        if k == 0 or ("external save %d\n" % (k - 1)).encode() in data:
            break
        time.sleep(0.002)
    else:
        lost.append(k - 1)
    data += ("external save %d\n" % k).encode()
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    time.sleep(rng.uniform(0, 0.003))
print(count, lost)
'''

# netjournal's side: one process saving the same contact in a loop through the facade
# (each save loads the file afresh, as a command does), counting its conflicts.
SAVER = r'''
import json, sys
from netjournal.journal import Journal, SaveConflict
root, rounds, which = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
journal = Journal.open(root)
steps = ["connect", "trust", "deepen", "known"]
saved = conflicts = 0
for i in range(rounds):
    try:
        if i % 3 == 0:
            journal.set_step("ada-lovelace", steps[(i + which) % 4], note=f"saver {which} round {i}")
        elif i % 3 == 1:
            journal.unset_step("ada-lovelace", steps[(i + which) % 4])
        else:
            journal.update_contact("ada-lovelace", {"role": f"role {which}.{i}"})
        saved += 1
    except SaveConflict:
        conflicts += 1
journal.close()
print(json.dumps({"saved": saved, "conflicts": conflicts}))
'''

EDITOR_SAVES = 400
SAVER_ROUNDS = 150


def _python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_editor_saving_while_commands_save_loses_nothing(journal_root: Path) -> None:
    """Proves (item 5): an editor saving the contact's file (write temp, fsync,
    rename) in a loop while two processes and a stream of `step` and `add` commands
    save the same file never has a save overwritten: every one of its 400 saves is
    in the file at the end.  A netjournal save that finds the file changed -- before
    rendering, or in the instant before its own rename -- writes nothing and reports
    a conflict (a command: one line, exit 1)."""
    root = journal_root
    path = root / ADA
    editor = _python("-c", EDITOR, str(path), str(EDITOR_SAVES), "9")
    savers = [_python("-c", SAVER, str(root), str(SAVER_ROUNDS), str(n)) for n in range(2)]
    commands = 0
    refused = 0
    while editor.poll() is None and commands < 40:
        step = ["step", "ada-lovelace", ("why", "offer", "connect")[commands % 3], "--note", f"cli {commands}"]
        add = ["add", "reflection", f"Call {commands}", "--contact", "ada-lovelace"]
        args = step if commands % 2 == 0 else add
        proc = _python("-m", "netjournal", "--journal", str(root), *args)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        if proc.returncode != 0:
            assert proc.returncode == 1 and err.count("\n") == 1 and "changed on disk" in err, err
            refused += 1
        commands += 1
    out, err = editor.communicate(timeout=120)
    assert editor.returncode == 0 and out.startswith(f"{EDITOR_SAVES} "), err
    overwritten = json.loads(out.split(" ", 1)[1])
    results = []
    for saver in savers:
        out, err = saver.communicate(timeout=120)
        assert saver.returncode == 0, err
        results.append(json.loads(out))
    # what is on disk at the end: the file, and any conflict copy kept beside it
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.glob("ada-lovelace*.md")))
    lost = sorted(set(overwritten) | {k for k in range(EDITOR_SAVES) if f"external save {k}\n" not in text})
    saved = sum(r["saved"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    print(f"\ntrust/other-programs: {EDITOR_SAVES} editor saves against {2 * SAVER_ROUNDS} facade saves "
          f"({saved} saved, {conflicts} conflicts) and {commands} commands ({refused} refused): "
          f"{len(lost)} editor saves lost")
    assert lost == [], f"editor saves overwritten without a conflict: {lost}"
    assert saved > 0 and conflicts > 0  # the race was run, both ways
    assert_index_matches_files(root)


# ---------------------------------------------------------------------- 6. stamps that no tool puts back

# A file changed since the index's last sync began (or in the 2 s before) is checked by
# content, whatever its stamp says.  To show that the stamp alone catches an edit whose
# mtime and size were put back, the journal here must be "settled": every file's ctime
# older than that window.  The window is shortened for these tests (ctimes cannot be put
# back, only waited out); the 1-second case below uses the real one.
SETTLE_NS = 50_000_000
REFLECTION = "reflections/2026/2026-11-25-met-ada.md"


@pytest.fixture
def settled(journal_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from netjournal.store import index as index_module

    monkeypatch.setattr(listing, "RACY_NS", SETTLE_NS)
    monkeypatch.setattr(index_module, "RACY_NS", SETTLE_NS)
    settle(journal_root)
    return journal_root


def settle(root: Path) -> None:
    time.sleep(2 * SETTLE_NS / 1e9)
    Journal.open(root).close()  # a sync after every file's ctime
    time.sleep(2 * SETTLE_NS / 1e9)
    assert listing.read_if_current(root, listing.SCHEMA) is not None


def same_size_edit(path: Path, old: str, new: str) -> bytes:
    data = path.read_bytes()
    assert len(old) == len(new) and old.encode() in data
    return data.replace(old.encode(), new.encode(), 1)


def cp_p(path: Path, data: bytes, scratch: Path) -> None:
    """`cp -p`: the new content copied over the file with the file's old mtime."""
    source = scratch / "edited.md"
    source.write_bytes(data)
    subprocess.run(["touch", "-r", str(path), str(source)], check=True)
    subprocess.run(["cp", "-p", str(source), str(path)], check=True)


def touch_r(path: Path, data: bytes, scratch: Path) -> None:
    """An edit in place, then `touch -r` from a copy of the old file: the mtime back."""
    reference = scratch / "reference.md"
    subprocess.run(["cp", "-p", str(path), str(reference)], check=True)
    path.write_bytes(data)
    subprocess.run(["touch", "-r", str(reference), str(path)], check=True)


def rsync_t(path: Path, data: bytes, scratch: Path) -> None:
    """What `rsync -t` (and Syncthing) do: a temp file beside it with the sender's
    mtime, renamed over the file (rsync itself is not installed here)."""
    st = path.stat()
    temp = path.with_name(f".{path.name}.Xy12Zq")
    temp.write_bytes(data)
    os.utime(temp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(temp, path)


TOOLS = {"cp -p": cp_p, "touch -r": touch_r, "rsync -t": rsync_t}


@pytest.mark.parametrize("tool", list(TOOLS))
def test_a_same_size_edit_with_its_mtime_put_back_is_seen(settled: Path, tool: str, tmp_path: Path, cli) -> None:
    """Proves (item 6): an edit that keeps the size and puts the mtime back (`cp -p`,
    `touch -r`, `rsync -t`) is seen by every command -- `reflections` and `search`
    (which answer from the listing when nothing changed), `show` and `reindex` -- because
    the stamp holds the ctime and the inode, which no tool can put back."""
    root = settled
    reflection, contact = root / REFLECTION, root / ADA
    mtimes = (reflection.stat().st_mtime_ns, contact.stat().st_mtime_ns)
    TOOLS[tool](reflection, same_size_edit(reflection, "title: Met Ada", "title: Met Bob"), tmp_path)
    TOOLS[tool](contact, same_size_edit(contact, "org: Analytical Engines", "org: Analytical Enginex"), tmp_path)
    assert (reflection.stat().st_mtime_ns, contact.stat().st_mtime_ns) == mtimes  # only ctime/inode tell
    assert listing.read_if_current(root, listing.SCHEMA) is None
    code, out, _ = cli("--journal", root, "reflections", "--json")
    assert code == 0 and [r["title"] for r in json.loads(out)] == ["Met Bob"]
    code, out, _ = cli("--journal", root, "search", "enginex", "--json")
    assert code == 0 and [h["path"] for h in json.loads(out)] == [ADA]
    code, out, _ = cli("--journal", root, "show", "ada-lovelace", "--json")
    assert json.loads(out)["org"] == "Analytical Enginex"
    # and reindex counts such an edit as a change
    settle(root)
    TOOLS[tool](contact, same_size_edit(contact, "Analytical Enginex", "Analytical Engines"), tmp_path)
    code, out, _ = cli("--journal", root, "reindex")
    assert code == 0 and "1 changed" in out, out


def _stat_record(st: os.stat_result) -> dict[str, int]:
    return {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "ctime_ns": st.st_ctime_ns, "ino": st.st_ino}


def edit_in_the_second_of_the_save(root: Path, saved: dict[str, str], edited: dict[str, str], *,
                                   with_index_stamp: bool = False) -> None:
    """A 1-second file system, simulated: each file in ``saved`` edited in place (same
    size, same inode) to ``edited`` with its mtime floored to the second, the index's
    records of them set to the edited stat (what such a file system would show), the
    last sync 10 s before, and the listing written as the index writes it from the same
    records (``with_index_stamp``: with the index file's stamp, as a sync's own write)."""
    now_s = time.time_ns() // 1_000_000_000 * 1_000_000_000
    for rel in saved:
        path = root / rel
        with open(path, "r+b") as handle:  # in place: the inode stays
            handle.write(same_size_edit(path, saved[rel], edited[rel]))
        os.utime(path, ns=(now_s, now_s))  # whole seconds
    index_file = root / ".netjournal" / "index.json"
    index = json.loads(index_file.read_bytes())
    for meta in index["meta"].values():
        meta["synced_ns"] = now_s - 10 * 1_000_000_000
    for record in index["files"].values():
        if record["path"] in saved:
            record.update(_stat_record((root / record["path"]).stat()))
    index_file.write_text(json.dumps(index))
    st = index_file.stat()
    stamp = (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino) if with_index_stamp else None
    (root / ".netjournal" / listing.FILE).write_bytes(
        listing.build(index["files"], listing.SCHEMA, now_s - 10 * 1_000_000_000, stamp))


def test_an_edit_right_after_a_save_on_a_one_second_file_system_is_seen(journal_root: Path, cli) -> None:
    """Proves (item 6): on a file system whose timestamps have whole seconds, an edit
    made in the same second as a netjournal save leaves the file's whole stat as the
    save recorded it (mtime, ctime, size; an in-place edit keeps the inode).  That is
    simulated here: mtimes floored with os.utime, and the index's and listing's record
    of the saved files set to the edited files' stat (what a 1-second file system would
    show), with the last sync 10 s before the save.  The window in which a stamp proves
    nothing counts from the save too (any file changed since the sync began is checked
    by content), so `show`, `reflections`, `search` and `reindex` all see the edit."""
    root = journal_root
    assert cli("--journal", root, "step", "ada-lovelace", "connect")[0] == 0
    assert cli("--journal", root, "add", "reflection", "Lunch 1", "--contact", "ada-lovelace")[0] == 0
    saved = {ADA: "org: Analytical Engines", "reflections/2026/2026-11-25-lunch-1.md": "title: Lunch 1"}
    edited = {ADA: "org: Analytical Enginex", "reflections/2026/2026-11-25-lunch-1.md": "title: Lunch 2"}
    edit_in_the_second_of_the_save(root, saved, edited)
    assert listing.read_if_current(root, listing.SCHEMA) is None  # the listing's stamps match, the content not
    code, out, _ = cli("--journal", root, "reflections", "--json")
    assert "Lunch 2" in [r["title"] for r in json.loads(out)]
    code, out, _ = cli("--journal", root, "search", "enginex", "--json")
    assert [h["path"] for h in json.loads(out)] == [ADA]
    code, out, _ = cli("--journal", root, "show", "ada-lovelace", "--json")
    assert json.loads(out)["org"] == "Analytical Enginex"


def test_reindex_counts_an_edit_right_after_a_save(journal_root: Path, cli) -> None:
    """The same on `reindex` alone: it reports the change ("1 changed"), where it
    said "0 changed" when the window counted only from the last sync."""
    root = journal_root
    assert cli("--journal", root, "step", "ada-lovelace", "trust")[0] == 0
    path = root / ADA
    with open(path, "r+b") as handle:
        handle.write(same_size_edit(path, "why: She sees further", "why: She sees farther"))
    index_file = root / ".netjournal" / "index.json"
    index = json.loads(index_file.read_bytes())
    for meta in index["meta"].values():
        meta["synced_ns"] -= 10 * 1_000_000_000
    for record in index["files"].values():
        if record["path"] == ADA:
            record.update(_stat_record(path.stat()))
    index_file.write_text(json.dumps(index))
    code, out, _ = cli("--journal", root, "reindex")
    assert code == 0 and "1 changed" in out, out


# ---------------------------------------------------------------------- 7. other programs' temp files


def test_other_programs_temp_files_are_never_swept(journal_root: Path, cli) -> None:
    """Proves (item 7): only netjournal's own temp files (`.<name>.nj-<random>.tmp`, a
    name no other program uses) are ever moved to the trash.  An editor's `.ideas.tmp`,
    a sync in progress (`contacts/.syncthing.new-person.md.tmp`) and a folder
    `reflections/.archive.tmp/` stay exactly where they are, however old, through every
    read-only command; a leftover of netjournal's own killed save is swept."""
    root = journal_root
    others = {
        root / "reflections" / "2026" / ".ideas.tmp": b"half an idea",
        root / "contacts" / ".syncthing.new-person.md.tmp": b"---\nname: New Person\n---\n",
        root / "reflections" / ".archive.tmp" / "2025-01-01-old.md": b"---\ntitle: Old\n---\n",
        root / "reflections" / ".archive.tmp" / ".x.md.nj-abcd1234.tmp": b"inside someone's folder",
        root / ".ideas.tmp": b"at the top",
    }
    for path, data in others.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(0, 0))  # ages old: not a save in progress
    os.utime(root / "reflections" / ".archive.tmp", ns=(0, 0))
    ours = root / "contacts" / ".ada-lovelace.md.nj-k3j4h5g6.tmp"
    ours.write_bytes(b"---\nname: Ada Lovelace\n---\nwords of a killed sa")
    os.utime(ours, ns=(0, 0))
    for args in (["contacts"], ["reflections"], ["search", "idea"], ["check"], ["due"], ["reindex"], ["trash"]):
        code, _, err = cli("--journal", root, *args)
        assert code == 0, (args, err)
    for path, data in others.items():
        assert path.read_bytes() == data, path
    assert not ours.exists()
    trashed = [p.name for p in (root / ".netjournal" / "trash").rglob("*") if p.is_file()]
    assert trashed == [ours.name]


# ---------------------------------------------------------------------- 8. odd directory entries


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # a separate process with a timeout: a command that hangs fails the test, not the suite
    return subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(root), *args],
                          capture_output=True, text=True, timeout=60)


def test_odd_directory_entries_are_problems_and_everything_else_works(journal_root: Path) -> None:
    """Proves (item 8): a symlink loop (`a.md -> b.md -> a.md`), a FIFO named `x.md`, a
    socket named `s.md` and a folder named `folder.md` in `contacts/` -- and a FIFO among
    the reflections -- are each a problem record with its path and reason, and every
    command still works on every other file: none fails, none hangs (nothing but a
    regular file is ever opened, and never with a blocking open)."""
    root = journal_root
    contacts = root / "contacts"
    (contacts / "a.md").symlink_to("b.md")
    (contacts / "b.md").symlink_to("a.md")
    os.mkfifo(contacts / "x.md")
    os.mkfifo(root / "reflections" / "2026" / "2026-11-26-pipe.md")
    (contacts / "folder.md").mkdir()
    (contacts / "folder.md" / "inside.md").write_text("---\nname: Inside\n---\n")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    os.chdir(contacts)  # a short path for bind()
    try:
        server.bind("s.md")
    finally:
        os.chdir(cwd)
    try:
        for args in (["reflections"], ["search", "talked"], ["contacts"], ["show", "ada-lovelace"], ["due"],
                     ["step", "ada-lovelace", "connect"], ["add", "contact", "Grace Hopper"],
                     ["add", "reflection", "Tea", "--contact", "ada-lovelace"], ["reflections", "--json"],
                     ["reindex", "--full"]):
            done = _run(root, *args)
            assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
        done = _run(root, "check", "--json")
        assert done.returncode == 1
        problems = {p["path"]: p for p in json.loads(done.stdout)}
        expected = {
            "contacts/a.md": "symlink loop", "contacts/b.md": "symlink loop",
            "contacts/x.md": "FIFO", "contacts/s.md": "socket", "contacts/folder.md": "is a folder",
            "reflections/2026/2026-11-26-pipe.md": "FIFO",
        }
        for path, words in expected.items():
            assert words in problems[path]["reason"] and problems[path]["severity"] == "error", problems.get(path)
        done = _run(root, "contacts", "--json")
        assert {c["slug"] for c in json.loads(done.stdout)} == {"ada-lovelace", "grace-hopper"}
        assert "connect" in (root / ADA).read_text()
    finally:
        server.close()


# ---------------------------------------------------------------------- 9. symlinks and names not read


def test_a_symlinked_contact_is_written_through_to_its_target(journal_root: Path, cli) -> None:
    """Proves (item 9): `step` on a contact whose file is a symlink to a file elsewhere
    in the journal writes through to the link's target (atomically, with the temp file
    in the target's folder); the link stays a link, so there is still one contact,
    not two diverging copies."""
    root = journal_root
    people = root / "people"
    people.mkdir()
    target = people / "grace.md"
    target.write_text("---\nname: Grace Hopper\nwhy: Compilers\n# a comment the save keeps\n---\nNotes.\n")
    link = root / "contacts" / "grace-hopper.md"
    link.symlink_to("../people/grace.md")
    code, out, err = cli("--journal", root, "step", "grace-hopper", "offer", "--note", "Told her about COBOL")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == "../people/grace.md"
    text = target.read_text()
    assert "offer" in text and "Told her about COBOL" in text and "# a comment the save keeps" in text
    assert not [p for p in people.iterdir() if p.name != "grace.md"]  # no temp file left
    code, out, _ = cli("--journal", root, "contacts", "--json")
    assert [c["slug"] for c in json.loads(out)].count("grace-hopper") == 1
    code, out, _ = cli("--journal", root, "show", "grace-hopper", "--json")
    assert json.loads(out)["step_notes"]["offer"] == "Told her about COBOL"


def test_a_link_from_one_entry_folder_into_another_is_not_an_entry(journal_root: Path, cli) -> None:
    """Proves (item 9): `reflections/2026/x.md -> ../../contacts/ada-lovelace.md` is not
    indexed as a reflection (one file is one entry); it is a problem record saying
    where it leads, and the contact is still one contact."""
    root = journal_root
    (root / "reflections" / "2026" / "x.md").symlink_to("../../contacts/ada-lovelace.md")
    (root / "contacts" / "ada-again.md").symlink_to("ada-lovelace.md")
    code, out, _ = cli("--journal", root, "reflections", "--json")
    assert [r["path"] for r in json.loads(out)] == [REFLECTION]
    code, out, _ = cli("--journal", root, "contacts", "--json")
    assert [c["slug"] for c in json.loads(out)] == ["ada-lovelace"]
    code, out, _ = cli("--journal", root, "check", "--json")
    problems = {p["path"]: p for p in json.loads(out)}
    assert code == 1
    assert "symlink to contacts/ada-lovelace.md, which is an entry itself" in problems["reflections/2026/x.md"]["reason"]
    assert "which is an entry itself" in problems["contacts/ada-again.md"]["reason"]


def test_names_that_are_not_read_are_reported(journal_root: Path, cli) -> None:
    """Proves (item 9): files in the entry folders that look meant as entries but are
    not read -- `x.MD`, `x.markdown`, a name without an extension, a folder inside
    `contacts/`, a linked folder -- are each reported by `check` as a warning saying
    what to do; nothing else changes (they are not read, the rest reads)."""
    root = journal_root
    (root / "contacts" / "Grace.MD").write_text("---\nname: Grace\n---\n")
    (root / "contacts" / "alan").write_text("---\nname: Alan\n---\n")
    (root / "reflections" / "2026" / "2026-11-26-notes.markdown").write_text("---\ntitle: Notes\n---\n")
    (root / "contacts" / "photos.jpg").write_bytes(b"\xff\xd8")  # another kind of file: not ours to report
    (root / "contacts" / "archive").mkdir()
    (root / "reflections" / "linked").symlink_to("2026", target_is_directory=True)
    code, out, _ = cli("--journal", root, "check", "--json")
    assert code == 1
    problems = {p["path"]: p for p in json.loads(out)}
    assert set(problems) == {"contacts/Grace.MD", "contacts/alan", "reflections/2026/2026-11-26-notes.markdown",
                             "contacts/archive", "reflections/linked"}
    assert all(p["severity"] == "warning" for p in problems.values())
    assert "rename it to Grace.md" in problems["contacts/Grace.MD"]["reason"]
    assert "rename it to alan.md" in problems["contacts/alan"]["reason"]
    assert "rename it to 2026-11-26-notes.md" in problems["reflections/2026/2026-11-26-notes.markdown"]["reason"]
    assert "not followed" in problems["reflections/linked"]["reason"]
    code, out, _ = cli("--journal", root, "check")
    assert "contacts/Grace.MD:1: not read" in out and "(warning)" in out
    code, out, _ = cli("--journal", root, "contacts", "--json")
    assert [c["slug"] for c in json.loads(out)] == ["ada-lovelace"]


# ---------------------------------------------------------------------- 10. the open that trusts the listing
#
# When the journal opens, its sync re-reads nothing if the listing written with this
# very index file (its stamp, ctime included) is found, by a check forked beside the
# index's decoding, to describe every file as it is (``Index.sync``).  These attack
# that skip: a file changed between two opens the way a real program changes it, and
# the second open must show the change.  Each open runs in a process of its own, as
# the app and the commands do (a forked check needs a process with no other thread),
# with the check forked whatever the journal's size, and says what its sync did:
# "forked" (the check began) and "incremental" (the files were compared and read
# again).  A control open of the untouched journal shows the skip was live.

OPENER = r'''
import errno, json, os, sys
from netjournal.store import index, listing
listing.FORK_FROM = 0  # this small journal checked as a big one is
listing.RACY_NS = index.RACY_NS = int(sys.argv[2])  # the window the test waited out
events = []
real_fork = os.fork
def fork():
    pid = real_fork()
    if pid:
        events.append("forked")
    return pid
os.fork = fork
incremental = index.Index._incremental
def counted(self):
    events.append("incremental")
    return incremental(self)
index.Index._incremental = counted
if sys.argv[3] == "read-only":  # nothing in .netjournal can be written (EROFS), as on a read-only mount
    def refused(path, data):
        raise OSError(errno.EROFS, "Read-only file system", str(path))
    index.write_cache_file = refused
from netjournal.journal import Journal
journal = None
for line in sys.stdin:  # one sync (the first: the open) per line, as the app's check every 5 s
    events.clear()
    if journal is None:
        journal = Journal.open(sys.argv[1])
    else:
        journal.sync()
    print(json.dumps({
        "events": events,
        "reflections": {r.path: r.title for r in journal.reflections()},
        "orgs": {c.slug: c.org for c in journal.contacts(include_archived=True)},
        "read_only": journal.index.read_only,
    }), flush=True)
'''


class Opener:
    """A process that opens the journal, then syncs it again each time it is asked."""

    def __init__(self, root: Path, *, read_only: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", OPENER, str(root), str(listing.RACY_NS), "read-only" if read_only else "-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sync(self) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("sync\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read() if self.proc.stderr else ""
        return json.loads(line)

    def close(self) -> None:
        out, err = self.proc.communicate(timeout=60)
        assert self.proc.returncode == 0 and "Traceback" not in err, err


def open_once(root: Path) -> dict:
    opener = Opener(root)
    try:
        return opener.sync()
    finally:
        opener.close()


SKIPPED = ["forked"]  # the check began and said every file is as listed: nothing re-read
CHECKED_THEN_READ = ["forked", "incremental"]  # the check began, found a change, the files were compared


def listing_header(root: Path) -> listing.Header:
    opened = listing.open_file(root, listing.SCHEMA)
    assert opened is not None
    os.close(opened[0])
    return opened[1]


def index_stamp(root: Path) -> bytes:
    st = (root / ".netjournal" / "index.json").stat()
    return listing.index_stamp((st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino))


def test_an_open_with_nothing_changed_re_reads_nothing(settled: Path) -> None:
    """The control: the skip is live on a settled journal (so the attacks below attack it)."""
    opened = open_once(settled)
    assert opened["events"] == SKIPPED
    assert list(opened["reflections"].values()) == ["Met Ada"] and opened["orgs"] == {"ada-lovelace": "Analytical Engines"}
    assert listing_header(settled).index == index_stamp(settled)


@pytest.mark.parametrize("tool", list(TOOLS))
def test_an_edit_with_its_mtime_put_back_is_seen_by_the_next_open(settled: Path, tool: str, tmp_path: Path) -> None:
    root = settled
    assert open_once(root)["events"] == SKIPPED
    TOOLS[tool](root / REFLECTION, same_size_edit(root / REFLECTION, "title: Met Ada", "title: Met Bob"), tmp_path)
    TOOLS[tool](root / ADA, same_size_edit(root / ADA, "org: Analytical Engines", "org: Analytical Enginex"), tmp_path)
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ
    assert opened["reflections"] == {REFLECTION: "Met Bob"} and opened["orgs"] == {"ada-lovelace": "Analytical Enginex"}


def vim_save(path: Path, data: bytes) -> None:
    """A save as vim makes it with ``backupcopy=no``: the file renamed to ``name~``, the
    new text written as a new file; here of the same size and given the old mtime."""
    st = path.stat()
    os.rename(path, path.with_name(path.name + "~"))
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def swap_names(a: Path, b: Path) -> None:
    """Two files of the same size trade names (``mv a t; mv b a; mv t b``), each then
    given the other's mtime: every name keeps its size and mtime."""
    sa, sb = a.stat(), b.stat()
    assert sa.st_size == sb.st_size
    temp = a.with_name(".swap")
    os.rename(a, temp)
    os.rename(b, a)
    os.rename(temp, b)
    os.utime(a, ns=(sa.st_atime_ns, sa.st_mtime_ns))
    os.utime(b, ns=(sb.st_atime_ns, sb.st_mtime_ns))


OTHER = "reflections/2026/2026-11-25-met-eve.md"


def test_a_save_through_a_backup_rename_is_seen(settled: Path) -> None:
    root = settled
    vim_save(root / ADA, same_size_edit(root / ADA, "org: Analytical Engines", "org: Analytical Enginex"))
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ and opened["orgs"] == {"ada-lovelace": "Analytical Enginex"}


def test_files_that_trade_names_are_seen(settled: Path) -> None:
    root = settled
    (root / OTHER).write_bytes((root / REFLECTION).read_bytes().replace(b"Met Ada", b"Met Eve"))
    settle(root)
    assert open_once(root)["reflections"] == {REFLECTION: "Met Ada", OTHER: "Met Eve"}
    swap_names(root / REFLECTION, root / OTHER)
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ
    assert opened["reflections"] == {REFLECTION: "Met Eve", OTHER: "Met Ada"}


def test_a_renamed_a_copied_and_a_deleted_file_are_seen(settled: Path) -> None:
    root = settled
    (root / OTHER).write_bytes((root / REFLECTION).read_bytes().replace(b"Met Ada", b"Met Eve"))
    settle(root)
    moved = "reflections/2026/2026-11-25-met-ada-again.md"
    os.rename(root / REFLECTION, root / moved)  # mv: same inode, size and mtime
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ and opened["reflections"] == {moved: "Met Ada", OTHER: "Met Eve"}
    settle(root)
    subprocess.run(["cp", "-p", str(root / moved), str(root / REFLECTION)], check=True)  # an old mtime
    assert open_once(root)["reflections"] == {moved: "Met Ada", OTHER: "Met Eve", REFLECTION: "Met Ada"}
    settle(root)
    (root / OTHER).unlink()
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ and opened["reflections"] == {moved: "Met Ada", REFLECTION: "Met Ada"}


def test_a_leftover_of_a_killed_save_is_still_swept(settled: Path) -> None:
    """The skip is only taken when the scan found no temp file of netjournal's own:
    the sweep (to the trash) runs on the open as before."""
    root = settled
    ours = root / "contacts" / ".ada-lovelace.md.nj-k3j4h5g6.tmp"
    ours.write_bytes(b"---\nname: Ada Lovelace\n---\nwords of a killed sa")
    os.utime(ours, ns=(0, 0))
    assert open_once(root)["events"] == CHECKED_THEN_READ
    assert not ours.exists()
    assert [p.name for p in (root / ".netjournal" / "trash").rglob("*") if p.is_file()] == [ours.name]


def test_an_index_put_back_from_a_copy_is_not_taken_for_the_listed_one(settled: Path) -> None:
    """index.json put back from a copy made before a save (by a backup tool, or by
    hand), in place (the same inode), of the same size and with the mtime of the index
    it replaces: only its ctime tells it from the index the listing was written with.
    The listing, written after the save, still describes every file, so an open that
    trusted it would show the copy's records: the save would be missing."""
    root = settled
    index_file = root / ".netjournal" / "index.json"
    before = index_file.read_bytes()
    journal = Journal.open(root)
    journal.update_contact("ada-lovelace", {"org": "Analytical Enginex"})
    journal.close()
    settle(root)
    assert open_once(root)["events"] == SKIPPED
    current = index_file.stat()
    assert len(before) == current.st_size  # a same-size change: the copy has the size of the current index
    with open(index_file, "r+b") as handle:
        handle.write(before)
    os.utime(index_file, ns=(current.st_atime_ns, current.st_mtime_ns))
    now = index_file.stat()
    assert (now.st_mtime_ns, now.st_size, now.st_ino) == (current.st_mtime_ns, current.st_size, current.st_ino)
    opened = open_once(root)
    assert opened["orgs"] == {"ada-lovelace": "Analytical Enginex"}
    assert "forked" not in opened["events"]  # the listing was written with another index file


def test_a_listing_of_an_earlier_index_is_written_again(settled: Path) -> None:
    """A listing left from the index before (a process killed between writing the two,
    a full disk) is not used by the open, which writes it again; the next open uses it."""
    root = settled
    listing_file = root / ".netjournal" / listing.FILE
    earlier = listing_file.read_bytes()
    journal = Journal.open(root)
    journal.update_contact("ada-lovelace", {"org": "Analytical Enginex"})
    journal.close()
    listing_file.write_bytes(earlier)
    assert listing_header(root).index != index_stamp(root)
    opened = open_once(root)
    assert "forked" not in opened["events"] and opened["orgs"] == {"ada-lovelace": "Analytical Enginex"}
    assert listing_header(root).index == index_stamp(root)
    settle(root)
    assert open_once(root)["events"] == SKIPPED


def test_an_edit_in_the_same_second_as_a_save_is_seen_by_the_open_that_trusts_the_listing(journal_root: Path) -> None:
    """The racy window, through the skip: on a file system with whole-second
    timestamps an edit in the same second as a save leaves the file's stat as the save
    recorded it (simulated as in the test above: the index and its listing -- written
    with that index file's stamp, so the check may stand for the sync -- hold the
    edited files' stat; the last sync 10 s before).  The check hashes the files changed
    since the sync began, finds the content is not the one listed, and the open reads
    them."""
    root = journal_root
    saved = {ADA: "org: Analytical Engines", REFLECTION: "title: Met Ada"}
    edited = {ADA: "org: Analytical Enginex", REFLECTION: "title: Met Bob"}
    edit_in_the_second_of_the_save(root, saved, edited, with_index_stamp=True)
    assert listing_header(root).index == index_stamp(root)
    opened = open_once(root)
    assert opened["events"] == CHECKED_THEN_READ
    assert opened["reflections"] == {REFLECTION: "Met Bob"} and opened["orgs"] == {"ada-lovelace": "Analytical Enginex"}


def test_a_read_only_journal_sees_a_file_come_and_go(settled: Path) -> None:
    """A journal whose index cannot be written (a read-only mount): what a sync reads
    is kept in memory only, so the listing and index.json on disk stay as they were.
    A file that appears and then goes again leaves the files exactly as listed, and the
    sync must still forget it.  (Once a write failed the sync does not trust the listing
    at all; the index file is read again then, so either way it holds.)"""
    root = settled
    opener = Opener(root, read_only=True)
    try:
        assert opener.sync()["events"] == SKIPPED
        (root / OTHER).write_bytes((root / REFLECTION).read_bytes().replace(b"Met Ada", b"Met Eve"))
        seen = opener.sync()
        assert seen["read_only"] and seen["reflections"] == {REFLECTION: "Met Ada", OTHER: "Met Eve"}
        (root / OTHER).unlink()
        gone = opener.sync()
        assert gone["reflections"] == {REFLECTION: "Met Ada"}
    finally:
        opener.close()
