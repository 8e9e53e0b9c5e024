"""Small terminals: every area usable at 80×24 (side panels yield first), readable at
60×20.  The snapshots show each area at 80×24; the pilot tests check what must stay
in view at 60×20."""

from __future__ import annotations

from textual.widgets import Input

from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.screens.editor import EditorScreen
from tests.tui.conftest import screen_text, settle

SMALL = (80, 24)
SMALLEST = (60, 20)


def snap(snap_compare, app, *keys: str) -> bool:
    async def run_before(pilot) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return snap_compare(app, run_before=run_before, terminal_size=SMALL)


class TestAt80x24:
    def test_dashboard(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app())

    def test_contacts(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="contacts"))

    def test_contact(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="contacts"), "enter")

    def test_contact_form(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="contacts"), "e")

    def test_reflections(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="reflections"))

    def test_editor(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="reflections"), "enter")

    def test_checklist(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(start="checklist"))

    def test_weekly_review(self, snap_compare, make_app) -> None:
        assert snap(snap_compare, make_app(), "w")


async def test_below_100_columns_the_contacts_panel_yields_to_the_table(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Next due" in shown and "Last touch" in shown  # whole headers
        assert "48d overdue" in shown and "Head of client programmes" not in shown  # no panel
        await pilot.resize_terminal(120, 36)
        await settle(pilot)
        assert "Head of client programmes" in screen_text(app)  # the panel is back


async def test_at_60_columns_the_editor_tags_can_be_reached_and_seen(make_app) -> None:
    app = make_app(start="reflections")
    async with app.run_test(size=SMALLEST) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Tea", "tab", "tab", "tab", "tab", "tab", *"coffee")  # title → tags
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.focused is app.screen.query_one("#tags", Input)
        assert "Tags coffee" in screen_text(app)


async def test_at_60_columns_every_step_of_the_checklist_shows(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SMALLEST) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "W  O  C  T  D  K  Done" in shown
        assert "Priya Raman       ●  ●  ●  ●  ●  ●  6/6" in shown


async def test_on_a_short_terminal_the_contact_form_scrolls_and_keeps_its_buttons(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SMALLEST) as pilot:
        await settle(pilot)
        await pilot.press("n", *["tab"] * 7, *"14")  # name → cadence, the last field
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)
        shown = screen_text(app)
        assert "Cadence" in shown and "14" in shown and "Save (ctrl+s)" in shown


async def test_a_dashboard_section_keeps_its_highlighted_row_on_screen(make_app) -> None:
    """Follow-ups, its last row highlighted at 120x36, then the terminal made 60x20:
    the section stood partly below the screen's edge, the highlight there, and up,
    down and end moved a cursor no one could see (enter opened a row not shown)."""
    from netjournal.tui.widgets.section_list import SectionList

    def highlighted_on_screen(app) -> bool:
        section = app.screen.query_one("#follow-ups", SectionList)
        line = section._layout(section.size.width).lines[section._row_span(section.highlighted)[0]][1]
        shown = screen_text(app).splitlines()[1:-1]  # not the header, not the footer
        return any(("▊" + line.plain.rstrip()) in row for row in shown)

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "end")
        await settle(pilot)
        assert app.focused.id == "follow-ups" and highlighted_on_screen(app)
        await pilot.resize_terminal(*SMALLEST)
        await settle(pilot)
        assert highlighted_on_screen(app)
        for key in ("up", "up", "down", "end", "home", "end"):
            await pilot.press(key)
            await settle(pilot, 0.05)
            assert highlighted_on_screen(app), key
        await pilot.resize_terminal(40, 15)
        await settle(pilot)
        assert highlighted_on_screen(app)
