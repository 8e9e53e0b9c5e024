"""A titled, keyboard-navigable list for a summary screen (the dashboard, the weekly
review): a title with its count, the rows as an OptionList, and a line of
encouragement when there is nothing to show. Row ids say what enter opens:
``contact:<slug>`` or ``reflection:<path>``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netjournal.tui.messages import ContactChosen, ReflectionChosen

Row = tuple[str, Text]


def contact_row(slug: str) -> str:
    return f"contact:{slug}"


def reflection_row(path: str) -> str:
    return f"reflection:{path}"


def parse_row(row_id: str | None) -> tuple[str, str] | None:
    """``("contact", slug)`` or ``("reflection", path)`` from a row id."""
    if not row_id or ":" not in row_id:
        return None
    what, _, value = row_id.partition(":")
    return (what, value) if what in ("contact", "reflection") and value else None


class SectionList(Vertical):
    """One section: "Title (n)", its rows, or what to say when it is empty."""

    DEFAULT_CSS = """
    SectionList {
        height: auto;
        margin: 0 0 1 0;

        .section-title {
            text-style: bold;
            color: $accent;
        }
        .section-rows {
            height: auto;
            max-height: 10;
            border: none;
            border-left: tall $panel;
            padding: 0;
            background: transparent;
        }
        .section-rows:focus {
            border: none;
            border-left: tall $accent;
        }
        .section-empty {
            color: $foreground 60%;
            text-style: italic;
            padding: 0 0 0 1;
        }
    }
    """

    def __init__(self, title: str, empty: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.empty = empty
        self.targets: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="section-title")
        yield OptionList(classes="section-rows")
        yield Static(self.empty, classes="section-empty")

    @property
    def rows(self) -> OptionList:
        return self.query_one(".section-rows", OptionList)

    LIMIT = 20  # rows shown per section; the title gives the full count

    def show(self, rows: list[Row], total: int | None = None) -> None:
        """Replace the rows, keeping the highlight where it was when it still fits.

        ``rows`` may stop after the first ``LIMIT`` (those are all that is shown) when
        ``total`` says how many there are: a caller with hundreds makes only those."""
        total = len(rows) if total is None else total
        option_list = self.rows
        keep = option_list.highlighted
        option_list.clear_options()
        shown = rows[: self.LIMIT]
        self.targets = [row_id for row_id, _ in shown]
        options = [Option(prompt) for _, prompt in shown]
        if total > len(shown):
            # A dashboard is read at a glance: the most pressing rows, then the count
            # (and laying out hundreds of rows would make the start screen slow).
            options.append(Option(f"… and {total - len(shown)} more", disabled=True))
        option_list.add_options(options)
        if shown:
            option_list.highlighted = min(keep or 0, len(shown) - 1)
        self.query_one(".section-title", Static).update(f"{self.title} ({total})")
        option_list.display = bool(shown)
        self.query_one(".section-empty", Static).display = not shown

    def on_descendant_focus(self) -> None:
        # Focus scrolls the rows into view, which can leave the title just above the
        # top: once laid out, show the whole section (from its title down).
        self.call_after_refresh(self.scroll_visible, animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """enter on a row: say which contact or reflection it stands for."""
        event.stop()
        target = self.target(event.option_index)
        if target is None:
            return
        what, value = target
        self.post_message(ContactChosen(value) if what == "contact" else ReflectionChosen(value))

    def target(self, index: int | None) -> tuple[str, str] | None:
        """What the row at ``index`` stands for: ("contact", slug) or ("reflection", path)."""
        if index is None or not 0 <= index < len(self.targets):
            return None
        return parse_row(self.targets[index])

    def selected_row(self) -> tuple[str, str] | None:
        """What the highlighted row stands for, if anything."""
        return self.target(self.rows.highlighted)
