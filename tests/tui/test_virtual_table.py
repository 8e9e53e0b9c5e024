"""The table behind the contacts and reflections lists: only the rows on screen are drawn,
and it moves, selects and shows text the way a DataTable does."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from netjournal.tui.widgets.virtual_table import Column, VirtualTable

SIZE = (60, 11)  # the table shows a header and ten rows


class TableApp(App):
    def __init__(self, rows: list[str]) -> None:
        super().__init__()
        self.rows = rows
        self.drawn: list[str] = []
        self.highlighted: list[str] = []
        self.selected: list[str] = []

    def cells(self, row: str) -> tuple[str, Text]:
        self.drawn.append(row)
        return row, Text(f"about {row}")

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.cells)

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_columns([Column("name", "Name", 24), Column("about", "About", 30)])
        table.set_rows(self.rows)
        table.focus()

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_key)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.selected.append(event.row_key)


def lines(table: VirtualTable) -> list[str]:
    return ["".join(segment.text for segment in table.render_line(y))
            for y in range(table.scrollable_content_region.height)]


ROWS = [f"row-{i:05d}" for i in range(10_000)]


async def test_only_the_rows_on_screen_are_drawn() -> None:
    app = TableApp(ROWS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.row_count == 10_000
        assert set(app.drawn) == {f"row-{i:05d}" for i in range(10)}
        assert lines(table)[0].split() == ["Name", "About"]
        assert lines(table)[1].split() == ["row-00000", "about", "row-00000"]


async def test_keys_move_the_cursor_and_the_view_follows() -> None:
    app = TableApp(ROWS)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down")
        assert table.cursor_key == "row-00002"
        await pilot.press("pagedown")
        assert table.cursor_row == 12  # a page is the ten rows under the header
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_key == "row-09999"
        assert "row-09999" in lines(table)[-1]
        await pilot.press("pageup", "up")
        assert table.cursor_row == 9_988
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and "row-00000" in lines(table)[1]
        await pilot.press("up")  # stays on the first row
        assert table.cursor_row == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["row-00000"]


async def test_new_rows_keep_the_cursor_where_asked_and_say_when_it_moved() -> None:
    app = TableApp(ROWS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert app.highlighted == ["row-00000"]
        table.set_rows(ROWS[::7], cursor=ROWS[::7].index("row-05005"))
        await pilot.pause()
        assert table.cursor_key == "row-05005" and "row-05005" in "".join(lines(table))
        table.set_rows(ROWS[::5], cursor=ROWS[::5].index("row-05005"))  # the same row: no message
        await pilot.pause()
        assert app.highlighted == ["row-00000", "row-05005"]
        table.set_rows([])
        await pilot.pause()
        assert table.cursor_key is None and table.row_count == 0
        assert lines(table)[0].split() == ["Name", "About"] and not "".join(lines(table)[1:]).strip()
        table.set_rows(ROWS[:3], cursor=10)  # clamped to the last row
        assert table.cursor_key == "row-00002"


async def test_a_click_moves_the_cursor_and_a_second_click_selects() -> None:
    app = TableApp(ROWS)
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(3, 4))  # the header is line 0
        await pilot.pause()
        assert table.cursor_key == "row-00003" and app.selected == []
        await pilot.click(VirtualTable, offset=(30, 4))
        await pilot.pause()
        assert app.selected == ["row-00003"]
        await pilot.click(VirtualTable, offset=(3, 0))  # the header: nothing happens
        await pilot.pause()
        assert table.cursor_key == "row-00003" and app.selected == ["row-00003"]


async def test_cells_are_shown_literally() -> None:
    hostile = ["[bold]x[/]", "[@click=app.quit]boom[/]"]
    app = TableApp(hostile)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = "".join(lines(app.query_one(VirtualTable)))
        assert "[bold]x[/]" in shown and "about [@click=app.quit]boom[/]" in shown
        await pilot.click(VirtualTable, offset=(3, 2))
        await pilot.click(VirtualTable, offset=(3, 2))
        await pilot.pause()
        assert app.is_running


async def test_a_new_theme_redraws_the_rows() -> None:
    app = TableApp(ROWS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        before = table.render_line(1)
        app.theme = "textual-light"
        await pilot.pause()
        after = table.render_line(1)
        assert before.text == after.text and list(before) != list(after)


def test_the_quick_text_path_draws_what_rich_draws() -> None:
    from rich.console import Console
    from rich.style import Style
    from textual.strip import Strip

    from netjournal.tui.widgets.virtual_table import rich_cell, text_cell

    console = Console(width=100, color_system="truecolor")
    cells = [
        Text("Priya Raman"), Text(""), Text("x", style="bold red"),
        Text("Harbourline Business School", overflow="ellipsis", no_wrap=True),
        Text.assemble(("●●", "green"), ("○○○○", "dim")), Text("日本語のタイトル、とても長い"),
        Text("[bold]x[/] ␛]0;pwned␇", style="italic"),
    ]
    pre = Style(color="#eeeeee", bgcolor="#222222") + Style.from_meta({"column": 1})
    for post in (Style(), Style(color="#ffffff")):
        for cell in cells:
            for width in (1, 5, 12, 40):
                quick = Strip(text_cell(console, cell, width, 1, pre, post)).simplify()
                full = Strip(rich_cell(console, console.options, cell, width, 1, pre, post)).simplify()
                assert list(quick) == list(full), (cell, width)
