"""Hostile input, fuzzed: arbitrary bytes (invalid UTF-8, NULs, stray fences) and
structured near-miss YAML front matter.  The only outcomes of reading a file are
a Document / an entry, or a FrontMatterError / a problem record -- never another
exception -- and whatever is read can go into the index as plain JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.model import Problem
from netjournal.store import frontmatter
from netjournal.store.entries import LoadedEntry, load
from netjournal.store.index import plain_json

# Per strategy.  CI runs 300 of each, always the same ones (derandomize); for a
# deeper hunt: TRUST_FUZZ_EXAMPLES=5000 TRUST_FUZZ_RANDOM=1 pytest tests/trust/test_fuzz.py
EXAMPLES = int(os.environ.get("TRUST_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("TRUST_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# ------------------------------------------------------------------ strategies

KEYS = ["name", "org", "title", "date", "kind", "contacts", "tags", "steps", "cadence", "why",
        "offer", "follow_up", "archived", "connect", "note", "on", "No", "null", "~", "1", "1e3",
        "2024-02-30", "<<", "? a", "[a, b]", "{a: 1}", "&a k", "*a", "!!str k", '"q"', "'q'",
        "-", "- k", "", "é", "\u202e", "\x1b[31m", "key with spaces", "#c", "%TAG", "@k", "`k"]
SCALARS = ["No", "yes", "on", "~", "null", "1e3", "0o17", "0x1F", "1_000", "12:30:00", ".inf",
           "-.inf", ".nan", "2024-02-30", "2026-11-20", "2026-11-20T10:00:00", "2026-13-01",
           "9999-99-99", "2026-11-20 10:00", "true", "'unterminated", '"bad \\q escape"',
           "[", "]", "{", "}", "[a, b", "{date: 2026-01-01, note: x}", "{date: 2024-02-30}",
           "[2026-01-01, x]", "|", ">", "|-\n  block", "&a x", "*a", "!!binary aGVsbG8=",
           "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2024-13-01", "!!float abc", "!!int x",
           "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom x",
           "%YAML 1.1", "---", "...", "- a", "-", "? x", ": x", "@x", "`x", "#x", "a # b",
           "\t", "x\ty", "\x1b]0;pwned\x07", "\u0085", "\u2028", "\ud7ff", "\ufeff",
           "[[[[[[[[[[]]]]]]]]]]", "x" * 300, "-1", "0", "1.5", "2026-11-20:"]
INDENTS = ["", " ", "  ", "    ", "\t", " \t", "\t "]
SEPARATORS = [": ", ":", " : ", ":\t", ":  ", " "]
NEWLINES = ["\n", "\r\n", "\r"]
OPEN_FENCES = ["---\n", "---\r\n", "--- \n", "---\t\n", "----\n", "\ufeff---\n", "\n---\n", "---"]
CLOSE_FENCES = ["---\n", "...\n", "---", "--- \n", "---\r\n", "", "-- -\n", "...\r\n"]
BODIES = ["", "Body\n", "---\nnot front matter\n---\n", "[[ada]] and `[[code]]`\n",
          "\x00binary", "\x1b[2J\x1b]52;c;cHdu\x07", "```\n---\n```\n", "\r\n\r\n", "\ud800"]


def _mostly(common: list[str], rare: list[str]) -> st.SearchStrategy[str]:
    """One of ``common`` four times out of five, else one of ``rare``."""
    return st.integers(0, 4).flatmap(lambda i: st.sampled_from(rare if i == 0 else common))


@st.composite
def near_miss_yaml(draw: st.DrawFn) -> bytes:
    nl = draw(_mostly(["\n"], ["\r\n", "\r"]))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        indent = draw(_mostly([""], INDENTS))
        key = draw(_mostly(KEYS[:13], KEYS))
        sep = draw(_mostly([": "], SEPARATORS))
        value = draw(st.text(max_size=30)) if draw(st.integers(0, 5)) == 0 else draw(st.sampled_from(SCALARS))
        lines.append(f"{indent}{key}{sep}{value}")
        if draw(st.integers(0, 3)) == 0:  # a nested mapping or list under it
            inner = draw(_mostly(["  "], ["    ", "\t", " "]))
            for _ in range(draw(st.integers(1, 3))):
                lead = draw(st.sampled_from(["", "- "]))
                lines.append(f"{inner}{lead}{draw(st.sampled_from(KEYS))}: {draw(st.sampled_from(SCALARS))}")
    text = draw(_mostly(["---\n"], OPEN_FENCES)) + nl.join(lines) + nl
    text += draw(_mostly(["---\n"], CLOSE_FENCES)) + draw(_mostly(BODIES[:4], BODIES))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, damage the bytes
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at + 1:]
    return data


raw_bytes = st.one_of(
    st.binary(max_size=600),
    st.builds(lambda a, b: b"---\n" + a + b"\n---\n" + b, st.binary(max_size=300), st.binary(max_size=100)),
    st.builds(lambda t: t.encode("utf-8", "surrogatepass"), st.text(max_size=400)),
)

# ------------------------------------------------------------------ checks


def _check_parse(data: bytes) -> None:
    try:
        doc = frontmatter.parse_bytes(data)
    except frontmatter.FrontMatterError as exc:
        assert isinstance(exc.line, int) and exc.line >= 1
        assert isinstance(exc.reason, str) and exc.reason and "\n" not in exc.reason
        return
    assert isinstance(doc, frontmatter.Document)
    assert isinstance(doc.meta, dict) and all(isinstance(k, str) for k in doc.meta)
    json.dumps(doc.meta)  # plain JSON types only
    # what the app reads, it can write back (one key changed, one added) and read
    # again the same: keys, their order, and the body
    changed: dict[str, Any] = dict(doc.meta)
    if changed:
        changed[next(iter(changed))] = "changed by the fuzz test"
    changed["trust_fuzz"] = ["x", 1]
    again = frontmatter.parse(frontmatter.dump(doc, changed, old_meta=doc.meta))
    assert again.meta == changed and list(again.meta) == list(changed)
    assert again.body == doc.body


def _check_entry(entry: LoadedEntry) -> None:
    assert isinstance(entry, LoadedEntry)
    for problem in entry.problems:
        assert isinstance(problem, Problem) and problem.line >= 1 and problem.reason
    if not entry.ok:
        assert [p for p in entry.problems if p.severity == "error"], entry.problems
    record = plain_json(entry.record())
    json.dumps(record)


def _check_load(root: Path, data: bytes) -> None:
    for rel in ("contacts/fuzz.md", "reflections/2026/2026-11-25-fuzz.md"):
        (root / rel).write_bytes(data)
        _check_entry(load(root, rel, with_body=True))


@pytest.fixture
def fuzz_root(tmp_path: Path) -> Path:
    (tmp_path / "contacts").mkdir()
    (tmp_path / "reflections" / "2026").mkdir(parents=True)
    return tmp_path


@FUZZ
@given(data=raw_bytes)
def test_arbitrary_bytes_parse_or_are_reported(data: bytes, fuzz_root: Path) -> None:
    """Proves: for arbitrary bytes (invalid UTF-8, NULs, fences around garbage),
    parse_bytes returns a Document or raises FrontMatterError (with a line and a
    one-line reason), and entries.load on a real contact and reflection file returns
    an entry or a problem record that is plain JSON -- never another exception."""
    _check_parse(data)
    _check_load(fuzz_root, data)


@FUZZ
@given(data=near_miss_yaml())
def test_near_miss_front_matter_parses_or_is_reported(data: bytes, fuzz_root: Path) -> None:
    """Proves: front matter that is almost YAML (tabs, aliases, tags, bad dates,
    unclosed brackets, odd keys, damaged bytes, CR/CRLF, BOM, stray fences) gives a
    Document or a FrontMatterError, an entry or a problem -- never another exception;
    and what parses can be written back and read again with the same keys and body."""
    _check_parse(data)
    _check_load(fuzz_root, data)


def test_the_near_miss_strategy_reaches_both_outcomes() -> None:
    """Proves the fuzzing above is not hollow: the near-miss generator makes front
    matter that parses (so the write-back round trip is exercised) and front matter
    that is refused (so the error path is)."""
    from hypothesis import find

    def parses(data: bytes) -> bool:
        try:
            return bool(frontmatter.parse_bytes(data).meta)
        except frontmatter.FrontMatterError:
            return False

    quick = settings(max_examples=EXAMPLES, database=None, derandomize=True)
    assert parses(find(near_miss_yaml(), parses, settings=quick))
    assert not parses(find(near_miss_yaml(), lambda data: not parses(data), settings=quick))
