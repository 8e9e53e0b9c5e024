"""Safe file operations: atomic writes, change stamps, the trash, slugs, paths.

Nothing here knows about contacts or reflections; it only keeps files whole.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import re
import shutil
import stat
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netjournal.store.scan import RACY_NS, TEMP_MARK, file_type, is_own_temp  # noqa: F401  (re-exported; tests read them here)

FILE_MODE = 0o600
DIR_MODE = 0o700


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex: a file's content hash, as the index keeps it.
    (hashlib is imported at the first use: ~2 ms, and the app's first screen hashes
    nothing.)"""
    import hashlib

    return hashlib.sha256(data).hexdigest()


class ConflictError(RuntimeError):
    """The file on disk is no longer what was loaded; nothing was written."""

    def __init__(self, path: Path, reason: str = "the file changed on disk since it was opened") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsafePathError(ValueError):
    """A path that would resolve outside the journal."""


@dataclass(frozen=True)
class Stamp:
    """What a file looked like when it was read: enough to notice a later change.

    Besides the mtime and size (which ``cp -p``, ``rsync -t``, ``touch -r`` and sync
    tools put back), the ctime, inode and device: no tool can set a ctime, and a
    file saved by write-temp-then-rename is a new inode.
    """

    mtime_ns: int
    size: int
    sha256: str
    taken_ns: int
    ctime_ns: int = 0
    ino: int = 0
    dev: int = 0

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> "Stamp":
        return cls(st.st_mtime_ns, st.st_size, sha256_hex(data), _now_ns(),
                   st.st_ctime_ns, st.st_ino, st.st_dev)

    @classmethod
    def missing(cls) -> "Stamp":
        """The stamp of a file that does not exist yet."""
        return cls(-1, -1, "", _now_ns())

    def matches(self, path: Path) -> bool:
        """True when ``path`` still holds what this stamp saw."""
        if self.size == -1:
            return not os.path.lexists(path)
        return self.verify(path) is not None

    def verify(self, path: Path) -> os.stat_result | None:
        """The file's stat when ``path`` still holds what this stamp saw, else None.

        The content decides: an unchanged mtime proves nothing (editors, ``cp -p``,
        ``touch -r`` and sync tools set it back), and this runs once per save, so
        reading the file is cheap enough."""
        if self.size == -1:
            return None
        try:
            fd = open_regular(path)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size != self.size:
                return None
            try:
                data = handle.read()
            except OSError:
                return None
        return st if sha256_hex(data) == self.sha256 else None


def identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells two versions of a file apart without reading them."""
    return st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class NotARegularFile(OSError):
    """A path that names a FIFO, a socket, a device or a folder: never opened for reading."""


def open_regular(path: Path | str) -> int:
    """A read-only descriptor of ``path``, which must be a regular file (after links).

    Opened with O_NONBLOCK, so that a FIFO put where a file was expected cannot make
    the open wait for a writer forever; anything but a regular file is refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotARegularFile(errno.EINVAL, f"{file_type(mode)}, not a regular file", str(path))
    return fd


def _now_ns() -> int:
    return time.time_ns()


def read_with_stamp(path: Path) -> tuple[bytes, Stamp]:
    """Read a file and the stamp that identifies this version of it."""
    with os.fdopen(open_regular(path), "rb") as handle:
        st = os.fstat(handle.fileno())
        data = handle.read()
    return data, Stamp.of(data, st)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_copy(path: Path, data: bytes, mode: int) -> str:
    """``data`` in a new temp file beside ``path`` (flushed, fsynced, ``mode``);
    its name. Removed again if anything fails."""
    # ``.<name>.nj-<random>.tmp``: a name no other program gives its temp files, so
    # that sweeping leftovers (index.py) never touches another program's
    import tempfile  # here: what only writes need (~1 ms to import) waits for the first write

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        raise
    return tmp_name


