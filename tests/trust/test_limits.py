"""Limits, paths and the cache: over-long values, writes that would leave the journal,
the cache deleted while commands run, and names other systems cannot hold (issue 9,
items 10-13)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netjournal.journal import Journal, JournalError
from netjournal.model import STEP_KEYS
from netjournal.store.entries import load
from netjournal.store.files import windows_reserved
from tests.trust.helpers import assert_index_matches_files, snapshot

ADA = "contacts/ada-lovelace.md"

# ---------------------------------------------------------------------- 10. values too long to read back

LONG_NOTE = "n" * 70_000
LONG_VALUE = "v" * 100_000


@pytest.mark.parametrize("args", [
    ["step", "ada-lovelace", "connect", "--note", LONG_NOTE],
    ["add", "contact", "Grace", "--why", LONG_VALUE],
    ["add", "contact", LONG_VALUE],
    ["add", "contact", "Grace", "--tag", LONG_VALUE],
    ["add", "reflection", LONG_VALUE],
    ["add", "reflection", "Tea", "--tag", LONG_VALUE],
], ids=["step-note-70k", "why-100k", "name-100k", "contact-tag-100k", "title-100k", "reflection-tag-100k"])
def test_a_value_too_long_for_front_matter_is_refused_before_writing(journal_root: Path, cli, args: list[str]) -> None:
    """Proves (item 10): a 70,000-character step note, or a 100 KB why, name, title or
    tag, is refused with one clear line (exit 1) before anything is written: front
    matter over 64 KiB is a file the journal could not read back, and the entry would
    vanish from every list.  The journal is byte for byte as it was."""
    root = journal_root
    before = snapshot(root)
    code, out, err = cli("--journal", root, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "over the 64 KiB" in err and "nothing was written" in err, err
    assert len(err) < 400
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith(".netjournal")} == \
        {k: v for k, v in before.items() if not k.startswith(".netjournal")}
    assert_index_matches_files(root)


def test_the_facade_refuses_it_too(journal_root: Path) -> None:
    """The same through the facade the app and the import use: JournalError, nothing
    written, the contact still readable, whatever the value (a step note, a why, the
    body of a reflection that would pass 8 MiB, a why in an import)."""
    journal = Journal.open(journal_root)
    data = (journal_root / ADA).read_bytes()
    with pytest.raises(JournalError, match="steps.trust.note is 70,000 characters"):
        journal.set_step_note("ada-lovelace", "trust", LONG_NOTE)
    with pytest.raises(JournalError, match="why is 100,000 characters"):
        journal.update_contact("ada-lovelace", {"why": LONG_VALUE})
    with pytest.raises(JournalError, match="over the 8 MiB"):
        journal.add_reflection("Huge", body="b" * (8 * 1024 * 1024 + 1))
    # an import's many new files at once: that one is refused, the others written
    results = journal.create_many([("contact", {"name": "Grace", "why": LONG_VALUE}, ""),
                                   ("contact", {"name": "Alan"}, "")])
    assert isinstance(results[0], JournalError) and "why is 100,000 characters" in str(results[0])
    assert not isinstance(results[1], JournalError)
    assert sorted(p.name for p in (journal_root / "contacts").iterdir()) == ["ada-lovelace.md", "alan.md"]
    assert (journal_root / ADA).read_bytes() == data
    assert journal.contact("ada-lovelace").why == "She sees further"
    assert [r.title for r in journal.reflections()] == ["Met Ada"]


# ---------------------------------------------------------------------- 11. no write leaves the journal


@pytest.mark.parametrize("link", ["year", "contacts"])
def test_restore_never_follows_a_symlinked_folder_out_of_the_journal(journal_root: Path, tmp_path: Path, cli,
                                                                     link: str) -> None:
    """Proves (item 11): a file deleted to the trash, whose folder (a year folder, or
    `contacts/`) was then replaced by a symlink to a folder outside the journal, is
    not restored through that link: one clear line, nothing written outside, the file
    still in the trash."""
    root = journal_root
    outside = tmp_path / "outside"
    outside.mkdir()
    rel = "reflections/2026/2026-11-25-met-ada.md" if link == "year" else ADA
    code, _, err = cli("--journal", root, "add", "reflection", "Keep", "--contact", "ada-lovelace")
    journal = Journal.open(root)
    trashed = journal.delete(rel)
    journal.close()
    folder = (root / rel).parent
    shutil.move(str(folder), str(tmp_path / "moved-away"))
    folder.symlink_to(outside, target_is_directory=True)
    code, out, err = cli("--journal", root, "restore", trashed)
    assert code == 1 and err.count("\n") == 1 and "outside the journal" in err and "nothing was written" in err, err
    assert list(outside.iterdir()) == []
    assert trashed.is_file()
    # put back where the folder is real again, it restores
    folder.unlink()
    shutil.move(str(tmp_path / "moved-away"), str(folder))
    code, out, err = cli("--journal", root, "restore", trashed)
    assert code == 0 and (root / rel).is_file() and not trashed.exists(), err


def test_restore_never_replaces_a_file(journal_root: Path, cli) -> None:
    """A file that came back by other means meanwhile is not overwritten."""
    journal = Journal.open(journal_root)
    data = (journal_root / ADA).read_bytes()
    trashed = journal.delete(ADA)
    (journal_root / ADA).write_text("---\nname: Ada, written again\n---\n")
    code, _, err = cli("--journal", journal_root, "restore", trashed)
    assert code == 1 and "exists" in err
    assert trashed.read_bytes() == data and "written again" in (journal_root / ADA).read_text()


# ---------------------------------------------------------------------- 12. the cache deleted while commands run

# Six processes, each owning one of Ada's six steps, mark it again and again with a
# counter as its note; before each save each checks that its step still holds the
# counter it last wrote (no other process writes that step, so anything else means
# one of its saves was overwritten: a lost update).  A conflict between them would
# mean two of them were in a save at once, i.e. held different locks.
STEPPER = r'''
import sys
from netjournal.journal import Journal, IndexNotUpdated, SaveConflict
root, step, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
for attempt in range(50):
    try:
        journal = Journal.open(root)
        break
    except OSError:  # the cache vanished while it was being written, 20 times over
        continue
else:
    raise SystemExit("could not open the journal while the cache was being deleted")
lost, cache_trouble, expected, conflicts = [], 0, None, 0
for i in range(1, rounds + 1):
    note = journal.contact("ada-lovelace").steps[step].note
    if expected is not None and note != expected:
        lost.append((expected, note))
    try:
        journal.set_step("ada-lovelace", step, note=str(i))
        expected = str(i)
    except SaveConflict:  # two of netjournal's own saves at once: two processes held "the" lock
        expected, conflicts = None, conflicts + 1
    except IndexNotUpdated:  # the file is saved; only the cache is behind
        expected, cache_trouble = str(i), cache_trouble + 1
    except OSError:  # one clear error, outcome unknown: not counted either way
        expected, cache_trouble = None, cache_trouble + 1
journal.close()
print(len(lost) + conflicts, lost[:3], conflicts, cache_trouble)
'''

DELETER = r'''
import os, shutil, sys, time
state, stop = sys.argv[1], sys.argv[2]
deleted = 0
end = time.monotonic() + 600
while time.monotonic() < end and not os.path.exists(stop):
    if os.path.isdir(state):
        shutil.rmtree(state, ignore_errors=True)
        deleted += 1
    time.sleep(0.01)
print(deleted)
'''

STEPPER_ROUNDS = 60
CLI_ROUNDS = 3


def test_deleting_the_cache_while_commands_run_loses_no_step(journal_root: Path, tmp_path: Path) -> None:
    """Proves (item 12): `.netjournal/` deleted over and over while six processes mark
    steps on one contact loses no finished step.  The lock is taken on the journal
    folder itself, which deleting the cache cannot replace (a lock file inside the
    cache was recreated, so two processes held different locks).  Then the same with
    rounds of six `netjournal step` commands started at once: every one that
    succeeded is on disk, any that failed said why in one line."""
    root = journal_root
    state = root / ".netjournal"
    stop = tmp_path / "stop-deleting"
    deleter = subprocess.Popen([sys.executable, "-c", DELETER, str(state), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        workers = [subprocess.Popen([sys.executable, "-c", STEPPER, str(root), step, str(STEPPER_ROUNDS)],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for step in STEP_KEYS]
        for step, worker in zip(STEP_KEYS, workers):
            out, err = worker.communicate(timeout=300)
            assert worker.returncode == 0 and "Traceback" not in err, err
            assert out.startswith("0 "), f"step {step}: saves lost or in conflict while the cache was deleted: {out}"
        contact = load(root, ADA).contact
        assert contact is not None
        assert all(contact.steps[step].note == str(STEPPER_ROUNDS) for step in STEP_KEYS), contact.steps
        commands = 0
        for round_ in range(CLI_ROUNDS):
            jobs = [(step, subprocess.Popen(
                [sys.executable, "-m", "netjournal", "--journal", str(root), "step", "ada-lovelace", step,
                 "--note", f"cli {round_}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
                for step in STEP_KEYS]
            done = []
            for step, proc in jobs:
                out, err = proc.communicate(timeout=120)
                assert "Traceback" not in err, err
                if proc.returncode == 0:
                    done.append(step)
                else:
                    assert err.count("\n") == 1, err
            commands += len(jobs)
            contact = load(root, ADA).contact  # the file itself: the cache is being deleted
            assert contact is not None
            for step in done:
                assert contact.steps[step].note == f"cli {round_}", step
    finally:
        stop.touch()
        deleted = deleter.communicate(timeout=60)[0]
    print(f"\ntrust/limits: {len(STEP_KEYS)} processes x {STEPPER_ROUNDS} steps and {commands} step commands "
          f"while .netjournal/ was deleted {deleted.strip()} times: no step lost")
    assert_index_matches_files(root)


# ---------------------------------------------------------------------- 13. odd arguments, names other systems refuse


def test_a_tag_that_is_only_dashes_is_a_usage_error(journal_root: Path, cli) -> None:
    """Proves (item 13): `add reflection t --tag=--` ended in a traceback (argparse
    gives such an option an empty list); it is a one-line usage error now (exit 2),
    and a tag of other dashes (`---`) is just a tag."""
    before = snapshot(journal_root)
    for args in (["add", "reflection", "t", "--tag=--"], ["add", "contact", "Grace", "--tag=--"],
                 ["step", "ada-lovelace", "trust", "--note=--"], ["add", "contact", "Grace", "--why=--"]):
        code, out, err = cli("--journal", journal_root, *args)
        assert code == 2 and out == "" and err.count("\n") == 1 and "'--' cannot be one" in err, (args, err)
    assert snapshot(journal_root) == before
    code, out, err = cli("--journal", journal_root, "add", "reflection", "t", "--tag=---", "--json")
    assert code == 0 and json.loads(out)["tags"] == ["---"], err


@pytest.mark.parametrize("name", ["con", "CON", "Nul", "aux", "prn", "com1", "COM9", "lpt1", "Lpt9"])
def test_names_windows_cannot_hold_get_another_slug(journal_root: Path, cli, name: str) -> None:
    """Proves (item 13): a contact named `con`, `nul`, `aux`, `prn`, `com1`-`com9` or
    `lpt1`-`lpt9` (any case) would be `contacts/con.md`, a file Windows cannot hold,
    and the journal is meant to be synced and opened there: the slug gets a tail
    (`con-contact`), and a second one the usual number."""
    code, out, err = cli("--journal", journal_root, "add", "contact", name, "--json")
    assert code == 0, err
    slug = json.loads(out)["slug"]
    assert slug == f"{name.lower()}-contact" and not windows_reserved(slug)
    code, out, _ = cli("--journal", journal_root, "add", "contact", name, "--json")
    assert json.loads(out)["slug"] == f"{name.lower()}-contact-2"
    for path in (journal_root / "contacts").iterdir():
        assert not windows_reserved(path.name)


def test_every_created_name_is_safe_elsewhere(journal_root: Path, cli) -> None:
    """No created file name ends in a dot or a space, none is reserved, none is longer
    than a hundred characters, whatever the name or title given."""
    names = ["Con.", "nul ", "A" * 300, "x" + "." * 50, "trailing dots...", "  spaces  ", "com1.txt", "lpt9 ."]
    for name in names:
        assert cli("--journal", journal_root, "add", "contact", name)[0] == 0
        assert cli("--journal", journal_root, "add", "reflection", name)[0] == 0
    for path in list((journal_root / "contacts").iterdir()) + list((journal_root / "reflections" / "2026").iterdir()):
        stem = path.name[:-3]
        assert path.name.endswith(".md") and len(path.name) <= 100, path.name
        assert stem == stem.rstrip(". ") and not windows_reserved(path.name), path.name
