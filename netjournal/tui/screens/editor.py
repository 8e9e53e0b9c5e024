"""The reflection editor: front matter as a form, the body as Markdown.

New reflections start from the journal's template (``templates/reflection.md``)
with the cursor in the title. ``ctrl+s`` saves through the journal (atomic, index
updated), ``ctrl+e`` hands the body to ``$VISUAL``/``$EDITOR``, ``ctrl+t`` shows a
live preview. Unsaved work is kept as a draft in ``.netjournal/drafts/`` a moment
after each change, so a crash or a closed terminal loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shlex
import shutil
import subprocess
import uuid
from dataclasses import asdict, dataclass, replace
from typing import Any

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.validation import Function
from textual.widgets import Input, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from netjournal.journal import Edit, JournalError, SaveConflict
from netjournal.model import KINDS, as_list
from netjournal.text import clean
from netjournal.tui.fuzzy import rank, searchables
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal, markdown_source
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.unsaved_changes import UnsavedChangesScreen
from netjournal.tui.widgets.contact_picker import ContactPicker
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.kind_picker import KindPicker
from netjournal.tui.widgets.markdown_area import MarkdownArea

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def valid_date(text: str) -> bool:
    """A real calendar date written YYYY-MM-DD."""
    if not _ISO.match(text.strip()):
        return False
    try:
        _dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def split_tags(text: str) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


@dataclass(frozen=True)
class FormState:
    """Everything the editor can change; two equal states mean nothing to save."""

    title: str = ""
    date: str = ""
    kind: str = "note"
    contacts: tuple[str, ...] = ()
    follow_up: str = ""
    tags: str = ""
    body: str = ""

    @classmethod
    def of_edit(cls, edit: Edit) -> "FormState":
        r = edit.reflection
        assert r is not None
        return cls(r.title, r.date, r.kind, tuple(r.contacts), r.follow_up or "",
                   ", ".join(r.tags), edit.body)

    @classmethod
    def of_draft(cls, draft: dict[str, Any]) -> "FormState":
        def text(key: str) -> str:
            value = draft.get(key)
            return value if isinstance(value, str) else ""

        kind = text("kind") if text("kind") in KINDS else "note"
        return cls(text("title"), text("date"), kind, tuple(as_list(draft.get("contacts"))),
                   text("follow_up"), text("tags"), text("body"))

    def normalized(self) -> "FormState":
        return replace(self, title=self.title.strip(), date=self.date.strip(),
                       follow_up=self.follow_up.strip(), tags=", ".join(split_tags(self.tags)))


class EditorScreen(JournalScreen[str | None]):
    """Write or edit one reflection. Dismisses with its path (None if never saved)."""

    CSS_PATH = "editor.tcss"
    DRAFT_DELAY = 2.0  # seconds of quiet after a change before the draft is written
    PREVIEW_DELAY = 0.2
    BINDINGS = [
        Binding("ctrl+s", "save_reflection", "Save", id="editor.save", priority=True),
        Binding("ctrl+t", "toggle_preview", "Preview", id="editor.preview", priority=True),
        Binding("ctrl+e", "edit_externally", "$EDITOR", id="editor.external", priority=True),
        # h types an h here: the editor's History is ctrl+r (as a shell's history search)
        Binding("ctrl+r", "history", "History", id="editor.history", priority=True),
        Binding("escape", "leave_editor", "Close", id="editor.close"),
    ]

    def __init__(self, path: str | None = None, contacts: list[str] | None = None, *,
                 draft: dict[str, Any] | None = None, prefill: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.path = path
        self.start_contacts = list(contacts or [])
        self.draft = draft
        self.prefill = prefill  # a new reflection's fields (title, kind, body, …) to start from
        self.edit: Edit | None = None  # the version of the file the form started from
        self.saved = FormState()
        self.initial = FormState()
        self.draft_key = ""
        self._ask_confirmed: tuple[str, tuple[str, ...]] | None = None
        self._draft_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._leaving = False
        self._load_problem: str | None = None
        self._draft_is_stale = False
        self._told_changed = False  # the file-changed-on-disk notice is shown once

    # ------------------------------------------------------------------ building

    def _prepare(self) -> None:
        """Decide what the form starts with: a draft, a file, or the template."""
        journal = self.journal
        if self.draft is not None and self.draft.get("path"):
            self.path = str(self.draft["path"])
        if self.path is not None:
            try:
                # A draft started from an older version of the file must not overwrite
                # the change made since: the edit expects that version, so saving the
                # draft meets the conflict dialog.
                base = (self.draft or {}).get("base_sha256")
                self.edit = journal.edit(journal.resolve_reflection(self.path),
                                         expect=base if isinstance(base, str) and base else None)
                self.path = self.edit.path
                self.saved = FormState.of_edit(self.edit)
                self._draft_is_stale = not self.edit.base_known
            except JournalError as exc:
                self._load_problem = str(exc)
                self.path = None
        if self.path is None:
            self.saved = FormState(date=journal.today.isoformat(), contacts=tuple(self.start_contacts),
                                   body=journal.template("reflection"))
            # A new entry is "changed" once anything differs from the empty template.
        self.initial = FormState.of_draft(self.draft) if self.draft is not None else self.saved
        if self.draft is None and self.path is None and self.prefill:
            start = {**asdict(self.saved), "contacts": list(self.saved.contacts)}
            self.initial = FormState.of_draft({**start, **self.prefill})
        if self.draft is not None:
            self.draft_key = str(self.draft.get("key") or "")
        self.draft_key = self.draft_key or self._key_for(self.path)

    @staticmethod
    def _key_for(path: str | None) -> str:
        if path is None:
            return f"new-{uuid.uuid4().hex[:8]}"
        return "edit-" + path.removesuffix(".md").replace("/", "-")

    def compose(self) -> ComposeResult:
        self._prepare()
        state = self.initial
        contacts = searchables(self.journal.contacts(include_archived=True))
        yield Header()
        with Vertical(id="editor-form"):
            with Horizontal(classes="form-row"):
                yield Label("Title", classes="form-label")
                yield Input(state.title, placeholder="What happened, in one line (required)", compact=True,
                            id="title")
            with Horizontal(classes="form-row", id="contacts-row"):
                yield Label("Contacts", classes="form-label")
                yield ContactPicker(contacts, list(state.contacts), id="contacts")
            # one row on a wide screen, two below 100 columns (editor.tcss)
            with Grid(id="editor-when"):
                yield Label("Date", classes="form-label")
                yield Input(state.date, placeholder="YYYY-MM-DD", compact=True, id="date", max_length=10,
                            validators=[Function(valid_date, "a date as YYYY-MM-DD")])
                yield Label("Kind", classes="form-label-inline")
                yield KindPicker(state.kind, id="kind")
                yield Label("Follow-up", classes="form-label-inline", id="follow-up-label")
                yield Input(state.follow_up, placeholder="YYYY-MM-DD", compact=True, id="follow-up",
                            max_length=10, validators=[Function(lambda v: not v.strip() or valid_date(v),
                                                                "a date as YYYY-MM-DD, or empty")])
                yield Label("Tags", classes="form-label-inline")
                yield Input(state.tags, placeholder="comma, separated", compact=True, id="tags")
        with Horizontal(id="editor-main"):
            with Vertical(id="body-column"):
                yield MarkdownArea(state.body, id="body")
                yield OptionList(id="link-options")
            with VerticalScroll(id="preview-pane", can_focus=False):
                yield Markdown(id="preview", open_links=False)
        yield Static(id="editor-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#preview-pane").display = False
        self.query_one("#link-options", OptionList).display = False
        self.sub_title = "New reflection" if self.path is None else "Edit reflection"
        if self._draft_is_stale:
            self.notify("The file changed on disk after this draft was kept: saving will ask "
                        "which version to keep.", title="Draft is older than the file",
                        severity="warning", markup=False, timeout=10)
        if self.draft is not None:
            self.notify("Recovered the unsaved draft; ctrl+s saves it, escape offers to discard it.",
                        title="Draft recovered", markup=False)
        if self._load_problem:
            problem = self._load_problem.rstrip()
            problem = problem[:1].upper() + problem[1:] + ("" if problem.endswith((".", "!", "?")) else ".")
            self.notify(f"{clean(problem)} A new reflection starts instead.", title="Could not open",
                        severity="warning", markup=False, timeout=8)
        if self.path is None:
            self.query_one("#title", Input).focus()
            if self.draft is None and not self.prefill and self.body_area.document.line_count > 1:
                # the template's first question is the first line; write under it
                self.body_area.move_cursor((1, 0))
        else:
            self.query_one("#body", MarkdownArea).focus()
        self._show_status()

    # ------------------------------------------------------------------ state

    @property
    def body_area(self) -> MarkdownArea:
        return self.query_one("#body", MarkdownArea)

    def state(self) -> FormState:
        kind = self.query_one("#kind", KindPicker).value
        return FormState(
            title=self.query_one("#title", Input).value,
            date=self.query_one("#date", Input).value,
            kind=kind if isinstance(kind, str) else "note",
            contacts=tuple(self.query_one("#contacts", ContactPicker).chosen),
            follow_up=self.query_one("#follow-up", Input).value,
            tags=self.query_one("#tags", Input).value,
            body=self.body_area.text,
        )

    @property
    def dirty(self) -> bool:
        return self.state().normalized() != self.saved.normalized()

    def _fill(self, state: FormState) -> None:
        """Show ``state`` in the form (after a reload)."""
        self.query_one("#title", Input).value = state.title
        self.query_one("#date", Input).value = state.date
        self.query_one("#kind", KindPicker).value = state.kind
        self.query_one("#contacts", ContactPicker).set_chosen(list(state.contacts))
        self.query_one("#follow-up", Input).value = state.follow_up
        self.query_one("#tags", Input).value = state.tags
        if self.body_area.text != state.body:
            self.body_area.load_text(state.body)

    def _show_status(self) -> None:
        where = literal(self.path or "new reflection", "bold")
        if self.dirty:
            where.append("  ● unsaved changes", "italic")
        elif self.path:
            where.append("  saved", "dim")
        where.append("   ctrl+z undo · ctrl+y redo · [[ links a contact", "dim")
        self.query_one("#editor-status", Static).update(where)

    def _edited(self) -> None:
        if not self.is_mounted or self._leaving:
            return
        self._show_status()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_DELAY, self.write_draft)
        if self.query_one("#preview-pane").display:
            if self._preview_timer is not None:
                self._preview_timer.stop()
            self._preview_timer = self.set_timer(self.PREVIEW_DELAY, self._update_preview)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("title", "date", "follow-up", "tags"):
            self._edited()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("title", "date", "follow-up", "tags"):
            event.stop()
            self.focus_next()

    def on_kind_picker_changed(self, _: KindPicker.Changed) -> None:
        self._edited()

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        self._edited()

    def on_contact_picker_changed(self, _: ContactPicker.Changed) -> None:
        self._edited()

    def on_journal_changed(self, _: JournalChanged) -> None:
        journal = self.journal
        picker = self.query_one("#contacts", ContactPicker)
        picker.set_contacts(searchables(journal.contacts(include_archived=True)))
        if self.edit is not None and not self._told_changed and self.edit.changed_on_disk():
            self._told_changed = True
            self.notify("Another program changed this reflection's file. Your text is kept; "
                        "saving will ask which version to keep.", title="Changed on disk",
                        severity="warning", markup=False, timeout=10)

    # ------------------------------------------------------------------ drafts

    def draft_data(self) -> dict[str, Any]:
        data = asdict(self.state())
        data["contacts"] = list(data["contacts"])
        data["path"] = self.path
        if self.edit is not None:
            data["base_sha256"] = self.edit.token  # the file version edited
        return data

    def write_draft(self) -> None:
        """Keep the unsaved state on disk (or drop the draft when nothing is unsaved)."""
        journal = self.journal
        try:
            if self.dirty:
                journal.save_draft(self.draft_key, self.draft_data())
            else:
                journal.discard_draft(self.draft_key)
        except OSError as exc:
            self.notify(f"Could not keep a draft: {exc.strerror or exc}", severity="warning", markup=False)

    def on_unmount(self) -> None:
        # Leaving by quitting the app (or any way but save/discard) keeps the work.
        if not self._leaving:
            try:
                self.write_draft()
            except Exception:  # the app is going away; never lose the exit to this
                pass

    # ------------------------------------------------------------------ preview

    def action_history(self) -> None:
        """This reflection's versions, with a diff, and restore (netjournal/sync)."""
        from netjournal.tui.screens.history import HistoryScreen

        if self.edit is None:
            self.notify("This reflection is not saved yet, so it has no history.", markup=False, timeout=4)
            return
        self.app.push_screen(HistoryScreen(self.edit.path))

    def action_toggle_preview(self) -> None:
        pane = self.query_one("#preview-pane")
        pane.display = not pane.display
        if pane.display:
            self._update_preview()

    def _update_preview(self) -> None:
        self.query_one("#preview", Markdown).update(markdown_source(self.body_area.text))

    # ------------------------------------------------------------------ [[ completion

    def on_markdown_area_link_queried(self, event: MarkdownArea.LinkQueried) -> None:
        options = self.query_one("#link-options", OptionList)
        options.clear_options()
        picker = self.query_one("#contacts", ContactPicker)
        names = picker.names
        slugs = rank(picker.contacts, event.query or "")[:8] if event.query is not None else []
        if not slugs:
            options.display = False
            event.area.completing = False
            return
        for slug in slugs:
            label = literal(names[slug])
            label.append(f"  [[{slug}]]", "dim")
            options.add_option(Option(label, id=slug))
        options.highlighted = 0
        options.border_title = "Link a contact: enter picks, escape closes"
        options.display = True
        event.area.completing = True

    def on_markdown_area_link_key_pressed(self, event: MarkdownArea.LinkKeyPressed) -> None:
        options = self.query_one("#link-options", OptionList)
        if event.key == "down":
            options.action_cursor_down()
        elif event.key == "up":
            options.action_cursor_up()
        elif event.key in ("enter", "tab") and options.highlighted is not None:
            slug = options.get_option_at_index(options.highlighted).id
            if slug:
                event.area.complete_link(slug)
        else:
            options.display = False
            event.area.completing = False

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "link-options" and event.option.id:
            event.stop()
            self.body_area.complete_link(event.option.id)
            self.body_area.focus()

    # ------------------------------------------------------------------ creating a contact

    def on_contact_picker_create_requested(self, event: ContactPicker.CreateRequested) -> None:
        journal = self.journal
        try:
            contact = journal.add_contact(event.name)
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        event.picker.set_contacts(searchables(journal.contacts(include_archived=True)))
        event.picker.add(contact.slug)
        self.app.journal_changed(contact.path)
        self.notify(f"Added contact {contact.name}. Say why you want to know them on their card.",
                    title="New contact", markup=False)

    # ------------------------------------------------------------------ saving

    def _invalid(self, state: FormState) -> tuple[str, str] | None:
        if not state.title:
            return "title", "A reflection needs a title."
        if not valid_date(state.date):
            return "date", "The date must be a real date written YYYY-MM-DD, e.g. 2026-11-25."
        if state.follow_up and not valid_date(state.follow_up):
            return "follow-up", "The follow-up date must be written YYYY-MM-DD, or left empty."
        return None

    def _needs_ask_warning(self, state: FormState) -> bool:
        if state.kind != "ask":
            return False
        asked = (state.kind, tuple(sorted(state.contacts)))
        before = (self.saved.kind, tuple(sorted(self.saved.contacts)))
        return asked != before and asked != self._ask_confirmed

    def action_save_reflection(self) -> None:
        self.save_reflection(then_close=False)

    def save_reflection(self, *, then_close: bool) -> None:
        state = self.state().normalized()
        problem = self._invalid(state)
        if problem:
            widget, message = problem
            self.notify(message, title="Not saved", severity="error", markup=False)
            self.query_one(f"#{widget}").focus()
            return
        if self._needs_ask_warning(state):
            warning = self.journal.ask_warning(state.contacts)
            if warning:
                def answered(yes: bool | None) -> None:
                    if yes:
                        self._ask_confirmed = (state.kind, tuple(sorted(state.contacts)))
                        self._write(state, then_close)

                self.app.push_screen(
                    ConfirmModal(warning + "\n\nSave this ask anyway? It is your choice.",
                                 yes="Save anyway", no="Not now"),
                    answered,
                )
                return
        self._write(state, then_close)

    def _changes(self, state: FormState) -> dict[str, Any]:
        """Front matter keys that differ from the file as loaded (the rest stay as written)."""
        old = self.saved.normalized()
        changes: dict[str, Any] = {}
        if state.title != old.title:
            changes["title"] = state.title
        if state.date != old.date:
            changes["date"] = state.date
        if state.kind != old.kind:
            changes["kind"] = state.kind
        if state.contacts != old.contacts:
            changes["contacts"] = list(state.contacts)
        if state.follow_up != old.follow_up:
            changes["follow_up"] = state.follow_up or None
        if state.tags != old.tags:
            changes["tags"] = split_tags(state.tags) or None
        return changes

    def _write(self, state: FormState, then_close: bool) -> None:
        journal = self.journal
        try:
            if self.path is None or self.edit is None:
                reflection = journal.add_reflection(
                    state.title, day=_dt.date.fromisoformat(state.date), kind=state.kind,
                    contacts=list(state.contacts),
                    follow_up=_dt.date.fromisoformat(state.follow_up) if state.follow_up else None,
                    tags=split_tags(state.tags), body=state.body,
                )
                path = reflection.path
            else:
                body = state.body if state.body != self.saved.body else None
                journal.update_reflection(self.path, self._changes(state), body=body, edit=self.edit)
                path = self.path
        except SaveConflict as conflict:
            self._conflict(conflict, then_close)
            return
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        self._saved(path, state)
        if then_close:
            self._close()

    def _saved(self, path: str, state: FormState) -> None:
        """After a save (or a merge): the file now holds ``state``; further saves start
        from the version written."""
        journal = self.journal
        old_key = self.draft_key
        self.path = path
        self.draft_key = self._key_for(path)
        for key in {old_key, self.draft_key}:
            journal.discard_draft(key)
        try:
            self.edit = journal.edit(path)
        except JournalError:
            self.edit = None
        self._draft_is_stale = False
        self.saved = state
        self.sub_title = "Edit reflection"
        title = self.query_one("#title", Input)
        if title.value != state.title:
            title.value = state.title
        self.notify(path, title="Saved", markup=False, timeout=3)
        self.app.journal_changed(path)
        self._show_status()

    def _conflict(self, conflict: SaveConflict, then_close: bool) -> None:
        """Another program wrote the file: merge both, take theirs, or keep mine as a
        copy (the dialog does it through the core); escape keeps the text here."""
        from netjournal.tui.screens.conflict import ConflictScreen, Resolved

        def chosen(resolved: Resolved | None) -> None:
            if resolved is None:
                self.write_draft()
                return
            if resolved.choice == "merged" and resolved.edit is not None:
                self.notify("Their changes and yours are both in the file now.", title="Merged",
                            markup=False, timeout=6)
                self._saved(resolved.edit.path, FormState.of_edit(resolved.edit))
                self._fill(self.saved)
                if then_close:
                    self._close()
                return
            if resolved.copy:
                self.notify(f"Your version is saved beside it as {resolved.copy}; merge the two in any editor.",
                            title="Kept yours as a copy", markup=False, timeout=10)
                self.app.journal_changed(resolved.copy)
            self._reload(resolved.edit)

        self.app.push_screen(ConflictScreen(conflict, what="This reflection's file"), chosen)

    def _reload(self, edit: Edit | None) -> None:
        """Show what is on disk now (after a conflict); None: the file is gone."""
        journal = self.journal
        journal.discard_draft(self.draft_key)
        if edit is None:
            self.notify(f"{self.path} is gone. Saving will write it as a new reflection.", severity="warning",
                        markup=False)
            self.path, self.edit = None, None
            self._show_status()
            return
        self.edit = edit
        self._draft_is_stale = False
        self.saved = FormState.of_edit(edit)
        self._fill(self.saved)
        self.app.journal_changed(self.path)
        self._show_status()

    # ------------------------------------------------------------------ $EDITOR

    def action_edit_externally(self) -> None:
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or shutil.which("nano") \
            or shutil.which("vi")
        if not command:
            self.notify("Set $VISUAL or $EDITOR to your editor (e.g. export EDITOR=nano).",
                        severity="warning", markup=False)
            return
        try:
            argv = shlex.split(command)
        except ValueError:
            self.notify(f"Cannot read the editor command {command!r}.", severity="error", markup=False)
            return
        journal = self.journal
        area = self.body_area
        try:
            scratch = journal.scratch_write(self.draft_key, area.text)
        except OSError as exc:
            self.app.report_error(exc)
            return
        self.write_draft()
        result = self._run_editor([*argv, str(scratch)])
        try:
            text = journal.scratch_read(scratch)
        except JournalError as exc:
            self.app.report_error(exc)
            return
        if isinstance(result, OSError):
            self.notify(f"Could not start {argv[0]}: {result.strerror or result}", title="$EDITOR",
                        severity="error", markup=False)
            return
        if result != 0:
            self.notify(f"The editor exited with code {result}; the text was left as it was.",
                        title="$EDITOR", severity="warning", markup=False)
            return
        if text != area.text:
            area.replace(text, (0, 0), area.document.end, maintain_selection_offset=False)
            self.notify("The body now holds what the editor wrote (ctrl+z undoes it).", title="$EDITOR",
                        markup=False, timeout=3)
        area.focus()

    def _run_editor(self, argv: list[str]) -> int | OSError:
        """Run the editor with the terminal handed over (headless: without a terminal)."""

        def run(**kwargs: Any) -> int | OSError:
            try:
                return subprocess.run(argv, check=False, **kwargs).returncode
            except OSError as exc:
                return exc

        try:
            with self.app.suspend():
                return run()
        except SuspendNotSupported:
            return run(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    # ------------------------------------------------------------------ leaving

    def action_leave_editor(self) -> None:
        if not self.dirty:
            self.journal.discard_draft(self.draft_key)
            self._close()
            return

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.save_reflection(then_close=True)
            elif choice == "discard":
                self.journal.discard_draft(self.draft_key)
                self._close()

        self.app.push_screen(UnsavedChangesScreen(), chosen)

    def _close(self) -> None:
        if self._leaving or self not in self.app.screen_stack:
            return  # closed already
        if self.app.screen is not self:
            self.call_after_refresh(self._close)  # a dialog over the editor is still closing
            return
        self._leaving = True
        for timer in (self._draft_timer, self._preview_timer):
            if timer is not None:
                timer.stop()
        self.dismiss(self.path)
