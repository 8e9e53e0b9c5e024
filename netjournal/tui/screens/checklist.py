"""Area 4: every active contact against the article's six steps, as one grid.

A row per contact, a column per step (the date it was done, ``·`` when not yet,
the next step to work on highlighted), and progress n/6.  ``s`` cycles the sort,
``f`` keeps only contacts stuck on a step, ``enter`` opens the contact.
"""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.theme import Theme
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist

from netjournal.insights import STUCK_DAYS, ContactFacts
from netjournal.model import STEP_KEYS, STEPS
from netjournal.text import clean, display_width
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header

SHORT_HEADERS: dict[str, str] = {
    "why": "Why", "offer": "Offer", "connect": "Connect",
    "trust": "Trust", "deepen": "Deepen", "known": "Known",
}
SORTS: tuple[str, ...] = ("name", "progress-desc", "progress-asc")
SORT_LABELS: dict[str, str] = {
    "name": "by name",
    "progress-desc": "most progress first",
    "progress-asc": "least progress first",
}
NAME_WIDTH = (8, 26)  # the name column fits its names within these bounds
DONE, NOT_YET, NEXT = "●", "·", "▸"
# How much a step cell says, by the width of the screen: the date it was done, only
# its mark, or only its mark under the step's initial.
DATES_FROM, MARKS_FROM = 90, 72
NARROW_NAME = 16


def step_date_text(day: str, today: _dt.date) -> str:
    """A step date short enough for the grid: MM-DD this year, the full date otherwise."""
    return day[5:] if day[:4] == f"{today.year:04d}" else day


def sort_facts(facts: list[ContactFacts], mode: str) -> list[ContactFacts]:
    """Contacts in the grid's order; ties are always broken by name."""
    rows = sorted(facts, key=lambda f: (f.contact.name.lower(), f.contact.slug))
    if mode == "progress-desc":
        rows.sort(key=lambda f: f.contact.progress, reverse=True)
    elif mode == "progress-asc":
        rows.sort(key=lambda f: f.contact.progress)
    return rows


