"""The "me" card: read from netjournal.yaml, printed by `netjournal me`, edited with
only the changed lines written, quoted by the reflection template."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.journal import Journal, JournalError
from netjournal.me import MeCard, fill_template, items, read_card
from netjournal.store import frontmatter
from tests.conftest import TODAY

SETTINGS = """\
# my settings
name: "Sam's network"   # shown in the header
cadence: 30
me:
  # who I am, for the people I chose
  name: Sam Whitfield
  strengths:
    - Clear learning journeys   # the one I lead with
    - Feedback sessions
  goals: Move into executive education
  favourite_colour: teal        # not netjournal's: kept
theme_note: keep me
"""


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal.init(tmp_path / "j", today=TODAY)
    (journal.root / "netjournal.yaml").write_text(SETTINGS, encoding="utf-8")
    journal.sync()
    return journal


def test_the_card_reads_texts_and_lists(journal: Journal) -> None:
    card = journal.me_card()
    assert card.name == "Sam Whitfield"
    assert card.strengths == ["Clear learning journeys", "Feedback sessions"]
    assert card.goals == ["Move into executive education"]
    assert card.offer == [] and card.looking_for == []
    assert card.raw["favourite_colour"] == "teal"
    assert items("- one\n- two\n\nthree") == ["one", "two", "three"]
    assert read_card({"me": "just text"}).empty


def test_an_edit_writes_only_the_changed_lines(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    journal.update_me({"strengths": ["Clear learning journeys", "Feedback sessions", "Plain language"]})
    assert path.read_text(encoding="utf-8") == SETTINGS.replace(
        "    - Feedback sessions\n", "    - Feedback sessions\n    - Plain language\n")
    journal.update_me({"strengths": ["Clear learning journeys", "Feedback sessions"]})
    assert path.read_text(encoding="utf-8") == SETTINGS


def test_a_text_that_becomes_a_list_is_rewritten_alone(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    journal.update_me({"goals": ["Move into executive education", "Co-design a module"]})
    text = path.read_text(encoding="utf-8")
    assert text == SETTINGS.replace(
        "  goals: Move into executive education\n",
        "  goals: [Move into executive education, Co-design a module]\n")
    assert journal.me_card().goals == ["Move into executive education", "Co-design a module"]


def test_new_fields_go_at_the_end_of_the_card_and_empty_ones_are_removed(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    journal.update_me({"looking_for": ["A co-facilitator"], "offer": "My checklist"})
    meta = frontmatter.parse_meta(path.read_text(encoding="utf-8"), 1)
    assert list(meta["me"]) == ["name", "strengths", "goals", "favourite_colour", "looking_for", "offer"]
    assert meta["me"]["offer"] == "My checklist"  # one item, written as text
    assert meta["theme_note"] == "keep me" and "# the one I lead with" in path.read_text(encoding="utf-8")
    journal.update_me({"looking_for": [], "offer": None})
    assert path.read_text(encoding="utf-8") == SETTINGS


def test_a_list_stays_a_list_and_a_name_is_text(journal: Journal) -> None:
    journal.update_me({"strengths": ["Only this one"], "name": "Sam W."})
    meta = frontmatter.parse_meta((journal.root / "netjournal.yaml").read_text(encoding="utf-8"), 1)
    assert meta["me"]["strengths"] == ["Only this one"] and meta["me"]["name"] == "Sam W."


def test_an_edit_made_by_another_program_meanwhile_stops_the_save(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    seen = journal.me_card()
    path.write_text(SETTINGS.replace("Move into executive education", "Teach"), encoding="utf-8")
    theirs = path.read_text(encoding="utf-8")
    with pytest.raises(JournalError, match="changed in netjournal.yaml by another program"):
        journal.update_me({"goals": ["Mine"]}, seen=seen)
    assert path.read_text(encoding="utf-8") == theirs
    # a field they did not touch can still be saved, and theirs is kept
    journal.update_me({"offer": ["Reviews"]}, seen=seen)
    assert journal.me_card().goals == ["Teach"] and journal.me_card().offer == ["Reviews"]


def test_a_card_that_is_not_a_mapping_is_never_replaced(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    path.write_text("name: x\nme: I am Sam\n", encoding="utf-8")
    journal.sync()
    with pytest.raises(JournalError, match="not a mapping"):
        journal.update_me({"goals": ["x"]})
    assert path.read_text(encoding="utf-8") == "name: x\nme: I am Sam\n"
    with pytest.raises(JournalError, match="unknown card key"):
        journal.update_me({"hobbies": ["x"]})


def test_a_card_in_flow_style_or_none_at_all(journal: Journal) -> None:
    path = journal.root / "netjournal.yaml"
    path.write_text("name: x  # mine\nme: {name: Sam, goals: [a]}\n", encoding="utf-8")
    journal.sync()
    journal.update_me({"goals": ["a", "b"]})
    text = path.read_text(encoding="utf-8")
    assert text.startswith("name: x  # mine\n") and frontmatter.parse_meta(text, 1)["me"] == {
        "name": "Sam", "goals": ["a", "b"]}
    path.write_text("name: x\n", encoding="utf-8")
    journal.sync()
    journal.update_me({"name": "Sam"})
    assert path.read_text(encoding="utf-8") == "name: x\nme:\n  name: Sam\n"


def test_the_template_quotes_the_card() -> None:
    card = MeCard(name="Sam", strengths=["Clear journeys", "Feedback"], goals=["Exec ed"])
    template = ("## Do they know me?\n"
                "{{me.strengths}}\n"
                "Goals: {{ me.goals }} (and {{me.name}})\n"
                "Looking for: {{me.looking_for}}\n"
                "{{me.unknown}} stays\n")
    assert fill_template(template, card) == (
        "## Do they know me?\n- Clear journeys\n- Feedback\nGoals: Exec ed (and Sam)\n{{me.unknown}} stays\n")


def test_the_sample_template_quotes_the_sample_card(sample_journal: Journal) -> None:
    body = sample_journal.template("reflection")
    assert "Do they know my goals?\n- Move from corporate L&D into executive education by mid-2027\n- " in body
    assert "{{" not in body


def test_me_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    main(["init", str(root), "--sample"])
    capsys.readouterr()
    assert main(["--journal", str(root), "me", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert set(card) == {"name", "strengths", "goals", "offer", "looking_for"}
    assert card["name"] == "Sam Whitfield" and len(card["strengths"]) == 4 and len(card["looking_for"]) == 2
    assert main(["--journal", str(root), "me"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sam Whitfield\n\nStrengths\n  - Turning messy")
    assert "What I am looking for\n  - A co-facilitator" in out
    assert out.endswith("Do they know this about you?\n")
    main(["--journal", str(root), "review"])
    assert "Be known: Do they know this about you? (touched this week: " in capsys.readouterr().out
    empty = tmp_path / "e"
    main(["init", str(empty)])
    capsys.readouterr()
    main(["--journal", str(empty), "me"])
    assert capsys.readouterr().out.startswith("No card yet.")
    main(["--journal", str(empty), "me", "--json"])
    assert json.loads(capsys.readouterr().out) == {
        "name": "", "strengths": [], "goals": [], "offer": [], "looking_for": []}
