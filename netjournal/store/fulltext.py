"""A derived full-text cache beside the index, so search never walks the files.

Texts live in 128 shards, ``.netjournal/fulltext/NN.txt``, chosen by a hash of the
path, so that saving one entry rewrites about 1/128 of the cache.  A shard is UTF-8:

    netjournal-fulltext 2 <shard>/<shards> <bytes of each of the four parts>
    <the entries' paths, one per line>
    \\x1d<their sha256s, one per line>
    \\x1d<their texts, lower-cased, joined by \\x1e>
    \\x1d<the same texts as written, joined by \\x1e>

The header names the shard and the byte length of each part, so a shard from another
shard count, a truncated one or one with a part that grew or shrank reads as empty.

Search looks for each lower-cased word in the lower-cased section with plain
substring finds: nothing to lower-case while the user waits (JSON decoding and
``str.lower`` were most of a search's cost).  In a shard with a hit, the lower-cased
texts are split and each one with every word is scored on its bytes, undecoded
(``_score``); a search keeps the best ``limit`` of those (``top``) and decodes the
texts as written only of the hits it returns, for their snippets.  A word in nearly
every entry so costs one cheap score per entry, not a snippet per entry.  The
separators (``\\x1c``–``\\x1f``) are turned into spaces in cached texts, and a path
that contains one or a line break is not cached at all.

An entry whose hash does not match the index is read again from its file, so a
stale, damaged or deleted cache only costs time, never results.  This module imports
no more than the standard library: the command line's quick path searches with it.
"""

from __future__ import annotations

import codecs
import heapq
import itertools
import mmap
import operator
import os
import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path
    from typing import AnyStr, ContextManager, NamedTuple

    Folder = str | os.PathLike[str]  # the quick path names folders with str: no pathlib
else:
    from netjournal.named import NamedTuple  # typing's, without importing typing (~3 ms)

SHARDS = 128  # a save rewrites one shard: ~1/128 of the cache
FOLDER = "fulltext"
MAGIC = "netjournal-fulltext 2"
GROUP, RECORD = "\x1d", "\x1e"
_SEPARATORS = str.maketrans({"\x1c": " ", "\x1d": " ", "\x1e": " ", "\x1f": " "})
_UNCACHEABLE = frozenset("\x1c\x1d\x1e\x1f\n\r")


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


def cacheable(path: str) -> bool:
    # printable text has none of them: one check in C for nearly every path
    return path.isprintable() or not _UNCACHEABLE.intersection(path)


class Shard:
    """One shard as read: the file's bytes (or the file mapped into memory), where its
    parts are in them, and its paths and hashes (decoded when first asked for: a
    search that finds the shard as the listing says it should be never decodes them,
    ``search_listed``).  The texts are decoded only when a search has a hit here."""

    __slots__ = ("number", "data", "head_at", "lower_at", "raw_at", "_paths", "_shas")

    def __init__(self, number: int, data: bytes | mmap.mmap, head_at: tuple[int, int], lower_at: tuple[int, int],
                 raw_at: tuple[int, int], paths: list[str] | None = None, shas: list[str] | None = None) -> None:
        self.number = number  # which of the SHARDS
        self.data = data
        self.head_at = head_at  # the paths and the hashes, with the separator between them
        self.lower_at = lower_at
        self.raw_at = raw_at
        self._paths, self._shas = paths, shas

    @property
    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths, self._shas = _split_head(self.data, self.head_at) or ([], [])
        return self._paths

    @property
    def shas(self) -> list[str]:
        if self._shas is None:
            self.paths  # noqa: B018  (decodes both)
        return self._shas  # type: ignore[return-value]

    def head(self) -> bytes:
        """The paths and hashes as written (``head``): b"" for a shard with none."""
        start, stop = self.head_at
        return self.data[start:stop]

    def raw_ok(self) -> bool:
        """Whether the texts as written are one per path and UTF-8, so that a text
        shown always decodes (checked before any is shown)."""
        start, stop = self.raw_at
        try:
            raw, _ = codecs.utf_8_decode(memoryview(self.data)[start:stop], "strict", True)
        except UnicodeDecodeError:
            return False
        return raw.count(RECORD) == len(self.paths) - 1

    def has_all(self, words: list[bytes]) -> bool:
        """Whether every (lower-cased, UTF-8) word is somewhere in the lower-cased texts."""
        start, stop = self.lower_at
        return all(self.data.find(word, start, stop) >= 0 for word in words)

    def texts(self) -> list[str] | None:
        return self._split(self.raw_at)

    def text(self, index: int) -> str:
        """The text as written of the ``index``-th path (the shard's texts as written
        are known to be one per path and UTF-8: ``search_shards`` checks)."""
        data, (start, stop) = self.data, self.raw_at
        for _ in range(index):
            start = data.find(b"\x1e", start, stop) + 1
        end = data.find(b"\x1e", start, stop)
        return data[start:stop if end < 0 else end].decode("utf-8")

    def _split(self, at: tuple[int, int]) -> list[str] | None:
        """The texts of one part; None when they do not match the paths one for one."""
        if not self.paths:
            return []
        try:
            texts = self.data[at[0]:at[1]].decode("utf-8").split(RECORD)
        except UnicodeDecodeError:
            return None
        return texts if len(texts) == len(self.paths) else None

    def entries(self) -> dict[str, tuple[str, str]]:
        """path → (sha256, text as written); nothing from a shard whose parts are out
        of step."""
        texts = self.texts()
        if texts is None:
            return {}
        return dict(zip(self.paths, zip(self.shas, texts)))


