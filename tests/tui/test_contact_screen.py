"""The contact screen: every key, the files it writes, conflicts, hostile text."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Markdown

from netjournal.journal import Journal
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.conflict import ConflictScreen
from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.contacts import ContactsScreen
from netjournal.tui.screens.reflection_view import ReflectionViewScreen
from netjournal.tui.screens.step_note import StepNoteScreen
from netjournal.tui.widgets.section_list import SectionList
from netjournal.tui.widgets.step_checklist import StepChecklist
from netjournal.tui.widgets.timeline_table import TimelineTable
from tests.conftest import TODAY
from tests.tui.conftest import screen_text, settle

SIZE = (100, 32)
KOFI = "contacts/kofi-mensah.md"


def files(root: Path) -> dict[str, bytes]:
    """Every file of the journal (not the app's own state) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".netjournal" not in p.relative_to(root).parts
    }


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def steps_of(journal: Journal, slug: str) -> dict:
    return journal.load_contact(slug).doc.meta["steps"]


async def open_contact(app, pilot, slug: str = "kofi-mensah") -> StepChecklist:
    app.open_contact(slug)
    await pilot.pause()
    assert isinstance(app.screen, ContactScreen)
    return app.screen.query_one(StepChecklist)


async def test_shows_steps_ledger_timeline_notes(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        text = screen_text(app)
        for seen in ("Kofi Mensah", "Executive coach, Lumen Leadership Institute", "#coaching",
                     "Chose them for a reason", "Why do I want this relationship?", "2026-08-25",
                     "Sent a workbook page and asked for nothing", "Earned their trust  next · not yet",
                     "Help them build themselves up", "Went deeper  not yet", "Steps 3/6",
                     "Gave 1", "Asked 0", "Received 0", "Not ready to ask: earn trust and go",
                     "Last touch 2026-10-02", "every 30 days", "Overdue by 24 days",
                     "Timeline (2)", "2026-10-02", "meeting", "Heard him on a panel"):
            assert seen in text, seen


async def test_early_asks_are_flagged(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, "elena-marsh")
        text = screen_text(app)
        assert "⚠ 1 early ask, before trust and deepen" in text
        assert "2026-05-27 Asked Dr. Marsh for a" in text
        assert "2026-05-27  ⚠ ask" in text  # and in the timeline


async def test_down_and_up_move_between_steps(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_contact(app, pilot)
        assert app.focused is checklist
        assert checklist.current_key == "trust"  # the cursor starts on the next step
        await pilot.press("down")
        assert checklist.current_key == "deepen"
        await pilot.press("up", "up")
        assert checklist.current_key == "connect"


async def test_space_on_next_step_marks_it_done_today_and_writes_only_that_file(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        before = files(root)
        await pilot.press("space")
        await pilot.pause()
        assert changed(before, files(root)) == {KOFI}
        assert steps_of(app.journal, "kofi-mensah")["trust"] == TODAY.isoformat()
        assert f"  trust: {TODAY.isoformat()}\n" in (root / KOFI).read_text()
        text = screen_text(app)
        assert f"Earned their trust  {TODAY.isoformat()}" in text
        assert "Went deeper  next · not yet" in text
        assert "Steps 4/6" in text
        assert "earn trust and go deeper first" not in text  # readiness follows the step
    # nothing else in the file moved: the other steps, the body, unknown keys
    after = (root / KOFI).read_text()
    assert "connect: {date: 2026-09-10, note: Sent a workbook page and asked for nothing}" in after
    assert after.endswith("Fix that\nbefore anything else.\n")


async def test_space_on_a_done_step_asks_and_y_unmarks(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("up")  # Connected authentically, done 2026-09-10, with a note
        before = files(root)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.question == ("Mark 'Connected authentically' not done? "
                                       "Its date (2026-09-10) will be cleared.")
        assert "Mark 'Connected authentically' not done? Its date (2026-09-10)" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert changed(before, files(root)) == {KOFI}
        step = steps_of(app.journal, "kofi-mensah")["connect"]
        assert step["date"] is None and step["note"] == "Sent a workbook page and asked for nothing"
        assert "Connected authentically  next · not yet" in screen_text(app)


async def test_space_on_a_done_step_and_n_keeps_it(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("up")
        before = files(root)
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert files(root) == before
        assert "Connected authentically  2026-09-10" in screen_text(app)


async def test_enter_edits_the_note_and_it_lands_in_the_file(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("up")  # connect, which has a note
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StepNoteScreen)
        field = app.screen.query_one(Input)
        assert field.value == "Sent a workbook page and asked for nothing"
        field.value = ""
        before = files(root)
        await pilot.press(*"Page two")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert changed(before, files(root)) == {KOFI}
        assert steps_of(app.journal, "kofi-mensah")["connect"] == {
            "date": "2026-09-10", "note": "Page two"}
        assert "“Page two”" in screen_text(app)


async def test_note_on_a_step_not_yet_done_keeps_it_not_done(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)  # cursor on trust, not done
        await pilot.press("enter")
        await pilot.press(*"Draft two")
        await pilot.press("enter")
        await pilot.pause()
        assert steps_of(app.journal, "kofi-mensah")["trust"] == {"date": None, "note": "Draft two"}
        assert "Earned their trust  next · not yet" in screen_text(app)


async def test_escape_in_the_note_dialog_writes_nothing(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        before = files(root)
        await pilot.press("enter", *"nope", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert files(root) == before


async def test_enter_on_a_timeline_row_shows_the_reflection(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, "priya-raman")
        await pilot.press("tab")
        assert isinstance(app.focused, TimelineTable)
        await pilot.press("down", "enter")  # the second newest: her reference went in
        await pilot.pause()
        assert isinstance(app.screen, ReflectionViewScreen)
        text = screen_text(app)
        assert "Priya's reference went in" in text
        assert "2026-11-03 · receive · with priya-raman" in text
        body = app.screen.query_one(Markdown).source
        assert body.strip() and body == app.journal.reflection(app.screen.path).body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)


async def test_tab_moves_between_checklist_timeline_and_notes(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_contact(app, pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, TimelineTable)
        await pilot.press("tab")
        assert app.focused.id == "contact-notes"
        await pilot.press("tab")
        assert app.focused is checklist


async def test_escape_goes_back(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ContactScreen)
        assert app.current_mode == "contacts"


async def test_e_opens_the_contact_form_for_this_contact(make_app):
    from netjournal.tui.screens.contact_form import ContactFormScreen

    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormScreen)
        assert app.screen.slug == "kofi-mensah"


async def test_help_lists_the_screen_keys(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for described in ("Done / undo", "Step note", "Back", "Edit contact", "Next pane"):
            assert described in text, described


async def test_refreshes_when_the_journal_changes(make_app):
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        app.journal.set_step("kofi-mensah", "trust")  # as another screen would
        app.journal_changed(KOFI)
        await pilot.pause()
        assert "Steps 4/6" in screen_text(app)


async def test_a_contact_deleted_elsewhere_is_said_plainly_and_not_written(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        app.journal.delete_contact("kofi-mensah")
        app.journal_changed(KOFI)
        await pilot.pause()
        assert "There is no contact 'kofi-mensah' any more" in screen_text(app)
        before = files(root)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert files(root) == before


# ---------------------------------------------------------------- conflicts

def other_program_writes(root: Path) -> bytes:
    path = root / KOFI
    text = path.read_text().replace("role: Executive coach", "role: Executive coach and author")
    path.write_text(text)
    return path.read_bytes()


async def press_space_after_outside_change(app, pilot) -> bytes:
    await open_contact(app, pilot)
    theirs = other_program_writes(app.journal.root)
    await pilot.press("space")
    await pilot.pause()
    assert isinstance(app.screen, ConflictScreen)
    assert "This contact's file changed on disk since you opened it" in screen_text(app)
    return theirs


async def test_conflict_reload_theirs_leaves_their_file_untouched(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        theirs = await press_space_after_outside_change(app, pilot)
        before = files(root)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert files(root) == before
        assert (root / KOFI).read_bytes() == theirs
        text = screen_text(app)
        assert "Executive coach and author" in text  # the screen shows theirs
        assert "Earned their trust  next · not yet" in text
        # the fresh entry is used from now on: the next space saves without a conflict
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        saved = (root / KOFI).read_text()
        assert "Executive coach and author" in saved and "trust: 2026-11-25" in saved


async def test_conflict_keep_mine_writes_a_copy_and_leaves_theirs(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        theirs = await press_space_after_outside_change(app, pilot)
        before = files(root)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert (root / KOFI).read_bytes() == theirs
        new = changed(before, files(root))
        assert len(new) == 1
        copy = new.pop()
        assert copy.startswith("contacts/kofi-mensah.conflict-") and copy.endswith(".md")
        mine = (root / copy).read_text()
        assert "trust: 2026-11-25" in mine and "role: Executive coach\n" in mine
        assert "Executive coach and author" in screen_text(app)


async def test_conflict_merge_keeps_their_change_and_mine(make_app):
    """They changed the role, I marked a step: different keys, so 'b' merges both into
    their file, changing only my step's line."""
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        theirs = await press_space_after_outside_change(app, pilot)
        assert "Merge (b)" in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        merged = (root / KOFI).read_text()
        assert merged.splitlines() != theirs.decode().splitlines()
        gone = [line for line in theirs.decode().splitlines() if line not in merged.splitlines()]
        assert gone == ["  trust: null"] and "  trust: 2026-11-25" in merged
        assert "Executive coach and author" in merged
        assert not list(root.glob("contacts/kofi-mensah.conflict-*.md"))
        assert "Earned their trust" in screen_text(app) and "4/6" in screen_text(app)


async def test_conflict_on_the_same_step_offers_no_merge(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot)
        path = root / KOFI
        path.write_text(path.read_text().replace("  trust: null", "  trust: 2026-11-01"))
        theirs = path.read_bytes()
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert "Merge" not in screen_text(app)
        await pilot.press("b")  # not offered: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen) and path.read_bytes() == theirs


async def test_conflict_escape_writes_nothing(make_app):
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        await press_space_after_outside_change(app, pilot)
        before = files(root)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert files(root) == before


# ---------------------------------------------------------------- hostile text

HOSTILE_NAME = "[bold]Eve[/] [@click=app.quit]x[/] \x1b]0;pwned\x07"
HOSTILE_WHY = "[link=https://evil.example]click[/link] \x1b]52;c;aGk=\x07 [red]why"
HOSTILE_NOTE = "[/] [b]note \x1b[31m red"


async def test_hostile_text_is_shown_literally(make_app, tmp_path):
    journal = Journal.init(tmp_path / "hostile", today=TODAY)
    contact = journal.add_contact(HOSTILE_NAME, org="[i]Org[/i]", why=HOSTILE_WHY, tags=["[dim]t"],
                                  body="# Notes\n\n[bold]not markup[/] \x1b]0;x\x07 and [[nobody]]\n")
    journal.set_step_note(contact.slug, "why", HOSTILE_NOTE)
    journal.add_reflection("[blink]Title[/] \x1b[2J", contacts=[contact.slug], kind="give",
                           body="Body with [bold]brackets[/] \x1b]0;t\x07")
    app = make_app(start="contacts", journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_contact(app, pilot, contact.slug)
        text = screen_text(app)
        assert "[bold]Eve[/] [@click=app.quit]x[/] ␛]0;pwned␇" in text
        assert "[link=https://evil.example]click[/link] ␛]52;c;aGk=␇ [red]why" in text
        assert "[/] [b]note ␛[31m red" in text
        assert "[i]Org[/i]" in text and "#[dim]t" in text
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionViewScreen)
        text = screen_text(app)
        assert "[blink]Title[/] ␛[2J" in text
        assert "\x1b" not in text
        await pilot.press("escape")
        await pilot.pause()
        # the note dialog shows it literally too, and saving it unchanged writes nothing
        await pilot.press("shift+tab", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StepNoteScreen)
        assert app.screen.query_one(Input).value == "[/] [b]note ␛[31m red"
        before = files(journal.root)
        await pilot.press("enter")
        await pilot.pause()
        assert files(journal.root) == before


# ---------------------------------------------------------------- the "done means"

async def test_from_contacts_filter_open_and_mark_the_next_step(make_app):
    """Contacts → / → part of a name → enter → the contact's steps, the cursor on the
    next step → space: that step is done today, and exactly one file changed."""
    app = make_app(start="contacts")
    root = app.journal.root
    async with app.run_test(size=SIZE) as pilot:
        before = files(root)
        if hasattr(ContactsScreen, "action_focus_filter"):
            await pilot.press("slash", *"mens", "enter")
        else:  # the filter is the contacts area's (engineer A's); until it lands, open directly
            app.open_contact("kofi-mensah")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.slug == "kofi-mensah"
        checklist = app.screen.query_one(StepChecklist)
        assert checklist.current_key == "trust"
        assert "→ Help them build themselves up" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert changed(before, files(root)) == {KOFI}
        assert f"  trust: {TODAY.isoformat()}\n" in (root / KOFI).read_text()


async def test_marking_each_of_tomas_herreras_steps_in_the_app_changes_one_line(make_app):
    # issue 9: each step marked rewrites that step's line and nothing else
    app = make_app(start="contacts")
    path = app.journal.root / "contacts" / "tomas-herrera.md"
    async with app.run_test(size=SIZE) as pilot:
        checklist = await open_contact(app, pilot, "tomas-herrera")
        keys = ["why", "offer", "connect", "trust", "deepen", "known"]
        for key in keys:
            while checklist.current_key != key:
                await pilot.press("down" if keys.index(checklist.current_key) < keys.index(key) else "up")
            before = path.read_text(encoding="utf-8").splitlines(keepends=True)
            await pilot.press("space")
            await pilot.pause()
            after = path.read_text(encoding="utf-8").splitlines(keepends=True)
            assert len(after) == len(before)
            assert [(a, b) for a, b in zip(before, after) if a != b] == [
                (f"  {key}: null\n", f"  {key}: {TODAY.isoformat()}\n")]


async def test_the_offer_step_done_without_words_is_not_also_flagged_missing(make_app):
    """One fact decides: a step marked done is not "missing" too (✓ beside ⚠ before);
    the header says the step is done and its words are not written down."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any(row.startswith("Aisha Bello  no offer") for row in missing_rows(app))
        steps = await open_contact(app, pilot, "aisha-bello")
        assert steps.current_key == "offer"  # the next step: the offer, not written yet
        assert "⚠ No offer yet" in screen_text(app)
        await pilot.press("space")
        await settle(pilot)
        shown = screen_text(app)
        assert f"Step done on {TODAY.isoformat()}, not written down. (e edits)" in shown
        assert "⚠" not in shown.split("Steps")[0]  # nothing flagged in the header
        await pilot.press("escape", "1")
        await settle(pilot)
        missing = missing_rows(app)
        assert not any("Aisha Bello" in row for row in missing) and any("Tomás Herrera" in row for row in missing)


def missing_rows(app) -> list[str]:
    """The dashboard's "Without a why or an offer" rows."""
    return app.screen.query_one("#missing", SectionList).texts
