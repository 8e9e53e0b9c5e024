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
