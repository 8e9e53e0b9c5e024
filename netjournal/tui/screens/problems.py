"""Files that could not be read: path, line and reason. They are never rewritten."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from netjournal.model import Problem
from netjournal.tui.safe import literal


class ProblemsScreen(ModalScreen[None]):
    """Every file the app could not fully read, with where and why."""

    CSS_PATH = "problems.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="problems.close")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-dialog", classes="dialog"):
            yield Static(f"Problems ({len(self.problems)})", classes="dialog-title")
            if self.problems:
                yield Static("These files are left exactly as they are. Fix them in any editor; "
                             "the app picks up the change.", classes="hint")
                yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)
            else:
                yield Static("No problems: every file reads cleanly.", classes="no-problems")
            yield Static("escape closes this", classes="hint")

    def on_mount(self) -> None:
        if not self.problems:
            return
        table = self.query_one(DataTable)
        table.add_columns("File", "Line", "Reason")
        for problem in self.problems:
            reason = problem.reason + ("" if problem.severity == "error" else " (warning)")
            table.add_row(literal(problem.path), str(problem.line), literal(reason))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
