"""A save changes exactly what changed: one leaf's lines at any depth, in block or
flow style, and every other byte of the file (comments, quoting, ``~``, values YAML
reads as something else, fences, each line's newline) as the user wrote it."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.cli import main
from netjournal.model import dateify
from netjournal.store import frontmatter as fm
from netjournal.store import yamledit
from tests import test_frontmatter

STEPS = ["why", "offer", "connect", "trust", "deepen", "known"]
DAY = dt.date(2026, 12, 4)
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "contacts" / "tomas-herrera.md"


def save(text: str, change: Any) -> str:
    """The file after a save of ``change(meta)``, as the journal passes it (dates as
    date objects after ``dateify``)."""
    doc = fm.parse(text)
    new = change(dateify(copy.deepcopy(doc.meta)))
    out = fm.dump(doc, new, old_meta=doc.meta)
    assert yamledit.same(fm.parse(out).meta, new)
    return out


def set_step(key: str, value: Any = DAY) -> Any:
    return lambda m: {**m, "steps": {**m["steps"], key: value}}


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """(lines only in before, lines only in after), newlines included."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    gone: list[str] = []
    new: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            gone += a[i1:i2]
            new += b[j1:j2]
    return gone, new


# --------------------------------------------------------------------------- the sample


def test_marking_each_of_tomas_herreras_steps_changes_one_line_each_time() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for key in STEPS:
        out = save(text, set_step(key))
        assert changed_lines(text, out) == ([f"  {key}: null\n"], [f"  {key}: 2026-12-04\n"])
        text = out


HAND_WRITTEN = """\
---
# Tomás, as I keep him
name: Tomás Herrera   # met at the L&D summit
tags: [edtech, "conference"]
steps:   # my steps, in my order
  why: ~        # not yet: see the body
  # the offer comes once I know what he needs
  offer: ~
  connect: 'null'
  trust: null
  deepen:
  known: ~
flow: {why: ~, offer: ~}
archived: false
---
Swapped cards at the L&D summit.
"""


@pytest.mark.parametrize("key, before, after", [
    ("why", "  why: ~        # not yet: see the body\n", "  why: 2026-12-04        # not yet: see the body\n"),
    ("offer", "  offer: ~\n", "  offer: 2026-12-04\n"),
    ("connect", "  connect: 'null'\n", "  connect: '2026-12-04'\n"),  # the user's quotes stay
    ("trust", "  trust: null\n", "  trust: 2026-12-04\n"),
    ("deepen", "  deepen:\n", "  deepen: 2026-12-04\n"),
    ("known", "  known: ~\n", "  known: 2026-12-04\n"),
])
def test_a_hand_written_steps_mapping_changes_only_the_steps_line(key: str, before: str, after: str) -> None:
    out = save(HAND_WRITTEN, set_step(key))
    assert out == HAND_WRITTEN.replace(before, after)


def test_a_flow_steps_mapping_changes_only_the_value_in_its_line() -> None:
    text = HAND_WRITTEN
    out = save(text, lambda m: {**m, "flow": {**m["flow"], "offer": DAY}})
    assert out == text.replace("flow: {why: ~, offer: ~}", "flow: {why: ~, offer: 2026-12-04}")
    out = save(out, lambda m: {**m, "flow": {**m["flow"], "why": {"date": DAY, "note": "Hi, again"}}})
    assert "flow: {why: {date: 2026-12-04, note: 'Hi, again'}, offer: 2026-12-04}\n" in out
    assert changed_lines(text, out)[0] == ["flow: {why: ~, offer: ~}\n"]


def test_the_cli_marks_each_step_of_the_sample_contact_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    assert main(["init", str(root), "--sample"]) == 0
    path = root / "contacts" / "tomas-herrera.md"
    for key in STEPS:
        before = path.read_text(encoding="utf-8")
        assert main(["--journal", str(root), "step", "tomas-herrera", key]) == 0
        gone, new = changed_lines(before, path.read_text(encoding="utf-8"))
        assert gone == [f"  {key}: null\n"] and len(new) == 1 and new[0].startswith(f"  {key}: 20")
    capsys.readouterr()


# --------------------------------------------------------------------------- one leaf, any depth


NESTED = """\
name: A
steps:
  why: 2026-01-04
  connect: {date: 2026-09-05, note: Thanked her}   # at the workshop
  trust:
    date: 2026-10-08
    note: Ran it    # nested comment
people:
  - name: Ana
    role: boss
  - name: Bo
links: [a, b, c]
"""


