"""The reflections area (key 3): table, filter, kind, date range, search, preview, delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Markdown, Static

from netjournal.journal import Journal
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.date_range import DateRangeScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.reflections import ReflectionsScreen
from netjournal.tui.widgets.virtual_table import VirtualTable
from tests.conftest import TODAY
from tests.tui.conftest import settle

SIZE = (100, 32)


def cells(app, column: int) -> list[str]:
    """What one column of the reflections table shows, top to bottom."""
    table = app.screen.query_one("#reflections-table", VirtualTable)
    return [str(getattr(c, "plain", c)) for c in (table.get_row_at(i)[column] for i in range(table.row_count))]


def status(app) -> str:
    return str(app.screen.query_one("#reflections-status", Static).render())



async def test_lists_every_reflection_newest_first(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dates = cells(app, 0)
        assert len(dates) == len(app.journal.reflections()) == 39
        assert dates == sorted(dates, reverse=True)
        assert "39 reflections, newest first" in status(app)
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
        assert app.focused is app.screen.query_one(VirtualTable)
        await pilot.press("escape")
        await settle(pilot)
        assert len(cells(app, 0)) == 39


async def test_keys_typed_at_once_after_slash_all_land_in_the_filter(make_app):
    """Found by trying it in a terminal: "/trust" typed fast lost "trust" to the
    table, because "/" moved the focus only after the next keys were routed."""
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ["slash", *"trust"]:  # all queued before any is handled, as a fast typist's
            app.simulate_key(key)
        await settle(pilot)
        box = app.screen.query_one("#reflections-query", Input)
        assert box.value == "trust"
        await pilot.press("slash")  # in the box, "/" is text
        await settle(pilot)
        assert box.value == "trust/"


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
        for _ in range(5):  # give, thanks, ask, receive, intro
            await pilot.press("k")
        await settle(pilot)
        assert cells(app, 2) == ["Introduced Owen to Nadia"] and "kind intro" in status(app)
        await pilot.press("k")  # then every kind again
        await settle(pilot)
        assert len(cells(app, 0)) == 39


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
        assert "since 2026-11-01" in status(app) and "today" not in status(app)  # later entries count too


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
        assert len(cells(app, 0)) == 39


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
        assert len(cells(app, 0)) == 38


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


def long_journal(root: Path, count: int = 400) -> Journal:
    """``count`` notes, a day apart, each about one of four people (named in the title only)."""
    Journal.init(root, today=TODAY).close()
    first = dt.date(2025, 1, 1)
    for i in range(count):
        day = first + dt.timedelta(days=i)
        folder = root / "reflections" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{day.isoformat()}-note-{i:03d}.md").write_text(
            f"---\ntitle: Note {i:03d} about {PEOPLE[i % 4]}\ndate: {day.isoformat()}\nkind: note\n"
            f"tags: [t{i % 7}]\n---\nBody {i}.\n", encoding="utf-8")
    return Journal.open(root, today=TODAY)


PEOPLE = ("kofi", "priya", "elena", "marcus")


def screen_lines(table: VirtualTable) -> list[str]:
    """The table's lines as the user sees them now (header first)."""
    return ["".join(segment.text for segment in table.render_line(y))
            for y in range(table.scrollable_content_region.height)]


async def test_every_keystroke_filters_a_long_journal_exactly(make_app, tmp_path):
    journal = long_journal(tmp_path / "long")
    app = make_app(start="reflections", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        assert table.row_count == 400 and "400 reflections, newest first" in status(app)
        await pilot.press("slash")
        typed = ""
        for char in "kofi":
            typed += char
            await pilot.press(char)
            await pilot.pause()  # no waiting for typing to stop: each keystroke filters
            expected = [r.path for r in journal.reflections()
                        if typed in f"{r.title} {' '.join(r.tags)}".lower()]
            assert table.row_keys == expected, typed
            assert f"{len(expected)} of 400 reflections" in status(app)
        assert len(expected) == 100
        await pilot.press("enter", "end")  # to the list; the last match
        await pilot.pause()
        last = journal.reflections()[-1]
        assert table.cursor_key == expected[-1] == last.path
        assert any(last.title[:8] in line for line in screen_lines(table))  # "Note 000": titles are cut at 100 columns
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_key == expected[0]
        assert any(journal.reflections()[3].title[:8] in line for line in screen_lines(table))


async def test_the_cursor_stays_on_its_row_while_the_filter_shows_it(make_app, tmp_path):
    journal = long_journal(tmp_path / "long")
    app = make_app(start="reflections", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        table = app.screen.query_one(VirtualTable)
        while "about priya" not in str(table.get_row_at(table.cursor_row)[2]):
            await pilot.press("down")
        chosen = table.cursor_key
        assert table.cursor_row > 60  # well below the first screenful
        await pilot.press("slash", *"pri")
        await pilot.pause()
        assert table.cursor_key == chosen and table.row_count == 100
        title = next(r.title for r in journal.reflections() if r.path == chosen)
        assert any(title[:8] in line for line in screen_lines(table))  # scrolled to it
        await pilot.press("x")  # "prix" matches nothing
        await pilot.pause()
        assert table.row_count == 0 and "0 of 400 reflections" in status(app)
        assert "Nothing matches" in str(app.screen.query_one("#preview-meta", Static).render())
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert table.row_count == 100 and app.focused is table
        await pilot.press("down", "up", "enter")  # enter opens the reflection under the cursor
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.path == table.rows[0].path


async def test_empty_journal_says_how_to_begin(make_app, empty_journal):
    app = make_app(start="reflections", journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        meta = str(app.screen.query_one("#preview-meta", Static).render())
        assert "No reflections yet" in meta and "n" in meta
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
