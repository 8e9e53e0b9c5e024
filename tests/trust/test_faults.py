"""Faults: disk full, permission denied, a read-only journal, a file that vanishes
between listing and reading.  Each gives one clear line on stderr and exit code 1
(never a traceback), leaves the files on disk as they were, and the journal keeps
working once the fault is gone.

The tests run as root, for whom ``chmod 0o500`` does not stop writes, so the
faults are injected by monkeypatching the system calls the app writes through
(``os.open``, ``tempfile.mkstemp``, ``os.fdopen``'s handle, ``os.replace``,
``os.link``, ``os.mkdir``) and only for paths inside the journal.
"""

from __future__ import annotations

import builtins
import errno
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

import pytest

import netjournal.store.entries as entries_module
import netjournal.store.files as files_module
from netjournal.journal import Journal
from tests.trust.conftest import Run
from tests.trust.helpers import assert_index_matches_files, temp_files

# One save, one new reflection, one new contact: the three ways the app writes.
COMMANDS = {
    "step": ["step", "ada-lovelace", "trust", "--note", "kept her word"],
    "add-reflection": ["add", "reflection", "Gave Ada a talk", "--kind", "give", "--contact", "ada-lovelace"],
    "add-contact": ["add", "contact", "Charles Babbage", "--why", "engines"],
}


def _os_error(code: int, path: Any = None) -> OSError:
    cls = PermissionError if code in (errno.EACCES, errno.EPERM) else OSError
    return cls(code, os.strerror(code), *([os.fspath(path)] if path is not None else []))


class _FullDisk:
    """A write handle on a full disk: every write fails with ENOSPC."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        raise _os_error(errno.ENOSPC)

    def __enter__(self) -> "_FullDisk":
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


class Faults:
    """Inject one fault for paths inside ``root`` (resolved)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.mp = monkeypatch
        self.root = str(root.resolve())
        self.hits = 0

    def _inside(self, path: Any) -> bool:
        try:
            text = os.fsdecode(os.fspath(path))
        except TypeError:
            return False
        full = os.path.abspath(text)
        return full == self.root or full.startswith(self.root + os.sep)

    def _fail(self, code: int, path: Any = None) -> OSError:
        self.hits += 1
        return _os_error(code, path)

    def disk_full(self, only: Callable[[str], bool] = lambda name: True) -> None:
        """Writing a temp file's bytes fails with ENOSPC (``only``: which temp files)."""
        real = os.fdopen

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real(fd, *args, **kwargs)
            mode = args[0] if args else kwargs.get("mode", "r")
            try:
                where = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                return handle
            if "w" in mode and self._inside(where) and only(os.path.basename(where)):
                self.hits += 1
                return _FullDisk(handle)
            return handle

        self.mp.setattr(os, "fdopen", fdopen)

    def no_temp_files(self, code: int) -> None:
        """A folder that does not let us create files: mkstemp fails."""
        real = tempfile.mkstemp

        def mkstemp(*args: Any, dir: Any = None, **kwargs: Any) -> Any:
            if dir is not None and self._inside(dir):
                raise self._fail(code, dir)
            return real(*args, dir=dir, **kwargs)

        self.mp.setattr(tempfile, "mkstemp", mkstemp)

    def no_rename(self, code: int) -> None:
        """The temp file is written but cannot take the file's name."""
        for name in ("replace", "rename", "link"):
            real = getattr(os, name)

            def call(src: Any, dst: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
                if self._inside(dst):
                    raise self._fail(code, dst)
                return _real(src, dst, *args, **kwargs)

            self.mp.setattr(os, name, call)
        # and the atomic exchange of names a save makes (renameat2), which is a rename too
        real_exchange = files_module._exchange

        def exchange(a: Any, b: Any) -> bool:
            if self._inside(b):
                raise self._fail(code, b)
            return real_exchange(a, b)

        self.mp.setattr(files_module, "_exchange", exchange)

    def read_only(self) -> None:
        """A read-only file system: nothing inside the journal can be created or changed."""
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        real_open, real_mkdir, real_io_open = os.open, os.mkdir, builtins.open

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & writing and self._inside(path):
                raise self._fail(errno.EROFS, path)
            return real_open(path, flags, *args, **kwargs)

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if self._inside(path):
                if os.path.lexists(path):
                    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), os.fspath(path))
                raise self._fail(errno.EROFS, path)
            return real_mkdir(path, *args, **kwargs)

        def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if any(c in mode for c in "wax+") and self._inside(file):
                raise self._fail(errno.EROFS, file)
            return real_io_open(file, mode, *args, **kwargs)

        self.mp.setattr(os, "open", os_open)
        self.mp.setattr(os, "mkdir", mkdir)
        self.mp.setattr(builtins, "open", io_open)
        for name in ("replace", "rename", "link", "unlink", "chmod"):
            real = getattr(os, name)

            def call(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
                if any(self._inside(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))):
                    raise self._fail(errno.EROFS, args[-1] if len(args) > 1 else args[0])
                return _real(*args, **kwargs)

            self.mp.setattr(os, name, call)


