"""Linked contacts for a reflection: type to complete names from the journal.

The chosen contacts show as a line of names; the input completes from a dropdown
(up/down to move, enter or comma to pick, backspace on an empty input removes the
last one). A name the journal does not know is offered as "create contact"; the
screen decides what creating means (it gets ``CreateRequested``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netjournal.tui.safe import literal

CREATE = "\x00create"  # the option id of "create contact" (no slug can hold NUL)
MAX_OPTIONS = 8


def rank_names(names: dict[str, str], query: str, exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Slugs whose name (or slug) matches ``query``: names starting with it first,
    then any word starting with it, then containing it."""
    words = query.lower().split()
    if not words:
        return [slug for slug in names if slug not in exclude]
    first, second, third = [], [], []
    for slug, name in names.items():
        if slug in exclude:
            continue
        lower = name.lower()
        hay = f"{lower} {slug}"
        if not all(w in hay for w in words):
            continue
        if lower.startswith(words[0]):
            first.append(slug)
        elif any(part.startswith(words[0]) for part in lower.split()):
            second.append(slug)
        else:
            third.append(slug)
    return first + second + third


class ContactPicker(Vertical):
    """The chosen contacts and an input that completes names."""

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

    def __init__(self, names: dict[str, str], chosen: list[str] | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.names = dict(names)
        self.chosen: list[str] = list(dict.fromkeys(chosen or []))

    def compose(self) -> ComposeResult:
        with Horizontal(id="picker-row"):
            yield Static(id="picker-chosen")
            yield Input(placeholder="type a name, enter adds it", compact=True, id="picker-input")
        yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.query_one("#picker-options", OptionList).display = False
        self._show_chosen()

    # ------------------------------------------------------------------ state

    @property
    def input(self) -> Input:
        return self.query_one("#picker-input", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one("#picker-options", OptionList)

    def set_names(self, names: dict[str, str]) -> None:
        self.names = dict(names)
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
        chosen = self.query_one("#picker-chosen", Static)
        chosen.update(text)

    # ------------------------------------------------------------------ the dropdown

    def _open(self, query: str) -> None:
        options = self.options
        options.clear_options()
        slugs = rank_names(self.names, query, self.chosen)[:MAX_OPTIONS] if query.strip() else []
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
        if event.widget is self.input:
            self.call_after_refresh(self._close_unless_focused)

    def _close_unless_focused(self) -> None:
        if self.screen.focused not in (self.input, self.options):
            self._close()

    def on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self.input:
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