@pytest.mark.parametrize("change, before, after", [
    (lambda m: m["steps"]["connect"].update(note="Sent the notes"),
     "  connect: {date: 2026-09-05, note: Thanked her}   # at the workshop\n",
     "  connect: {date: 2026-09-05, note: Sent the notes}   # at the workshop\n"),
    (lambda m: m["steps"]["trust"].update(note="Ran it twice"),
     "    note: Ran it    # nested comment\n", "    note: Ran it twice    # nested comment\n"),
    (lambda m: m["people"][1].update(name="Bea"), "  - name: Bo\n", "  - name: Bea\n"),
    (lambda m: m["people"][0].update(role="yes"), "    role: boss\n", "    role: 'yes'\n"),
    (lambda m: m["links"].__setitem__(1, "B"), "links: [a, b, c]\n", "links: [a, B, c]\n"),
    (lambda m: m["links"].append("d, e"), "links: [a, b, c]\n", "links: [a, b, c, 'd, e']\n"),
    (lambda m: m["links"].pop(0), "links: [a, b, c]\n", "links: [b, c]\n"),
    (lambda m: m["steps"]["trust"].pop("note"), "    note: Ran it    # nested comment\n", ""),
    (lambda m: m["steps"]["connect"].pop("note"),
     "  connect: {date: 2026-09-05, note: Thanked her}   # at the workshop\n",
     "  connect: {date: 2026-09-05}   # at the workshop\n"),
    (lambda m: m["steps"]["trust"].update(where="Lisbon"),
     "    note: Ran it    # nested comment\n", "    note: Ran it    # nested comment\n    where: Lisbon\n"),
    (lambda m: m["steps"]["connect"].update(where="Lisbon"),
     "note: Thanked her}", "note: Thanked her, where: Lisbon}"),
    (lambda m: m["people"].append("Cy"), "  - name: Bo\n", "  - name: Bo\n  - Cy\n"),
    (lambda m: m["people"].pop(0), "  - name: Ana\n    role: boss\n", ""),
    (lambda m: m["steps"].update(why="line one\nline two"),
     "  why: 2026-01-04\n", "  why: |-\n    line one\n    line two\n"),
    (lambda m: m["people"][1].update(name="two\nlines\n"), "  - name: Bo\n", "  - name: |\n      two\n      lines\n"),
    (lambda m: m["steps"].update(why="2026-12-04"), "  why: 2026-01-04\n", "  why: 2026-12-04\n"),
    (lambda m: m["steps"].update(why="not a date: really"), "  why: 2026-01-04\n", "  why: 'not a date: really'\n"),
])
def test_one_nested_change_changes_that_line_only(change: Any, before: str, after: str) -> None:
    old = fm.parse_meta(NESTED)
    new = copy.deepcopy(old)
    change(new)
    out = fm.render_meta(new, NESTED, old)
    assert out == NESTED.replace(before, after)
    assert fm.parse_meta(out) == new


def test_keys_the_caller_did_not_pass_are_not_added() -> None:
    raw = "name: A\nsteps:\n  why: null\n"
    out = fm.render_meta({"name": "A", "steps": {"why": DAY}}, raw, fm.parse_meta(raw))
    assert out == "name: A\nsteps:\n  why: 2026-12-04\n"


def test_a_value_that_becomes_a_mapping_keeps_the_comment_on_its_key_line() -> None:
    raw = "name: A   # who\nsteps:   # mine\n  why: ~\nlast: 1\n"
    old = fm.parse_meta(raw)
    out = fm.render_meta({**old, "name": {"first": "A", "list": [{"x": 1}]}}, raw, old)
    assert out == "name:   # who\n  first: A\n  list:\n  - {x: 1}\nsteps:   # mine\n  why: ~\nlast: 1\n"
    out = fm.render_meta({**old, "steps": "done in March"}, raw, old)
    assert out == "name: A   # who\nsteps: done in March   # mine\nlast: 1\n"


def test_kept_blank_lines_of_a_block_scalar_stay_its_own() -> None:
    # ``|+`` keeps its trailing blank lines: a key added after it goes below them
    raw = "m:\n  a: |+\n    x\n\nz: 1\n"
    old = fm.parse_meta(raw)
    out = fm.render_meta({"m": {**old["m"], "c": "v"}, "z": 1}, raw, old)
    assert out == "m:\n  a: |+\n    x\n\n  c: v\nz: 1\n"


