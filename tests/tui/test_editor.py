"""The reflection editor: new, type, save, reopen, edit, $EDITOR, the unsaved-changes
guard, drafts and their recovery, the ask warning, contact completion, conflicts."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Input, OptionList, Static

from netjournal.journal import Journal
from netjournal.store import frontmatter
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.drafts import DraftsScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.reflections import ReflectionsScreen
from netjournal.tui.screens.unsaved_changes import UnsavedChangesScreen
from netjournal.tui.widgets.contact_picker import ContactPicker
from netjournal.tui.widgets.markdown_area import MarkdownArea
from tests.conftest import TODAY
from tests.tui.conftest import settle

SIZE = (100, 32)



def read(journal: Journal, rel: str) -> frontmatter.Document:
    return frontmatter.parse_bytes((journal.root / rel).read_bytes())


def new_files(journal: Journal, before: set[str]) -> list[str]:
    now = {p.relative_to(journal.root).as_posix() for p in (journal.root / "reflections").rglob("*.md")}
    return sorted(now - before)


def existing(journal: Journal) -> set[str]:
    return {p.relative_to(journal.root).as_posix() for p in (journal.root / "reflections").rglob("*.md")}


async def open_new(app, pilot) -> EditorScreen:
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, EditorScreen)
    return app.screen


async def test_new_reflection_starts_in_the_title_with_the_template(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        assert app.focused is editor.query_one("#title", Input)
        body = editor.query_one("#body", MarkdownArea).text
        assert body == app.journal.template("reflection")
        for question in ("What did I give?", "What did I learn about them?",
                         "How can I help them next?", "Do they know me better now?"):
            assert question in body
        assert editor.query_one("#date", Input).value == TODAY.isoformat()


async def test_type_save_reopen_edit(make_app):
    app = make_app(start="reflections")
    journal = app.journal
    before = existing(journal)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press(*"Lunch with Kofi")
        area = editor.query_one("#body", MarkdownArea)
        area.focus()
        await pilot.press(*"I gave him my notes.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [rel] = new_files(journal, before)
        doc = read(journal, rel)
        assert doc.meta["title"] == "Lunch with Kofi"
        assert str(doc.meta["date"]) == TODAY.isoformat()
        assert doc.meta["kind"] == "note"
        assert "I gave him my notes." in doc.body and "What did I give?" in doc.body
        assert not journal.drafts()
        assert "saved" in str(editor.query_one("#editor-status", Static).render())
        await pilot.press("escape")  # nothing unsaved: leaves at once
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
        assert app.screen.current().path == rel  # the saved entry is selected

        # reopen it, change the body, save: the front matter stays as written
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.path == rel
        assert app.focused is editor.query_one("#body", MarkdownArea)
        await pilot.press("end")
        await pilot.press(*" Edited.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = read(journal, rel)
        assert " Edited." in again.body
        assert again.meta == doc.meta
        assert existing(journal) == before | {rel}  # same file, no rename


async def test_editing_keeps_unknown_keys_and_does_not_move_the_file(make_app):
    app = make_app(start="reflections")
    journal = app.journal
    rel = journal.reflections()[0].path
    path = journal.root / rel
    text = path.read_text(encoding="utf-8").replace("---\n", "---\nmood: hopeful\n", 1)
    path.write_text(text, encoding="utf-8")
    journal.sync()
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(rel)
        await settle(pilot)
        editor = app.screen
        editor.query_one("#date", Input).value = "2026-01-02"
        await pilot.press("ctrl+s")
        await settle(pilot)
        doc = read(journal, rel)
        assert doc.meta["mood"] == "hopeful"
        assert str(doc.meta["date"]) == "2026-01-02"
        assert path.exists()


async def test_title_is_required_and_dates_are_checked(make_app):
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert new_files(app.journal, before) == []
        assert app.focused is editor.query_one("#title", Input)
        await pilot.press(*"A title")
        editor.query_one("#date", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert new_files(app.journal, before) == []
        assert app.focused is editor.query_one("#date", Input)
        editor.query_one("#date", Input).value = "2026-02-28"
        editor.query_one("#follow-up", Input).value = "soon"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert new_files(app.journal, before) == []
        editor.query_one("#follow-up", Input).value = "2026-03-15"
        editor.query_one("#tags", Input).value = "lunch,  ideas ,lunch"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [rel] = new_files(app.journal, before)
        assert rel.startswith("reflections/2026/2026-02-28-")
        doc = read(app.journal, rel)
        assert str(doc.meta["follow_up"]) == "2026-03-15"
        assert doc.meta["tags"] == ["lunch", "ideas"]


async def test_ctrl_e_hands_the_body_to_editor_and_reloads_it(make_app, tmp_path, monkeypatch):
    script = tmp_path / "fake-editor.sh"
    script.write_text('#!/bin/sh\nprintf "Written in my own editor.\\n" >> "$1"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", str(script))
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press(*"Outside help")
        await pilot.press("ctrl+e")
        await settle(pilot)
        body = editor.query_one("#body", MarkdownArea).text
        assert body.endswith("Written in my own editor.\n")
        assert body.startswith(app.journal.template("reflection"))
        assert not list((app.journal.root / ".netjournal" / "scratch").glob("*.md"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        [rel] = new_files(app.journal, before)
        assert "Written in my own editor." in read(app.journal, rel).body


async def test_a_failing_editor_changes_nothing(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("VISUAL", "false")
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        body = editor.query_one("#body", MarkdownArea).text
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert editor.query_one("#body", MarkdownArea).text == body
        assert isinstance(app.screen, EditorScreen)


async def test_leaving_with_unsaved_changes_asks_save_discard_or_stay(make_app):
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_new(app, pilot)
        await pilot.press(*"Half a thought")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape", "d")  # discard
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
        assert new_files(app.journal, before) == []
        assert not app.journal.drafts()

        await open_new(app, pilot)
        await pilot.press(*"Whole thought")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("s")  # save, then leave
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen)
        [rel] = new_files(app.journal, before)
        assert read(app.journal, rel).meta["title"] == "Whole thought"


async def test_a_draft_survives_a_crash_and_is_offered_at_start(make_app, monkeypatch):
    monkeypatch.setattr(EditorScreen, "DRAFT_DELAY", 0.05)
    app = make_app(start="reflections")
    journal = app.journal
    before = existing(journal)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press(*"Never saved")
        editor.query_one("#body", MarkdownArea).insert("Important words.\n", (0, 0))
        await settle(pilot, 0.3)
        [draft] = journal.drafts()
        assert draft["title"] == "Never saved" and draft["path"] is None
        assert draft["body"].startswith("Important words.")
        # the "crash": the process is gone; only the files remain
    assert new_files(journal, before) == []

    second = make_app(start="dashboard", journal=Journal.open(journal.root, today=TODAY))
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        editor = second.screen
        assert isinstance(editor, EditorScreen)
        assert editor.query_one("#title", Input).value == "Never saved"
        assert editor.query_one("#body", MarkdownArea).text.startswith("Important words.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [rel] = new_files(second.journal, before)
        assert read(second.journal, rel).meta["title"] == "Never saved"
        assert not second.journal.drafts()


async def test_a_draft_of_an_existing_entry_can_be_discarded_at_start(make_app):
    app = make_app(start="dashboard")
    rel = app.journal.reflections()[0].path
    original = (app.journal.root / rel).read_bytes()
    app.journal.save_draft("edit-x", {"title": "Changed", "date": "2026-11-24", "kind": "note",
                                      "contacts": [], "follow_up": "", "tags": "", "body": "new", "path": rel})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("d")
        await settle(pilot)
        assert not app.journal.drafts()
        assert not isinstance(app.screen, DraftsScreen)
    assert (app.journal.root / rel).read_bytes() == original


async def test_a_draft_older_than_its_file_never_overwrites_it_silently(make_app):
    """A draft kept while editing an entry; then another program changes the file;
    recovering the draft and saving meets the conflict dialog, and 'reload theirs'
    leaves the other program's version on disk."""
    from netjournal.tui.screens.conflict import ConflictScreen

    app = make_app(start="dashboard")
    rel = app.journal.reflections()[0].path
    entry = app.journal.load_reflection(rel)
    app.journal.save_draft("edit-y", {"title": "My draft title", "date": entry.reflection.date,
                                      "kind": entry.reflection.kind, "contacts": entry.reflection.contacts,
                                      "follow_up": "", "tags": "", "body": "my words", "path": rel,
                                      "base_sha256": entry.stamp.sha256})
    path = app.journal.root / rel
    theirs = path.read_text().replace("\n---\n", "\n---\nAdded elsewhere.\n", 1)
    path.write_text(theirs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("t")  # reload theirs
        await settle(pilot)
    assert path.read_text() == theirs


async def test_an_ask_for_someone_not_ask_ready_warns_and_lets_the_user_choose(make_app):
    app = make_app(start="dashboard")
    before = existing(app.journal)
    assert not app.journal.contact_facts("kofi-mensah").ask_ready
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(contacts=["kofi-mensah"])
        await settle(pilot)
        editor = app.screen
        await pilot.press(*"Asked Kofi for an intro")
        editor.query_one("#kind").focus()
        await pilot.press("a")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one("#question", Static).render())
        assert "reference letter" in question and "barely knows you" in question
        assert "Kofi Mensah: Not ready to ask" in question
        await pilot.press("n")  # not now: nothing written
        await settle(pilot)
        assert new_files(app.journal, before) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # the user's choice: save anyway
        await settle(pilot)
        [rel] = new_files(app.journal, before)
        doc = read(app.journal, rel)
        assert doc.meta["kind"] == "ask" and doc.meta["contacts"] == ["kofi-mensah"]
        assert rel in [e.reflection.path for e in app.journal.early_asks()]


