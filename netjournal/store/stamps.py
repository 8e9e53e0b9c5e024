"""The listing's check of the files, in pieces that two processes can share.

``listing.is_current`` is the check's definition: scan the journal (``scan.scan``) and
compare what it finds with the listing.  This module gives the same answer for a
journal whose entry folders hold only what a journal usually holds -- folders of
``*.md`` files, year folders in ``reflections/``, dotfiles, other programs' files that
are not entries -- and gives up (``Unknown``) on anything else, for the full scan to
decide: a symlink, a FIFO, a name that is not UTF-8, a listing in another order.

It is cut in two so that the work can be shared:

- ``tree()``: every entry folder listed (one ``listdir`` each, no ``stat`` of a file)
  and its names compared with the listing's paths, in order;
- ``chunk(k)``: the files ``k * CHUNK`` to ``(k + 1) * CHUNK - 1`` of the listing, each
  stat'ed (``lstat`` in its folder's descriptor, as the scan does) and its stamp
  compared with the listed one.

Together they are the scan: the tree says the folders hold the listed names and no
other entry, the chunks that each listed name is a regular file with the listed
stamp.  A forked process does the tree and takes chunks from the front; the command,
once its own work is done, takes chunks from the back (``listing.Check``).  The
per-file work is done by C-level maps over each folder's or chunk's names (the Python
loop per file and its attribute look-ups were a third of the scan's time).

Standard library only, and little of it: imported before the command line is read.
"""

from __future__ import annotations

import os
import stat
from bisect import bisect_right
from itertools import groupby, repeat
from operator import attrgetter, itemgetter

from netjournal.store.scan import CONTACTS, REFLECTIONS, is_own_temp, near_miss, racy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from netjournal.store.listing import Listing

CHUNK = 384  # files a process stats at a time: ~1 ms here; 29 chunks for 11,000 files

_MODE, _MTIME, _SIZE, _CTIME, _INO = map(attrgetter, ("st_mode", "st_mtime_ns", "st_size", "st_ctime_ns", "st_ino"))
_FOLDER, _NAME = itemgetter(0), itemgetter(2)
_OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class Unknown(Exception):
    """Something this check does not decide: the full scan (``listing.is_current``) does."""


