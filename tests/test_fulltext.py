"""The full-text cache's shard format and search (netjournal/store/fulltext.py):
whatever the texts, a search finds exactly the entries a plain scan would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal.store import fulltext

WORDS = ["mixer", "alumni", "Ærø", "straße", "İstanbul", "the", "a", "x\u0301", "日本"]
texts = st.lists(st.sampled_from(WORDS + [" ", "\n", ".", "\x1e", "\x1f", "\x1d"]), max_size=30).map("".join)
entries = st.dictionaries(
    st.from_regex(r"reflections/2026/[a-z0-9-]{1,12}\.md", fullmatch=True),
    st.tuples(st.text("0123456789abcdef", min_size=64, max_size=64), texts),
    max_size=12,
)
queries = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


def brute_force(stored: dict[str, tuple[str, str]], words: list[str]) -> set[str]:
    return {path for path, (_, text) in stored.items()
            if all(w in text.translate(fulltext._SEPARATORS).lower() for w in words)}


def full_score(lower: str, words: list[str]) -> int:
    """The score as netjournal has always defined it, on the decoded lower-cased text:
    the phrase 10, each word in the title (first line) 5, each word 1."""
    phrase = " ".join(words)
    head_lower = lower.partition("\n")[0]
    return (10 if phrase in lower else 0) + sum(5 for w in words if w in head_lower) + sum(
        1 for w in words if w in lower)


def full_ranking(stored: dict[str, tuple[str, str]], dates: dict[str, str | None],
                 words: list[str]) -> list[fulltext.SearchHit]:
    """Every matching entry scored and given a snippet, then all of them sorted: what
    a search did before it kept only its top hits."""
    hits = []
    for path, (_, text) in stored.items():
        text = text.translate(fulltext._SEPARATORS)
        lower = text.lower()
        if all(w in lower for w in words):
            date = dates[path]
            hits.append(fulltext.SearchHit(path, "contact" if date is None else "reflection", f"title of {path}",
                                           date, fulltext.snippet(text.partition("\n")[2], words),
                                           full_score(lower, words)))
    return sorted(hits, key=lambda h: (h.score, h.date or "", h.path), reverse=True)


def write_shards(folder: Path, stored: dict[str, tuple[str, str]]) -> None:
    by_shard: dict[int, dict[str, tuple[str, str]]] = {}
    for path, entry in stored.items():
        by_shard.setdefault(fulltext.shard_of(path), {})[path] = entry
    for shard, shard_entries in by_shard.items():
        (folder / f"{shard:02d}.txt").write_bytes(fulltext.encode(shard_entries, shard))


@settings(max_examples=150, deadline=None)
@given(stored=entries, query=queries)
def test_search_finds_exactly_what_a_scan_finds(stored: dict[str, tuple[str, str]], query: str) -> None:
    shard = fulltext.decode(fulltext.encode(stored, 7), 7)
    words = fulltext.query_words(query)
    shas, found = fulltext.search_shards([shard], words)
    assert shas == {path: sha for path, (sha, _) in stored.items()}
    assert {m.path for m in found} == brute_force(stored, words)
    for m in found:
        assert m.sha == stored[m.path][0]
        assert m.text == stored[m.path][1].translate(fulltext._SEPARATORS)
        assert m.score == full_score(m.text.lower(), words)


@given(stored=entries)
@settings(max_examples=100, deadline=None)
def test_a_shard_reads_back_as_written(stored: dict[str, tuple[str, str]]) -> None:
    shard = fulltext.decode(fulltext.encode(stored, 3), 3)
    assert shard.entries() == {p: (sha, text.translate(fulltext._SEPARATORS)) for p, (sha, text) in stored.items()}
    assert fulltext.decode(fulltext.encode(stored, 3), 4) == fulltext.EMPTY  # another shard's file


@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_a_search(raw: bytes) -> None:
    shard = fulltext.decode(b"netjournal-fulltext 2 1/128 " + raw, 1)
    fulltext.search_shards([shard], ["a"])
    shard.entries()


def test_paths_that_cannot_be_cached_are_left_out() -> None:
    stored = {"a\nb.md": ("0" * 64, "text"), "ok.md": ("1" * 64, "text")}
    shard = fulltext.decode(fulltext.encode(stored, 0), 0)
    assert shard.paths == ["ok.md"]


@settings(max_examples=60, deadline=None)
@given(stored=entries, query=queries)
def test_searching_the_files_finds_what_searching_whole_shards_finds(
        tmp_path_factory: pytest.TempPathFactory, stored: dict[str, tuple[str, str]], query: str) -> None:
    folder = tmp_path_factory.mktemp("fulltext")
    write_shards(folder, stored)
    words = fulltext.query_words(query)
    expected = fulltext.search_shards([fulltext.read_shard(folder, i) for i in range(fulltext.SHARDS)], words)
    got = fulltext.search_files(folder, words)

    def seen(found: list[fulltext.Match]) -> list[tuple[str, str, int, int, str]]:
        # the shards themselves differ: whole bytes in one, the file mapped in the other
        return [(m.path, m.sha, m.score, m.index, m.text) for m in found]

    assert got[0] == expected[0] and seen(got[1]) == seen(expected[1])


@settings(max_examples=60, deadline=None)
@given(stored=entries, query=queries)
def test_shards_as_listed_are_searched_without_their_hashes_decoded(
        tmp_path_factory: pytest.TempPathFactory, stored: dict[str, tuple[str, str]], query: str) -> None:
    """When every shard holds what the listing says (its paths and hashes, as bytes),
    the search finds what the entry-by-entry one finds; any other shard, and it says so."""
    folder = tmp_path_factory.mktemp("fulltext")
    write_shards(folder, stored)
    by_shard: dict[int, list[tuple[str, str]]] = {}
    for path, (sha, _) in sorted(stored.items()):
        by_shard.setdefault(fulltext.shard_of(path), []).append((path, sha))

    def heads(number: int) -> bytes:
        members = by_shard.get(number, [])
        return fulltext.head([p for p, _ in members], [s for _, s in members]) if members else b""

    def sizes(number: int) -> int:
        return len(by_shard.get(number, []))

    words = fulltext.query_words(query)
    listed = fulltext.search_listed(folder, words, heads, sizes)
    assert listed is not None
    assert all(shard._paths is None for shard, _, _ in listed)  # nothing decoded until a match is made
    _, found = fulltext.search_files(folder, words)
    assert [(m.path, m.sha, m.score, m.index, m.text) for m in (
        fulltext.match(shard, place, score) for shard, places, scores in listed
        for place, score in zip(places, scores))] == [(m.path, m.sha, m.score, m.index, m.text) for m in found]
    if stored:
        assert fulltext.search_listed(folder, words, lambda n: heads(n) + b"x", sizes) is None


def test_a_shard_cut_short_after_its_lower_cased_texts_is_not_trusted(tmp_path: Path) -> None:
    stored = {"reflections/2026/a.md": ("0" * 64, "Title\n" + "mixer words " * 40)}
    shard = fulltext.shard_of("reflections/2026/a.md")
    raw = fulltext.encode(stored, shard)
    (tmp_path / f"{shard:02d}.txt").write_bytes(raw[:-10])  # the texts as written, truncated
    shas, found = fulltext.search_files(tmp_path, ["mixer"])
    assert found == [] and shas == {}


def test_a_shard_whose_texts_as_written_are_damaged_is_not_shown(tmp_path: Path) -> None:
    """The texts as written are checked in a whole shard before it is searched, and
    through the files (``search_files``) before any of its hits is shown."""
    path = "reflections/2026/a.md"
    shard = fulltext.shard_of(path)
    raw = fulltext.encode({path: ("0" * 64, "Title\nmixer words")}, shard)
    damaged = raw[:-5] + b"\xff" + raw[-4:]  # the same length, no longer UTF-8
    assert fulltext.search_shards([fulltext.decode(damaged, shard)], ["mixer"]) == ({}, [])
    (tmp_path / f"{shard:02d}.txt").write_bytes(damaged)
    shas, found = fulltext.search_files(tmp_path, ["mixer"])
    assert [m.path for m in found] == [path]  # scored on the lower-cased texts ...
    shown = [fulltext.candidate(m.score, m.path, "Title", "2026-01-01", m) for m in found]
    assert not fulltext.texts_ok(shown)  # ... but never shown
    (tmp_path / f"{shard:02d}.txt").write_bytes(raw)
    assert fulltext.texts_ok([fulltext.candidate(m.score, m.path, "Title", "2026-01-01", m)
                              for m in fulltext.search_files(tmp_path, ["mixer"])[1]])


@pytest.mark.parametrize("body, expected", [
    ("Talked about the quarterly alumni mixer.", "…about the quarterly alumni mixer."),
    ("alumni at the start", "alumni at the start"),
    ("x" * 100 + "alumni", "…alumni"),  # no word boundary before it: start at the match
    ("Line one\nline two about alumni", "Line one line two about alumni"),  # one line, whole
])
def test_a_snippet_starts_at_a_word(body: str, expected: str) -> None:
    assert fulltext.snippet(body, ["alumni"]) == expected


# A few words, so that most texts match and many share a score and a date: ties.
TIE_WORDS = ["the", "mixer", "Ærø", "The mixer"]
tie_texts = st.lists(st.sampled_from(TIE_WORDS + [" ", "\n", "x"]), max_size=12).map("".join)
tie_entries = st.dictionaries(
    st.from_regex(r"(contacts|reflections/2026)/[a-c]{1,3}\.md", fullmatch=True),
    st.tuples(st.text("0123456789abcdef", min_size=64, max_size=64), tie_texts),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(stored=tie_entries, query=st.lists(st.sampled_from(["the", "mixer", "ærø", "x"]), min_size=1, max_size=2),
       limit=st.integers(0, 8), days=st.lists(st.sampled_from(["2026-01-01", "2026-01-02"]), min_size=25,
                                               max_size=25))
def test_the_top_hits_are_the_first_of_the_full_ranking(
        tmp_path_factory: pytest.TempPathFactory, stored: dict[str, tuple[str, str]], query: list[str],
        limit: int, days: list[str]) -> None:
    # Cheap scores on the cache's bytes and a heap of the best `limit` give exactly
    # the first `limit` hits of the full ranking (scores, snippets, and ties: newer
    # first, then by path), through the cache files as the quick path reads them.
    dates = {path: None if path.startswith("contacts/") else day for path, day in zip(sorted(stored), days)}
    words = fulltext.query_words(" ".join(query))
    folder = tmp_path_factory.mktemp("fulltext")
    write_shards(folder, stored)
    _, found = fulltext.search_files(folder, words)
    candidates = [fulltext.candidate(m.score, m.path, f"title of {m.path}", dates[m.path], m) for m in found]
    expected = full_ranking(stored, dates, words)
    assert fulltext.top(candidates, words, limit) == (expected[:limit] if limit else expected)
    assert fulltext.top(candidates, words, 0) == expected
