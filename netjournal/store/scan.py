"""Where entries live in a journal, and the stat-only scan of its files.

Kept apart from ``entries`` (which parses files) so that the command line's quick
path can check a journal's files without importing YAML or the model -- nor even
``typing``, ``re`` or ``pathlib`` (~10 ms together): the program begins that check
before anything else is imported (``netjournal.program``).
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from pathlib import Path
    from typing import Any


# A file whose mtime is this close to the moment we stamped it may still change
# within the same timestamp tick on coarse filesystems; for those we compare hashes.
RACY_NS = 2_000_000_000
# Its ctime (which no program sets) that close before the sync began, or any time after;
# or its mtime that close to the sync on either side.  An mtime further ahead (a clock
# ahead on the machine that wrote the file, an archive's dates) is in no tick of ours:
# a later change gives the file a new ctime (and a new mtime, unless the program puts
# it back), so the stamp alone tells.  Without that limit such a file was hashed on
# every open, and more than RACY_FILES of them made every command rewrite the index.
# Up to this many such files are hashed where they are met (an open, a quick command);
# more, and the index writes a new sync time instead, so that they stop being racy.
RACY_FILES = 50


def racy(mtime_ns: int, ctime_ns: int, synced_ns: int, window: int = RACY_NS) -> bool:
    """Whether a file with this stamp, stamped by a sync begun at ``synced_ns``, may
    have changed since within its stamp's tick (``RACY_NS`` says which); ``window``:
    the caller's ``RACY_NS`` (tests shorten it)."""
    return ctime_ns > synced_ns - window or synced_ns - window < mtime_ns < synced_ns + window


def _problem(path: str, reason: str, severity: str = "error") -> dict[str, Any]:
    """A problem record (``model.Problem.to_record``'s shape), made without importing
    the model: the quick commands scan too, and the model costs 10 ms to import."""
    return {"path": path, "line": 1, "reason": reason, "severity": severity}


# The temp files of netjournal's own atomic writes are ``.<name>.nj-<random>.tmp``
# (files.atomic_write): only files named so are ever swept as leftovers of a killed
# save.  ``.ideas.tmp``, a sync tool's ``.syncthing.x.md.tmp`` or a folder
# ``.archive.tmp/`` belong to someone else and are never touched.
TEMP_MARK = ".nj-"
OWN_TEMP = r"\..+\.nj-[a-z0-9_]{6,16}\.tmp"