def test_explicit_keys_are_edited_in_place_too() -> None:
    # ``? key`` (YAML's form for a long or multi-line key): its value is after a ``:``
    # on the next line, and the mapping's indentation is the ``?``'s, not the key's
    raw = "? |-\n  two\n  lines\n: 1\nname: A\n"
    old = fm.parse_meta(raw)
    out = fm.render_meta({**old, "two\nlines": 2, "role": "B"}, raw, old)
    assert out == "? |-\n  two\n  lines\n: 2\nname: A\nrole: B\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(test_frontmatter.metas, test_frontmatter.metas)
def test_what_the_dumper_writes_is_edited_in_place_whatever_the_keys_and_values(old: dict, changes: dict) -> None:
    # nasty keys and values (control characters, YAML words, empty keys, long and
    # multi-line keys): the minimal edit is made, never the fallback
    raw = fm.dump_meta(old)
    new = {**old, **changes}
    if yamledit.same(old, new):
        return
    out = yamledit.splice(raw, old, new)
    assert yamledit.same(fm.parse_meta(out), new)
    assert fm.render_meta(new, raw, old) == out


# --------------------------------------------------------------------------- what the user did not touch


ODD = """\
name: A
note: 9:30
mode: 0755
version: 3.10
ok: yes
seen: 2026-01-04
at: 2026-01-04 10:00:00+01:00
code: !!str 0755
said: "it's"
plain: a long line
  that goes on
folded: >
  kept
  as is
steps:
  why: ~
"""


def test_values_yaml_reads_as_something_else_stay_byte_for_byte() -> None:
    old = fm.parse_meta(ODD)
    assert old["note"] == 570 and old["mode"] == 493 and old["version"] == 3.1 and old["ok"] is True
    # the caller passes plain values back, dates as date objects
    new = dateify(copy.deepcopy(old))
    new["steps"]["why"] = DAY
    new["seen"] = dt.date(2026, 1, 4)
    out = fm.render_meta(new, ODD, old)
    assert out == ODD.replace("  why: ~\n", "  why: 2026-12-04\n")


@pytest.mark.parametrize("key, value, before, after", [
    ("note", "9:45", "note: 9:30\n", "note: '9:45'\n"),
    ("note", 600, "note: 9:30\n", "note: 600\n"),
    ("seen", dt.date(2026, 2, 1), "seen: 2026-01-04\n", "seen: 2026-02-01\n"),
    ("seen", "2026-02-01", "seen: 2026-01-04\n", "seen: 2026-02-01\n"),  # a plain date stays plain
    ("said", "she's", "said: \"it's\"\n", "said: \"she's\"\n"),
    ("plain", "short now", "plain: a long line\n  that goes on\n", "plain: short now\n"),
    ("folded", "new\ntext\n", "folded: >\n  kept\n  as is\n", "folded: |\n  new\n  text\n"),
    ("code", "0644", "code: !!str 0755\n", "code: '0644'\n"),
])
def test_only_the_changed_leaf_is_rewritten(key: str, value: Any, before: str, after: str) -> None:
    old = fm.parse_meta(ODD)
    out = fm.render_meta({**old, key: value}, ODD, old)
    assert out == ODD.replace(before, after)


# --------------------------------------------------------------------------- other shapes


@pytest.mark.parametrize("text", [
    # a continuation line at column 0 (a quoted scalar, and a flow list)
    '---\n# header\ntitle: "a long title\ncontinued at column 0"\ntags: [a,\nb]\nsteps:\n  why: null\n---\nbody\n',
    # front matter indented by one space
    "---\n name: A\n steps:\n   why: null\n---\nbody\n",
    # a ... end marker, trailing spaces after the fences
    "---   \nname: A\nsteps:\n  why: null\n...  \nbody\n",
    # no final newline (the file ends at its closing fence)
    "---\nname: A\nsteps:\n  why: null\n---",
    # LF lines under a CRLF opening fence; CRLF lines with an LF one among them
    "---\r\nname: A\nsteps:\n  why: null\n---\nbody\r\n",
    "---\r\nname: A\r\nsteps:\n  why: null\r\n---\r\nbody\r\n",
    "\ufeff---\r\nname: A\r\nsteps:\r\n  why: null\r\n---\r\n",
])
def test_other_top_level_shapes_change_only_the_changed_line(text: str) -> None:
    out = save(text, set_step("why"))
    gone, new = changed_lines(text, out)
    assert len(gone) == 1 and gone[0].lstrip(" ").startswith("why: null")
    assert new == [gone[0].replace("null", "2026-12-04")]  # its own newline kept
    # a key added: one new line with its neighbours' indentation and newline
    out = save(text, lambda m: {**m, "role": "Founder"})
    gone, new = changed_lines(text, out)
    indent = " " if "\n name" in text else ""
    newline = "\r\n" if "  why: null\r\n" in text else "\n"
    assert gone == [] and new == [f"{indent}role: Founder{newline}"]
    doc = fm.parse(text)
    assert doc.fences is not None
    opening, closing = doc.fences  # as written, and given back
    assert out.startswith(("\ufeff" if doc.bom else "") + opening) and out.endswith(closing + doc.body)


