"""The quick commands' own command line (``netjournal/cli_quick.py``) and what it
imports.

What must hold: it reads a command line exactly as argparse does, or leaves it to
argparse (``netjournal.cli``); the program prints, byte for byte, what the journal
prints, usage errors included; and it answers without importing argparse, pathlib,
``typing`` or ``netjournal.cli`` (~10 ms of a ~45 ms command)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import types
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal import cli_quick, named, quick, text
from netjournal.cli import QUICK_COMMANDS, UsageError, _no_dash_values, build_parser, command_named
from tests.test_quick import COMMANDS, program, root, run, short_window  # noqa: F401  (fixtures)


def argparse_reading(argv: list[str]) -> Any:
    """argparse's namespace for ``argv`` as ``cli.main`` parses it; None for a usage
    error, ``--help`` or ``--version``."""
    named_command = command_named(argv)
    parser = build_parser(only=named_command if named_command in QUICK_COMMANDS else None)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            _no_dash_values(argv)
            return parser.parse_args(argv)
    except (UsageError, SystemExit):
        return None


def same_reading(argv: list[str]) -> None:
    fast = cli_quick.parse(argv)
    if fast is None:
        return  # argparse's to read
    slow = argparse_reading(argv)
    assert slow is not None, f"{argv}: argparse refuses what the quick path reads as {fast}"
    assert {name: getattr(slow, name, None) for name in fast} == fast, argv


TOKENS = ["search", "reflections", "contacts", "--journal", "--journal=J", "J", "--limit", "--limit=3", "3", "-3",
          " 5", "5_0", "\u0663", "x", "--json", "--json=", "--json=1", "--contact", "priya-raman", "--contact=",
          "--kind", "give", "gift", "--kind=ask", "--since", "2026-11-01", "2026-11-1", "2026-13-01",
          "--since=2026-01-01 ", "--until", "--lim", "--js", "--jour", "--journal=", "--", "-", "-h", "--help",
          "--version", "--demo", "--theme", "dark", "", "a b", "-x y", "--tag", "--limit=-1", "--=x"]


@settings(max_examples=400, deadline=None)
@given(before=st.lists(st.sampled_from(TOKENS), max_size=3),
       command=st.sampled_from(["search", "reflections", "search", "reflections", "contacts"]),
       after=st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=6))
def test_a_command_line_is_read_as_argparse_reads_it_or_left_to_it(
        before: list[str], command: str, after: list[str]) -> None:
    same_reading([*before, command, *after])


VALUES = st.sampled_from(["3", "0", "-2", " 5", "5_0", "x", "", "2026-11-01", "2026-11-01 ", "give", "gift",
                          "priya-raman", "--json", "-"]) | st.text(max_size=4)
FITTING = {"--limit": ["3", "0", " 7", "-1"], "--contact": ["priya-raman", "nobody"], "--kind": ["give", "ask"],
           "--since": ["2026-11-01", "2026-01-31"], "--until": ["2026-11-30"], "--journal": ["J", "~/j"]}
OPTIONS = st.sampled_from(["--limit", "--json", "--contact", "--kind", "--since", "--until", "--journal", "--lim"])


@st.composite
def mostly_plain(draw: st.DrawFn) -> list[str]:
    """Command lines near the plain form: the command's options in any order and
    spelling, with values of every kind, and now and then one token out of place."""
    argv = draw(st.sampled_from([[], ["--journal", "J"], ["--journal=J"]]))
    argv.append(draw(st.sampled_from(["search", "reflections"])))
    words = []
    for option in draw(st.lists(OPTIONS, max_size=4)):
        value = draw(st.sampled_from(FITTING.get(option, ["x"])) if draw(st.integers(0, 3)) else VALUES)
        if option == "--json":
            words.append([option])
        elif draw(st.booleans()):
            words.append([f"{option}={value}"])
        else:
            words.append([option, value])
    if argv[-1] == "search" and draw(st.integers(0, 9)):
        words.insert(draw(st.integers(0, len(words))), [draw(st.sampled_from(["priya", "a b", "the"]) | VALUES)])
    if not draw(st.integers(0, 4)):
        words.insert(draw(st.integers(0, len(words))), [draw(st.sampled_from(TOKENS))])
    return argv + [word for group in words for word in group]


@settings(max_examples=400, deadline=None)
@given(mostly_plain())
def test_a_command_line_near_the_plain_form_is_read_as_argparse_reads_it(argv: list[str]) -> None:
    same_reading(argv)


@pytest.mark.parametrize("argv", [
    ["--journal", "J", "search", "alumni", "--limit", "5"],
    ["search", "quarterly alumni mixer", "--json", "--journal=J"],
    ["--journal", "J", "search", "--limit=0", "the", "--json"],
    ["--journal", "J", "reflections", "--limit", "10"],
    ["reflections", "--contact", "priya-raman", "--kind", "give", "--since", "2026-11-01", "--until",
     "2026-11-30", "--json", "--journal", "J"],
    ["--journal", "J", "search", "the", "--limit", " 7"],
])
def test_the_usual_command_lines_are_read_here(argv: list[str]) -> None:
    assert cli_quick.parse(argv) is not None
    same_reading(argv)


@pytest.mark.parametrize("argv", [
    ["--journal", "J", "search"], ["--journal", "J", "search", "a", "b"], ["search", "x", "--lim", "5"],
    ["search", "x", "--limit", "-5"], ["search", "--", "-x"], ["search", "x", "--limit", "five"],
    ["reflections", "--kind", "gift"], ["reflections", "--since", "2026-11-1"], ["search", "-h"],
    ["--journal", "A", "search", "x", "--journal", "B"], ["--demo", "search", "x"], ["search", ""],
    ["reflections", "extra"], ["search", "x", "--json=yes"],
])
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert cli_quick.parse(argv) is None


EXTRA = [
    ["search", "x", "--lim", "1"],  # an abbreviation: argparse reads it
    ["search", "the", "--limit", "-1", "--json"],
    ["reflections", "--kind", "gift"],  # usage errors, worded by argparse
    ["search"],
    ["search", "x", "--limit", "five"],
    ["reflections", "--contact", "nobody"],  # answered by the journal: no such contact
]


@pytest.mark.parametrize("command", COMMANDS + EXTRA, ids=[" ".join(c) for c in COMMANDS + EXTRA])
def test_the_program_prints_what_the_journal_prints(
        root: Path, command: list[str], capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(quick, "reflections", lambda *a, **k: None)
        patch.setattr(quick, "search", lambda *a, **k: None)
        code, out, err = run(capsys, "--journal", str(root), *command)
    done = program(root, *command)
    assert (done.returncode, done.stdout, done.stderr.replace("forked\n", "").replace("opened\n", "")) == (
        code, out, err)


QUIET = """
import os, sys
leave = os._exit
def report(code):
    sys.stderr.write(" ".join(sorted(name for name in ("argparse", "pathlib", "typing", "netjournal.cli",
                                                         "yaml", "tinydb") if name in sys.modules)))
    sys.stderr.flush()
    leave(code)