class ChecklistGrid(DataTable):
    """The contacts × steps table; its cell styles come from the theme via CSS."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "checklist-grid--done",
        "checklist-grid--todo",
        "checklist-grid--next",
        "checklist-grid--complete",
    }


class ChecklistScreen(JournalScreen):
    """Where every relationship stands on the six steps, at a glance."""

    CSS_PATH = "checklist.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_contact", "Open", priority=True, id="checklist.open"),
        Binding("s", "cycle_sort", "Sort", id="checklist.sort"),
        Binding("f", "toggle_stuck", "Stuck only", id="checklist.stuck"),
        Binding("n", "new_contact", "New contact", id="checklist.new"),
    ]

    sort_mode: reactive[str] = reactive("name", init=False)
    stuck_only: reactive[bool] = reactive(False, init=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Checklist", id="checklist-title", classes="area-title")
        yield Static(
            "The six steps come from the article: why you chose them, what you can offer, "
            "connecting without asking, earning trust, going deeper, and being known. "
            f"{DONE} done (MM-DD)  {NOT_YET} not yet  {NEXT} the next step.",
            id="checklist-hint", classes="hint",
        )
        with Vertical(id="checklist-body"):
            yield ChecklistGrid(id="checklist-grid", cursor_type="row", zebra_stripes=True)
            yield Static("", id="checklist-empty", classes="welcome")
        yield Footer()

    _detail = ""  # what the step cells show now: "dates", "marks" or "letters"

    def on_mount(self) -> None:
        self.sub_title = "Checklist"
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.refresh_data()

    def on_resize(self) -> None:
        if self._wanted_detail() != self._detail:
            self.refresh_data()

    def _wanted_detail(self) -> str:
        width = self.size.width or self.app.size.width
        return "dates" if width >= DATES_FROM else "marks" if width >= MARKS_FROM else "letters"

    def _set_columns(self, detail: str) -> None:
        grid = self.query_one(ChecklistGrid)
        grid.clear(columns=True)
        grid.add_column("Name", key="name")
        for step in STEPS:
            label = step.key[0].upper() if detail == "letters" else SHORT_HEADERS[step.key]
            grid.add_column(label, key=step.key)
        grid.add_column("Progress" if detail == "dates" else "Done", key="progress")
        self._detail = detail

    def _theme_changed(self, _: Theme) -> None:
        self.refresh_data()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def watch_sort_mode(self) -> None:
        self.refresh_data()

    def watch_stuck_only(self) -> None:
        self.refresh_data()

    # ------------------------------------------------------------------ showing

    def _styles(self) -> dict[str, Style]:
        grid = self.query_one(ChecklistGrid)
        return {
            name: grid.get_component_rich_style(f"checklist-grid--{name}", partial=True)
            for name in ("done", "todo", "next", "complete")
        }

    def _row(self, fact: ContactFacts, styles: dict[str, Style], today: _dt.date) -> list[Text]:
        contact = fact.contact
        upcoming = contact.next_step
        name = literal(contact.name)
        name.no_wrap, name.overflow = True, "ellipsis"
        cells = [name]
        for key in STEP_KEYS:
            day = contact.steps[key].date
            if day:
                when = f" {step_date_text(day, today)}" if self._detail == "dates" else ""
                cells.append(Text(f"{DONE}{when}", style=styles["done"]))
            elif upcoming is not None and upcoming.key == key:
                cells.append(Text(f"{NEXT} next" if self._detail == "dates" else NEXT, style=styles["next"]))
            else:
                cells.append(Text(NOT_YET, style=styles["todo"]))
        progress = contact.progress
        cells.append(Text(f"{progress}/{len(STEP_KEYS)}",
                          style=styles["complete"] if progress == len(STEP_KEYS) else ""))
        return cells

    def refresh_data(self) -> None:
        journal = self.journal
        grid = self.query_one(ChecklistGrid)
        facts = journal.facts()
        # the pool (imported, not yet chosen) has no steps to work on until chosen
        active = [facts[c.slug] for c in journal.contacts(pool=False) if c.slug in facts]
        shown = [f for f in active if f.stuck_since] if self.stuck_only else active
        shown = sort_facts(shown, self.sort_mode)

        keep = None
        if grid.row_count:
            try:
                keep = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
            except CellDoesNotExist:
                keep = None
        detail = self._wanted_detail()
        if detail != self._detail:
            self._set_columns(detail)
        else:
            grid.clear()
        styles, today = self._styles(), journal.today
        longest = NAME_WIDTH[1] if detail != "letters" else NARROW_NAME
        names = [display_width(clean(f.contact.name)) for f in shown] or [0]
        grid.columns["name"].width = max(NAME_WIDTH[0], min(max(names), longest))  # type: ignore[index]
        grid.columns["name"].auto_width = False  # type: ignore[index]
        for fact in shown:
            grid.add_row(*self._row(fact, styles, today), key=fact.contact.slug)
        if keep is not None and keep in grid.rows:
            grid.move_cursor(row=grid.get_row_index(keep))

        self._show_title(len(shown), len(active))
        self._show_empty(shown, active, journal)

    def _show_title(self, shown: int, active: int) -> None:
        title = self.query_one("#checklist-title", Static)
        if self.stuck_only:
            text = f"Checklist · stuck only (no step done in {STUCK_DAYS} days): {shown} of {active}"
        else:
            text = f"Checklist · {active} contact{'s' if active != 1 else ''}"
        title.update(Text(f"{text} · {SORT_LABELS[self.sort_mode]}"))

    def _show_empty(self, shown: list[ContactFacts], active: list[ContactFacts], journal) -> None:
        grid = self.query_one(ChecklistGrid)
        empty = self.query_one("#checklist-empty", Static)
        if shown:
            message = ""
        elif not active and journal.contacts(pool=True):
            message = ("Everyone here was imported and is still in the pool: choose the people you want "
                       "to know first. In the contacts area (2), p shows the pool; open someone and write "
                       "why (e) to bring them here.")
        elif not active and journal.contacts(include_archived=True):
            message = ("Every contact is archived, so there is nothing to check off. "
                       "Press n to add someone you want to know, and say why.")
        elif not active:
            message = ("No contacts yet. This grid shows everyone you want to know against the "
                       "article's six steps.\n\nPress n to add someone you want to know, and say why "
                       "(or ctrl+p, then 'New contact').")
        else:
            message = (f"Nobody is stuck: everyone has had a step done in the last {STUCK_DAYS} days "
                       "or has not started yet. Press f to show everyone.")
        empty.update(message)
        empty.display = bool(message)
        grid.display = bool(shown)

    # ------------------------------------------------------------------ actions

    def action_cycle_sort(self) -> None:
        self.sort_mode = SORTS[(SORTS.index(self.sort_mode) + 1) % len(SORTS)]

    def action_toggle_stuck(self) -> None:
        self.stuck_only = not self.stuck_only

    def action_new_contact(self) -> None:
        self.app.action_new_contact()

    def action_open_contact(self) -> None:
        grid = self.query_one(ChecklistGrid)
        if not grid.row_count or not grid.display:
            return
        row_key = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key
        if row_key.value:
            self.app.open_contact(row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # a mouse click on a highlighted row
        event.stop()
        if event.row_key.value:
            self.app.open_contact(event.row_key.value)
