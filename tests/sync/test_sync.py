"""``netjournal sync`` between two machines and one bare repository: what each side
changed arrives on the other, both end equal, and nothing is ever lost -- a file both
changed is merged key by key, or the other side's version is kept beside it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.sync.machines import Machine, tracked_files, with_markers

AISHA = "contacts/aisha-bello.md"
PRIYA = "contacts/priya-raman.md"


def converge(a: Machine, b: Machine) -> None:
    """Sync both until each has the other's last word, then check they are equal."""
    a.sync()
    b.sync()
    a.sync()
    assert a.head() == b.head()
    assert tracked_files(a.root) == tracked_files(b.root)
    assert not a.git("status", "--porcelain") and not b.git("status", "--porcelain")
    assert not with_markers(a.root) and not with_markers(b.root)


def test_the_second_machine_gets_the_journal(laptop: Machine, desk: Machine) -> None:
    assert tracked_files(desk.root) == tracked_files(laptop.root)
    assert (desk.root / ".gitignore").read_text().count(".netjournal/") == 1
    assert "Aisha Bello" in [c.name for c in desk.journal().contacts()]


def test_changes_to_different_files_both_arrive(laptop: Machine, desk: Machine) -> None:
    laptop.ok("add", "reflection", "Coffee with Aisha", "--contact", "aisha-bello", "--kind", "meeting")
    desk.ok("step", "priya-raman", "known", "--note", "She vouched for me")
    out = laptop.sync()
    assert "Committed here: Reflection: Coffee with Aisha" in out and "Went out (1)" in out
    out = desk.sync()
    assert "Committed here: Contact: Priya Raman (known)" in out
    assert "Came in (1):\n  Reflection: Coffee with Aisha" in out
    converge(laptop, desk)
    assert "She vouched for me" in laptop.read(PRIYA)
    titles = [r.title for r in desk.journal().reflections(contact="aisha-bello")]
    assert "Coffee with Aisha" in titles


def test_same_file_different_keys_are_merged(laptop: Machine, desk: Machine) -> None:
    """Two steps are adjacent lines: git alone would stop on a conflict; the merge goes
    key by key.  A front matter key and the body are merged too."""
    laptop.ok("step", "aisha-bello", "offer", "--note", "An intro to our L&D lead")
    laptop.replace(AISHA, "Works alongside", "Works closely alongside")
    desk.ok("step", "aisha-bello", "connect")
    desk.replace(AISHA, "role: Head of client programmes", "role: Director of client programmes")
    laptop.sync()
    out = desk.sync()
    assert f"Merged {AISHA}: both changed different things" in out
    assert "Conflict" not in out
    converge(laptop, desk)
    text = desk.read(AISHA)
    assert "An intro to our L&D lead" in text and "connect: 2026-11-25" in text
    assert "role: Director of client programmes" in text and "Works closely alongside" in text
    assert not list((desk.root / "contacts").glob("*.conflict-*"))
    contact = desk.journal().contact("aisha-bello")
    assert contact.steps["offer"].done and contact.steps["connect"].done


def test_same_key_changed_differently_keeps_both_versions(laptop: Machine, desk: Machine) -> None:
    laptop.ok("step", "aisha-bello", "trust", "--note", "Laptop's note")
    desk.ok("step", "aisha-bello", "trust", "--note", "Desk's note")
    laptop.sync()
    out = desk.sync()
    copies = list((desk.root / "contacts").glob("aisha-bello.conflict-laptop-*.md"))
    assert len(copies) == 1, out
    copy = copies[0].relative_to(desk.root).as_posix()
    assert f"Conflict: {AISHA} changed on both machines; yours stays, theirs is {copy}" in out
    # the copy is made here and pushed: said once, as the conflict, not as something
    # that came in (nor again as something that went out)
    assert out.count(copy) == 1, out
    assert not [line for line in out.splitlines() if line.startswith("  ") and "onflict cop" in line], out
    assert "Came in" not in out, out  # the laptop's version of the note is the copy, told above
    went_out = out.split("Went out", 1)[1].split("\nConflict:", 1)[0]
    assert "Aisha Bello" in went_out, out  # the desk's own version went out
    assert "Desk's note" in desk.read(AISHA) and "Laptop's note" in desk.read(copy)
    converge(laptop, desk)
    journal = laptop.journal()
    # the copy is a problem beside its original, never a second contact
    assert [c.name for c in journal.contacts()].count("Aisha Bello") == 1
    problems = [p for p in journal.problems() if p.path == copy]
    assert problems and "conflict copy of contacts/aisha-bello.md" in problems[0].reason


def test_the_same_change_on_both_is_no_conflict(laptop: Machine, desk: Machine) -> None:
    laptop.ok("step", "aisha-bello", "connect")
    desk.ok("step", "aisha-bello", "connect")
    laptop.sync()
    out = desk.sync()
    assert "Conflict" not in out
    converge(laptop, desk)