EMPTY = Shard(-1, b"", (0, 0), (0, 0), (0, 0), [], [])


def head(paths: list[str], shas: list[str]) -> bytes:
    """A shard's paths and hashes as its file holds them (its first two parts and the
    separator between them), the paths in order: what ``encode`` writes, and what the
    listing says each shard should hold (``search_listed``)."""
    return "\n".join(paths).encode("utf-8") + GROUP.encode() + "\n".join(shas).encode("utf-8")


def _split_head(data: bytes | mmap.mmap, at: tuple[int, int]) -> tuple[list[str], list[str]] | None:
    """(paths, hashes) of a shard's first two parts; None when they are not UTF-8 or
    not one hash per path."""
    try:
        paths, _, shas = data[at[0]:at[1]].decode("utf-8").partition(GROUP)
    except UnicodeDecodeError:
        return None
    path_list, sha_list = paths.split("\n"), shas.split("\n")
    return (path_list, sha_list) if paths and len(path_list) == len(sha_list) else None


def encode(entries: dict[str, tuple[str, str]], shard: int, shards: int = SHARDS) -> bytes:
    """A shard file's bytes for path → (sha256, text)."""
    rows = sorted((path, sha, text.translate(_SEPARATORS)) for path, (sha, text) in entries.items()
                  if cacheable(path) and cacheable(sha))  # in path order: see ``head``
    texts = RECORD.join(text for _, _, text in rows)
    first = head([path for path, _, _ in rows], [sha for _, sha, _ in rows])
    encoded = [part.encode("utf-8") for part in (texts.lower(), texts)]
    paths_length = first.index(b"\x1d")
    lengths = [paths_length, len(first) - paths_length - 1, *map(len, encoded)]
    header = f"{MAGIC} {shard}/{shards} {' '.join(str(length) for length in lengths)}\n".encode()
    return header + b"\x1d".join([first, *encoded])


def _header(raw: bytes, shard: int) -> tuple[int, list[int]] | None:
    """(where the header line ends, the byte length of each of the four parts), or
    None when ``raw`` does not start with this shard's header."""
    end = raw.find(b"\n", 0, 200)
    try:
        magic, version, where, *sizes = raw[:end].decode("ascii").split(" ")
        lengths = [int(size) for size in sizes]
    except ValueError:
        return None
    if f"{magic} {version}" != MAGIC or where != f"{shard}/{SHARDS}" or len(lengths) != 4 or min(lengths) < 0:
        return None
    return end, lengths


