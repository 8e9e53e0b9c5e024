"""A compact copy of the index for the quick read-only commands.

``.netjournal/listing.bin`` is written with ``index.json``, from the same records,
under the same lock.  It holds the stamp (mtime_ns, size, ctime_ns, inode) of every
file and what ``reflections`` and ``search`` show, laid out so that a quick command
reads what it needs without making a Python object per file for the rest:

    netjournal-listing <format> <schema> <synced_ns> <files> <byte length of each part>\n
    paths      the files' paths joined by NUL, in the scan's order (``scan.scan``:
               each folder's names sorted, a folder's files at its name)
    stamps     four arrays of 64-bit little-endian integers, one number per file each:
               mtime_ns, size, ctime_ns, inode
    shas       the files' sha256s joined by newlines ("" for a file with a problem)
    kinds      one byte per file: c a contact, r a reflection, - a file with a problem
    ranks      a 64-bit integer per file: its place in the order a search breaks ties
               in (date, then path; contacts, with no date, first), -1 for a problem
    title_at, titles, date_at, dates
               a contact's name or a reflection's title, and a reflection's date, per
               file: UTF-8 texts one after another, with the 64-bit offset of each
               (files + 1 offsets), so that a search decodes only those it shows
    columns    JSON, what ``reflections`` filters and shows, decoded only by it:
               {"reflections": {"at": [i, ...], "title": [...], "date": [...],
                                "kind": [...], "contacts": [[...], ...], "links": [...],
                                "follow_up": [...], "tags": [...],
                                "follow_up_done": [...]},           # newest first;
                                                                    # at: index in paths
                "contacts": {"at": [...], "slug": [...], "name": [...]}}

It is trusted only when it describes the files exactly as they are now: the same
paths (odd entries the scan reports as problems included), each with the same stamp;
a file changed since the index's last sync began (or in the 2 s before), a save
since included, is read and hashed, as an incremental sync does
(``Index._is_current``); no leftover temp file of netjournal's found by the scan.  In
other words: only when opening the journal would change nothing.  Anything else, and
the command opens the journal as usual (which writes a fresh listing).  So the listing
needs no consistency with ``index.json``: it is checked against the files.

Because the files are listed in the scan's order, the check compares the scan's
paths and stamps with the listing's as whole lists and arrays, in C; a listing in
another order (a file system that sorts names otherwise) is compared path by path.

Standard library only: this is read before anything heavy is imported.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from array import array
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterator

from netjournal.store.scan import CONFIG, RACY_FILES, RACY_NS, STATE, scan
from netjournal.vocab import newest_first

SCHEMA = 5  # the index records' schema (index.py's); a change rebuilds both
# 2: a key written twice in front matter became a problem
# 3: contacts' [[wikilinks]] as ``wikilinks``; ``links`` are profile URLs; phone, birthday,
#    uid, source, connected, emails
# 4: records hold the ctime and inode; odd directory entries are problem records
# 5: reflections have follow_up_done; the kind intro (read as note before)
FORMAT = 5  # 3: ctime and inode; 4: follow_up_done among the reflections' columns; 5: binary
FILE = "listing.bin"
OLD_FILES = ("listing.json",)  # earlier formats' files: removed when a listing is written
MAGIC = b"netjournal-listing"
PARTS = ("paths", "stamps", "shas", "kinds", "ranks", "title_at", "titles", "date_at", "dates", "columns")
STAMPS = "qQqQ"  # the typecodes of mtime_ns, size, ctime_ns and inode
CONTACT, REFLECTION, OTHER = ord("c"), ord("r"), ord("-")
TEXT = ("utf-8", "surrogatepass")  # any str a file name or YAML gives comes back as it was

REFLECTION_COLUMNS = ("title", "date", "kind", "contacts", "links", "follow_up", "tags", "follow_up_done")


def _ints(typecode: str, values: Any) -> bytes:
    numbers = array(typecode, values)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _texts(values: list[str]) -> tuple[bytes, bytes]:
    """(the offsets, the texts): ``values`` one after another, UTF-8."""
    encoded = [value.encode(*TEXT) for value in values]
    return _ints("q", [0, *accumulate(map(len, encoded))]), b"".join(encoded)


def order_key(path: str) -> str:
    """The scan's order as a sort key: path by path, component by component (a NUL
    sorts before any character a name can hold)."""
    return path.replace("/", "\0")


def build(records: dict[str, Any], schema: int, synced_ns: int) -> bytes:
    """The listing's bytes for the index's records (its raw TinyDB ``files`` table).

    Written on every index write, so built with C-level maps where it can be."""
    rows = sorted(records.values(), key=lambda row: order_key(row["path"]))
    paths = [row["path"] for row in rows]
    kinds = bytes(CONTACT if row["ok"] and row["kind"] == "contact"
                  else REFLECTION if row["ok"] and row["kind"] == "reflection" else OTHER for row in rows)
    data_of = [row["data"] if kind != OTHER else None for row, kind in zip(rows, kinds)]
    titles = [data["name"] if kind == CONTACT else data["title"] if kind == REFLECTION else ""
              for data, kind in zip(data_of, kinds)]
    dates = [data["date"] if kind == REFLECTION else "" for data, kind in zip(data_of, kinds)]
    ranks = [-1] * len(rows)
    ranked = sorted(((dates[at], paths[at], at) for at, kind in enumerate(kinds) if kind != OTHER))
    for rank, (_, _, at) in enumerate(ranked):
        ranks[at] = rank
    reflections = sorted(((*newest_first(dates[at], paths[at]), at) for at, kind in enumerate(kinds)
                          if kind == REFLECTION), reverse=True)
    at_reflections = [at for _, _, at in reflections]
    columns: dict[str, list[Any]] = {"at": at_reflections}
    for column in REFLECTION_COLUMNS:
        columns[column] = [data_of[at][column] for at in at_reflections]  # type: ignore[index]
    at_contacts = [at for at, kind in enumerate(kinds) if kind == CONTACT]
    contacts = {"at": at_contacts, "slug": [data_of[at]["slug"] for at in at_contacts],  # type: ignore[index]
                "name": [titles[at] for at in at_contacts]}
    try:
        stamps = b"".join(_ints(typecode, [row[key] for row in rows])
                          for typecode, key in zip(STAMPS, ("mtime_ns", "size", "ctime_ns", "ino")))
    except OverflowError:  # a stamp beyond 64 bits: no listing, every command opens the journal
        return MAGIC + b" unusable\n"
    title_at, title_bytes = _texts(titles)
    date_at, date_bytes = _texts(dates)
    parts = [
        "\0".join(paths).encode(*TEXT), stamps,
        "\n".join(row["sha256"] if row["ok"] else "" for row in rows).encode("ascii"),
        kinds, _ints("q", ranks), title_at, title_bytes, date_at, date_bytes,
        json.dumps({"reflections": columns, "contacts": contacts}, ensure_ascii=False,
                   separators=(",", ":"), check_circular=False).encode(*TEXT),
    ]
    header = b" ".join([MAGIC, *(str(n).encode() for n in (FORMAT, schema, synced_ns, len(rows), *map(len, parts)))])
    return header + b"\n" + b"".join(parts)


class Listing:
    """A listing as read: the files' paths, stamps and hashes, and what a search or
    ``reflections`` shows of them, each decoded when first asked for."""

    def __init__(self, synced_ns: int, paths: list[str], stamps: list[array[int]], shas: list[str],
                 kinds: bytes, ranks: array[int], titles: tuple[array[int], bytes],
                 dates: tuple[array[int], bytes], columns: bytes | None) -> None:
        self.synced_ns = synced_ns
        self.paths = paths
        self.stamps = stamps  # mtimes, sizes, ctimes, inodes: an array each, as paths
        self.shas = shas  # "" for a file with a problem
        self.kinds = kinds  # CONTACT, REFLECTION or OTHER per file
        self.ranks = ranks
        self._titles = titles
        self._dates = dates
        self._columns = columns
        self._decoded: dict[str, Any] | None = None

    def title(self, at: int) -> str:
        """A contact's name or a reflection's title."""
        offsets, texts = self._titles
        return texts[offsets[at]:offsets[at + 1]].decode(*TEXT)

    def date(self, at: int) -> str | None:
        """A reflection's date; None for a contact."""
        if self.kinds[at] != REFLECTION:
            return None
        offsets, texts = self._dates
        return texts[offsets[at]:offsets[at + 1]].decode(*TEXT)

    @property
    def columns(self) -> dict[str, Any]:
        """The columns ``reflections`` shows (ValueError, KeyError or TypeError when
        they are damaged: the caller lets the journal answer)."""
        if self._decoded is None:
            if self._columns is None:
                raise ValueError("listing read without its columns")
            decoded = json.loads(self._columns.decode(*TEXT))
            r, c = decoded["reflections"], decoded["contacts"]
            if (any(len(r[column]) != len(r["at"]) for column in REFLECTION_COLUMNS)
                    or not len(c["at"]) == len(c["slug"]) == len(c["name"])):
                raise ValueError("the listing's columns are out of step")
            self._decoded = decoded
        return self._decoded

    @property
    def reflections(self) -> dict[str, list[Any]]:
        return self.columns["reflections"]  # type: ignore[no-any-return]

    @property
    def contacts(self) -> dict[str, tuple[str, str]]:
        """slug → (path, name)."""
        c, paths = self.columns["contacts"], self.paths
        return {slug: (paths[at], name) for at, slug, name in zip(c["at"], c["slug"], c["name"])}

    def reflection_rows(self) -> Iterator[tuple[Any, ...]]:
        """(path, title, date, kind, contacts, links, follow_up, tags, follow_up_done),
        newest first."""
        r, paths = self.reflections, self.paths
        return zip([paths[i] for i in r["at"]], r["title"], r["date"], r["kind"], r["contacts"],
                   r["links"], r["follow_up"], r["tags"], r["follow_up_done"])


