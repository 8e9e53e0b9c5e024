"""Snapshots of the reflections area and the editor (sample journal, fixed TODAY)."""

from __future__ import annotations

from tests.tui.conftest import settle

SIZE = (100, 32)


class TestReflectionsArea:
    def test_table_and_preview(self, make_app, snap_compare):
        assert snap_compare(make_app(start="reflections"), run_before=settle, terminal_size=SIZE)

    def test_filtered_by_kind(self, make_app, snap_compare):
        async def run_before(pilot) -> None:
            await pilot.press("k", "k")
            await settle(pilot)

        assert snap_compare(make_app(start="reflections"), run_before=run_before, terminal_size=SIZE)


class TestEditor:
    def test_new_reflection_with_the_template(self, make_app, snap_compare):
        async def run_before(pilot) -> None:
            await pilot.press("n")
            await settle(pilot)

        assert snap_compare(make_app(start="reflections"), run_before=run_before, terminal_size=SIZE)

    def test_with_the_preview_on(self, make_app, snap_compare):
        async def run_before(pilot) -> None:
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("ctrl+t")
            await settle(pilot, 0.5)  # the preview lays out its Markdown

        assert snap_compare(make_app(start="reflections"), run_before=run_before, terminal_size=SIZE)