def chunks(count: int) -> int:
    """How many chunks ``count`` files make."""
    return -(-count // CHUNK)


class StampCheck:
    """The check of one listing's paths and stamps against the journal's files.
    ``tree()`` and ``chunk(k)`` each say whether their part is as listed (False: it
    certainly is not, the full scan would say the same), or raise ``Unknown``;
    ``racy`` collects the files whose stamps prove nothing (changed within a
    timestamp tick of the listing's sync: ``scan.racy``; ``window``: the caller's
    ``RACY_NS``), for the caller to compare by content.

    The tree compares the folders' names with the listing's paths as they are written
    (decoded whole, one ``startswith`` a folder: no path made), and the chunks after it
    stat the names it listed, so that a process that does both never splits the
    listing's paths; a process that only takes chunks splits them (``listing.paths``)."""

    def __init__(self, root: str | os.PathLike[str], listing: Listing, window: int) -> None:
        self.root = os.fspath(root)
        self.listing = listing
        self.window = window
        self.racy: list[int] = []  # indexes in the listing
        self._folders: dict[str, int] = {}  # a chunk's folders, opened once per process
        self._listed: list[tuple[str, list[str]]] = []  # the tree's (folder, names), in the listing's order
        self._starts: list[int] = []  # the index in the listing of each one's first name
        self._begins: dict[int, int] = {}  # where listed paths begin in the listing's text (``_paths_between``)

    def close(self) -> None:
        while self._folders:
            os.close(self._folders.popitem()[1])

    # ------------------------------------------------------------------ the tree

    def tree(self) -> bool:
        """Whether the entry folders hold the listed paths and no other entry, in the
        scan's order (``scan.scan``: each folder's names sorted, a folder's files at
        its name); the files' own kind and stamp are the chunks' part."""
        self._text = str(self.listing.path_bytes, "utf-8", "surrogatepass")  # one decode, no path made
        self._at = self._pos = 0  # the next listed path: its index, where it begins in the text
        self._listed.clear()
        self._starts.clear()
        for top, recursive in ((CONTACTS, False), (REFLECTIONS, True)):
            folder = os.path.join(self.root, top)
            if os.path.islink(folder):
                raise Unknown(f"{top} is a symlink")  # followed or refused by the scan's own rules
            if not self._walk(folder, top, recursive):
                return False
        return self._at == self.listing.count and self._pos == len(self._text) + (self._at > 0)

    def _walk(self, folder: str, rel: str, recursive: bool) -> bool:
        try:
            fd = os.open(folder, _OPEN_FOLDER)
        except (FileNotFoundError, NotADirectoryError):
            return True  # none: the scan lists nothing for it either
        except OSError as exc:
            raise Unknown(f"{rel}: {exc}") from None  # the scan makes it a problem
        try:
            return self._visit(fd, folder, rel, recursive)
        finally:
            os.close(fd)

    def _visit(self, fd: int, folder: str, rel: str, recursive: bool) -> bool:
        names = os.listdir(fd)
        names.sort()
        joined = "\0".join(names)
        if not joined.isascii():
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                raise Unknown(f"a name in {rel} is not UTF-8") from None
        if joined[:1] == "." or "\0." in joined:  # dotfiles: skipped, as the scan skips them...
            if any(is_own_temp(name) and self._regular(fd, name) for name in names if name[0] == "."):
                return False  # ...but a killed save's temp file is the journal's to sweep
            names = [name for name in names if name[0] != "."]
            joined = "\0".join(names)
        prefix = rel + "/"
        if joined.count(".md\0") + joined.endswith(".md") == len(names):  # only entries' names: the usual folder
            return not names or self._listed_here(prefix, names) or self._out_of_order(prefix, names)
        for name in names:  # year folders, or another program's files among the entries
            if name.endswith(".md"):
                if not self._listed_here(prefix, [name]):
                    return self._out_of_order(prefix, [name for name in names if name.endswith(".md")])
                continue
            try:
                mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
            except OSError:
                continue  # vanished between listing and stat, as the scan skips it
            if stat.S_ISDIR(mode) and recursive:
                if not self._walk(f"{folder}/{name}", f"{rel}/{name}", recursive):
                    return False
            elif not (stat.S_ISREG(mode) and not near_miss(name)):
                raise Unknown(f"{rel}/{name} is a problem for the scan")  # a folder in contacts/, x.MD, a link...
        return True

    def _listed_here(self, prefix: str, names: list[str]) -> bool:
        """Whether the next listed paths are ``prefix`` + each of ``names``, in order
        (noted for the chunks when they are)."""
        block = ("\0" + prefix).join(names)
        listed, start = self._text, self._pos + len(prefix)
        end = start + len(block)
        if (not listed.startswith(prefix, self._pos) or not listed.startswith(block, start)
                or (end < len(listed) and listed[end] != "\0")):
            return False
        self._starts.append(self._at)
        self._listed.append((prefix[:-1], names))
        self._at += len(names)
        self._pos = end + 1
        return True

    @staticmethod
    def _regular(fd: int, name: str) -> bool:
        try:
            return stat.S_ISREG(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)
        except OSError:
            return False  # gone already

    def _out_of_order(self, prefix: str, names: list[str]) -> bool:
        """The folder's ``*.md`` names are not the listed paths at this place: False when
        they differ from the paths listed in this folder anywhere in the listing (an entry
        added, removed or renamed: the scan would list other paths), else Unknown (only
        the order differs)."""
        listed = {path for path in self.listing.paths if path.startswith(prefix) and "/" not in path[len(prefix):]}
        if listed != set(map(prefix.__add__, names)):
            return False
        raise Unknown(f"{prefix} listed in another order")

    # ------------------------------------------------------------------ the files

    def chunk(self, number: int) -> bool:
        """Whether the listed files of chunk ``number`` are regular ``*.md`` files with
        their listed stamps (the racy ones noted in ``racy``)."""
        start = number * CHUNK
        stop = min(start + CHUNK, self.listing.count)
        groups = self._groups(start, stop)
        names = [name for _, group in groups for name in group] if len(groups) > 1 else groups[0][1]
        found = []
        try:
            for folder, group in groups:
                found += self._stat(folder, group)
        except (FileNotFoundError, NotADirectoryError):
            return False  # a listed file is gone: the scan would not list it
        except OSError as exc:
            raise Unknown(str(exc)) from None
        joined = "\0".join(names)
        if (list(map(stat.S_IFMT, map(_MODE, found))).count(stat.S_IFREG) != len(found)
                or joined.count(".md\0") + joined.endswith(".md") != len(names)):
            raise Unknown("a listed path is not a regular *.md file")  # an odd entry: the scan's rules
        mtimes, sizes, ctimes, inos = (listed[start:stop].tolist() for listed in self.listing.stamps)
        found_mtimes, found_ctimes = list(map(_MTIME, found)), list(map(_CTIME, found))
        if (found_mtimes != mtimes or list(map(_SIZE, found)) != sizes
                or found_ctimes != ctimes or list(map(_INO, found)) != inos):
            return False
        synced, window = self.listing.synced_ns, self.window
        if max(found_ctimes) > synced - window or max(found_mtimes) > synced - window:
            self.racy += [start + i for i, (m, c) in enumerate(zip(found_mtimes, found_ctimes))
                          if racy(m, c, synced, window)]
        return True

    def _groups(self, start: int, stop: int) -> list[tuple[str, list[str]]]:
        """The listed files ``start`` to ``stop - 1``: (folder, names) in the listing's
        order -- the tree's, when this process listed the folders; else from the
        listing's paths."""
        if not self._listed:
            parts = list(map(str.rpartition, self._paths_between(start, stop), repeat("/")))
            return [(folder, list(map(_NAME, group))) for folder, group in groupby(parts, _FOLDER)]
        at = bisect_right(self._starts, start) - 1
        groups = []
        while start < stop:
            first, (folder, names) = self._starts[at], self._listed[at]
            taken = names[start - first:stop - first]
            groups.append((folder, taken))
            start += len(taken)
            at += 1
        return groups

    def _paths_between(self, start: int, stop: int) -> list[str]:
        """The listed paths ``start`` to ``stop - 1``, cut from the listing's text: the
        command takes chunks from the back, so it finds where each begins by walking back
        from the last one it cut (``rfind``), rather than splitting all 11,000."""
        if not self._begins:
            self._text = str(self.listing.path_bytes, "utf-8", "surrogatepass")
            self._begins[self.listing.count] = len(self._text) + 1  # where a path after the last would begin
        text = self._text
        for end in (stop, start):
            known = min(at for at in self._begins if at >= end)  # one per chunk cut: a few dozen
            begin = self._begins[known]
            for _ in range(known - end):
                begin = text.rfind("\0", 0, begin - 1) + 1
            self._begins[end] = begin
        paths = text[self._begins[start]:self._begins[stop] - 1].split("\0") if stop > start else []
        if len(paths) != stop - start:
            raise ValueError("the listing's paths are not one per file")
        return paths

    def _stat(self, folder: str, names: list[str]) -> list[os.stat_result]:
        fd = self._folders.get(folder)
        if fd is None:
            fd = self._folders[folder] = os.open(os.path.join(self.root, folder), _OPEN_FOLDER)
        lstat = os.stat
        return [lstat(name, dir_fd=fd, follow_symlinks=False) for name in names]