def test_removing_a_key_removes_only_its_lines() -> None:
    text = "---\nname: A\n# about the role\nrole: |\n  two\n  lines\nsteps:\n  why: null\n---\n"
    out = save(text, lambda m: {k: v for k, v in m.items() if k != "role"})
    assert out == "---\nname: A\n# about the role\nsteps:\n  why: null\n---\n"


def test_a_change_the_minimal_edit_cannot_make_falls_back_and_still_reads_back() -> None:
    # keys reordered: not a one-leaf edit; the coarser rewrite writes the new order
    raw = "a: 1\nb: 2\n"
    old = fm.parse_meta(raw)
    with pytest.raises(yamledit.CannotSplice):
        yamledit.splice(raw, old, {"b": 2, "a": 1})
    out = fm.render_meta({"b": 2, "a": 1}, raw, old)
    assert list(fm.parse_meta(out)) == ["b", "a"]
    # a merge key: the mapping holding it is re-written whole, the rest kept
    raw = "x: 1\nm:\n  <<: {a: 1}\n  b: 2\n"
    old = fm.parse_meta(raw)
    out = fm.render_meta({"x": 1, "m": {"a": 1, "b": 3}}, raw, old)
    assert out.startswith("x: 1\n") and fm.parse_meta(out) == {"x": 1, "m": {"a": 1, "b": 3}}


# --------------------------------------------------------------------------- generated front matter