def atomic_write(path: Path, data: bytes, *, mode: int | None = None,
                 expect: Stamp | None = None) -> os.stat_result:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file.

    Temp file in the same folder, flush, fsync, the old file's mode (or ``mode``,
    or 0600 for a new file), ``os.replace``, fsync the folder.

    ``expect``: the version of the file the caller read.  It is checked again after
    the temp file is written and fsynced, at the instant of the rename
    (``_replace_if_still``), and if the file is no longer that version, ConflictError
    is raised with nothing written and the temp file removed.  ``path`` is replaced as
    a name: a symlink there is replaced by the file, so a caller that means to write
    through a link passes the link's target.
    """
    folder = path.parent
    try:
        keep_mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        keep_mode = FILE_MODE if mode is None else mode
    tmp_name = _temp_copy(path, data, keep_mode)
    ours = os.lstat(tmp_name).st_ino if expect is not None else 0
    try:
        if expect is not None:
            _replace_if_still(tmp_name, path, expect, ours)
        else:
            os.replace(tmp_name, path)
    except BaseException:
        try:
            # after an exchange of names the temp name may hold the other program's
            # file: only ever remove our own (theirs, left under a temp name of ours,
            # goes to the trash with the next sweep)
            if expect is None or os.lstat(tmp_name).st_ino == ours:
                os.unlink(tmp_name)
        except OSError:
            pass
        raise
    fsync_dir(folder)
    return path.stat()


def write_cache_file(path: Path, data: bytes) -> os.stat_result:
    """``atomic_write`` for a file of the cache (``.netjournal/``), which the user may
    delete at any moment: if its folder vanishes, it is made again and the write
    tried again."""
    for attempt in range(20):
        try:
            ensure_dir(path.parent)
            return atomic_write(path, data)
        except FileNotFoundError:
            if attempt == 19:
                raise
    raise AssertionError("unreachable")


def _replace_if_still(tmp_name: str, path: Path, expect: Stamp, ours: int) -> None:
    """Rename ``tmp_name`` over ``path`` only if ``path`` is still the version
    ``expect`` saw; else ConflictError, with ``path`` left as the other program made it.

    The content is checked first (read and hashed).  Then, where the system can
    exchange two names atomically (Linux's renameat2 with RENAME_EXCHANGE), the two
    files swap names and the one that comes out -- what ``path`` held at that very
    instant -- is checked again, so no moment is left in which another program's
    save could be replaced unseen.  If it is not the expected version (a save landed
    in the microseconds between the check and the swap), it is swapped back at once;
    should yet another save have landed on ``path`` in that instant, the newest keeps
    the name and the one before it is kept beside it as ``<stem>.conflict-<time>.md``:
    nothing of theirs is deleted.  Without the exchange, the file's identity is
    compared once more right before ``os.replace`` (a window of one system call)."""
    if expect.size == -1:  # there was no file: create it, never replacing one that appeared
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            raise ConflictError(path, "a file appeared there since it was opened") from None
        os.unlink(tmp_name)
        return
    checked = expect.verify(path)
    if checked is None:
        raise ConflictError(path)
    # one more stat, so that little more than a system call separates the check
    # from the swap (the read and hash above take much longer)
    if identity(os.stat(path)) != identity(checked):
        raise ConflictError(path)
    if not _exchange(tmp_name, path):
        os.replace(tmp_name, path)
        return
    # tmp_name now names the file that was at ``path`` when the names swapped: the
    # one checked (same inode, and the same content: not written in place since)?
    out = os.lstat(tmp_name)
    if (out.st_ino, out.st_dev) == (checked.st_ino, checked.st_dev) and expect.verify(Path(tmp_name)) is not None:
        os.unlink(tmp_name)
        return
    _exchange(tmp_name, path)  # theirs back
    if os.lstat(tmp_name).st_ino != ours:
        # another save replaced ours in that instant: it is the newest, so it gets
        # the name, and the one it superseded is kept beside it
        _exchange(tmp_name, path)
        keep_beside(path, Path(tmp_name))
    raise ConflictError(path)


_RENAME_EXCHANGE = 2
_renameat2: Any = None  # libc's renameat2, looked up on first use; False: there is none


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False when this system or file
    system cannot (then nothing was done)."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            import ctypes  # only here: a save needs it, reading does not

            try:
                function = ctypes.CDLL(None, use_errno=True).renameat2
            except (AttributeError, OSError):
                pass
            else:
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                function.restype = ctypes.c_int
                _renameat2 = function
    if not _renameat2:
        return False
    at_cwd = -100
    if _renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False  # e.g. a file system without it: the plain rename, then
    raise OSError(code, os.strerror(code), str(b))


def keep_beside(path: Path, other: Path) -> Path:
    """Give ``other`` the name ``<stem>.conflict-<time>.md`` beside ``path`` (never
    replacing a file); its new path."""
    when = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    number = 1
    while True:
        candidate = path.with_name(f"{path.stem}.conflict-{when}{'' if number == 1 else f'-{number}'}{path.suffix}")
        try:
            os.link(other, candidate)
        except FileExistsError:
            number += 1
            continue
        os.unlink(other)
        return candidate


def atomic_create(path: Path, data: bytes, *, mode: int = FILE_MODE) -> os.stat_result:
    """Create ``path`` holding ``data``: a crash leaves no file or the whole file.

    Like ``atomic_write``, the data goes to a temp file in the same folder first
    (flush, fsync); it then gets its name with a hard link, which -- unlike a
    rename -- fails with FileExistsError instead of replacing a file that appeared
    meanwhile.  (Writing the final name directly with O_EXCL would leave an empty
    or half file there if the process died mid-write.)
    """
    folder = path.parent
    tmp_name = _temp_copy(path, data, mode)
    try:
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS):
                raise
            # no hard links on this file system: claim the name, then rename over it
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            os.replace(tmp_name, path)
    finally:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
    fsync_dir(folder)
    return path.stat()


def sync_filesystem(path: Path) -> None:
    """Make everything written on ``path``'s file system durable: ``syncfs`` where
    Linux has it (that file system only), else ``sync``.  One call instead of one
    fsync per file is what makes creating thousands of files at once affordable."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError, ImportError):
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def create_many(items: list[tuple[Path, str, bytes]], scratch: Path, *, mode: int = FILE_MODE) -> list[Path | OSError]:
    """Create a new file for each (folder, stem, data): ``folder/stem.md``, or
    ``stem-2.md``… when the name is taken.  Each file is whole or absent, and none
    replaces a file, as with ``atomic_create``; but the data of them all reaches the
    disk with one sync of the file system instead of two fsyncs per file.

    The data goes to temp files in ``scratch`` (a folder on the same file system; a
    crash leaves them there, never in the folders); one sync makes them durable; each
    then gets its name with a hard link; each folder is fsynced once.  Where hard
    links cannot be made, the remaining files are created one by one.  Returns, for
    each item, its path or the error that kept it from being created."""
    import tempfile

    ensure_dir(scratch)
    temps: list[str | OSError] = []
    for folder, stem, data in items:
        try:
            # our temp files' mark: a crash leaves these in .netjournal/, and only such
            # names are swept
            fd, name = tempfile.mkstemp(prefix=f".create{TEMP_MARK}", suffix=".tmp", dir=scratch)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(name, mode)
            temps.append(name)
        except OSError as exc:
            temps.append(exc)
    sync_filesystem(scratch)
    results: list[Path | OSError] = []
    folders: set[Path] = set()
    linking = True
    for (folder, stem, data), temp in zip(items, temps):
        if isinstance(temp, OSError):
            results.append(temp)
            continue
        try:
            while True:
                path = unique_path(folder, stem)
                if linking:
                    try:
                        os.link(temp, path)
                    except FileExistsError:
                        continue  # taken meanwhile: the next name
                    except OSError as exc:
                        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP,
                                             errno.EMLINK, errno.ENOSYS):
                            raise
                        linking = False
                if not linking:
                    try:
                        atomic_create(path, data, mode=mode)
                    except FileExistsError:
                        continue
                break
            results.append(path)
            folders.add(folder)
        except OSError as exc:
            results.append(exc)
        finally:
            try:
                os.unlink(temp)
            except OSError:
                pass
    for folder in folders:
        fsync_dir(folder)
    return results


