"""Front matter: split, parse (safe, bounded, with line numbers) and dump (stable,
quoting what YAML 1.1 would misread), and keeping the user's own lines."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.store import frontmatter as fm
from netjournal.store.frontmatter import Document, FrontMatterError

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings that a YAML 1.1 (PyYAML, Obsidian) or 1.2 reader would turn into
# something else, or that need quoting for other reasons.
NASTY = [
    "No", "no", "NO", "on", "On", "off", "y", "Y", "n", "yes", "Yes", "true", "False",
    "1e3", "1E3", "-1e-3", "3.10", ".5", "1.", "0755", "0o17", "0x1F", "0b101", "1_000", "+1", "-0",
    "2026-11-20", "2026-1-5", "2026-11-20T10:00:00", "2026-11-20 10:00", "12:30", "190:20:30",
    "~", "null", "Null", "NULL", "", " lead space", "trail space ", "a: b", "#x", "- x",
    "---", "...", "[x]", "{x}", "*x", "&x", "!x", "%x", "@x", "`x", "|", ">", "?", "? x", ":",
    ".inf", "-.Inf", ".nan", "=", "<<", "'", '"', "a #b", "tab\there", "line1\nline2",
    "trailing newline\n", "\nleading newline", "  indented\nblock", "crlf\r\nline", "nul\x00byte",
    "bell\x07", "del\x7f", "\u2028sep", "nel\x85here", "\x85", "para\u2029", "multi\nline\x85nel", "naïve café", "Tomás", "日本語", "emoji 🎉", "\ufeffbom",
]

nasty = st.sampled_from(NASTY)
strings = st.one_of(st.text(), nasty)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), strings
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)),
    max_leaves=12,
)
metas = st.dictionaries(strings, values, max_size=6)


# --------------------------------------------------------------------------- split


def test_split_plain_file() -> None:
    doc = fm.parse("---\nname: A\n---\nHello\n")
    assert doc.meta == {"name": "A"}
    assert doc.body == "Hello\n"
    assert doc.raw_meta == "name: A\n"
    assert not doc.bom and doc.newline == "\n"


def test_leading_bom_is_recognised_and_kept_on_dump() -> None:
    text = "\ufeff---\nname: A\n---\nBody\n"
    doc = fm.parse(text)
    assert doc.bom and doc.meta == {"name": "A"} and doc.body == "Body\n"
    assert fm.dump(doc, {"name": "A"}, old_meta=doc.meta) == text
    changed = fm.dump(doc, {"name": "B"}, old_meta=doc.meta)
    assert changed == "\ufeff---\nname: B\n---\nBody\n"


def test_crlf_line_endings_are_kept() -> None:
    text = "---\r\nname: A\r\ntags: [x]\r\n---\r\nLine one\r\nLine two\r\n"
    doc = fm.parse(text)
    assert doc.newline == "\r\n"
    assert doc.meta == {"name": "A", "tags": ["x"]}
    assert doc.body == "Line one\r\nLine two\r\n"
    out = fm.dump(doc, {"name": "A", "tags": ["x"], "role": "Boss"}, old_meta=doc.meta)
    assert out == "---\r\nname: A\r\ntags: [x]\r\nrole: Boss\r\n---\r\nLine one\r\nLine two\r\n"
    assert "\n" not in out.replace("\r\n", "")  # no bare LF anywhere


def test_body_starting_with_a_rule_stays_body() -> None:
    text = "---\nname: A\n---\n---\n\nAfter a thematic break.\n---\n"
    doc = fm.parse(text)
    assert doc.meta == {"name": "A"}
    assert doc.body == "---\n\nAfter a thematic break.\n---\n"
    assert fm.parse(fm.dump(doc, {"name": "B"}, old_meta=doc.meta)).body == doc.body


def test_file_without_front_matter_is_all_body() -> None:
    doc = fm.parse("# Just notes\n\nNo fences here.\n")
    assert not doc.has_front_matter and doc.meta == {}
    assert doc.body == "# Just notes\n\nNo fences here.\n"
    # adding keys puts a front matter block above the untouched body
    out = fm.dump(doc, {"name": "A"})
    assert out == "---\nname: A\n---\n# Just notes\n\nNo fences here.\n"


def test_opening_fence_without_closing_fence_is_all_body() -> None:
    text = "---\nname: A\nno closing fence ever\n"
    doc = fm.parse(text)
    assert not doc.has_front_matter and doc.meta == {}
    assert doc.body == text
    out = fm.dump(doc, {"name": "B"})
    again = fm.parse(out)
    assert again.meta == {"name": "B"} and again.body == text


def test_closing_fence_at_end_of_file_and_dots_fence() -> None:
    assert fm.parse("---\na: 1\n---").body == ""
    doc = fm.parse("---\na: 1\n...\nbody")
    assert doc.meta == {"a": 1} and doc.body == "body"


def test_empty_front_matter_block() -> None:
    doc = fm.parse("---\n---\nbody\n")
    assert doc.has_front_matter and doc.meta == {} and doc.body == "body\n"
    assert fm.dump(doc, {}, old_meta={}) == "---\n---\nbody\n"


@pytest.mark.parametrize("body", ["---\na: 1\n---\nhello", "\ufeffstarts with a BOM", "---\r\nx: 1\r\n---\r\n"])
def test_dump_without_meta_never_lets_the_body_turn_into_front_matter(body: str) -> None:
    # Found by review: a file with no front matter and no keys was written as the bare
    # body, so a body that *looks* like front matter (or starts with a BOM) came back
    # different.  An empty fence block is written only in that case.
    doc = Document({}, body, None)
    out = fm.dump(doc)
    again = fm.parse(out)
    assert again.meta == {} and again.body == body
    plain = Document({}, "ordinary body\n", None)
    assert fm.dump(plain) == "ordinary body\n"


# --------------------------------------------------------------------------- parse


def test_parser_is_the_safe_c_loader_when_available() -> None:
    if yaml.__with_libyaml__:
        assert issubclass(fm._Loader, yaml.CSafeLoader)
    assert issubclass(fm._Loader, yaml.constructor.SafeConstructor)
    with pytest.raises(FrontMatterError):
        fm.parse_meta("x: !!python/object/apply:os.system ['echo pwned']\n")


def test_dates_come_back_as_iso_strings() -> None:
    meta = fm.parse_meta("d: 2026-11-20\nt: 2026-11-20 10:30:00\nq: '2026-11-20'\n")
    assert meta == {"d": "2026-11-20", "t": "2026-11-20T10:30:00", "q": "2026-11-20"}
    assert all(isinstance(v, str) for v in meta.values())


def test_impossible_date_is_a_front_matter_error_with_its_line() -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\nname: A\ndate: 2024-02-30\n---\n")
    assert info.value.line == 3
    assert "2024-02-30" in info.value.reason
    assert "\n" not in info.value.reason


def test_front_matter_over_64_kib_is_refused() -> None:
    big = "notes: " + "x" * (64 * 1024) + "\n"
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\n" + big + "---\nbody\n")
    assert info.value.line == 2
    assert "64 KiB" in info.value.reason and "\n" not in info.value.reason
    # just under the limit is fine
    ok = "notes: " + "x" * (60 * 1024) + "\n"
    assert len(fm.parse("---\n" + ok + "---\n").meta["notes"]) == 60 * 1024


@pytest.mark.parametrize(
    "raw, line",
    [
        ("a: &x 1\nb: *x\n", 2),
        ("base: &b {x: 1}\nmerged:\n  <<: *b\n", 2),
        ("lonely: &anchor just an anchor\n", 2),
        ("a: 1\nb: &loop [*loop]\n", 3),
    ],
)
def test_anchors_and_aliases_are_refused(raw: str, line: int) -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\n" + raw + "---\n")
    assert "anchors and aliases" in info.value.reason
    assert info.value.line == line


def test_ampersand_in_plain_text_is_not_an_anchor() -> None:
    assert fm.parse_meta("org: R&D\nq: '&x'\n") == {"org": "R&D", "q": "&x"}


def test_billion_laughs_is_refused_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    text = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    started = time.perf_counter()
    with pytest.raises(FrontMatterError) as info:
        fm.parse(text)
    assert time.perf_counter() - started < 1.0
    assert "anchors and aliases" in info.value.reason


@pytest.mark.parametrize(
    "raw, word", [("- a\n- b\n", "a list"), ("just a sentence\n", "a str"), ("42\n", "a int")]
)
def test_front_matter_must_be_a_mapping(raw: str, word: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\n" + raw + "---\nbody\n")
    assert info.value.line == 2
    assert word in info.value.reason and "mapping" in info.value.reason
    assert str(info.value).startswith("line 2: ")


def test_syntax_error_has_the_file_line_and_one_line_reason() -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\nname: A\ntags: [a, b\nwhy: x\n---\n")
    assert info.value.line >= 3
    assert "\n" not in info.value.reason and info.value.reason


def test_tab_indentation_is_explained_but_tabs_inside_values_are_fine() -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse("---\nname: A\nsteps:\n\twhy: 2026-01-01\n---\n")
    assert info.value.line == 4 and "tab" in info.value.reason
    # Found by review: a tab inside a block scalar (e.g. pasted code) used to be
    # reported as bad indentation, making a valid file a "problem".
    meta = fm.parse_meta("notes: |\n  code:\n  \tindented with a tab\nq: \"a\tb\"\n")
    assert meta == {"notes": "code:\n\tindented with a tab\n", "q": "a\tb"}


def test_unsupported_values_are_refused() -> None:
    for raw in ("x: !!binary aGVsbG8=\n", "x: !!set {a, b}\n", "x: .inf\n", "x: .nan\n", "? [a]\n: b\n"):
        with pytest.raises(FrontMatterError):
            fm.parse_meta(raw)


def test_keys_keep_the_text_the_user_wrote() -> None:
    # Found by review: `on:` / `no:` / `null:` keys came back as "True"/"False"/"None"
    # (and `1:` and `true:` collided), renaming the user's unknown keys on save.
    meta = fm.parse_meta("on: a\nno: b\nnull: c\n1: d\ntrue: e\n2026-01-01: f\n")
    assert list(meta) == ["on", "no", "null", "1", "true", "2026-01-01"]
    text = fm.dump_meta(meta)
    assert fm.parse_meta(text) == meta


@pytest.mark.parametrize(
    "text, line, key, first",
    [
        ("---\nname: Ana\nname: Bob\n---\nbody\n", 3, "name", 2),
        # nested: a step written twice, with other lines between
        ("---\nname: A\nsteps:\n  why: 2026-01-01\n  offer: null\n  why: 2026-02-01\n---\n", 6, "why", 4),
        # inside a step's own mapping, and in a flow mapping on one line
        ("---\nsteps:\n  connect:\n    date: 2026-01-01\n    note: a\n    note: b\n---\n", 6, "note", 5),
        ("---\nname: A\nx: {a: 1, b: 2, a: 3}\n---\n", 3, "a", 3),
        # in a mapping inside a list
        ("---\nlist:\n  - {k: 1}\n  - k: 1\n    k: 2\n---\n", 5, "k", 4),
        # keys are the text written, so 1 and '1' are the same key
        ("---\n1: a\n'1': b\n---\n", 3, "1", 2),
        ("---\non: a\n\"on\": b\n---\n", 3, "on", 2),
        # comments and blank lines count; BOM and CRLF change nothing
        ("\ufeff---\r\nname: A\r\n# note\r\n\r\nname: B\r\n---\r\nbody\r\n", 5, "name", 2),
        # a duplicate after a much later line still names the second occurrence
        ("---\n" + "".join(f"k{i}: {i}\n" for i in range(40)) + "k3: again\n---\n", 42, "k3", 5),
    ],
)
def test_a_key_written_twice_is_a_problem_at_its_second_line(text: str, line: int, key: str, first: int) -> None:
    # Found by review: PyYAML keeps the last value, so the first line was silently
    # lost on the next save.
    with pytest.raises(FrontMatterError) as info:
        fm.parse(text)
    assert info.value.line == line
    assert info.value.reason == f"key {key!r} is written twice (first on line {first}); keep one of them"
    with pytest.raises(FrontMatterError) as info:
        fm.parse_bytes(text.encode("utf-8"))
    assert info.value.line == line


def test_duplicate_key_lines_are_relative_to_where_the_front_matter_starts() -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse_meta("a: 1\nb: 2\na: 3\n", 1)  # e.g. netjournal.yaml: no fences
    assert info.value.line == 3 and "first on line 1" in info.value.reason
    with pytest.raises(FrontMatterError) as info:
        fm.parse_meta("a: 1\nb: 2\na: 3\n", 10)
    assert info.value.line == 12 and "first on line 10" in info.value.reason


def test_same_key_in_different_mappings_and_merge_overrides_are_fine() -> None:
    meta = fm.parse_meta("name: A\nsteps:\n  name: x\nother: {name: y}\nlist: [{k: 1}, {k: 2}]\n")
    assert meta == {"name": "A", "steps": {"name": "x"}, "other": {"name": "y"}, "list": [{"k": 1}, {"k": 2}]}
    # a key written beside a merge overrides the merged one: that is what merges are for
    assert fm.parse_meta("a: 0\n<<: {a: 1, b: 2}\n") == {"a": 0, "b": 2}
    with pytest.raises(FrontMatterError) as info:
        fm.parse_meta("<<: {a: 1}\na: 2\na: 3\n")
    assert info.value.line == 4 and "'a' is written twice" in info.value.reason


def test_a_long_or_odd_duplicate_key_is_shown_short_and_escaped() -> None:
    long_key = "k" * 100
    with pytest.raises(FrontMatterError) as info:
        fm.parse_meta(f"{long_key}: 1\n{long_key}: 2\n")
    assert repr("k" * 40 + "…") in info.value.reason and len(info.value.reason) < 120
    with pytest.raises(FrontMatterError) as info:
        fm.parse_meta('"a\\e[31m": 1\n"a\\e[31m": 2\n')
    assert "\x1b" not in info.value.reason and "\\x1b" in info.value.reason


def test_invalid_utf8_and_nul_bytes_are_problems() -> None:
    with pytest.raises(FrontMatterError) as info:
        fm.parse_bytes(b"---\nname: A\n---\nline two\n\xff\xfe broken\n")
    assert info.value.line == 5 and "UTF-8" in info.value.reason
    with pytest.raises(FrontMatterError) as info:
        fm.parse_bytes(b"---\nname: A\n---\nbinary\x00stuff\n")
    assert info.value.line == 4 and "NUL" in info.value.reason
    assert fm.parse_bytes("\ufeff---\nname: Tomás\n---\n".encode()).meta == {"name": "Tomás"}


# --------------------------------------------------------------------------- dump


@pytest.mark.parametrize("value", NASTY)
def test_nasty_strings_round_trip(value: str) -> None:
    meta = {"v": value, value: "as a key"}
    text = fm.dump_meta(meta)
    assert fm.parse_meta(text) == meta
    assert yaml.safe_load(text) == meta  # the pure-Python YAML 1.1 reader agrees


@pytest.mark.parametrize(
    "value",
    ["No", "on", "y", "1e3", "3.10", "0755", "0x1F", "2026-11-20", "12:30", "~", "null", "",
     " lead space", "a: b", "#x", "- x", "true", ".inf", "0o17", "1_000", "<<", "="],
)
def test_strings_yaml_would_misread_are_written_quoted(value: str) -> None:
    text = fm.dump_meta({"v": value})
    written = text[len("v: "):].rstrip("\n")
    assert written[0] in "'\"", text
    assert yaml.safe_load(text) == {"v": value}
    assert isinstance(yaml.safe_load(text)["v"], str)


def test_ordinary_strings_stay_plain_and_dates_unquoted() -> None:
    import datetime as dt

    text = fm.dump_meta({"name": "Priya Raman", "date": dt.date(2026, 11, 20), "count": 3, "ok": True})
    assert text == "name: Priya Raman\ndate: 2026-11-20\ncount: 3\nok: true\n"
    # single letters y/n are YAML 1.1 booleans: quoted, as keys and in lists too
    assert fm.dump_meta({"n": ["x", "y"]}) == "'n': [x, 'y']\n"


def test_dump_shape_matches_the_design() -> None:
    import datetime as dt

    meta = {
        "name": "A",
        "tags": ["a", "b"],
        "steps": {"why": dt.date(2026, 9, 1), "connect": {"date": dt.date(2026, 9, 5), "note": "Hi"}, "trust": None},
    }
    assert fm.dump_meta(meta) == (
        "name: A\ntags: [a, b]\nsteps:\n  why: 2026-09-01\n"
        "  connect: {date: 2026-09-05, note: Hi}\n  trust: null\n"
    )


def test_a_new_files_steps_are_one_per_line() -> None:
    # Found by the attack in issue 9: a steps mapping of plain values was written as
    # one flow line, unlike the documented format (and a diff of one step was a diff
    # of all six).  A top-level key's mapping is a block; a step's own mapping is flow.
    import datetime as dt

    meta = {"name": "A", "steps": {"why": dt.date(2026, 9, 1), "offer": None}, "me": {"name": "B"}}
    assert fm.dump_meta(meta) == (
        "name: A\nsteps:\n  why: 2026-09-01\n  offer: null\nme:\n  name: B\n"
    )


@SETTINGS
@given(metas)
def test_dump_parse_round_trip_and_stable(meta: dict) -> None:
    text = fm.dump_meta(meta)
    parsed = fm.parse_meta(text)
    assert parsed == meta
    assert list(parsed) == list(meta)
    assert fm.dump_meta(parsed) == text
    # in a whole file too, after a body
    doc = Document(meta, "body\n---\nmore\n", None)
    whole = fm.dump(doc)
    again = fm.parse(whole)
    assert again.meta == meta and again.body == "body\n---\nmore\n"


@SETTINGS
@given(metas, st.text())
def test_any_body_survives_dump_and_parse(meta: dict, body: str) -> None:
    doc = Document(meta, body, None)
    again = fm.parse(fm.dump(doc))
    assert again.body == body
    assert again.meta == meta


# --------------------------------------------------------------------------- keeping the user's lines


RAW = """name: Nadia
# my own comment about the next key
met_at: Fenwick alumni mixer   # inline comment
tags: [alumni, events]
steps:
  why: 2026-07-22
  trust: {date: 2026-10-08, note: Ran it}
  deepen: null
