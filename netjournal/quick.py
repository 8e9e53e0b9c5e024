"""Read-only commands answered without opening the journal, when nothing changed.

``netjournal reflections`` and ``netjournal search`` are what scripts and shell
habits call most.  Opening a journal imports YAML, TinyDB and the model and decodes
the whole index (~130 ms of a ~240 ms command at 10,000 entries).  When
``.netjournal/listing.bin`` still describes every file exactly (``store/listing.py``
checks each file's stamp, so an edit made by any program is never missed) and the
full-text cache has every file's current text, the answer comes from those two
alone.  Otherwise these functions return None and the command opens the journal as
usual, which also brings the listing and the cache up to date.

The filters, the order, the ranking and the output are the journal's own
(``vocab``, ``fulltext``, ``cli``): a test runs every command both ways and
compares the output byte for byte.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import itertools
import operator
import os

from netjournal.store import listing
from netjournal.store.scan import STATE
from netjournal.vocab import entry_id, reflection_wanted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NamedTuple, TypeVar

    from netjournal.store import fulltext

    Folder = str | os.PathLike[str]  # the journal's folder (a str from ``cli_quick``: no pathlib)
    T = TypeVar("T")
else:
    from netjournal.named import NamedTuple  # typing's, without importing typing (~3 ms)


class ReflectionRow(NamedTuple):
    """A reflection as listed (the attributes ``cli`` shows of a model Reflection)."""

    path: str
    title: str
    date: str
    kind: str
    contacts: list[str]
    links: list[str]
    follow_up: str | None
    tags: list[str]
    follow_up_done: str | None
    body: str | None = None  # lists never carry bodies

    @property
    def id(self) -> str:
        return entry_id(self.path)


def reflections(root: Folder, *, contact: str | None = None, kind: str | None = None,
                since: str | None = None, until: str | None = None,
                tag: str | None = None, limit: int = 0) -> list[ReflectionRow] | None:
    """Reflections newest first, filtered as ``Journal.reflections``, at most ``limit``
    (0: all); None when the journal must be opened (something changed, or ``contact``
    is unknown: the full path says so)."""

    def rows(current: listing.Listing) -> list[ReflectionRow] | None:
        try:
            if contact is not None and contact not in current.contacts:
                return None
            if (contact, kind, since, until, tag) == (None,) * 5:  # the newest ``limit``: only those decoded
                return [ReflectionRow(*row) for row in current.reflection_rows(max(limit, 0))]
            wanted = (row for row in current.reflection_rows()
                      if reflection_wanted(row[5], row[3], row[2], row[7], contact=contact, kind_filter=kind,
                                           since=since, until=until, tag=tag))
            return [ReflectionRow(*row) for row in itertools.islice(wanted, limit or None)]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # damaged rows: the journal answers (and writes a fresh listing)

    return _answer(root, rows)


def _answer(root: Folder, work: Callable[[listing.Listing], T | None]) -> T | None:
    """What ``work`` makes of the listing, if the listing describes every file as it is
    now (checked meanwhile, in another process when the journal is big); else None.
    The cyclic collector is off meanwhile: it would walk every decoded object again
    and again while more are made, and nothing made here has cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _checked(root, work)
    finally:
        if enabled:
            gc.enable()


def _checked(root: Folder, work: Callable[[listing.Listing], T | None]) -> T | None:
    early = listing.take_early(lambda folder: _same_folder(folder, os.fspath(root)))
    if early is not None:
        fd, header, check = early
    else:
        opened = listing.open_file(root, listing.SCHEMA)
        if opened is None:
            return None
        fd, header = opened
        if header.index != b"-" and header.index in listing.found_stale:
            os.close(fd)  # this process found this very listing stale (the check of
            return None   # ``cli_quick``, which then left the command to ``cli``)
        check = listing.Check(root, fd, header)
    try:
        with check:
            current = listing.load(fd, header)
            try:
                answer = work(current)
            except ValueError:  # a damaged part of the listing, met when read
                return None
            # the child left for ``cli_quick.leave`` to wait for (after the answer is printed)
            return answer if answer is not None and check.done(current, reap=False) else None
    finally:
        os.close(fd)


