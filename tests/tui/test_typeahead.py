"""Keys typed faster than the app draws: each one lands where the keys before it put
the user, in order, tabs included (netjournal/tui/typeahead.py).  Every test queues
its keys in one burst, before the app has handled the first of them, as they arrive
from a fast typist (``pilot.press`` would wait for the app between keys)."""

from __future__ import annotations

from textual.widgets import Input

from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.screens.contacts import ContactsScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.reflections import ReflectionsScreen
from tests.tui.conftest import burst, settle

SIZE = (120, 36)


def field(app, name: str) -> str:
    return app.screen.query_one(f"#{name}", Input).value


async def test_a_form_typed_in_one_burst_fills_each_field(make_app) -> None:
    """Tab moves to the next field only when it is handled, after the key before it
    bubbled up: the letters after it used to land in the field before."""
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "n", *"abc", "tab", *"def")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)
        assert field(app, "field-name") == "abc" and field(app, "field-org") == "def"


async def test_from_the_dashboard_an_area_a_form_and_two_fields_in_one_burst(make_app) -> None:
    """The issue's own check: 2, n, a name, tab, an org, all at once."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "2", "n", *"Zelda Quistgaard", "tab", *"Acme")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormScreen)
        assert field(app, "field-name") == "Zelda Quistgaard" and field(app, "field-org") == "Acme"


async def test_a_whole_contact_typed_and_saved_at_speed(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "n", *"Ada Lovelace", "tab", *"Engines", "tab", "tab", "tab", *"Maths",
              "tab", *"Proofs", "tab", *"math", "tab", *"21", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        contact = app.journal.contact("ada-lovelace")
        assert (contact.name, contact.org, contact.why, contact.offer) == ("Ada Lovelace", "Engines", "Maths", "Proofs")
        assert contact.tags == ["math"] and contact.cadence == 21


async def test_n_and_a_title_at_once_keep_the_title(make_app) -> None:
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "n", *"Coffee with Kofi", "tab", *"kofi")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert field(app, "title") == "Coffee with Kofi"
        assert field(app, "picker-input") == "kofi"  # the tab went on to Contacts, in order


async def test_r_and_a_title_from_the_dashboard_keep_the_title(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "r", *"Sent Daniel the notes")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert field(app, "title") == "Sent Daniel the notes"
        assert app.screen.state().contacts == ("daniel-kowalczyk",)


async def test_3_slash_and_a_word_from_the_dashboard_filter_the_reflections(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "3", "slash", *"trust")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
        assert field(app, "reflections-query") == "trust" and app.screen.filter_text == "trust"


async def test_keys_after_escape_go_to_the_screen_underneath(make_app) -> None:
    """Closing a screen is a change of screen too: the keys after escape go to the
    area it uncovers (here "/" and a filter)."""
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "enter", "escape", "slash", *"kofi")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert field(app, "contacts-filter") == "kofi"
