"""Derived facts the dashboard shows that the other screens do not."""

from __future__ import annotations

import datetime as dt

from netjournal.insights import follow_ups_due
from netjournal.journal import Journal
from netjournal.model import Reflection


def reflection(path: str, follow_up: str | None, date: str = "2026-11-01") -> Reflection:
    return Reflection(path=path, title=path, date=date, kind="note", follow_up=follow_up)


def test_follow_ups_due_covers_the_past_and_next_week_soonest_first() -> None:
    today = dt.date(2026, 11, 25)
    rows = [
        reflection("too-old", "2026-11-17"),
        reflection("missed", "2026-11-18"),
        reflection("today", "2026-11-25"),
        reflection("soon", "2026-12-02"),
        reflection("later", "2026-12-03"),
        reflection("none", None),
    ]
    assert [r.path for r in follow_ups_due(rows, today)] == ["missed", "today", "soon"]
    assert [r.path for r in follow_ups_due(rows, today, days=0)] == ["today"]


def test_journal_follow_ups_on_the_sample(sample_journal: Journal) -> None:
    titles = [(r.follow_up, r.title) for r in sample_journal.follow_ups_due()]
    assert titles == [
        ("2026-11-26", "Kofi's coaching-circle pilot"),
        ("2026-11-27", "Who I want to know at Harbourline"),
        ("2026-11-30", "Asked Grace to pressure-test my interview case"),
        ("2026-12-01", "Planning the spring alumni series with Nadia"),
    ]
