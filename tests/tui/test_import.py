"""The app's import: the palette, the plan as a table, confirm, progress, the pool;
the pool left out of the dashboard and the checklist; the contact form's new fields."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Select, Static

from netjournal.journal import Journal
from netjournal.store import frontmatter
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.screens.contacts import ContactsScreen, ContactsTable
from netjournal.tui.screens.import_contacts import ImportScreen, PlanTable
from netjournal.tui.widgets.section_list import SectionList
from tests.conftest import TODAY
from tests.interop.helpers import FIXTURES

SIZE = (120, 36)


def text_of(widget: Static) -> str:
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()


async def wait_for(pilot, condition, tries: int = 100) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("the app did not get there")


async def test_palette_import_of_a_linkedin_file_shows_the_plan_then_the_pool(make_app, tmp_path: Path) -> None:
    source = tmp_path / "Connections.csv"
    source.write_bytes((FIXTURES / "Connections.csv").read_bytes())
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"import contacts")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        screen = app.screen
        assert app.focused is screen.query_one("#import-path", Input)
        # completion: the folder, then the file
        await pilot.press(*str(tmp_path / "Conn"))
        await wait_for(pilot, lambda: screen.query_one("#import-path", Input)._suggestion != "")
        await pilot.press("right")
        assert screen.query_one("#import-path", Input).value == str(source)
        await wait_for(pilot, lambda: screen.query_one("#import-format", Select).value == "linkedin")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.plan is not None)
        summary = text_of(screen.query_one("#import-summary", Static))
        assert "Plan: 5 new, 0 updated, 0 unchanged, 2 skipped." in summary
        assert "Nothing is written until you press Import" in summary
        table = screen.query_one(PlanTable)
        rows = [[str(cell) for cell in table.get_row(key)] for key in table.row_keys]
        assert rows[0][:2] == ["new", "Ana Lima"] and rows[0][4] == "Connections.csv:5"
        assert ["skip", "", "", "blank row", "Connections.csv:9"] in rows
        assert not list((app.journal.root / "contacts").glob("ana-lima*.md"))  # nothing written yet
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        assert screen.progress_done == 5
        contacts = app.screen
        await wait_for(pilot, lambda: contacts.query_one(ContactsTable).row_keys != [])
        assert contacts.query_one(ContactsTable).row_keys == [
            "ana-lima", "chloe-dubois", "jonas-lindqvist-2", "sam-lee", "sam-lee-2"]
        assert "the pool: imported, not yet chosen" in str(contacts.query_one("#contacts-title", Static).content)
        # "Next due", the last column (at 120 columns the Health column stands before it)
        assert [str(c) for c in contacts.query_one(ContactsTable).get_row("ana-lima")][-1] == "in the pool"
        meta = frontmatter.parse_bytes((app.journal.root / "contacts" / "ana-lima.md").read_bytes()).meta
        assert meta["source"] == "linkedin 2026-11-25" and meta["connected"] == "2021-03-12"
        # p: the chosen (the sample's eleven and archived Rob left out), then everyone
        await pilot.press("p")
        await pilot.pause()
        assert "ana-lima" not in contacts.query_one(ContactsTable).row_keys
        assert "priya-raman" in contacts.query_one(ContactsTable).row_keys
        await pilot.press("p")
        await pilot.pause()
        assert {"ana-lima", "priya-raman"} <= set(contacts.query_one(ContactsTable).row_keys)


async def test_a_file_that_cannot_be_imported_says_why_and_writes_nothing(make_app, tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("Full name,Company\nA B,C\n")
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        app.action_import_contacts(str(bad))
        await wait_for(pilot, lambda: isinstance(app.screen, ImportScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.format == "csv")
        screen.query_one("#import-format", Select).value = "linkedin"
        await pilot.pause()
        screen.action_read()
        await wait_for(pilot, lambda: "Cannot import" in text_of(screen.query_one("#import-summary", Static)))
        assert "not a LinkedIn Connections.csv" in text_of(screen.query_one("#import-summary", Static))
        assert screen.query_one("#import-go").disabled
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


async def test_the_pool_stays_off_the_dashboard_and_the_checklist(make_app, tmp_path: Path) -> None:
    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    journal.create_contact({"name": "Pool Person", "source": "linkedin 2026-11-20", "why": None,
                            "steps": {"why": None}})
    app = make_app(start="dashboard", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        missing = app.screen.query_one("#missing", SectionList).texts
        assert missing == ["Aisha Bello  no offer", "Tomás Herrera  no why"]  # no Pool Person
        await pilot.press("4")
        await pilot.pause()
        grid_text = str(app.screen.query_one("#checklist-title", Static).content)
        assert "11 contacts" in grid_text  # the sample's active eleven; the pool left out


async def test_an_empty_journal_offers_the_import(make_app, tmp_path: Path) -> None:
    journal = Journal.init(tmp_path / "empty", today=TODAY)
    app = make_app(start="dashboard", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        welcome = app.screen.query_one("#dashboard-welcome", Static)
        assert "Press i to import it" in text_of(welcome)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)


async def test_the_contact_form_has_phone_birthday_and_links(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")  # aisha-bello
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        form.query_one("#field-phone", Input).value = "+1 555 0100"
        form.query_one("#field-birthday", Input).value = "1990-02-30"
        form.query_one("#field-links", Input).value = "https://example.org/aisha https://x.example/ab"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not a date" in str(form.query_one("#error-birthday", Static).content)
        form.query_one("#field-birthday", Input).value = "--04-15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ContactFormScreen)
        meta = frontmatter.parse_bytes((app.journal.root / "contacts" / "aisha-bello.md").read_bytes()).meta
        assert meta["phone"] == "+1 555 0100" and meta["birthday"] == "--04-15"
        assert meta["links"] == ["https://example.org/aisha", "https://x.example/ab"]
        await pilot.press("enter")
        await pilot.pause()
        header = text_of(app.screen.query_one("#contact-header", Static))
        assert "+1 555 0100" in header and "born 15 Apr" in header and "https://x.example/ab" in header
