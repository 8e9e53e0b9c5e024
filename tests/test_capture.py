"""One-line capture: each parsing rule of ``netjournal log`` (kinds, mentions, dates,
follow-ups, tags, the title, the errors), and what lands on disk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from netjournal.capture import KIND_WORDS, CaptureError, parse, resolve_mention
from netjournal.cli import main
from netjournal.store import frontmatter
from tests.conftest import TODAY

# TODAY is Wednesday 2026-11-25
CONTACTS = {
    "kofi-mensah": "Kofi Mensah",
    "priya-raman": "Priya Raman",
    "daniel-kowalczyk": "Daniel Kowalczyk",
    "dana-xu": "Dana Xu",
    "elena-marsh": "Dr. Elena Marsh",
    "tomas-herrera": "Tomás Herrera",
    "sam-lee": "Sam Lee",
    "sam-okafor": "Sam Okafor",
}


def cap(line: str, **kwargs):
    return parse(line, today=TODAY, contacts=CONTACTS, **kwargs)


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize("word, kind", [
    ("gave", "give"), ("give", "give"), ("thanked", "thanks"), ("asked", "ask"),
    ("got", "receive"), ("received", "receive"), ("met", "meeting"), ("coffee", "meeting"),
    ("call", "meeting"), ("Gave", "give"), ("wrote", "note"), ("thinking", "note"),
])
def test_the_kind_comes_from_the_first_word(word: str, kind: str) -> None:
    assert cap(f"{word} something with @kofi").kind == kind


def test_the_kind_words_are_the_documented_ones() -> None:
    assert {KIND_WORDS[w] for w in ("gave", "give", "thanked", "asked", "got", "received", "met",
                                    "coffee", "call", "introduced")} == {
        "give", "thanks", "ask", "receive", "meeting", "intro"}


def test_introduced_makes_an_intro_only_with_two_people() -> None:
    two = cap("introduced @kofi to @priya for the coaching circle")
    assert two.kind == "intro" and two.contacts == ["kofi-mensah", "priya-raman"]
    assert cap("introduced myself to @kofi at the panel").kind == "meeting"


def test_kind_overrides_the_first_word() -> None:
    assert cap("gave @kofi a call", kind="meeting").kind == "meeting"
    assert cap("lunch", kind="intro").kind == "intro"  # chosen: kept (the file gets a warning)
    with pytest.raises(CaptureError):
        cap("gave", kind="party")


def test_the_kind_word_after_a_date_prefix_counts() -> None:
    assert cap("yesterday: thanked @priya").kind == "thanks"


# --------------------------------------------------------------------------- mentions


@pytest.mark.parametrize("word, slug", [
    ("kofi-mensah", "kofi-mensah"),  # the slug
    ("kofi", "kofi-mensah"),  # the first name
    ("Priya", "priya-raman"),  # any case
    ("tomas", "tomas-herrera"),  # without the accent
    ("prya", "priya-raman"),  # fuzzy
    ("elena", "elena-marsh"),  # "Dr. Elena Marsh": in the name
    ("kowalczyk", "daniel-kowalczyk"),
    ("priyaraman", "priya-raman"),  # the whole name run together
])
def test_a_mention_names_one_contact(word: str, slug: str) -> None:
    assert resolve_mention(word, CONTACTS) == (slug, [])


def test_a_mention_shared_by_two_first_names_lists_both() -> None:
    assert resolve_mention("sam", CONTACTS) == (None, ["sam-lee", "sam-okafor"])
    assert resolve_mention("sam-l", CONTACTS)[0] == "sam-lee"  # a slug's start


def test_an_ambiguous_fuzzy_mention_lists_the_candidates() -> None:
    slug, candidates = resolve_mention("dan", CONTACTS)
    assert slug is None and set(candidates) == {"daniel-kowalczyk", "dana-xu"}


def test_an_unknown_mention_has_no_candidates() -> None:
    assert resolve_mention("zelda", CONTACTS) == (None, [])


def test_a_mention_of_one_or_two_letters_is_never_a_guess() -> None:
    """`@t` would have linked Tomás Herrera, the only slug that starts with a t: a
    letter or two names someone only exactly -- the slug, a first name, a whole word of
    one name -- else the line is refused with whom it might mean."""
    people = {**CONTACTS, "dana-wu": "Dana Wu", "al-green": "Al Green", "jo": "Jo Ng"}
    assert resolve_mention("t", people) == (None, ["tomas-herrera"])
    assert resolve_mention("to", people) == (None, ["tomas-herrera"])  # a name's start
    # the only slug that begins "ko" is Kofi's, but Daniel Kowalczyk's name has a word that does
    assert resolve_mention("ko", people) == (None, ["daniel-kowalczyk", "kofi-mensah"])
    assert resolve_mention("d", people) == (None, ["dana-wu", "dana-xu", "daniel-kowalczyk", "elena-marsh"])
    assert resolve_mention("wu", people) == ("dana-wu", [])  # a whole word of one name
    assert resolve_mention("al", people) == ("al-green", [])  # a first name
    assert resolve_mention("jo", people) == ("jo", [])  # a slug
    assert resolve_mention("ng", people) == ("jo", [])
    assert resolve_mention("q", people) == (None, [])
    assert resolve_mention("tom", people) == ("tomas-herrera", [])  # three letters: the slug's start, as before
    with pytest.raises(CaptureError) as caught:
        parse("coffee with @t's team and @sa", today=TODAY, contacts=people)
    assert str(caught.value) == (
        "@t's is too short to tell who (write more of the name): @tomas-herrera (Tomás Herrera); "
        "@sa is too short to tell who (write more of the name): @sam-lee (Sam Lee), @sam-okafor (Sam Okafor); "
        "nothing was written")


def test_mentions_become_names_in_the_title_and_links_in_order() -> None:
    captured = cap("coffee with @priya and @kofi's team, then @priya again")
    assert captured.contacts == ["priya-raman", "kofi-mensah"]
    assert captured.title == "Coffee with Priya Raman and Kofi Mensah's team, then Priya Raman again"


def test_an_email_address_is_not_a_mention() -> None:
    captured = cap("wrote to kofi@example.org about @priya")
    assert captured.contacts == ["priya-raman"] and "kofi@example.org" in captured.title


def test_a_line_with_bad_mentions_is_refused_naming_each() -> None:
    with pytest.raises(CaptureError) as caught:
        cap("met @zelda and @sam")
    message = str(caught.value)
    assert "@zelda names no contact" in message
    assert "@sam could be @sam-lee (Sam Lee), @sam-okafor (Sam Okafor)" in message
    assert "nothing was written" in message
    assert caught.value.candidates == {"zelda": [], "sam": ["sam-lee", "sam-okafor"]}
    assert not caught.value.usage


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("prefix, day", [
    ("", "2026-11-25"),
    ("today: ", "2026-11-25"),
    ("yesterday: ", "2026-11-24"),
    ("monday: ", "2026-11-23"),  # the most recent Monday
    ("mon: ", "2026-11-23"),
    ("wednesday: ", "2026-11-25"),  # today is a Wednesday: today
    ("thursday: ", "2026-11-19"),  # last week's
    ("Sunday: ", "2026-11-22"),
    ("2026-12-01: ", "2026-12-01"),
    ("2025-02-28:", "2025-02-28"),
])
def test_the_date_prefix(prefix: str, day: str) -> None:
    captured = cap(f"{prefix}met @kofi")
    assert captured.day.isoformat() == day and captured.title == "Met Kofi Mensah"


def test_a_word_with_a_colon_that_is_not_a_day_stays_in_the_title() -> None:
    captured = cap("idea: a workbook for @kofi")
    assert captured.day == TODAY and captured.title == "Idea: a workbook for Kofi Mensah"


def test_an_impossible_date_is_a_usage_error() -> None:
    with pytest.raises(CaptureError) as caught:
        cap("2026-02-30: met @kofi")
    assert caught.value.usage and "2026-02-30" in str(caught.value)


# --------------------------------------------------------------------------- follow-ups


@pytest.mark.parametrize("text, day", [
    ("+7d", "2026-12-02"),
    ("+2w", "2026-12-09"),
    ("+0d", "2026-11-25"),
    ("follow-up 2026-12-20", "2026-12-20"),
    ("followup 2026-12-20", "2026-12-20"),
    ("follow-up: 2026-12-20", "2026-12-20"),
    ("follow-up +3d", "2026-11-28"),
    ("follow-up tomorrow", "2026-11-26"),
    ("follow-up friday", "2026-11-27"),  # the next Friday
    ("follow-up wed", "2026-12-02"),  # today is Wednesday: next week's
])
def test_a_follow_up(text: str, day: str) -> None:
    captured = cap(f"gave @kofi the draft {text}")
    assert captured.follow_up and captured.follow_up.isoformat() == day
    assert captured.title == "Gave Kofi Mensah the draft"


def test_a_follow_up_counts_from_today_even_for_a_past_entry() -> None:
    captured = cap("monday: met @kofi +7d")
    assert captured.day == dt.date(2026, 11, 23) and captured.follow_up == dt.date(2026, 12, 2)


def test_no_follow_up_unless_asked_and_plus_inside_a_word_is_text() -> None:
    captured = cap("met @kofi about C++ and 3+4d")
    assert captured.follow_up is None and captured.title == "Met Kofi Mensah about C++ and 3+4d"


def test_two_follow_ups_are_refused() -> None:
    with pytest.raises(CaptureError) as caught:
        cap("met @kofi +7d follow-up 2026-12-20")
    assert caught.value.usage


# --------------------------------------------------------------------------- tags and title


def test_tags_at_the_end_leave_the_title_tags_inside_keep_their_word() -> None:
    captured = cap("coffee with @priya about #ai ethics #course #exec-ed")
    assert captured.tags == ["ai", "course", "exec-ed"]
    assert captured.title == "Coffee with Priya Raman about ai ethics"


def test_tag_edge_cases() -> None:
    captured = cap("shipped C# notes for @kofi, #coaching.")
    assert captured.tags == ["coaching"] and captured.title == "Shipped C# notes for Kofi Mensah"
    assert cap("met @kofi #coaching #coaching").tags == ["coaching"]


def test_the_title_is_capitalised_and_the_body_keeps_the_line() -> None:
    line = "gave @kofi the workbook draft #coaching +7d"
    captured = cap("  " + line + "  ")
    assert captured.title == "Gave Kofi Mensah the workbook draft"
    assert captured.body == line + "\n"


def test_a_line_with_nothing_but_tags_is_refused() -> None:
    with pytest.raises(CaptureError):
        cap("yesterday: #coaching +7d")
    with pytest.raises(CaptureError):
        cap("   ")


# --------------------------------------------------------------------------- the command


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "j"
    assert run(capsys, "init", str(root), "--sample")[0] == 0
    return root


def reflection_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "reflections").rglob("*.md")}


def test_log_writes_one_reflection(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--journal", str(sample), "log",
                         "yesterday: gave @kofi the workbook draft #coaching +7d")
    assert code == 0 and err == ""
    path = "reflections/2026/2026-11-24-gave-kofi-mensah-the-workbook-draft.md"
    assert out == f"Added {path}\n  give · with Kofi Mensah · #coaching · follow up 2026-12-02\n"
    doc = frontmatter.parse_bytes((sample / path).read_bytes())
    assert doc.meta == {"title": "Gave Kofi Mensah the workbook draft", "date": "2026-11-24",
                        "contacts": ["kofi-mensah"], "kind": "give", "follow_up": "2026-12-02",
                        "tags": ["coaching"]}
    assert doc.body == "yesterday: gave @kofi the workbook draft #coaching +7d\n"
    code, out, _ = run(capsys, "--journal", str(sample), "show", "kofi-mensah", "--json")
    kofi = json.loads(out)
    assert kofi["gave"] == 2 and kofi["last_touch"] == "2026-11-24" and kofi["status"] == "ok"


def test_log_takes_the_line_as_several_words(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--journal", str(sample), "log", "--json", "met", "@priya", "for", "lunch")
    assert code == 0
    data = json.loads(out)
    assert (data["title"], data["kind"], data["contacts"], data["follow_up_done"]) == (
        "Met Priya Raman for lunch", "meeting", ["priya-raman"], None)


def test_log_with_an_unknown_or_ambiguous_mention_writes_nothing(
        sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = reflection_files(sample)
    code, out, err = run(capsys, "--journal", str(sample), "log", "coffee with @zelda")
    assert code == 1 and out == ""
    assert err == "netjournal: @zelda names no contact (see: netjournal contacts); nothing was written\n"
    run(capsys, "--journal", str(sample), "add", "contact", "Kofi Boateng")
    code, _, err = run(capsys, "--journal", str(sample), "log", "gave @kofi a book")
    assert code == 1
    assert "@kofi could be @kofi-boateng (Kofi Boateng), @kofi-mensah (Kofi Mensah)" in err
    assert reflection_files(sample) == before


def test_log_refuses_a_one_letter_guess(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Aisha Bello is the only contact of the sample whose slug starts with an a: @a
    # linked her, though Grace Adeyemi was as likely meant
    before = reflection_files(sample)
    code, out, err = run(capsys, "--journal", str(sample), "log", "gave @a the intro deck")
    assert code == 1 and out == ""
    assert err == ("netjournal: @a is too short to tell who (write more of the name): "
                   "@aisha-bello (Aisha Bello), @grace-adeyemi (Grace Adeyemi); nothing was written\n")
    assert reflection_files(sample) == before
    code, out, err = run(capsys, "--journal", str(sample), "log", "--json", "gave @aisha the intro deck")
    assert code == 0 and json.loads(out)["contacts"] == ["aisha-bello"]


def test_log_tells_apart_candidates_of_the_same_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "@alex could be @alex-chen (Alex Chen), @alex-chen-2 (Alex Chen)" could not be
    # chosen from: two of one name show their org, else their role, else their email
    root = tmp_path / "j"
    assert run(capsys, "init", str(root))[0] == 0
    for name, *extra in (("Alex Chen", "--org", "Northwind"), ("Alex Chen", "--org", "Harbourline"),
                         ("Sam Lee", "--role", "Designer"), ("Sam Lee", "--role", "Recruiter"),
                         ("Jo Park", "--email", "jo@a.example", "--org", "Acme"),
                         ("Jo Park", "--email", "jo@b.example", "--org", "Acme"), ("Alexandra Byrne",)):
        assert run(capsys, "--journal", str(root), "add", "contact", name, *extra)[0] == 0
    before = reflection_files(root)
    code, out, err = run(capsys, "--journal", str(root), "log", "met @alex.chen")
    assert code == 1 and out == ""
    assert err == ("netjournal: @alex.chen could be @alex-chen (Alex Chen, Northwind), "
                   "@alex-chen-2 (Alex Chen, Harbourline); nothing was written\n")
    code, _, err = run(capsys, "--journal", str(root), "log", "met @sam and @jo")
    assert code == 1
    assert "@sam could be @sam-lee (Sam Lee, Designer), @sam-lee-2 (Sam Lee, Recruiter)" in err
    # the same org: the email tells them apart
    assert "@jo could be @jo-park (Jo Park, jo@a.example), @jo-park-2 (Jo Park, jo@b.example)" in err
    # a name nobody shares is shown as it is
    code, _, err = run(capsys, "--journal", str(root), "log", "met @alexandra and @alex.chen")
    assert code == 1 and "Alexandra" not in err and "(Alex Chen, Northwind)" in err
    assert reflection_files(root) == before


def test_log_with_a_bad_date_is_a_usage_error(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = reflection_files(sample)
    code, _, err = run(capsys, "--journal", str(sample), "log", "2026-13-01: met @kofi")
    assert code == 2 and "'2026-13-01' is not a date" in err and err.count("\n") == 1
    assert reflection_files(sample) == before


def test_log_warns_about_an_early_ask_and_saves_it(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--journal", str(sample), "log", "asked @kofi for a reference")
    assert code == 0 and out.startswith("Added ")
    assert err == ("Warning: Kofi Mensah may not be ready to be asked: "
                   "Not ready to ask: earn trust and go deeper first.\n")
    code, _, err = run(capsys, "--journal", str(sample), "log", "asked @priya to read my case")
    assert code == 0 and err == ""  # Priya is ask-ready


def test_log_intro_with_one_person_warns(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--journal", str(sample), "log", "--kind", "intro", "put @kofi in touch")
    assert code == 0 and "an intro links two or more contacts" in err
    code, out, _ = run(capsys, "--journal", str(sample), "check")
    assert code == 1 and "an intro links two or more contacts" in out and "(warning)" in out


def test_log_dry_run_writes_nothing(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = reflection_files(sample)
    code, out, _ = run(capsys, "--journal", str(sample), "log", "--dry-run", "thanked @priya #course")
    assert code == 0
    assert out == "Would add: 2026-11-25  Thanked Priya Raman\n  thanks · with Priya Raman · #course\n"
    code, out, _ = run(capsys, "--journal", str(sample), "log", "--dry-run", "--json", "thanked @priya +2w")
    assert json.loads(out) == {"title": "Thanked Priya Raman", "date": "2026-11-25", "kind": "thanks",
                               "contacts": ["priya-raman"], "tags": [], "follow_up": "2026-12-09",
                               "body": "thanked @priya +2w\n"}
    assert reflection_files(sample) == before


def test_log_output_is_safe(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--journal", str(sample), "log", "met @kofi about \x1b[31mred\x1b[0m")
    assert code == 0 and "\x1b" not in out
