"""The contacts area (key 2): the table, the side panel, the filter, sorting,
archiving, deleting, and the new/edit contact form."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Static

from netjournal.journal import Journal
from netjournal.store import frontmatter
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.conflict import ConflictScreen
from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.contact_form import ContactFormScreen
from netjournal.tui.fuzzy import fuzzy_score
from netjournal.tui.screens.contacts import ContactsScreen, ContactsTable
from netjournal.tui.screens.unsaved_changes import UnsavedChangesScreen
from netjournal.tui.widgets.footer import Footer
from tests.conftest import TODAY

SIZE = (100, 32)
ACTIVE = [
    "aisha-bello", "daniel-kowalczyk", "elena-marsh", "grace-adeyemi", "jonas-lindqvist", "kofi-mensah",
    "marcus-feld", "nadia-petrova", "owen-brightwater", "priya-raman", "tomas-herrera",
]


def table_of(app) -> ContactsTable:
    return app.screen.query_one(ContactsTable)


def row_slugs(app) -> list[str]:
    return table_of(app).row_keys


def row_text(app, slug: str) -> list[str]:
    return [str(cell) for cell in table_of(app).get_row(slug)]


def selected(app) -> str | None:
    return app.screen.selected_slug


def title(app) -> str:
    return str(app.screen.query_one("#contacts-title", Static).content)


def filter_box(app) -> Input:
    return app.screen.query_one("#contacts-filter", Input)


def panel_text(app) -> str:
    """The side panel as the user reads it (wide, so lines do not wrap)."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(app.screen.query_one("#panel-body", Static).content)
    return console.export_text()


def meta_of(path: Path) -> dict:
    return frontmatter.parse_bytes(path.read_bytes()).meta


async def open_contacts(pilot) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContactsScreen)


# ---------------------------------------------------------------------- the table and the panel