def _same_folder(named: str, root: str) -> bool:
    """Whether two names of a folder are the same as ``pathlib`` compares them (empty
    and ``.`` parts dropped; ``..`` kept), without importing it."""
    if named == root:
        return True
    return named.startswith("/") == root.startswith("/") and (
        [part for part in named.split("/") if part not in ("", ".")]
        == [part for part in root.split("/") if part not in ("", ".")])


def search(root: Folder, query: str, *, limit: int = 20) -> list[fulltext.SearchHit] | None:
    """``Journal.search`` from the listing and the full-text cache; None when a file
    changed or the cache lacks a file's current text."""

    def hits(current: listing.Listing) -> list[fulltext.SearchHit] | None:
        from netjournal.store import fulltext  # here, once the check has begun: ~2 ms

        words = fulltext.query_words(query)
        return _hits(root, current, words, limit) if words else []

    return _answer(root, hits)


def _hits(root: Folder, current: listing.Listing, words: list[str], limit: int) -> list[fulltext.SearchHit] | None:
    """The search on the cache, as the journal ranks it; None when the cache lacks a
    file's current text or a shown text's shard is damaged."""
    from netjournal.store import fulltext

    folder = os.path.join(root, STATE, fulltext.FOLDER)
    listed = fulltext.search_listed(folder, words, current.shard_head, current.shard_size)
    best = _listed_best(current, listed, limit) if listed is not None else _compared_best(current, folder, words, limit)
    if best is None:
        return None  # the journal reads the files the cache lacks and repairs it
    candidates = [fulltext.candidate(m.score, m.path, current.title(at), current.date(at), m) for at, m in best]
    if not fulltext.texts_ok(candidates):
        return None  # a damaged shard: the journal reads those files and repairs it
    return fulltext.top(candidates, words, limit)


# The order is the journal's (score, then date, then path), the last two as the
# listing's rank of each file: only the hits shown are looked up and decoded.

def _listed_best(current: listing.Listing, listed: list[tuple[fulltext.Shard, list[int], list[int]]],
                 limit: int) -> list[tuple[int, fulltext.Match]]:
    """The best ``limit`` hits (0: all) of a cache whose every shard is as the listing
    says: (index in the listing, match).  Each hit is one number, its score and rank
    together (``score * (files + 1) + rank``: ranks are 0 to files - 1, each file's
    own), so that a word in nearly every entry costs an integer per entry, and a match
    (its path and hash decoded) is made only for the hits shown."""
    from netjournal.store import fulltext

    ranks, span = current.ranks, current.count + 1
    keys: list[int] = []
    starts: list[int] = []  # where each shard's hits begin in keys
    entries = [current.shard_entries(shard.number) for shard, _, _ in listed]
    for (_, places, scores), files in zip(listed, entries):
        starts.append(len(keys))
        keys += [score * span + ranks[files[place]] for place, score in zip(places, scores)]
    chosen = (heapq.nlargest(limit, range(len(keys)), key=keys.__getitem__) if limit > 0
              else range(len(keys)))
    best = []
    for at in chosen:
        number = bisect.bisect_right(starts, at) - 1
        shard, places, scores = listed[number]
        place = places[at - starts[number]]
        best.append((entries[number][place], fulltext.match(shard, place, scores[at - starts[number]])))
    return best


def _compared_best(current: listing.Listing, folder: str, words: list[str],
                   limit: int) -> list[tuple[int, fulltext.Match]] | None:
    """The best ``limit`` hits (0: all) of a cache compared entry by entry with the
    listing (one written before, or with more in it); None when it lacks a file's
    current text."""
    from netjournal.store import fulltext

    cached, found = fulltext.search_files(folder, words)
    paths, shas, ranks = current.paths, current.shas, current.ranks
    wanted = dict(zip(paths, shas))  # "" for a file with a problem
    if cached != wanted and any(sha and cached.get(path) != sha for path, sha in wanted.items()):
        return None
    index = dict(zip(paths, range(len(paths))))
    scored = [(m.score, ranks[at], at, m) for m in found if m.sha and wanted.get(m.path) == m.sha
              for at in (index[m.path],)]
    best = heapq.nlargest(limit, scored, key=_BY_SCORE_AND_RANK) if limit > 0 else scored
    return [(at, m) for _, _, at, m in best]


_BY_SCORE_AND_RANK = operator.itemgetter(0, 1)
