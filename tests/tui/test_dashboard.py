"""The dashboard (area 1) on the sample journal as of TODAY: who is due with what to
give, follow-ups, early asks, missing whys and offers, this week; enter opens a row;
r writes about a contact; the "done means" flow from the dashboard to a saved give."""

from __future__ import annotations

from textual.widgets import Input, Sparkline, Static

from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.contacts import ContactsScreen
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.widgets.contact_picker import ContactPicker
from netjournal.tui.widgets.section_list import SectionList
from tests.conftest import TODAY
from tests.tui.conftest import settle

SIZE = (100, 32)



def rows(screen, section: str) -> list[str]:
    return screen.query_one(f"#{section}", SectionList).texts


def title(screen, section: str) -> str:
    return screen.query_one(f"#{section}", SectionList).heading


async def test_due_rows_overdue_first_with_what_to_give(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        due = rows(screen, "due")
        assert [r.split("  ")[0] for r in due] == ["Daniel Kowalczyk", "Marcus Feld", "Kofi Mensah"]
        assert "48 days overdue" in due[0] and "37 days overdue" in due[1] and "24 days overdue" in due[2]
        assert "give: Design the reflection workbook for his coaching circles." in due[2]
        assert title(screen, "due") == "Due to touch (3)"
        # the due list has the focus: enter opens the highlighted contact
        assert app.focused is screen.query_one("#due", SectionList)


async def test_other_sections(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        early = rows(screen, "early-asks")
        assert len(early) == 1 and "Asked Dr. Marsh for a reference letter" in early[0] and "Elena Marsh" in early[0]
        missing = rows(screen, "missing")
        assert any(r.startswith("Tomás Herrera") and "no why" in r for r in missing)
        assert any(r.startswith("Aisha Bello") and "no offer" in r for r in missing)
        assert len(missing) == 2  # archived contacts are not flagged
        stuck = rows(screen, "stuck")
        assert [r.split("  ")[0] for r in stuck] == ["Grace Adeyemi", "Kofi Mensah", "Marcus Feld"]
        follow_ups = rows(screen, "follow-ups")
        # open ones, oldest first: the overdue one (Daniel's was done), the intro's question, the coming week
        assert follow_ups[0].startswith("2026-09-20  Marcus passed me a freelance brief  overdue 66 days")
        assert follow_ups[1].startswith("2026-11-19  How did the introduction of Owen Brightwater and Nadia "
                                        "Petrova go?  (introduced 2026-10-20)  overdue 6 days")
        assert follow_ups[2].startswith("2026-11-26  Kofi's coaching-circle pilot  (tomorrow)")
        assert len(follow_ups) == 6
        care = rows(screen, "needs-care")
        assert [r.split("  ")[0] for r in care] == ["Kofi Mensah", "Marcus Feld"]
        assert care[0].endswith("overdue 24 days; 3 of 6 steps done; a new relationship: first touch 76 days ago")
        counts = str(screen.query_one("#this-week-counts", Static).content)
        assert counts == "2 gives · 1 ask · 3 reflections · 3 touches"
        assert list(screen.query_one("#gives-sparkline", Sparkline).data) == [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 2]


async def test_enter_opens_the_contact_and_tab_moves_between_sections(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == "marcus-feld"
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#follow-ups", SectionList)
        await pilot.press("enter")  # a follow-up row opens its reflection
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.path and app.screen.path.endswith("marcus-passed-me-a-freelance-brief.md")


async def test_empty_sections_encourage(make_app, empty_journal) -> None:
    app = make_app(journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#dashboard-welcome").display
        assert not app.screen.query_one("#dashboard").display
        empty_journal.add_contact("Ada Ng", why="Mentor", offer="Reviews")
        app.journal_changed()
        await settle(pilot)
        screen = app.screen
        assert not screen.query_one("#dashboard-welcome").display
        due = screen.query_one("#due", SectionList)
        assert due.drawn() == ["Due to touch (0)", " Nobody is due. Your well is dug."]
        assert not due.row_count and not due.can_focus


async def test_hostile_names_are_shown_literally(make_app, sample_journal) -> None:
    hostile = {"name": "[bold]Kofi[/] \x1b]0;x\x07", "offer": "[@click=app.quit]x[/]"}
    sample_journal.update_contact("kofi-mensah", hostile)
    app = make_app(journal=sample_journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        due = rows(app.screen, "due")
        assert any("[bold]Kofi[/]" in r and "[@click=app.quit]x[/]" in r and "\x1b" not in r for r in due)


async def test_r_writes_about_the_highlighted_contact_everywhere(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#contacts", ContactPicker).chosen == ["daniel-kowalczyk"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        slug = app.screen.selected_slug
        app.screen.query_one("#contacts-table").focus()
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert app.screen.query_one("#contacts", ContactPicker).chosen == [slug]


async def test_done_means_flow(make_app) -> None:
    """Open Kofi from the dashboard, write a give about him, save: his last touch is
    today, he leaves the due list, and his ledger and this week's gives go up."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == "kofi-mensah"
        gave = app.journal.contact_facts("kofi-mensah").gave
        await pilot.press("r")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert app.focused is editor.query_one("#title", Input)
        await pilot.press(*"Sent Kofi the workbook draft")
        editor.query_one("#kind").focus()
        await pilot.press("g")
        await pilot.press("ctrl+s")
        await settle(pilot)
        facts = app.journal.contact_facts("kofi-mensah")
        assert facts.last_touch == TODAY.isoformat() and facts.gave == gave + 1
        await pilot.press("escape")  # close the editor
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert [r.split("  ")[0] for r in rows(screen, "due")] == ["Daniel Kowalczyk", "Marcus Feld"]
        assert str(screen.query_one("#this-week-counts", Static).content).startswith("3 gives")
