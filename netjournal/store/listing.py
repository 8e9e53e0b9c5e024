"""A compact copy of the index for the quick read-only commands.

``.netjournal/listing.bin`` is written with ``index.json``, from the same records,
under the same lock.  It holds the stamp (mtime_ns, size, ctime_ns, inode) of every
file and what ``reflections`` and ``search`` show, laid out so that a quick command
reads what it needs without making a Python object per file for the rest:

    netjournal-listing <format> <schema> <synced_ns> <files> <byte length of each part> <index>\n
    paths      the files' paths joined by NUL, in the scan's order (``scan.scan``:
               each folder's names sorted, a folder's files at its name)
    stamps     four runs of 64-bit little-endian integers, one number per file each:
               mtime_ns, size, ctime_ns, inode
    shas       the files' sha256s joined by newlines ("" for a file with a problem)
    kinds      one byte per file: c a contact, r a reflection, - a file with a problem
    ranks      a 64-bit integer per file: its place in the order a search breaks ties
               in (date, then path; contacts, with no date, first), -1 for a problem
    title_at, titles, date_at, dates
               a contact's name or a reflection's title, and a reflection's date, per
               file: UTF-8 texts one after another, with the 64-bit offset of each
               (files + 1 offsets), so that a search decodes only those it shows
    head_at, heads
               what each of the full-text cache's shards should hold: its paths and
               hashes as the shard file has them (``fulltext.head``), one after another,
               with 129 offsets; a search compares each shard with it as bytes
    entry_at, entries
               the index in paths of each of those entries, shard by shard (129 offsets)
    rows       JSON lines, what ``reflections`` filters and shows, decoded only by it:
               first the contacts, {"at": [...], "slug": [...], "name": [...]}, then one
               line per reflection, newest first:
               [at, title, date, kind, contacts, links, follow_up, tags, follow_up_done]
               (at: index in paths), so that a list without filters decodes only the
               lines it shows (the whole part is ~1.3 MB at 10,000 entries: ~8 ms)

<index> is the stamp of the index.json written with it (mtime_ns:size:ctime_ns:inode,
"-" when unknown): an index file that still has it holds the very records the listing
was made from, so the listing's check can stand for the index's own comparison when
the journal opens (``Index.sync``).

It is trusted only when it describes the files exactly as they are now: the same
paths (odd entries the scan reports as problems included), each with the same stamp;
a file changed since the index's last sync began (or in the 2 s before), a save
since included, is read and hashed, as an incremental sync does
(``Index._is_current``); no leftover temp file of netjournal's found by the scan.  In
other words: only when opening the journal would change nothing.  Anything else, and
the command opens the journal as usual (which writes a fresh listing).  So the listing
needs no consistency with ``index.json``: it is checked against the files.

Because the files are listed in the scan's order, the check compares the scan's
paths and stamps with the listing's as whole lists, in C; a listing in
another order (a file system that sorts names otherwise) is compared path by path.

Standard library only, and little of it (no ``typing``, ``re`` or ``pathlib``: ~10 ms
together): the program begins the check before anything else is imported
(``netjournal.program``).
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from itertools import accumulate

from netjournal.store.scan import CONFIG, RACY_FILES, RACY_NS, STATE, racy, scan
from netjournal.store.stamps import StampCheck, Unknown, chunks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Folder = str | os.PathLike[str]

SCHEMA = 6  # the index records' schema (index.py's); a change rebuilds both
# 2: a key written twice in front matter became a problem
# 3: contacts' [[wikilinks]] as ``wikilinks``; ``links`` are profile URLs; phone, birthday,
#    uid, source, connected, emails
# 4: records hold the ctime and inode; odd directory entries are problem records
# 5: reflections have follow_up_done; the kind intro (read as note before)
# 6: contacts' ``dates`` (label, date pairs)
FORMAT = 7  # 3: ctime and inode; 4: follow_up_done among the reflections' columns; 5: binary;
# 6: the index file's stamp; 7: the reflections' columns as rows, a line each
FILE = "listing.bin"
OLD_FILES = ("listing.json",)  # earlier formats' files: removed when a listing is written
MAGIC = b"netjournal-listing"
UNUSABLE = MAGIC + b" unusable\n"  # a listing of records it cannot hold: every command opens the journal
PARTS = ("paths", "stamps", "shas", "kinds", "ranks", "title_at", "titles", "date_at", "dates",
         "head_at", "heads", "entry_at", "entries", "rows")
NEVER = b"\0"  # a shard head no shard has (a path the cache could not hold)
STAMPS = "qQqQ"  # the typecodes of mtime_ns, size, ctime_ns and inode
CONTACT, REFLECTION, OTHER = ord("c"), ord("r"), ord("-")
TEXT = ("utf-8", "surrogatepass")  # any str a file name or YAML gives comes back as it was

REFLECTION_COLUMNS = ("title", "date", "kind", "contacts", "links", "follow_up", "tags", "follow_up_done")


def _ints(typecode: str, values: Any) -> bytes:
    from array import array  # here: the reader casts the bytes (``array`` imports collections: ~1 ms)

    numbers = array(typecode, values)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tobytes()


def _texts(values: list[str]) -> tuple[bytes, bytes]:
    """(the offsets, the texts): ``values`` one after another, UTF-8."""
    encoded = [value.encode(*TEXT) for value in values]
    return _ints("q", [0, *accumulate(map(len, encoded))]), b"".join(encoded)


def _json_lines(values: list[Any]) -> str:
    """Each value as one line of compact JSON (a JSON text holds no line break of its
    own: the ones in strings are written ``\\n``)."""
    import json  # here and where the rows are read: a search reads no JSON

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    return "\n".join(map(encode, values))


def order_key(path: str) -> str:
    """The scan's order as a sort key: path by path, component by component (a NUL
    sorts before any character a name can hold)."""
    return path.replace("/", "\0")


def build(records: dict[str, Any], schema: int, synced_ns: int,
          index: tuple[int, int, int, int] | None = None) -> bytes:
    """The listing's bytes for the index's records (its raw TinyDB ``files`` table);
    ``index``: the stamp of the index file they were written to.

    Written on every index write, so built with C-level maps where it can be."""
    from netjournal.vocab import newest_first
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
    reflection_rows = [[at, *(data_of[at][column] for column in REFLECTION_COLUMNS)]  # type: ignore[index]
                       for _, _, at in reflections]
    at_contacts = [at for at, kind in enumerate(kinds) if kind == CONTACT]
    contacts = {"at": at_contacts, "slug": [data_of[at]["slug"] for at in at_contacts],  # type: ignore[index]
                "name": [titles[at] for at in at_contacts]}
    try:
        stamps = b"".join(_ints(typecode, [row[key] for row in rows])
                          for typecode, key in zip(STAMPS, ("mtime_ns", "size", "ctime_ns", "ino")))
    except OverflowError:  # a stamp beyond 64 bits: no listing, every command opens the journal
        return UNUSABLE
    from netjournal.store import fulltext

    by_shard: list[list[tuple[str, str, int]]] = [[] for _ in range(fulltext.SHARDS)]
    heads = [b""] * fulltext.SHARDS
    for at, row in enumerate(rows):
        if kinds[at] != OTHER and fulltext.cacheable(row["path"]):
            try:
                by_shard[fulltext.shard_of(row["path"])].append((row["path"], row["sha256"], at))
            except UnicodeEncodeError:  # a name that is not UTF-8: searched entry by entry
                heads = [NEVER] * fulltext.SHARDS
    for number, members in enumerate(by_shard):
        members.sort()
        if members and heads[number] != NEVER:
            heads[number] = fulltext.head([path for path, _, _ in members], [sha for _, sha, _ in members])
    title_at, title_bytes = _texts(titles)
    date_at, date_bytes = _texts(dates)
    parts = [
        "\0".join(paths).encode(*TEXT), stamps,
        "\n".join(row["sha256"] if row["ok"] else "" for row in rows).encode("ascii"),
        kinds, _ints("q", ranks), title_at, title_bytes, date_at, date_bytes,
        _ints("q", [0, *accumulate(map(len, heads))]), b"".join(heads),
        _ints("q", [0, *accumulate(map(len, by_shard))]), _ints("q", [at for members in by_shard for _, _, at in members]),
        _json_lines([contacts, *reflection_rows]).encode(*TEXT),
    ]
    header = b" ".join([MAGIC, *(str(n).encode() for n in (FORMAT, schema, synced_ns, len(rows), *map(len, parts))),
                        index_stamp(index)])
    return header + b"\n" + b"".join(parts)


class Listing:
    """A listing as read: the files' paths, stamps and hashes, and what a search or
    ``reflections`` shows of them.  Each part is read when first asked for, through
    ``read`` (the listing's descriptor, or the bytes of a listing read whole), and
    checked then (ValueError when it is damaged): a search reads the stamps, ranks and
    shard heads it compares, the titles and dates of the hits it shows and nothing
    else (the parts are ~4 MB at 10,000 entries, and memory fresh from the system
    costs a page fault per 4 KB)."""

    def __init__(self, header: Header, read: Callable[[int, int], bytes]) -> None:
        self.synced_ns = header.synced_ns
        self.count = header.count  # files
        self._read = read  # (offset in the body, length) -> bytes
        bounds = [0, *accumulate(header.lengths)]
        self._where = {name: (start, stop - start) for name, start, stop in zip(PARTS, bounds, bounds[1:])}
        self._parts: dict[str, memoryview] = {}
        self._offsets: dict[str, memoryview] = {}  # of the texts, checked
        self._entries: memoryview | None = None
        self._stamps: list[memoryview] | None = None
        self._paths: list[str] | None = None
        self._shas: list[str] | None = None
        self._decoded: tuple[str, str] | None = None

    def part(self, name: str) -> memoryview:
        """One part as written, whole."""
        if name not in self._parts:
            start, length = self._where[name]
            data = self._read(start, length)
            if len(data) != length:
                raise ValueError(f"the listing's {name} are cut short")
            self._parts[name] = memoryview(data)
        return self._parts[name]

    def _numbers(self, name: str, count: int | None = None) -> memoryview:
        """A part of 64-bit numbers (``count`` of them, when said)."""
        try:
            numbers = self.part(name).cast("q")
        except TypeError:  # a length no cast can take
            raise ValueError(f"the listing's {name} are not 64-bit numbers") from None
        if count is not None and len(numbers) != count:
            raise ValueError(f"the listing's {name} are not {count}")
        return numbers

    def _at(self, name: str, texts: str, unit: int = 1) -> memoryview:
        """The offsets of ``texts`` (in ``unit`` bytes), checked against its length."""
        if name not in self._offsets:
            offsets = self._numbers(name)
            if len(offsets) < 1 or offsets[0] != 0 or offsets[-1] * unit != self._where[texts][1]:
                raise ValueError(f"the listing's {name} do not fit its {texts}")
            self._offsets[name] = offsets
        return self._offsets[name]

    def _slice(self, texts: str, offsets: memoryview, at: int) -> bytes:
        """The ``at``-th of ``texts``: read alone."""
        if not 0 <= at < len(offsets) - 1:
            raise ValueError(f"no {texts} number {at} in the listing")
        start, stop = offsets[at], offsets[at + 1]
        if not 0 <= start <= stop:
            raise ValueError(f"the listing's {texts} are out of order")
        data = self._read(self._where[texts][0] + start, stop - start)
        if len(data) != stop - start:
            raise ValueError(f"the listing's {texts} are cut short")
        return data

    @property
    def path_bytes(self) -> memoryview:
        """The paths part as written."""
        return self.part("paths")

    @property
    def stamps(self) -> list[memoryview]:
        """mtimes, sizes, ctimes, inodes: 64-bit numbers each, as paths."""
        if self._stamps is None:
            whole, count = self.part("stamps"), self.count
            if len(whole) != 32 * count:
                raise ValueError("the listing's stamps are not four per file")
            self._stamps = [whole[i * 8 * count:(i + 1) * 8 * count].cast(typecode)
                            for i, typecode in enumerate(STAMPS)]
        return self._stamps

    @property
    def kinds(self) -> memoryview:
        """CONTACT, REFLECTION or OTHER per file."""
        kinds = self.part("kinds")
        if len(kinds) != self.count:
            raise ValueError("the listing's kinds are not one per file")
        return kinds

    @property
    def ranks(self) -> memoryview:
        """Each file's place in the order a search breaks ties in."""
        return self._numbers("ranks", self.count)

    def shard_head(self, number: int) -> bytes:
        """What the full-text cache's shard ``number`` should hold (``fulltext.head``),
        read alone, as bytes: compared with bytes in one ``memcmp``."""
        return self._slice("heads", self._at("head_at", "heads"), number)

    def shard_entries(self, number: int) -> list[int]:
        """The index in paths of each entry of shard ``number``, in the shard's order
        (checked to be files: a search of a rare word looks at a few shards' only)."""
        offsets = self._at("entry_at", "entries", 8)
        if self._entries is None:
            self._entries = self._numbers("entries")
        if not 0 <= number < len(offsets) - 1:
            raise ValueError(f"no shard {number} in the listing")
        entries = self._entries[offsets[number]:offsets[number + 1]].tolist()
        if entries and not 0 <= min(entries) <= max(entries) < self.count:
            raise ValueError("the listing's shard entries are not files")
        return entries

    def shard_size(self, number: int) -> int:
        """How many entries shard ``number`` holds."""
        offsets = self._at("entry_at", "entries", 8)
        if not 0 <= number < len(offsets) - 1:
            raise ValueError(f"no shard {number} in the listing")
        return offsets[number + 1] - offsets[number]  # type: ignore[no-any-return]

    @property
    def paths(self) -> list[str]:
        """Every file's path (ValueError when the part is damaged)."""
        if self._paths is None:
            paths = str(self.path_bytes, *TEXT).split("\0") if self.count else []
            if len(paths) != self.count:
                raise ValueError("the listing's paths are not one per file")
            self._paths = paths
        return self._paths

    @property
    def shas(self) -> list[str]:
        """Every file's sha256, "" for a file with a problem (ValueError when the part
        is damaged)."""
        if self._shas is None:
            shas = str(self.part("shas"), "ascii").split("\n") if self.count else []
            if len(shas) != self.count:
                raise ValueError("the listing's hashes are not one per file")
            self._shas = shas
        return self._shas

    def title(self, at: int) -> str:
        """A contact's name or a reflection's title."""
        return str(self._slice("titles", self._at("title_at", "titles"), at), *TEXT)

    def date(self, at: int) -> str | None:
        """A reflection's date; None for a contact."""
        if self.kinds[at] != REFLECTION:
            return None
        return str(self._slice("dates", self._at("date_at", "dates"), at), *TEXT)

    def _rows(self) -> tuple[str, str]:
        """The rows part: (its first line, the contacts; the reflections' lines)."""
        if self._decoded is None:
            contacts, _, reflections = str(self.part("rows"), *TEXT).partition("\n")
            self._decoded = (contacts, reflections)
        return self._decoded

    @property
    def contacts(self) -> dict[str, tuple[str, str]]:
        """slug → (path, name) (ValueError, KeyError or TypeError when the part is
        damaged: the caller lets the journal answer)."""
        import json

        c, paths = json.loads(self._rows()[0]), self.paths
        if not len(c["at"]) == len(c["slug"]) == len(c["name"]):
            raise ValueError("the listing's contacts are out of step")
        return {slug: (paths[at], name) for at, slug, name in zip(c["at"], c["slug"], c["name"])}

    def reflection_rows(self, first: int = 0) -> list[tuple[Any, ...]]:
        """(path, title, date, kind, contacts, links, follow_up, tags, follow_up_done),
        newest first: the ``first`` ones only (each line decoded alone), or all (0:
        decoded at once).  ValueError, KeyError, TypeError or IndexError when the part
        is damaged."""
        import json

        lines = self._rows()[1]
        if not lines:
            return []
        if first > 0:
            rows = [json.loads(line) for line in lines.split("\n", first)[:first]]
        else:
            rows = json.loads("[" + lines.replace("\n", ",") + "]")
        paths = self.paths
        if any(len(row) != 1 + len(REFLECTION_COLUMNS) for row in rows):
            raise ValueError("the listing's reflections are out of step")
        return [(paths[row[0]], *row[1:]) for row in rows]


def index_stamp(stamp: tuple[int, int, int, int] | None) -> bytes:
    """An index file's (mtime_ns, size, ctime_ns, inode) as the listing's first line has it."""
    return b"-" if stamp is None else ":".join(map(str, stamp)).encode()


class Header:
    """The listing's first line: what its parts are and where."""

    __slots__ = ("synced_ns", "count", "lengths", "body_at", "index")

    def __init__(self, synced_ns: int, count: int, lengths: list[int], body_at: int, index: bytes) -> None:
        self.synced_ns = synced_ns
        self.count = count  # files
        self.lengths = lengths  # of each part, in PARTS' order
        self.body_at = body_at  # where the first part begins
        self.index = index  # the stamp of the index written with it (``index_stamp``)


def open_file(root: Folder, schema: int) -> tuple[int, Header] | None:
    """The listing file opened, and its first line; None when there is none in this
    format and schema, or it is damaged.  The parts are read through the descriptor
    (``load``): whatever replaces the file meanwhile, it is one version of it."""
    if not os.path.isfile(os.path.join(root, CONFIG)):
        return None  # not a journal, or a half-made one: the full path says what is wrong
    if sys.byteorder != "little":
        return None  # the numbers are little-endian: such a machine opens the journal
    try:
        fd = os.open(os.path.join(root, STATE, FILE), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        line, newline, _ = os.pread(fd, 1000, 0).partition(b"\n")
        fields = line.split(b" ")
        if (not newline or len(fields) != 6 + len(PARTS) or fields[0] != MAGIC or int(fields[1]) != FORMAT
                or int(fields[2]) != schema):
            raise ValueError("not a listing of this format and schema")
        synced_ns, count, *lengths = map(int, fields[3:-1])
        if count < 0 or min(lengths) < 0 or os.fstat(fd).st_size != len(line) + 1 + sum(lengths):
            raise ValueError("the listing's parts are not the lengths it says")
        return fd, Header(synced_ns, count, lengths, len(line) + 1, fields[-1])
    except (OSError, ValueError):
        os.close(fd)
        return None


def load(fd: int, header: Header) -> Listing:
    """The listing, its parts read through ``fd`` when first asked for (``fd`` must
    stay open while it is used; a part that does not read back whole, or is damaged,
    is a ValueError then)."""
    at = header.body_at
    return Listing(header, lambda start, length: os.pread(fd, length, at + start))


def read(root: Folder, schema: int) -> Listing | None:
    """The listing as written (not yet checked against the files), read whole, or None."""
    opened = open_file(root, schema)
    if opened is None:
        return None
    fd, header = opened
    try:
        size = sum(header.lengths)
        body = os.pread(fd, size, header.body_at)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(body) != size:
        return None
    return Listing(header, lambda start, length: body[start:start + length])


def _same_content(root: Folder, paths: list[str], shas: dict[str, str]) -> bool:
    """Whether files written too close to the index's sync for their stamp to prove
    anything (just saved, say) still have the content the listing was made from: a
    few small files read and hashed, as the index does (``Index._is_current``)."""
    import hashlib  # only here: ~2 ms to import

    if len(paths) > RACY_FILES:
        return False  # many files changed at once: the journal re-reads them anyway
    for path in paths:
        if not shas.get(path):
            return False  # a file with a problem: no hash to compare with
        try:
            # never a blocking open: the scan said this is a regular file, but it
            # may have been swapped for a FIFO since
            fd = os.open(os.path.join(root, path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return False
        with os.fdopen(fd, "rb") as handle:
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode) or hashlib.sha256(handle.read()).hexdigest() != shas[path]:
                    return False
            except OSError:
                return False
    return True


def is_current(root: Folder, listing: Listing) -> bool:
    """Whether the listing describes every file exactly as it is now."""
    leftovers: list[str] = []
    files = scan(root, leftovers)
    if leftovers or len(files) != listing.count:
        return False
    if not files:
        return True
    # Odd entries the scan reports as problems are compared too (the index holds
    # them with the same stamps): the commands here never show them, and any change
    # to one is a new stamp.
    found_paths, found_mtimes, found_sizes, found_ctimes, found_inos, _ = zip(*files)
    mtimes, sizes, ctimes, inos = listing.stamps
    if "\0".join(found_paths).encode(*TEXT) == listing.path_bytes:  # the usual case: all in C
        same = (found_mtimes == tuple(mtimes.tolist()) and found_sizes == tuple(sizes.tolist())
                and found_ctimes == tuple(ctimes.tolist()) and found_inos == tuple(inos.tolist()))
    else:  # listed in another order: file by file
        same = (dict(zip(found_paths, zip(found_mtimes, found_sizes, found_ctimes, found_inos)))
                == dict(zip(listing.paths, zip(mtimes, sizes, ctimes, inos))))
    if not same:
        return False
    # a file changed since the index's last sync began, or in the 2 s before (a
    # save since, say), may have changed again within its timestamps' tick: hash it
    # (``scan.racy`` says which: a far-future mtime is no tick of ours)
    synced, racy_from = listing.synced_ns, listing.synced_ns - RACY_NS
    if max(found_ctimes) > racy_from or max(found_mtimes) > racy_from:
        changed = [path for path, m, c in zip(found_paths, found_mtimes, found_ctimes) if racy(m, c, synced, RACY_NS)]
        if changed:
            return _same_content(root, changed, dict(zip(listing.paths, listing.shas)))
    return True


def check(root: Folder, listing: Listing) -> bool:
    """``is_current``'s answer, by the check in pieces (``stamps``) where it decides,
    else by the full scan."""
    part = StampCheck(root, listing, RACY_NS)
    try:
        if not part.tree() or not all(map(part.chunk, range(chunks(listing.count)))):
            return False
        return len(part.racy) <= RACY_FILES and _racy_same(root, listing, part.racy)
    except Unknown:
        return is_current(root, listing)
    finally:
        part.close()


def _racy_same(root: Folder, listing: Listing, racy: list[int]) -> bool:
    """Whether the files at these places in the listing, whose stamps prove nothing
    (``scan.racy``), still have the listed content."""
    if not racy:
        return True
    paths = listing.paths
    return _same_content(root, [paths[at] for at in racy], dict(zip(paths, listing.shas)))


# A journal of this many files or more is checked in a forked process while the command
# does its own work (a search of the cache): the check is a stat of every file, half of
# it system calls, and a second core does it beside the first.  Below it, a fork costs
# more than it saves.
FORK_FROM = 2000
_STOP = 2**31 - 1  # a chunk number past any: no process takes another


class Check:
    """``check`` started now and answered by ``done()``.

    In a forked process, beside the command's own work, when the journal is big, the
    system has ``fork`` and this process runs no other thread (a forked child of a
    threaded process may find a lock held forever); else when asked.  The child reads
    the listing through the same descriptor, so both look at one version of it.

    The forked check is shared (``stamps``): the child lists the folders (``tree``),
    then stats the listing's files chunk by chunk from the front; the command, once
    its own work is done and it asks for the answer, stats chunks from the back until
    the two meet.  Each takes a chunk by writing its own counter in a page they share
    (front: the child's next chunk, back: the command's last one) before it stats
    it, and stops when its counter has reached the other's; the one of the two that
    stops last read the other's final counter, so every chunk is stat'ed by one of
    them (a chunk both took is stat'ed twice, which changes nothing).  The child
    answers for the tree and its chunks, the command for its own.  When something is
    not for the pieces to decide (``stamps.Unknown``: a symlink among the entries, say),
    the child stops both and answers with the full scan (``is_current``).

    Used as a context manager, so that the child is always waited for."""

    def __init__(self, root: Folder, fd: int, header: Header) -> None:
        self.root, self.fd, self.header = root, fd, header
        self.answer: bool | None = None
        self.pid, self.pipe = 0, -1
        threading = sys.modules.get("threading")
        if header.count < FORK_FROM or not hasattr(os, "fork") or (
                threading is not None and threading.active_count() > 1):
            return
        import mmap

        self._shared = mmap.mmap(-1, 8)  # anonymous and shared: the child's writes are seen here
        self._counters = counters = memoryview(self._shared).cast("i")
        counters[0], counters[1] = 0, chunks(header.count)
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            self._release()
            return
        if pid == 0:  # the child: answer in a few bytes, then leave at once
            answer = b"0"
            try:
                gc.disable()  # nothing it makes has cycles, and it lives ~40 ms
                os.close(read_end)
                answer = self._child(load(fd, header))
            finally:
                try:
                    os.write(write_end, answer)
                finally:
                    os._exit(0)  # no exit handlers, no buffers flushed: they are the parent's
        os.close(write_end)
        self.pid, self.pipe = pid, read_end

    def _child(self, listing: Listing) -> bytes:
        """The child's part: b"1" or b"0" when it answers for everything, b"+N" when
        the tree and its chunks are as listed (N: racy files among them, found the same)."""
        counters = self._counters
        part = StampCheck(self.root, listing, RACY_NS)
        try:
            same = part.tree()
            while same:
                number = counters[0]
                if number >= counters[1]:
                    break
                counters[0] = number + 1  # taken before it is stat'ed
                same = part.chunk(number)
            if same and len(part.racy) <= RACY_FILES and _racy_same(self.root, listing, part.racy):
                return b"+%d" % len(part.racy)
            counters[0] = _STOP
            return b"0"
        except Unknown:
            counters[0] = _STOP  # the command takes no more: the full scan answers
            return b"1" if self._check(listing, exact=True) else b"0"
        except (OSError, ValueError):
            counters[0] = _STOP
            return b"0"
        finally:
            part.close()

    def _share(self, listing: Listing | None) -> int | None:
        """The command's part: chunks taken from the back until the child's front;
        the racy files among them (found the same), -1 when one is not as listed, None
        when the pieces do not decide."""
        counters = self._counters
        if counters[0] >= counters[1]:
            return 0  # the child has taken them all
        listing = listing or load(self.fd, self.header)
        part = StampCheck(self.root, listing, RACY_NS)
        try:
            while True:
                number = counters[1] - 1
                if number < counters[0]:
                    break
                counters[1] = number
                if not part.chunk(number):
                    counters[1] = 0  # the answer is known: the child takes no more
                    return -1
            if len(part.racy) > RACY_FILES or not _racy_same(self.root, listing, part.racy):
                return -1
            return len(part.racy)
        except (Unknown, OSError, ValueError):
            return None
        finally:
            part.close()

    def _check(self, listing: Listing, *, exact: bool = False) -> bool:
        try:
            return is_current(self.root, listing) if exact else check(self.root, listing)
        except (OSError, ValueError):  # a file system error, a damaged listing
            return False

    def done(self, listing: Listing | None = None, *, reap: bool = True) -> bool:
        """Whether the listing describes every file as it is now (``listing``: as this
        process loaded it through the same descriptor, if it did).  ``reap=False``: a
        child that found it so is waited for later (``reap_children``): its exit (~1 ms
        here, its memory unmapped) then runs beside the printing of the answer."""
        if self.answer is None:
            if self.pid:
                share = self._share(listing)
                child = self._collect(reap=False)
                if child in (b"0", b"1") or not child.startswith(b"+"):
                    self.answer = child == b"1"
                elif share is None:  # the command's chunks had something the pieces do not decide
                    self.answer = self._check(listing or load(self.fd, self.header), exact=True)
                else:
                    self.answer = share >= 0 and int(child[1:]) + share <= RACY_FILES
            else:
                self.answer = self._check(listing or load(self.fd, self.header))
            if not self.answer:
                found_stale.add(self.header.index)
        if reap or not self.answer:
            reap_children()
        return self.answer

    def _collect(self, *, reap: bool = True) -> bytes:
        try:
            return os.read(self.pipe, 32)
        finally:
            os.close(self.pipe)
            _children.append(self.pid)
            self.pid = 0
            self._release()
            if reap:
                reap_children()
            elif not _children_at_exit:
                import atexit  # a command that leaves by raising waits for it too

                atexit.register(reap_children)
                _children_at_exit.append(True)

    def _release(self) -> None:
        self._counters.release()
        self._shared.close()

    def __enter__(self) -> Check:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pid:  # left early (an error, an interrupt): the child is still reaped
            self._collect()


# Children that answered and are not waited for yet (``Check.done(reap=False)``).
_children: list[int] = []
_children_at_exit: list[bool] = []  # whether the interpreter's exit waits for them


def reap_children() -> None:
    """Wait for the children that answered (``Check.done(reap=False)``): before the
    process leaves, so that none is left behind for another process to reap."""
    while _children:
        try:
            os.waitpid(_children.pop(), 0)
        except ChildProcessError:
            pass  # waited for already


# The listings (as their index stamps name them) a check in this process found out of
# step with the files: the journal a quick command then opens does not check the same
# one again (``Index.sync``), it re-reads what changed.
found_stale: set[bytes] = set()


# A check begun by the program before the command line was read (``netjournal.program``):
# (the folder as named, the listing's descriptor, its first line, the check).
_early: list[tuple[str, int, Header, Check]] = []


def begin_early(folder: str) -> None:
    """Begin the check of ``folder``'s listing now, for ``take_early``."""
    drop_early()
    opened = open_file(folder, SCHEMA)
    if opened is not None:
        _early.append((folder, *opened, Check(folder, *opened)))


def take_early(same: Callable[[str], bool]) -> tuple[int, Header, Check] | None:
    """The check begun early, if ``same`` says it is of the command's folder (given
    the folder as named); any other is dropped."""
    if _early and same(_early[0][0]):
        _, fd, header, check = _early.pop()
        return fd, header, check
    drop_early()
    return None


def drop_early() -> None:
    """The check begun early and never taken: its child waited for, the listing closed."""
    while _early:
        _, fd, _, check = _early.pop()
        try:
            check.__exit__()
        finally:
            os.close(fd)


def read_if_current(root: Folder, schema: int) -> Listing | None:
    """The listing, if it describes every file exactly as it is now; else None."""
    listing = read(root, schema)
    if listing is None:
        return None
    try:
        return listing if check(root, listing) else None
    except (OSError, ValueError):
        return None
