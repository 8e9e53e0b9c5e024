"""The shell: areas, keys, help, the command palette, problems, themes, the demo,
and user text that tries to be markup or terminal escapes."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import inspect
import os
import pkgutil
import sys
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

import netjournal.tui
from netjournal.config import read_user_config, user_config_dir, user_config_file, write_user_config
from netjournal.demo import SAMPLE_TODAY, make_demo
from netjournal.journal import Journal, sample_data_dir
from netjournal.tui.app import NetJournalApp
from netjournal.tui.launch import build_app, open_for_app
from netjournal.tui.screens.checklist import ChecklistScreen
from netjournal.tui.screens.contacts import ContactsScreen
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.help import HelpScreen
from netjournal.tui.screens.problems import ProblemsScreen
from netjournal.tui.screens.reflections import ReflectionsScreen
from netjournal.tui.themes import DEFAULT_THEME
from netjournal.tui.widgets.header import Header
from tests.conftest import TODAY
from tests.tui.conftest import settle

SIZE = (100, 32)
BROKEN_CONTACT = "---\nname: Broken Bea\ntags: [a, b\nwhy: x\n---\nNotes.\n"
HOSTILE = "[bold]x[/] \x1b]0;pwned\x07"


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


async def run_command(pilot, text: str) -> None:
    """ctrl+p, type, wait for the fuzzy search, enter."""
    await pilot.press("ctrl+p")
    await type_text(pilot, text)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.2)


def messages(app: App) -> list[str]:
    return [n.message for n in app._notifications]


def table_text(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def journal_with_broken_file(tmp_path: Path, name: str = "broken.md") -> Journal:
    root = tmp_path / "journal"
    Journal.init(root, sample=True, today=TODAY).close()
    (root / "contacts" / name).write_text(BROKEN_CONTACT, encoding="utf-8")
    return Journal.open(root, today=TODAY)


# ---------------------------------------------------------------------- areas and keys

async def test_number_keys_switch_areas(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        for key, screen in (("2", ContactsScreen), ("3", ReflectionsScreen), ("4", ChecklistScreen),
                            ("1", DashboardScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen), key


async def test_area_keys_work_from_a_contact_screen(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        app.open_contact("priya-raman")
        await pilot.pause()
        assert getattr(app.screen, "slug", None) == "priya-raman"
        await pilot.press("2")  # the area it was opened from
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)

        await pilot.press("4")
        app.open_contact("priya-raman")
        await pilot.pause()
        assert getattr(app.screen, "slug", None) == "priya-raman"
        await pilot.press("2")  # another area
        await pilot.pause()
        assert app.current_mode == "contacts" and isinstance(app.screen, ContactsScreen)
        await pilot.press("4")  # and back: the checklist itself, not the contact left on it
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)


async def test_q_quits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_escape_closes_dialogs(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        for open_it in ("question_mark", "show_problems"):
            if open_it == "show_problems":
                app.action_show_problems()
            else:
                await pilot.press(open_it)
            await pilot.pause()
            assert app.screen.is_modal
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ChecklistScreen)


async def test_area_keys_do_not_leak_through_a_dialog(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark", "1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.current_mode == "checklist"


def _netjournal_screens() -> list[type]:
    package = netjournal.tui
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    found: list[type] = []
    pending = [Screen]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("netjournal."):
                found.append(sub)
    return found


def test_every_binding_has_an_id_and_a_description() -> None:
    classes = _netjournal_screens()
    assert ChecklistScreen in classes and HelpScreen in classes
    widget_classes = [
        obj for module_name, module in list(sys.modules.items())
        if module_name.startswith("netjournal.tui")
        for obj in vars(module).values()
        if inspect.isclass(obj) and obj.__module__ == module_name and "BINDINGS" in vars(obj)
    ]
    missing = []
    for cls in {*classes, *widget_classes, NetJournalApp}:
        for binding in vars(cls).get("BINDINGS", []):
            if not isinstance(binding, Binding):
                missing.append(f"{cls.__name__}: {binding!r} is not a Binding")
            elif not binding.id or not binding.description:
                missing.append(f"{cls.__name__}: {binding.key} -> {binding.action}")
    assert not missing, missing


async def test_help_lists_the_area_and_app_keys(make_app) -> None:
    app = make_app(start="dashboard")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = table_text(app.screen.query_one("#help-keys", DataTable))
        keys = {key: description for key, description in rows if key}
        for key, description in (("1", "Dashboard"), ("2", "Contacts"), ("3", "Reflections"),
                                 ("4", "Checklist"), ("?", "Keys"), ("q", "Quit"), ("^p", "Commands")):
            assert keys.get(key) == description
        sections = [description for key, description in rows if not key]
        assert sections[0] in ("On this screen", "Anywhere")
        await pilot.press("question_mark")  # ? again closes it
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


# ---------------------------------------------------------------------- command palette

async def test_palette_open_contact_by_fuzzy_name(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "open contact priya")
        assert getattr(app.screen, "slug", None) == "priya-raman"


async def test_palette_reindex_gives_a_notice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "reindex")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith("Index rebuilt from") for m in messages(app))


async def test_palette_show_problems(make_app, tmp_path: Path) -> None:
    app = make_app(journal=journal_with_broken_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "show problems")
        assert isinstance(app.screen, ProblemsScreen)


async def test_palette_new_contact(make_app) -> None:
    from netjournal.tui.screens.contact_form import ContactFormScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "new contact")
        assert isinstance(app.screen, ContactFormScreen)


async def test_palette_go_to_an_area(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "go to checklist")
        assert app.current_mode == "checklist" and isinstance(app.screen, ChecklistScreen)


async def test_palette_switch_theme_is_remembered(tmp_path: Path) -> None:
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert not user_config_file().exists()  # starting does not write the config
        await switch_theme(pilot, "netjournal-light")
        assert app.theme == "netjournal-light"
    assert read_user_config()["theme"] == "netjournal-light"


async def switch_theme(pilot, name: str) -> None:
    """The palette's "Switch theme", then ``name``."""
    await run_command(pilot, "switch theme")
    await type_text(pilot, name)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_demo_leaves_the_user_config_alone(tmp_path: Path) -> None:
    """--demo is a visit: its --theme and a theme switched in it are used for that run
    only; the same app on the user's own journal remembers them."""
    demo = Journal.open(make_demo(TODAY, parent=tmp_path), today=TODAY, write_behind=True)
    app = build_app(demo, demo=True, theme="netjournal-light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "netjournal-light"
        await switch_theme(pilot, "netjournal-high-contrast")
        assert app.theme == "netjournal-high-contrast"
    assert not user_config_file().exists()
    own = build_app(Journal.init(tmp_path / "own", sample=True, today=TODAY), theme="netjournal-light")
    async with own.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert read_user_config()["theme"] == "netjournal-light"


async def test_palette_keys_opens_netjournal_help(make_app) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "keys")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.under.__class__ is ChecklistScreen


