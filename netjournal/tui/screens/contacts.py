"""Area 2: contacts. A table of everyone you want to know, where each stands on
the six steps and who is due, with a side panel for the highlighted contact.

Filtering and sorting work over lists computed once per journal change (the
lower-cased fields, the sorted order), so a keystroke in the filter scores those
strings and hands the table the list of matching slugs; the table draws only the
rows on screen, so that stays quick with thousands of contacts.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from netjournal.insights import DUE, NOT_CONNECTED, OVERDUE, ContactFacts
from netjournal.journal import ConflictError, JournalError
from netjournal.model import STEP_KEYS, parse_date
from netjournal.text import clean
from netjournal.tui.fuzzy import Searchable, rank, searchables
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.contact_panel import ContactPanel
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.health_bar import health_bar
from netjournal.tui.widgets.virtual_table import Column, VirtualTable

SORTS: tuple[str, ...] = ("name", "due", "progress", "health")
SORT_WORDS = {
    "name": "by name",
    "due": "by due: overdue first",
    "progress": "by progress: most steps first",
    "health": "by health: who needs care first",
}

# The columns that do not stretch and their widths; name and org share what is
# left after them and the cell padding (2 a column).  Below LAST_TOUCH_FROM columns
# "Last touch" yields (the side panel has yielded before it).  Health (a bar and its
# number) is shown where the names still get NAME_ROOM cells beside it, and always
# while sorting by health; otherwise the side panel shows it.
FIXED = {"steps": 6, "health": 8, "last": 10, "due": 17}
LAST_TOUCH_FROM = 70
NAME_ROOM = 14
SCROLLBAR = 1
LABELS = {"name": "Name", "org": "Org", "steps": "Steps", "health": "Health", "last": "Last touch",
          "due": "Next due"}
ORDER = ("name", "org", "steps", "health", "last", "due")

WELCOME = (
    "Welcome. This journal has no contacts yet.\n\n"
    "Press n to add someone you want to know, and write down why: be selective. "
    "Then note what you could give them, before you ever need to ask.\n\n"
    "Already have an address book? Press i to import it (a phone's or Apple's vCard, LinkedIn, "
    "Google or any CSV): the people land in a pool you choose from."
)


_NOT_SHOWN = object()  # the side panel has not shown anything yet


def sort_key(mode: str, facts: ContactFacts) -> tuple:
    contact = facts.contact
    name = (contact.name.lower(), contact.slug)
    if mode == "due":
        # Overdue have the oldest due dates, so date order puts them first; an
        # archived contact is never due, so it goes last.
        return (contact.archived, facts.due is None, facts.due or "", *name)
    if mode == "progress":
        return (-contact.progress, *name)
    if mode == "health":
        # lowest first; those never touched (0, nothing to care for yet) and archived ones last
        return (contact.archived, facts.last_touch is None, facts.health, *name)
    return name


class ContactsTable(VirtualTable):
    """The contacts list (rows are slugs); enter opens the highlighted contact."""

    # enter is left out of the footer (lists open with enter everywhere; ? lists it), so
    # that at 100 columns the footer still shows every action key of the area.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", show=False, id="contacts.open"),
        Binding("home", "first_row", "First contact", show=False, id="contacts.first"),
        Binding("end", "last_row", "Last contact", show=False, id="contacts.last"),
    ]


class ContactsScreen(JournalScreen):
    """Everyone you want to know: steps, last touch, who is due."""

    CSS_PATH = "contacts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: "/" and escape act before the keys typed after them are routed,
        # so "/kofi" typed fast all lands in the filter.
        Binding("slash", "focus_filter", "Filter", priority=True, id="contacts.filter"),
        Binding("s", "cycle_sort", "Sort", id="contacts.sort"),
        Binding("n", "new_contact", "New", id="contacts.new"),
        Binding("e", "edit_contact", "Edit", id="contacts.edit"),
        Binding("r", "write_reflection", "Reflect", id="contacts.reflect"),
        Binding("a", "archive_contact", "Archive", id="contacts.archive"),
        Binding("A", "toggle_archived", "Show archived", show=False, id="contacts.show_archived"),
        Binding("p", "cycle_pool", "Pool", id="contacts.pool"),
        Binding("i", "app.import_contacts", "Import", show=False, id="contacts.import"),
        Binding("delete", "delete_contact", "Delete", id="contacts.delete"),
        Binding("escape", "clear_filter", "Clear filter", priority=True, id="contacts.clear_filter"),
        Binding("down", "focus_table", "To the list", show=False, id="contacts.focus_table"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_mode = "name"
        self.show_archived = False
        self.pool_view = "all"  # "all", "pool" (imported, not yet chosen) or "chosen"
        self._has_pool = False
        self._facts: dict[str, ContactFacts] = {}
        self._searchable: dict[str, Searchable] = {}
        self._cells: dict[str, tuple[tuple, list[Text]]] = {}
        self._sorted: list[str] | None = None  # every slug in sort order, until the facts or the sort change
        self._columns: tuple[Column, ...] = ()
        self._shown: tuple[int, ...] = tuple(range(len(ORDER)))  # which of a row's cells are columns
        self._panel_facts: ContactFacts | None | object = _NOT_SHOWN
        self._panel_pending = False
        # (a contact is selected, escape clears the filter, there is a pool to show)
        self._offers: tuple[bool, bool, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="contacts-top"):
            yield Static(id="contacts-title", classes="area-title")
            yield Input(placeholder="press / to filter by name, org or tag", id="contacts-filter", compact=True)
        with Horizontal(id="contacts-body"):
            with Vertical(id="contacts-main"):
                yield ContactsTable(self.cells, id="contacts-table")
                yield Static(id="contacts-empty", classes="welcome")
            yield ContactPanel(id="contact-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        # Watched rather than told by Input.Changed: the rows are filtered while the key
        # is handled, so the typed character and the rows it selects share one frame.
        self.watch(self.query_one("#contacts-filter", Input), "value", self._filter_changed, init=False)
        self.refresh_data()
        self.action_focus_table()

    # ------------------------------------------------------------------ data


    @property
    def query_text(self) -> str:
        return self.query_one("#contacts-filter", Input).value

    def refresh_data(self, select: str | None = None) -> None:
        """Re-read the facts from the journal and show them, keeping the cursor."""
        keep = select or self.selected_slug
        pool = {"all": None, "pool": True, "chosen": False}[self.pool_view]
        self._has_pool = any(f.pool for f in self.journal.facts().values())
        self._facts = {
            slug: facts for slug, facts in self.journal.facts().items()
            if (self.show_archived or not facts.contact.archived) and (pool is None or facts.pool == pool)
        }
        self._searchable = {item.slug: item for item in searchables(f.contact for f in self._facts.values())}
        self._cells = {slug: row for slug, row in self._cells.items() if slug in self._facts}
        self._sorted = None
        self.show_rows(keep)

    def visible_slugs(self) -> list[str]:
        """Slugs to show: best matches first while filtering, else in sort order."""
        facts = self._facts
        if self._sorted is None:
            self._sorted = sorted(facts, key=lambda slug: sort_key(self.sort_mode, facts[slug]))
        ordered = self._sorted
        if not self.query_text.strip():
            return ordered
        searchable = self._searchable
        return rank([searchable[slug] for slug in ordered], self.query_text)

    def show_rows(self, keep: str | None = None) -> None:
        """Show the visible rows, the cursor on ``keep`` if it is among them, else on the
        best match while filtering, else on the row where it was."""
        table = self.query_one(ContactsTable)
        order = self.visible_slugs()
        columns = self._fit_columns()
        if columns != self._columns:
            self._columns = columns
            self._shown = tuple(ORDER.index(column.key) for column in columns)
            table.set_columns(list(columns))
        if keep in order:
            cursor = order.index(keep)
        else:
            cursor = 0 if self.query_text else table.cursor_row
        table.set_rows(order, cursor)
        self._show_state(len(order))
        self._show_panel()
        # The footer rebuilds all its keys on a refresh, so only when what it offers changed.
        offers = (self.selected_slug is not None, bool(self.check_action("clear_filter", ())),
                  bool(self.check_action("cycle_pool", ())))
        if offers != self._offers:
            self._offers = offers
            self.refresh_bindings()

    def cells(self, slug: str) -> list[Text]:
        """The cells of one contact's row, for the columns shown."""
        row = self._row(slug)
        return row if len(self._shown) == len(row) else [row[i] for i in self._shown]

    def _row(self, slug: str) -> list[Text]:
        """Every cell of one contact's row, cached until its facts or the theme change."""
        facts = self._facts[slug]
        contact = facts.contact
        signature = (contact.name, contact.org, contact.step_dates(), facts.last_touch, facts.due,
                     facts.status, facts.days_overdue, contact.archived, facts.pool, facts.health,
                     self.app.theme)
        cached = self._cells.get(slug)
        if cached and cached[0] == signature:
            return cached[1]
        colors = self.app.theme_variables
        dim = "dim" if contact.archived else ""
        steps = Text(no_wrap=True)
        for key in STEP_KEYS:
            if contact.steps[key].done:
                steps.append("●", style=colors.get("text-success", "green"))
            else:
                steps.append("○", style="dim")
        if contact.archived:
            due = Text("archived", style="dim italic")
        elif facts.pool:
            due = Text("in the pool", style=f"italic {colors.get('text-accent', 'magenta')}")
        elif facts.status == OVERDUE:
            due = Text(f"{facts.days_overdue}d overdue", style=f"bold {colors.get('text-error', 'red')}")
        elif facts.status == DUE:
            due = Text("due today", style=f"bold {colors.get('text-warning', 'yellow')}")
        elif facts.status == NOT_CONNECTED:
            due = Text("not yet connected", style="dim")
        else:
            days = (parse_date(facts.due) - self.journal.today).days  # type: ignore[operator]
            due = Text(f"in {days}d")
        health = health_bar(facts.health, colors, width=4) if facts.last_touch else Text("—", style="dim")
        row = [_ellipsis(literal(contact.name, dim)), _ellipsis(literal(contact.org, dim)), steps, health,
               Text(facts.last_touch or "—", style=dim or ("" if facts.last_touch else "dim")), due]
        self._cells[slug] = (signature, row)
        return row

    def _fit_columns(self) -> tuple[Column, ...]:
        """The columns for the space the table has now: name and org share what the
        others leave; on a narrow terminal "Last touch" goes."""
        table = self.query_one(ContactsTable)
        width = table.size.width
        if width <= 0:  # not laid out yet: the screen less the panel, if it shows
            panel = self.query_one(ContactPanel).styles
            panel_width = panel.width.value if panel.width and panel.display != "none" else 0
            width = self.app.size.width - int(panel_width)
        keys = [key for key in ORDER if key != "last" or width >= LAST_TOUCH_FROM]
        for health in (True, False):
            shown = keys if health else [key for key in keys if key != "health"]
            fixed = sum(FIXED[key] for key in shown if key in FIXED)
            free = max(width - fixed - 2 * len(shown) - SCROLLBAR, 18)
            name = max(free * 3 // 5, 10)
            if name >= NAME_ROOM or self.sort_mode == "health":
                break
        widths = {**FIXED, "name": name, "org": max(free - name, 6)}
        return tuple(Column(key, LABELS[key], widths[key]) for key in shown)

    def _show_state(self, shown: int) -> None:
        total = len(self._facts)
        query = self.query_text.strip()
        title = Text("Contacts", style="bold")
        title.append(f" · {shown} of {total}" if query else f" · {total}")
        title.append(" · best matches first" if query else f" · sorted {SORT_WORDS[self.sort_mode]}")
        if self.show_archived:
            title.append(" · archived shown")
        if self.pool_view != "all":
            title.append(" · the pool: imported, not yet chosen" if self.pool_view == "pool"
                         else " · chosen (the pool left out)")
        self.query_one("#contacts-title", Static).update(title)

        table = self.query_one(ContactsTable)
        empty = self.query_one("#contacts-empty", Static)
        table.display = shown > 0
        empty.display = shown == 0
        if shown:
            return
        if not self.journal.contacts(include_archived=True):
            empty.update(WELCOME)
        elif self.pool_view == "pool" and not query:
            empty.update("Nobody is in the pool: every contact is one you chose. Press p to show everyone.")
        elif self.pool_view == "chosen" and not query:
            empty.update("You have not chosen anyone yet: everyone here was imported. Open one and write "
                         "why you want to know them (e), or press p to show everyone.")
        elif query:
            message = Text("Nobody matches “")
            message.append_text(literal(query))
            message.append("”. Press escape to clear the filter; then n adds someone new.")
            empty.update(message)
        else:
            empty.update("Every contact is archived. Press A to show archived contacts, or n to add someone new.")

    def _show_panel(self, *, again: bool = False) -> None:
        """Show the highlighted contact in the side panel once the table's next frame is
        painted (laying out the panel takes longer than the table: a keystroke's rows
        should not wait for it), and only when the contact changed (or ``again``)."""
        if again:
            self._panel_facts = _NOT_SHOWN
        if not self._panel_pending:
            self._panel_pending = True
            self.call_after_refresh(self._update_panel)

    def _update_panel(self) -> None:
        self._panel_pending = False
        slug = self.selected_slug
        facts = self._facts.get(slug) if slug else None
        if facts is not self._panel_facts:
            self._panel_facts = facts
            self.query_one(ContactPanel).show(facts, self.journal.today)

    @property
    def selected_slug(self) -> str | None:
        return self.query_one(ContactsTable).cursor_key  # type: ignore[return-value]

    # ------------------------------------------------------------------ events

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def _on_theme_changed(self, _theme: object) -> None:
        self._cells = {}
        self.show_rows(self.selected_slug)
        self._show_panel(again=True)

    @on(VirtualTable.Resized, "#contacts-table")
    def _refit(self) -> None:
        if self._fit_columns() != self._columns:
            self.show_rows(self.selected_slug)

    @on(VirtualTable.RowHighlighted, "#contacts-table")
    def _row_highlighted(self, _: VirtualTable.RowHighlighted) -> None:
        self._show_panel()

    @on(VirtualTable.RowSelected, "#contacts-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.app.open_contact(event.row_key)

    def _filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#contacts-filter")
    def _filter_submitted(self, _: Input.Submitted) -> None:
        # Back from the contact, you land in the (still filtered) list.
        if self.selected_slug:
            self.action_focus_table()
        self.action_open_contact()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_contact", "archive_contact", "delete_contact", "open_contact", "write_reflection"):
            return True if self.selected_slug else None
        if action == "cycle_pool":
            # offered (and in the footer) once there is a pool: an import made one
            return self.pool_view != "all" or self._has_pool
        if action == "clear_filter":
            return bool(self.query_text) or self.focused is self.query_one("#contacts-filter", Input)
        return True

    # ------------------------------------------------------------------ actions

    # Focus is set at once (widget.focus() waits for a refresh), so keys typed
    # right after "/" land in the filter, not in the table.
    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#contacts-filter", Input))

    def action_focus_table(self) -> None:
        self.set_focus(self.query_one(ContactsTable))

    def action_clear_filter(self) -> None:
        box = self.query_one("#contacts-filter", Input)
        keep = self.selected_slug
        if box.value:
            box.value = ""
            self.show_rows(keep)
        self.action_focus_table()

    def action_cycle_sort(self) -> None:
        self.sort_mode = SORTS[(SORTS.index(self.sort_mode) + 1) % len(SORTS)]
        self._sorted = None
        self.show_rows(self.selected_slug)  # (sorted by health, the health column is always shown)

    def action_open_contact(self) -> None:
        slug = self.selected_slug
        if slug:
            self.app.open_contact(slug)

    def action_write_reflection(self) -> None:
        """A new reflection with the selected contact linked."""
        slug = self.selected_slug
        if slug:
            self.app.open_editor(contacts=[slug])

    def action_new_contact(self) -> None:
        from netjournal.tui.screens.contact_form import ContactFormScreen

        self.app.push_screen(ContactFormScreen(None), self._saved)

    def action_edit_contact(self) -> None:
        from netjournal.tui.screens.contact_form import ContactFormScreen

        slug = self.selected_slug
        if slug:
            self.app.push_screen(ContactFormScreen(slug), self._saved)

    def _saved(self, slug: str | None) -> None:
        if not slug:
            return
        if self.query_text:
            self.query_one("#contacts-filter", Input).value = ""
        self.refresh_data(select=slug)
        self.action_focus_table()

    def action_archive_contact(self) -> None:
        slug = self.selected_slug
        if not slug:
            return
        contact = self._facts[slug].contact
        try:
            self.journal.update_contact(slug, {"archived": not contact.archived})
        except (JournalError, ConflictError, OSError) as exc:
            self.app.report_error(exc)
            return
        if contact.archived:
            self.notify(f"{clean(contact.name)} is back among your contacts.", markup=False)
        elif self.show_archived:
            self.notify(f"Archived {clean(contact.name)}.", markup=False)
        else:
            self.notify(f"Archived {clean(contact.name)}: hidden now. Press A to show archived contacts.",
                        markup=False)
        self.app.journal_changed(contact.path)

    def action_cycle_pool(self) -> None:
        """Everyone → the pool (imported, not yet chosen) → the chosen → everyone."""
        views = ("all", "pool", "chosen")
        self.pool_view = views[(views.index(self.pool_view) + 1) % len(views)]
        self.refresh_data()
        self.refresh_bindings()

    def show_pool(self) -> None:
        """Show only the pool (after an import), the filter cleared."""
        self.pool_view = "pool"
        if self.is_mounted:
            self.query_one("#contacts-filter", Input).value = ""
            self.refresh_data()
        self.refresh_bindings()

    def action_toggle_archived(self) -> None:
        self.show_archived = not self.show_archived
        self.refresh_data()

    def action_delete_contact(self) -> None:
        from netjournal.tui.screens.confirm import ConfirmModal

        slug = self.selected_slug
        if not slug:
            return
        contact = self._facts[slug].contact

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(slug, contact.name, contact.path)

        question = (
            f"Delete {contact.name}?\n\nThe file {contact.path} moves to .netjournal/trash/, "
            "where 'netjournal restore' can bring it back. Their reflections stay."
        )
        self.app.push_screen(ConfirmModal(question, yes="Delete", no="Keep"), answered)

    def _delete(self, slug: str, name: str, path: str) -> None:
        try:
            target = self.journal.delete_contact(slug)
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        try:
            where = target.relative_to(self.journal.root).as_posix()
        except ValueError:
            where = str(target)
        self.notify(f"Deleted {clean(name)}: the file is now {clean(where)}.", title="Moved to the trash",
                    markup=False, timeout=8)
        self.app.journal_changed(path)


def _ellipsis(text: Text) -> Text:
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text
