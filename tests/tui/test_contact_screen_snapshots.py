"""What the contact screen and its dialogs look like at 100×32, as of TODAY."""

from __future__ import annotations

from pathlib import Path

SIZE = (100, 32)


def opening(slug: str, *, outside_change: bool = False):
    """A run_before that opens a contact (and, if asked, changes its file behind the app's back)."""

    async def run_before(pilot) -> None:
        pilot.app.open_contact(slug)
        await pilot.pause()
        if outside_change:
            path = Path(pilot.app.journal.root) / "contacts" / f"{slug}.md"
            path.write_text(path.read_text().replace("cadence: 30", "cadence: 21"))

    return run_before


class TestContactScreen:
    def test_all_steps_done(self, snap_compare, make_app):
        assert snap_compare(make_app(start="contacts"), terminal_size=SIZE,
                            run_before=opening("priya-raman"))

    def test_half_way_overdue_next_step_highlighted(self, snap_compare, make_app):
        assert snap_compare(make_app(start="contacts"), terminal_size=SIZE,
                            run_before=opening("kofi-mensah"))


class TestDialogs:
    def test_step_note(self, snap_compare, make_app):
        assert snap_compare(make_app(start="contacts"), terminal_size=SIZE, press=["up", "enter"],
                            run_before=opening("kofi-mensah"))

    def test_conflict(self, snap_compare, make_app):
        assert snap_compare(make_app(start="contacts"), terminal_size=SIZE, press=["space"],
                            run_before=opening("kofi-mensah", outside_change=True))