# ---------------------------------------------------------------------- problems

async def test_a_broken_file_is_listed_noticed_and_the_rest_works(make_app, tmp_path: Path) -> None:
    app = make_app(start="checklist", journal=journal_with_broken_file(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notice = [m for m in messages(app) if "could not be read" in m]
        assert notice and "Show problems" in notice[0]
        grid = app.screen.query_one(DataTable)
        assert grid.row_count == 11  # everyone else is there
        app.action_show_problems()
        await pilot.pause()
        rows = table_text(app.screen.query_one("#problems-table", DataTable))
        assert rows == [["contacts/broken.md", "4", rows[0][2]]]  # where YAML noticed the unclosed list
        assert "expected" in rows[0][2]
    text = (tmp_path / "journal" / "contacts" / "broken.md").read_text(encoding="utf-8")
    assert text == BROKEN_CONTACT  # never rewritten


async def test_no_problems_no_notice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert messages(app) == []
        app.action_show_problems()
        await pilot.pause()
        assert "No problems" in str(app.screen.query_one("#problems-dialog Static.no-problems", Static).content)


async def test_problem_paths_and_reasons_are_shown_literally(make_app, tmp_path: Path) -> None:
    name = "[b]evil[@click=app.quit]x.md"
    root = tmp_path / "journal"
    Journal.init(root, sample=True, today=TODAY).close()
    (root / "contacts" / name).write_text('---\nname: "[bold]E\\e]0;pwned\\a"\n  bad: : :\n---\n', encoding="utf-8")
    app = make_app(journal=Journal.open(root, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert all(not n.markup for n in app._notifications if "could not be read" in n.message)
        app.action_show_problems()
        await pilot.pause()
        rows = table_text(app.screen.query_one("#problems-table", DataTable))
        assert rows[0][0] == f"contacts/{name}"
        assert "\x1b" not in "".join(rows[0])
        assert app.is_running  # the [@click=app.quit] did nothing


# ---------------------------------------------------------------------- themes

def write_theme(name: str, text: str) -> None:
    folder = user_config_dir() / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


async def test_shipped_themes_are_registered_and_default_is_dark(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME == "netjournal-dark"
        for name in ("netjournal-dark", "netjournal-light", "netjournal-high-contrast"):
            assert name in app.available_themes


async def test_theme_option_picks_a_theme_and_remembers_it(tmp_path: Path) -> None:
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY), theme_name="netjournal-light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "netjournal-light"
    assert read_user_config()["theme"] == "netjournal-light"


async def test_remembered_theme_is_used_and_not_rewritten(tmp_path: Path) -> None:
    write_user_config(theme="netjournal-high-contrast", journal="/somewhere")
    before = user_config_file().read_bytes()
    os.utime(user_config_file(), (1, 1))
    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    for theme_name in (None, "netjournal-high-contrast"):
        app = NetJournalApp(journal, theme_name=theme_name)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.theme == "netjournal-high-contrast"
        assert user_config_file().read_bytes() == before
        assert user_config_file().stat().st_mtime == 1


async def test_unknown_theme_falls_back_with_a_notice(tmp_path: Path) -> None:
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY), theme_name="no-such")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert any("No theme named no-such" in m for m in messages(app))
    assert "theme" not in read_user_config()


async def test_broken_user_theme_gives_a_notice_and_falls_back(tmp_path: Path) -> None:
    write_theme("mine.yaml", "name: mine\nprimary: [not, a colour\n")
    write_theme("bad-colour.yaml", "name: bad-colour\nprimary: '#zzzzzz'\n")
    write_user_config(theme="mine")
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        theme_notices = [n for n in app._notifications if n.title == "A theme file could not be read"]
        assert len(theme_notices) == 2 and all(not n.markup for n in theme_notices)
        assert any("mine.yaml" in n.message for n in theme_notices)
        assert any("No theme named mine" in m for m in messages(app))
        assert app.screen.query_one(Header)  # the app carries on
    assert read_user_config()["theme"] == "mine"  # the user's choice is kept for when they fix it


async def test_a_good_user_theme_can_be_chosen(tmp_path: Path) -> None:
    write_theme("sunset.yaml", "name: sunset\ndark: true\nprimary: '#ff8844'\nbackground: '#201010'\n")
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY), theme_name="sunset")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "sunset"


