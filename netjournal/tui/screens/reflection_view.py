"""One reflection, read-only: its title, date, kind and contacts, its follow-up, and
its body as Markdown; ``d`` marks the follow-up done (or open again)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static

from netjournal.journal import JournalError
from netjournal.model import Reflection
from netjournal.tui.follow_ups import toggle_follow_up
from netjournal.tui.safe import literal, markdown_source
from netjournal.tui.screens.base import JournalModal


class ReflectionViewScreen(JournalModal[None]):
    CSS_PATH = "reflection_view.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="reflection_view.close"),
        Binding("d", "toggle_follow_up", "Follow-up done / open again", id="reflection_view.follow_up"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="reflection-dialog", classes="dialog"):
            yield Static(id="reflection-title", classes="dialog-title")
            yield Static(id="reflection-meta", classes="hint")
            with VerticalScroll(id="reflection-scroll", can_focus_children=False):
                yield Markdown(id="reflection-body", open_links=False)
            yield Static("escape closes this · d: follow-up done (or open again)", classes="hint")

    reflection: Reflection | None = None

    def on_mount(self) -> None:
        self.load()
        self.query_one("#reflection-scroll").focus()

    def load(self) -> None:
        try:
            reflection = self.journal.reflection(self.path)
        except JournalError as exc:
            self.query_one("#reflection-title", Static).update(literal(self.path))
            self.query_one("#reflection-meta", Static).update(literal(str(exc)))
            return
        assert reflection is not None
        self.reflection = reflection
        self.show(reflection)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_follow_up":
            r = self.reflection
            return r is not None and (bool(r.follow_up) or r.kind == "intro")
        return True

    def action_toggle_follow_up(self) -> None:
        if toggle_follow_up(self.app, self.path):
            self.load()

    def show(self, reflection: Reflection) -> None:
        self.query_one("#reflection-title", Static).update(literal(reflection.title))
        meta = f"{reflection.date} · {reflection.kind}"
        if reflection.links:
            meta += " · with " + ", ".join(reflection.links)
        if reflection.follow_up:
            meta += f" · follow up {reflection.follow_up}"
        if reflection.follow_up_done:
            meta += f" · done {reflection.follow_up_done}"
        self.query_one("#reflection-meta", Static).update(literal(meta))
        body = reflection.body or ""
        self.query_one("#reflection-body", Markdown).update(
            markdown_source(body) if body.strip() else "*No text.*"
        )

    def action_close(self) -> None:
        self.dismiss(None)
