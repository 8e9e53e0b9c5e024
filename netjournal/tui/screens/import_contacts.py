"""Import contacts (or a jrnl journal): a path with completion, a format guessed from
the file, the plan as a table, a confirmation, a progress bar, then the pool.

The reading, matching and writing are ``netjournal.interop``'s, as for
``netjournal import``; this screen runs them in a worker thread and shows what they
say.  It never opens a file itself: completion and the format's guess are interop's.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from netjournal.interop import FORMATS
from netjournal.interop.plan import NEW, SKIP, UNCHANGED, UPDATE, Item, Plan
from netjournal.journal import JournalError
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.virtual_table import Column, VirtualTable

FORMAT_NAMES = {
    "vcard": "vCard (.vcf: a phone, Apple, Google, khard)",
    "linkedin": "LinkedIn Connections.csv",
    "google": "Google Contacts CSV",
    "csv": "Any CSV (with a column map)",
    "jrnl": "A jrnl journal (text or JSON)",
}
ACTION_ORDER = {UPDATE: 0, NEW: 1, SKIP: 2, UNCHANGED: 3}


class PathSuggester(Suggester):
    """Completes a path from the folders on disk (``right`` takes the suggestion)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        from netjournal.interop.commands import complete_path

        return complete_path(value)


class PlanTable(VirtualTable):
    """The plan, one row per record: what happens, who, where from, which keys or why."""


