"""A reflection's kind as one focusable line: left/right cycle, a first letter picks.

The seven kinds start with seven different letters (note, meeting, give, thanks, ask,
receive, intro), so typing one is the quickest way to choose.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from netjournal.model import KINDS


class KindPicker(Widget, can_focus=True):
    """Shows ``◂ kind ▸``; posts ``Changed`` when the kind changes."""

    BINDINGS = [
        Binding("right,space", "cycle(1)", "Next kind", show=False, id="kind.next"),
        Binding("left", "cycle(-1)", "Previous kind", show=False, id="kind.previous"),
    ]

    value: reactive[str] = reactive("note")

    @dataclass
    class Changed(Message):
        picker: "KindPicker"
        value: str

    def __init__(self, value: str = "note", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(KindPicker.value, value if value in KINDS else "note")

    def render(self) -> Text:
        text = Text("◂ ", style="dim")
        text.append(self.value, style="bold")
        text.append(" ▸", style="dim")
        return text

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_cycle(self, step: int) -> None:
        self.value = KINDS[(KINDS.index(self.value) + step) % len(KINDS)]

    def on_key(self, event: events.Key) -> None:
        # Letters choose a kind; other printable keys do nothing here (a stray "q" or
        # "3" should not quit or leave the editor), except "?" for the key list.
        if event.character and event.is_printable and event.character != "?":
            event.stop()
            event.prevent_default()
            for kind in KINDS:
                if kind.startswith(event.character.lower()):
                    self.value = kind
                    return

    def on_click(self) -> None:
        self.action_cycle(1)
