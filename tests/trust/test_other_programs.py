"""Other programs share the journal folder: editors saving while a command runs, sync
tools that put mtimes back, their temp files, odd directory entries, symlinks.

Each test attacks one promise the README makes about the user's files when other
programs write beside netjournal (issue 9, items 5-9)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netjournal.journal import Journal
from netjournal.store import listing
from netjournal.store.files import RACY_NS
from tests.conftest import TODAY
from tests.trust.helpers import assert_index_matches_files

ADA = "contacts/ada-lovelace.md"

# ---------------------------------------------------------------------- 5. an editor saving during a command

# An editor's save, as vim, VS Code or a sync tool make it: write the new text to a
# temp file beside the file, fsync, rename over the file.  Each save adds a line of its
# own to the body, so that a save that was overwritten shows as a missing line.
#
# Unlike a real editor, which saves its buffer, this one re-reads the file before each
# save (so that its lines and netjournal's changes accumulate).  When netjournal finds,
# at the instant of its rename, that an editor save landed just before, it swaps that
# save back within microseconds; a read in those microseconds sees netjournal's version
# for a moment.  So a read that lacks the editor's own previous line looks again a
# moment later, and only a line still missing then was overwritten.  Those are counted.
EDITOR = r'''
import os, random, sys, time
path, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
folder, name = os.path.split(path)
tmp = os.path.join(folder, "." + name + ".editor-save~")
lost = []
for k in range(count):
    for attempt in range(3):
        with open(path, "rb") as handle:
            data = handle.read()
        if k == 0 or ("external save %d\n" % (k - 1)).encode() in data:
            break
        time.sleep(0.002)
    else:
        lost.append(k - 1)
    data += ("external save %d\n" % k).encode()
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    time.sleep(rng.uniform(0, 0.003))
print(count, lost)
'''

# netjournal's side: one process saving the same contact in a loop through the facade
# (each save loads the file afresh, as a command does), counting its conflicts.
SAVER = r'''
import json, sys
from netjournal.journal import Journal, SaveConflict
root, rounds, which = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
journal = Journal.open(root)
steps = ["connect", "trust", "deepen", "known"]
saved = conflicts = 0
for i in range(rounds):
    try:
        if i % 3 == 0:
            journal.set_step("ada-lovelace", steps[(i + which) % 4], note=f"saver {which} round {i}")
        elif i % 3 == 1:
            journal.unset_step("ada-lovelace", steps[(i + which) % 4])
        else:
            journal.update_contact("ada-lovelace", {"role": f"role {which}.{i}"})
        saved += 1
    except SaveConflict:
        conflicts += 1
journal.close()
print(json.dumps({"saved": saved, "conflicts": conflicts}))
'''

EDITOR_SAVES = 400
SAVER_ROUNDS = 150


def _python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_an_editor_saving_while_commands_save_loses_nothing(journal_root: Path) -> None:
    """Proves (item 5): an editor saving the contact's file (write temp, fsync,
    rename) in a loop while two processes and a stream of `step` and `add` commands
    save the same file never has a save overwritten: every one of its 400 saves is
    in the file at the end.  A netjournal save that finds the file changed -- before
    rendering, or in the instant before its own rename -- writes nothing and reports
    a conflict (a command: one line, exit 1)."""
    root = journal_root
    path = root / ADA
    editor = _python("-c", EDITOR, str(path), str(EDITOR_SAVES), "9")
    savers = [_python("-c", SAVER, str(root), str(SAVER_ROUNDS), str(n)) for n in range(2)]
    commands = 0
    refused = 0
    while editor.poll() is None and commands < 40:
        step = ["step", "ada-lovelace", ("why", "offer", "connect")[commands % 3], "--note", f"cli {commands}"]
        add = ["add", "reflection", f"Call {commands}", "--contact", "ada-lovelace"]
        args = step if commands % 2 == 0 else add
        proc = _python("-m", "netjournal", "--journal", str(root), *args)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        if proc.returncode != 0:
            assert proc.returncode == 1 and err.count("\n") == 1 and "changed on disk" in err, err
            refused += 1
        commands += 1
    out, err = editor.communicate(timeout=120)
    assert editor.returncode == 0 and out.startswith(f"{EDITOR_SAVES} "), err
    overwritten = json.loads(out.split(" ", 1)[1])
    results = []
    for saver in savers:
        out, err = saver.communicate(timeout=120)
        assert saver.returncode == 0, err
        results.append(json.loads(out))
    # what is on disk at the end: the file, and any conflict copy kept beside it
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.glob("ada-lovelace*.md")))
    lost = sorted(set(overwritten) | {k for k in range(EDITOR_SAVES) if f"external save {k}\n" not in text})
    saved = sum(r["saved"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    print(f"\ntrust/other-programs: {EDITOR_SAVES} editor saves against {2 * SAVER_ROUNDS} facade saves "
          f"({saved} saved, {conflicts} conflicts) and {commands} commands ({refused} refused): "
          f"{len(lost)} editor saves lost")
    assert lost == [], f"editor saves overwritten without a conflict: {lost}"
    assert saved > 0 and conflicts > 0  # the race was run, both ways
    assert_index_matches_files(root)