def is_own_temp(name: str) -> bool:
    """Whether a file name is one netjournal gives its temp files."""
    return TEMP_MARK in name and _compiled(OWN_TEMP).fullmatch(name) is not None


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled when first used (importing ``re`` costs a quick command ~5 ms)."""
    if pattern not in _PATTERNS:
        import re

        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


CONTACTS = "contacts"
REFLECTIONS = "reflections"
STATE = ".netjournal"
CONFIG = "netjournal.yaml"
MAX_FILE = 8 * 1024 * 1024
# Conflict copies beside their original: listed as problems, never indexed as entries.
# netjournal's own ("keep mine" in the app; a sync where both machines changed the same
# thing) are <stem>.conflict-[<host>-]<YYYYmmdd-HHMMSS>[-N].md; Syncthing's
# <stem>.sync-conflict-<YYYYMMDD>-<HHMMSS>-<device>.md; Dropbox's (and Nextcloud's)
# "<stem> (conflicted copy <date>).md" and "<stem> (Someone's conflicted copy <date>).md".
CONFLICT_COPY = (
    r"(?P<netjournal>\.conflict-(?:[a-z0-9][a-z0-9-]*-)?\d{8}-\d{6}(?:-\d+)?)"
    r"|(?P<Syncthing>\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7})"
    r"|(?P<Dropbox> \((?:[^()/]*?['\u2019]s )?conflicted copy\b[^/]*\))"
    r"(?=\.[^./]+$)"
)


def conflict_copy_of(rel: str) -> tuple[str, str] | None:
    """(the original's path, the program that made the copy) when ``rel`` is a
    conflict copy, else None."""
    match = _compiled(CONFLICT_COPY).search(rel)
    if match is None or match.lastgroup is None:
        return None
    return rel[: match.start()] + rel[match.end():], match.lastgroup


def conflict_copy_name(stem: str, when: str, host: str | None = None) -> str:
    """The stem of netjournal's conflict copy of ``stem``: ``<stem>.conflict-<host>-<when>``
    (``when``: YYYYmmdd-HHMMSS; ``host``: the machine whose version the copy holds)."""
    return f"{stem}.conflict-{host}-{when}" if host else f"{stem}.conflict-{when}"


def host_name() -> str:
    """This machine's name as it appears in conflict copies: ``$NETJOURNAL_HOST``, else
    the host name's first label, lower-case letters, digits and hyphens only."""
    import socket

    return host_slug(os.environ.get("NETJOURNAL_HOST") or socket.gethostname().split(".")[0]) or "host"


def host_slug(name: str) -> str:
    """A machine's name as a file name part: lower-case letters, digits, hyphens."""
    return _compiled(r"[^a-z0-9]+").sub("-", name.lower()).strip("-")[:24].strip("-")


def kind_of(rel: str) -> str | None:
    """'contact', 'reflection', or None for a path that is neither."""
    if not rel.endswith(".md"):
        return None
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return None
    if parts[0] == CONTACTS and len(parts) == 2:
        return "contact"
    if parts[0] == REFLECTIONS and len(parts) >= 2:
        return "reflection"
    return None


class ScannedFile(tuple[str, int, int, int, int, "dict[str, Any] | None"]):
    """A file as the scan found it: (path, mtime_ns, size, ctime_ns, ino, problem).

    A named tuple written out, because ``typing.NamedTuple`` imports ``typing`` (with
    ``re``, ``collections``...: ~7 ms) and this module is imported before the rest."""

    __slots__ = ()

    def __new__(cls, path: str, mtime_ns: int, size: int, ctime_ns: int, ino: int,
                problem: dict[str, Any] | None = None) -> ScannedFile:
        return tuple.__new__(cls, (path, mtime_ns, size, ctime_ns, ino, problem))

    def __getnewargs__(self) -> tuple[str, int, int, int, int, dict[str, Any] | None]:
        return tuple(self)  # type: ignore[return-value]  # (pickled to the workers of a full build)

    def __repr__(self) -> str:
        return f"ScannedFile{tuple.__repr__(self)}"

    @property
    def path(self) -> str:
        """Relative to the journal, with forward slashes."""
        return self[0]

    @property
    def mtime_ns(self) -> int:
        return self[1]

    @property
    def size(self) -> int:
        return self[2]

    @property
    def ctime_ns(self) -> int:
        return self[3]

    @property
    def ino(self) -> int:
        return self[4]

    @property
    def problem(self) -> dict[str, Any] | None:
        """A problem record: e.g. a symlink that leads outside the journal."""
        return self[5]


def near_miss(name: str) -> bool:
    """A name that looks meant for an entry but is not read as one: ``x.MD``,
    ``x.markdown``, a name without an extension (the exact ``.md`` is read)."""
    lower = name.lower()
    return lower.endswith((".md", ".markdown")) or "." not in name


def _renamed(name: str) -> str:
    lower = name.lower()
    for ending in (".markdown", ".md"):
        if lower.endswith(ending):
            return name[: -len(ending)] + ".md"
    return name + ".md"


def scan(root: Path, leftovers: list[str] | None = None) -> list[ScannedFile]:
    """Every contact and reflection file with its stat, without reading any of them.

    Anything in the entry folders that looks like an entry but cannot be one is a
    problem record with its reason, and every other file is still listed: a FIFO or
    socket named ``x.md`` (never opened, so nothing can hang), a folder named
    ``x.md``, a symlink loop, a link to nothing, to a folder, outside the journal or
    to another entry's file (one file is one entry), and -- as warnings -- names
    that are not read (``x.MD``, no extension) and folders in ``contacts/``.
    A symlink to a regular file elsewhere in the journal is read (its target's stat).

    ``leftovers`` collects netjournal's own temp files (``is_own_temp``) that a
    killed save left behind in the entry folders."""
    resolved_root = os.path.realpath(root)
    root_prefix = resolved_root.rstrip(os.sep) + os.sep
    entry_folders = tuple(os.path.realpath(os.path.join(root, top)) + os.sep for top in (CONTACTS, REFLECTIONS))

    found: list[ScannedFile] = []
    add = found.append
    new = tuple.__new__  # ScannedFile(...) without the Python-level __new__: 11,000 calls per open
    lstat = os.stat  # with follow_symlinks=False; a name looked up in the folder's descriptor

    def odd(child: str, st: os.stat_result, reason: str, severity: str = "error") -> None:
        add(ScannedFile(child, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino,
                        _problem(child, reason, severity)))

    # Plain loops that fill a list: nested generators cost a frame switch per file,
    # and this runs for every file on every open.  A folder is listed through a
    # descriptor, so that each stat looks up one name in it (fstatat) rather than
    # the whole path again: ~10% of a scan.  The stat is the cost (3 µs a file here,
    # half of it the system call): a name ending in .md is stat'ed once, whatever
    # it turns out to be.
    def walk(folder: str, rel: str, recursive: bool) -> None:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NONBLOCK", 0))
        except (FileNotFoundError, NotADirectoryError):
            return
        except PermissionError:
            add(ScannedFile(rel, 0, 0, 0, 0, _problem(rel, "folder cannot be read (permission denied)")))
            return
        except OSError as exc:  # a loop of linked folders, say
            add(ScannedFile(rel, 0, 0, 0, 0, _problem(rel, f"folder cannot be read ({exc.strerror or exc})")))
            return
        try:
            visit(fd, folder, rel, recursive)
        finally:
            os.close(fd)

    def visit(fd: int, folder: str, rel: str, recursive: bool) -> None:
        # in sorted order: the listing holds the files in this order and compares
        # them in bulk (``store/listing.py``); the folders' own order changes when
        # a file is added
        names = os.listdir(fd)
        names.sort()
        prefix = rel + "/"
        try:  # one check of the whole folder's names, in C
            "".join(names).encode("utf-8")
        except UnicodeEncodeError:
            names = [name for name in names if not not_utf8(fd, name, rel)]
        for name in names:
            if name[0] == ".":
                if leftovers is not None and is_own_temp(name):
                    try:
                        if stat.S_ISREG(lstat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                            leftovers.append(f"{folder}/{name}")
                    except OSError:
                        pass  # gone already
                continue
            try:
                st = lstat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue  # vanished between listing and stat
            if st.st_mode & 0o170000 == stat.S_IFREG and name.endswith(".md"):
                add(new(ScannedFile, (prefix + name, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino, None)))
                continue  # the common case: one stat, one tuple
            other(name, st, folder, rel, recursive)

    def not_utf8(fd: int, name: str, rel: str) -> bool:
        """A name that is not UTF-8 (a Latin-1 name copied from an old disk, say: it
        holds surrogates once decoded) is a problem, shown with its bytes escaped; the
        file is not read (the index, the cache and the output are all UTF-8)."""
        try:
            name.encode("utf-8")
            return False
        except UnicodeEncodeError:
            pass
        if name[0] == ".":
            return True  # a dotfile: left alone, as any other
        try:
            st = lstat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            return True  # vanished between listing and stat
        if not stat.S_ISDIR(st.st_mode) and not (name.endswith(".md") or near_miss(name)):
            return True  # not meant as an entry: left alone, as any other file
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        odd(f"{rel}/{shown}", st, "the name is not UTF-8; not read (rename it: "
                                  "the bytes that are not are shown as \\x..)")
        return True

    def other(name: str, lst: os.stat_result, folder: str, rel: str, recursive: bool) -> None:
        """Anything but a regular ``*.md`` file (``lst``: its own stat): the rare path."""
        child = f"{rel}/{name}"
        named = name.endswith(".md")
        meant = named or near_miss(name)
        mode = lst.st_mode
        if stat.S_ISDIR(mode):
            if named:
                odd(child, lst, "is a folder, not a file; not read")
            elif recursive:
                walk(f"{folder}/{name}", child, recursive)
            else:
                odd(child, lst, f"a folder in {rel}/: the files in it are not read "
                                f"(entries there are {rel}/<name>.md)", "warning")
            return
        if stat.S_ISREG(mode):
            if meant:
                odd(child, lst, f"not read: only names ending in .md are entries (rename it to {_renamed(name)})",
                    "warning")
            return
        if not stat.S_ISLNK(mode):
            if meant:
                odd(child, lst, f"is {file_type(mode)}, not a file; not read")
            return
        # a symlink: read only when it leads to a regular file inside the journal
        # that is not itself an entry
        path = f"{folder}/{name}"
        target = os.path.realpath(path)
        if target != resolved_root and not target.startswith(root_prefix):
            if meant:
                odd(child, lst, "symlink points outside the journal; not read")
            return
        try:
            st = os.stat(path)
        except OSError as exc:
            if meant:
                odd(child, lst, "symlink loop; not read" if exc.errno == errno.ELOOP
                    else "symlink to nothing (its target does not exist); not read")
            return
        if stat.S_ISDIR(st.st_mode):
            if named:
                odd(child, lst, "symlink to a folder, not a file; not read")
            else:
                odd(child, lst, "symlink to a folder: linked folders are not followed, so the files "
                                "in it are not read", "warning")
            return
        if not stat.S_ISREG(st.st_mode):
            if meant:
                odd(child, lst, f"symlink to {file_type(st.st_mode)}, not a file; not read")
            return
        if not named:
            odd(child, lst, f"not read: only names ending in .md are entries (rename it to {_renamed(name)})",
                "warning")
            return
        if target.startswith(entry_folders):
            to = target[len(root_prefix):].replace(os.sep, "/")
            odd(child, lst, f"symlink to {to}, which is an entry itself (one file is one entry); not read")
            return
        add(ScannedFile(child, st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino))

    for top, recursive in ((CONTACTS, False), (REFLECTIONS, True)):
        folder = os.path.join(root, top)
        if os.path.islink(folder):
            # a linked contacts/ or reflections/ is followed; one that leads outside
            # the journal must not be listed (loads from scan are trusted)
            target = os.path.realpath(folder)
            if target != resolved_root and not target.startswith(root_prefix):
                add(ScannedFile(top, 0, 0, 0, 0,
                                _problem(top, "folder is a symlink that leads outside the journal; not read")))
                continue
        walk(folder, top, recursive)
    return found


def file_type(mode: int) -> str:
    """What kind of thing a stat mode describes, in words."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISLNK, "a symlink"),
                       (stat.S_ISREG, "a regular file")):
        if test(mode):
            return name
    return "not a regular file"