class _Writer:
    """Writes front matter in varied styles and remembers each entry's lines."""

    def __init__(self, data: st.DataObject) -> None:
        self.draw = data.draw
        self.lines: list[str] = []
        self.count = 0
        self.entries: dict[tuple, tuple[int, int]] = {}  # path -> (first, last) line
        self.containers: dict[tuple, tuple[str, list[tuple]]] = {}  # path -> (style, children)
        self.compact_first: set[tuple] = set()  # `- k: v`: the key shares the dash's line

    def uid(self) -> int:
        self.count += 1
        return self.count

    def comment(self, chance: int = 4) -> str:
        return f"   # c{self.uid()}" if self.draw(st.integers(0, chance)) == 0 else ""

    def maybe_comment_line(self, indent: int) -> None:
        if self.draw(st.integers(0, 5)) == 0:
            self.lines.append(" " * indent + f"# note {self.uid()}")

    def inline_scalar(self, flow: bool) -> str:
        n = self.uid()
        choices = ["~", "null", "9:30", "0755", "3.10", "yes", "2026-01-04", f"'s {n}'", f'"d {n}"',
                   f"w{n}", "!!str 0755", "12", "-3.5", "true", f"Tomás {n}"]
        if not flow:
            choices += ["", f"plain words {n}", "2026-01-04 10:00:00+01:00", f"'it''s {n}'"]
        return self.draw(st.sampled_from(choices))

    def block_map(self, path: tuple, indent: int, depth: int, *, compact: str = "") -> None:
        children: list[tuple] = []
        for number in range(self.draw(st.integers(1, 4 if depth < 3 else 2))):
            key = f"k{self.uid()}"
            if not (compact and number == 0):
                self.maybe_comment_line(indent)
            lead = compact if compact and number == 0 else " " * indent
            spelled = self.draw(st.sampled_from([key, key, key, f"'{key}'", f'"{key}"', f"{key} "]))
            first = len(self.lines)
            child = path + (key,)
            kinds = ["scalar"] * 4 + ["multi", "flowmap", "flowseq"] + (["map", "seq"] if depth < 3 else [])
            kind = self.draw(st.sampled_from(kinds))
            head = f"{lead}{spelled}:"
            if kind == "scalar":
                text = self.inline_scalar(False)
                gap = self.draw(st.sampled_from([" ", " ", "   ", "\t"]))
                self.lines.append(f"{head}{gap + text if text else ''}{self.comment()}")
            elif kind == "multi":
                self.multi_line(head, indent, top=depth == 1 and indent == 0)
            elif kind in ("flowmap", "flowseq"):
                self.lines.append(f"{head} {self.flow(child, kind, depth)}{self.comment()}")
            elif kind == "map":
                self.lines.append(f"{head}{self.comment(2)}")
                self.block_map(child, indent + self.draw(st.sampled_from([1, 2, 4])), depth + 1)
            else:
                self.lines.append(f"{head}{self.comment(2)}")
                self.block_seq(child, indent + self.draw(st.sampled_from([0, 2])), depth + 1)
            self.entries[child] = (first, len(self.lines) - 1)
            if compact and number == 0:
                self.compact_first.add(child)
            children.append(child)
        self.containers[path] = ("block", children)

    def block_seq(self, path: tuple, indent: int, depth: int) -> None:
        children: list[tuple] = []
        for i in range(self.draw(st.integers(1, 3))):
            child = path + (i,)
            first = len(self.lines)
            kind = self.draw(st.sampled_from(["scalar", "scalar", "multi", "map"] if depth < 3 else ["scalar"]))
            if kind == "scalar":
                gap = self.draw(st.sampled_from([" ", " ", "   "]))
                self.lines.append(" " * indent + f"-{gap}item {self.uid()}{self.comment()}")
            elif kind == "multi":
                n = self.uid()
                self.lines += [" " * indent + "- |", " " * (indent + 2) + f"line {n}", " " * (indent + 2) + "more"]
            else:
                self.block_map(child, indent + 2, depth + 1, compact=" " * indent + "- ")
            self.entries[child] = (first, len(self.lines) - 1)
            children.append(child)
        self.containers[path] = ("block", children)

    def multi_line(self, head: str, indent: int, top: bool) -> None:
        n = self.uid()
        pad = " " * (indent + 2)
        kinds = ["block", "kept", "indicator", "folded", "plain"] + (["quoted"] if top else [])
        kind = self.draw(st.sampled_from(kinds))
        if kind == "block":
            self.lines += [f"{head} |{self.comment()}", f"{pad}first {n}", "", f"{pad}  more"]
        elif kind == "kept":  # trailing blank lines that are part of the value
            self.lines += [f"{head} |+", f"{pad}kept {n}", "", ""]
        elif kind == "indicator":
            self.lines += [f"{head} |2-", f"{pad}  leading spaces {n}", f"{pad}more"]
        elif kind == "folded":
            self.lines += [f"{head} >-", f"{pad}folded {n}", f"{pad}text"]
        elif kind == "plain":
            self.lines += [f"{head} a plain {n}", f"{pad}continued"]
        else:  # a continuation line at column 0
            self.lines += [f'{head} "quoted {n}', 'at column 0"']

    def flow(self, path: tuple, kind: str, depth: int) -> str:
        line = len(self.lines)
        size = self.draw(st.integers(1 if kind == "flowmap" else 0, 3))
        children = [path + ((f"f{self.uid()}",) if kind == "flowmap" else (i,)) for i in range(size)]
        texts = []
        for child in children:
            inner = self.draw(st.sampled_from(["scalar"] * 4 + (["flowmap", "flowseq"] if depth < 3 else [])))
            value = self.inline_scalar(True) if inner == "scalar" else self.flow(child, inner, depth + 1)
            texts.append(f"{child[-1]}: {value}" if kind == "flowmap" else value)
            self.entries[child] = (line, line)
        self.containers[path] = ("flow", children)
        spaced = self.draw(st.booleans())
        return ("{ %s }" if spaced else "{%s}") % ", ".join(texts) if kind == "flowmap" else "[%s]" % ", ".join(texts)


NEW_VALUES = [None, DAY, "2026-12-04", "plain new", "yes", "9:30", "0755", "3.10", "", "a: b", "x #y",
              "multi\nline", "ends with a newline\n", 42, 1.5, True, {"date": DAY, "note": "Hi"},
              ["a", "b"], "Tomás", "  lead", "[x]"]


