"""The domain: the six steps, links, last touch, due, cadence, the ledger, ask
readiness, early asks and the weekly review -- on the sample journal's real data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from netjournal import insights
from netjournal.insights import NOT_CONNECTED, OK, OVERDUE, compute_facts, effective_cadence
from netjournal.journal import Journal
from netjournal.model import (
    DEFAULT_CADENCE,
    STEP_KEYS,
    STEPS,
    Contact,
    Reflection,
    read_step,
)
from netjournal.store.entries import load
from netjournal.wikilinks import find_links
from tests.conftest import TODAY

R = "reflections/2026/"


pytestmark = pytest.mark.usefixtures("no_fsync")


# --------------------------------------------------------------------------- the steps


def test_the_six_steps_are_exactly_the_design() -> None:
    assert [(s.key, s.label, s.question) for s in STEPS] == [
        ("why", "Chose them for a reason", "Why do I want this relationship?"),
        ("offer", "Know what I can give", "How can I help them, with what I have?"),
        ("connect", "Connected authentically", "Did I reach out without asking for anything?"),
        ("trust", "Earned their trust", "Have I helped them build themselves up, and kept my word?"),
        ("deepen", "Went deeper", "Have I told them what helped me; is this more than small talk?"),
        ("known", "They know me", "Do they know my strengths and goals well enough to vouch for me?"),
    ]
    assert STEP_KEYS == ("why", "offer", "connect", "trust", "deepen", "known")


def test_steps_as_read_from_the_sample(sample: Journal) -> None:
    priya = sample.contact("priya-raman")
    assert priya.progress == 6 and priya.next_step is None
    assert priya.steps["connect"].date == "2026-05-22"
    assert priya.steps["connect"].note == "Thanked her after the open workshop"
    grace = sample.contact("grace-adeyemi")
    assert grace.progress == 5 and grace.next_step.key == "known"
    tomas = sample.contact("tomas-herrera")
    assert tomas.progress == 0 and tomas.next_step.key == "why" and tomas.why == ""


@pytest.mark.parametrize(
    "value, date, warns",
    [
        (None, None, False), ("", None, False), (False, None, False),
        ("2026-09-01", "2026-09-01", False),
        ({"date": "2026-09-05", "note": "Hi"}, "2026-09-05", False),
        ({"note": "planned"}, None, False),
        (True, None, True), ("soon", None, True), ({"date": "someday"}, None, True),
    ],
)
def test_read_step(value: object, date: str | None, warns: bool) -> None:
    state, warning = read_step(value)
    assert state.date == date and state.done == (date is not None)
    assert (warning is not None) == warns


# --------------------------------------------------------------------------- links


def test_wikilinks_are_not_found_inside_code() -> None:
    body = (
        "See [[grace-adeyemi]] and [[Priya Raman|Priya]] and [[jonas-lindqvist#notes]].\n"
        "Inline `[[in-code-span]]` is text.\n\n"
        "```\n[[in-fence]]\n```\n\n"
        "    [[in-indented-code]]\n\n"
        "Again [[grace-adeyemi]].\n"
    )
    assert find_links(body) == ["grace-adeyemi", "priya-raman", "jonas-lindqvist"]
    assert find_links("no links here") == []


def test_owen_links_grace_but_not_the_code_example(sample: Journal) -> None:
    owen = sample.contact("owen-brightwater")
    assert "[[not-a-link]]" in owen.body
    assert owen.wikilinks == ["grace-adeyemi"]


def test_reflection_links_are_contacts_plus_body_wikilinks(sample: Journal) -> None:
    mentoring = sample.reflection(R + "2026-09-17-mentoring-session-with-owen.md")
    assert mentoring.contacts == ["owen-brightwater"]
    assert mentoring.links == ["owen-brightwater", "grace-adeyemi"]
    offer = sample.reflection("2026-09-24-what-i-actually-offer")
    assert offer.contacts == [] and offer.links == ["priya-raman", "grace-adeyemi"]
    # a wikilink counts for the timeline
    assert R + "2026-09-17-mentoring-session-with-owen.md" in sample.contact_facts("grace-adeyemi").reflections
    assert [r.path for r in sample.reflections(contact="aisha-bello")] == [
        R + "2026-11-18-who-i-want-to-know-at-harbourline.md"
    ]


# --------------------------------------------------------------------------- last touch, due, cadence


EXPECTED = {
    # slug: (cadence, last_touch, due, status, days_overdue)
    "aisha-bello": (90, None, None, NOT_CONNECTED, 0),
    "daniel-kowalczyk": (90, "2026-07-10", "2026-10-08", OVERDUE, 48),
    "elena-marsh": (60, "2026-11-24", "2027-01-23", OK, 0),
    "grace-adeyemi": (30, "2026-11-23", "2026-12-23", OK, 0),
    "jonas-lindqvist": (30, None, None, NOT_CONNECTED, 0),
    "kofi-mensah": (30, "2026-10-02", "2026-11-01", OVERDUE, 24),
    "marcus-feld": (60, "2026-08-20", "2026-10-19", OVERDUE, 37),
    "nadia-petrova": (45, "2026-11-17", "2027-01-01", OK, 0),
    "owen-brightwater": (30, "2026-11-24", "2026-12-24", OK, 0),
    "priya-raman": (14, "2026-11-20", "2026-12-04", OK, 0),
    "rob-castellano": (30, "2026-06-02", "2026-07-02", OVERDUE, 146),
    "tomas-herrera": (30, None, None, NOT_CONNECTED, 0),
}


def test_last_touch_due_and_status_for_every_sample_contact(sample: Journal) -> None:
    facts = sample.facts()
    got = {s: (f.cadence, f.last_touch, f.due, f.status, f.days_overdue) for s, f in facts.items()}
    assert got == EXPECTED


def test_notes_are_not_touches(sample: Journal) -> None:
    # jonas and aisha are only linked from a note: never touched, so not due either
    for slug in ("jonas-lindqvist", "aisha-bello"):
        fact = sample.contact_facts(slug)
        assert fact.reflections and fact.last_touch is None
        assert fact.status == "not yet connected" and fact.due is None
    # tomas: linked from a note only
    assert sample.contact_facts("tomas-herrera").reflections == [R + "2026-11-05-on-saying-no-to-favours.md"]


def test_due_list_and_not_connected(sample: Journal) -> None:
    assert [f.contact.slug for f in sample.due()] == ["daniel-kowalczyk", "marcus-feld", "kofi-mensah"]
    assert [f.contact.slug for f in sample.not_connected()] == ["aisha-bello", "jonas-lindqvist", "tomas-herrera"]
    assert [c.slug for c in sample.contacts(due=True)] == ["daniel-kowalczyk", "kofi-mensah", "marcus-feld"]


def test_a_newer_note_does_not_move_the_last_touch(sample_journal: Journal) -> None:
    sample_journal.add_reflection("Thinking about Kofi", day=dt.date(2026, 11, 24), kind="note", contacts=["kofi-mensah"])
    assert sample_journal.contact_facts("kofi-mensah").last_touch == "2026-10-02"
    sample_journal.add_reflection("Sent Kofi the second draft", day=dt.date(2026, 11, 25), kind="give",
                                  contacts=["kofi-mensah"])
    fact = sample_journal.contact_facts("kofi-mensah")
    assert fact.last_touch == "2026-11-25" and fact.due == "2026-12-25" and fact.status == OK


def test_due_today_is_due(sample_journal: Journal) -> None:
    sample_journal.add_reflection("Call with Kofi", day=dt.date(2026, 10, 26), kind="meeting", contacts=["kofi-mensah"])
    # the 2026-10-02 meeting is older; 10-26 + 30 days = 11-25 = today
    fact = sample_journal.contact_facts("kofi-mensah")
    assert fact.due == "2026-11-25" and fact.status == "due" and fact.days_overdue == 0
    assert "kofi-mensah" in [f.contact.slug for f in sample_journal.due()]


def test_cadence_falls_back_contact_then_settings_then_30(sample_journal: Journal) -> None:
    root = sample_journal.root
    assert sample_journal.contact_facts("priya-raman").cadence == 14  # her own
    assert sample_journal.contact_facts("grace-adeyemi").cadence == 30  # netjournal.yaml says 30
    settings = (root / "netjournal.yaml").read_text()
    (root / "netjournal.yaml").write_text(settings.replace("cadence: 30", "cadence: 21"))
    sample_journal.sync()
    assert sample_journal.default_cadence == 21
    assert sample_journal.contact_facts("grace-adeyemi").cadence == 21
    assert sample_journal.contact_facts("grace-adeyemi").due == "2026-12-14"
    assert sample_journal.contact_facts("priya-raman").cadence == 14
    (root / "netjournal.yaml").write_text(settings.replace("cadence: 30\n", ""))
    sample_journal.sync()
    assert sample_journal.default_cadence is None
    assert sample_journal.contact_facts("grace-adeyemi").cadence == DEFAULT_CADENCE == 30
    (root / "netjournal.yaml").write_text(settings.replace("cadence: 30", "cadence: -3"))
    sample_journal.sync()
    assert sample_journal.contact_facts("grace-adeyemi").cadence == 30


def test_effective_cadence_unit() -> None:
    c = Contact(slug="a", path="contacts/a.md", name="A")
    assert effective_cadence(c, None) == 30
    assert effective_cadence(c, 7) == 7
    c.cadence = 3
    assert effective_cadence(c, 7) == 3


def test_bad_cadence_is_a_warning_and_ignored(sample_journal: Journal) -> None:
    path = sample_journal.root / "contacts/priya-raman.md"
    path.write_text(path.read_text().replace("cadence: 14", "cadence: fortnightly"))
    sample_journal.sync()
    assert sample_journal.contact_facts("priya-raman").cadence == 30
    warnings = [p for p in sample_journal.problems() if p.path == "contacts/priya-raman.md"]
    assert warnings and warnings[0].severity == "warning" and warnings[0].line == 9


# --------------------------------------------------------------------------- ledger and asks


LEDGER = {
    "priya-raman": (5, 1, 2), "grace-adeyemi": (2, 1, 1), "daniel-kowalczyk": (1, 1, 0),
    "elena-marsh": (1, 1, 0), "owen-brightwater": (3, 0, 0), "marcus-feld": (0, 0, 1),
    "rob-castellano": (0, 0, 1), "nadia-petrova": (2, 0, 0), "kofi-mensah": (1, 0, 0),
    "aisha-bello": (0, 0, 0), "jonas-lindqvist": (0, 0, 0), "tomas-herrera": (0, 0, 0),
}


def test_ledger_gave_is_give_plus_thanks_plus_intro(sample: Journal) -> None:
    got = {s: (f.gave, f.asked, f.received) for s, f in sample.facts().items()}
    assert got == LEDGER
    # Owen and Nadia: the 10-20 intro is a give to each, and counted as an intro
    assert {s: f.intros for s, f in sample.facts().items() if f.intros} == {
        "owen-brightwater": 1, "nadia-petrova": 1}
    # priya: thanks 05-22, give 06-18, give 07-15, thanks 08-30, thanks 11-20
    kinds = [r.kind for r in sample.reflections(contact="priya-raman")]
    assert kinds.count("give") + kinds.count("thanks") == 5


def test_ask_readiness(sample: Journal) -> None:
    facts = sample.facts()
    ready = {s for s, f in facts.items() if f.ask_ready}
    assert ready == {"priya-raman", "grace-adeyemi", "daniel-kowalczyk", "owen-brightwater"}
    assert facts["priya-raman"].ask_readiness.startswith("Ready to ask")
    assert facts["elena-marsh"].ask_readiness == "Not ready to ask: earn trust and go deeper first."
    assert "go deeper first" in facts["nadia-petrova"].ask_readiness  # trust done, deepen not
    assert "earn their trust first" in insights.ask_readiness_text(
        Contact("x", "contacts/x.md", "X", steps={k: read_step("2026-01-01" if k == "deepen" else None)[0]
                                                   for k in STEP_KEYS}))


def test_early_asks(sample: Journal) -> None:
    early = sample.early_asks()
    assert [(e.reflection.path, e.contact.slug) for e in early] == [
        (R + "2026-05-27-asked-dr-marsh-for-a-reference-letter.md", "elena-marsh")
    ]
    facts = sample.facts()
    assert facts["priya-raman"].early_asks == []  # 10-28 ask, after trust 07-15 and deepen 08-30
    assert facts["daniel-kowalczyk"].early_asks == []
    assert facts["grace-adeyemi"].early_asks == []


def test_an_ask_before_the_steps_were_done_stays_early(sample_journal: Journal) -> None:
    # an ask is judged on its own date: deepen done later does not excuse it
    sample_journal.add_reflection("Asked Nadia for an intro", day=dt.date(2026, 11, 1), kind="ask",
                                  contacts=["nadia-petrova"])
    sample_journal.set_step("nadia-petrova", "deepen", on=dt.date(2026, 11, 20))
    assert sample_journal.contact_facts("nadia-petrova").ask_ready
    early = {e.reflection.title for e in sample_journal.early_asks()}
    assert "Asked Nadia for an intro" in early
    sample_journal.add_reflection("Asked Nadia about the spring series", day=dt.date(2026, 11, 24), kind="ask",
                                  contacts=["nadia-petrova"])
    early = {e.reflection.title for e in sample_journal.early_asks()}
    assert "Asked Nadia about the spring series" not in early


# --------------------------------------------------------------------------- weekly review


def test_weekly_review_for_the_sample_week(sample: Journal) -> None:
    review = sample.review()
    assert (review.start, review.end) == ("2026-11-23", "2026-11-29")
    assert [r.path for r in review.gives] == [
        R + "2026-11-24-sent-owen-two-programme-coordinator-openings.md",
        R + "2026-11-24-told-dr-marsh-which-module-actually-helped.md",
    ]
    assert [r.path for r in review.asks] == [R + "2026-11-23-asked-grace-to-pressure-test-my-interview-case.md"]
    assert review.early == []
    assert [r.title for r in review.reflections] == [
        "Asked Grace to pressure-test my interview case",
        "Sent Owen two programme-coordinator openings",
        "Told Dr. Marsh which module actually helped",
    ]
    assert [c.slug for c in review.touched] == ["grace-adeyemi", "owen-brightwater", "elena-marsh"]
    assert review.became_due == []  # nobody's due date falls in this week in the sample
    assert [r.path for r in review.follow_ups] == [
        R + "2026-10-02-kofis-coaching-circle-pilot.md",
        R + "2026-11-18-who-i-want-to-know-at-harbourline.md",
    ]
    assert review == sample.review(dt.date(2026, 11, 23)) == sample.review(dt.date(2026, 11, 29))


def test_weekly_review_lists_who_became_due(sample_journal: Journal) -> None:
    sample_journal.add_reflection("Call with Kofi", day=dt.date(2026, 10, 28), kind="meeting", contacts=["kofi-mensah"])
    sample_journal.add_reflection("Lunch with Marcus", day=dt.date(2026, 9, 25), kind="meeting", contacts=["marcus-feld"])
    sample_journal.add_reflection("Demo with Rob", day=dt.date(2026, 10, 27), kind="meeting", contacts=["rob-castellano"])
    review = sample_journal.review()
    # kofi 10-28 + 30 = 11-27; marcus 09-25 + 60 = 11-24; rob is archived
    assert [(f.contact.slug, f.due) for f in review.became_due] == [
        ("marcus-feld", "2026-11-24"), ("kofi-mensah", "2026-11-27")
    ]
    next_week = sample_journal.review(dt.date(2026, 11, 30))
    assert [(f.contact.slug, f.due) for f in next_week.became_due] == [("priya-raman", "2026-12-04")]


def test_weekly_review_counts_an_early_ask_made_this_week(sample_journal: Journal) -> None:
    sample_journal.add_reflection("Asked Elena again", day=dt.date(2026, 11, 25), kind="ask", contacts=["elena-marsh"])
    review = sample_journal.review()
    assert [r.title for r in review.asks] == ["Asked Grace to pressure-test my interview case", "Asked Elena again"]
    assert [e.reflection.title for e in review.early] == ["Asked Elena again"]


def test_gives_per_week(sample: Journal) -> None:
    # the 12 weeks up to the week of 2026-11-23, oldest first
    # (week 7 is the intro of Owen and Nadia: an intro is a give)
    assert sample.gives_per_week() == [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 2]


def test_compute_facts_on_plain_objects() -> None:
    today = dt.date(2026, 11, 25)
    ann = Contact("ann", "contacts/ann.md", "Ann", cadence=10)
    bob = Contact("bob", "contacts/bob.md", "Bob")
    refs = [
        Reflection(R + "a.md", "a", "2026-11-01", "meeting", ["ann"], ["ann"]),
        Reflection(R + "b.md", "b", "2026-11-20", "note", ["ann"], ["ann"]),
        Reflection(R + "c.md", "c", "2026-11-10", "receive", [], ["ann", "bob"]),
        Reflection(R + "d.md", "d", "2026-11-12", "ask", ["bob"], ["bob"]),
    ]
    facts = compute_facts([ann, bob], refs, today, default_cadence=None)
    assert facts["ann"].last_touch == "2026-11-10" and facts["ann"].due == "2026-11-20"
    assert facts["ann"].status == OVERDUE and facts["ann"].days_overdue == 5
    assert facts["ann"].reflections == [R + "b.md", R + "c.md", R + "a.md"]  # newest first
    assert facts["bob"].cadence == 30 and facts["bob"].due == "2026-12-12"
    assert (facts["bob"].asked, facts["bob"].received, facts["bob"].early_asks) == (1, 1, [R + "d.md"])


# --------------------------------------------------------------------------- reading files into the model


def test_reflection_without_date_uses_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "reflections" / "2026").mkdir(parents=True)
    rel = "reflections/2026/2026-11-02-a-walk.md"
    (tmp_path / rel).write_text("---\ntitle: A walk\nkind: Meeting\n---\nbody\n")
    entry = load(tmp_path, rel)
    assert entry.ok and entry.reflection.date == "2026-11-02" and entry.reflection.kind == "meeting"
    (tmp_path / rel).write_text("---\nkind: coffee\n---\nbody\n")
    entry = load(tmp_path, rel)
    assert entry.reflection.kind == "note" and entry.reflection.title == "a-walk"
    assert [(p.line, p.severity) for p in entry.problems] == [(2, "warning")]