async def test_an_ask_for_an_ask_ready_contact_saves_without_a_warning(make_app):
    app = make_app(start="dashboard")
    before = existing(app.journal)
    assert app.journal.contact_facts("priya-raman").ask_ready
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(contacts=["priya-raman"])
        await settle(pilot)
        await pilot.press(*"Asked Priya")
        app.screen.query_one("#kind").focus()
        await pilot.press("a", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        assert len(new_files(app.journal, before)) == 1


async def test_linked_contacts_complete_names_and_offer_create(make_app):
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press(*"Two people", "tab")
        picker = editor.query_one("#contacts", ContactPicker)
        assert app.focused is picker.input
        await pilot.press(*"gra")
        await settle(pilot)
        options = picker.options
        assert options.display and "Grace Adeyemi" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.press(*"Ingrid Newcomer")
        await settle(pilot)
        last = options.get_option_at_index(options.option_count - 1)
        assert "Create contact" in str(last.prompt)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.journal.has_contact("ingrid-newcomer")
        assert picker.chosen == ["grace-adeyemi", "ingrid-newcomer"]
        await pilot.press("backspace")  # on an empty input: unlinks the last one
        assert picker.chosen == ["grace-adeyemi"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        [rel] = new_files(app.journal, before)
        assert read(app.journal, rel).meta["contacts"] == ["grace-adeyemi"]


async def test_double_bracket_offers_contact_links_in_the_body(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        area = editor.query_one("#body", MarkdownArea)
        area.focus()
        await pilot.press(*"Met [[pri")
        await settle(pilot)
        options = editor.query_one("#link-options", OptionList)
        assert options.display
        await pilot.press("enter")
        await settle(pilot)
        assert "Met [[priya-raman]]" in area.text
        assert not options.display
        await pilot.press(*" and [[zzz")
        await settle(pilot)
        assert not options.display  # nobody matches: nothing offered, typing goes on


async def test_r_from_a_contact_links_it(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(contacts=["nadia-petrova"])
        await settle(pilot)
        assert app.screen.query_one("#contacts", ContactPicker).chosen == ["nadia-petrova"]


async def test_preview_renders_the_body_beside_it(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        pane = editor.query_one("#preview-pane")
        assert not pane.display
        await pilot.press("ctrl+t")
        await settle(pilot, 0.4)
        assert pane.display
        assert "What did I give?" in editor.query_one("#preview").source
        editor.query_one("#body", MarkdownArea).insert("Fresh line\n", (0, 0))
        await settle(pilot, 0.5)
        assert editor.query_one("#preview").source.startswith("Fresh line")


async def test_a_file_changed_on_disk_is_never_overwritten(make_app):
    app = make_app(start="reflections")
    journal = app.journal
    rel = journal.reflections()[0].path
    path = journal.root / rel
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        path.write_text(path.read_text(encoding="utf-8") + "\nTheirs.\n", encoding="utf-8")
        await pilot.press(*"Mine. ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Theirs." in path.read_text(encoding="utf-8")
        assert "Mine." not in path.read_text(encoding="utf-8")
        assert app.screen is not editor  # the conflict dialog
        await pilot.press("m")  # keep mine as a copy beside theirs
        await settle(pilot)
        assert app.screen is editor
        copies = list(path.parent.glob(f"{Path(rel).stem}.conflict-*.md"))
        assert len(copies) == 1 and "Mine." in copies[0].read_text(encoding="utf-8")
        assert "Theirs." in editor.query_one("#body", MarkdownArea).text


async def test_the_editor_says_when_its_file_changes_on_disk(make_app):
    """Edited behind the app's back while open: a notice at once (the app looks at
    the files every few seconds), and the save still asks which version to keep."""
    from netjournal.tui.screens.conflict import ConflictScreen

    app = make_app(start="reflections")
    rel = app.journal.reflections()[0].path
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(path=rel)
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        path = app.journal.root / rel
        theirs = path.read_text() + "\nAdded in another program.\n"
        path.write_text(theirs)
        app.check_files()
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert any("changed this reflection's file" in n.message for n in app._notifications)
        editor.query_one("#title", Input).value = "My new title"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
    assert path.read_text() == theirs


async def test_a_conflict_in_different_places_merges_both(make_app):
    """They added a line at the end of the body; I changed the title and the first
    line: 'b' saves theirs with my changes on top, and the editor goes on from it."""
    from netjournal.tui.screens.conflict import ConflictScreen

    app = make_app(start="reflections")
    rel = max((r.path for r in app.journal.reflections()),
              key=lambda p: len(app.journal.reflection(p).body.splitlines()))
    path = app.journal.root / rel
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(path=rel)
        await settle(pilot)
        editor = app.screen
        path.write_text(path.read_text(encoding="utf-8") + "\nTheirs at the end.\n", encoding="utf-8")
        editor.query_one("#title", Input).value = "My new title"
        editor.query_one("#body", MarkdownArea).insert("Mine at the top.\n", (0, 0))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("b")
        await settle(pilot)
        assert app.screen is editor and not editor.dirty
        text = path.read_text(encoding="utf-8")
        assert 'title: "My new title"\n' in text  # the title's quotes, as the file had them
        assert "---\nMine at the top.\n" in text and text.endswith("\nTheirs at the end.\n")
        assert editor.query_one("#body", MarkdownArea).text.endswith("Theirs at the end.\n")
        assert not list(path.parent.glob("*.conflict-*.md"))
        # the next save starts from the merged version: no conflict
        editor.query_one("#tags", Input).value = "merged"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor and "tags: [merged]" in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- escape from the Contacts field
# Leaving the editor with the cursor in Contacts used to end the app: the picker's
# blur handler ran after a refresh, when the editor and the picker were gone
# (NoMatches '#picker-input').  Every way there, from the issue:


async def test_escape_from_contacts_in_a_new_reflection(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "n", "tab")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#contacts", ContactPicker).input
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen) and app.is_running


async def test_escape_from_contacts_when_writing_from_the_dashboard(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r", "tab")
        await settle(pilot)
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DashboardScreen" and app.is_running


async def test_escape_from_contacts_in_an_existing_reflection(make_app):
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditorScreen) and editor.path
        editor.query_one("#contacts", ContactPicker).input.focus()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen) and app.is_running


async def test_save_from_the_unsaved_dialog_with_the_cursor_in_contacts(make_app):
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Met Kofi", "tab", *"kof", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen) and app.is_running
        [rel] = new_files(app.journal, before)
        assert read(app.journal, rel).meta["contacts"] == ["kofi-mensah"]


async def test_discard_from_the_unsaved_dialog_with_the_cursor_in_contacts(make_app):
    app = make_app(start="reflections")
    before = existing(app.journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", *"Met Kofi", "tab")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ReflectionsScreen) and app.is_running
        assert existing(app.journal) == before


async def test_the_picker_ranks_names_as_the_contacts_filter_does(make_app):
    """One fuzzy ranking for both: "prya" finds Priya Raman here too, and an org."""
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_new(app, pilot)
        await pilot.press("tab", *"prya")
        await settle(pilot)
        picker = editor.query_one("#contacts", ContactPicker)
        assert picker.options.get_option_at_index(0).id == "priya-raman"
        picker.input.value = ""
        await pilot.press(*"northwind")
        await settle(pilot)
        assert picker.options.get_option_at_index(0).id == "priya-raman"


async def test_a_reflection_that_is_not_there_says_so_and_starts_a_new_one(make_app) -> None:
    """A row can name a reflection that is gone (deleted by another program since) or,
    from a tampered kept view, a path outside the journal: nothing outside is read, the
    user is told, and the editor starts a new reflection."""
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for path in ("/etc/hostname", "../outside.md", "reflections/2026/gone.md"):
            app.open_editor(path=path)
            await settle(pilot)
            assert isinstance(app.screen, EditorScreen) and app.screen.sub_title == "New reflection"
            notice = list(app._notifications)[-1]
            assert notice.title == "Could not open" and not notice.markup
            assert notice.message == f"No reflection '{path}'. A new reflection starts instead."
            assert app.screen.query_one("#title", Input).value == ""
            await pilot.press("escape")
            await settle(pilot)
