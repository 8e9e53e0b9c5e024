"""The reflections area (key 3): table, filter, kind, date range, search, preview, delete."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Markdown, Static

from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.date_range import DateRangeScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.reflections import ReflectionsScreen

SIZE = (100, 32)


def cells(app, column: int) -> list[str]:
    """What one column of the reflections table shows, top to bottom."""
    table = app.screen.query_one("#reflections-table", DataTable)
    return [str(getattr(c, "plain", c)) for c in table.get_column_at(column)]


def status(app) -> str:
    return str(app.screen.query_one("#reflections-status", Static).render())


async def settle(pilot, delay: float = 0.2) -> None:
    await pilot.pause(delay)
    await pilot.pause()


async def test_lists_every_reflection_newest_first(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dates = cells(app, 0)
        assert len(dates) == len(app.journal.reflections()) == 38
        assert dates == sorted(dates, reverse=True)
        assert "38 reflections, newest first" in status(app)
        # the preview shows the selected entry's title and its Markdown body
        meta = str(app.screen.query_one("#preview-meta", Static).render())
        assert app.journal.reflections()[0].title in meta
        assert app.screen.query_one("#preview-body", Markdown).source.strip()


async def test_slash_filters_as_you_type_over_titles_tags_and_names(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"nadia")
        await settle(pilot)
        by_path = {r.path: r for r in app.journal.reflections()}
        shown = [by_path[row.path] for row in app.screen.shown]
        assert len(cells(app, 0)) == len(shown) > 0
        for r in shown:
            assert "nadia" in (r.title + " ".join(r.tags) + " ".join(r.links)).lower()
        assert any("Nadia" in who for who in cells(app, 3))
        assert "filter “nadia”" in status(app)
        await pilot.press("enter")  # back to the table, the filter stays
        assert app.focused is app.screen.query_one(DataTable)
        await pilot.press("escape")
        await settle(pilot)
        assert len(cells(app, 0)) == 38


async def test_filter_matches_tags(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"harbourline")
        await settle(pilot)
        expected = [r for r in app.journal.reflections() if "harbourline" in [t.lower() for t in r.tags]
                    or "harbourline" in r.title.lower()]
        assert len(cells(app, 0)) >= len(expected) > 0


async def test_k_cycles_the_kind_filter(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await settle(pilot)
        assert set(cells(app, 1)) == {"note"}
        await pilot.press("k")
        await settle(pilot)
        assert set(cells(app, 1)) == {"meeting"}
        assert "kind meeting" in status(app)
        for _ in range(5):  # give, thanks, ask, receive, then every kind again
            await pilot.press("k")
        await settle(pilot)
        assert len(cells(app, 0)) == 38


async def test_s_sets_a_date_range_checked_as_yyyy_mm_dd(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, DateRangeScreen)
        await pilot.press(*"2026-13-01", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DateRangeScreen)  # not a date: stays, says why
        assert "YYYY-MM-DD" in str(app.screen.query_one("#range-error", Static).render())
        field = app.screen.query_one("#since", Input)
        field.value = "2026-11-01"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
        dates = cells(app, 0)
        assert dates and all(d >= "2026-11-01" for d in dates)
        assert "2026-11-01 to today" in status(app)


async def test_palette_reflections_since(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Reflections since")
        await settle(pilot, 0.4)
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert app.current_mode == "reflections"
        assert isinstance(app.screen, DateRangeScreen)


async def test_ctrl_f_searches_the_text_of_every_reflection(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", *"reference letter", "enter")
        await settle(pilot)
        hits = [h for h in app.journal.search("reference letter", limit=0) if h.kind == "reflection"]
        titles = cells(app, 2)
        assert len(titles) == len(hits) > 0
        assert "search “reference letter”" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(cells(app, 0)) == 38


async def test_enter_opens_the_selected_reflection_in_the_editor(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.path == app.journal.reflections()[1].path


async def test_delete_asks_then_moves_the_file_to_the_trash(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        target = app.journal.reflections()[0]
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert (app.journal.root / target.path).exists()
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not (app.journal.root / target.path).exists()
        assert any(p.name == Path(target.path).name for p in app.journal.trash())
        assert len(cells(app, 0)) == 37


async def test_hostile_titles_show_literally(make_app):
    app = make_app(start="dashboard")
    app.journal.add_reflection("[bold]x[/] [@click=app.quit]bye[/] \x1b]0;pwned\x07", kind="note",
                               body="[link=http://evil]click[/link]\n\x1b]52;c;Zm9v\x07")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await settle(pilot)
        title = cells(app, 2)[0]
        assert title.startswith("[bold]x[/] [@click=app.quit]bye[/]")
        assert "\x1b" not in title
        meta = str(app.screen.query_one("#preview-meta", Static).render())
        assert "[@click=app.quit]" in meta and "\x1b" not in meta
        assert "\x1b" not in app.screen.query_one("#preview-body", Markdown).source
        assert app.is_running


async def test_a_long_table_fills_in_chunks_and_filters(make_app, monkeypatch):
    monkeypatch.setattr(ReflectionsScreen, "FIRST_ROWS", 5)
    monkeypatch.setattr(ReflectionsScreen, "CHUNK_ROWS", 7)
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.5)
        assert len(cells(app, 0)) == 38
        await pilot.press("slash", *"priya")
        await settle(pilot, 0.5)
        assert len(cells(app, 0)) == len(app.screen.shown) == len(
            [r for r in app.journal.reflections() if "priya" in (r.title + " ".join(r.links)).lower()])


async def test_empty_journal_says_how_to_begin(make_app, empty_journal):
    app = make_app(start="reflections", journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        meta = str(app.screen.query_one("#preview-meta", Static).render())
        assert "No reflections yet" in meta and "n" in meta
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
