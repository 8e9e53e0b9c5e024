"""The weekly review: w on the dashboard and the palette open it; [ and ] move a week;
n writes the week's reflection from a prefilled template, and ctrl+s saves it."""

from __future__ import annotations

from textual.widgets import Input, Static

from netjournal.store import frontmatter
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.review import QUESTIONS, ReviewScreen
from netjournal.tui.widgets.kind_picker import KindPicker
from netjournal.tui.widgets.markdown_area import MarkdownArea
from netjournal.tui.widgets.section_list import SectionList
from tests.conftest import TODAY
from tests.tui.test_dashboard import rows, settle
from tests.tui.test_shell import run_command

SIZE = (100, 32)


async def test_w_opens_this_weeks_review(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "Week of 2026-11-23 to 2026-11-29" in str(screen.query_one("#review-title", Static).content)
        gives = rows(screen, "review-gives")
        assert len(gives) == 2 and any("Sent Owen two programme-coordinator openings" in r for r in gives)
        asks = rows(screen, "review-asks")
        assert len(asks) == 1 and "before trust" not in asks[0]
        assert len(rows(screen, "review-reflections")) == 3
        assert rows(screen, "review-touched") == ["Grace Adeyemi", "Owen Brightwater", "Elena Marsh"]
        assert [r[:10] for r in rows(screen, "review-follow-ups")] == ["2026-11-26", "2026-11-27"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_brackets_move_a_week_and_flag_early_asks(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "weekly review")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "Week of 2026-11-16 to 2026-11-22" in str(screen.query_one("#review-title", Static).content)
        await pilot.press("right", "right")
        await settle(pilot)
        assert "2026-11-30 to 2026-12-06" in str(screen.query_one("#review-title", Static).content)
        assert screen.query_one("#review-gives", SectionList).drawn()[1].startswith(" No gives")
        # the reference-letter ask, week of 2026-05-27: flagged as made before trust
        screen.day = TODAY.replace(month=5, day=27)
        screen.refresh_data()
        await settle(pilot)
        asks = rows(screen, "review-asks")
        assert any("reference letter" in r and "before trust" in r for r in asks)


async def test_write_this_weeks_reflection_prefilled_and_saved(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert editor.query_one("#title", Input).value == "Weekly review 2026-11-23 – 2026-11-29"
        assert editor.query_one("#kind", KindPicker).value == "note"
        body = editor.query_one("#body", MarkdownArea).text
        assert "## What I gave" in body
        assert "- 2026-11-24 Sent Owen two programme-coordinator openings (Owen Brightwater)" in body
        assert "- 2026-11-23 Asked Grace to pressure-test my interview case (Grace Adeyemi)" in body
        for question in QUESTIONS:
            assert f"## {question}" in body
        assert not any(n.title == "Draft recovered" for n in app._notifications)
        before = set((app.journal.root / "reflections").rglob("*.md"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = set((app.journal.root / "reflections").rglob("*.md")) - before
        assert len(new) == 1
        doc = frontmatter.parse_bytes(new.pop().read_bytes())
        assert doc.meta["title"] == "Weekly review 2026-11-23 – 2026-11-29"
        assert doc.meta["kind"] == "note" and str(doc.meta["date"]) == TODAY.isoformat()
        assert "Sent Owen two programme-coordinator openings" in doc.body
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert len(rows(app.screen, "review-reflections")) == 4  # refreshed after the save