def _at(meta: Any, path: tuple) -> Any:
    for part in path:
        meta = meta[part]
    return meta


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_any_single_change_to_generated_front_matter_touches_only_its_lines(data: st.DataObject) -> None:
    w = _Writer(data)
    if data.draw(st.booleans()):
        w.lines.append(f"# header {w.uid()}")
    base = data.draw(st.sampled_from([0, 0, 1]))
    w.block_map((), base, 1)
    if data.draw(st.integers(0, 3)) == 0:
        w.lines.append(f"# trailing {w.uid()}")
    ends = [data.draw(st.sampled_from(["\n", "\n", "\r\n"])) for _ in w.lines]
    raw = "".join(line + end for line, end in zip(w.lines, ends))
    opening = "---" + data.draw(st.sampled_from(["", "  "])) + data.draw(st.sampled_from(["\n", "\r\n"]))
    body = data.draw(st.sampled_from(["", "Body.\n", "Body\r\nmore"]))
    closing = data.draw(st.sampled_from(["---", "..."])) + data.draw(st.sampled_from(["", " "]))
    closing += data.draw(st.sampled_from(["\n", "\r\n"])) if body or data.draw(st.booleans()) else ""
    text = opening + raw + closing + body
    doc = fm.parse(text)
    assert doc.raw_meta == raw
    old = doc.meta
    new = copy.deepcopy(old)

    op = data.draw(st.sampled_from(["set", "set", "set", "remove", "add"]))
    lines: tuple[int, int] | None = None  # the lines that may change
    insert_at: tuple[int, int] | None = None  # where new lines may go (range of positions)
    if op == "set":
        path = data.draw(st.sampled_from(sorted(w.entries, key=str)))
        value = data.draw(st.sampled_from(NEW_VALUES))
        if yamledit.same(_at(old, path), value):
            return
        _at(new, path[:-1])[path[-1]] = value
        lines = w.entries[path]
        insert_at = (lines[0], lines[1] + 1)
    elif op == "remove":
        removable = [p for p in w.entries if len(w.containers[p[:-1]][1]) > 1 and p not in w.compact_first]
        if not removable:
            return
        path = data.draw(st.sampled_from(sorted(removable, key=str)))
        del _at(new, path[:-1])[path[-1]]
        lines = w.entries[path]
    else:
        path = data.draw(st.sampled_from(sorted(w.containers, key=str)))
        style, children = w.containers[path]
        value = data.draw(st.sampled_from(NEW_VALUES))
        target = _at(new, path)
        if isinstance(target, dict):
            target["added"] = value
        else:
            target.append(value)
        if style == "flow":
            line = w.entries[path][0]
            lines = (line, line)
        else:
            last = w.entries[children[-1]][1]
            insert_at = (last + 1, last + 1)

    spliced = yamledit.splice(raw, old, new)  # the minimal edit, never the fallback
    assert yamledit.same(fm.parse_meta(spliced), new)
    out = fm.dump(doc, new, old_meta=old)
    assert out == opening + spliced + closing + body
    # Every line before the changed value's lines and every line after them is kept, in
    # place: compared as a prefix and a suffix, not with difflib, whose alignment of
    # repeated lines (two folded scalars that both end in "  text") is arbitrary.
    a, b = raw.splitlines(keepends=True), spliced.splitlines(keepends=True)
    lo, hi = (lines[0], lines[1] + 1) if lines is not None else (insert_at[0], insert_at[0])
    kept_after = len(a) - hi
    assert b[:lo] == a[:lo], ("changed before the value", a[:lo], b[:lo])
    assert len(b) - kept_after >= lo and b[len(b) - kept_after:] == a[hi:], ("changed after the value", a[hi:], b)


def test_a_new_body_keeps_the_fences_and_front_matter_as_written(sample_journal: Any) -> None:
    path = sample_journal.root / "contacts" / "tomas-herrera.md"
    text = path.read_text(encoding="utf-8")
    odd = text.replace("---\n", "---  \r\n", 1).replace("archived: false\n---\n", "archived: false\n...\n")
    path.write_text(odd, encoding="utf-8", newline="")
    sample_journal.sync()
    sample_journal.update_contact("tomas-herrera", {"role": "CEO"}, body="New notes.\n")
    written = path.read_bytes().decode("utf-8")
    assert written == odd[: odd.index("...\n")].replace("role: Founder", "role: CEO") + "...\nNew notes.\n"
