"""Where entries live in a journal, and the stat-only scan of its files.

Kept apart from ``entries`` (which parses files) so that the command line's quick
path can check a journal's files without importing YAML or the model.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from netjournal.model import Problem


# A file whose mtime is this close to the moment we stamped it may still change
# within the same timestamp tick on coarse filesystems; for those we compare hashes.
RACY_NS = 2_000_000_000
# Up to this many such files are hashed where they are met (an open, a quick command);
# more, and the index writes a new sync time instead, so that they stop being racy.
RACY_FILES = 50


def _problem(path: str, reason: str) -> "Problem":
    from netjournal.model import Problem  # only on this rare path: the model costs 10 ms to import

    return Problem(path, 1, reason)


CONTACTS = "contacts"
REFLECTIONS = "reflections"
STATE = ".netjournal"
CONFIG = "netjournal.yaml"
MAX_FILE = 8 * 1024 * 1024
# "Keep mine" after a conflict writes <stem>.conflict-<YYYYmmdd-HHMMSS>[-N].md beside the file
CONFLICT_COPY = re.compile(r"\.conflict-\d{8}-\d{6}(?:-\d+)?\.md$")


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


class ScannedFile(NamedTuple):
    path: str  # relative, with forward slashes
    mtime_ns: int
    size: int
    problem: Problem | None = None  # e.g. a symlink that leads outside the journal


def scan(root: Path, leftovers: list[str] | None = None) -> list[ScannedFile]:
    """Every contact and reflection file with its stat, without reading any of them.

    ``leftovers`` collects the temp files (``.<name>.<random>.tmp``) a killed save
    left behind in the entry folders."""
    resolved_root = root.resolve()

    found: list[ScannedFile] = []
    add = found.append
    new = tuple.__new__  # ScannedFile(...) without the Python-level __new__: 11,000 calls per open

    # Plain loops that fill a list: nested generators cost a frame switch per file,
    # and this runs for every file on every open.  A folder is listed through a
    # descriptor, so that each stat looks up one name in it (fstatat) rather than
    # the whole path again: ~10% of a scan.
    def walk(folder: str, rel: str, recursive: bool) -> None:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except (FileNotFoundError, NotADirectoryError):
            return
        except PermissionError:
            add(ScannedFile(rel, 0, 0, _problem(rel, "folder cannot be read (permission denied)")))
            return
        try:
            visit(fd, folder, rel, recursive)
        finally:
            os.close(fd)

    def visit(fd: int, folder: str, rel: str, recursive: bool) -> None:
        for entry in list(os.scandir(fd)):
            name = entry.name
            if name[0] == ".":
                if leftovers is not None and name.endswith(".tmp"):
                    leftovers.append(f"{folder}/{name}")
                continue
            if name.endswith(".md") and entry.is_file(follow_symlinks=False):
                # the common case first: one check of the type the folder listing gave
                try:
                    st = entry.stat()
                except OSError:
                    continue  # vanished between listing and stat
                add(new(ScannedFile, (f"{rel}/{name}", st.st_mtime_ns, st.st_size, None)))
                continue
            if entry.is_symlink():
                target = Path(os.path.realpath(f"{folder}/{name}"))
                if target != resolved_root and resolved_root not in target.parents:
                    if name.endswith(".md"):
                        child = f"{rel}/{name}"
                        add(ScannedFile(child, 0, 0, _problem(child, "symlink points outside the journal; not read")))
                    continue
                if entry.is_dir():
                    continue  # never follow linked folders: no loops, no surprises
            elif entry.is_dir(follow_symlinks=False):
                if recursive:
                    walk(f"{folder}/{name}", f"{rel}/{name}", recursive)
                continue
            if not name.endswith(".md"):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            add(ScannedFile(f"{rel}/{name}", st.st_mtime_ns, st.st_size))

    for top, recursive in ((CONTACTS, False), (REFLECTIONS, True)):
        folder = root / top
        if folder.is_symlink():
            # os.scandir follows a linked contacts/ or reflections/; one that leads
            # outside the journal must not be listed (loads from scan are trusted)
            target = Path(os.path.realpath(folder))
            if target != resolved_root and resolved_root not in target.parents:
                add(ScannedFile(top, 0, 0, _problem(top, "folder is a symlink that leads outside the journal; not read")))
                continue
        walk(str(folder), top, recursive)
    return found