async def test_key_2_shows_every_active_contact_by_name(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await open_contacts(pilot)
        table = table_of(app)
        # at 100 columns beside the panel, health is left to the panel: the names keep their room
        assert [c.label for c in table.columns.values()] == ["Name", "Org", "Steps", "Last touch", "Next due"]
        assert row_slugs(app) == ACTIVE  # rob-castellano is archived
        assert row_text(app, "priya-raman") == ["Priya Raman", "Northwind Learning", "●●●●●●", "2026-11-20", "in 9d"]
        assert row_text(app, "aisha-bello")[2:] == ["●○○○○○", "—", "not yet connected"]
        assert row_text(app, "daniel-kowalczyk")[4] == "48d overdue"
        assert "sorted by name" in title(app)
        assert app.focused is table


async def test_overdue_is_in_the_error_colour_and_never_touched_is_dim(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        overdue = table_of(app).get_row("daniel-kowalczyk")[4]
        assert app.theme_variables["text-error"] in str(overdue.style)
        never = table_of(app).get_row("tomas-herrera")[4]
        assert "dim" in str(never.style)


async def test_panel_shows_why_offer_steps_and_ledger(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        text = panel_text(app)  # aisha-bello: a why, no offer yet, never touched
        assert "Aisha Bello" in text
        assert "Why: She talks to the companies" in text
        assert "No offer yet: what can you give them" in text
        assert "Steps 1/6" in text
        assert "gave 0 · received 0\nasked 0\n" in text
        assert "Not ready to ask: earn trust and go deeper first." in text
        await pilot.press("end")
        await pilot.pause()
        assert selected(app) == "tomas-herrera"
        assert "No why yet: why do you want this relationship? Be selective." in panel_text(app)
        await pilot.press("up")  # priya-raman: all six steps, ready to ask
        await pilot.pause()
        text = panel_text(app)
        assert "Priya Raman" in text and "Steps 6/6" in text
        assert "● Connect 22 May Thanked her after the open workshop" in text
        assert "Ready to ask" in text


async def test_enter_on_a_row_opens_the_contact(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.slug == "daniel-kowalczyk"


async def test_r_is_left_for_reflections(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        # r is the reflections' key: it writes a reflection about the selected contact
        assert app.screen.active_bindings["r"].binding.action == "write_reflection"
        for binding in ContactsScreen.BINDINGS:
            assert binding.id and binding.description and binding.action.split("(")[0]


async def test_empty_journal_shows_a_welcome_not_an_empty_table(make_app, empty_journal: Journal) -> None:
    app = make_app(start="contacts", journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        welcome = app.screen.query_one("#contacts-empty", Static)
        assert welcome.display and not table_of(app).display
        assert "Press n to add someone" in str(welcome.content)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        await pilot.press(*"Ada", "ctrl+s")
        await pilot.pause()
        assert row_slugs(app) == ["ada"]
        assert table_of(app).display and not welcome.display


# ---------------------------------------------------------------------- filter


def test_fuzzy_score_prefers_substrings_and_word_starts() -> None:
    assert fuzzy_score("prya", "priya raman") > 0
    assert fuzzy_score("xyz", "priya raman") == 0
    assert fuzzy_score("ram", "priya raman") > fuzzy_score("pym", "priya raman")
    assert fuzzy_score("mar", "marcus feld") > fuzzy_score("mar", "elena marsh") > fuzzy_score("mar", "omar")
    assert fuzzy_score("jl", "jonas lindqvist") > 0  # initials
    assert fuzzy_score("kof", "fenwick university, centre for professional learning") == 0  # too scattered


async def test_slash_filters_fuzzily_and_enter_opens_the_best_match(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash")
        assert app.focused is filter_box(app)
        await pilot.press(*"prya")
        await pilot.pause()
        assert row_slugs(app) == ["priya-raman"]
        assert "1 of 11" in title(app) and "best matches first" in title(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == "priya-raman"


async def test_filter_matches_org_and_tags_best_first(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash", *"mar")
        await pilot.pause()
        slugs = row_slugs(app)
        assert slugs[:2] == ["marcus-feld", "elena-marsh"]  # name start, then word start
        assert selected(app) == "marcus-feld"  # the best match is highlighted
        await pilot.press("ctrl+u", *"northwind")  # an org
        await pilot.pause()
        assert row_slugs(app) == ["priya-raman"]
        await pilot.press("ctrl+u", *"mentor")  # a tag
        await pilot.pause()
        assert "priya-raman" in row_slugs(app)
        await pilot.press("ctrl+u", *"zzzz")
        await pilot.pause()
        empty = app.screen.query_one("#contacts-empty", Static)
        assert empty.display and "Nobody matches" in str(empty.content)
        # the words say what the keys do: in the box n is a letter, escape comes first
        assert "Press escape to clear the filter; then n adds someone new." in str(empty.content)
        await pilot.press("escape", "n")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)


async def test_down_moves_from_the_filter_into_the_table(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash", *"ra")
        await pilot.pause()
        first = row_slugs(app)[0]
        await pilot.press("down")
        assert app.focused is table_of(app)
        assert selected(app) == first
        await pilot.press("down")
        assert selected(app) == row_slugs(app)[1]
        assert filter_box(app).value == "ra"  # the filter stays while browsing


async def test_escape_clears_the_filter_and_returns_to_the_table(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash", *"prya")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert filter_box(app).value == ""
        assert row_slugs(app) == ACTIVE
        assert app.focused is table_of(app)
        assert selected(app) == "priya-raman"  # still on the contact you found


# ---------------------------------------------------------------------- sort


async def test_s_cycles_name_due_progress_health_name(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("s")
        slugs = row_slugs(app)
        assert "sorted by due" in title(app)
        assert slugs[:3] == ["daniel-kowalczyk", "marcus-feld", "kofi-mensah"]  # most overdue first
        assert slugs[3] == "priya-raman"  # then the soonest due
        assert slugs[-3:] == ["aisha-bello", "jonas-lindqvist", "tomas-herrera"]  # not yet connected last
        await pilot.press("s")
        slugs = row_slugs(app)
        assert "sorted by progress" in title(app)
        assert set(slugs[:2]) == {"daniel-kowalczyk", "priya-raman"}  # six steps
        assert slugs[-1] == "tomas-herrera"  # none
        await pilot.press("s")
        slugs = row_slugs(app)
        assert "sorted by health: who needs care first" in title(app)
        assert slugs[:3] == ["kofi-mensah", "marcus-feld", "daniel-kowalczyk"]  # 40, 47, 60
        assert slugs[-3:] == ["aisha-bello", "jonas-lindqvist", "tomas-herrera"]  # not yet connected last
        # sorted by health, the health column is shown even at 100 columns
        assert [c.label for c in table_of(app).columns.values()][3] == "Health"
        assert row_text(app, "kofi-mensah")[3] == "█▌··  40"
        assert row_text(app, "tomas-herrera")[3] == "—"
        await pilot.press("s")
        assert "sorted by name" in title(app)
        assert row_slugs(app) == ACTIVE
        assert "Health" not in [c.label for c in table_of(app).columns.values()]


async def test_health_is_a_bar_where_there_is_room(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=(130, 32)) as pilot:
        await open_contacts(pilot)
        assert table_of(app).columns["health"].width == 8
        assert row_text(app, "kofi-mensah")[3] == "█▌··  40"
        assert row_text(app, "priya-raman")[3] == "███▌  90"
        kofi = table_of(app).get_row("kofi-mensah")[3]
        assert app.theme_variables["text-error"] in str(kofi.spans[0].style)  # below 50: needs care
        assert table_of(app).columns["name"].width >= 14


# ---------------------------------------------------------------------- the form


async def test_n_adds_a_contact_with_every_field(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        assert app.focused is form.query_one("#field-name", Input)
        await pilot.press(*"Ada Lovelace", "tab", *"Engines", "tab", *"Analyst", "tab", *"ada@example.org",
                          "tab", *"Math", "tab", *"Proofs", "tab", *"math,mentor", "tab", *"21", "ctrl+s")
        await pilot.pause()
        path = app.journal.root / "contacts" / "ada-lovelace.md"
        meta = meta_of(path)
        assert meta["name"] == "Ada Lovelace" and meta["org"] == "Engines"
        assert meta["role"] == "Analyst" and meta["email"] == "ada@example.org"
        assert meta["why"] == "Math" and meta["offer"] == "Proofs"
        assert meta["tags"] == ["math", "mentor"] and meta["cadence"] == 21
        assert isinstance(app.screen, ContactsScreen)
        assert "ada-lovelace" in row_slugs(app) and selected(app) == "ada-lovelace"
        assert "Ada Lovelace" in panel_text(app)


async def test_invalid_cadence_is_explained_and_nothing_is_written(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        before = sorted(p.name for p in (app.journal.root / "contacts").iterdir())
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Ada", "tab", "tab", "tab", "tab", "tab", "tab", "tab", *"abc", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)  # still open
        error = form.query_one("#error-cadence", Static)
        assert error.display and "whole number of days" in str(error.content)
        assert not form.query_one("#error-name", Static).display
        assert app.focused is form.query_one("#field-cadence", Input)
        assert sorted(p.name for p in (app.journal.root / "contacts").iterdir()) == before
        await pilot.press("backspace", "backspace", "backspace", *"0")  # zero is not a cadence either
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        await pilot.press("backspace", *"14")
        await pilot.pause()
        assert not error.display  # fixed: the message goes as soon as it is right
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert meta_of(app.journal.root / "contacts" / "ada.md")["cadence"] == 14


async def test_a_name_is_required_and_escape_cancels(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        before = sorted(p.name for p in (app.journal.root / "contacts").iterdir())
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#error-name", Static)
        assert error.display and "needs a name" in str(error.content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert sorted(p.name for p in (app.journal.root / "contacts").iterdir()) == before


async def test_e_edits_and_keeps_keys_the_app_does_not_know(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        path = app.journal.root / "contacts" / "nadia-petrova.md"
        before = path.read_text(encoding="utf-8")
        await pilot.press("slash", *"nadia", "down", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        assert form.query_one("#field-org", Input).value == "Fenwick University"
        assert form.query_one("#field-cadence", Input).value == "45"
        assert form.query_one("#field-tags", Input).value == "alumni, events"
        form.query_one("#field-org", Input).value = "Fenwick University Alumni Office"
        form.query_one("#field-cadence", Input).value = "60"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        after = path.read_text(encoding="utf-8")
        meta = meta_of(path)
        assert meta["org"] == "Fenwick University Alumni Office" and meta["cadence"] == 60
        for key in ("met_at", "pronouns", "birthday", "linkedin"):
            assert key in meta
        assert "# Extra fields below are mine" in after  # the user's comment stays too
        assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # the body, byte for byte
        assert row_text(app, "nadia-petrova")[1] == "Fenwick University Alumni Office"
        assert selected(app) == "nadia-petrova"


async def test_edit_after_the_file_changed_on_disk_asks_whose_version_wins(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        path = app.journal.root / "contacts" / "aisha-bello.md"
        await pilot.press("e")
        await pilot.pause()
        theirs = path.read_text(encoding="utf-8").replace("Head of client programmes", "Dean of clients")
        path.write_text(theirs, encoding="utf-8")  # another program writes meanwhile
        app.screen.query_one("#field-org", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert path.read_text(encoding="utf-8") == theirs  # nothing overwritten
        await pilot.press("m")  # keep mine as a copy beside theirs
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        assert form.query_one("#field-org", Input).value == "Harbourline Business School"  # theirs, reloaded
        copies = list((app.journal.root / "contacts").glob("aisha-bello.conflict-*.md"))
        assert len(copies) == 1 and meta_of(copies[0])["org"] == "Mine"
        assert path.read_text(encoding="utf-8") == theirs


# ---------------------------------------------------------------------- archive and delete


async def test_a_archives_and_shift_a_shows_archived(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        path = app.journal.root / "contacts" / "aisha-bello.md"
        await pilot.press("a")
        await pilot.pause()
        assert meta_of(path)["archived"] is True
        assert "aisha-bello" not in row_slugs(app)
        assert selected(app) == "daniel-kowalczyk"  # the cursor stays where it was
        await pilot.press("A")
        await pilot.pause()
        assert "aisha-bello" in row_slugs(app) and "rob-castellano" in row_slugs(app)
        assert "archived shown" in title(app)
        assert row_text(app, "aisha-bello")[4] == "archived"
        assert "dim" in str(table_of(app).get_row("aisha-bello")[0].style)
        await pilot.press("home", "a")  # unarchive
        await pilot.pause()
        assert meta_of(path)["archived"] is False
        await pilot.press("A")
        await pilot.pause()
        assert "aisha-bello" in row_slugs(app) and "rob-castellano" not in row_slugs(app)


async def test_delete_asks_first_then_moves_the_file_to_the_trash(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        path = app.journal.root / "contacts" / "aisha-bello.md"
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert path.exists() and "aisha-bello" in row_slugs(app)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not path.exists()
        trashed = list((app.journal.root / ".netjournal" / "trash").rglob("aisha-bello*.md"))
        assert len(trashed) == 1
        assert "aisha-bello" not in row_slugs(app)
        assert any(".netjournal/trash/" in n.message for n in app._notifications)


async def test_a_change_elsewhere_refreshes_the_row_and_keeps_the_cursor(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash", *"prya", "escape")
        await pilot.pause()
        assert selected(app) == "priya-raman"
        untouched = table_of(app).get_row("aisha-bello")[0]
        journal = app.journal
        journal.unset_step("priya-raman", "known")
        app.journal_changed("contacts/priya-raman.md")
        await pilot.pause()
        assert row_text(app, "priya-raman")[2] == "●●●●●○"
        assert table_of(app).get_row("aisha-bello")[0] is untouched  # updated in place, not refilled
        assert selected(app) == "priya-raman"
        assert "Steps 5/6" in panel_text(app)


# ---------------------------------------------------------------------- hostile text and scale


HOSTILE = ["[bold]x[/]", "[@click=app.quit]boom[/]", "evil\x1b]0;pwned\x07name", "[link=http://x]y[/link]"]


async def test_hostile_names_render_literally(make_app, empty_journal: Journal) -> None:
    for name in HOSTILE:
        empty_journal.add_contact(name, org="[red]org[/]", why="[b]why\x1b]52;c;aGk=\x07", tags=["[i]t"])
    app = make_app(start="contacts", journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        names = [row_text(app, slug)[0] for slug in row_slugs(app)]
        assert "[bold]x[/]" in names and "[@click=app.quit]boom[/]" in names
        assert "[link=http://x]y[/link]" in names and "evil␛]0;pwned␇name" in names
        for slug in row_slugs(app):
            table_of(app).move_cursor(row=row_slugs(app).index(slug))
            await pilot.pause()
            text = panel_text(app)
            assert "[red]org[/]" in text and "[b]why␛]52;c;aGk=␇" in text and "#[i]t" in text
            assert "\x1b" not in text
        for _ in range(4):
            await pilot.click(ContactsTable, offset=(3, 2))
            await pilot.click("#contact-panel", offset=(3, 1))
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ContactsScreen)
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "&#27;" not in screenshot
        assert "[@click=app" in screenshot and "[bold]x[/]" in screenshot  # shown, not obeyed


def thousand_contacts(root: Path) -> Journal:
    """Person 0000 … Person 0999 (37 orgs, 11 tags, 0-6 steps done) and Priya Raman."""
    Journal.init(root, today=TODAY).close()
    for i in range(1000):
        steps = ", ".join(f"{key}: {'2026-10-01' if n < i % 7 else 'null'}"
                          for n, key in enumerate(("why", "offer", "connect", "trust", "deepen", "known")))
        (root / "contacts" / f"person-{i:04d}.md").write_text(
            f"---\nname: Person {i:04d}\norg: Org {i % 37}\ntags: [t{i % 11}]\n"
            f"why: reason {i}\nsteps: {{{steps}}}\n---\n", encoding="utf-8")
    (root / "contacts" / "priya-raman.md").write_text("---\nname: Priya Raman\norg: Northwind\n---\n")
    return Journal.open(root, today=TODAY)


def screen_lines(table: ContactsTable) -> list[str]:
    """The table's lines as the user sees them now (header first)."""
    return ["".join(segment.text for segment in table.render_line(y))
            for y in range(table.scrollable_content_region.height)]


async def test_a_thousand_contacts_open_and_filter_quickly(tmp_path: Path, make_app) -> None:
    app = make_app(start="contacts", journal=thousand_contacts(tmp_path / "big"))
    started = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        assert table_of(app).row_count == 1001
        await pilot.press("slash", *"prya")
        await pilot.pause()
        assert row_slugs(app)[0] == "priya-raman"
        await pilot.press("ctrl+u", *"org 3")
        await pilot.pause()
        assert row_slugs(app)[0].startswith("person-")
        await pilot.press("escape", "s")
        await pilot.pause()
        assert table_of(app).row_count == 1001
    assert time.perf_counter() - started < 8


async def test_a_long_filtered_list_shows_every_match_down_to_the_last(tmp_path: Path, make_app) -> None:
    journal = thousand_contacts(tmp_path / "big")
    app = make_app(start="contacts", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("end")
        await pilot.pause()
        assert selected(app) == "priya-raman"  # sorted by name: the last of 1001
        assert any("Priya Raman" in line for line in screen_lines(table_of(app)))
        await pilot.press("slash", *"org 3")
        await pilot.pause()
        words = ["org", "3"]
        matches = {s.slug for s in app.screen._searchable.values() if s.score(words) > 0}
        assert set(row_slugs(app)) == matches and len(row_slugs(app)) == len(matches) > 100
        assert f"Contacts · {len(matches)} of 1001 · best matches first" in title(app)
        await pilot.press("down", "end")  # into the list, then its last row
        await pilot.pause()
        last = row_slugs(app)[-1]
        assert selected(app) == last
        name = journal.contact_facts(last).contact.name
        assert any(name in line for line in screen_lines(table_of(app)))
        await pilot.press("escape")  # the filter goes, the contact stays selected
        await pilot.pause()
        assert table_of(app).row_count == 1001 and selected(app) == last
        assert any(name in line for line in screen_lines(table_of(app)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == last


async def test_the_footer_shows_the_area_keys_at_100_columns(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_contacts(pilot)
        line = app.screen.query_one(Footer).render().plain
        assert len(line) == 100 and line.rstrip().endswith("▏^p Commands")  # at the right, over whatever reaches it
        palette = line.index("▏")
        for description in ("Filter", "Sort", "New", "Edit", "Reflect", "Archive", "Delete", "Keys"):
            assert f" {description} " in line[:palette], description


async def test_enter_walks_the_form_and_saves_on_the_last_field(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Bo", *["enter"] * 7)
        assert app.focused is app.screen.query_one("#field-cadence", Input)
        await pilot.press(*"7", "enter", "enter", "enter")
        assert app.focused is app.screen.query_one("#field-links", Input)
        await pilot.press("enter", "enter")  # the blank row that adds a date: what, then the day
        assert app.focused is app.screen.query_one("#date-day-0", Input)  # the last field
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert meta_of(app.journal.root / "contacts" / "bo.md")["cadence"] == 7


async def test_a_new_theme_and_a_wider_terminal_redraw_the_table(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        narrow = table_of(app).columns["name"].width
        app.theme = "netjournal-light"
        await pilot.pause()
        overdue = table_of(app).get_row("daniel-kowalczyk")[4]
        assert app.theme_variables["text-error"] in str(overdue.style)
        await pilot.resize_terminal(140, 32)
        await pilot.pause()
        await pilot.pause()
        assert table_of(app).columns["name"].width > narrow
        assert row_slugs(app) == ACTIVE and selected(app) == "aisha-bello"


async def test_keys_typed_fast_after_slash_all_land_in_the_filter(make_app) -> None:
    from textual import events

    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        for key, char in (("slash", "/"), ("k", "k"), ("o", "o"), ("f", "f")):
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        assert filter_box(app).value == "kof"
        assert row_slugs(app) == ["kofi-mensah"]


async def test_escape_in_a_form_with_typed_input_asks_first(make_app) -> None:
    """As the editor does: save, discard, or stay; nothing typed is dropped unasked."""
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        before = sorted(p.name for p in (app.journal.root / "contacts").iterdir())
        await pilot.press("n", *"Ada", "escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesScreen)
        assert "This contact has unsaved changes" in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        assert app.screen.query_one("#field-name", Input).value == "Ada"
        await pilot.press("escape", "d")  # discard
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert sorted(p.name for p in (app.journal.root / "contacts").iterdir()) == before
        await pilot.press("n", *"Ada", "escape", "s")  # save
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen) and meta_of(app.journal.root / "contacts" / "ada.md")["name"] == "Ada"
        await pilot.press("n", "escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


async def test_the_form_edits_role_and_email_and_writes_only_what_changed(make_app) -> None:
    app = make_app(start="contacts")
    path = app.journal.root / "contacts" / "priya-raman.md"
    before = path.read_text()
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        app.screen.query_one(ContactsTable).move_cursor(row_slugs(app).index("priya-raman"))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormScreen)
        assert form.query_one("#field-role", Input).value == "Director of executive education"
        assert form.query_one("#field-email", Input).value == "priya.raman@example.org"
        form.query_one("#field-role", Input).value = "Dean"
        form.query_one("#field-email", Input).value = "not an address"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)  # the email is explained, nothing written
        assert "name@example.org" in str(form.query_one("#error-email", Static).content)
        assert path.read_text() == before
        form.query_one("#field-email", Input).value = "priya.raman@example.org"
        await pilot.press("ctrl+s")
        await pilot.pause()
    changed = [line for line in path.read_text().splitlines() if line not in before.splitlines()]
    assert changed == ["role: Dean"]
