"""Read-only commands answered without opening the journal, when nothing changed.

``netjournal reflections`` and ``netjournal search`` are what scripts and shell
habits call most.  Opening a journal imports YAML, TinyDB and the model and decodes
the whole index (~130 ms of a ~240 ms command at 10,000 entries).  When
``.netjournal/listing.json`` still describes every file exactly (``store/listing.py``
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
import itertools
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from netjournal.store import fulltext, listing
from netjournal.store.scan import STATE
from netjournal.vocab import entry_id, reflection_wanted


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
    with _gc_paused():
        current = listing.read_if_current(root, listing.SCHEMA)
        if current is None or (contact is not None and contact not in current.contacts):
            return None
        rows = (row for row in current.reflection_rows()
                if reflection_wanted(row[5], row[3], row[2], row[7], contact=contact, kind_filter=kind,
                                     since=since, until=until, tag=tag))
        return [ReflectionRow(*row) for row in itertools.islice(rows, limit or None)]


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
    current = listing.read_if_current(root, listing.SCHEMA)
    if current is None:
        return None
    words = fulltext.query_words(query)
    if not words:
        return []
    cached, found = fulltext.search_files(root / STATE / fulltext.FOLDER, words)
    wanted = dict(zip(current.paths, current.shas))  # "" for a file with a problem
    if cached != wanted and any(sha and cached.get(path) != sha for path, sha in wanted.items()):
        return None  # the journal reads those files and repairs the cache
    names = {path: name for path, name in current.contacts.values()}
    dated: dict[str, Any] | None = None  # path → listing row, made at the first reflection
    candidates = []
    for m in found:
        if not m.sha or wanted.get(m.path) != m.sha:
            continue
        if m.path in names:
            title, date = names[m.path], None
        else:
            if dated is None:
                dated = {row[0]: row for row in current.reflection_rows()}
            if m.path not in dated:
                return None  # a listing that contradicts itself: let the journal answer
            title, date = dated[m.path][1], dated[m.path][2]
        candidates.append(fulltext.candidate(m.score, m.path, title, date, m))
    return fulltext.top(candidates, words, limit)
