"""Follow-ups that end (open → done → open again, on disk and in every list) and
introductions (a give to each person, the question 30 days on, what closes it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.journal import Journal, JournalError
from netjournal.store import frontmatter
from tests.conftest import TODAY

R = "reflections/2026/"
KOFI = R + "2026-10-02-kofis-coaching-circle-pilot.md"
MARCUS = R + "2026-08-20-marcus-passed-me-a-freelance-brief.md"
DANIEL = R + "2026-07-10-sent-daniel-notes-on-his-onboarding-redesign.md"
INTRO = R + "2026-10-20-introduced-owen-to-nadia.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def due_paths(journal: Journal) -> list[str]:
    return [f.reflection.path for f in journal.follow_ups_due()]


# --------------------------------------------------------------------------- the life cycle


def test_marking_a_follow_up_done_writes_one_line_and_leaves_every_open_list(sample_journal: Journal) -> None:
    journal = sample_journal
    before = (journal.root / KOFI).read_text(encoding="utf-8")
    assert KOFI in due_paths(journal)
    assert KOFI in [r.path for r in journal.review().follow_ups]

    reflection = journal.set_follow_up_done("2026-10-02-kofis-coaching-circle-pilot")
    assert reflection.follow_up_done == TODAY.isoformat()
    after = (journal.root / KOFI).read_text(encoding="utf-8")
    # only the new line: every other line, and the body, byte for byte
    assert after.replace("follow_up_done: 2026-11-25\n", "", 1) == before
    assert KOFI not in due_paths(journal)
    assert KOFI not in [r.path for r in journal.review().follow_ups]
    item = next(f for f in journal.follow_ups() if f.reflection.path == KOFI)
    assert item.status(TODAY) == "done" and item.done == "2026-11-25"

    journal.reopen_follow_up(KOFI)
    assert (journal.root / KOFI).read_text(encoding="utf-8") == before
    assert KOFI in due_paths(journal)


def test_a_reopened_journal_reads_the_done_date(sample_journal: Journal) -> None:
    sample_journal.set_follow_up_done(MARCUS, on=dt.date(2026, 9, 22))
    sample_journal.close()
    again = Journal.open(sample_journal.root, today=TODAY)
    assert again.reflection(MARCUS).follow_up_done == "2026-09-22"
    again = Journal.open(sample_journal.root, today=TODAY, full=True)
    assert again.reflection(MARCUS).follow_up_done == "2026-09-22"


def test_overdue_open_follow_ups_come_first_oldest_first(sample_journal: Journal) -> None:
    items = sample_journal.follow_ups()
    open_items = [f for f in items if f.is_open]
    assert [f.due for f in open_items] == sorted(f.due for f in open_items)
    assert open_items[0].reflection.path == MARCUS and open_items[0].status(TODAY) == "overdue"
    assert open_items[0].days_overdue(TODAY) == 66
    # the sample's one done follow-up is last, not on the dashboard
    assert items[-1].reflection.path == DANIEL and items[-1].done == "2026-08-12"
    assert DANIEL not in due_paths(sample_journal)


def test_only_a_reflection_with_a_follow_up_or_an_intro_can_be_done(sample_journal: Journal) -> None:
    with pytest.raises(JournalError, match="has no follow-up"):
        sample_journal.set_follow_up_done("2026-05-01-digging-the-well-before-i-am-thirsty")
    assert sample_journal.set_follow_up_done(INTRO).follow_up_done == "2026-11-25"


def test_a_bad_done_date_is_a_warning_not_a_crash(sample_journal: Journal) -> None:
    path = sample_journal.root / KOFI
    path.write_text(path.read_text(encoding="utf-8").replace("follow_up: 2026-11-26",
                                                                 "follow_up: 2026-11-26\nfollow_up_done: soon"))
    sample_journal.sync()
    problems = [p for p in sample_journal.problems() if p.path == KOFI]
    assert [(p.severity, p.reason) for p in problems] == [
        ("warning", "follow_up_done 'soon' is not a YYYY-MM-DD date")]
    assert KOFI in due_paths(sample_journal)  # still open


def test_the_cli_life_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    run(capsys, "init", str(root), "--sample")
    j = ["--journal", str(root)]
    code, out, _ = run(capsys, *j, "followups", "--open", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["id"] == "2026-08-20-marcus-passed-me-a-freelance-brief"
    assert (rows[0]["status"], rows[0]["days_overdue"], rows[0]["done"]) == ("overdue", 66, None)
    assert {"due", "status", "days_overdue", "done", "question", "closed_by", "follow_up_done"} <= rows[0].keys()

    code, out, _ = run(capsys, *j, "followup", "done", "2026-08-20-marcus-passed-me-a-freelance-brief",
                       "--date", "2026-11-20")
    assert code == 0 and out == "Marcus passed me a freelance brief: follow-up done on 2026-11-20\n"
    code, out, _ = run(capsys, *j, "followup", "done", MARCUS)
    assert code == 0 and "already done on 2026-11-20" in out
    _, out, _ = run(capsys, *j, "followups", "--open", "--json")
    assert MARCUS not in [r["path"] for r in json.loads(out)]
    _, out, _ = run(capsys, *j, "followups", "--done")
    assert out.splitlines()[0].split() == ["DUE", "STATUS", "TITLE", "WITH", "ID"]
    assert "done 2026-11-20" in out.splitlines()[1] and "Marcus passed me" in out.splitlines()[1]
    _, out, _ = run(capsys, *j, "reflections", "--json")
    marcus = next(r for r in json.loads(out) if r["path"] == MARCUS)
    assert marcus["follow_up_done"] == "2026-11-20"

    code, out, _ = run(capsys, *j, "followup", "undo", MARCUS)
    assert code == 0 and out == "Marcus passed me a freelance brief: follow-up open again (due 2026-09-20)\n"
    _, out, _ = run(capsys, *j, "followups")
    assert "overdue 66d" in out

    code, _, err = run(capsys, *j, "followup", "done", "no-such-entry")
    assert code == 1 and err == "netjournal: no reflection 'no-such-entry'\n"
    code, _, err = run(capsys, *j, "followup", "done", "2026-05-01-digging-the-well-before-i-am-thirsty")
    assert code == 1 and "has no follow-up" in err
    code, _, err = run(capsys, *j, "followup", "finish", MARCUS)
    assert code == 2


# --------------------------------------------------------------------------- intros


def intro_journal(tmp_path: Path) -> Journal:
    journal = Journal.init(tmp_path / "intros", today=TODAY)
    for name in ("Ada Lovelace", "Ben Okri", "Cy Twombly"):
        journal.add_contact(name)
    return journal


def test_an_intro_is_a_give_to_each_and_counts_as_an_intro(tmp_path: Path) -> None:
    journal = intro_journal(tmp_path)
    journal.add_reflection("Introduced Ada to Ben", day=dt.date(2026, 11, 3), kind="intro",
                           contacts=["ada-lovelace", "ben-okri"])
    journal.add_reflection("Gave Ada a book", day=dt.date(2026, 11, 4), kind="give", contacts=["ada-lovelace"])
    facts = journal.facts()
    assert (facts["ada-lovelace"].gave, facts["ada-lovelace"].intros) == (2, 1)
    assert (facts["ben-okri"].gave, facts["ben-okri"].intros) == (1, 1)
    assert (facts["cy-twombly"].gave, facts["cy-twombly"].intros) == (0, 0)
    assert facts["ben-okri"].last_touch == "2026-11-03"  # an intro is a touch
    review = journal.review(dt.date(2026, 11, 3))
    assert [r.title for r in review.gives] == ["Introduced Ada to Ben", "Gave Ada a book"]


def test_the_intro_question_comes_30_days_on_and_a_later_reflection_with_both_closes_it(tmp_path: Path) -> None:
    journal = intro_journal(tmp_path)
    intro = journal.add_reflection("Introduced Ada to Ben", day=dt.date(2026, 10, 20), kind="intro",
                                   contacts=["ada-lovelace", "ben-okri"])

    def questions(on: dt.date) -> list[str]:
        journal._today = on
        journal._facts = None
        return [f.question or "" for f in journal.follow_ups_due()]

    assert questions(dt.date(2026, 11, 18)) == []  # 29 days on
    assert questions(dt.date(2026, 11, 19)) == ["How did the introduction of Ada Lovelace and Ben Okri go?"]
    # a reflection with only one of them, or on the day itself, does not close it
    journal.add_reflection("Coffee with Ada", day=dt.date(2026, 11, 20), kind="meeting", contacts=["ada-lovelace"])
    journal.add_reflection("Same-day note", day=dt.date(2026, 10, 20), kind="note",
                           contacts=["ada-lovelace", "ben-okri"])
    assert len(questions(dt.date(2026, 11, 25))) == 1
    closer = journal.add_reflection("Ada and Ben are writing together", day=dt.date(2026, 11, 22),
                                    kind="note", contacts=["ben-okri"], body="With [[ada-lovelace]].")
    assert questions(dt.date(2026, 11, 25)) == []
    item = next(f for f in journal.follow_ups() if f.reflection.path == intro.path)
    assert (item.status(journal.today), item.done, item.closed_by) == ("done", "2026-11-22", closer.path)


def test_the_intro_question_is_closed_by_its_follow_up_done_and_three_names_read_well(tmp_path: Path) -> None:
    journal = intro_journal(tmp_path)
    intro = journal.add_reflection("Three-way intro", day=dt.date(2026, 10, 1), kind="intro",
                                   contacts=["ada-lovelace", "ben-okri", "cy-twombly"])
    [item] = journal.follow_ups_due()
    assert item.question == "How did the introduction of Ada Lovelace, Ben Okri and Cy Twombly go?"
    assert item.due == "2026-10-31" and item.reflection.follow_up is None
    journal.set_follow_up_done(intro.path)
    assert journal.follow_ups_due() == []


def test_an_intro_with_its_own_follow_up_is_asked_about_then(tmp_path: Path) -> None:
    journal = intro_journal(tmp_path)
    journal.add_reflection("Intro", day=dt.date(2026, 11, 20), kind="intro",
                           contacts=["ada-lovelace", "ben-okri"], follow_up=dt.date(2026, 11, 28))
    [item] = journal.follow_ups_due()
    assert item.due == "2026-11-28" and item.question and item.status(TODAY) == "upcoming"


def test_an_intro_with_fewer_than_two_contacts_is_a_warning_on_its_file(tmp_path: Path) -> None:
    journal = intro_journal(tmp_path)
    lone = journal.add_reflection("Intro of one", kind="intro", contacts=["ada-lovelace"])
    problems = [p for p in journal.problems() if p.path == lone.path]
    assert [(p.severity, p.line) for p in problems] == [("warning", 5)]
    assert "an intro links two or more contacts" in problems[0].reason and "links 1" in problems[0].reason
    assert journal.follow_ups() == []  # nobody to ask about
    assert journal.facts()["ada-lovelace"].intros == 1  # still a give to Ada


def test_the_sample_intro(sample_journal: Journal) -> None:
    item = next(f for f in sample_journal.follow_ups() if f.reflection.path == INTRO)
    assert item.question == "How did the introduction of Owen Brightwater and Nadia Petrova go?"
    assert item.status(TODAY) == "overdue"
    doc = frontmatter.parse_bytes((sample_journal.root / INTRO).read_bytes())
    assert doc.meta["kind"] == "intro"


def test_show_json_has_intros(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    run(capsys, "init", str(root), "--sample")
    _, out, _ = run(capsys, "--journal", str(root), "show", "nadia-petrova", "--json")
    nadia = json.loads(out)
    assert (nadia["gave"], nadia["intros"]) == (2, 1)
    assert any(r["kind"] == "intro" for r in nadia["reflections"])
    _, out, _ = run(capsys, "--journal", str(root), "show", "nadia-petrova")
    assert "Ledger: gave 2 (1 intro) · asked 0 · received 0" in out
    _, out, _ = run(capsys, "--journal", str(root), "reflections", "--kind", "intro")
    assert "Introduced Owen to Nadia" in out
