"""Derived facts the dashboard shows that the other screens do not."""

from __future__ import annotations

import datetime as dt

from netjournal.insights import follow_ups, follow_ups_due
from netjournal.journal import Journal
from netjournal.model import Reflection


def reflection(path: str, follow_up: str | None, date: str = "2026-11-01", done: str | None = None) -> Reflection:
    return Reflection(path=path, title=path, date=date, kind="note", follow_up=follow_up, follow_up_done=done)


def test_follow_ups_due_are_the_open_ones_overdue_or_within_a_week_oldest_first() -> None:
    today = dt.date(2026, 11, 25)
    rows = [
        reflection("long-overdue", "2026-08-17"),
        reflection("missed", "2026-11-18"),
        reflection("today", "2026-11-25"),
        reflection("soon", "2026-12-02"),
        reflection("later", "2026-12-03"),
        reflection("none", None),
        reflection("done-overdue", "2026-11-20", done="2026-11-21"),
        reflection("done-soon", "2026-11-28", done="2026-11-24"),
    ]
    items = follow_ups({}, {r.path: r for r in rows}, today)
    due = follow_ups_due(items, today)
    assert [f.reflection.path for f in due] == ["long-overdue", "missed", "today", "soon"]
    assert [f.status(today) for f in due] == ["overdue", "overdue", "due", "upcoming"]
    assert [f.days_overdue(today) for f in due] == [100, 7, 0, -7]
    assert [f.reflection.path for f in follow_ups_due(items, today, days=0)] == ["long-overdue", "missed", "today"]
    # every follow-up: the open ones by due date, then the done ones, most recent first
    assert [f.reflection.path for f in items] == [
        "long-overdue", "missed", "today", "soon", "later", "done-soon", "done-overdue"]


def test_journal_follow_ups_on_the_sample(sample_journal: Journal) -> None:
    titles = [(f.due, f.question or f.reflection.title) for f in sample_journal.follow_ups_due()]
    assert titles == [
        # Daniel's (2026-08-10) was done on 08-12, so only Marcus's is overdue
        ("2026-09-20", "Marcus passed me a freelance brief"),
        ("2026-11-19", "How did the introduction of Owen Brightwater and Nadia Petrova go?"),
        ("2026-11-26", "Kofi's coaching-circle pilot"),
        ("2026-11-27", "Who I want to know at Harbourline"),
        ("2026-11-30", "Asked Grace to pressure-test my interview case"),
        ("2026-12-01", "Planning the spring alumni series with Nadia"),
    ]
