"""One contact: the six networking steps, the ledger, the timeline and the notes.

Every change is written at once through the core's edit protocol, from the version
this screen shows, so a file another program changed meanwhile is never overwritten:
the user chooses in the conflict dialog (merge both, theirs, or mine as a copy).
"""

from __future__ import annotations

from typing import Callable, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Markdown

from netjournal.journal import Edit, Journal, JournalError, SaveConflict
from netjournal.me import FIELDS as ME_FIELDS
from netjournal.model import STEP_BY_KEY, Contact
from netjournal.text import clean
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal, markdown_source
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.conflict import ConflictScreen, Resolved
from netjournal.tui.screens.reflection_view import ReflectionViewScreen
from netjournal.tui.screens.step_note import StepNoteScreen
from netjournal.tui.widgets.contact_summary import ContactHeader, ContactLedger
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.step_checklist import StepChecklist, StepNoteRequested, StepToggled
from netjournal.tui.widgets.timeline_table import TimelineTable

Write = Callable[[Journal, Edit], object]


class ContactScreen(JournalScreen):
    """The per-contact checklist: the heart of the product."""

    CSS_PATH = "contact.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", "Back", id="contact.back"),
        Binding("e", "edit_contact", "Edit contact", id="contact.edit"),
        Binding("r", "write_reflection", "Write a reflection about them", id="contact.reflect"),
        Binding("h", "history", "History", id="contact.history"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="contact.focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="contact.focus_previous"),
    ]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.edit: Edit | None = None  # the version shown; saves start from it


    def compose(self) -> ComposeResult:
        yield Header()
        yield ContactHeader(id="contact-header")
        with Horizontal(id="contact-body"):
            yield StepChecklist(id="contact-steps")
            with Vertical(id="contact-side"):
                yield ContactLedger(id="contact-ledger")
                yield TimelineTable(id="contact-timeline")
                with VerticalScroll(id="contact-notes", can_focus_children=False):
                    yield Markdown(id="contact-notes-body", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#contact-steps").border_title = "Steps"
        self.query_one("#contact-ledger").border_title = "Ledger"
        self.query_one("#contact-timeline").border_title = "Timeline"
        self.query_one("#contact-notes").border_title = "Notes"
        self.reload()
        self.query_one(StepChecklist).focus()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.reload()

    # ------------------------------------------------------------------ showing

    def reload(self) -> None:
        """Read the contact's file again and show it (the file is the truth)."""
        if not self.journal.has_contact(self.slug):
            self.edit = None
            self._show_gone(f"There is no contact '{self.slug}' any more (deleted, or its file was renamed).")
            return
        try:
            self.edit = self.journal.edit_contact(self.slug)
        except (JournalError, OSError) as exc:
            self.edit = None
            self._show_gone(f"This contact's file cannot be read: {exc}")
            return
        contact = self.edit.contact
        assert contact is not None
        self.title = f"netjournal · {clean(contact.name)}"
        self.sub_title = f"{contact.progress}/6 steps"
        pool = self.journal.has_contact(self.slug) and self.journal.contact_facts(self.slug).pool
        self.query_one(ContactHeader).show(contact, pool=pool, upcoming=self.journal.upcoming_dates(self.slug))
        checklist = self.query_one(StepChecklist)
        card = self.journal.me_card()
        checklist.show(contact, [(label, list(card.value(key))) for key, label in ME_FIELDS
                                 if key in ("strengths", "goals") and card.value(key)])
        checklist.border_title = f"Steps {contact.progress}/6"
        checklist.border_subtitle = "space done · enter note"
        self._show_facts(contact)
        notes = (contact.body or "").strip()
        self.query_one("#contact-notes-body", Markdown).update(
            markdown_source(contact.body) if notes else "*No notes yet. Press e to edit the contact.*"
        )

    def _show_facts(self, contact: Contact) -> None:
        facts = self.journal.contact_facts(self.slug)
        timeline = self.journal.timeline(self.slug)
        self.query_one(ContactLedger).show(facts, timeline, self.journal.today)
        table = self.query_one(TimelineTable)
        table.show(timeline, facts.early_asks)
        table.border_title = f"Timeline ({len(timeline)})"
        table.border_subtitle = "enter shows" if timeline else ""

    def _show_gone(self, why: str) -> None:
        self.query_one(ContactHeader).update(literal(why))

    # ------------------------------------------------------------------ steps

    def on_step_toggled(self, event: StepToggled) -> None:
        event.stop()
        if self.edit is None:
            return self._not_editable()
        step = STEP_BY_KEY[event.key]
        if not event.done:
            self._write(lambda j, e: j.set_step(self.slug, step.key, edit=e),
                        f"'{step.label}' done today.")
            return
        day = self.edit.contact.steps[step.key].date  # type: ignore[union-attr]

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(lambda j, e: j.unset_step(self.slug, step.key, edit=e),
                            f"'{step.label}' is not done any more.")

        self.app.push_screen(
            ConfirmModal(f"Mark '{step.label}' not done? Its date ({day}) will be cleared.",
                         yes="Not done", no="Keep it"),
            answered,
        )

    def on_step_note_requested(self, event: StepNoteRequested) -> None:
        event.stop()
        if self.edit is None:
            return self._not_editable()
        step = STEP_BY_KEY[event.key]
        note = self.edit.contact.steps[step.key].note  # type: ignore[union-attr]

        def edited(new: str | None) -> None:
            if new is not None:
                self._write(lambda j, e: j.set_step_note(self.slug, step.key, new, edit=e),
                            f"Note for '{step.label}' saved." if new else f"Note for '{step.label}' removed.")

        self.app.push_screen(StepNoteScreen(step, note), edited)

    # ------------------------------------------------------------------ writing

    def _write(self, write: Write, done: str) -> None:
        """Run one facade write from the version this screen shows; then show the fresh file."""
        assert self.edit is not None
        try:
            write(self.journal, self.edit)
        except SaveConflict as conflict:
            self._resolve_conflict(conflict)
            return
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        path = self.edit.path
        self.reload()
        self.notify(done, markup=False, timeout=3)
        self.app.journal_changed(path)

    def _resolve_conflict(self, conflict: SaveConflict) -> None:
        def chosen(resolved: Resolved | None) -> None:
            if resolved is None:
                self.notify("Nothing was saved. The file on disk is as the other program left it.",
                            markup=False, timeout=6)
                return
            self.reload()
            if resolved.choice == "merged":
                self.notify("Saved: their changes and yours are both in the file.", title="Merged",
                            markup=False, timeout=6)
            elif resolved.copy:
                self.notify(f"Your version was saved as {clean(resolved.copy)}. The contact now shows the file "
                            "on disk; merge the two in any editor.", title="Kept mine as a copy", markup=False,
                            timeout=12)
            else:
                self.notify("Reloaded from disk; your change was not saved.", markup=False, timeout=6)
            self.app.journal_changed(resolved.copy or conflict.rel)

        self.app.push_screen(ConflictScreen(conflict), chosen)

    def _not_editable(self) -> None:
        self.notify("This contact cannot be changed here (see the message at the top).",
                    severity="warning", markup=False)

    # ------------------------------------------------------------------ timeline, keys

    @on(DataTable.RowSelected, "#contact-timeline")
    def show_reflection(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.app.push_screen(ReflectionViewScreen(event.row_key.value))

    def action_go_back(self) -> None:
        self.app.pop_screen()

    def action_write_reflection(self) -> None:
        """A new reflection with this contact linked; saving it updates this screen."""
        self.app.open_editor(contacts=[self.slug])

    def action_history(self) -> None:
        """Every committed version of this contact, with a diff, and restore."""
        from netjournal.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.edit.path if self.edit else f"contacts/{self.slug}.md"))

    def action_edit_contact(self) -> None:
        from netjournal.tui.screens.contact_form import ContactFormScreen

        def saved(slug: str | None) -> None:
            if slug:
                if slug != self.slug and self.journal.has_contact(slug):
                    self.slug = slug  # the form may have given the file a new name
                self.reload()

        self.app.push_screen(ContactFormScreen(self.slug), saved)
