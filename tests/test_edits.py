"""The edit protocol (netjournal/edits.py): one way to open, save, and meet a conflict,
for every caller; and the step rules it saves (netjournal/model.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal.edits import REMOVE, merge_meta, merge_text
from netjournal.journal import Journal, JournalError, SaveConflict
from netjournal.model import StepRuleError, mark_step, note_step, unmark_step
from tests.conftest import TODAY

PRIYA = "contacts/priya-raman.md"
DAY = dt.date(2026, 12, 4)


def other_program_writes(journal: Journal, rel: str, old: str, new: str) -> str:
    path = journal.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- open and save


def test_an_edit_saves_only_what_changed_and_returns_the_new_version(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    assert edit.path == PRIYA and edit.contact is not None and edit.contact.name == "Priya Raman"
    before = (sample_journal.root / PRIYA).read_text()
    saved = edit.save({"role": "Dean"})
    after = (sample_journal.root / PRIYA).read_text()
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ["role: Dean"]
    assert saved.contact is not None and saved.contact.role == "Dean"
    assert saved.token != edit.token and not saved.changed_on_disk()
    assert sample_journal.contact("priya-raman").role == "Dean"


def test_remove_takes_a_key_out_and_keeps_the_rest(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    saved = edit.save({"role": REMOVE, "mood": "curious"})
    assert "role" not in saved.meta and list(saved.meta)[-1] == "mood"
    assert saved.body == edit.body


def test_a_second_save_from_the_same_edit_is_a_conflict(sample_journal: Journal) -> None:
    """An Edit is a snapshot: saving from it again would overwrite the first save."""
    edit = sample_journal.edit_contact("priya-raman")
    edit.save({"role": "Dean"})
    with pytest.raises(SaveConflict):
        edit.save({"org": "Elsewhere"})


# --------------------------------------------------------------------------- conflicts


def test_a_conflict_carries_both_versions_and_writes_nothing(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    theirs = other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Dean"}, body="My notes.\n")
    conflict = caught.value
    assert (sample_journal.root / PRIYA).read_text() == theirs
    assert conflict.mine.meta["role"] == "Dean" and conflict.mine.body == "My notes.\n"
    assert conflict.theirs is not None and conflict.theirs.meta["org"] == "Northwind"
    assert conflict.base is not None and conflict.base.meta["org"] == "Northwind Learning"
    assert "changed on disk" in str(conflict)


def test_take_theirs_gives_an_edit_of_the_file_on_disk(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    theirs = other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Dean"})
    fresh = caught.value.take_theirs()
    assert fresh.meta["org"] == "Northwind" and (sample_journal.root / PRIYA).read_text() == theirs
    assert sample_journal.contact("priya-raman").org == "Northwind"
    fresh.save({"role": "Dean"})  # a save from theirs goes through
    assert sample_journal.contact("priya-raman").role == "Dean"


def test_keep_mine_writes_a_copy_and_leaves_theirs_in_place(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    theirs = other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Dean"})
    copy = caught.value.keep_mine()
    assert copy.startswith("contacts/priya-raman.conflict-") and copy.endswith(".md")
    assert (sample_journal.root / PRIYA).read_text() == theirs
    text = (sample_journal.root / copy).read_text()
    assert "role: Dean" in text and "org: Northwind Learning" in text
    assert any(p.path == copy for p in sample_journal.problems())


def test_merge_puts_my_keys_on_top_of_theirs(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Dean", "steps": mark_step(edit.meta["steps"], "known", DAY)})
    assert caught.value.can_merge
    merged = caught.value.merge()
    assert merged is not None
    contact = sample_journal.contact("priya-raman")
    assert (contact.org, contact.role, contact.steps["known"].date) == ("Northwind", "Dean", DAY.isoformat())


def test_merge_refuses_a_key_changed_on_both_sides(sample_journal: Journal) -> None:
    edit = sample_journal.edit_contact("priya-raman")
    theirs = other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    with pytest.raises(SaveConflict) as caught:
        edit.save({"org": "Southwind"})
    assert not caught.value.can_merge
    assert caught.value.merge() is None and caught.value.conflicting == ["org"]
    assert (sample_journal.root / PRIYA).read_text() == theirs


def test_merge_of_step_notes_is_key_by_key(sample_journal: Journal) -> None:
    """Their note on one step, my date on another: both arrive."""
    edit = sample_journal.edit_contact("priya-raman")
    sample_journal.set_step_note("priya-raman", "why", "Their note")
    with pytest.raises(SaveConflict) as caught:
        sample_journal.set_step("priya-raman", "known", on=DAY, edit=edit)
    assert caught.value.merge() is not None
    steps = sample_journal.contact("priya-raman").steps
    assert steps["why"].note == "Their note" and steps["known"].date == DAY.isoformat()


def test_merge_of_bodies_changed_in_different_places(sample_journal: Journal) -> None:
    rel = max((r.path for r in sample_journal.reflections()),
              key=lambda p: len(sample_journal.edit(p).body.splitlines()))
    edit = sample_journal.edit(rel)
    lines = edit.body.splitlines(keepends=True)
    assert len(lines) > 4
    theirs_body = "".join(lines[:-1] + ["Their last line.\n"])
    theirs_edit = sample_journal.edit(rel)
    theirs_edit.save(body=theirs_body)
    mine_body = "My first line.\n" + "".join(lines[1:])
    with pytest.raises(SaveConflict) as caught:
        edit.save({"kind": "give"}, body=mine_body)
    merged = caught.value.merge()
    assert merged is not None
    assert merged.body == "My first line.\n" + "".join(lines[1:-1]) + "Their last line.\n"
    assert merged.meta["kind"] == "give"


def test_a_draft_of_an_older_version_always_meets_a_conflict(sample_journal: Journal) -> None:
    """The editor keeps the token of the version a draft started from; if the file
    moved on, saving the draft asks (and there is no base to merge from)."""
    token = sample_journal.edit_contact("priya-raman").token
    other_program_writes(sample_journal, PRIYA, "org: Northwind Learning", "org: Northwind")
    edit = sample_journal.edit(PRIYA, expect=token)
    assert edit.changed_on_disk()
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Dean"})
    assert caught.value.base is None and not caught.value.can_merge and caught.value.merge() is None
    assert sample_journal.edit(PRIYA, expect=sample_journal.edit_contact("priya-raman").token).save(
        {"role": "Dean"}).meta["role"] == "Dean"


# --------------------------------------------------------------------------- the step rules


def test_marking_a_step_changes_that_step_only() -> None:
    steps = {"why": "2026-01-01", "trust": {"date": None, "note": "n", "with": "Ada"}, "mine": 3}
    assert mark_step(steps, "offer", DAY) == dict(steps, offer=DAY)
    assert list(mark_step(steps, "offer", DAY)) == ["why", "trust", "mine", "offer"]
    assert mark_step(steps, "trust", DAY)["trust"] == {"date": DAY, "note": "n", "with": "Ada"}
    assert mark_step(None, "why", DAY, "because") == {"why": {"date": DAY, "note": "because"}}
    assert steps == {"why": "2026-01-01", "trust": {"date": None, "note": "n", "with": "Ada"}, "mine": 3}


def test_unmarking_keeps_notes_and_the_users_own_keys() -> None:
    steps = {"why": "2026-01-01", "trust": {"date": "2026-02-01", "with": "Ada"}, "deepen": {"date": "2026-03-01"}}
    assert unmark_step(steps, "why")["why"] is None
    assert unmark_step(steps, "trust")["trust"] == {"date": None, "with": "Ada"}
    assert unmark_step(steps, "deepen")["deepen"] is None
    assert "known" not in unmark_step(steps, "known")  # a missing step is not added


def test_notes_keep_the_date() -> None:
    steps = {"why": "2026-01-01"}
    assert note_step(steps, "why", " met at the summit ") == {"why": {"date": "2026-01-01", "note": "met at the summit"}}
    assert note_step({"why": {"date": "2026-01-01", "note": "x"}}, "why", "") == {"why": "2026-01-01"}
    assert note_step({"why": {"date": None, "note": "x", "k": 1}}, "why", "") == {"why": {"date": None, "k": 1}}


@pytest.mark.parametrize("steps", ["why and offer done in March", ["why", "offer"], 3])
def test_steps_that_are_not_a_mapping_are_refused(steps: object) -> None:
    with pytest.raises(StepRuleError, match="not a mapping"):
        mark_step(steps, "why", DAY)


@pytest.mark.parametrize("value", ["done in March", {"date": "soon"}, True, 7, ["a"]])
def test_a_step_holding_text_is_refused_rather_than_overwritten(value: object) -> None:
    with pytest.raises(StepRuleError, match="not a date"):
        mark_step({"why": value}, "why", DAY)


def test_the_command_refuses_and_the_file_is_unchanged(sample_journal: Journal) -> None:
    path = sample_journal.root / "contacts/tomas-herrera.md"
    text = path.read_text()
    start, end = text.index("steps:\n"), text.index("archived:")
    path.write_text(text[:start] + "steps: why and offer done in March\n" + text[end:])
    sample_journal.sync()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="not a mapping of step keys"):
        sample_journal.set_step("tomas-herrera", "why")
    assert path.read_bytes() == before
    # a why written in the form is still saved; the user's steps text is left alone
    sample_journal.update_contact("tomas-herrera", {"why": "Learn how Pathwise hires"})
    assert "steps: why and offer done in March\n" in path.read_text()


# --------------------------------------------------------------------------- merging, as functions


def test_merge_meta_cases() -> None:
    base = {"a": 1, "b": 2, "c": {"x": 1, "y": 2}, "gone": 1}
    mine = {"a": 10, "b": 2, "c": {"x": 1, "y": 20}, "gone": 1, "new": "m"}
    theirs = {"a": 1, "b": 3, "c": {"x": 11, "y": 2}}
    merged, conflicts = merge_meta(base, mine, theirs)
    assert conflicts == []
    assert merged == {"a": 10, "b": 3, "c": {"x": 11, "y": 20}, "new": "m"}
    assert merge_meta({"a": 1}, {"a": 2}, {"a": 3})[1] == ["a"]
    assert merge_meta({"s": {"t": None}}, {"s": {"t": "2026-01-01"}}, {"s": {"t": "2026-02-02"}})[1] == ["s.t"]
    # a date and its ISO text are the same value; True and 1 are not
    assert merge_meta({"d": "2026-01-01"}, {"d": dt.date(2026, 1, 1)}, {"d": "2026-01-01"}) == ({"d": "2026-01-01"}, [])
    assert merge_meta({"v": 1}, {"v": True}, {"v": 1}) == ({"v": True}, [])


def test_merge_text_cases() -> None:
    base = "a\nb\nc\nd\ne\n"
    assert merge_text(base, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n") == "A\nb\nc\nd\nE\n"
    assert merge_text(base, "a\nB\nc\nd\ne\n", "a\nb\nC\nd\ne\n") is None  # neighbours: as git
    assert merge_text(base, "a\nX\nc\nd\ne\n", "a\nX\nc\nd\ne\n") == "a\nX\nc\nd\ne\n"
    assert merge_text(base, base, "z\n") == "z\n"
    assert merge_text(base, "a\nb\nc\nd\ne\nmine\n", "top\na\nb\nc\nd\ne\n") == "top\na\nb\nc\nd\ne\nmine\n"


blocks = st.lists(st.lists(st.sampled_from(["a\n", "b\n", "\n", "- item\n"]), max_size=4), min_size=2, max_size=6)


@settings(max_examples=300, deadline=None)
@given(base=blocks, data=st.data())
def test_merge_text_keeps_both_sides_changes_in_different_paragraphs(base: list[list[str]], data: st.DataObject) -> None:
    """Paragraphs set apart by lines neither side touched: each side rewrites some
    paragraphs, never the same one; the merge holds every rewrite, and nothing else."""
    n = len(base)
    mine_blocks = data.draw(st.sets(st.integers(0, n - 1)))
    theirs_blocks = data.draw(st.sets(st.integers(0, n - 1)).filter(lambda s: not s & mine_blocks))
    rewrite = st.lists(st.sampled_from(["x\n", "y\n", "a\n", "\n"]), max_size=4)
    mine = {i: data.draw(rewrite) for i in mine_blocks}
    theirs = {i: data.draw(rewrite) for i in theirs_blocks}

    def text(parts: dict[int, list[str]]) -> str:
        # each line marked with its paragraph: the same line in two paragraphs would let
        # one side's deletion here and insertion there read as a move of the headers
        # between them (as ambiguous to any line diff, git's included), which is not
        # what this property is about
        return "".join(f"## part {i}\n" + "".join(f"{line[:-1]}.{i}\n" for line in parts.get(i, block))
                       for i, block in enumerate(base))

    expected = text({**mine, **theirs})
    assert merge_text(text({}), text(mine), text(theirs)) == expected


def test_save_text_writes_exactly_that_text(sample_journal: Journal) -> None:
    """A version brought back from the history reads exactly as it did (its layout and
    comments too), and still goes through the stamp check."""
    edit = sample_journal.edit_contact("priya-raman")
    old = (sample_journal.root / PRIYA).read_text()
    text = old.replace("org: Northwind Learning", "# where she works\norg:   Northwind   # spaced")
    fresh = edit.save_text(text)
    assert (sample_journal.root / PRIYA).read_text() == text
    assert sample_journal.contact("priya-raman").org == "Northwind"
    other_program_writes(sample_journal, PRIYA, "role:", "role: Dean #")
    with pytest.raises(SaveConflict):
        fresh.save_text(old)
    with pytest.raises(JournalError):
        sample_journal.edit_contact("priya-raman").save_text("---\nname: [unclosed\n---\n")
