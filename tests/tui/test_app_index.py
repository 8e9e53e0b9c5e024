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