birthday: 1984-03-12
# trailing comment
"""


def test_render_keeps_untouched_lines_and_comments() -> None:
    import datetime as dt

    from netjournal.model import dateify

    old = fm.parse_meta(RAW)
    # the Journal turns ISO date strings back into dates (written unquoted) first
    new = dateify(dict(old, steps=dict(old["steps"], deepen=dt.date(2026, 11, 25))))
    out = fm.render_meta(new, RAW, old)
    assert out == RAW.replace("  deepen: null\n", "  deepen: 2026-11-25\n")


def test_render_unchanged_returns_raw_exactly() -> None:
    old = fm.parse_meta(RAW)
    assert fm.render_meta(dict(old), RAW, old) == RAW


def test_render_removes_and_adds_keys_in_place() -> None:
    old = fm.parse_meta(RAW)
    new = {k: v for k, v in old.items() if k != "tags"}
    new["role"] = "Manager"
    out = fm.render_meta(new, RAW, old)
    assert "tags:" not in out
    assert out.endswith("role: Manager\n# trailing comment\n")
    assert "# my own comment about the next key\nmet_at: Fenwick alumni mixer   # inline comment\n" in out
    assert list(fm.parse_meta(out)) == list(new)


def test_render_writes_a_change_between_equal_looking_values() -> None:
    # Found by review: True == 1 == 1.0 in Python, so changing 1 to true (or 1 to
    # 1.0) was silently not written.
    raw = "a: 1\nb: 2\n"
    old = fm.parse_meta(raw)
    assert fm.render_meta({"a": True, "b": 2}, raw, old) == "a: true\nb: 2\n"
    assert fm.render_meta({"a": 1.0, "b": 2}, raw, old) == "a: 1.0\nb: 2\n"
    assert fm.parse_meta(fm.render_meta({"a": True, "b": 2}, raw, old))["a"] is True


@SETTINGS
@given(metas, metas)
def test_render_over_any_old_front_matter_gives_the_new_meta(old: dict, changes: dict) -> None:
    raw = fm.dump_meta(old)
    new = dict(old)
    new.update(changes)
    out = fm.render_meta(new, raw, old)
    parsed = fm.parse_meta(out)
    assert parsed == new and list(parsed) == list(new)
