"""Linked contacts for a reflection: type to complete names from the journal.

The chosen contacts show as a line of names; the input completes from a dropdown
(up/down to move, enter or comma to pick, backspace on an empty input removes the
last one). A name the journal does not know is offered as "create contact"; the
screen decides what creating means (it gets ``CreateRequested``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netjournal.tui.fuzzy import Searchable, rank
from netjournal.tui.safe import literal

CREATE = "\x00create"  # the option id of "create contact" (no slug can hold NUL)
MAX_OPTIONS = 8


class ContactPicker(Vertical):
    """The chosen contacts and an input that completes names."""

    DEFAULT_CSS = """
    ContactPicker {
        height: auto;
        width: 1fr;

        #picker-row {
            height: 1;
        }
        #picker-chosen {
            width: auto;
            max-width: 60%;
            height: 1;
            padding-right: 2;
        }
        #picker-input {
            width: 1fr;
        }
        #picker-options {
            height: auto;
            max-height: 8;
            margin-top: 1;
            border: round $primary;
            background: $surface;
        }
    }
    """

    @dataclass
    class Changed(Message):
        """The chosen contacts changed."""

        picker: "ContactPicker"
        slugs: list[str]

    @dataclass
    class CreateRequested(Message):
        """The user picked "create contact" for a name the journal does not know."""

        picker: "ContactPicker"
        name: str

    def __init__(self, contacts: Iterable[Searchable], chosen: list[str] | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.contacts: list[Searchable] = []
        self.names: dict[str, str] = {}
        self._take(contacts)
        self.chosen: list[str] = list(dict.fromkeys(chosen or []))
        # Held, not queried: a message handled while the editor closes must still find them.
        self._chosen = Static(id="picker-chosen")
        self.input = Input(placeholder="type a name, enter adds it", compact=True, id="picker-input")
        self.options = OptionList(id="picker-options")

    def compose(self) -> ComposeResult:
        with Horizontal(id="picker-row"):
            yield self._chosen
            yield self.input
        yield self.options

    def on_mount(self) -> None:
        self.options.display = False
        self._show_chosen()

    def _take(self, contacts: Iterable[Searchable]) -> None:
        self.contacts = list(contacts)
        self.names = {c.slug: c.label for c in self.contacts}

    def set_contacts(self, contacts: Iterable[Searchable]) -> None:
        """The journal's contacts changed: complete from these."""
        self._take(contacts)
        self._show_chosen()

    def set_chosen(self, slugs: list[str]) -> None:
        self.chosen = list(dict.fromkeys(slugs))
        self._show_chosen()

    def add(self, slug: str) -> None:
        """Link one more contact (no-op when already linked)."""
        if slug not in self.chosen:
            self.chosen.append(slug)
            self._changed()
        self.input.value = ""
        self._close()

    def remove_last(self) -> None:
        if self.chosen:
            self.chosen.pop()
            self._changed()

    def _changed(self) -> None:
        self._show_chosen()
        self.post_message(self.Changed(self, list(self.chosen)))

    def _show_chosen(self) -> None:
        text = Text()
        for i, slug in enumerate(self.chosen):
            if i:
                text.append("  ")
            known = slug in self.names
            text.append_text(literal(self.names.get(slug, slug), "bold" if known else "italic"))
            if not known:
                text.append(" (unknown)", "dim")
        if not self.chosen:
            text.append("none yet", "dim")
        self._chosen.update(text)

    # ------------------------------------------------------------------ the dropdown

    def _open(self, query: str) -> None:
        options = self.options
        options.clear_options()
        slugs = rank(self.contacts, query, self.chosen)[:MAX_OPTIONS] if query.strip() else []
        items: list[Option] = []
        for slug in slugs:
            label = literal(self.names[slug])
            label.append(f"  {slug}", "dim")
            items.append(Option(label, id=slug))
        exact = any(self.names[s].lower() == query.strip().lower() for s in self.names)
        if query.strip() and not exact:
            label = Text("+ Create contact ")
            label.append_text(literal(query.strip(), "bold"))
            items.append(Option(label, id=CREATE))
        if not items:
            self._close()
            return
        options.add_options(items)
        options.highlighted = 0
        options.display = True

    def _close(self) -> None:
        self.options.display = False

    @property
    def is_open(self) -> bool:
        return bool(self.options.display) and self.options.option_count > 0

    def _pick(self, index: int | None) -> None:
        if index is None:
            return
        option = self.options.get_option_at_index(index)
        if option.id == CREATE:
            name = self.input.value.strip()
            self.input.value = ""
            self._close()
            if name:
                self.post_message(self.CreateRequested(self, name))
        elif option.id:
            self.add(option.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        value = event.value
        if value.endswith(","):
            self.input.value = value[:-1]
            if self.is_open:
                self._pick(self.options.highlighted)
            return
        self._open(value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.is_open:
            event.stop()
            self._pick(self.options.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)
        self.input.focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # By the time the blur arrives the focus has moved on: the list stays open only
        # when it took the focus itself (a click on an option).  Decided now, not after
        # a refresh: by then the editor may be closed and this picker gone.
        if event.widget is self.input and self.app.focused is not self.options:
            self._close()

    def on_key(self, event: events.Key) -> None:
        if not self.input.has_focus:
            return
        if self.is_open and event.key in ("down", "up"):
            options = self.options
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()
            event.prevent_default()
        elif self.is_open and event.key == "escape":
            self._close()
            event.stop()
            event.prevent_default()
        elif event.key == "backspace" and not self.input.value and self.chosen:
            self.remove_last()
            event.stop()
            event.prevent_default()
