"""'Keep mine' after a conflict writes a copy beside the file; the copy is a
problem to resolve (listed by check), never a second contact."""

from __future__ import annotations

import re

import pytest

from netjournal.journal import Journal, SaveConflict
from netjournal.store.scan import conflict_copy_of
from tests.conftest import TODAY


def test_conflict_copy_is_listed_as_a_problem_not_a_contact(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("kofi-mensah")
    path = sample_journal.root / edit.path
    path.write_text(path.read_text() + "\nTheirs.\n")  # another program's save
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Coach (my version)"})
    rel = caught.value.keep_mine()
    assert rel.startswith("contacts/kofi-mensah.conflict-")
    assert "Coach (my version)" in (sample_journal.root / rel).read_text()
    for journal in (sample_journal, Journal.open(sample_journal.root, today=TODAY)):
        names = [c.name for c in journal.contacts(include_archived=True)]
        assert names.count("Kofi Mensah") == 1
        problems = [p for p in journal.problems() if p.path == rel]
        assert len(problems) == 1 and "conflict copy of contacts/kofi-mensah.md" in problems[0].reason


def test_writing_a_missing_why_marks_the_why_step_done(sample_journal: Journal) -> None:
    """tomas-herrera has no why: writing one is the first step, done today; a
    contact whose why step is already done keeps its date."""
    contact = sample_journal.update_contact("tomas-herrera", {"why": "Learn how Pathwise hires"})
    assert contact.steps["why"].date == TODAY.isoformat()
    before = sample_journal.contact_facts("priya-raman").contact.steps["why"].date
    contact = sample_journal.update_contact("priya-raman", {"why": "A new reason"})
    assert contact.steps["why"].date == before


def test_keep_mine_names_this_machine(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETJOURNAL_HOST", "Ada's Laptop.local")
    edit = sample_journal.edit_contact("kofi-mensah")
    path = sample_journal.root / edit.path
    path.write_text(path.read_text() + "\nTheirs.\n")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Coach"})
    rel = caught.value.keep_mine()
    assert re.fullmatch(r"contacts/kofi-mensah\.conflict-ada-s-laptop-local-\d{8}-\d{6}\.md", rel), rel


SYNC_TOOL_COPIES = {
    # Syncthing: <stem>.sync-conflict-<date>-<time>-<device id>.md
    "contacts/kofi-mensah.sync-conflict-20261124-183012-ABCDEF7.md": ("contacts/kofi-mensah.md", "Syncthing"),
    # Dropbox: "<stem> (conflicted copy <date>).md", "<stem> (Someone's conflicted copy <date>).md"
    "contacts/kofi-mensah (conflicted copy 2026-11-24).md": ("contacts/kofi-mensah.md", "Dropbox"),
    "reflections/2026/2026-11-20-coffee (Ada Lovelace's conflicted copy 2026-11-24).md":
        ("reflections/2026/2026-11-20-coffee.md", "Dropbox"),
    "contacts/kofi-mensah.conflict-20261124-183012-2.md": ("contacts/kofi-mensah.md", "netjournal"),
    "contacts/kofi-mensah.conflict-desk-20261124-183012.md": ("contacts/kofi-mensah.md", "netjournal"),
}


@pytest.mark.parametrize("rel", sorted(SYNC_TOOL_COPIES))
def test_conflict_copies_of_sync_tools_are_recognised(rel: str) -> None:
    assert conflict_copy_of(rel) == SYNC_TOOL_COPIES[rel]


@pytest.mark.parametrize("rel", ["contacts/conflict-resolution-coach.md", "contacts/kofi (work).md",
                                 "reflections/2026/2026-11-20-sync-conflict-talk.md"])
def test_ordinary_names_are_not_conflict_copies(rel: str) -> None:
    assert conflict_copy_of(rel) is None


def test_a_sync_tools_copy_is_a_problem_beside_its_original(sample_journal: Journal) -> None:
    original = sample_journal.root / "contacts" / "kofi-mensah.md"
    for rel in ("contacts/kofi-mensah.sync-conflict-20261124-183012-ABCDEF7.md",
                "contacts/kofi-mensah (Ada's conflicted copy 2026-11-24).md"):
        (sample_journal.root / rel).write_text(original.read_text().replace("Kofi", "Kofi (other copy)"))
    journal = Journal.open(sample_journal.root, today=TODAY)
    names = [c.name for c in journal.contacts(include_archived=True)]
    assert names.count("Kofi Mensah") == 1 and not [n for n in names if "other copy" in n]
    reasons = {p.path: p.reason for p in journal.problems()}
    assert "a conflict copy of contacts/kofi-mensah.md made by Syncthing" in \
        reasons["contacts/kofi-mensah.sync-conflict-20261124-183012-ABCDEF7.md"]
    assert "made by Dropbox" in reasons["contacts/kofi-mensah (Ada's conflicted copy 2026-11-24).md"]