def ensure_dir(path: Path) -> None:
    """Create a folder (and parents) readable by its owner only."""
    # ``mkdir(parents=True, mode=...)`` gives ``mode`` to the last folder only; the
    # parents it makes get the umask's default (0755, or 0777 under umask 000).
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True, mode=DIR_MODE)


def move_to_trash(root: Path, path: Path, trash: Path) -> Path:
    """Move ``path`` into ``trash/<UTC stamp>/<path relative to root>``; never unlink.

    A symlink is moved as itself (its folder is resolved, not the link)."""
    relative = path.parent.resolve().relative_to(root.resolve()) / path.name
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = trash / when / relative
    ensure_dir(target.parent)
    os.replace(path, target)
    fsync_dir(path.parent)
    fsync_dir(target.parent)
    return target


def restore_from_trash(root: Path, trashed: Path, trash: Path) -> Path:
    """Put a trashed file back where it came from; refuses to overwrite, and refuses
    a way back that leads outside the journal (a symlinked year or entry folder).

    Every folder on the way is checked with ``inside`` before anything is created;
    the file gets its name with a hard link (which, unlike a rename, refuses to
    replace a file that appeared meanwhile), then leaves the trash."""
    relative = trashed.resolve().relative_to(trash.resolve())
    wanted = Path(*relative.parts[1:])
    folder = inside(root, wanted.parent)  # raises UnsafePathError for a way out
    original = folder / wanted.name
    if os.path.lexists(original):
        raise FileExistsError(f"{root / wanted} exists; move it away first")
    ensure_dir(folder)
    inside(root, folder.relative_to(root.resolve()))  # a folder swapped for a link meanwhile
    try:
        os.link(trashed, original, follow_symlinks=False)
    except FileExistsError:
        raise FileExistsError(f"{root / wanted} exists; move it away first") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS, errno.EXDEV):
            raise
        shutil.move(str(trashed), str(original))  # no hard links here: checked just above
    else:
        os.unlink(trashed)
    fsync_dir(folder)
    return root / wanted


