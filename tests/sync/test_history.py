"""``history``, ``restore-version`` and ``undo``: every committed version of an entry,
one brought back as a new change (through the edit protocol), and the last change
netjournal made taken back by a new commit -- never a history rewrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netjournal.edits import SaveConflict
from netjournal.sync.history import find_version, restore_version, versions
from netjournal.sync.repo import Repo
from tests.sync.machines import Machine

AISHA = "contacts/aisha-bello.md"


@pytest.fixture
def solo(solo: Machine) -> Machine:
    """The sample journal in a repository of its own, autocommit on."""
    solo.autocommit_on()
    return solo


def test_history_lists_versions_with_what_changed(solo: Machine) -> None:
    solo.ok("step", "aisha-bello", "offer", "--note", "An intro")
    solo.ok("step", "aisha-bello", "connect")
    out = solo.ok("history", "aisha-bello")
    assert out.startswith(f"{AISHA}: 3 versions, newest first")
    lines = out.splitlines()
    assert "Contact: Aisha Bello (connect)" in lines[2] and "autocommit on solo" in lines[2]
    assert "Contact: Aisha Bello (offer)" in lines[3]
    assert "Contact: Aisha Bello (new)" in lines[4]
    data = json.loads(solo.ok("history", AISHA, "--json"))
    assert [v["number"] for v in data] == [1, 2, 3]
    assert data[0]["what"] == "Contact: Aisha Bello (connect)" and data[0]["step"] == "autocommit"
    assert set(data[0]) >= {"rev", "date", "author", "message", "path", "status", "host"}


def test_history_show_prints_one_version(solo: Machine) -> None:
    first = solo.read(AISHA)
    solo.ok("step", "aisha-bello", "offer", "--note", "An intro")
    assert solo.ok("history", "aisha-bello", "--show", "2") == first
    rev = json.loads(solo.ok("history", "aisha-bello", "--json"))[1]["rev"]
    assert solo.ok("history", "aisha-bello", "--show", rev[:10]) == first
    shown = json.loads(solo.ok("history", "aisha-bello", "--show", "1", "--json"))
    assert shown["text"] == solo.read(AISHA) and shown["number"] == 1


def test_history_of_a_reflection_by_its_id(solo: Machine) -> None:
    out = solo.ok("add", "reflection", "Coffee with Aisha", "--contact", "aisha-bello")
    rel = out.split()[-1]
    stem = Path(rel).stem
    assert solo.ok("history", stem).startswith(f"{rel}: 1 version,")


def test_history_of_an_unknown_entry(solo: Machine) -> None:
    code, out, err = solo.run("history", "nobody-at-all")
    assert code == 1 and "no contact or reflection 'nobody-at-all'" in err
    code, out, err = solo.run("history", "aisha-bello", "--show", "9")
    assert code == 1 and "has 1 version(s); there is no number 9" in err


def test_restore_version_brings_it_back_as_a_new_change(solo: Machine) -> None:
    first = solo.read(AISHA)
    solo.ok("step", "aisha-bello", "offer", "--note", "An intro")
    solo.ok("step", "aisha-bello", "connect")
    commits = solo.commits()
    out = solo.ok("restore-version", "aisha-bello", "3")
    assert out.startswith(f"Restored {AISHA} as of ") and "(version 3, " in out
    assert solo.read(AISHA) == first  # exactly that version, byte for byte
    assert solo.commits() == commits + 1
    assert solo.git("log", "-1", "--format=%s").startswith("Restore Contact: Aisha Bello as of ")
    assert "Netjournal: restore-version" in solo.git("log", "-1", "--format=%B")
    assert not solo.journal().contact("aisha-bello").steps["connect"].done
    # the versions in between are still there
    assert solo.ok("history", "aisha-bello").startswith(f"{AISHA}: 4 versions")


def test_restore_commits_what_was_not_committed_first(solo: Machine) -> None:
    solo.replace(AISHA, "Works alongside", "Hand-written words, never committed: works alongside")
    solo.ok("restore-version", "aisha-bello", "1")
    assert "Hand-written words" not in solo.read(AISHA)
    assert "Hand-written words" in solo.ok("history", "aisha-bello", "--show", "2")


def test_restore_is_a_conflict_when_the_file_changed_since_it_was_opened(solo: Machine) -> None:
    """The app shows a version, the user chooses restore; meanwhile another program
    saved the file: the restore is a conflict, and the other program's words stay."""
    solo.ok("step", "aisha-bello", "offer")
    journal = solo.journal()
    repo = Repo.open(solo.root)
    edit = journal.edit(AISHA)  # what the screen shows
    solo.replace(AISHA, "Works alongside", "Saved by another program: works alongside")
    version = find_version(repo, AISHA, "2", versions(repo, AISHA))
    with pytest.raises(SaveConflict):
        restore_version(repo, journal, AISHA, version, edit=edit)
    assert "Saved by another program" in solo.read(AISHA)


