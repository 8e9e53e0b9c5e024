"""The checklist area (key 4): every active contact against the six steps."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from netjournal.journal import Journal
from netjournal.tui.screens.checklist import ChecklistGrid, ChecklistScreen
from netjournal.tui.screens.help import HelpScreen
from tests.conftest import TODAY

SIZE = (100, 32)
STUCK = ["grace-adeyemi", "kofi-mensah", "marcus-feld"]  # no step done since before 2026-09-26


def grid_of(app) -> ChecklistGrid:
    return app.screen.query_one(ChecklistGrid)


def row_slugs(app) -> list[str]:
    grid = grid_of(app)
    return [grid.coordinate_to_cell_key((i, 0)).row_key.value for i in range(grid.row_count)]


def cells(app, slug: str) -> list[str]:
    return [str(cell) for cell in grid_of(app).get_row(slug)]


def title(app) -> str:
    return str(app.screen.query_one("#checklist-title", Static).content)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


async def test_key_4_shows_the_grid_of_active_contacts(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        grid = grid_of(app)
        labels = [str(column.label) for column in grid.ordered_columns]
        assert labels == ["Name", "Why", "Offer", "Connect", "Trust", "Deepen", "Known", "Progress"]
        slugs = row_slugs(app)
        assert len(slugs) == 11 and "rob-castellano" not in slugs  # archived
        assert slugs[0] == "aisha-bello"  # by name at first
        assert "11 contacts" in title(app) and "by name" in title(app)
        hint = text_of(app, "#checklist-hint")
        for word in ("article", "why", "offer", "connect", "trust", "deeper", "known"):
            assert word in hint


async def test_cells_show_dates_not_yet_and_the_next_step(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert cells(app, "priya-raman") == [
            "Priya Raman", "● 05-01", "● 05-06", "● 05-22", "● 07-15", "● 08-30", "● 10-26", "6/6"]
        # the first step not done is the one to work on; the rest are not yet
        assert cells(app, "elena-marsh")[1:] == ["● 05-01", "● 06-10", "● 11-24", "▸ next", "·", "·", "3/6"]
        assert cells(app, "tomas-herrera")[1:] == ["▸ next", "·", "·", "·", "·", "·", "0/6"]


async def test_s_cycles_progress_desc_asc_then_name(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        order = row_slugs(app)
        assert order[:2] == ["daniel-kowalczyk", "priya-raman"]  # 6/6, ties by name
        assert order[-1] == "tomas-herrera"
        assert "most progress first" in title(app)
        await pilot.press("s")
        order = row_slugs(app)
        assert order[0] == "tomas-herrera" and order[-2:] == ["daniel-kowalczyk", "priya-raman"]
        assert "least progress first" in title(app)
        await pilot.press("s")
        assert row_slugs(app)[0] == "aisha-bello"
        assert "by name" in title(app)


async def test_f_keeps_only_stuck_contacts_and_says_so(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert row_slugs(app) == STUCK
        assert "stuck only" in title(app) and "3 of 11" in title(app)
        await pilot.press("s")  # sorting keeps the filter
        assert row_slugs(app) == ["grace-adeyemi", "marcus-feld", "kofi-mensah"]
        await pilot.press("f")
        assert len(row_slugs(app)) == 11
        assert "stuck" not in title(app)


async def test_f_when_nobody_is_stuck_says_so_plainly(make_app, tmp_path: Path) -> None:
    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    for slug in STUCK:
        journal.set_step(slug, "known" if slug == "grace-adeyemi" else "deepen" if slug == "marcus-feld" else "trust")
    app = make_app(start="checklist", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert not grid_of(app).display
        empty = app.screen.query_one("#checklist-empty", Static)
        assert empty.display and "Nobody is stuck" in str(empty.content)
        assert "stuck only" in title(app) and "0 of 11" in title(app)
        await pilot.press("f")
        assert grid_of(app).display and not empty.display


async def test_enter_opens_the_contact_under_the_cursor(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        order = row_slugs(app)
        for _ in range(order.index("priya-raman")):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert getattr(app.screen, "slug", None) == "priya-raman"
        assert app.current_mode == "checklist"
        await pilot.press("4")  # the area key goes back to the grid
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)


async def test_grid_refreshes_when_the_journal_changes(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down")  # cursor on elena-marsh
        app.journal.set_step("elena-marsh", "trust")
        app.journal_changed("contacts/elena-marsh.md")
        await pilot.pause()
        assert cells(app, "elena-marsh")[4:] == ["● 11-25", "▸ next", "·", "4/6"]
        grid = grid_of(app)
        assert grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value == "elena-marsh"


async def test_empty_journal_shows_a_welcome_not_an_empty_grid(make_app, empty_journal) -> None:
    app = make_app(start="checklist", journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not grid_of(app).display
        welcome = text_of(app, "#checklist-empty")
        assert "No contacts yet" in welcome and "Press n" in welcome


async def test_all_archived_says_so(make_app, tmp_path: Path) -> None:
    journal = Journal.init(tmp_path / "j", today=TODAY)
    journal.add_contact("Old Friend")
    journal.update_contact("old-friend", {"archived": True})
    app = make_app(start="checklist", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "archived" in text_of(app, "#checklist-empty")


async def test_hostile_names_show_literally(make_app, tmp_path: Path) -> None:
    journal = Journal.init(tmp_path / "j", today=TODAY)
    journal.add_contact("[bold]x[/] [@click=app.quit]y[/] \x1b]52;c;aGk=\x07", why="w")
    app = make_app(start="checklist", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        (slug,) = row_slugs(app)
        name = cells(app, slug)[0]
        assert name.startswith("[bold]x[/] [@click=app.quit]y[/]")
        assert "\x1b" not in name and "␛" in name


async def test_help_lists_the_checklist_keys(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys")
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert rows["s"] == "Sort"
        assert rows["f"] == "Stuck only"
        assert rows["n"] == "New contact"
        assert rows["enter"] == "Open"
        assert rows["4"] == "Checklist" and rows["q"] == "Quit"
        await pilot.press("escape")
        assert isinstance(app.screen, ChecklistScreen)
