"""A compact copy of the index for the quick read-only commands.

``.netjournal/listing.json`` is written with ``index.json``, from the same records,
under the same lock.  It holds what ``reflections`` and ``search`` show and the stamp
(mtime_ns, size, ctime_ns, inode) of every file, as flat columns that decode in a few milliseconds
where the whole TinyDB index takes ~45 ms at 10,000 entries:

    {"format": 3, "schema": <the index's>, "synced_ns": <the index's last sync>,
     "paths": [...], "mtimes": [...], "sizes": [...], "ctimes": [...], "inos": [...],
     "shas": [...],                                                  # every file
     "reflections": {"at": [i, ...], "title": [...], "date": [...], "kind": [...],
                     "contacts": [[...], ...], "links": [[...], ...],
                     "follow_up": [...], "tags": [[...], ...],
                     "follow_up_done": [...]},                        # newest first;
                                                                      # at: index in paths
     "contacts": {"at": [...], "slug": [...], "name": [...]}}

It is trusted only when it describes the files exactly as they are now: the same
paths (odd entries the scan reports as problems included), each with the same stamp;
a file changed since the index's last sync began (or in the 2 s before), a save
since included, is read and hashed, as an incremental sync does
(``Index._is_current``); no leftover temp file of netjournal's found by the scan.  In other words: only when opening the journal would change
nothing.  Anything else, and the command opens the journal as usual (which writes a
fresh listing).  So the listing needs no consistency with ``index.json``: it is
checked against the files.

Standard library only: this is read before anything heavy is imported.
"""

from __future__ import annotations

import json
import os
import stat
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from netjournal.store.scan import CONFIG, RACY_FILES, RACY_NS, STATE, scan
from netjournal.vocab import newest_first

SCHEMA = 6  # the index records' schema (index.py's); a change rebuilds both
# 2: a key written twice in front matter became a problem
# 3: contacts' [[wikilinks]] as ``wikilinks``; ``links`` are profile URLs; phone, birthday,
#    uid, source, connected, emails
# 4: records hold the ctime and inode; odd directory entries are problem records
# 5: reflections have follow_up_done; the kind intro (read as note before)
# 6: contacts' ``dates`` (label, date pairs)
FORMAT = 4  # 3: ctime and inode; 4: follow_up_done among the reflections' columns
FILE = "listing.json"


class Listing(NamedTuple):
    paths: list[str]
    shas: list[str]  # "" for a file with a problem
    reflections: dict[str, list[Any]]  # the columns above, newest first
    contacts: dict[str, tuple[str, str]]  # slug → (path, name)

    def reflection_rows(self) -> Iterator[tuple[Any, ...]]:
        """(path, title, date, kind, contacts, links, follow_up, tags, follow_up_done),
        newest first."""
        r, paths = self.reflections, self.paths
        return zip([paths[i] for i in r["at"]], r["title"], r["date"], r["kind"], r["contacts"],
                   r["links"], r["follow_up"], r["tags"], r["follow_up_done"])


REFLECTION_COLUMNS = ("title", "date", "kind", "contacts", "links", "follow_up", "tags", "follow_up_done")


def build(records: dict[str, Any], schema: int, synced_ns: int) -> bytes:
    """listing.json's bytes for the index's records (its raw TinyDB ``files`` table).

    Written on every index write, so built with C-level maps rather than a loop."""
    rows = list(records.values())
    paths = list(map(itemgetter("path"), rows))
    ok = list(map(itemgetter("ok"), rows))
    shas = [sha if good else "" for sha, good in zip(map(itemgetter("sha256"), rows), ok)]
    kinds = list(map(itemgetter("kind"), rows))
    reflections = sorted(
        ((*newest_first(row["data"]["date"], row["path"]), at) for at, row in enumerate(rows)
         if ok[at] and kinds[at] == "reflection"),
        reverse=True)
    at_reflections = [at for _, _, at in reflections]
    data_of = [rows[at]["data"] for at in at_reflections]
    columns: dict[str, list[Any]] = {"at": at_reflections}
    for column in REFLECTION_COLUMNS:
        columns[column] = list(map(itemgetter(column), data_of))
    at_contacts = [at for at in range(len(rows)) if ok[at] and kinds[at] == "contact"]
    contacts = {"at": at_contacts, "slug": [rows[at]["data"]["slug"] for at in at_contacts],
                "name": [rows[at]["data"]["name"] for at in at_contacts]}
    listing = {
        "format": FORMAT, "schema": schema, "synced_ns": synced_ns,
        "paths": paths, "mtimes": list(map(itemgetter("mtime_ns"), rows)),
        "sizes": list(map(itemgetter("size"), rows)), "ctimes": list(map(itemgetter("ctime_ns"), rows)),
        "inos": list(map(itemgetter("ino"), rows)), "shas": shas,
        "reflections": columns, "contacts": contacts,
    }
    return json.dumps(listing, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode("utf-8")


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


def read_if_current(root: Path, schema: int) -> Listing | None:
    """The listing, if it describes every file exactly as it is now; else None."""
    if not (root / CONFIG).is_file():
        return None  # not a journal, or a half-made one: the full path says what is wrong
    try:
        with open(root / STATE / FILE, "rb") as handle:
            data = json.loads(handle.read())
        if data["format"] != FORMAT or data["schema"] != schema:
            return None
        synced_ns = data["synced_ns"]
        paths, mtimes, sizes, shas = data["paths"], data["mtimes"], data["sizes"], data["shas"]
        ctimes, inos = data["ctimes"], data["inos"]
        reflections, contacts = data["reflections"], data["contacts"]
        count = len(reflections["at"])
        if (type(synced_ns) is not int
                or not len(paths) == len(mtimes) == len(sizes) == len(ctimes) == len(inos) == len(shas)
                or any(len(reflections[c]) != count for c in REFLECTION_COLUMNS)
                or not len(contacts["at"]) == len(contacts["slug"]) == len(contacts["name"])):
            return None
        leftovers: list[str] = []
        files = scan(root, leftovers)
        if leftovers or len(files) != len(paths):
            return None
        if not files:
            found_paths, found_mtimes, found_sizes, found_ctimes, found_inos = (), (), (), (), ()
        else:
            # columns and dicts built and compared in C: ~1 ms, where a loop over
            # 11,000 files in Python costs ~6.  Odd entries the scan reports as
            # problems are compared too (the index holds them with the same stamps):
            # the commands here never show them, and any change to one is a new stamp.
            found_paths, found_mtimes, found_sizes, found_ctimes, found_inos, _ = zip(*files)
        if (dict(zip(found_paths, zip(found_mtimes, found_sizes, found_ctimes, found_inos)))
                != dict(zip(paths, zip(mtimes, sizes, ctimes, inos)))):
            return None
        # a file changed since the index's last sync began, or in the 2 s before (a
        # save since, say), may have changed again within its timestamps' tick: hash it
        racy_from = synced_ns - RACY_NS
        if max(found_ctimes, default=0) > racy_from or max(found_mtimes, default=0) > racy_from:
            racy = [path for path, m, c in zip(found_paths, found_mtimes, found_ctimes) if m > racy_from or c > racy_from]
            if not _same_content(root, racy, dict(zip(paths, shas))):
                return None
        slugs = {slug: (paths[at], name) for at, slug, name in zip(contacts["at"], contacts["slug"], contacts["name"])}
        return Listing(paths, shas, reflections, slugs)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
