"""What the shell and the checklist look like, at 100×32, on the sample journal as of
TODAY (run ``pytest --snapshot-update`` after a deliberate change, and look at the SVGs)."""

from __future__ import annotations

from pathlib import Path

from netjournal.journal import Journal
from tests.conftest import TODAY

SIZE = (100, 32)


class TestAreas:
    def test_dashboard(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="dashboard"), terminal_size=SIZE)

    def test_empty_journal_welcome(self, snap_compare, make_app, empty_journal) -> None:
        assert snap_compare(make_app(start="dashboard", journal=empty_journal), terminal_size=SIZE)


class TestChecklist:
    def test_grid(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="checklist"), terminal_size=SIZE)

    def test_stuck_filter(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="checklist"), press=["f"], terminal_size=SIZE)

    def test_help(self, snap_compare, make_app) -> None:
        assert snap_compare(make_app(start="checklist"), press=["question_mark"], terminal_size=SIZE)

    def test_light_theme(self, snap_compare, make_app) -> None:
        app = make_app(start="checklist", theme_name="netjournal-light")
        assert snap_compare(app, press=["down", "down"], terminal_size=SIZE)

    def test_high_contrast_theme(self, snap_compare, make_app) -> None:
        app = make_app(start="checklist", theme_name="netjournal-high-contrast")
        assert snap_compare(app, press=["down", "down"], terminal_size=SIZE)


class TestProblems:
    def test_problems_list(self, snap_compare, make_app, tmp_path: Path) -> None:
        root = tmp_path / "journal"
        Journal.init(root, sample=True, today=TODAY).close()
        (root / "contacts" / "broken.md").write_text("---\nname: Broken Bea\ntags: [a, b\n---\n", encoding="utf-8")
        (root / "reflections" / "2026" / "2026-11-01-no-date.md").write_text(
            "---\ntitle: Lunch\ndate: soon\n---\n", encoding="utf-8")
        app = make_app(start="checklist", journal=Journal.open(root, today=TODAY))

        async def show_problems(pilot) -> None:
            pilot.app.action_show_problems()
            await pilot.pause()

        assert snap_compare(app, run_before=show_problems, terminal_size=SIZE)
