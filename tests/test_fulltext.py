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


@pytest.mark.parametrize("few", [0, 1000], ids=["split-whole-shards", "around-each-occurrence"])
@settings(max_examples=150, deadline=None)
@given(stored=entries, query=queries)
def test_search_finds_exactly_what_a_scan_finds(stored: dict[str, tuple[str, str]], query: str, few: int) -> None:
    fulltext.FEW, old = few, fulltext.FEW
    try:
        shard = fulltext.decode(fulltext.encode(stored, 7), 7)
        words = fulltext.query_words(query)
        shas, found = fulltext.search_shards([shard], words)
    finally:
        fulltext.FEW = old
    assert shas == {path: sha for path, (sha, _) in stored.items()}
    assert {m.path for m in found} == brute_force(stored, words)
    for m in found:
        assert m.sha == stored[m.path][0]
        assert m.text == stored[m.path][1].translate(fulltext._SEPARATORS)
        assert m.lower == m.text.lower()


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


@pytest.mark.parametrize("few", [0, 1000])
@settings(max_examples=60, deadline=None)
@given(stored=entries, query=queries)
def test_searching_the_files_finds_what_searching_whole_shards_finds(
        tmp_path_factory: pytest.TempPathFactory, stored: dict[str, tuple[str, str]], query: str, few: int) -> None:
    folder = tmp_path_factory.mktemp("fulltext")
    by_shard: dict[int, dict[str, tuple[str, str]]] = {}
    for path, entry in stored.items():
        by_shard.setdefault(fulltext.shard_of(path), {})[path] = entry
    for shard, shard_entries in by_shard.items():
        (folder / f"{shard:02d}.txt").write_bytes(fulltext.encode(shard_entries, shard))
    words = fulltext.query_words(query)
    fulltext.FEW, old = few, fulltext.FEW
    try:
        expected = fulltext.search_shards([fulltext.read_shard(folder, i) for i in range(fulltext.SHARDS)], words)
        assert fulltext.search_files(folder, words) == expected
    finally:
        fulltext.FEW = old


def test_a_shard_cut_short_after_its_lower_cased_texts_is_not_trusted(tmp_path: Path) -> None:
    stored = {"reflections/2026/a.md": ("0" * 64, "Title\n" + "mixer words " * 40)}
    shard = fulltext.shard_of("reflections/2026/a.md")
    raw = fulltext.encode(stored, shard)
    (tmp_path / f"{shard:02d}.txt").write_bytes(raw[:-10])  # the texts as written, truncated
    shas, found = fulltext.search_files(tmp_path, ["mixer"])
    assert found == [] and shas == {}


@pytest.mark.parametrize("body, expected", [
    ("Talked about the quarterly alumni mixer.", "…about the quarterly alumni mixer."),
    ("alumni at the start", "alumni at the start"),
    ("x" * 100 + "alumni", "…alumni"),  # no word boundary before it: start at the match
    ("Line one\nline two about alumni", "Line one line two about alumni"),  # one line, whole
])
def test_a_snippet_starts_at_a_word(body: str, expected: str) -> None:
    assert fulltext.snippet(body, ["alumni"]) == expected
