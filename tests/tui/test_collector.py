"""``netjournal`` pauses Python's garbage collector while the app starts, and the app
resumes it -- once the first screen is up and the journal's open finished, or when
it closes before that. A command keeps the collector as it is."""

from __future__ import annotations

import asyncio
import gc
import sys
from typing import Iterator

import pytest

from netjournal import program


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as the test found it, afterwards (and nothing left frozen)."""
    try:
        yield
    finally:
        program.resume_collector()
        gc.unfreeze()
        gc.enable()


def test_the_app_s_command_line_pauses_the_collector_and_a_command_does_not(
        collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    enabled: list[bool] = []
    monkeypatch.setattr("netjournal.cli.run", lambda: enabled.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["netjournal", "--journal", "somewhere"])
    program.run()
    assert enabled == [False]
    program.resume_collector()
    assert gc.isenabled()
    monkeypatch.setattr(sys, "argv", ["netjournal", "contacts"])
    program.run()
    assert enabled == [False, True]


async def test_the_app_resumes_it_once_started(collector: None, make_app) -> None:
    program.pause_collector()
    app = make_app()
    async with app.run_test():
        assert not gc.isenabled()  # the first screen is up; the start-up worker is to come
        for _ in range(200):
            if gc.isenabled():
                break
            await asyncio.sleep(0.025)
        assert gc.isenabled()
        assert app.journal.opened


async def test_an_app_closed_at_once_resumes_it(collector: None, make_app) -> None:
    program.pause_collector()
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("q")
    assert gc.isenabled()


def test_resuming_what_was_not_paused_changes_nothing(collector: None) -> None:
    gc.disable()
    program.resume_collector()
    assert not gc.isenabled()  # paused by someone else: theirs to resume
