"""Files that could not be read: path, line and reason. They are never rewritten."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from netjournal.model import Problem
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal


class ProblemsScreen(JournalModal[None]):
    """Every file the app could not fully read, with where and why."""

    CSS_PATH = "problems.tcss"
    BINDINGS = [
        Binding("r", "check_again", "Check again", id="problems.check"),
        Binding("escape", "close", "Close", id="problems.close"),
    ]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-dialog", classes="dialog"):
            yield Static("", id="problems-title", classes="dialog-title")
            yield Static("These files are left exactly as they are. Fix them in any editor, "
                         "then press r to read them again.", id="problems-hint", classes="hint")
            yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)
            yield Static("No problems: every file reads cleanly.", classes="no-problems")
            yield Static("r checks again · escape closes this", classes="hint")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("File", "Line", "Reason")
        self.show_problems()

    def show_problems(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for problem in self.problems:
            reason = problem.reason + ("" if problem.severity == "error" else " (warning)")
            table.add_row(literal(problem.path), str(problem.line), literal(reason))
        self.query_one("#problems-title", Static).update(f"Problems ({len(self.problems)})")
        for widget in (table, self.query_one("#problems-hint")):
            widget.display = bool(self.problems)
        self.query_one(".no-problems").display = not self.problems
        if self.problems:
            table.focus()

    def action_check_again(self) -> None:
        """Re-read what changed on disk (a file fixed in another editor)."""
        journal = self.journal
        journal.sync()
        self.problems = journal.problems()
        self.show_problems()
        self.app.journal_changed()

    def action_close(self) -> None:
        self.dismiss(None)
