"""The six networking steps of one contact, as a list you move through with the keys.

The widget only shows and asks: it posts ``StepToggled`` (space) and
``StepNoteRequested`` (enter) upward, and the screen decides what to write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from netjournal.model import STEPS, Contact, Step
from netjournal.tui.safe import literal
from netjournal.tui.widgets.styled import component_style


@dataclass
class StepToggled(Message):
    """Space was pressed on a step; ``done`` is whether it was done at that moment."""

    key: str
    done: bool


@dataclass
class StepNoteRequested(Message):
    """Enter was pressed on a step: the user wants to edit its note."""

    key: str


class StepChecklist(OptionList):
    """One option per step: mark, label, date (or "not yet"), question, note.

    The next step to work on carries a "next" marker and the article's suggestion.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_step", "Done / undo", id="contact.step.toggle"),
        Binding("enter", "edit_note", "Step note", id="contact.step.note"),
        Binding("down", "cursor_down", "Next step", show=False, id="contact.step.down"),
        Binding("up", "cursor_up", "Previous step", show=False, id="contact.step.up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | {
        "step-checklist--done",
        "step-checklist--todo",
        "step-checklist--next",
        "step-checklist--date",
        "step-checklist--question",
        "step-checklist--note",
        "step-checklist--suggestion",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.contact: Contact | None = None
        self.about_me: list[tuple[str, list[str]]] = []  # the "me" card: (label, items)

    # ------------------------------------------------------------------ showing

    def show(self, contact: Contact, about_me: list[tuple[str, list[str]]] | None = None) -> None:
        """Show ``contact``'s steps, keeping the cursor where it was (or on the next step).
        ``about_me``: the "me" card's fields, shown under the ``known`` step's question."""
        first_time = self.contact is None
        self.contact = contact
        if about_me is not None:
            self.about_me = about_me
        cursor = self.highlighted
        self.set_options(Option(self._prompt(step), id=step.key) for step in STEPS)
        if first_time or cursor is None:
            cursor = self.next_index()
        self.highlighted = cursor

    def next_index(self) -> int:
        """Where the cursor starts: the next step to work on (the first when all are done)."""
        step = self.contact.next_step if self.contact else None
        return [s.key for s in STEPS].index(step.key) if step else 0

    @property
    def current_key(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    def _style(self, name: str):
        return component_style(self, f"step-checklist--{name}")

    def _prompt(self, step: Step) -> RenderableType:
        """Two columns, so wrapped lines keep their indent: a mark, then the lines."""
        assert self.contact is not None
        state = self.contact.steps[step.key]
        upcoming = self.contact.next_step
        is_next = upcoming is not None and upcoming.key == step.key
        grid = Table.grid()
        grid.add_column(width=2, no_wrap=True)
        grid.add_column(ratio=1)
        if state.done:
            mark, look, when = "✓", "done", state.date or ""
        elif is_next:
            mark, look, when = "▶", "next", "next · not yet"
        else:
            mark, look, when = "○", "todo", "not yet"
        title = Text(step.label, self._style(look))
        title.append(f"  {when}", self._style("date"))
        grid.add_row(Text(mark, self._style(look)), title)
        grid.add_row("", Text(step.question, self._style("question")))
        if step.key == "known" and not state.done:
            grid.add_row("", self._about_me())
        if state.note:
            note = Text("“")
            note.append_text(literal(state.note, self._style("note")))
            note.append("”")
            grid.add_row("", note)
        if is_next:
            grid.add_row(Text("→", self._style("suggestion")), Text(step.suggestion, self._style("suggestion")))
        return grid

    def _about_me(self) -> Text:
        """The "me" card under the known step: "Do they know this about you?" """
        if not self.about_me:
            return Text("Write your card (m): what you want them to know about you.", self._style("question"))
        text = Text("Do they know this about you?", self._style("suggestion"))
        for label, values in self.about_me:
            text.append(f"\n{label}: ", self._style("date"))
            text.append_text(literal("; ".join(values), self._style("question")))
        return text

    def notify_style_update(self) -> None:
        # The prompts carry colours from the stylesheet: rebuild them on a theme change.
        super().notify_style_update()
        if self.contact is not None and self.option_count:
            for index, step in enumerate(STEPS):
                self._replace_option_prompt(index, self._prompt(step))

    # ------------------------------------------------------------------ keys

    def action_toggle_step(self) -> None:
        key = self.current_key
        if key and self.contact is not None:
            self.post_message(StepToggled(key, self.contact.steps[key].done))

    def action_edit_note(self) -> None:
        key = self.current_key
        if key:
            self.post_message(StepNoteRequested(key))
