"""Snapshots of the dashboard and the weekly review at 100x32 on the sample journal."""

from __future__ import annotations

SIZE = (100, 32)


def test_dashboard(snap_compare, make_app) -> None:
    assert snap_compare(make_app(start="dashboard"), terminal_size=SIZE)


def test_dashboard_second_section(snap_compare, make_app) -> None:
    assert snap_compare(make_app(start="dashboard"), press=["tab", "down"], terminal_size=SIZE)


def test_weekly_review(snap_compare, make_app) -> None:
    assert snap_compare(make_app(start="dashboard"), press=["w"], terminal_size=SIZE)


def test_weekly_review_previous_week(snap_compare, make_app) -> None:
    assert snap_compare(make_app(start="dashboard"), press=["w", "left_square_bracket"], terminal_size=SIZE)