def _all_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*") if p.is_file() and ".netjournal" not in p.relative_to(root).parts
    }


def _one_clear_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line on stderr: {err!r}"
    assert "Traceback" not in err and err.startswith("netjournal: "), err
    return err


def _still_works(cli: Run, root: Path) -> None:
    code, out, err = cli("--journal", root, "step", "ada-lovelace", "connect")
    assert code == 0 and "Connected authentically" in out, (out, err)
    code, out, err = cli("--journal", root, "contacts", "--json")
    assert code == 0 and "ada-lovelace" in out, err
    assert not temp_files(root), temp_files(root)
    assert_index_matches_files(root, already_in_step=True).close()


FAULTS: dict[str, tuple[Callable[[Faults], None], str]] = {
    # name: (inject, words the one-line message must hold)
    "disk-full": (lambda f: f.disk_full(), "No space left on device"),
    "folder-not-writable": (lambda f: f.no_temp_files(errno.EACCES), "permission denied"),
    "file-not-replaceable": (lambda f: f.no_rename(errno.EACCES), "permission denied"),
    "read-only-journal": (lambda f: f.read_only(), "Read-only file system"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_write_fault_gives_one_clear_line_and_changes_nothing(
    fault: str, command: str, journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: under each write fault (disk full, a folder or file that may not be
    written, a read-only journal), each kind of write (save, new reflection, new
    contact) exits 1 with one clear line on stderr and no traceback; every file in
    the journal is byte-for-byte unchanged, no temp file is left, and once the
    fault is gone the next command succeeds and the index matches the files."""
    root = journal_root
    before = _all_files(root)
    faults = Faults(monkeypatch, root)
    inject, words = FAULTS[fault]
    inject(faults)
    code, out, err = cli("--journal", root, *COMMANDS[command])
    monkeypatch.undo()
    assert faults.hits >= 1, "the fault was never hit"
    assert code == 1, (code, out, err)
    assert words in _one_clear_line(err), err
    assert _all_files(root) == before
    _still_works(cli, root)


def test_read_only_journal_reads_give_one_clear_line(
    journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: on a read-only journal, reading commands too end in one clear line
    at worst (today they are refused: the lock file is opened read-write), never a
    traceback, and nothing changes."""
    root = journal_root
    before = _all_files(root)
    Faults(monkeypatch, root).read_only()
    for args in (["contacts"], ["show", "ada-lovelace"], ["reflections"], ["search", "talked"], ["check"]):
        code, out, err = cli("--journal", root, *args)
        assert code == 0 or (code == 1 and "Read-only file system" in _one_clear_line(err)), (args, out, err)
    monkeypatch.undo()
    assert _all_files(root) == before
    _still_works(cli, root)


def test_read_only_journal_can_still_be_read(
    journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: a journal on a read-only file system can still be listed, shown and
    searched (the index is kept in memory); only writes fail, with one clear line."""
    root = journal_root
    # make the index certain to be current, with no racy (just-written) files to rehash
    for path in root.rglob("*.md"):
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    Journal.open(root).close()
    Journal.open(root).close()
    before = _all_files(root)
    Faults(monkeypatch, root).read_only()
    for args in (["contacts"], ["show", "ada-lovelace"], ["reflections"], ["search", "talked"], ["check"]):
        code, out, err = cli("--journal", root, *args)
        assert code == 0, (args, out, err)
    code, out, err = cli("--journal", root, "show", "ada-lovelace")
    assert "Ada Lovelace" in out
    code, out, err = cli("--journal", root, *COMMANDS["step"])
    assert code == 1 and "Read-only file system" in _one_clear_line(err)
    monkeypatch.undo()
    assert _all_files(root) == before


def test_disk_full_while_writing_the_index(
    journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: when the entry is saved but the disk fills up while the index is
    written, the command says so in one line (exit 1), the entry file is whole (the
    new version), and the next command reconciles the index with the files."""
    root = journal_root
    faults = Faults(monkeypatch, root)
    contact = root / "contacts" / "ada-lovelace.md"
    # only once the contact is saved: the open before it may write the index too
    faults.disk_full(only=lambda name: name.startswith(".index.json.") and b"kept her word" in contact.read_bytes())
    code, out, err = cli("--journal", root, *COMMANDS["step"])
    monkeypatch.undo()
    assert faults.hits == 1
    assert code == 1 and "No space left on device" in _one_clear_line(err)
    text = contact.read_text()
    assert "note: kept her word" in text and text.startswith("---\n") and text.endswith("---\n")
    _still_works(cli, root)
    code, out, _ = cli("--journal", root, "show", "ada-lovelace", "--json")
    assert code == 0 and '"trust": "2026-11-25"' in out


def test_file_vanishes_between_listing_and_reading(
    journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: a file deleted after the folder was listed but before it was read
    (during the index sync) is reported as vanished, not a crash; the command
    succeeds without it; other files are untouched; the next open forgets it."""
    root = journal_root
    for cache in ("index.json", "listing.bin"):  # the next command opens the journal and reads every file
        (root / ".netjournal" / cache).unlink()
    victim = next((root / "reflections").rglob("*.md")).relative_to(root).as_posix()
    real_load = entries_module.load
    vanished: list[str] = []

    def load(root_: Path, rel: str, **kwargs: Any) -> Any:
        if rel == victim and not vanished:
            (root_ / rel).unlink()
            vanished.append(rel)
        return real_load(root_, rel, **kwargs)

    monkeypatch.setattr(entries_module, "load", load)
    before = {k: v for k, v in _all_files(root).items() if k != victim}
    code, out, err = cli("--journal", root, "reflections", "--json")
    assert vanished == [victim]
    assert code == 0 and victim not in out, (out, err)
    journal = Journal.open(root)
    assert victim not in journal.index.records()
    assert not journal.problems()
    monkeypatch.undo()
    assert _all_files(root) == before
    _still_works(cli, root)


def test_file_vanishes_before_it_is_opened_for_editing(
    journal_root: Path, cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Proves: a contact deleted after the journal was opened but before the command
    reads it for editing gives one clear line (exit 1), and nothing is written."""
    root = journal_root
    real_load = entries_module.load

    def load(root_: Path, rel: str, **kwargs: Any) -> Any:
        if rel.startswith("contacts/") and (root_ / rel).exists():
            (root_ / rel).unlink()
        return real_load(root_, rel, **kwargs)

    monkeypatch.setattr(entries_module, "load", load)
    code, out, err = cli("--journal", root, *COMMANDS["step"])
    monkeypatch.undo()
    assert code == 1, (out, err)
    assert "ada-lovelace.md" in _one_clear_line(err) and "vanished" in err
    assert not (root / "contacts" / "ada-lovelace.md").exists()
    assert not temp_files(root)
    code, out, err = cli("--journal", root, "add", "contact", "Ada Lovelace")
    assert code == 0, err
    _still_works(cli, root)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0o500; the monkeypatched faults above cover it")
def test_real_read_only_contacts_folder(journal_root: Path, cli: Run) -> None:
    """Proves (when not run as root): with contacts/ really chmod 0o500, a save and a
    new contact exit 1 with one clear line, nothing changes, and after chmod back the
    journal works."""
    root = journal_root
    before = _all_files(root)
    (root / "contacts").chmod(0o500)
    try:
        for command in ("step", "add-contact"):
            code, out, err = cli("--journal", root, *COMMANDS[command])
            assert code == 1 and "permission denied" in _one_clear_line(err), (command, out, err)
    finally:
        (root / "contacts").chmod(0o700)
    assert _all_files(root) == before
    _still_works(cli, root)
