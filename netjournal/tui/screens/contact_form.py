"""The new/edit contact form: who, why, what you can give, how often to touch base,
and the dates to remember.

Nothing is written until every field is valid; each problem is explained under its
field.  Editing keeps the file as it was loaded when the form opened, so a change
made on disk meanwhile is caught (the conflict dialog lets the user choose).

``dates`` is a list: one row per date (what it is, and the day), and a blank row at
the end that becomes a date when typed in (another blank row then appears).  Clearing
both halves of a row removes that date; a date's other keys in the file are kept.
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


DATE_LABEL = "what it is, e.g. started at Harbourline"
DATE_DAY = "YYYY-MM-DD or --MM-DD"


class DateRow(Horizontal):
    """One date to remember: what it is, and the day (``index``: its place in the
    file's ``dates`` list, None for a date added here)."""

    def __init__(self, number: int, label: str = "", day: str = "", index: int | None = None,
                 *, first: bool = False) -> None:
        super().__init__(classes="form-row date-row", id=f"date-row-{number}")
        self.number = number  # unique in the form (rows shown again after a reload get new ones)
        self.first = first
        self.index = index
        self.loaded = (label, day)

    def compose(self) -> ComposeResult:
        yield Label("Dates" if self.first else "", classes="form-label")
        yield Input(self.loaded[0], placeholder=DATE_LABEL, id=f"date-label-{self.number}", compact=True,
                    classes="date-label")
        yield Input(self.loaded[1], placeholder=DATE_DAY, id=f"date-day-{self.number}", compact=True,
                    classes="date-day")

    @property
    def values(self) -> tuple[str, str]:
        return (self.query_one(".date-label", Input).value.strip(), self.query_one(".date-day", Input).value.strip())


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
        self.dates_loaded: list[Any] = []  # the file's ``dates`` list, as it was
        self.dates_editable = True  # False when ``dates:`` is not a list: left to the file
        self._rows = 0  # date rows made so far (each gets its own id)
        self._date_rows: list[DateRow] = []

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
                yield Vertical(id="form-dates")
                yield Static(id="error-dates", classes="form-error")
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
        self.show_dates()
        self.set_focus(self.query_one("#field-name", Input))

    # ------------------------------------------------------------------ dates

    def show_dates(self) -> None:
        """One row per date in the file, then a blank row to add one."""
        holder = self.query_one("#form-dates", Vertical)
        holder.remove_children()
        self._date_rows = []
        if not self.dates_editable:
            self.query_one("#error-dates", Static).update(
                "dates: in the file is not a list of {label: …, date: …}; edit it in the file.")
            self.query_one("#error-dates", Static).display = True
            return
        rows = [self._row(as_text(item.get("label")), as_text(item.get("date")), index)
                for index, item in enumerate(self.dates_loaded) if isinstance(item, dict)]
        rows.append(self._row())
        rows[0].first = True
        self._date_rows = rows
        holder.mount_all(rows)

    def _row(self, label: str = "", day: str = "", index: int | None = None) -> DateRow:
        row = DateRow(self._rows, label, day, index)
        self._rows += 1
        return row

    def date_rows(self) -> list[DateRow]:
        """The rows shown now (those of an earlier load may still be being removed)."""
        return list(self._date_rows)

    @on(Input.Changed, ".date-label, .date-day")
    def _date_typed(self, event: Input.Changed) -> None:
        # typing in the blank row makes it a date, and offers another blank row
        rows = self.date_rows()
        if rows and event.input.parent is rows[-1] and any(rows[-1].values):
            row = self._row()
            self._date_rows.append(row)
            self.query_one("#form-dates", Vertical).mount(row)
        if self.query_one("#error-dates", Static).display and self.dates_editable:
            self.show_date_problems(self.date_problems())

    def date_problems(self) -> list[str]:
        """What is wrong with each row, in words the user can act on."""
        found = []
        for row in self.date_rows():
            label, day = row.values
            if label and not day:
                found.append(f"'{label}' needs a day: YYYY-MM-DD, or --MM-DD without the year.")
            elif day and not label:
                found.append(f"Say what {day} is (e.g. started at Harbourline, daughter born).")
            elif broken_date(day):
                found.append(f"'{day}' is not a date: write YYYY-MM-DD (e.g. 2021-03-01), or --MM-DD "
                             "without the year (--06-14).")
        return found

    def show_date_problems(self, found: list[str]) -> None:
        error = self.query_one("#error-dates", Static)
        error.update("\n".join(found))
        error.display = bool(found)
        for row in self.date_rows():
            label, day = row.values
            bad = bool((label and not day) or (day and not label) or broken_date(day))
            for field in row.query(Input):
                field.set_class(bad, "-invalid-field")

    def dates_wanted(self) -> list[Any] | None:
        """The ``dates`` list to write (None: remove the key), keeping each date's other
        keys and anything in the list that is not a date as it was."""
        rows = {row.index: row for row in self.date_rows() if row.index is not None}
        wanted: list[Any] = []
        for index, item in enumerate(self.dates_loaded):
            row = rows.get(index)
            if row is None:  # not a {label, date}: the file's own, kept
                wanted.append(item)
                continue
            label, day = row.values
            if not label and not day:
                continue  # cleared: removed
            if (label, day) == row.loaded:
                wanted.append(item)
            else:
                wanted.append(dict(item, label=label, date=birthday(day)))
        for row in self.date_rows():
            label, day = row.values
            if row.index is None and label and day:
                wanted.append({"label": label, "date": birthday(day)})
        return wanted or None

    def load(self) -> None:
        """Read the contact's file now; the save checks it has not changed since."""
        assert self.slug is not None
        self.edit = self.journal.edit_contact(self.slug)
        meta = self.edit.meta
        self.loaded = {field.key: as_text(meta.get(field.key)) for field in FIELDS}
        self.loaded["tags"] = ", ".join(as_list(meta.get("tags")))
        self.loaded["links"] = " ".join(as_list(meta.get("links")))
        dates = meta.get("dates")
        self.dates_editable = dates is None or isinstance(dates, list)
        self.dates_loaded = list(dates) if isinstance(dates, list) else []
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
        if not (event.input.id or "").startswith("field-"):
            return  # a date row (see _date_typed)
        key = (event.input.id or "").removeprefix("field-")
        error = self.query_one(f"#error-{key}", Static) if key else None
        if error is not None and error.display:
            found = self.problems(self.values())
            self.show_problems({k: v for k, v in found.items() if self.query_one(f"#error-{k}", Static).display})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        # enter walks down the form; on the last field it saves
        event.stop()
        rows = self.date_rows()
        last = rows[-1].query_one(".date-day", Input) if rows else self.query_one(f"#field-{FIELDS[-1].key}", Input)
        if event.input is last:
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
        """True when a field (or a date) differs from what the form opened with."""
        if self.dates_editable and self.dates_wanted() != (self.dates_loaded or None):
            return True
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
        date_problems = self.date_problems() if self.dates_editable else []
        self.show_date_problems(date_problems)
        if found:
            first = next(field.key for field in FIELDS if field.key in found)
            self.set_focus(self.query_one(f"#field-{first}", Input))
            return
        if date_problems:
            self.set_focus(next(field for field in self.query_one("#form-dates").query(Input)
                                if field.has_class("-invalid-field")))
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
                         if key in ("phone", "birthday", "links", "dates") and value}
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
        changed = {key: value for key, value in wanted.items() if values[key] != self.loaded[key]}
        if self.dates_editable:
            dates = self.dates_wanted()
            if dates != (self.dates_loaded or None):
                changed["dates"] = dates
        return changed

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
            self.show_dates()
            if resolved.copy:
                self.notify(f"Your version was saved as {clean(resolved.copy)}. The form now shows the file on disk.",
                            title="Kept mine as a copy", markup=False, timeout=12)
            else:
                self.notify("The form now shows the file as it is on disk.", markup=False, timeout=6)

        self.app.push_screen(ConflictScreen(conflict, what="This contact's file"), chosen)