def _numbers(typecode: str, data: bytes) -> array[int]:
    numbers = array(typecode)
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def read(root: Path, schema: int, *, columns: bool = False) -> Listing | None:
    """The listing as written (not yet checked against the files), or None when there
    is none in this format and schema or it is damaged.  ``columns``: with what
    ``reflections`` shows (a search does without)."""
    if not (root / CONFIG).is_file():
        return None  # not a journal, or a half-made one: the full path says what is wrong
    try:
        with open(root / STATE / FILE, "rb") as handle:
            fields = handle.readline(1000).split()
            if len(fields) != 5 + len(PARTS) or fields[0] != MAGIC or int(fields[1]) != FORMAT or int(fields[2]) != schema:
                return None
            synced_ns, count, *lengths = map(int, fields[3:])
            if count < 0 or min(lengths) < 0 or os.fstat(handle.fileno()).st_size != handle.tell() + sum(lengths):
                return None
            body = handle.read(sum(lengths) if columns else sum(lengths[:-1]))
        bounds = [0, *accumulate(lengths)]
        part = dict(zip(PARTS, (body[start:stop] for start, stop in zip(bounds, bounds[1:]))))
        if len(part["stamps"]) != 32 * count:
            return None
        stamps = [_numbers(typecode, part["stamps"][i * 8 * count:(i + 1) * 8 * count])
                  for i, typecode in enumerate(STAMPS)]
        paths = part["paths"].decode(*TEXT).split("\0") if count else []
        shas = part["shas"].decode("ascii").split("\n") if count else []
        ranks = _numbers("q", part["ranks"])
        title_at, date_at = _numbers("q", part["title_at"]), _numbers("q", part["date_at"])
        if (len(paths) != count or len(shas) != count or len(part["kinds"]) != count or len(ranks) != count
                or len(title_at) != count + 1 or len(date_at) != count + 1
                or title_at[-1] != len(part["titles"]) or date_at[-1] != len(part["dates"])):
            return None
        return Listing(synced_ns, paths, stamps, shas, part["kinds"], ranks, (title_at, part["titles"]),
                       (date_at, part["dates"]), part["columns"] if columns else None)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _same_content(root: Path, racy: list[str], shas: dict[str, str]) -> bool:
    """Whether files written too close to the index's sync for their stamp to prove
    anything (just saved, say) still have the content the listing was made from: a
    few small files read and hashed, as the index does (``Index._is_current``)."""
    import hashlib  # only here: ~2 ms to import

    if len(racy) > RACY_FILES:
        return False  # many files changed at once: the journal re-reads them anyway
    for path in racy:
        if not shas.get(path):
            return False  # a file with a problem: no hash to compare with
        try:
            # never a blocking open: the scan said this is a regular file, but it
            # may have been swapped for a FIFO since
            fd = os.open(root / path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return False
        with os.fdopen(fd, "rb") as handle:
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode) or hashlib.sha256(handle.read()).hexdigest() != shas[path]:
                    return False
            except OSError:
                return False
    return True