def test_a_body_changed_on_the_same_lines_keeps_both(laptop: Machine, desk: Machine) -> None:
    laptop.replace(AISHA, "Works alongside", "Laptop: works alongside")
    desk.replace(AISHA, "Works alongside", "Desk: works alongside")
    laptop.sync()
    desk.sync()
    converge(laptop, desk)
    texts = [p.read_text() for p in (laptop.root / "contacts").glob("aisha-bello*.md")]
    assert len(texts) == 2
    assert any("Laptop: works" in t for t in texts) and any("Desk: works" in t for t in texts)


def test_edited_here_deleted_there_keeps_the_words(laptop: Machine, desk: Machine) -> None:
    laptop.replace(AISHA, "Works alongside", "Works (edited on the laptop) alongside")
    desk.journal().delete(AISHA)
    laptop.sync()
    out = desk.sync()
    assert "changed on the other machine: kept" in out
    converge(laptop, desk)
    assert "edited on the laptop" in desk.read(AISHA)


def test_a_deletion_that_comes_in_goes_to_the_trash(laptop: Machine, desk: Machine) -> None:
    original = desk.read(AISHA)
    laptop.journal().delete(AISHA)
    laptop.sync()
    out = desk.sync()
    assert "Contact: Aisha Bello (deleted)" in out
    assert not (desk.root / AISHA).exists()
    trashed = list((desk.root / ".netjournal" / "trash").rglob("aisha-bello.md"))
    assert [t.read_text() for t in trashed] == [original]
    converge(laptop, desk)


def test_nothing_to_sync(laptop: Machine, desk: Machine) -> None:
    head = desk.head()
    assert desk.sync().strip() == "Up to date with origin."
    assert desk.head() == head


def test_sync_json(laptop: Machine, desk: Machine) -> None:
    laptop.ok("step", "aisha-bello", "trust", "--note", "Laptop")
    laptop.sync()
    desk.ok("step", "aisha-bello", "trust", "--note", "Desk")
    desk.ok("step", "priya-raman", "known")
    data = json.loads(desk.ok("sync", "--json"))
    assert data["remote"] == "origin" and data["fetched"] and data["pushed"]
    assert data["committed"]["subject"] == "Contact: Aisha Bello (trust) · Contact: Priya Raman (known)"
    assert [c["path"] for c in data["conflicts"]] == [AISHA]
    assert data["conflicts"][0]["copy"].startswith("contacts/aisha-bello.conflict-laptop-")
    assert {c["path"] for c in data["out"]} >= {AISHA, PRIYA}
    copy = data["conflicts"][0]["copy"]  # told once, as the conflict
    assert copy not in {c["path"] for c in data["in"] + data["out"]} and not data["in_more"] and not data["out_more"]
    assert data["head"] == desk.head()


def test_commit_messages_say_what_changed(laptop: Machine) -> None:
    laptop.ok("add", "reflection", "Coffee with Aisha", "--contact", "aisha-bello")
    laptop.ok("step", "aisha-bello", "trust")
    laptop.sync()
    message = laptop.git("log", "-1", "--format=%B")
    assert message.startswith("Reflection: Coffee with Aisha · Contact: Aisha Bello (trust)\n")
    assert "Netjournal: sync" in message and "Netjournal-Host: laptop" in message


def test_without_a_remote_sync_only_commits(solo: Machine) -> None:
    machine = solo
    machine.ok("add", "contact", "Ada Lovelace", "--why", "She sees further")
    out = machine.sync()
    assert "Committed here: Contact: Ada Lovelace (new)" in out and "No remote: committed only" in out
    assert machine.commits() == 2
    assert not machine.git("status", "--porcelain")


def test_two_journals_started_apart_are_merged(laptop: Machine, tmp_path: Path, cli, hub: Path) -> None:  # noqa: ANN001
    """A machine that already had a journal of its own joins: both journals' entries are
    kept; where both had the same file differently, the other's is a copy beside it."""
    other = Machine(tmp_path / "other", "other", cli)
    other.ok("init", str(other.root), "--name", "Other network")
    other.ok("add", "contact", "Grace Hopper", "--why", "Compilers")
    out = other.ok("git", "init", "--remote", str(hub))
    assert "Came in" in out
    assert (other.root / "contacts" / "grace-hopper.md").exists()
    assert (other.root / AISHA).exists()
    copies = list(other.root.glob("netjournal.conflict-laptop-*.yaml"))
    assert len(copies) == 1 and "name: Other network" in other.read("netjournal.yaml")
    converge(laptop, other)
    assert (laptop.root / "contacts" / "grace-hopper.md").exists()


def test_odd_file_names_travel_as_they_are(laptop: Machine, desk: Machine) -> None:
    """Names git would read as patterns ([1], *) or that are not ASCII."""
    names = ["reflections/2026/odd [1].md", "reflections/2026/odd 1.md", "reflections/2026/star*.md",
             "reflections/2026/café ☕.md"]
    for n, name in enumerate(names):
        laptop.write(name, f"---\ntitle: Odd {n}\ndate: 2026-11-20\n---\nBody {n}.\n")
    laptop.sync()
    desk.sync()
    for name in names:
        assert desk.read(name) == laptop.read(name)
    converge(laptop, desk)
    desk.journal().update_reflection("reflections/2026/odd [1].md", {"kind": "meeting"})
    out = desk.sync()
    assert "Reflection: Odd 0 (kind)" in out
