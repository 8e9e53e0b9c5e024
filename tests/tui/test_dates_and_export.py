"""Birthdays and dates in the app -- the dashboard's Coming up, the contact screen, the
contact form's dates list at 80x24 -- and the palette's Export…, all on the sample
journal as of TODAY, checked by what is on screen and what lands on disk."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Button, Input, Select, Static

from netjournal.store import frontmatter
from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.export import ExportScreen
from netjournal.tui.widgets.section_list import SectionList

SIZE = (100, 32)
SMALL = (80, 24)


async def settle(pilot, delay: float = 0.1) -> None:
    await pilot.pause(delay)
    await pilot.pause()


def rows(screen, section: str) -> list[str]:
    return screen.query_one(f"#{section}", SectionList).texts


def screen_text(app) -> str:
    """What the terminal shows, as plain text lines."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True)
    return "\n".join("".join(strip.text for strip in line) for line in update.strips)


def meta_of(path: Path) -> dict:
    return frontmatter.parse(path.read_text(encoding="utf-8")).meta


def visible(app, widget) -> bool:
    """The widget is on screen, whole."""
    region = widget.region
    return region.height > 0 and app.screen.region.contains_region(region)


# ---------------------------------------------------------------------- dashboard, contact screen


async def test_coming_up_on_the_dashboard_opens_the_contact(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert rows(screen, "coming-up") == [
            "2026-11-29  Owen Brightwater: birthday  turns 28, in 4 days",
            "2026-12-02  Priya Raman: started at Northwind  7 years, in 7 days",
        ]
        section = screen.query_one("#coming-up", SectionList)
        section.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == "priya-raman"
        assert "started at Northwind 2 Dec 2019 (7 years, in 7 days)" in screen_text(app)


async def test_the_contact_screen_shows_birthday_and_dates(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact("owen-brightwater")
        await settle(pilot)
        assert "born 29 Nov 1998 (turns 28, in 4 days)" in screen_text(app)
        app.pop_screen()
        app.open_contact("nadia-petrova")
        await settle(pilot)
        text = screen_text(app)
        assert "born 12 Mar 1984" in text and "turns" not in text  # not coming up
        app.pop_screen()
        path = app.journal.root / "contacts" / "nadia-petrova.md"
        path.write_text(path.read_text(encoding="utf-8").replace("birthday: 1984-03-12\n",
                        "birthday: 1984-03-12\ndates:\n- {date: --11-27}\n"), encoding="utf-8")
        app.journal.sync()
        app.open_contact("nadia-petrova")
        await settle(pilot)
        assert "date 27 Nov (in 2 days)" in screen_text(app)  # a date without a label


# ---------------------------------------------------------------------- the contact form's dates


async def open_form(app, pilot, slug: str) -> ContactFormScreen:
    await settle(pilot)
    app.push_screen(ContactFormScreen(slug))
    await settle(pilot)
    assert isinstance(app.screen, ContactFormScreen)
    return app.screen


async def test_dates_are_added_edited_and_removed_in_the_form_at_80x24(make_app) -> None:
    app = make_app(start="contacts")
    path = None
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(app, pilot, "priya-raman")
        path = app.journal.root / "contacts" / "priya-raman.md"
        (priya, blank) = form.date_rows()
        assert priya.values == ("started at Northwind", "2019-12-02") and blank.values == ("", "")
        # the buttons stay on screen at 80x24; the fields scroll
        assert visible(app, form.query_one("#save", Button))
        form.query_one("#date-day-1", Input).focus()
        await pilot.press(*"--06-14", "shift+tab", *"daughter born")
        await settle(pilot)
        assert len(form.date_rows()) == 3  # typing in the blank row offers another
        assert visible(app, app.focused)  # the focused field is scrolled into view
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactFormScreen)
    meta = meta_of(path)
    assert meta["dates"] == [{"label": "started at Northwind", "date": "2019-12-02"},
                             {"label": "daughter born", "date": "--06-14"}]
    text = path.read_text(encoding="utf-8")
    assert "- {label: daughter born, date: --06-14}" in text and "birthday" not in text


async def test_a_changed_date_keeps_its_other_keys_and_a_cleared_one_goes(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        path = app.journal.root / "contacts" / "priya-raman.md"
        text = path.read_text(encoding="utf-8").replace(
            "- {label: started at Northwind, date: 2019-12-02}",
            "- {label: started at Northwind, date: 2019-12-02, where: London}\n- {label: gone, date: 2020-01-01}\n"
            "- not a date item")
        path.write_text(text, encoding="utf-8")
        app.journal.sync()
        form = await open_form(app, pilot, "priya-raman")
        assert [r.values for r in form.date_rows()] == [("started at Northwind", "2019-12-02"), ("gone", "2020-01-01"),
                                                        ("", "")]
        form.query_one("#date-day-0", Input).value = "2019-12-03"
        form.query_one("#date-label-1", Input).value = ""
        form.query_one("#date-day-1", Input).value = ""
        form.query_one("#field-birthday", Input).value = "--02-29"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactFormScreen)
    meta = meta_of(path)
    assert meta["dates"] == [{"label": "started at Northwind", "date": "2019-12-03", "where": "London"},
                             "not a date item"]
    assert meta["birthday"] == "--02-29"


async def test_a_wrong_date_is_explained_and_nothing_is_written(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        path = app.journal.root / "contacts" / "priya-raman.md"
        before = path.read_bytes()
        form = await open_form(app, pilot, "priya-raman")
        form.query_one("#date-label-1", Input).value = "typo"
        await settle(pilot)
        form.query_one("#date-day-1", Input).value = "2026-02-30"
        form.query_one("#date-label-2", Input).focus()
        await pilot.press(*"no day")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)  # still open
        error = str(form.query_one("#error-dates", Static).content)
        assert "'2026-02-30' is not a date" in error and "'no day' needs a day" in error
        assert app.focused is form.query_one("#date-day-1", Input) or app.focused.has_class("-invalid-field")
        assert path.read_bytes() == before
        form.query_one("#date-day-1", Input).value = "2026-02-28"
        form.query_one("#date-label-2", Input).value = ""
        await settle(pilot)
        assert "2026-02-30" not in str(form.query_one("#error-dates", Static).content)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert meta_of(path)["dates"][-1] == {"label": "typo", "date": "2026-02-28"}


# ---------------------------------------------------------------------- Export…


async def open_export(app, pilot) -> ExportScreen:
    await settle(pilot)
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*"Export")
    await settle(pilot, 0.3)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ExportScreen)
    return app.screen


