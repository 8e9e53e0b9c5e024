"""A dashboard section draws its own lines: the title, the rows beside a bar (wrapped,
scrolled within ten lines), or what to say when there are none. It moves, opens and
scrolls as the OptionList it replaced did."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from netjournal.tui.messages import ContactChosen, ReflectionChosen
from netjournal.tui.widgets.section_list import SectionList, contact_row, reflection_row

SIZE = (50, 30)


def two_line_rows(count: int) -> list[tuple[str, Text]]:
    return [(contact_row(f"person-{i}"), Text(f"Person {i}  {i} days overdue\n  give: notes {i}"))
            for i in range(count)]


class SectionApp(App):
    def __init__(self, rows: list[tuple[str, Text]], total: int | None = None, width: int = 40) -> None:
        super().__init__()
        self.rows = rows
        self.total = total
        self.width = width
        self.chosen: list[str] = []
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="column", can_focus=False):
            yield SectionList("Due to touch", "Nobody is due. Your well is dug.", id="due")
            yield SectionList("Follow-ups", "No follow-ups due: a good week to give first.", id="follow-ups")

    def on_mount(self) -> None:
        self.query_one("#column").styles.width = self.width
        self.query_one("#due", SectionList).show(self.rows, self.total)
        self.query_one("#follow-ups", SectionList).show([])
        if self.rows:
            self.query_one("#due", SectionList).focus()

    def on_contact_chosen(self, message: ContactChosen) -> None:
        self.chosen.append(message.slug)

    def on_reflection_chosen(self, message: ReflectionChosen) -> None:
        self.chosen.append(message.path)

    def on_section_list_highlighted(self, message: SectionList.Highlighted) -> None:
        self.highlighted.append(message.index)


async def test_title_rows_bar_and_the_count_of_the_rest() -> None:
    rows = [(contact_row("ada"), Text("Ada Ng  3 days overdue")), (contact_row("bo"), Text("Bo Li  due today"))]
    app = SectionApp(rows, total=5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        assert due.drawn() == ["Due to touch (5)", "▊Ada Ng  3 days overdue", "▊Bo Li  due today", "▊… and 3 more"]
        assert due.texts == ["Ada Ng  3 days overdue", "Bo Li  due today", "… and 3 more"]
        # the empty section says so, on a line of its own, and takes no focus
        follow_ups = app.query_one("#follow-ups", SectionList)
        assert follow_ups.drawn() == ["Follow-ups (0)", " No follow-ups due: a good week to give", " first."]
        assert not follow_ups.can_focus
        await pilot.press("tab")
        assert app.focused is due
        # "… and 3 more" is not a row: end stops on the last one
        await pilot.press("end", "down")
        assert due.highlighted == 1 and due.selected_row() == ("contact", "bo")


async def test_enter_and_a_click_open_the_row() -> None:
    rows = [(contact_row("ada"), Text("Ada Ng")), (reflection_row("reflections/2026/x.md"), Text("A reflection"))]
    app = SectionApp(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert app.chosen == ["ada"]
        due = app.query_one("#due", SectionList)
        await pilot.click(due, offset=(3, 2))  # the second row: highlighted first
        await pilot.pause()
        assert due.highlighted == 1 and app.chosen == ["ada"]
        await pilot.click(due, offset=(3, 2))  # then opened
        await pilot.pause()
        assert app.chosen == ["ada", "reflections/2026/x.md"]
        await pilot.click(due, offset=(3, 0))  # the title opens nothing
        await pilot.pause()
        assert app.chosen == ["ada", "reflections/2026/x.md"]


async def test_the_rows_scroll_within_ten_lines_under_a_title_that_stays() -> None:
    app = SectionApp(two_line_rows(20))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        assert due.size.height == 11  # the title and ten lines of rows
        drawn = due.drawn()
        assert drawn[1].startswith("▊Person 0") and drawn[10].startswith("▊  give: notes 4")
        await pilot.press(*["down"] * 7)
        drawn = due.drawn()
        assert drawn[0] == "Due to touch (20)"
        assert due.highlighted == 7 and any(line.startswith("▊Person 7") for line in drawn)
        assert not any(line.startswith("▊Person 0") for line in drawn)
        await pilot.press("end")
        assert due.drawn()[-1].startswith("▊  give: notes 19")
        await pilot.press("home")
        assert due.drawn()[1].startswith("▊Person 0")
        await pilot.press("pagedown")
        assert due.highlighted == 5
        assert app.highlighted[-3:] == [19, 0, 5]


async def test_a_scrollbar_takes_its_columns_only_when_the_rows_scroll() -> None:
    app = SectionApp(two_line_rows(20), width=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        strip = due.render_line(1)
        width = due.size.width
        assert strip.cell_length == width
        bar_width = due.styles.scrollbar_size_vertical
        assert strip.text[-bar_width:] == " " * bar_width
        assert due._layout(width).text_width == width - 1 - bar_width
        due.show(two_line_rows(2))
        await pilot.pause()
        assert due._layout(due.size.width).text_width == due.size.width - 1
        assert due.size.height == 5


async def test_long_rows_wrap_beside_the_bar() -> None:
    long = Text("Daniel Kowalczyk  48 days overdue\n  give: Notes on his onboarding redesign; a learner's eye")
    app = SectionApp([(contact_row("daniel"), long)], width=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        drawn = app.query_one("#due", SectionList).drawn()
        assert drawn[0] == "Due to touch (1)"
        assert all(line.startswith("▊") for line in drawn[1:])
        assert " ".join(line[1:] for line in drawn[1:]).split() == long.plain.split()
        assert all(len(line) <= 30 for line in drawn)


async def test_the_wheel_scrolls_the_rows_then_the_column() -> None:
    app = SectionApp(two_line_rows(20), width=40)
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        column = app.query_one("#column")
        for _ in range(16):  # 30 lines to scroll, two a tick: then one more tick
            await pilot._post_mouse_events([events.MouseScrollDown], due, offset=(5, 8))
        await pilot.pause()
        assert due.drawn()[-1].startswith("▊  give: notes 19")  # the rows at their end
        assert column.scroll_y > 0  # then the column scrolled


async def test_a_refill_keeps_the_highlight_where_it_fits() -> None:
    app = SectionApp(two_line_rows(6))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        await pilot.press("down", "down", "down")
        due.show(two_line_rows(6))
        assert due.highlighted == 3
        due.show(two_line_rows(2))
        assert due.highlighted == 1
        due.show([])
        await pilot.pause()
        assert due.highlighted is None and not due.can_focus and app.focused is not due
        assert due.drawn() == ["Due to touch (0)", " Nobody is due. Your well is dug."]


async def test_markup_in_a_row_is_drawn_as_typed() -> None:
    app = SectionApp([(contact_row("x"), Text("[bold red]Mallory[/]  [link=http://x]y[/link]"))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        drawn = app.query_one("#due", SectionList).drawn()
        assert drawn == ["Due to touch (1)", "▊[bold red]Mallory[/]", "▊[link=http://x]y[/link]"]


async def test_a_tab_in_a_row_is_drawn_as_spaces_never_sent_to_the_terminal() -> None:
    """A kept view may hold a tab (``kept.text_from`` lets tabs and line breaks by): a
    tab on the terminal moves its cursor to the next tab stop and leaves the rest of
    the line where it does not belong. Drawn as Rich draws it: spaces to the stop."""
    app = SectionApp([(contact_row("ada"), Text("Ada\tNg\tdue\n  give:\tnotes"))])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        assert due.drawn()[1:] == ["▊Ada     Ng      due", "▊  give: notes"]
        segments = [segment.text for y in range(due.size.height) for segment in due.render_line(y)]
        assert not any("\t" in text for text in segments)
        assert all(due.render_line(y).cell_length == due.size.width for y in range(due.size.height))


async def test_the_scrollbar_scrolls_and_opens_nothing() -> None:
    """A click on the scrollbar's track pages the rows toward it and a drag of its thumb
    moves them, as Textual's scrollbars do; neither moves the highlight nor opens the
    row beside it (a click there opened the highlighted contact)."""
    app = SectionApp(two_line_rows(20), width=40)
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        edge = due.size.width - 1  # the scrollbar's last column
        await pilot.click(due, offset=(edge, 1))  # beside the highlighted row, on the thumb
        await pilot.pause()
        assert app.chosen == [] and due.highlighted == 0 and due.drawn()[1].startswith("▊Person 0")
        await pilot.click(due, offset=(edge, 10))  # the track below the thumb
        await pilot.pause()
        assert app.chosen == [] and due.highlighted == 0
        assert due.drawn()[1].startswith("▊Person 5")  # a page (ten lines) on
        await pilot.click(due, offset=(edge, 1))  # the track above it
        await pilot.pause()
        assert due.drawn()[1].startswith("▊Person 0")
        await pilot.hover(due, offset=(edge, 3))
        assert due._hover is None  # no row lit beside the scrollbar
        # the thumb dragged to the bottom: the rows at their end
        await pilot.mouse_down(due, offset=(edge, 1))
        await pilot._post_mouse_events([events.MouseMove], due, offset=(edge, 25), button=1)
        await pilot.mouse_up(due, offset=(edge, 25))
        await pilot.pause()
        assert due.drawn()[-1].startswith("▊  give: notes 19")
        assert app.chosen == [] and due.highlighted == 0
        # rows still open by a click
        await pilot.click(due, offset=(3, 10))
        await pilot.pause()
        assert due.highlighted == 19


async def test_page_down_leaves_a_row_taller_than_the_rows_shown() -> None:
    """A title that is one long address wraps to more lines than the section shows:
    page down from it landed inside it again, and the rows below were out of its reach."""
    rows = [(contact_row("ada"), Text("Ada")), (reflection_row("reflections/2026/url.md"), Text("https://" + "x" * 600)),
            (contact_row("bo"), Text("Bo")), (contact_row("cy"), Text("Cy"))]
    app = SectionApp(rows, width=40)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due = app.query_one("#due", SectionList)
        await pilot.press("pagedown")
        assert due.highlighted == 1 and due.drawn()[1].startswith("▊https://")
        await pilot.press("pagedown")
        assert due.highlighted == 2 and "▊Bo" in due.drawn()
        await pilot.press("pageup")
        assert due.highlighted == 1
        await pilot.press("pageup")
        assert due.highlighted == 0 and due.drawn()[1] == "▊Ada"
