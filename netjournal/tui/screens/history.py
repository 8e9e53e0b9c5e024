"""Every committed version of one contact or reflection, with what each changed.

The versions are on the left (newest first: when, what changed, where it was made);
the diff of the highlighted one against the version before it on the right.  ``r``
brings the highlighted version back as a new change, through the core's edit
protocol: a file that changed since this screen opened is a conflict (the usual
dialog), never overwritten.  git runs off the UI thread.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from netjournal.journal import Edit, JournalError, SaveConflict
from netjournal.sync import SyncError
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.conflict import ConflictScreen, Resolved
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header

DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def diff_text(lines: list[str]) -> Text:
    """A unified diff, coloured, every line literal (user text)."""
    text = Text()
    for line in lines:
        style = next((s for prefix, s in DIFF_STYLES if line.startswith(prefix)), "")
        text.append_text(literal(line, style))
        text.append("\n")
    return text


class HistoryScreen(JournalScreen):
    """The versions of the file at ``path`` (a journal path)."""

    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "go_back", "Back", id="history.back"),
        Binding("r", "restore", "Restore this version", id="history.restore"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.versions: list[Any] = []
        self.repo: Any = None
        self.edit: Edit | None = None  # the version on disk when the screen opened: a restore starts from it

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-body"):
            yield DataTable(id="history-versions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="history-diff", can_focus=True):
                yield Static(id="history-diff-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "netjournal · History"
        self.sub_title = self.path
        table = self.query_one(DataTable)
        table.border_title = "Versions"
        self.query_one("#history-diff").border_title = "What it changed"
        self._say("Reading the history…")
        try:
            self.edit = self.journal.edit(self.path)
        except (JournalError, OSError):
            self.edit = None  # gone or unreadable now: a restore writes it afresh
        self.run_worker(self._load, thread=True, group="history", exclusive=True)
        table.focus()

    def _say(self, words: str) -> None:
        self.query_one("#history-diff-text", Static).update(literal(words, oneline=False))

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        from netjournal.sync.history import versions
        from netjournal.sync.repo import Repo

        try:
            repo = Repo.open(self.journal.root, interactive=False)
            found = versions(repo, self.path)
        except SyncError as exc:
            self.app.call_from_thread(self._say, f"No history: {exc}")
            return
        self.app.call_from_thread(self._show, repo, found)

    def _show(self, repo: Any, found: list[Any]) -> None:
        self.repo, self.versions = repo, found
        table = self.query_one(DataTable)
        # widths from the rows themselves: a table filled from a worker gets no idle
        # moment to measure them before it is seen
        table.clear(columns=True)
        table.add_column("#", width=max(1, len(str(len(found)))))
        table.add_column("When", width=16)
        table.add_column("What changed", width=min(80, max([12] + [len(v.what) for v in found])))
        for version in found:
            table.add_row(str(version.number), version.when, literal(version.what), key=str(version.number))
        table.border_subtitle = f"{len(found)} version{'s' if len(found) != 1 else ''} · r restores"
        if not found:
            self._say("No committed versions yet: Sync now (or netjournal sync) commits this file.")
            return
        table.move_cursor(row=0)
        self._show_diff(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.versions:
            self._show_diff(event.cursor_row)

    def _show_diff(self, row: int) -> None:
        from netjournal.sync.history import version_diff

        if not 0 <= row < len(self.versions):
            return
        version = self.versions[row]
        try:
            lines = version_diff(self.repo, self.versions, version)
        except SyncError as exc:
            self._say(str(exc))
            return
        heading = Text()
        heading.append_text(literal(f"{version.when} · {version.subject}", "bold"))
        heading.append("\n")
        heading.append_text(literal(f"{version.short} by {version.author}" +
                                    (f" ({version.step} on {version.host})" if version.step else ""), "dim"))
        heading.append("\n\n")
        heading.append_text(diff_text(lines) if lines else literal("(no change to the text)", "dim"))
        self.query_one("#history-diff-text", Static).update(heading)

    # ------------------------------------------------------------------ restore

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not self.versions:
            self.notify("There is no version to restore.", markup=False)
            return
        version = self.versions[table.cursor_row]
        if version.number == 1 and version.status != "D":
            self.notify("That is the version the file has now.", markup=False, timeout=4)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(version)

        self.app.push_screen(ConfirmModal(
            f"Bring back version {version.number} ({version.when})? It becomes a new change; "
            "the version the file has now stays in the history.", yes="Restore", no="Keep it"), answered)

    def _restore(self, version: Any) -> None:
        from netjournal.sync.history import restore_version

        try:
            restore_version(self.repo, self.journal, self.path, version, edit=self.edit)
        except SaveConflict as conflict:
            self.app.push_screen(ConflictScreen(conflict, what="The file"), self._resolved)
            return
        except (SyncError, JournalError, OSError) as exc:
            self.notify(clean(str(exc)), title="Not restored", severity="error", markup=False, timeout=10)
            return
        self.notify(f"Version {version.number} is back, as a new change.", title="Restored", markup=False)
        self._changed()

    def _resolved(self, resolved: Resolved | None) -> None:
        if resolved is None:
            self.notify("Nothing was restored; the file is as the other program left it.", markup=False)
            return
        self._changed(resolved.copy)

    def _changed(self, copy: str | None = None) -> None:
        try:
            self.edit = self.journal.edit(self.path)
        except (JournalError, OSError):
            self.edit = None
        self.app.journal_changed(copy or self.path)
        self.app.git_sync.refresh()
        self.run_worker(self._load, thread=True, group="history", exclusive=True)

    def action_go_back(self) -> None:
        self.app.pop_screen()
