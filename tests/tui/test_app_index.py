"""The app writes files at once and the index behind them: it reaches the disk
shortly after a save (off the UI thread) and when the app closes."""

from __future__ import annotations

import json
from pathlib import Path

from netjournal.journal import Journal
from netjournal.tui.app import NetJournalApp
from tests.conftest import TODAY


def record_for(root: Path, rel: str) -> dict:
    data = json.loads((root / ".netjournal" / "index.json").read_bytes())
    return next(r for r in data["files"].values() if r["path"] == rel)


async def test_index_is_flushed_after_a_save_and_on_exit(tmp_path: Path) -> None:
    root = tmp_path / "j"
    Journal.init(root, sample=True, today=TODAY).close()
    journal = Journal.open(root, today=TODAY, write_behind=True)
    app = NetJournalApp(journal, remember_theme=False)
    async with app.run_test(size=(100, 32)) as pilot:
        journal.set_step("kofi-mensah", "trust")
        assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["trust"][0] is None
        app.flush_index()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["trust"][0] == TODAY.isoformat()
        journal.set_step("kofi-mensah", "deepen")
    # closing the app flushed the second save
    assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["deepen"][0] == TODAY.isoformat()
    assert Journal.open(root, today=TODAY).last_sync.touched == 0


async def test_a_reflection_written_by_another_program_appears(tmp_path: Path) -> None:
    """Done-means of issue 4: a file written in another program shows up in the
    running app (the app looks at the files every few seconds and on focus)."""
    from netjournal.tui.widgets.virtual_table import VirtualTable

    root = tmp_path / "j"
    Journal.init(root, sample=True, today=TODAY).close()
    journal = Journal.open(root, today=TODAY, write_behind=True)
    app = NetJournalApp(journal, start="reflections", remember_theme=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        (root / "reflections" / "2026" / "2026-11-25-written-elsewhere.md").write_text(
            "---\ntitle: Written in another editor\ndate: 2026-11-25\n"
            "contacts: [kofi-mensah]\nkind: give\n---\nSent the workbook draft.\n")
        app.check_files()
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        table = app.screen.query_one(VirtualTable)
        titles = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert "Written in another editor" in titles
        assert journal.contact_facts("kofi-mensah").last_touch == TODAY.isoformat()


async def test_a_slow_index_write_spaces_out_the_next_ones(tmp_path: Path, monkeypatch) -> None:
    """At 100,000 entries a flush takes ~2 s of the GIL: the app then waits 50 times
    that before the next one, and the save itself is never held up."""
    import time as time_module

    root = tmp_path / "j"
    Journal.init(root, sample=True, today=TODAY).close()
    journal = Journal.open(root, today=TODAY, write_behind=True)
    app = NetJournalApp(journal, remember_theme=False)
    async with app.run_test(size=(100, 32)) as pilot:
        real_flush = journal.flush

        def slow_flush() -> None:
            real_flush()
            time_module.sleep(0.05)

        monkeypatch.setattr(journal, "flush", slow_flush)
        journal.set_step("kofi-mensah", "trust")
        app.flush_index()
        await app.workers.wait_for_complete()
        assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["trust"][0] == TODAY.isoformat()
        assert app._next_flush - time_module.monotonic() > 2.0  # 50 × at least 0.05 s, minus the time since
        journal.set_step("kofi-mensah", "deepen")  # saved to its file at once ...
        app.flush_index()  # ... and the index waits its turn
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["deepen"][0] is None
        assert "deepen: " in (root / "contacts/kofi-mensah.md").read_text()
    # closing the app flushed it
    assert record_for(root, "contacts/kofi-mensah.md")["data"]["steps"]["deepen"][0] == TODAY.isoformat()


async def test_a_print_while_the_app_runs_is_not_a_crash(tmp_path: Path) -> None:
    """Textual captures what is printed while the app runs and flushes it through
    ``App._flush(stderr=...)``: the app's own index flush once had that name, and a
    ``print(..., flush=True)`` (or asyncio logging an error) raised TypeError."""
    import sys

    app = NetJournalApp(Journal.init(tmp_path / "j", sample=True, today=TODAY), remember_theme=False)
    async with app.run_test(size=(100, 32)) as pilot:
        print("a line from a library", flush=True)
        print("and one to stderr", file=sys.stderr, flush=True)
        await pilot.pause()
        assert app.is_running


def cli(root: Path, *args: str) -> str:
    """Run ``netjournal`` as a separate process, as from another terminal."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(root), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def wait_until(pilot, condition, seconds: float = 10.0) -> bool:
    """Let the app run (its file check every 0.2 s) until ``condition()`` holds."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_what_the_command_line_changes_reaches_the_running_app(tmp_path: Path) -> None:
    """The command line indexes what it writes, so the app's look at the files finds
    nothing to re-read: the app compares with what it has shown, not with the index.
    The contacts table, the contact screen and the checklist all agree, without a restart."""
    from netjournal.tui.screens.checklist import ChecklistScreen
    from netjournal.tui.screens.contact import ContactScreen
    from netjournal.tui.screens.contacts import ContactsScreen, ContactsTable

    root = tmp_path / "j"
    Journal.init(root, sample=True, today=TODAY).close()
    journal = Journal.open(root, today=TODAY, write_behind=True)
    app = NetJournalApp(journal, start="checklist", remember_theme=False)
    app.FILE_CHECK_SECONDS = 0.2
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        checklist = app.screen
        assert isinstance(checklist, ChecklistScreen)
        await pilot.press("2")
        await pilot.pause()
        contacts = app.screen
        assert isinstance(contacts, ContactsScreen)
        app.open_contact("jonas-lindqvist")
        await pilot.pause()
        contact = app.screen
        assert isinstance(contact, ContactScreen) and contact.sub_title == "2/6 steps"

        def progress_in_checklist() -> str:
            grid = checklist.query_one("#checklist-grid")
            return str(grid.get_row("jonas-lindqvist")[-1])

        def steps_in_table(slug: str) -> str:
            table = contacts.query_one(ContactsTable)
            return str(table.get_row(slug)[2]) if slug in table.row_keys else ""

        assert progress_in_checklist() == "2/6" and steps_in_table("jonas-lindqvist") == "●●○○○○"

        cli(root, "step", "jonas-lindqvist", "connect")
        assert await wait_until(pilot, lambda: contact.sub_title == "3/6 steps")
        assert progress_in_checklist() == "3/6"
        assert steps_in_table("jonas-lindqvist") == "●●●○○○"

        cli(root, "add", "contact", "Zelda Quistgaard", "--org", "Acme", "--why", "Runs the guild")
        assert await wait_until(pilot, lambda: steps_in_table("zelda-quistgaard") == "●○○○○○")

        elsewhere = Journal.open(root, today=TODAY)  # another process deletes ...
        trashed = elsewhere.delete_contact("kofi-mensah")
        elsewhere.close()
        assert await wait_until(pilot, lambda: steps_in_table("kofi-mensah") == "")
        cli(root, "restore", str(trashed))  # ... and the command line restores
        assert await wait_until(pilot, lambda: steps_in_table("kofi-mensah") == "●●●○○○")
        assert "kofi-mensah" in [key.value for key in checklist.query_one("#checklist-grid").rows]