os._exit = report
from netjournal.program import run
sys.argv[0] = "netjournal"
run()
"""


@pytest.mark.parametrize("command", [["search", "priya"], ["search", "the", "--json", "--limit", "3"],
                                     ["reflections", "--limit", "3"], ["reflections", "--json"]])
def test_a_quick_answer_imports_no_argparse_pathlib_or_typing(root: Path, command: list[str]) -> None:  # noqa: F811
    done = subprocess.run([sys.executable, "-c", QUIET, "--journal", str(root), *command], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0 and done.stdout
    assert done.stderr.split("\n")[-1] == ""  # the modules the answer was made with: none of them


@pytest.mark.parametrize("named_folder, root_folder, same", [
    ("j", "j", True), ("j/", "j", True), ("./j", "j", True), ("a//b", "a/b", True), ("/a/b", "/a/b/", True),
    ("a/../b", "b", False), ("/j", "j", False), ("j", "k", False),
])
def test_folders_are_the_same_as_pathlib_says(named_folder: str, root_folder: str, same: bool) -> None:
    assert quick._same_folder(named_folder, root_folder) is same is (Path(named_folder) == Path(root_folder))


# ---------------------------------------------------------------------- named tuples without typing


def hit_body(namespace: dict[str, Any]) -> None:
    """The body of a class ``Hit(NamedTuple)`` with a default, a property and a method."""
    namespace.update(__module__=__name__, __doc__="A hit.", body=None, twice=lambda self: 2 * self.score,
                     stem=property(lambda self: self.path.rsplit("/", 1)[-1]),
                     __annotations__={"path": "str", "score": "int", "body": "str | None"})


Typed = types.new_class("Typed", (NamedTuple,), exec_body=hit_body)
Light = types.new_class("Light", (named.NamedTuple,), exec_body=hit_body)


def test_a_named_tuple_without_typing_is_typings_named_tuple() -> None:
    typed, light = Typed("a/b.md", 3), Light("a/b.md", 3)
    assert light == typed == ("a/b.md", 3, None) and isinstance(light, tuple)
    assert Light._fields == Typed._fields and Light._field_defaults == Typed._field_defaults
    assert (light.stem, light.twice(), light.body) == (typed.stem, typed.twice(), typed.body)
    assert repr(light).replace("Light", "Typed") == repr(typed) and Light.__doc__ == Typed.__doc__
    assert light._replace(score=4) == typed._replace(score=4) and light._asdict() == typed._asdict()
    assert Light.__qualname__ == "Light" and Light.__module__ == __name__ and not hasattr(light, "__dict__")
    assert list(Light.__annotations__) == list(Typed.__annotations__)
    with pytest.raises(TypeError):  # a field without a default after one with a default
        types.new_class("Bad", (named.NamedTuple,), exec_body=lambda namespace: namespace.update(
            __module__=__name__, __annotations__={"a": "int", "b": "int"}, a=1))


# ---------------------------------------------------------------------- text made safe, without a regex when it is printable


def test_every_character_the_patterns_change_is_one_isprintable_refuses() -> None:
    patterns = [re.compile(source) for source in (text.UNSAFE, text.BREAKS)]
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char.isprintable():
            assert not any(pattern.search(char) for pattern in patterns), f"U+{code:04X} {unicodedata.name(char, '')}"


def regex_clean(value: str, oneline: bool = True) -> str:
    if oneline:
        value = re.sub(text.BREAKS, " ", value)
    else:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(text.UNSAFE, text._picture, value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2100) | st.sampled_from("\x1b\x85\u2028\u202e\u200f\t\r\n")))
def test_clean_and_json_safe_are_the_patterns_own(value: str) -> None:
    assert text.clean(value) == regex_clean(value)
    assert text.clean(value, oneline=False) == regex_clean(value, oneline=False)
    assert text.json_safe(value) == re.sub(text.JSON_UNSAFE, lambda m: f"\\u{ord(m.group(0)):04x}", value)
