"""The footer: the screen's keys on one line (one widget), as Textual's footer drew them;
a key that comes or goes is a repaint; a click presses the key under the mouse."""

from __future__ import annotations


from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.section_list import SectionList
from tests.tui.conftest import settle

SIZE = (120, 36)


def footer_line(app) -> str:
    return app.screen.query_one(Footer).render().plain


async def test_the_dashboard_line_is_the_keys_then_the_palette_at_the_right(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = footer_line(app)
        assert line.startswith(" w Weekly review  r Write about them  n New contact  1234 Areas  ? Keys  q Quit  ")
        assert len(line) == SIZE[0] and line.endswith("▏^p Commands ")
        assert not app.screen.query_one(Footer).children  # one widget, however many keys


async def test_a_key_that_comes_with_the_row_is_drawn_without_a_rebuild(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        assert "Follow-up done" not in footer_line(app)  # on a contact row: no follow-up to mark done
        await pilot.press("tab")  # the follow-ups
        await settle(pilot)
        assert isinstance(app.focused, SectionList) and app.focused.id == "follow-ups"
        assert " d Follow-up done " in footer_line(app)
        assert app.screen.query_one(Footer) is footer and not footer.children


async def test_a_click_on_a_key_presses_it_and_a_disabled_key_only_rings(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # a follow-up row: "r Write about them" is shown disabled
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = {key: (start, end) for key, start, end in footer.shown}
        bells: list[bool] = []
        app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
        await pilot.click(Footer, offset=(keys["r"][0] + 1, 0))
        await settle(pilot)
        assert bells == [True] and isinstance(app.screen, DashboardScreen)
        await pilot.click(Footer, offset=(keys["question_mark"][0] + 1, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_hovering_a_key_shows_its_tooltip(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        start = next(start for key, start, _ in footer.shown if key == "1")
        await pilot.hover(Footer, offset=(start, 0))
        await settle(pilot)
        assert footer.tooltip == "Dashboard"


async def test_on_a_narrow_terminal_the_keys_that_do_not_fit_go_whole(make_app) -> None:
    """At 80 columns the dashboard's keys and the palette's do not all fit: the last
    ones are left out whole (``?`` lists them all), never cut in the middle of a name."""
    app = make_app(start="dashboard")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # a follow-up row: "d Follow-up done" comes too
        await settle(pilot)
        line = footer_line(app)
        assert len(line) == 80 and line.endswith("▏^p Commands ")
        keys = line.split("▏")[0].rstrip()
        full = ["w Weekly review", "r Write about them", "d Follow-up done", "n New contact", "1234 Areas",
                "? Keys", "q Quit"]
        shown = [part.strip() for part in keys.split("  ") if part.strip()]
        assert shown and all(part in full for part in shown), shown
        assert shown == full[:len(shown)]
        drawn = app.screen.query_one(Footer).shown
        edge = line.index("▏")
        assert drawn[-1][0] == "ctrl+p" and all(end <= edge for _, _, end in drawn[:-1])  # none past the cut
