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

import contextlib
import gc
import heapq
import itertools
import operator
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, TypeVar

from netjournal.store import listing
from netjournal.store.scan import STATE
from netjournal.vocab import entry_id, reflection_wanted

if TYPE_CHECKING:
    from netjournal.store import fulltext

T = TypeVar("T")


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


def reflections(root: Path, *, contact: str | None = None, kind: str | None = None,
                since: str | None = None, until: str | None = None,
                tag: str | None = None, limit: int = 0) -> list[ReflectionRow] | None:
    """Reflections newest first, filtered as ``Journal.reflections``, at most ``limit``
    (0: all); None when the journal must be opened (something changed, or ``contact``
    is unknown: the full path says so)."""

    def rows(current: listing.Listing) -> list[ReflectionRow] | None:
        try:
            if contact is not None and contact not in current.contacts:
                return None
            wanted = (row for row in current.reflection_rows()
                      if reflection_wanted(row[5], row[3], row[2], row[7], contact=contact, kind_filter=kind,
                                           since=since, until=until, tag=tag))
            return [ReflectionRow(*row) for row in itertools.islice(wanted, limit or None)]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # damaged columns: the journal answers (and writes a fresh listing)

    with _gc_paused():
        return _answer(root, rows, columns=True)


def _answer(root: Path, work: Callable[[listing.Listing], T | None], *, columns: bool = False) -> T | None:
    """What ``work`` makes of the listing, if the listing describes every file as it is
    now (checked meanwhile, in another process when the journal is big); else None."""
    early = listing.take_early(lambda folder: Path(folder) == root)
    if early is not None:
        fd, header, check = early
    else:
        opened = listing.open_file(root, listing.SCHEMA)
        if opened is None:
            return None
        fd, header = opened
        check = listing.Check(root, fd, header)
    try:
        with check:
            current = listing.load(fd, header, columns=columns)
            if current is None:
                return None
            try:
                answer = work(current)
            except ValueError:  # a damaged part of the listing, met when decoded
                return None
            return answer if answer is not None and check.done(current) else None
    finally:
        os.close(fd)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic collector would walk every decoded object again and again while
    more are made; nothing made here has cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def search(root: Path, query: str, *, limit: int = 20) -> list[fulltext.SearchHit] | None:
    """``Journal.search`` from the listing and the full-text cache; None when a file
    changed or the cache lacks a file's current text."""
    with _gc_paused():
        return _search(root, query, limit)


def _search(root: Path, query: str, limit: int) -> list[fulltext.SearchHit] | None:
    def hits(current: listing.Listing) -> list[fulltext.SearchHit] | None:
        from netjournal.store import fulltext  # here, once the check has begun: ~2 ms

        words = fulltext.query_words(query)
        return _hits(root, current, words, limit) if words else []

    return _answer(root, hits)


def _hits(root: Path, current: listing.Listing, words: list[str], limit: int) -> list[fulltext.SearchHit] | None:
    """The search on the cache, as the journal ranks it; None when the cache lacks a
    file's current text or a shown text's shard is damaged."""
    from netjournal.store import fulltext

    folder = root / STATE / fulltext.FOLDER
    ranks = current.ranks
    # The order is the journal's (score, then date, then path), the last two as the
    # listing's rank of each file: only the hits shown are looked up and decoded.
    listed = fulltext.search_listed(folder, words, current.shard_head)
    if listed is not None:  # every shard as the listing says: no hash to compare
        entry = current.shard_entry
        scored = [(m.score, ranks[at], at, m) for m in listed for at in (entry(m.shard.number, m.index),)]
    else:  # compared entry by entry (a cache written before, or with more in it)
        cached, found = fulltext.search_files(folder, words)
        paths, shas = current.paths, current.shas
        wanted = dict(zip(paths, shas))  # "" for a file with a problem
        if cached != wanted and any(sha and cached.get(path) != sha for path, sha in wanted.items()):
            return None  # the journal reads those files and repairs the cache
        index = dict(zip(paths, range(len(paths))))
        scored = [(m.score, ranks[at], at, m) for m in found if m.sha and wanted.get(m.path) == m.sha
                  for at in (index[m.path],)]
    best = heapq.nlargest(limit, scored, key=_BY_SCORE_AND_RANK) if limit > 0 else scored
    candidates = [fulltext.candidate(score, m.path, current.title(at), current.date(at), m) for score, _, at, m in best]
    if not fulltext.texts_ok(candidates):
        return None  # a damaged shard: the journal reads those files and repairs it
    return fulltext.top(candidates, words, limit)


_BY_SCORE_AND_RANK = operator.itemgetter(0, 1)