def test_restore_a_deleted_entry(solo: Machine) -> None:
    original = solo.read(AISHA)
    solo.journal().delete(AISHA)
    solo.sync()
    out = solo.ok("restore-version", AISHA, "2")
    assert "Restored" in out and solo.read(AISHA) == original
    assert "Aisha Bello" in [c.name for c in solo.journal().contacts()]


def test_undo_takes_back_the_last_change(solo: Machine) -> None:
    before = solo.read(AISHA)
    solo.ok("step", "aisha-bello", "offer", "--note", "An intro")
    changed = solo.git("rev-parse", "HEAD")
    out = solo.ok("undo")
    assert out.startswith("Undid 'Contact: Aisha Bello (offer)' (") and AISHA in out
    assert solo.read(AISHA) == before
    message = solo.git("log", "-1", "--format=%B")
    assert message.startswith("Undo: Contact: Aisha Bello (offer)")
    assert f"Netjournal-Undoes: {changed}" in message
    assert solo.git("rev-list", "--count", f"{changed}..HEAD") == "1"  # a new commit; nothing rewritten


def test_undo_twice_goes_further_back(solo: Machine) -> None:
    before = solo.read(AISHA)
    solo.ok("step", "aisha-bello", "offer")
    solo.ok("add", "reflection", "Coffee with Aisha", "--contact", "aisha-bello")
    assert "Undid 'Reflection: Coffee with Aisha'" in solo.ok("undo")
    assert "Undid 'Contact: Aisha Bello (offer)'" in solo.ok("undo")
    assert solo.read(AISHA) == before
    assert not [r for r in solo.journal().reflections() if r.title == "Coffee with Aisha"]
    # the undone reflection is in the trash, not gone
    assert list((solo.root / ".netjournal" / "trash").rglob("*coffee-with-aisha.md"))


def test_undo_refuses_when_the_file_changed_since(solo: Machine) -> None:
    solo.ok("step", "aisha-bello", "offer")
    solo.replace(AISHA, "Works alongside", "Edited by hand: works alongside")
    text, head = solo.read(AISHA), solo.head()
    code, out, err = solo.run("undo")
    assert code == 1
    assert err.strip().startswith(f"netjournal: not undone: {AISHA} changed after 'Contact: Aisha Bello (offer)'")
    assert solo.read(AISHA) == text and solo.head() == head


def test_undo_with_nothing_of_netjournals(tmp_path: Path, cli) -> None:  # noqa: ANN001
    machine = Machine(tmp_path / "j", "j", cli)
    machine.ok("init", str(machine.root))
    machine.ok("git", "init")
    code, out, err = machine.run("undo")
    assert code == 1 and "no change of netjournal's to undo" in err


def test_what_changed_is_each_commits_own_change_after_two_machines_merged(laptop: Machine, desk: Machine) -> None:
    # the laptop changes the role, the desk the offer; after the merge the history lists
    # both machines' commits one after the other: each must say what it changed itself,
    # not what differs from the other machine's version listed below it
    priya = "contacts/priya-raman.md"
    laptop.replace(priya, "role: Director of executive education", "role: Dean")
    laptop.sync()
    desk.replace(priya, "\noffer: ", "\noffer: Coffee on Fridays; ")
    desk.sync()
    data = json.loads(desk.ok("history", "priya-raman", "--json"))
    assert [(v["host"], v["what"]) for v in data[:2]] == [
        ("desk", "Contact: Priya Raman (offer)"), ("laptop", "Contact: Priya Raman (role)")]
    # the app's diff of the desk's version shows its own change only
    from netjournal.sync.history import version_diff

    repo = Repo.open(desk.root)
    found = versions(repo, priya)
    changed = [line for line in version_diff(repo, found, found[0]) if line[:1] in "+-"]
    assert changed[0].startswith("--- contacts/priya-raman.md (before ")
    assert [line.split(":")[0] for line in changed[2:]] == ["-offer", "+offer"]