def decode(raw: bytes | mmap.mmap, shard: int, *, lazy: bool = False) -> Shard:
    """A shard from its file's bytes (or the file mapped); anything malformed reads as
    an empty shard (its entries are then read from their files again).  ``lazy``: the
    paths and hashes are decoded (and checked) only when asked for."""
    header = _header(raw, shard)
    if header is None:
        return EMPTY
    end, lengths = header
    bounds = []
    at = end + 1
    for length in lengths:
        bounds.append((at, at + length))
        if len(bounds) < 4 and raw[at + length:at + length + 1] != b"\x1d":
            return EMPTY
        at += length + 1
    if at - 1 != len(raw) or lengths[0] == 0:
        return EMPTY  # cut short or grown, or no entries: the same to a reader
    head_at = (bounds[0][0], bounds[1][1])
    if lazy:
        return Shard(shard, raw, head_at, bounds[2], bounds[3])
    split = _split_head(raw, head_at)
    if split is None:
        return EMPTY
    return Shard(shard, raw, head_at, bounds[2], bounds[3], *split)


PHRASE_POINTS, TITLE_POINTS = 10, 5


def query_words(query: str) -> list[str]:
    """The lower-cased words of a query; an entry matches when it has every one."""
    return [word for word in query.lower().split() if word]


def score(lower: str, words: list[str]) -> int:
    """How high a matching text ranks (``lower`` has every word): its title (first
    line) counts more than its body, the whole phrase more than scattered words."""
    return _score(lower, words, " ".join(words), "\n")


def _score(lower: AnyStr, words: list[AnyStr], phrase: AnyStr, newline: AnyStr) -> int:
    """``score``, for str or for UTF-8 bytes (the cache's lower-cased texts are scored
    without decoding them: UTF-8 keeps substrings substrings, so the score is the
    same), with the phrase and the newline made once per search."""
    head = lower.find(newline)
    if head < 0:
        head = len(lower)
    points = len(words) + (PHRASE_POINTS if phrase in lower else 0)  # a point for each word: all are there
    for word in words:
        if lower.find(word, 0, head) >= 0:  # more for each in the title
            points += TITLE_POINTS
    return points


