"""The new/edit contact form: who, why, what you can give, how often to touch base.

Nothing is written until every field is valid; each problem is explained under its
field.  Editing keeps the file as it was loaded when the form opened, so a change
made on disk meanwhile is caught (the conflict dialog lets the user choose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from netjournal.interop.records import birthday, broken_date
from netjournal.journal import Edit, JournalError, SaveConflict
from netjournal.model import as_list, as_text
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal
from netjournal.tui.screens.conflict import ConflictScreen, Resolved
from netjournal.tui.screens.unsaved_changes import UnsavedChangesScreen

_WHOLE = re.compile(r"^\d+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str


FIELDS: tuple[Field, ...] = (
    Field("name", "Name", "Who do you want to know? (required)"),
    Field("org", "Org", "Where they work"),
    Field("role", "Role", "What they do there"),
    Field("email", "Email", "name@example.org"),
    Field("why", "Why", "Why do you want this relationship? Be selective."),
    Field("offer", "Offer", "How can you help them, with what you have?"),
    Field("tags", "Tags", "comma-separated, e.g. mentor, design"),
    Field("cadence", "Cadence", "days between touches; blank for the journal default"),
    Field("phone", "Phone", "+44 7700 900123"),
    Field("birthday", "Birthday", "YYYY-MM-DD, or --MM-DD without the year"),
    Field("links", "Links", "profile URLs, separated by spaces"),
)


class ContactFormScreen(JournalModal[str | None]):
    """Add a contact (slug None) or edit one; dismisses with the slug when saved."""

    CSS_PATH = "contact_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save_contact", "Save", id="form.save"),
        Binding("escape", "cancel_form", "Cancel", id="form.cancel"),
    ]

    def __init__(self, slug: str | None) -> None:
        super().__init__()
        self.slug = slug
        self.edit: Edit | None = None  # the version the form shows; the save starts from it
        self.loaded: dict[str, str] = {key.key: "" for key in FIELDS}

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-form", classes="dialog"):
            yield Static(id="form-title", classes="dialog-title")
            yield Static(
                "Be selective: say why you want to know them. See how you can help them first.",
                classes="hint", id="form-hint",
            )
            with VerticalScroll(id="form-fields"):
                for field in FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(field.label, classes="form-label")
                        yield Input(placeholder=field.placeholder, id=f"field-{field.key}", compact=True)
                    yield Static(id=f"error-{field.key}", classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        title = self.query_one("#form-title", Static)
        if self.slug is None:
            title.update("New contact")
        else:
            try:
                self.load()
            except (JournalError, OSError) as exc:
                self.app.report_error(exc)
                self.dismiss(None)
                return
        default = self.journal.default_cadence or 30
        self.query_one("#field-cadence", Input).placeholder = f"days between touches; blank for the default ({default})"
        self.set_focus(self.query_one("#field-name", Input))

    def load(self) -> None:
        """Read the contact's file now; the save checks it has not changed since."""
        assert self.slug is not None
        self.edit = self.journal.edit_contact(self.slug)
        meta = self.edit.meta
        self.loaded = {field.key: as_text(meta.get(field.key)) for field in FIELDS}
        self.loaded["tags"] = ", ".join(as_list(meta.get("tags")))
        self.loaded["links"] = " ".join(as_list(meta.get("links")))
        for key, value in self.loaded.items():
            self.query_one(f"#field-{key}", Input).value = value
        title = literal("Edit ")
        title.append_text(literal(self.loaded["name"] or self.slug))
        self.query_one("#form-title", Static).update(title)

    # ------------------------------------------------------------------ validation

    def values(self) -> dict[str, str]:
        return {field.key: self.query_one(f"#field-{field.key}", Input).value.strip() for field in FIELDS}

    def problems(self, values: dict[str, str]) -> dict[str, str]:
        """Field key → what is wrong with it, in words the user can act on."""
        found: dict[str, str] = {}
        if not values["name"]:
            found["name"] = "A contact needs a name: who do you want to know?"
        if broken_date(values["birthday"]):
            found["birthday"] = ("Not a date: write YYYY-MM-DD (e.g. 1990-04-15), or --MM-DD without the "
                                 "year (--04-15), or words such as 'circa 1980'.")
        email = values["email"]
        if email and not _EMAIL.match(email):
            found["email"] = "An email address looks like name@example.org (or leave it blank)."
        cadence = values["cadence"]
        if cadence and (not _WHOLE.match(cadence) or int(cadence) <= 0):
            found["cadence"] = (
                "Cadence is a whole number of days, 1 or more (e.g. 30). "
                "Leave it blank for the journal's default."
            )
        return found

    def show_problems(self, found: dict[str, str]) -> None:
        for field in FIELDS:
            error = self.query_one(f"#error-{field.key}", Static)
            message = found.get(field.key, "")
            error.update(message)
            error.display = bool(message)
            self.query_one(f"#field-{field.key}", Input).set_class(bool(message), "-invalid-field")

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        # Once a field shows a problem, say as soon as it is fixed.
        key = (event.input.id or "").removeprefix("field-")
        error = self.query_one(f"#error-{key}", Static) if key else None
        if error is not None and error.display:
            found = self.problems(self.values())
            self.show_problems({k: v for k, v in found.items() if self.query_one(f"#error-{k}", Static).display})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # enter walks down the form; on the last field it saves
        event.stop()
        if event.input.id == f"field-{FIELDS[-1].key}":
            self.action_save_contact()
        else:
            self.focus_next()

    # ------------------------------------------------------------------ saving

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save_contact()
        else:
            self.action_cancel_form()

    @property
    def dirty(self) -> bool:
        """True when a field differs from what the form opened with."""
        return self.values() != {key: value.strip() for key, value in self.loaded.items()}

    def action_cancel_form(self) -> None:
        """Close; with typed changes, ask first (save, discard, or stay), as the editor does."""
        if not self.dirty:
            self.dismiss(None)
            return

        def chosen(choice: str | None) -> None:
            if choice == "save":
                self.action_save_contact()
            elif choice == "discard":
                self.dismiss(None)

        self.app.push_screen(UnsavedChangesScreen("This contact"), chosen)

    def action_save_contact(self) -> None:
        values = self.values()
        found = self.problems(values)
        self.show_problems(found)
        if found:
            first = next(field.key for field in FIELDS if field.key in found)
            self.set_focus(self.query_one(f"#field-{first}", Input))
            return
        tags = [t.strip() for t in values["tags"].split(",") if t.strip()]
        cadence = int(values["cadence"]) if values["cadence"] else None
        if self.slug is None:
            try:
                contact = self.journal.add_contact(
                    values["name"], org=values["org"], role=values["role"], email=values["email"],
                    why=values["why"], offer=values["offer"], tags=tags, cadence=cadence,
                )
                extra = {key: value for key, value in self.changes(values, tags, cadence).items()
                         if key in ("phone", "birthday", "links") and value}
                if extra:
                    contact = self.journal.update_contact(contact.slug, extra)
            except (JournalError, OSError) as exc:
                self.app.report_error(exc)
                return
            self.notify(f"Added {clean(contact.name)}.", markup=False, timeout=3)
            self.app.journal_changed(contact.path)
            self.dismiss(contact.slug)
            return
        changes = self.changes(values, tags, cadence)
        if not changes:
            self.dismiss(self.slug)
            return
        try:
            contact = self.journal.update_contact(self.slug, changes, edit=self.edit)
        except SaveConflict as conflict:
            self._resolve_conflict(conflict)
            return
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        self.notify(f"Saved {clean(contact.name)}.", markup=False, timeout=3)
        self.app.journal_changed(contact.path)
        self.dismiss(self.slug)

    def changes(self, values: dict[str, str], tags: list[str], cadence: int | None) -> dict[str, Any]:
        """Only the keys the user changed, so everything else in the file stays as written."""
        wanted: dict[str, Any] = {
            "name": values["name"],
            "org": values["org"] or None,
            "role": values["role"] or None,
            "email": values["email"] or None,
            "why": values["why"] or None,
            "offer": values["offer"] or None,
            "tags": tags,
            "cadence": cadence,
            "phone": values["phone"] or None,
            "birthday": birthday(values["birthday"]),
            "links": values["links"].split() or None,
        }
        return {key: value for key, value in wanted.items() if values[key] != self.loaded[key]}

    def _resolve_conflict(self, conflict: SaveConflict) -> None:
        def chosen(resolved: Resolved | None) -> None:
            if resolved is None:
                self.notify("Nothing was saved. Your changes are still in the form; the file on disk "
                            "is as the other program left it.", markup=False, timeout=6)
                return
            self.app.journal_changed(resolved.copy or conflict.rel)
            if resolved.choice == "merged":
                self.notify("Saved: their changes and yours are both in the file.", title="Merged",
                            markup=False, timeout=6)
                self.dismiss(self.slug)
                return
            if resolved.edit is None:
                self.notify(f"{clean(conflict.rel)} is gone" + (f"; your version is in {clean(resolved.copy)}"
                            if resolved.copy else "") + ".", severity="warning", markup=False, timeout=12)
                self.dismiss(None)
                return
            self.load()
            self.show_problems({})
            if resolved.copy:
                self.notify(f"Your version was saved as {clean(resolved.copy)}. The form now shows the file on disk.",
                            title="Kept mine as a copy", markup=False, timeout=12)
            else:
                self.notify("The form now shows the file as it is on disk.", markup=False, timeout=6)

        self.app.push_screen(ConflictScreen(conflict, what="This contact's file"), chosen)
