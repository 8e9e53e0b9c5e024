"""Attack: contacts written by hand in every shape a user or another program writes
front matter, then every step marked, one `netjournal step` at a time.  Each save must
change exactly one line of the file (the step's own line, or the one line of a flow
`steps: {...}`); every other byte -- comments, `~`, quotes, values YAML reads as
something else, fences, newlines -- must come back as the user wrote it."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from netjournal.model import STEP_KEYS
from tests.trust.conftest import Run

ALL_NULL = "".join(f"  {key}: null\n" for key in STEP_KEYS)

SHAPES = {
    "comments, ~ and quotes": (
        "---\n# Sam, as I keep him\nname: Sam Ortiz   # met at the summit\n"
        "tags: [edtech, \"conference\"]\nsteps:   # my steps, in my order\n"
        "  why: ~        # not yet: see below\n  # the offer comes once I know what he needs\n"
        "  offer: ~\n  connect: Null\n  trust: null\n  deepen:\n  known: ~\n"
        "role: 'Founder'\nnote: \"met at 9:30\"\narchived: false\n---\nSwapped cards.\n"
    ),
    "flow steps": "---\nname: Sam Ortiz\nsteps: {why: ~, offer: ~}   # two so far\n---\nBody.\n",
    "flow steps, all six": "---\nname: Sam Ortiz\nsteps: {why: ~, offer: ~, connect: ~, trust: ~, deepen: ~, known: ~}\n---\n",
    "values YAML misreads": (
        "---\nname: Sam Ortiz\nmode: 0755\nversion: 3.10\nok: yes\nseen: 2026-01-04\n"
        "at: 2026-01-04 10:00:00+01:00\ncode: !!str 0755\nsaid: a long line\n  that goes on\n"
        "steps:\n  why: {date: 2026-01-04, note: 9:30}\n  offer: null\n  connect: null\n"
        "  trust: null\n  deepen: null\n  known: null\n---\n"
    ),
    "continuation at column 0": (
        '---\ntitle: "a long title\ncontinued at column 0"\nname: Sam Ortiz\ntags: [a,\nb]\nsteps:\n'
        + ALL_NULL + "---\nBody.\n"
    ),
    "indented by one space": "---\n name: Sam Ortiz\n steps:\n" + ALL_NULL.replace("  ", "   ") + "---\n",
    "... end marker": "---\nname: Sam Ortiz\nsteps:\n" + ALL_NULL + "...\nBody.\n",
    "spaces after the fences": "---   \nname: Sam Ortiz\nsteps:\n" + ALL_NULL + "---  \nBody.\n",
    "no final newline": "---\nname: Sam Ortiz\nsteps:\n" + ALL_NULL + "---",
    "LF under a CRLF fence": "---\r\nname: Sam Ortiz\nsteps:\n" + ALL_NULL + "---\nBody.\r\n",
    "CRLF with an LF line": (
        "---\r\nname: Sam Ortiz\r\nsteps:\r\n" + ALL_NULL.replace("\n", "\r\n").replace("  trust: null\r\n", "  trust: null\n")
        + "---\r\nBody.\r\n"
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_step_marked_from_the_cli_changes_one_line(shape: str, journal_root: Path, cli: Run) -> None:
    """Every step marked in turn: one line changed per save, nothing else."""
    path = journal_root / "contacts" / "sam-ortiz.md"
    path.write_bytes(SHAPES[shape].encode("utf-8"))
    saves = 0
    for key in STEP_KEYS:
        before = path.read_bytes().decode("utf-8")
        if f"{key}: 20" in before or f"{key}: {{date" in before:
            continue  # already done
        code, _, err = cli("--journal", journal_root, "step", "sam-ortiz", key)
        assert code == 0, err
        after = path.read_bytes().decode("utf-8")
        a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
        changes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                   if op[0] != "equal"]
        assert [op[0] for op in changes] == ["replace"], (shape, key, changes)
        _, i1, i2, j1, j2 = changes[0]
        assert i2 - i1 == 1 and j2 - j1 == 1, (shape, key, a[i1:i2], b[j1:j2])
        old_line, new_line = a[i1], b[j1]
        assert key in new_line and "2026-11-25" in new_line
        # the rest of that line is the user's: its indentation, comment and newline
        assert new_line[: len(new_line) - len(new_line.lstrip())] == old_line[: len(old_line) - len(old_line.lstrip())]
        assert old_line.endswith("\r\n") == new_line.endswith("\r\n")
        if "#" in old_line:
            assert old_line[old_line.index("#"):] == new_line[new_line.index("#"):]
        saves += 1
    assert saves >= 5
    print(f"\ntrust/surgical: {shape}: {saves} steps marked, one line changed each time")