def snippet(body: str, words: list[str], width: int = 80) -> str:
    """A one-line piece of ``body`` around the first matching word."""
    lower = body.lower()
    positions = [lower.find(w) for w in words if lower.find(w) >= 0]
    if not positions:
        return " ".join(body.split())[:width]
    first = min(positions)
    start = max(first - width // 3, 0)
    if start and not body[start - 1].isspace():  # begin at a word, not in the middle of one
        spaces = [at for at in (body.find(" ", start, first), body.find("\n", start, first)) if at >= 0]
        start = min(spaces) + 1 if spaces else first
    piece = " ".join(body[start: start + width * 2].split())
    return ("…" if start else "") + piece[:width]


class SearchHit(NamedTuple):
    path: str
    kind: str  # "contact" | "reflection"
    title: str
    date: str | None  # None for a contact
    snippet: str
    score: int


class Match(NamedTuple):
    """A cached text with every word of a search, scored; its text as written is
    decoded only if it is shown (``text``)."""

    path: str
    sha: str
    score: int
    shard: Shard
    index: int  # among the shard's texts

    @property
    def text(self) -> str:
        return self.shard.text(self.index)


class Candidate(NamedTuple):
    """A matching entry as ranked: the first three fields are the order."""

    score: int
    day: str  # the date, "" for a contact: on a tie the newer entry first
    path: str
    title: str  # a contact's name or a reflection's title
    date: str | None  # None for a contact
    text: str | Match  # the text as written, or where to decode it from


_ORDER = operator.itemgetter(0, 1, 2)
_new = tuple.__new__  # a named tuple made without its Python-level __new__: one per hit


def candidate(score: int, path: str, title: str, date: str | None, text: str | Match) -> Candidate:
    return _new(Candidate, (score, date or "", path, title, date, text))


def top(candidates: Iterable[Candidate], words: list[str], limit: int, *, snippets: bool = True) -> list[SearchHit]:
    """The best ``limit`` candidates (0: all) as hits, highest score first; on a tie
    the newer entry, then by path (contacts, with no date, after reflections).  Only
    the hits returned get a snippet (and their text decoded); none with
    ``snippets=False`` (a list that shows no snippet: its snippets are "")."""
    best = heapq.nlargest(limit, candidates, key=_ORDER) if limit > 0 else sorted(
        candidates, key=_ORDER, reverse=True)
    hits = []
    for c in best:
        found = ""
        if snippets:
            text = c.text if isinstance(c.text, str) else c.text.text
            found = snippet(text.partition("\n")[2], words)
        hits.append(SearchHit(c.path, "contact" if c.date is None else "reflection", c.title, c.date,
                              found, c.score))
    return hits


def read_shard(folder: Folder, shard: int) -> Shard:
    try:
        with open(os.path.join(folder, f"{shard:02d}.txt"), "rb") as handle:
            return decode(handle.read(), shard)
    except OSError:
        return EMPTY


def search_shards(shards: Iterable[Shard], words: list[str], *,
                  texts_checked: bool = True) -> tuple[dict[str, str], list[Match]]:
    """(the sha256 of every cached path, the cached texts that contain every word,
    scored).

    A shard whose texts are not one per path is left out (as if not cached: its
    files are read again).  ``texts_checked=False`` leaves the check of the texts as
    written to the caller, for the few shards whose hits it shows (``texts_ok``):
    that is half of every shard a common word is in."""
    shas: dict[str, str] = {}
    found: list[Match] = []
    encoded = [word.encode("utf-8") for word in words]
    for shard in shards:
        shas.update(zip(shard.paths, shard.shas))
        if not words or not shard.has_all(encoded):
            continue  # most shards, for a rare phrase: one find per word, nothing split
        hits = _hits(shard, encoded)
        if hits is None or (texts_checked and not shard.raw_ok()):
            for path in shard.paths:  # damaged: as if not cached, so its files are read
                shas.pop(path, None)
            continue
        found.extend(hits)
    return shas, found


def texts_ok(shown: Iterable[Candidate]) -> bool:
    """Whether the texts as written of these hits' shards are sound (after
    ``search_files``, before their snippets are made)."""
    shards = {id(c.text.shard): c.text.shard for c in shown if isinstance(c.text, Match)}
    return all(shard.raw_ok() for shard in shards.values())


def _hits(shard: Shard, encoded: list[bytes]) -> list[Match] | None:
    """The shard's texts with every word, scored on their lower-cased bytes; None if
    its lower-cased texts are not one per path."""
    scored = _scored(shard, encoded, len(shard.paths))
    if scored is None:
        return None
    return [match(shard, index, score) for index, score in zip(*scored)]


def match(shard: Shard, index: int, score: int) -> Match:
    """The ``index``-th text of ``shard``, scored (its path and hash decoded)."""
    return _new(Match, (shard.paths[index], shard.shas[index], score, shard, index))


def _scored(shard: Shard, encoded: list[bytes], count: int) -> tuple[list[int], list[int]] | None:
    """Where among the shard's texts those with every word are, and their scores, on
    their lower-cased bytes (nothing made per text but the split, nothing decoded);
    None if its lower-cased texts are not ``count``, one per path."""
    data, (low_start, low_stop) = shard.data, shard.lower_at
    lowers = data[low_start:low_stop].split(b"\x1e")
    if len(lowers) != count:
        return None
    probe = max(encoded, key=len)  # the longest word: likely the rarest
    others = list(encoded)
    others.remove(probe)
    if not others:  # one word, the usual search: ``_score`` inline (the word is the phrase too)
        found = list(map(bytes.find, lowers, itertools.repeat(probe)))  # a map: no Python step per text
        heads = list(map(bytes.find, lowers, itertools.repeat(b"\n")))  # where each title ends (-1: no body)
        places = [i for i, at in enumerate(found) if at >= 0]
        in_body, in_title = 1 + PHRASE_POINTS, 1 + PHRASE_POINTS + TITLE_POINTS
        # in the title when its first place is before the first line break (a word has none)
        return places, [in_title if heads[i] < 0 or found[i] < heads[i] else in_body for i in places]
    phrase = b" ".join(encoded)
    places = [i for i, lower in enumerate(lowers) if probe in lower and all(word in lower for word in others)]
    return places, [_score(lowers[i], encoded, phrase, b"\n") for i in places]


def search_files(folder: Folder, words: list[str]) -> tuple[dict[str, str], list[Match]]:
    """``search_shards`` over the shard files in ``folder``, each mapped into memory
    rather than read (a rare word looks at the lower-cased texts alone, and nothing is
    copied but the texts of shards with a hit), the texts as written left for
    ``texts_ok`` to check."""
    return search_shards(map(_mapped, range(SHARDS), itertools.repeat(folder)), words, texts_checked=False)


def search_listed(folder: Folder, words: list[str], heads: Callable[[int], bytes],
                  sizes: Callable[[int], int]) -> list[tuple[Shard, list[int], list[int]]] | None:
    """For each shard with a hit: (the shard, where its texts with every word are,
    their scores), if every shard holds exactly the paths and hashes ``heads`` says it
    should (``head``: compared as bytes, so that nothing is decoded; ``sizes``: how
    many); None as soon as one does not -- the caller then compares entry by entry
    (``search_files``).  The caller makes a ``match`` of the few it shows; the texts
    as written are left to ``texts_ok``, as there."""
    encoded = [word.encode("utf-8") for word in words]
    found: list[tuple[Shard, list[int], list[int]]] = []
    for number in range(SHARDS):
        shard = _mapped(number, folder, lazy=True)
        if shard.head() != heads(number):
            return None
        if shard.has_all(encoded):
            scored = _scored(shard, encoded, sizes(number))
            if scored is None:
                return None
            if scored[0]:
                found.append((shard, *scored))
    return found


def _mapped(shard: int, folder: Folder, *, lazy: bool = False) -> Shard:
    """A shard file mapped into memory: an atomic write replaces the file, so what is
    mapped stays as it was read while the search looks at it."""
    try:
        fd = os.open(os.path.join(folder, f"{shard:02d}.txt"), _READ)
    except OSError:
        return EMPTY
    try:
        data = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # an empty file (which cannot be mapped)
        return EMPTY
    finally:
        os.close(fd)
    return decode(data, shard, lazy=lazy)


_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


class FullText:
    def __init__(self, state: Path, lock: ContextManager[object] | None = None) -> None:
        import contextlib  # here: the quick path searches without it

        self.folder = state / FOLDER
        self.lock = lock or contextlib.nullcontext()
        self._shards: dict[int, Shard] = {}

    def _file(self, shard: int) -> Path:
        return self.folder / f"{shard:02d}.txt"

    def _shard(self, shard: int) -> Shard:
        if shard not in self._shards:
            self._shards[shard] = read_shard(self.folder, shard)
        return self._shards[shard]

    def search(self, words: list[str]) -> tuple[dict[str, str], list[Match]]:
        """(path → sha256 of every cached text, the cached texts with every word)."""
        return search_shards((self._shard(i) for i in range(SHARDS)), words)

    def all(self) -> dict[str, tuple[str, str]]:
        """Every cached text: path → (sha256, text)."""
        merged: dict[str, tuple[str, str]] = {}
        for shard in range(SHARDS):
            merged.update(self._shard(shard).entries())
        return merged

    def update(self, texts: Iterable[tuple[str, str, str | None]], *, replace_all: bool = False) -> None:
        """Store (path, sha256, text) triples; a None text removes the path.

        Under the journal lock, each shard is read afresh before it is changed, so
        that another process's entries in it are kept."""
        with self.lock:
            self._update(list(texts), replace_all)

    def _update(self, texts: list[tuple[str, str, str | None]], replace_all: bool) -> None:
        from netjournal.store.files import ensure_dir, write_cache_file

        ensure_dir(self.folder)
        changed: dict[int, dict[str, tuple[str, str]]] = {}
        if replace_all:
            changed = {shard: {} for shard in range(SHARDS)}
            self._remove_old_format()
        for path, sha, text in texts:
            shard = shard_of(path)
            if shard not in changed:
                changed[shard] = read_shard(self.folder, shard).entries()
            if text is None or not cacheable(path):
                changed[shard].pop(path, None)
            else:
                changed[shard][path] = (sha, text)
        for shard, entries in changed.items():
            payload = encode(entries, shard)
            write_cache_file(self._file(shard), payload)
            self._shards[shard] = decode(payload, shard)

    def _remove_old_format(self) -> None:
        """The JSON shards of netjournal 0.1 (``NN.json``): a cache nothing reads now."""
        try:
            names = [e.name for e in os.scandir(self.folder) if e.name.endswith(".json") and e.is_file()]
        except OSError:
            return
        for name in names:
            try:
                os.unlink(self.folder / name)
            except OSError:
                pass
