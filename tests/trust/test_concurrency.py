"""Two (and more) writers: CLI processes run at the same time on one journal.
No entry is lost, no change is silently overwritten, and the index agrees with
the files afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from netjournal.journal import Journal
from netjournal.model import STEP_KEYS
from tests.trust.helpers import assert_index_matches_files, temp_files

ROUNDS = 3


def _spawn(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "netjournal", "--journal", str(root), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )


def test_concurrent_cli_writers_lose_nothing(journal_root: Path) -> None:
    """Proves: in each of several rounds, ten `netjournal` processes started together
    (reflections with the same title, contacts with the same name, and every step
    set on one contact) all finish; every command that reported success is in the
    files (same titles get distinct files, every step reported done is done), any
    command that did not succeed said why in one line, and a fresh open finds the
    index in step with the files (touched == 0) and lists every entry."""
    root = journal_root
    started = 0
    added_reflections: list[str] = []
    added_contacts: list[str] = []
    steps_done: set[str] = set()
    for round_ in range(ROUNDS):
        jobs: list[tuple[list[str], subprocess.Popen[str]]] = []
        commands = [
            ["add", "reflection", f"Same title {round_}", "--contact", "ada-lovelace", "--json"],
            ["add", "reflection", f"Same title {round_}", "--contact", "ada-lovelace", "--json"],
            ["add", "reflection", f"Same title {round_}", "--kind", "give", "--json"],
            ["add", "contact", f"Grace Hopper {round_}", "--json"],
            ["add", "contact", f"Grace Hopper {round_}", "--json"],
        ]
        # every step on the same contact, each from its own process
        steps = STEP_KEYS if round_ % 2 == 0 else STEP_KEYS[:5]
        commands += [["step", "ada-lovelace", step, "--note", f"round {round_}"] for step in steps[:5]]
        for args in commands:
            jobs.append((args, _spawn(root, *args)))
        started += len(jobs)
        for args, proc in jobs:
            out, err = proc.communicate(timeout=60)
            assert "Traceback" not in err, err
            if args[0] == "add":
                assert proc.returncode == 0, (args, err)
                data = json.loads(out)
                (added_reflections if args[1] == "reflection" else added_contacts).append(data["path"])
            elif proc.returncode == 0:
                steps_done.add(args[2])
            else:  # refused, not lost: one clear line
                assert proc.returncode == 1 and err.count("\n") == 1 and "changed on disk" in err, err
        # undo the steps so the next round sets them again
        if round_ < ROUNDS - 1:
            journal = Journal.open(root)
            contact = journal.contact("ada-lovelace")
            for key in STEP_KEYS:
                if contact.steps[key].done:
                    assert key in steps_done or key in ("why", "offer"), f"step {key} done by nobody"
            for key in steps_done:
                assert contact.steps[key].done, f"step {key} was reported done but is not: a lost update"
                journal.unset_step("ada-lovelace", key)
            steps_done.clear()
            journal.close()

    print(f"\ntrust/concurrency: {started} CLI processes in {ROUNDS} rounds of 10 at once")
    assert len(set(added_reflections)) == len(added_reflections) == 3 * ROUNDS
    assert len(set(added_contacts)) == len(added_contacts) == 2 * ROUNDS
    journal = assert_index_matches_files(root, already_in_step=True)
    paths = {r.path for r in journal.reflections()}
    assert set(added_reflections) <= paths
    assert {c.path for c in journal.contacts()} >= set(added_contacts)
    contact = journal.contact("ada-lovelace")
    for key in steps_done:
        assert contact.steps[key].done, f"step {key} was reported done but is not: a lost update"
    assert not temp_files(root)
    assert not [p for p in journal.problems() if p.severity == "error"]
