"""The capture line (``:`` from any area): one line becomes a reflection.

``gave @kofi the workbook draft #coaching +7d``: the line is read by the core
(``netjournal/capture.py``, the same rules as ``netjournal log``) as you type, and
what it would write is shown under it.  ``@`` and ``#`` complete contacts and tags
(``tab`` takes the highlighted one, ``up``/``down`` choose), ``enter`` saves,
``escape`` leaves.  A mention that names nobody, or several people, is shown with
the candidates and nothing is saved.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from netjournal.capture import CaptureError, fold
from netjournal.fuzzy import completion_rank, fuzzy_score
from netjournal.journal import JournalError
from netjournal.text import clean
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalModal
from netjournal.tui.screens.confirm import ConfirmModal

PLACEHOLDER = "gave @kofi the workbook draft #coaching +7d   (yesterday: … · follow-up 2026-12-20)"
HINT = "enter saves · escape leaves · tab completes @contacts and #tags"
# the @word or #word that ends at the cursor
_TOKEN = re.compile(r"(?:^|(?<=\s))([@#])([\w.'’-]*)$")
SHOWN = 6


class CaptureScreen(JournalModal[None]):
    """One line, read as you type; enter writes the reflection."""

    CSS_PATH = "capture.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave", id="capture.leave"),
        Binding("tab", "complete", "Complete", priority=True, id="capture.complete"),
        Binding("down", "choice(1)", "Next suggestion", show=False, priority=True, id="capture.next"),
        Binding("up", "choice(-1)", "Previous suggestion", show=False, priority=True, id="capture.previous"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.suggestions: list[str] = []  # what tab would put in place of the token

    def compose(self) -> ComposeResult:
        with Vertical(id="capture-box"):
            yield OptionList(id="capture-suggestions")
            yield Static(id="capture-preview")
            yield Input(placeholder=PLACEHOLDER, id="capture-input", compact=True)
            yield Static(HINT, id="capture-hint", classes="hint")

    def on_mount(self) -> None:
        self._names = self.journal.contact_names()
        self._folded = [(slug, fold(name), name) for slug, name in self._names.items()]
        self._tags = self.journal.tags()
        self.query_one("#capture-suggestions", OptionList).display = False
        self.query_one("#capture-box").border_title = "Capture a line"
        self.set_focus(self.query_one("#capture-input", Input))
        self._preview()

    # ------------------------------------------------------------------ reading as you type

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._preview()
        self._suggest()

    def _preview(self) -> None:
        line = self.query_one("#capture-input", Input).value
        preview = self.query_one("#capture-preview", Static)
        if not line.strip():
            preview.update(Text("One line: a leading word for the kind (gave, thanked, asked, got, met, "
                                "introduced …), @mentions, #tags, a follow-up.", "dim"))
            return
        try:
            captured = self.journal.parse_capture(line)
        except CaptureError as exc:
            preview.update(literal(str(exc), "italic"))
            return
        text = Text(f"{captured.day.isoformat()}  ", "bold")
        text.append(captured.kind, "bold")
        text.append("  ")
        text.append_text(literal(captured.title))
        extra = []
        if captured.contacts:
            extra.append("with " + ", ".join(self._names.get(s, s) for s in captured.contacts))
        if captured.tags:
            extra.append(" ".join(f"#{t}" for t in captured.tags))
        if captured.follow_up:
            extra.append(f"follow up {captured.follow_up.isoformat()}")
        if extra:
            text.append("  · ", "dim")
            text.append_text(literal(" · ".join(extra), "dim"))
        preview.update(text)

    def _token(self) -> tuple[str, str, int] | None:
        """The ``@``/``#`` word the cursor is at the end of: (sign, word, where it starts)."""
        box = self.query_one("#capture-input", Input)
        before = box.value[: box.cursor_position]
        match = _TOKEN.search(before)
        if not match:
            return None
        return match.group(1), match.group(2), match.start(1)

    def _suggest(self) -> None:
        options = self.query_one("#capture-suggestions", OptionList)
        token = self._token()
        self.suggestions = []
        prompts: list[Text] = []
        if token is not None:
            sign, word, _ = token
            key = fold(word)
            if sign == "@":
                if key:
                    scored = [(max(fuzzy_score(key, name), fuzzy_score(key, slug)), original, slug, name)
                              for slug, name, original in self._folded]
                    ranked = [(score, original, slug) for score, original, slug, _ in sorted(
                        (item for item in scored if item[0] > 0),
                        key=lambda item: (item[2] != key, completion_rank(key, (item[2], item[3]), item[0]),
                                          item[1].lower()))]  # the exact slug first
                else:
                    ranked = sorted(((1.0, original, slug) for slug, _, original in self._folded),
                                    key=lambda item: item[1].lower())
                labels = self.journal.mention_labels(slug for _, _, slug in ranked[:SHOWN])
                for _, name, slug in ranked[:SHOWN]:
                    self.suggestions.append(f"@{slug}")
                    prompt = literal(labels.get(slug, name), "bold")
                    prompt.append(f"  @{slug}", "dim")
                    prompts.append(prompt)
            else:
                # the tag typed in full first, then the tags it begins, then the best
                # matches; the most used first among equals
                ranked_tags = sorted(((fuzzy_score(key, fold(t)), i, t) for i, t in enumerate(self._tags)),
                                     key=lambda item: (completion_rank(key, (fold(item[2]),), item[0]), item[1]))
                for _, _, tag in [item for item in ranked_tags if item[0] > 0][:SHOWN]:
                    self.suggestions.append(f"#{tag}")
                    prompts.append(literal(f"#{tag}"))
        options.clear_options()
        options.add_options([Option(p) for p in prompts])
        options.display = bool(prompts)
        if prompts:
            options.highlighted = 0

    def action_choice(self, step: int) -> None:
        options = self.query_one("#capture-suggestions", OptionList)
        if options.display and options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def action_complete(self) -> None:
        """Put the highlighted suggestion in place of the ``@``/``#`` word."""
        token = self._token()
        options = self.query_one("#capture-suggestions", OptionList)
        if token is None or not self.suggestions or not options.display:
            return
        chosen = self.suggestions[options.highlighted or 0]
        box = self.query_one("#capture-input", Input)
        start, end = token[2], box.cursor_position
        rest = box.value[end:]
        box.value = box.value[:start] + chosen + (" " if not rest.startswith(" ") else "") + rest
        box.cursor_position = start + len(chosen) + 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#capture-suggestions", OptionList).highlighted = event.option_index
        self.action_complete()
        self.set_focus(self.query_one("#capture-input", Input))

    # ------------------------------------------------------------------ saving

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value
        if not line.strip():
            return
        try:
            captured = self.journal.parse_capture(line)
        except CaptureError as exc:
            self.query_one("#capture-preview", Static).update(literal(str(exc), "bold italic"))
            self.app.bell()
            return
        warning = self.journal.ask_warning(captured.contacts) if captured.kind == "ask" else None
        if warning:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._save(captured)

            self.app.push_screen(ConfirmModal(warning, yes="Save the ask", no="Not now"), answered)
            return
        self._save(captured)

    def _save(self, captured: Any) -> None:
        try:
            reflection = self.journal.add_capture(captured)
        except (JournalError, OSError) as exc:
            self.app.report_error(exc)
            return
        self.dismiss(None)
        self.app.notify(f"Saved: {clean(reflection.title)} ({reflection.kind})", markup=False, timeout=4)
        self.app.journal_changed(reflection.path)

    def action_leave(self) -> None:
        options = self.query_one("#capture-suggestions", OptionList)
        if options.display:
            options.display = False  # first escape: the suggestions go
            self.suggestions = []
            return
        self.dismiss(None)