_SLUG_STRIP = re.compile(r"[^a-z0-9]+")

# Latin letters that NFKD does not split into an ASCII letter and a mark (it turns
# "Tomás" into "tomas", but would drop the "Ł" of "Łukasz" and the "ß" of "Straße").
_LATIN_EXTRA = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG", "ĸ": "k",
})


def slugify(text: str, fallback: str = "entry", max_length: int = 60, *, alternative: str = "") -> str:
    """Lower-case ASCII words joined by hyphens, at most ``max_length`` long.

    Accented Latin letters lose their accents ("Tomás" -> "tomas").  When nothing
    ASCII is left (a name in Chinese, Cyrillic, emoji or punctuation only), the slug
    of ``alternative`` is used if it has one (e.g. an email's local part), else
    ``<fallback>-<8 hex digits>``: a hash of the text, so the same text always gives
    the same slug and different texts do not collide.  Blank text gives ``fallback``.
    """
    slug = _ascii_slug(text, max_length) or _ascii_slug(alternative, max_length)
    if slug:
        return _not_reserved(slug, fallback, max_length)
    # case, width and composed/decomposed forms do not matter, as for ASCII names
    key = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    if not key:
        return fallback
    digest = sha256_hex(key.encode("utf-8", "surrogatepass"))[:8]
    stem = _SLUG_STRIP.sub("-", fallback.lower()).strip("-")[: max(0, max_length - 9)].rstrip("-")
    return f"{stem}-{digest}" if stem else digest


# Names Windows cannot give a file, whatever its extension (``con.md`` included); the
# journal is meant to be synced and opened there too.
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in "123456789"])


def windows_reserved(name: str) -> bool:
    """True for a file name Windows refuses: ``con``, ``NUL.md``, ``com1.tar.gz``…
    (the part before the first dot, any case, trailing spaces ignored)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def _not_reserved(slug: str, fallback: str, max_length: int) -> str:
    if not windows_reserved(slug):
        return slug
    tail = _SLUG_STRIP.sub("-", fallback.lower()).strip("-") or "entry"
    return f"{slug}-{tail}"[: max(max_length, len(slug) + 2)].rstrip("-")


def _ascii_slug(text: str, max_length: int) -> str:
    normal = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    slug = _SLUG_STRIP.sub("-", normal.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    return slug[:max_length].rstrip("-") if len(slug) > max_length else slug


def unique_path(folder: Path, stem: str, suffix: str = ".md") -> Path:
    """``folder/stem.md``, or ``stem-2.md``, ``stem-3.md``… if taken."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def inside(root: Path, path: Path) -> Path:
    """Resolve ``path`` and refuse it unless it stays inside ``root``."""
    resolved_root = root.resolve()
    resolved = (root / path).resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise UnsafePathError(f"{path} is outside the journal")
    return resolved