async def test_export_from_the_palette_writes_the_file_and_says_where(make_app, tmp_path: Path,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_export(app, pilot)
        assert visible(app, screen.query_one("#export-go", Button))  # fits 80x24
        path = screen.query_one("#export-path", Input)
        assert path.value == "~/sam-s-network-contacts.vcf"
        screen.query_one("#export-format", Select).value = "ics"
        await settle(pilot)
        assert path.value == "~/sam-s-network-calendar.ics"  # the offered name follows the format
        screen.query_one("#export-tag", Select).value = "mentee"
        await pilot.press("ctrl+s")
        await settle(pilot, 0.5)
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        written = tmp_path / "sam-s-network-calendar.ics"
        assert [n.message for n in app._notifications] == [f"4 events written to {written}."]  # touch, birthday, 2 follow-ups
    data = written.read_text(encoding="utf-8")
    assert "UID:touch-owen-brightwater@netjournal" in data and "priya" not in data


async def test_export_asks_before_replacing_and_refuses_the_journals_caches(make_app, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "contacts.vcf"
    target.write_text("mine")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_export(app, pilot)
        path = screen.query_one("#export-path", Input)
        path.value = str(app.journal.root / ".netjournal" / "x.vcf")
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = str(screen.query_one("#export-message", Static).content)
        assert "it is the journal's own .netjournal folder" in message
        assert not (app.journal.root / ".netjournal" / "x.vcf").exists()
        path.value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert target.read_text() == "mine" and isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, 0.5)
        await settle(pilot)
    assert target.read_bytes().count(b"BEGIN:VCARD") == 12
    assert oct(os.stat(target).st_mode & 0o777) in ("0o644", "0o600", "0o664")