def is_current(root: Path, listing: Listing) -> bool:
    """Whether the listing describes every file exactly as it is now."""
    leftovers: list[str] = []
    files = scan(root, leftovers)
    paths = listing.paths
    if leftovers or len(files) != len(paths):
        return False
    if not files:
        return True
    # Odd entries the scan reports as problems are compared too (the index holds
    # them with the same stamps): the commands here never show them, and any change
    # to one is a new stamp.
    found_paths, found_mtimes, found_sizes, found_ctimes, found_inos, _ = zip(*files)
    mtimes, sizes, ctimes, inos = listing.stamps
    try:
        if found_paths == tuple(paths):  # the usual case: compared as whole arrays, in C
            same = (array("q", found_mtimes) == mtimes and array("Q", found_sizes) == sizes
                    and array("q", found_ctimes) == ctimes and array("Q", found_inos) == inos)
        else:  # listed in another order: file by file
            same = (dict(zip(found_paths, zip(found_mtimes, found_sizes, found_ctimes, found_inos)))
                    == dict(zip(paths, zip(mtimes, sizes, ctimes, inos))))
    except OverflowError:  # a stamp the listing cannot hold
        return False
    if not same:
        return False
    # a file changed since the index's last sync began, or in the 2 s before (a
    # save since, say), may have changed again within its timestamps' tick: hash it
    racy_from = listing.synced_ns - RACY_NS
    if max(found_ctimes) > racy_from or max(found_mtimes) > racy_from:
        racy = [path for path, m, c in zip(found_paths, found_mtimes, found_ctimes) if m > racy_from or c > racy_from]
        return _same_content(root, racy, dict(zip(paths, listing.shas)))
    return True


def read_if_current(root: Path, schema: int, *, columns: bool = False) -> Listing | None:
    """The listing, if it describes every file exactly as it is now; else None."""
    listing = read(root, schema, columns=columns)
    if listing is None:
        return None
    try:
        return listing if is_current(root, listing) else None
    except OSError:
        return None
