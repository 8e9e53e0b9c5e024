"""Every area says something useful on an empty journal: never an empty grey screen."""

from __future__ import annotations

from textual.widgets import Static

SIZE = (100, 32)


async def test_empty_journal_guides_in_every_area(make_app, empty_journal) -> None:
    app = make_app(journal=empty_journal)
    async with app.run_test(size=SIZE) as pilot:
        for key, word in (("1", "contact"), ("2", "contact"), ("3", "reflection"), ("4", "contact")):
            await pilot.press(key)
            await pilot.pause()
            shown = [str(w.content) for w in app.screen.query(Static)
                     if w.display and w.region.area and len(str(w.content)) > 40]
            assert any(word in text.lower() and "press n" in text.lower() for text in shown), (key, shown)