class ImportScreen(JournalScreen[None]):
    """Read a file, show the plan, import on confirmation."""

    CSS_PATH = "import_contacts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import.close"),
        Binding("ctrl+s", "confirm", "Import", id="import.confirm"),
    ]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.plan: Plan | None = None
        self.rows: list[Item] = []
        self.running = False
        self.progress_done = 0  # records written so far (the bar shows it)
        self._guessed_for = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-form"):
            yield Static("Import contacts", classes="area-title")
            with Horizontal(classes="import-row"):
                yield Label("File", classes="import-label")
                yield Input(self.initial_path, placeholder="a .vcf, .csv or jrnl file, or a folder of .vcf files",
                            id="import-path", suggester=PathSuggester())
            with Horizontal(classes="import-row"):
                yield Label("Format", classes="import-label")
                yield Select([(FORMAT_NAMES[f], f) for f in FORMATS], prompt="(guessed from the file)",
                             id="import-format", allow_blank=True)
            with Horizontal(classes="import-row", id="import-map-row"):
                yield Label("Columns", classes="import-label")
                yield Input(placeholder="Full name=name,Company=org (or a header that names the keys)",
                            id="import-map")
            yield Static("enter reads the file and shows the plan (nothing is written yet) · → completes "
                         "the path · escape closes", classes="hint", id="import-hint")
        yield Static(id="import-summary")
        yield PlanTable(self.cells, id="import-plan")
        yield ProgressBar(id="import-progress", show_eta=False)
        with Horizontal(id="import-buttons"):
            yield Button("Import (ctrl+s)", variant="primary", id="import-go", disabled=True)
            yield Button("Close (escape)", id="import-close")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Import"
        self.query_one("#import-map-row").display = False
        self.query_one("#import-progress").display = False
        self.query_one(PlanTable).display = False
        self.query_one(PlanTable).set_columns([
            Column("action", "What", 9), Column("name", "Name", 24), Column("match", "Contact", 20),
            Column("detail", "Keys, or why", 36), Column("where", "From", 20),
        ])
        self.query_one("#import-path", Input).focus()
        if self.initial_path:
            self._guess(self.initial_path)

    # ------------------------------------------------------------------ the form

    @property
    def format(self) -> str | None:
        value = self.query_one("#import-format", Select).value
        return value if isinstance(value, str) else None

    @on(Input.Changed, "#import-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._guess(event.value)

    def _guess(self, value: str) -> None:
        from netjournal.interop.commands import guess_format

        path = Path(value.strip()).expanduser()
        if not value.strip() or value == self._guessed_for or not path.exists():
            return
        self._guessed_for = value
        guessed = guess_format(path)
        if guessed:
            self.query_one("#import-format", Select).value = guessed

    @on(Select.Changed, "#import-format")
    def _format_changed(self, _: Select.Changed) -> None:
        self.query_one("#import-map-row").display = self.format == "csv"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read()

    def action_read(self) -> None:
        if self.running:
            return
        value = self.query_one("#import-path", Input).value.strip()
        summary = self.query_one("#import-summary", Static)
        if not value:
            summary.update(Text("Give the path of a file to import.", style="bold"))
            return
        fmt = self.format
        if fmt is None:
            summary.update(Text("Choose the file's format: it could not be guessed.", style="bold"))
            self.query_one("#import-format", Select).focus()
            return
        mapping = self.query_one("#import-map", Input).value.strip()
        summary.update(Text("Reading…", style="italic"))
        self.query_one("#import-go", Button).disabled = True
        self.running = True
        self._read(Path(value).expanduser(), fmt, [mapping] if mapping else [])

    @work(thread=True, exclusive=True, group="index")
    def _read(self, path: Path, fmt: str, mapping: list[str]) -> None:
        from netjournal.interop.commands import read_plan

        journal = self.journal
        try:
            plan = read_plan(journal, fmt, [path], map_specs=mapping)
        except (JournalError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._planned, plan)

    def _failed(self, message: str) -> None:
        self.running = False
        self.plan = None
        self.query_one(PlanTable).display = False
        text = Text("Cannot import: ", style="bold")
        text.append_text(literal(message))
        self.query_one("#import-summary", Static).update(text)

    # ------------------------------------------------------------------ the plan

    def _planned(self, plan: Plan) -> None:
        self.running = False
        self.plan = plan
        self.rows = sorted(plan.items, key=lambda item: ACTION_ORDER[item.action])
        table = self.query_one(PlanTable)
        table.display = bool(self.rows)
        table.set_rows(list(range(len(self.rows))), 0)
        self._show_summary()
        writes = bool(plan.to_write)
        self.query_one("#import-go", Button).disabled = not writes
        if writes:
            self.query_one("#import-go", Button).focus()
        self.refresh_bindings()

    def _show_summary(self) -> None:
        assert self.plan is not None
        plan = self.plan
        text = Text("Plan: ", style="bold")
        text.append(plan.summary() + ".")
        if plan.notes:
            text.append("\n")
            text.append_text(literal(" · ".join(plan.notes[:3]), "dim"))
        if plan.applied:
            text = Text("Imported: ", style="bold")
            text.append(plan.summary() + ".")
        elif plan.to_write:
            what = "reflections" if plan.format == "jrnl" else "contacts"
            text.append(f"\nNothing is written until you press Import. New {what} "
                        + ("go to the pool: listed and searchable, not on your dashboard until you choose them."
                           if plan.format != "jrnl" else "are notes, dated as in the journal."), style="dim")
        else:
            text.append("\nNothing to write: everything is already in the journal.", style="dim")
        self.query_one("#import-summary", Static).update(text)

    def cells(self, index: int) -> list[Text]:
        item = self.rows[index]
        styles = {NEW: "bold", UPDATE: "bold", SKIP: "italic", UNCHANGED: "dim"}
        action = Text(item.action, style=styles[item.action])
        if item.problem:
            action = Text("problem", style="bold " + self.app.theme_variables.get("text-error", "red"))
        match = Text("")
        if item.slug:
            match = literal(item.slug, "dim")
            if item.matched_by:
                match.append(f" ({item.matched_by})", style="dim")
        if item.action == SKIP:
            detail = literal(item.reason, "italic")
        elif item.differences:
            detail = literal(", ".join(item.keys) or "—")
            detail.append(f"  differs: {', '.join(d.key for d in item.differences)}",
                          style=self.app.theme_variables.get("text-warning", "yellow"))
        else:
            shown = [k for k in item.keys if k not in ("name", "title", "date", "kind", "source", "uid")]
            detail = literal(", ".join(shown) or "—", "dim")
        where = item.where.rsplit("/", 1)[-1]  # the file's name and line: the folder is above
        row = [action, literal(item.name), match, detail, literal(where, "dim")]
        for cell in row:
            cell.no_wrap = True
            cell.overflow = "ellipsis"
        return row

    # ------------------------------------------------------------------ importing

    @property
    def dirty(self) -> bool:
        """While it reads or writes, an area key does not close this screen (the app asks)."""
        return self.running

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return bool(self.plan and self.plan.to_write and not self.plan.applied and not self.running)
        if action == "close":
            return not self.running
        return True

    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#import-close")
    def _close(self) -> None:
        self.action_close()

    def action_confirm(self) -> None:
        from netjournal.tui.screens.confirm import ConfirmModal

        if not self.check_action("confirm", ()):
            return
        assert self.plan is not None
        plan = self.plan
        what = "reflection" if plan.format == "jrnl" else "contact"
        new, updated = plan.count(NEW), plan.count(UPDATE)
        question = (f"Import now?\n\n{new} new {what}{'s' if new != 1 else ''}"
                    + (f" and {updated} update{'s' if updated != 1 else ''} (empty keys filled; "
                       "nothing of yours changed)" if updated else "")
                    + ". Each file is written whole; running the import again changes nothing.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._start()

        self.app.push_screen(ConfirmModal(question, yes="Import", no="Not now"), answered)

    def _start(self) -> None:
        assert self.plan is not None
        self.running = True
        self.query_one("#import-go", Button).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=len(self.plan.to_write), progress=0)
        self.refresh_bindings()
        self._apply(self.plan)

    @work(thread=True, exclusive=True, group="index")
    def _apply(self, plan: Plan) -> None:
        from netjournal.interop.plan import apply

        journal = self.journal

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done)

        try:
            apply(journal, plan, progress)
        except (JournalError, OSError) as exc:
            self.app.call_from_thread(self._stopped, plan, str(exc))
            return
        self.app.call_from_thread(self._done, plan)

    def _progress(self, done: int) -> None:
        self.progress_done = done
        self.query_one("#import-progress", ProgressBar).update(progress=done)

    def _stopped(self, plan: Plan, message: str) -> None:
        self.running = False
        self.app.journal_changed()
        self.app.notify(f"The import stopped: {clean(message)}. What was written is kept; importing "
                        "again completes it.", title="Import", severity="error", markup=False, timeout=10)
        self._planned(plan)

    def _done(self, plan: Plan) -> None:
        self.running = False
        self.app.journal_changed()
        problems = len(plan.problems)
        self.app.notify(f"{plan.summary()}." + (f" {problems} could not be read: they are listed here."
                                                if problems else ""),
                        title="Imported", markup=False, timeout=8)
        self._planned(plan)
        if plan.format != "jrnl" and plan.count(NEW):
            self.dismiss(None)
            self.app.show_pool()
        elif plan.format == "jrnl" and plan.count(NEW):
            self.dismiss(None)
            self.app.action_area("reflections")

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)
