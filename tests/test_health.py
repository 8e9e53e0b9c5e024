"""Relationship health (``insights.health_of``) at its edges: never touched, just
touched, far overdue, all give, all ask, a long relationship touched 13 months ago;
its reasons; "once healthy" and the dashboard's "Needs care"."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from netjournal import insights
from netjournal.cli import main
from netjournal.insights import HEALTHY, NEEDS_CARE, compute_facts
from netjournal.journal import Journal
from netjournal.model import STEP_KEYS, Contact, Reflection, StepState

TODAY = dt.date(2026, 11, 25)


def contact(steps: int = 0, *, cadence: int | None = 30, connect: str | None = None, archived: bool = False,
            since: str = "2026-11-25") -> Contact:
    """``steps`` steps done on ``since`` (today by default, so that the connect step
    does not start the tenure before the first touch)."""
    states = {key: StepState(since if i < steps else None) for i, key in enumerate(STEP_KEYS)}
    if connect:
        states["connect"] = StepState(connect)
    return Contact("x", "contacts/x.md", "X", cadence=cadence, steps=states, archived=archived)


def touch(days_ago: int, kind: str = "meeting", n: int = 0) -> Reflection:
    day = (TODAY - dt.timedelta(days=days_ago)).isoformat()
    return Reflection(f"reflections/{day}-{kind}-{n}.md", f"{kind} {n}", day, kind, ["x"], ["x"])


def facts_of(person: Contact, reflections: list[Reflection], today: dt.date = TODAY) -> insights.ContactFacts:
    return compute_facts([person], reflections, today)["x"]


def health(person: Contact, reflections: list[Reflection], today: dt.date = TODAY) -> int:
    return facts_of(person, reflections, today).health


# --------------------------------------------------------------------------- the edges


def test_never_touched_is_zero() -> None:
    fact = facts_of(contact(steps=2), [touch(3, "note")])  # a note is not a touch
    assert (fact.health, fact.health_reasons) == (0, ["not yet connected: no touch recorded"])
    assert not fact.once_healthy


def test_just_touched_with_nothing_behind_it_is_55() -> None:
    fact = facts_of(contact(), [touch(0)])
    assert fact.health == 55
    assert fact.health_reasons == ["0 of 6 steps done", "a new relationship: first touch 0 days ago"]


def test_within_the_cadence_recency_is_full() -> None:
    person = contact(steps=3)
    assert health(person, [touch(0)]) == health(person, [touch(30)]) == 70
    assert health(person, [touch(1), touch(400, n=1)]) == health(person, [touch(30), touch(400, n=1)])


def test_far_overdue_decays_smoothly_and_never_reaches_zero() -> None:
    person = contact(steps=6)
    scores = [health(person, [touch(30 + overdue)]) for overdue in range(0, 1500)]
    assert all(a >= b for a, b in zip(scores, scores[1:]))  # never rises with neglect
    # no cliff anywhere: a new relationship loses at most 1/30 of its R a day, a year in far less
    assert all(a - b <= 3 for a, b in zip(scores, scores[1:]))
    assert scores[360] - scores[370] <= 1
    fact = facts_of(person, [touch(30 + 365)])
    assert 0 < fact.health < NEEDS_CARE
    assert fact.health_reasons[0] == "overdue 365 days"
    assert health(person, [touch(31)]) < health(person, [touch(30)])  # one day overdue counts, a little


def test_a_five_year_relationship_touched_13_months_ago_is_not_zero() -> None:
    person = contact(steps=6)
    five_years = [touch(395), touch(395 + 1826, n=1)]  # lived 2021-2025, silent since
    one_touch = [touch(395)]
    # R = H / (H + 365) with H = 30 x (1 + 5), then x (0.55 + 0.30 + 0.15 x 5/6)
    assert health(person, five_years) == round(100 * 180 / (180 + 365) * (0.85 + 0.15 * 5 / 6)) == 32
    # the same neglect with no history: R = 30 / (30 + 365), x 0.85
    assert health(person, one_touch) == round(100 * 30 / 395 * 0.85) == 6
    # years of silence are not tenure: a touch long ago does not protect a contact
    assert health(person, [touch(2000)]) < health(person, one_touch)


def test_all_give_keeps_reciprocity_full_all_ask_halves_the_score() -> None:
    person = contact(steps=2)
    neutral = health(person, [touch(0)])
    gives = health(person, [touch(0, "give", i) for i in range(5)])
    asks = facts_of(person, [touch(0, "ask", i) for i in range(3)])
    assert gives == neutral == 65
    # three early asks (no trust, no deepen): (0 + 1) / (3 + 3 + 1) → x (0.5 + 0.5/7)
    assert asks.health == 37
    assert asks.health_reasons[0] == "3 asks (3 early), 0 gives in the past year"


def test_a_ready_ask_costs_less_than_an_early_one() -> None:
    ready = contact(steps=6)
    early = contact(steps=3)
    one_ask = [touch(0, "ask")]
    assert health(ready, one_ask) / health(ready, [touch(0)]) == pytest.approx(0.75, abs=0.01)
    assert health(early, one_ask) / health(early, [touch(0)]) == pytest.approx(2 / 3, abs=0.01)


def test_gives_balance_asks_and_old_asks_fade_after_a_year() -> None:
    person = contact(steps=3)
    balanced = [touch(0, "ask"), touch(1, "give", 1), touch(1, "give", 2)]  # an early ask counts twice
    assert facts_of(person, balanced).health_reasons == [
        "3 of 6 steps done", "a new relationship: first touch 1 day ago"]
    old_asks = [touch(0), touch(366, "ask", 1), touch(367, "ask", 2)]
    assert health(person, old_asks) == health(person, [touch(0), touch(366, n=1), touch(367, n=2)])
    assert health(person, [touch(0), touch(200, "ask", 1)]) < health(person, [touch(0), touch(200, n=1)])


def test_thanks_and_intros_are_gives() -> None:
    person = contact(steps=3)
    ask = touch(0, "ask")
    assert health(person, [ask, touch(1, "thanks", 1)]) == health(person, [ask, touch(1, "give", 1)]) \
        == health(person, [ask, touch(1, "intro", 1)])


def test_tenure_starts_at_the_connect_step_when_that_is_earlier() -> None:
    later = contact(steps=0, connect="2024-11-25")
    assert health(later, [touch(0)]) > health(contact(steps=0), [touch(0)])


def test_health_is_always_between_0_and_100() -> None:
    rng = random.Random(7)
    kinds = ("meeting", "give", "thanks", "ask", "receive", "intro", "note")
    for _ in range(300):
        person = contact(steps=rng.randint(0, 6), cadence=rng.choice([None, 1, 7, 30, 365]))
        rows = [touch(rng.randint(-30, 4000), rng.choice(kinds), i) for i in range(rng.randint(0, 12))]
        assert 0 <= health(person, rows) <= 100


def test_a_future_dated_reflection_is_not_counted_yet() -> None:
    person = contact(steps=3)
    assert health(person, [touch(-10)]) == 0
    assert health(person, [touch(100), touch(-10, n=1)]) == health(person, [touch(100)])


# --------------------------------------------------------------------------- once healthy, needs care


def test_once_healthy_is_health_of_HEALTHY_or_more_on_a_touch_day() -> None:
    # on the touch day, 3 steps done and no asks: 100 x (0.55 + 0.15) = 70
    assert facts_of(contact(steps=3, since="2020-01-01", connect="2026-05-09"), [touch(200)]).once_healthy
    assert 0.55 * 100 < HEALTHY
    assert not facts_of(contact(steps=0), [touch(200)]).once_healthy  # 55 at best
    # only asks: never healthy, however many steps
    asker = contact(steps=6, since="2020-01-01", connect="2026-05-09")
    assert not facts_of(asker, [touch(200, "ask", i) for i in range(4)]).once_healthy


def test_steps_done_after_a_touch_do_not_make_it_healthy_then() -> None:
    late = contact(steps=6, since="2026-11-20")
    assert not facts_of(late, [touch(100)]).once_healthy  # steps came after the only touch
    assert facts_of(late, [touch(100), touch(1, n=1)]).once_healthy


def test_needs_care_lists_the_once_healthy_now_below_the_line_lowest_first(sample_journal: Journal) -> None:
    rows = sample_journal.needs_care()
    assert [(f.contact.slug, f.health) for f in rows] == [("kofi-mensah", 40), ("marcus-feld", 47)]
    assert all(f.once_healthy and f.health < NEEDS_CARE for f in rows)
    facts = sample_journal.facts()
    # Rob is lower still but archived; Tomás never had a touch
    assert facts["rob-castellano"].once_healthy and facts["rob-castellano"].health < 40
    assert not facts["tomas-herrera"].once_healthy


def test_the_cli_shows_health(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    main(["init", str(root), "--sample"])
    capsys.readouterr()
    main(["--journal", str(root), "contacts", "--json"])
    rows = {r["slug"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["kofi-mensah"]["health"] == 40
    assert rows["kofi-mensah"]["health_reasons"] == [
        "overdue 24 days", "3 of 6 steps done", "a new relationship: first touch 76 days ago"]
    assert rows["tomas-herrera"]["health"] == 0
    main(["--journal", str(root), "show", "kofi-mensah"])
    out = capsys.readouterr().out
    assert "Health: 40/100: overdue 24 days; 3 of 6 steps done; a new relationship: first touch 76 days ago" in out
    main(["--journal", str(root), "contacts"])
    header, *lines = capsys.readouterr().out.splitlines()
    assert "HEALTH" in header.split()
