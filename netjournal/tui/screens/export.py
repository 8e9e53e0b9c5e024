"""Export…: a format, a file, a tag to filter by; then a notice of where it went.

The export itself is ``netjournal.interop.export``'s, as for ``netjournal export``:
this dialog runs it in a worker thread and says what happened.  A file that is there
already is replaced only after asking; a path that cannot be written is said here,
and nothing is written.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from netjournal.journal import JournalError
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.import_contacts import PathSuggester

# (value, format, vCard version, what the Select shows, what the hint says)
CHOICES: tuple[tuple[str, str, str, str, str], ...] = (
    ("vcard", "vcard", "4.0", "vCard 4.0 (.vcf): an address book",
     "Every contact as a card: emails and phones with their types, addresses, birthday, dates, links, "
     "tags, notes. Import it into a phone or an address book."),
    ("vcard3", "vcard", "3.0", "vCard 3.0 (.vcf): older address books",
     "The same cards in vCard 3.0, for address books that do not read 4.0."),
    ("csv", "csv", "4.0", "CSV (.csv): a spreadsheet",
     "One row per contact: the steps, last touch, due, the ledger. A cell that would run as a formula "
     "starts with an apostrophe."),
    ("json", "json", "4.0", "JSON (.json): the whole journal",
     "Contacts and reflections with their text and every key of their files."),
    ("ics", "ics", "4.0", "Calendar (.ics): touches, follow-ups, birthdays",
     "Who is due a touch (and what you could give them), open follow-ups, birthdays and dates to remember. "
     "Subscribe to the file in a calendar; exporting again updates its events."),
    ("markdown", "markdown", "4.0", "Markdown digest (.md): this week",
     "This week's gives, asks, reflections and what is coming up; with a tag, a digest of each contact "
     "who has it. For a mentor, or your notes."),
)
EVERYONE = "__everyone__"


class ExportScreen(JournalModal[None]):
    """Choose a format, a file and (optionally) a tag; export on ctrl+s."""

    CSS_PATH = "export.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", id="export.go"),
        Binding("escape", "close", "Close", id="export.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self._offered = ""  # the file name last offered (replaced when the format changes)

    def compose(self) -> ComposeResult:
        tags = sorted({t for c in self.journal.contacts(include_archived=True) for t in c.tags}, key=str.casefold)
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static("Export", classes="dialog-title")
            with Horizontal(classes="export-row"):
                yield Label("Format", classes="export-label")
                yield Select([(label, value) for value, _, _, label, _ in CHOICES], value="vcard",
                             allow_blank=False, id="export-format", compact=True)
            with Horizontal(classes="export-row"):
                yield Label("File", classes="export-label")
                yield Input(id="export-path", suggester=PathSuggester(), placeholder="where to write it",
                            compact=True)
            with Horizontal(classes="export-row"):
                yield Label("Tag", classes="export-label")
                yield Select([("every contact", EVERYONE)] + [(clean(t), t) for t in tags], value=EVERYONE,
                             allow_blank=False, id="export-tag", compact=True)
            yield Static(id="export-hint", classes="hint")
            yield Static(id="export-message")
            with Horizontal(classes="buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export-go")
                yield Button("Close (esc)", id="export-close")

    def on_mount(self) -> None:
        self._format_changed()
        self.query_one("#export-path", Input).focus()

    # ------------------------------------------------------------------ the form

    @property
    def choice(self) -> tuple[str, str, str, str, str]:
        value = self.query_one("#export-format", Select).value
        return next(c for c in CHOICES if c[0] == value)

    @property
    def tag(self) -> str | None:
        value = self.query_one("#export-tag", Select).value
        return value if isinstance(value, str) and value != EVERYONE else None

    @on(Select.Changed, "#export-format")
    def _format_changed(self) -> None:
        from netjournal.interop.export import default_name

        _, fmt, _, _, hint = self.choice
        self.query_one("#export-hint", Static).update(hint)
        path = self.query_one("#export-path", Input)
        if not path.value or path.value == self._offered:
            self._offered = default_name(self.journal, fmt)
            path.value = self._offered
        self.query_one("#export-message", Static).update("")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-close")
    def _close(self) -> None:
        self.action_close()

    def _say(self, text: Text) -> None:
        self.query_one("#export-message", Static).update(text)

    # ------------------------------------------------------------------ exporting

    def action_export(self) -> None:
        from netjournal.interop.export import ExportError, destination

        if self.running:
            return
        out = self.query_one("#export-path", Input).value.strip()
        if not out:
            self._say(Text("Give the file to write.", style="bold"))
            return
        try:
            target = destination(self.journal.root, out)
        except ExportError as exc:
            self._say(literal(str(exc), "bold"))
            return
        if target.exists():
            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(out)

            self.app.push_screen(ConfirmModal(f"{clean(target)} is there already. Replace it with this export?",
                                              yes="Replace", no="Keep it"), answered)
            return
        self._start(out)

    def _start(self, out: str) -> None:
        self.running = True
        self.query_one("#export-go", Button).disabled = True
        self._say(Text("Exporting…", style="italic"))
        _, fmt, version, _, _ = self.choice
        self._run(out, fmt, version, self.tag)

    @work(thread=True, exclusive=True, group="export")
    def _run(self, out: str, fmt: str, version: str, tag: str | None) -> None:
        from netjournal.interop.export import Options, export, write

        journal = self.journal
        try:
            result = export(journal, Options(fmt, tag=tag, version=version))
            path = write(journal.root, out, result.data)
        except (JournalError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, result, str(path))

    def _failed(self, message: str) -> None:
        self.running = False
        self.query_one("#export-go", Button).disabled = False
        text = Text("Not exported: ", style="bold")
        text.append_text(literal(message))
        self._say(text)

    def _done(self, result: Any, path: str) -> None:
        self.running = False
        notes = (" " + " ".join(result.notes)) if result.notes else ""
        self.app.notify(clean(f"{result.count} {result.what} written to {path}.{notes}"), title="Exported",
                        markup=False, timeout=10)
        self.dismiss(None)

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)
