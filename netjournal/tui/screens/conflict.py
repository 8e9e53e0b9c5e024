"""A file changed on disk behind the app's back: the user chooses whose version wins.

Reusable: it takes the file's path and dismisses with "theirs", "mine" or None
(decide later; nothing is written). The caller does the writing.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from netjournal.tui.safe import literal

Choice = Literal["theirs", "mine"]


class ConflictScreen(ModalScreen["Choice | None"]):
    """"Reload theirs" discards my change; "Keep mine" saves mine as a copy beside theirs."""

    CSS_PATH = "conflict.tcss"
    BINDINGS = [
        Binding("t", "choose('theirs')", "Reload theirs", id="conflict.theirs"),
        Binding("m", "choose('mine')", "Keep mine as a copy", id="conflict.mine"),
        Binding("escape", "choose(None)", "Decide later", id="conflict.later"),
    ]

    def __init__(self, path: str, *, what: str = "This contact's file", can_keep_mine: bool = True) -> None:
        super().__init__()
        self.path = path
        self.what = what
        self.can_keep_mine = can_keep_mine

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Static(literal(f"{self.what} changed on disk since you opened it"), classes="dialog-title")
            yield Static(literal(self.path), id="conflict-path")
            yield Static(
                "Another program (an editor, a sync tool) wrote it after you opened it here, "
                "so your change was not saved and nothing was overwritten.",
                id="conflict-explain",
            )
            yield Static(
                "Reload theirs: forget my change and show what is on disk now.\n"
                + ("Keep mine: save my version beside it as a .conflict copy, then show theirs; "
                   "merge the two in any editor." if self.can_keep_mine else ""),
                classes="hint", id="conflict-choices",
            )
            with Horizontal(classes="buttons"):
                yield Button("Reload theirs (t)", variant="primary", id="theirs")
                if self.can_keep_mine:
                    yield Button("Keep mine (m)", id="mine")
                yield Button("Later (esc)", id="later")

    def on_mount(self) -> None:
        self.query_one("#theirs", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = event.button.id
        self.action_choose(choice if choice in ("theirs", "mine") else None)

    def action_choose(self, choice: str | None) -> None:
        if choice == "mine" and not self.can_keep_mine:
            return
        self.dismiss(choice)  # type: ignore[arg-type]
