"""The TinyDB index: derived metadata about every file, safe to delete.

``.netjournal/index.json`` holds one record per file (path, mtime_ns, size, hash,
the fields queries need, its problems) and a schema version.  Opening a journal
syncs it incrementally: every file is stat'ed, only new or changed ones are read.
Bodies are not in the index; the full-text cache (``fulltext.py``) keeps them.

Writes go through ``AtomicJSONStorage``: atomic replace, under an exclusive lock
file, with plain JSON values only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import gc
import json
import os
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from netjournal.store import listing
from netjournal.store.files import ensure_dir, move_to_trash, open_regular, sha256_hex, write_cache_file
from netjournal.store.scan import RACY_FILES, RACY_NS, STATE, ScannedFile, is_own_temp, racy, scan

# Reading the index needs neither TinyDB nor the entries' reader (the model, YAML):
# they are imported where the index is written and where files are read, so that a
# deferred open (the app's first screen) does without them.
if TYPE_CHECKING:
    from tinydb import TinyDB
    from tinydb.table import Table

    from netjournal.store.entries import LoadedEntry

SCHEMA = listing.SCHEMA
LEFTOVER_AGE_NS = 60 * 1_000_000_000
# A journal on a read-only disk (or without write permission) can still be read:
# the index is then kept in memory only.
READ_ONLY_ERRORS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
INDEX_FILE = "index.json"
LOCK_FILE = "lock"


class JournalLock:
    """An exclusive, re-entrant (per process) lock on the journal.

    Held across every read-modify-write of the index and of an entry's file, so that
    two processes on one journal take turns instead of losing each other's changes.

    The ``flock`` is taken on the journal folder itself (a descriptor of the
    directory), not on a file in ``.netjournal/``: that folder is a cache the user
    may delete at any moment, and a lock file deleted while held would be created
    afresh by the next process, which would then hold "the" lock at the same time.
    ``path`` (``.netjournal/lock``) only keeps the write token (below).  Where a
    folder cannot be locked (some network file systems), the token file is locked
    instead, as before.
    """

    def __init__(self, path: Path, root: Path | None = None) -> None:
        self.path = path
        self.root = path.parent.parent if root is None else root
        self._depth = 0
        self._fd: int | None = None
        self._thread_lock = threading.RLock()
        # +1 each time the lock is freshly taken: while it is held, no other process
        # can write the index, so what was read during this hold stays valid.
        self.generation = 0

    def __enter__(self) -> "JournalLock":
        self._thread_lock.acquire()
        if self._depth == 0:
            try:
                self._fd = self._take()
            except BaseException:
                self._thread_lock.release()
                raise
            self.generation += 1
        self._depth += 1
        return self

    def _take(self) -> int | None:
        """A descriptor holding the exclusive flock; None on a read-only journal where
        nothing can be locked (nothing can be written there either)."""
        try:
            fd = os.open(self.root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            fd = None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                return fd
            except BaseException as exc:
                os.close(fd)
                if not isinstance(exc, OSError):
                    raise
        fd = self._open_token_file()  # no lock on the folder to be had: the file, then
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
        return fd

    def _open_token_file(self) -> int | None:
        try:
            try:
                return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except FileNotFoundError:  # .netjournal/ was deleted: it is only a cache
                ensure_dir(self.path.parent)
                return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno not in READ_ONLY_ERRORS:
                raise
        try:
            return os.open(self.path, os.O_RDONLY)  # flock works on a read-only descriptor
        except OSError:
            return None

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    @property
    def held(self) -> bool:
        return self._depth > 0

    # The token file holds a token that changes before every write of the index, so
    # that a process holding the lock can tell the index it cached is still the one
    # on disk without reading it again, even when the index was written a moment ago
    # (when its stat alone could not tell: see AtomicJSONStorage).  It is read and
    # written by name, so a deleted .netjournal/ reads as "no token": re-read.

    def token(self) -> bytes | None:
        """The current write token (held lock only); None when it cannot be read."""
        if not self.held:
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            return os.pread(fd, 64, 0) or None
        except OSError:
            return None
        finally:
            os.close(fd)

    def bump(self) -> bytes | None:
        """A new token, before the index is written (held lock only)."""
        if not self.held:
            return None
        token = os.urandom(8).hex().encode()
        try:
            fd = self._open_token_file()
        except OSError:
            return None
        if fd is None:
            return None
        try:
            if os.pwrite(fd, token, 0) != len(token):
                return None
        except OSError:
            return None
        finally:
            os.close(fd)
        return token


def plain_json(value: Any) -> Any:
    """Refuse anything that is not a plain JSON type before it reaches TinyDB."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    raise TypeError(f"not a JSON value: {type(value).__name__}")