async def test_an_unreadable_config_is_not_overwritten(tmp_path: Path) -> None:
    user_config_file().parent.mkdir(parents=True, exist_ok=True)
    user_config_file().write_text("journal: [oops\n", encoding="utf-8")
    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY), theme_name="netjournal-light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "netjournal-light"
        assert any("Could not remember the theme" in m for m in messages(app))
    assert user_config_file().read_text(encoding="utf-8") == "journal: [oops\n"


# ---------------------------------------------------------------------- start-up and demo

async def test_empty_journal_welcomes_on_the_dashboard_and_checklist(make_app, empty_journal) -> None:
    app = make_app(journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        welcome = " ".join(str(w.content) for w in app.screen.query(".welcome"))
        assert "Welcome" in welcome and "Press n to add someone" in welcome
        assert not app.screen.query_one("#dashboard-later").display
        await pilot.press("4")
        await pilot.pause()
        assert "Press n to add someone" in str(app.screen.query_one("#checklist-empty", Static).content)
        await pilot.press("n")
        await pilot.pause()
        from netjournal.tui.screens.contact_form import ContactFormScreen

        assert isinstance(app.screen, ContactFormScreen)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_demo_never_modifies_the_sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    shipped = sample_data_dir()
    before = tree_hash(shipped)
    journal = open_for_app(None, demo=True)
    try:
        assert journal.root != shipped.resolve()
        assert not journal.root.is_relative_to(shipped.resolve())
        assert len(journal.contacts(include_archived=True)) == 12
        journal.set_step("tomas-herrera", "why")  # the demo copy is yours to change
    finally:
        journal.close()
    assert tree_hash(shipped) == before


@pytest.mark.parametrize("days", [0, 1, 45, 400])
def test_demo_story_is_the_same_on_any_day(days: int, tmp_path: Path) -> None:
    sample = Journal.init(tmp_path / "sample", sample=True, today=SAMPLE_TODAY)
    day = SAMPLE_TODAY + dt.timedelta(days=days)
    demo = Journal.open(make_demo(day, parent=tmp_path), today=day)

    def story(journal: Journal) -> list[tuple[str, str, int]]:
        return [(f.contact.slug, f.status, f.days_overdue) for f in journal.due()]

    assert story(demo) == story(sample) and story(sample)
    assert [f.contact.slug for f in demo.not_connected()] == [f.contact.slug for f in sample.not_connected()]
    stuck = lambda j: sorted(s for s, f in j.facts().items() if f.stuck_since)  # noqa: E731
    assert stuck(demo) == stuck(sample)
    assert [(e.contact.slug, e.reflection.title) for e in demo.early_asks()] == [
        (e.contact.slug, e.reflection.title) for e in sample.early_asks()]
    assert demo.problems() == []


async def test_demo_launch_path_opens_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    journal = open_for_app(None, demo=True)
    app = NetJournalApp(journal, remember_theme=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Sam's network" in app.screen.query_one(Header).render_line(0).text
        assert messages(app) == []


# ---------------------------------------------------------------------- hostile text

async def test_hostile_journal_name_shows_literally_in_the_header(make_app, tmp_path: Path) -> None:
    root = tmp_path / "journal"
    Journal.init(root, sample=True, today=TODAY).close()
    (root / "netjournal.yaml").write_text('name: "[bold]x[/] \\e]0;pwned\\a"\ncadence: 30\n', encoding="utf-8")
    journal = Journal.open(root, today=TODAY)
    assert journal.name == HOSTILE
    app = make_app(start="checklist", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.screen.query_one(Header).render_line(0).text
        assert "[bold]x[/] ␛]0;pwned␇" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert app.format_title(app.title, "").plain == "netjournal · [bold]x[/] ␛]0;pwned␇"
        svg = app.export_screenshot()
        assert "pwned" in svg and "\x1b" not in svg
        await pilot.press("2", "3", "1", "question_mark", "escape")
        assert app.is_running


async def test_a_hostile_file_name_in_a_screen_title_shows_literally_in_the_header(make_app, tmp_path: Path) -> None:
    """The history screen's sub-title is the file's path, and a file's name can hold an
    escape sequence: the header shows it as text (the header draws every screen's
    title, so it makes them safe), not an OSC that swallows what follows."""
    root = tmp_path / "journal"
    Journal.init(root, sample=True, today=TODAY).close()
    source = sorted((root / "contacts").glob("*.md"))[0]
    (root / "contacts" / "evil\x1b]0;pwned\x07\x9b2J.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    journal = Journal.open(root, today=TODAY)
    [slug] = [c.slug for c in journal.contacts() if c.slug.startswith("evil")]
    app = make_app(journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_contact(slug)
        await pilot.pause()
        await pilot.press("h")
        await settle(pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        header = app.screen.query_one(Header)
        segments = "".join(segment.text for segment in header.render_line(0))
        assert "contacts/evil␛]0;pwned␇\ufffd2J.md" in segments
        assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in segments)


async def test_hostile_names_show_literally_in_the_palette(make_app, tmp_path: Path) -> None:
    from textual.command import CommandList

    journal = Journal.init(tmp_path / "j", today=TODAY)
    journal.add_contact("Zed [@click=app.quit]x[/] [$accent]y[/]", org="[bold]Org[/] \x1b]52;c;aGk=\x07")
    app = make_app(journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "open contact zed")
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList)
        prompts = [option.prompt.plain for option in options.options]
        assert "Open contact Zed [@click=app.quit]x[/] [$accent]y[/]\n[bold]Org[/] ␛]52;c;aGk=␇" in prompts
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and getattr(app.screen, "slug", None) == journal.contacts()[0].slug


async def test_area_keys_leave_a_screen_with_unsaved_work_open(make_app) -> None:
    class Unsaved(Screen):
        dirty = True

    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(Unsaved())
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, Unsaved)  # still there, with its work


async def test_fixing_a_file_and_checking_again_clears_the_problem(make_app, tmp_path: Path) -> None:
    journal = journal_with_broken_file(tmp_path)
    app = make_app(start="checklist", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await run_command(pilot, "show problems")
        assert app.screen.query_one("#problems-table", DataTable).row_count == 1
        (journal.root / "contacts" / "broken.md").write_text(BROKEN_CONTACT.replace("[a, b\n", "[a, b]\n"))
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one(".no-problems").display
        assert not app.screen.query_one("#problems-table").display
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 12  # Broken Bea is back in the grid


@pytest.mark.parametrize("key", ["1", "2", "3", "4"])
async def test_help_lists_every_key_the_area_defines(make_app, key: str) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await pilot.pause()
        area = app.screen
        own = {
            active.binding.description
            for active in area.active_bindings.values()
            if active.node is not app and active.binding.id  # the screen's and its widgets'
        }
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = table_text(app.screen.query_one("#help-keys", DataTable))
        section, listed = None, set()
        for shown_key, description in rows:
            if not shown_key:
                section = description
            elif section == "On this screen":
                listed.add(description)
        assert listed == own
        if key in ("1", "4"):
            assert own


async def test_a_failing_reindex_is_a_notice_not_a_crash(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(start="checklist")
    async with app.run_test(size=SIZE) as pilot:
        def refuse(**_: object) -> None:
            raise OSError("disk [bold]on fire[/]")

        monkeypatch.setattr(app.journal, "sync", refuse)
        await run_command(pilot, "reindex")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = [n for n in app._notifications if n.title == "Reindex failed"]
        assert failed and failed[0].message == "disk [bold]on fire[/]" and not failed[0].markup
        assert app.is_running and isinstance(app.screen, ChecklistScreen)


async def test_first_run_creates_a_journal_and_welcomes(tmp_path: Path) -> None:
    journal = open_for_app(None, demo=False)  # the platform's data folder, isolated per test
    try:
        assert journal.name == "My network" and journal.contacts(include_archived=True) == []
        app = NetJournalApp(journal, remember_theme=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            welcome = " ".join(str(w.content) for w in app.screen.query(".welcome"))
            assert "Press n to add someone you want to know" in welcome
            assert "netjournal · My network" in app.screen.query_one(Header).render_line(0).text
    finally:
        journal.close()


def test_every_notice_is_shown_without_markup() -> None:
    """Notices often carry user text (names, file names, problem reasons): each
    ``notify`` call in the TUI passes ``markup=False``, so none of it is read as markup."""
    import ast

    offenders = []
    for path in sorted(Path(netjournal.tui.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func, args = node.func, node.args
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            relayed = (name == "call_from_thread" and args and isinstance(args[0], ast.Attribute)
                       and args[0].attr == "notify")
            if name != "notify" and not relayed:
                continue
            markup = {k.arg: k.value for k in node.keywords}.get("markup")
            if not (isinstance(markup, ast.Constant) and markup.value is False):
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders
