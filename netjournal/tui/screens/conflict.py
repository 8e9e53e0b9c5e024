"""A file changed on disk behind the app's back: the user chooses what happens.

Every screen that saves meets the same ``SaveConflict`` from the core's edit protocol
(``netjournal/edits.py``) and hands it here.  The dialog offers what the core can do --
merge both (when they changed different keys or lines), reload theirs, keep mine as a
``.conflict-…`` copy, or decide later -- does it, and dismisses with a ``Resolved``
saying what is on disk now.  Nothing is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from netjournal.journal import Edit, JournalError, SaveConflict
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal

Choice = Literal["merged", "theirs", "mine"]


@dataclass(frozen=True)
class Resolved:
    """What the user chose, and what it left: ``edit`` is the file as it is now (None
    when it is gone), ``copy`` the path of my version kept beside it."""

    choice: Choice
    edit: Edit | None
    copy: str | None = None


class ConflictScreen(JournalModal["Resolved | None"]):
    """Merge both, reload theirs, or keep mine as a copy; escape decides later (nothing
    is written, and the caller keeps the user's unsaved text)."""

    CSS_PATH = "conflict.tcss"
    BINDINGS = [
        Binding("b", "choose('merged')", "Merge both", id="conflict.merge"),
        Binding("t", "choose('theirs')", "Reload theirs", id="conflict.theirs"),
        Binding("m", "choose('mine')", "Keep mine as a copy", id="conflict.mine"),
        Binding("escape", "choose(None)", "Decide later", id="conflict.later"),
    ]

    def __init__(self, conflict: SaveConflict, *, what: str = "This contact's file") -> None:
        super().__init__()
        self.conflict = conflict
        self.what = what
        self.can_merge = conflict.can_merge

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        with Vertical(id="conflict-dialog", classes="dialog"):
            yield Static(literal(f"{self.what} changed on disk since you opened it"), classes="dialog-title")
            yield Static(literal(conflict.rel), id="conflict-path")
            if conflict.theirs is None:
                explain = ("Another program moved or deleted it after you opened it here, so your change "
                           "was not saved.")
            else:
                explain = ("Another program (an editor, a sync tool) wrote it after you opened it here, "
                           "so your change was not saved and nothing was overwritten.")
            yield Static(explain, id="conflict-explain")
            choices = []
            if self.can_merge:
                choices.append("Merge both: theirs, with your changes on top (you changed different things).")
            if conflict.theirs is not None:
                choices.append("Reload theirs: forget your change and show what is on disk now.")
            choices.append("Keep mine: save your version beside it as a .conflict copy"
                           + (", then show theirs; merge the two in any editor." if conflict.theirs is not None
                              else "; rename it back when you want it."))
            yield Static("\n".join(choices), classes="hint", id="conflict-choices")
            with Horizontal(classes="buttons"):
                if self.can_merge:
                    yield Button("Merge (b)", variant="primary", id="merged")
                if conflict.theirs is not None:
                    yield Button("Theirs (t)", variant="default" if self.can_merge else "primary", id="theirs")
                yield Button("Mine (m)", id="mine")
                yield Button("Later (esc)", id="later")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = event.button.id
        self.action_choose(choice if choice in ("merged", "theirs", "mine") else None)

    def action_choose(self, choice: str | None) -> None:
        if choice is None:
            self.dismiss(None)
            return
        if (choice == "merged" and not self.can_merge) or (choice == "theirs" and self.conflict.theirs is None):
            return
        try:
            resolved = self._resolve(choice)
        except SaveConflict:
            # the file changed yet again while the dialog was open: ask about that one
            self.app.notify("The file changed again meanwhile; nothing was written.", severity="warning",
                            markup=False)
            self.dismiss(None)
            return
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            self.dismiss(None)
            return
        self.dismiss(resolved)

    def _resolve(self, choice: str) -> Resolved:
        conflict = self.conflict
        if choice == "merged":
            merged = conflict.merge()
            if merged is None:  # cannot happen after can_merge, unless the file moved again
                raise SaveConflict(conflict.edit, conflict.mine)
            return Resolved("merged", merged)
        copy = conflict.keep_mine() if choice == "mine" else None
        theirs = self._theirs()
        return Resolved("mine" if copy else "theirs", theirs, copy)

    def _theirs(self) -> Edit | None:
        try:
            return self.conflict.take_theirs()
        except JournalError:  # gone, or no longer readable: the caller shows that
            return None
