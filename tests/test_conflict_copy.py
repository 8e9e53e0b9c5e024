"""'Keep mine' after a conflict writes a copy beside the file; the copy is a
problem to resolve (listed by check), never a second contact."""

from __future__ import annotations

import pytest

from netjournal.journal import Journal, SaveConflict
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