class AtomicJSONStorage:
    """TinyDB storage (its ``Storage`` interface: ``read``, ``write``, ``close``):
    whole-file JSON, written atomically under the journal lock.

    Reads are served from memory while the journal lock has been held since this
    storage last read or wrote the file.  Otherwise the file's stat decides (same
    mtime_ns, size and inode) -- unless the file was written so close to the moment
    it was cached that another process could have replaced it within the same
    timestamp tick with one of the same size; then it is read again.
    """

    def __init__(self, path: str, lock: JournalLock, **_: Any) -> None:
        self.path = Path(path)
        self.lock = lock
        self._cache: dict[str, Any] | None = None
        # (mtime_ns, size, ctime_ns, inode): the ctime too, which no program can put back
        self._cache_stat: tuple[int, int, int, int] | None = None
        self._cache_ns = 0  # when the cache was filled
        self._cache_generation = -1  # the lock hold it was filled (or last checked) in
        self._cache_token: bytes | None = None  # the lock file's write token it was filled under
        self.deferred = False  # True: writes stay in memory until flush()
        self.dirty = False  # memory holds writes the file does not have yet
        # called with what was just written, under the lock (the index writes its listing)
        self.on_written: Callable[[dict[str, Any]], None] | None = None

    def _stat(self) -> tuple[int, int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino

    def disk_stamp(self) -> tuple[int, int, int, int] | None:
        """The file's (mtime_ns, size, ctime_ns, inode) as it is on disk now."""
        try:
            return self._stat()
        except OSError:
            return None

    def stamp(self) -> tuple[int, int, int, int] | None:
        """The stamp of the file as this storage last read or wrote it (what its
        memory copy holds), or None when memory holds writes the file does not."""
        return None if self.dirty or self._cache is None else self._cache_stat

    def _current_generation(self) -> int:
        return self.lock.generation if self.lock.held else -1

    def _cache_valid(self, current: tuple[int, int, int, int] | None) -> bool:
        if self._cache is None:
            return False
        if self.lock.held and self._cache_generation == self.lock.generation:
            return True
        if current is None or current != self._cache_stat:
            return False
        if current[0] < self._cache_ns - RACY_NS:
            return True
        # written too recently for its stat to prove anything: the write token tells
        return self._cache_token is not None and self._cache_token == self.lock.token()

    def read(self) -> dict[str, Any] | None:
        if self.dirty:
            return self._cache  # our pending writes win until they are flushed
        if self._cache is not None and self.lock.held and self._cache_generation == self.lock.generation:
            return self._cache
        taken_ns = time.time_ns()
        current = self._stat()
        if current is None:
            self._cache = None
            return None
        if self._cache_valid(current):
            self._cache_generation = self._current_generation()
            return self._cache
        token = self.lock.token()
        with open(self.path, "rb") as handle:
            raw = handle.read()
        data = json.loads(raw) if raw.strip() else None
        if data is not None and not isinstance(data, dict):
            raise ValueError("index is not a JSON object")
        self._cache, self._cache_stat, self._cache_ns = data, current, taken_ns
        self._cache_token = token
        self._cache_generation = self._current_generation()
        return data

    def write(self, data: dict[str, Any]) -> None:
        if self.deferred:
            # write-behind: keep it in memory; flush() puts it on disk
            self._cache, self.dirty = data, True
            self._cache_generation = self._current_generation()
            return
        self._write_now(data)

    def _write_now(self, data: dict[str, Any]) -> None:
        with self.lock:
            taken_ns = time.time_ns()
            try:
                payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
                token = self.lock.bump()  # first: a crash between the two only costs a re-read
                st = write_cache_file(self.path, payload.encode("utf-8"))
            except BaseException:
                self._cache, self.dirty = None, False
                raise
            self._cache, self._cache_ns = data, taken_ns
            self._cache_stat = st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino
            self._cache_token = token
            self._cache_generation = self._current_generation()
            self.dirty = False
            if self.on_written is not None:
                self.on_written(data)

    def flush(self) -> None:
        """Write what is pending (write-behind or batch) to disk, atomically."""
        if self.dirty and self._cache is not None:
            self._write_now(self._cache)

    def discard(self) -> None:
        """Forget the memory copy (pending writes included); the next read loads the file."""
        self._cache, self.dirty = None, False

    def changed_on_disk(self) -> bool:
        """True when the file may not be the one this storage last read or wrote."""
        if self._cache is not None and self.lock.held and self._cache_generation == self.lock.generation:
            return False
        if self.dirty:
            # what we last read or wrote may have been replaced by another process
            return self._cache_stat is not None and self._stat() != self._cache_stat or (
                self._cache_stat is None and self._stat() is not None)
        return not self._cache_valid(self._stat())

    def close(self) -> None:
        self._cache = None


@dataclass
class SyncReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    rebuilt: bool = False
    reason: str = ""
    seconds: float = 0.0
    changed_paths: list[str] = field(default_factory=list)
    # set by the journal: paths whose records differ from those its views were built from
    unseen: list[str] = field(default_factory=list)

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


_RECORD_TYPES = {
    "path": str, "kind": str, "mtime_ns": int, "size": int, "ctime_ns": int, "ino": int,
    "sha256": str, "ok": bool, "problems": list,
}


def _valid_record(doc: Any) -> bool:
    """A record this version can use (a hand-edited or damaged one is not).
    Runs for every record on every open, so it is written for speed."""
    if type(doc) is not dict:
        return False
    try:
        data = doc["data"]
        return (
            type(doc["path"]) is str and type(doc["kind"]) is str and type(doc["mtime_ns"]) is int
            and type(doc["size"]) is int and type(doc["ctime_ns"]) is int and type(doc["ino"]) is int
            and type(doc["sha256"]) is str and type(doc["ok"]) is bool
            and type(doc["problems"]) is list
            and ((data is None and not doc["ok"]) or type(data) is dict)
        )
    except KeyError:
        return False


class ListingCheck:
    """A listing check begun in a forked process for an index file with this stamp."""

    def __init__(self, index: tuple[int, int, int, int], fd: int, check: listing.Check) -> None:
        self.index, self.fd, self.check = index, fd, check

    def done(self) -> bool:
        return self.check.done()

    def close(self) -> None:
        try:
            self.check.__exit__()
        finally:
            os.close(self.fd)


class Index:
    """Records of every file, kept in step with the files.

    ``write_behind``: saves update the index in memory and mark it dirty; ``flush()``
    writes it (the app flushes shortly after a save and on exit).  The files are the
    truth, so an index that missed a flush only costs the next open a re-read of the
    files that changed.  Without it, every change is written at once.
    """

    def __init__(self, root: Path, *, write_behind: bool = False) -> None:
        self.root = root
        self.state = root / STATE
        ensure_dir(self.state)
        self.lock = JournalLock(self.state / LOCK_FILE, root)
        self.storage = AtomicJSONStorage(str(self.state / INDEX_FILE), self.lock)
        self.storage.on_written = self._write_listing
        self.write_behind = write_behind
        self._ids: dict[str, int] = {}
        self._top_id: int | None = None  # the highest document id (write-behind inserts)
        self._records: dict[str, dict[str, Any]] = {}
        self._pending: set[str] = set()  # paths changed in memory, not yet on disk
        self._built_ns = 0
        self._rehashed = 0  # files the last incremental sync checked by content
        self.read_only = False  # the index could not be written (read-only journal)
        self.leftovers: list[str] = []  # temp files of killed saves, found by the last scan
        # called with (path, sha256, search text or None) for every file read
        self.on_loaded: Callable[[str, str, str | None], None] | None = None

    # TinyDB over this storage, for the writes (``_load`` reads the storage itself):
    # made at its first use, by a sync or a write, under the lock.

    @functools.cached_property
    def db(self) -> TinyDB:
        from tinydb import TinyDB

        return TinyDB(storage=lambda: self.storage)

    @functools.cached_property
    def files(self) -> Table:
        return self.db.table("files", cache_size=0)

    @functools.cached_property
    def meta(self) -> Table:
        return self.db.table("meta", cache_size=0)

    # ------------------------------------------------------------------ reading

    def records(self) -> dict[str, dict[str, Any]]:
        """path → record, for every file (good and problem ones)."""
        return self._records

    def _load(self) -> str | None:
        """Load the records; returns why a rebuild is needed, or None."""
        try:
            # TinyDB's raw tables: wrapping 10,000 records in Document objects costs
            # more than reading the file, and only the path → record map is needed
            data = self.storage.read() or {}
            meta = list((data.get("meta") or {}).values())
            raw = data.get("files") or {}
            if not isinstance(raw, dict):
                return "index record damaged"
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            return f"index unreadable ({type(exc).__name__})"
        if not meta or not isinstance(meta[0], dict) or meta[0].get("schema") != SCHEMA:
            return "new index" if not meta else "index schema changed"
        ids: dict[str, int] = {}
        records: dict[str, dict[str, Any]] = {}
        for doc_id, doc in raw.items():
            if not _valid_record(doc) or not doc_id.isdigit():
                return "index record damaged"
            ids[doc["path"]] = int(doc_id)
            records[doc["path"]] = doc
        self._ids, self._records = ids, records
        self._top_id = None
        synced = meta[0].get("synced_ns", 0)
        self._built_ns = synced if isinstance(synced, int) else 0
        return None

    # ------------------------------------------------------------------ syncing

    def sync(self, *, full: bool = False, check: ListingCheck | None = None) -> SyncReport:
        """Bring the index in step with the files: stat all, read only what changed.

        ``check``: the listing's check begun earlier (``begin_check``), taken over
        (and closed) here; otherwise one begins now."""
        started = time.perf_counter()
        with self.lock, no_gc():
            self._flush_pending()
            if check is None and not full and not self.read_only:
                check = self.begin_check()
            try:
                reason = "full rebuild requested" if full else self._load()
                self.leftovers = []
                with self._batch(keep_on_read_only=True):
                    if reason:
                        report = self._rebuild(reason)
                    elif check is not None and self.storage.stamp() == check.index and check.done():
                        # The listing written with this very index file (its stamp, ctime
                        # included) describes every file as it is: the same paths and
                        # stamps, the files changed within the racy window hashed, no
                        # leftover temp file -- what the incremental sync would compare,
                        # compared in C beside the index's decoding: nothing to re-read.
                        report = SyncReport()
                    else:
                        report = self._incremental()
            finally:
                if check is not None:
                    check.close()
            if not self.read_only and not self._listing_matches():
                # deleted, never written (a full disk), or written with another index
                # (a crash between the two writes, another version): the quick
                # commands and the next open need it
                self._write_listing(self.storage.read() or {})
            self._sweep_leftovers()
        report.seconds = time.perf_counter() - started
        return report

    def begin_check(self) -> ListingCheck | None:
        """The listing's check of the files, begun in a forked process before the index
        is read (``listing.Check``: a big journal, no other thread), if the listing was
        written with the index file as it is now; else None, and the sync stats the
        files itself (a check in this process would be the same stats, and twice them
        when a file changed)."""
        opened = listing.open_file(self.root, SCHEMA)
        if opened is None:
            return None
        fd, header = opened
        current = self.storage.disk_stamp()
        if current is None or header.index != listing.index_stamp(current) or header.index in listing.found_stale:
            os.close(fd)
            return None
        check = ListingCheck(current, fd, listing.Check(self.root, fd, header))
        if not check.check.pid:
            check.close()
            return None
        return check

    def _listing_matches(self) -> bool:
        """Whether the listing on disk was written with the index file as this
        storage holds it."""
        stamp = self.storage.stamp()
        opened = listing.open_file(self.root, SCHEMA)
        if opened is None:  # none, damaged, another version's, or one that says it cannot be
            try:
                with open(self.state / listing.FILE, "rb") as handle:
                    return handle.read(len(listing.UNUSABLE) + 1) == listing.UNUSABLE
            except OSError:
                return False
        os.close(opened[0])
        return stamp is None or opened[1].index == listing.index_stamp(stamp)

    def _sweep_leftovers(self) -> None:
        """netjournal's own temp files (``.<name>.nj-<random>.tmp``) of saves killed
        midway, older than a minute (so no live save's).  Only that name: another
        program's temp files and folders are theirs, whatever they are called.

        One in an entry folder may hold words that never reached their file, so it
        goes to the trash, not away; the index's own are only a cache."""
        cutoff = time.time_ns() - LEFTOVER_AGE_NS
        try:
            own = [e.path for folder in (self.state, self.state / "fulltext") if folder.is_dir()
                   for e in os.scandir(folder) if is_own_temp(e.name) and e.is_file(follow_symlinks=False)]
        except OSError:
            own = []
        for path in self.leftovers + own:
            try:
                st = os.lstat(path)
                if not stat.S_ISREG(st.st_mode) or st.st_mtime_ns > cutoff:
                    continue
                if path in own:
                    os.unlink(path)
                else:
                    move_to_trash(self.root, Path(path), self.state / "trash")
            except OSError:
                continue  # gone already, or a read-only journal: harmless
        self.leftovers = []

    @contextlib.contextmanager
    def _batch(self, keep_on_read_only: bool = False) -> Iterator[None]:
        """TinyDB operations inside are kept in memory and written to disk once.

        ``keep_on_read_only``: when that write fails because the journal cannot be
        written, keep the records in memory (reading still works)."""
        previous = self.storage.deferred
        self.storage.deferred = True
        try:
            yield
        except BaseException:
            self.storage.deferred = previous
            self.storage.discard()
            raise
        self.storage.deferred = previous
        if not previous:
            try:
                self.storage.flush()
            except OSError as exc:
                if not keep_on_read_only or exc.errno not in READ_ONLY_ERRORS:
                    self.storage.discard()
                    raise
                self.storage.dirty = False  # nothing can be written; memory is the index now
                self.read_only = True

    def _read_all(self, scanned_files: list[ScannedFile]) -> list[dict[str, Any]]:
        """Records for these files (problem records for those the scan refused),
        reading them in parallel when there are many."""
        records: list[dict[str, Any] | None] = [None] * len(scanned_files)
        to_read = [(i, s.path) for i, s in enumerate(scanned_files) if s.problem is None]
        for i, scanned in enumerate(scanned_files):
            if scanned.problem is not None:
                records[i] = self._problem_record(scanned)
        results = read_entries(self.root, [rel for _, rel in to_read])
        for (i, _), (record, sha, text) in zip(to_read, results):
            records[i] = record
            if self.on_loaded is not None:
                self.on_loaded(record["path"], sha, text)
        return records  # type: ignore[return-value]

    def _rebuild(self, reason: str) -> SyncReport:
        started_ns = time.time_ns()
        records = self._read_all(list(scan(self.root, self.leftovers)))
        self.db.drop_tables()
        self.files.insert_multiple(records)
        self._write_meta(started_ns)
        self._load()
        report = SyncReport(added=len(records), rebuilt=True, reason=reason)
        report.changed_paths = [r["path"] for r in records]
        return report

    def _problem_record(self, scanned: ScannedFile) -> dict[str, Any]:
        assert scanned.problem is not None
        return {
            "path": scanned.path, "kind": "unknown", "mtime_ns": scanned.mtime_ns,
            "size": scanned.size, "ctime_ns": scanned.ctime_ns, "ino": scanned.ino,
            "sha256": "", "ok": False, "data": None, "problems": [dict(scanned.problem)],
        }

    def _is_current(self, record: dict[str, Any], scanned: ScannedFile) -> bool:
        """Whether the record still describes the file: the same stamp (mtime, size,
        ctime, inode: a same-size edit whose mtime was put back has a new ctime), and,
        for a file changed since the index's last sync began (or within the 2 s
        before, a coarse timestamp's tick), the same content -- it may have changed
        again within the tick its stamp was taken in, leaving every stat field as it
        was.  That window counts from saves too: a file saved after the sync has a
        ctime after it."""
        if (record["mtime_ns"] != scanned.mtime_ns or record["size"] != scanned.size
                or record["ctime_ns"] != scanned.ctime_ns or record["ino"] != scanned.ino):
            return False
        if racy(scanned.mtime_ns, scanned.ctime_ns, self._built_ns, RACY_NS) and record.get("sha256"):
            self._rehashed += 1
            try:
                with os.fdopen(open_regular(self.root / scanned.path), "rb") as handle:
                    data = handle.read()
            except OSError:
                return False
            return sha256_hex(data) == record["sha256"]
        return True

    def _incremental(self) -> SyncReport:
        report = SyncReport()
        self._rehashed = 0
        self.files._next_id = None
        seen: set[str] = set()
        changed: list[ScannedFile] = []
        stale_ids: list[int] = []
        records = self._records
        racy_from, racy_until = self._built_ns - RACY_NS, self._built_ns + RACY_NS  # scan.racy, inline
        started_ns = time.time_ns()
        for scanned in scan(self.root, self.leftovers):
            path = scanned.path
            seen.add(path)
            record = records.get(path)
            if (record is not None and record["ctime_ns"] == scanned.ctime_ns and record["mtime_ns"] == scanned.mtime_ns
                    and record["size"] == scanned.size and record["ino"] == scanned.ino
                    and scanned.ctime_ns < racy_from
                    and (scanned.mtime_ns < racy_from or scanned.mtime_ns >= racy_until)):
                continue  # the common case, inline: 11,000 of these per open
            if record is not None and self._is_current(record, scanned):
                continue
            if record is None:
                report.added += 1
            else:
                report.changed += 1
                stale_ids.append(self._ids[scanned.path])
            changed.append(scanned)
            report.changed_paths.append(scanned.path)
        fresh = self._read_all(changed)
        for path in records:
            if path not in seen:
                stale_ids.append(self._ids[path])
                report.removed += 1
                report.changed_paths.append(path)
        if stale_ids:
            self.files.remove(doc_ids=stale_ids)
        if fresh:
            self.files.insert_multiple(fresh)
        # A few files re-hashed (written since the last sync, unchanged: a save a
        # moment ago) are no reason to rewrite the whole index: the next open hashes
        # those few again.  Many (a journal copied, then indexed at once; many saves
        # since the last sync) are: a new sync time spares every later open from
        # hashing them all.
        if report.touched or self._rehashed > RACY_FILES:
            self._write_meta(started_ns)
            self._load()
        return report

    def _write_listing(self, data: dict[str, Any]) -> None:
        """The listing beside index.json, for the quick commands (``store/listing.py``).

        It is checked against the files before it is used, so one that could not be
        written (a full disk) is only a slower next command, not a wrong one."""
        meta = list((data.get("meta") or {}).values())
        synced = meta[0].get("synced_ns", 0) if meta and isinstance(meta[0], dict) else 0
        try:
            write_cache_file(self.state / listing.FILE,
                             listing.build(data.get("files") or {}, SCHEMA, synced, self.storage.stamp()))
        except OSError:
            # none rather than one of an earlier index (which a sync could take for
            # this one's, should the next index file get the same stamp)
            with contextlib.suppress(OSError):
                os.unlink(self.state / listing.FILE)
        for old in listing.OLD_FILES:  # an earlier format's, nothing reads it now
            with contextlib.suppress(OSError):
                os.unlink(self.state / old)

    def _write_meta(self, started_ns: int) -> None:
        """The schema and the sync time: when the scan that made the records began.
        Every file was read after it, so a file changed since has a ctime after it
        (``_is_current``)."""
        self.meta.truncate()
        self.meta.insert({"schema": SCHEMA, "synced_ns": started_ns})

    # ------------------------------------------------------------------ one file

    def _catch_up(self) -> None:
        """Under the lock: if another process rewrote the index since we read it,
        take its records (and its document ids) before changing anything."""
        if self.storage.changed_on_disk():
            if self._pending:
                self._flush_pending()  # merges our pending changes into theirs
            else:
                self.storage.discard()
                reason = self._load()
                if reason:  # deleted, damaged or from another version: start afresh
                    with self._batch():
                        self._rebuild(reason)
        self.files._next_id = None  # TinyDB caches the next id; another process may have used it

    def refresh(self, rel: str, entry: LoadedEntry | None = None) -> dict[str, Any] | None:
        """Re-read one file after the app wrote (or removed) it."""
        with self.lock:
            self._catch_up()
            if entry is None and (self.root / rel).exists():
                from netjournal.store.entries import load

                entry = load(self.root, rel)
            record = None if entry is None else plain_json(entry.record())
            self.storage.deferred = self.write_behind
            try:
                self._apply(rel, record)
            finally:
                self.storage.deferred = False
            if self.write_behind:
                self._pending.add(rel)
            return record

    def _apply(self, rel: str, record: dict[str, Any] | None) -> None:
        """Put one record (None: its removal) into the table."""
        if self.storage.deferred and self.write_behind:
            self._apply_in_memory(rel, record)
            return
        old_id = self._ids.get(rel)
        if record is None:
            if old_id is not None:
                self.files.remove(doc_ids=[old_id])
                del self._ids[rel]
                self._records.pop(rel, None)
            return
        if old_id is not None:
            self.files.update(record, doc_ids=[old_id])
        else:
            self._ids[rel] = self.files.insert(record)
            self._top_id = None
        self._records[rel] = record

    def _apply_in_memory(self, rel: str, record: dict[str, Any] | None) -> None:
        """The write-behind path: change TinyDB's document map in place.

        TinyDB's ``Table.update`` rebuilds the whole table dict twice per call (it
        cost 140 ms a save at 100,000 entries); here one save is O(1), and the
        table's layout on disk is exactly TinyDB's."""
        data = self.storage.read() or {}
        table = data.setdefault("files", {})
        old_id = self._ids.get(rel)
        if record is None:
            if old_id is not None:
                table.pop(str(old_id), None)
                del self._ids[rel]
                self._records.pop(rel, None)
        else:
            if old_id is None:
                # as TinyDB numbers them; the highest id is kept, not looked for on
                # every insert (an import adds thousands)
                if self._top_id is None:
                    self._top_id = max(self._ids.values(), default=0)
                self._top_id += 1
                old_id = self._top_id
                self._ids[rel] = old_id
            table[str(old_id)] = record
            self._records[rel] = record
        self.files._next_id = None  # TinyDB's own counter must look again
        self.storage.write(data)  # deferred: marks the index dirty

    # ------------------------------------------------------------------ write-behind

    @property
    def pending(self) -> bool:
        """True while changes are in memory only (write-behind)."""
        return bool(self._pending) or self.storage.dirty

    def flush(self) -> None:
        """Write pending index changes to disk (merging with another process's)."""
        if not self.pending:
            return
        with self.lock:
            self._flush_pending()

    def _flush_pending(self) -> None:
        if not self.storage.dirty and not self._pending:
            return
        if self.storage.changed_on_disk():
            # another process wrote the index meanwhile: take theirs, then ours on top --
            # each as its file is now (under the lock), since the other process may have
            # saved one of our files again after we did
            mine = {path: self._current_record(path) for path in self._pending}
            self.storage.discard()
            reason = self._load()
            with self._batch():
                if reason:
                    self._rebuild(reason)
                else:
                    self.files._next_id = None
                    for path, record in mine.items():
                        self._apply(path, record)
        else:
            self.storage.flush()
        self._pending.clear()

    def _current_record(self, rel: str) -> dict[str, Any] | None:
        """Our record for ``rel`` if its file is still the one it describes, else the
        file read afresh (None if it is gone)."""
        record = self._records.get(rel)
        try:
            st = (self.root / rel).stat()
        except FileNotFoundError:
            return None
        except OSError:
            return record
        if (record is not None and record["mtime_ns"] == st.st_mtime_ns and record["size"] == st.st_size
                and record["ctime_ns"] == st.st_ctime_ns and record["ino"] == st.st_ino):
            return record
        from netjournal.store.entries import load

        return plain_json(load(self.root, rel).record())

    def close(self) -> None:
        self.flush()
        self.storage.close()  # what TinyDB's close does (the storage is all it holds open)


PARALLEL_MIN = 1500  # below this, starting worker processes costs more than it saves


def _read_one(root: Path, rel: str) -> tuple[dict[str, Any], str, str | None]:
    from netjournal.store.entries import load

    entry = load(root, rel, trusted=True)
    sha = entry.stamp.sha256 if entry.stamp else ""
    return plain_json(entry.record()), sha, (entry.search_text if entry.ok else None)


def _read_chunk(job: tuple[str, list[str]]) -> list[tuple[dict[str, Any], str, str | None]]:
    root = Path(job[0])
    return [_read_one(root, rel) for rel in job[1]]


def read_entries(root: Path, rels: list[str]) -> list[tuple[dict[str, Any], str, str | None]]:
    """(record, sha256, search text) for each file, in order.

    Parsing YAML is the cost of a full build, and it is CPU-bound: with many files,
    forked worker processes share it.  Only from a single-threaded process (the
    command line): forking a process with other threads running is not safe, so
    the app, which rebuilds in a worker thread anyway, reads them one by one.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(rels) < PARALLEL_MIN or workers < 2 or threading.active_count() > 1:
        return [_read_one(root, rel) for rel in rels]
    import multiprocessing  # only here: it costs 15 ms to import

    if "fork" not in multiprocessing.get_all_start_methods():
        return [_read_one(root, rel) for rel in rels]
    size = max(len(rels) // (workers * 4), 64)
    jobs = [(str(root), rels[i:i + size]) for i in range(0, len(rels), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.map(_read_chunk, jobs)
    except OSError:  # no processes to be had: do it here
        return [_read_one(root, rel) for rel in rels]
    return [item for chunk in chunks for item in chunk]


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built: the
    records hold no cycles, and its passes would cost a third of a warm open.
    What was built stays for the life of the journal, so it is then frozen out of
    later collections (which would otherwise walk all of it again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
