"""The reflection body: a Markdown TextArea that offers contact links after ``[[``.

It only notices the ``[[query`` being typed (``LinkQueried``) and, while the screen
shows completions, hands it the keys that move through them (``LinkKeyPressed``);
the screen owns the list and calls ``complete_link`` with the chosen slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

# "[[" then a partial name on the same line, right before the cursor
_OPEN_LINK = re.compile(r"\[\[([^\[\]\n|]{0,40})$")
COMPLETION_KEYS = ("up", "down", "enter", "tab", "escape")


class MarkdownArea(TextArea):
    """TextArea with Markdown highlighting, soft wrap, and ``[[`` completion."""

    @dataclass
    class LinkQueried(Message):
        """The text before the cursor opens a link (``query``), or no longer does (None)."""

        area: "MarkdownArea"
        query: str | None

    @dataclass
    class LinkKeyPressed(Message):
        """A completion key (up, down, enter, tab, escape) while completions show."""

        area: "MarkdownArea"
        key: str

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        try:
            super().__init__(text, language="markdown", soft_wrap=True, show_line_numbers=False,
                             tab_behavior="focus", id=id)
        except Exception:  # no tree-sitter markdown grammar: plain text still edits
            super().__init__(text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id=id)
        self.completing = False
        self._last_query: str | None = None

    def link_query(self) -> str | None:
        """The partial name after an unclosed ``[[`` just before the cursor."""
        if self.selection.start != self.selection.end:
            return None
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        match = _OPEN_LINK.search(before)
        return match.group(1) if match else None

    def _notice_link(self) -> None:
        query = self.link_query()
        if query != self._last_query:
            self._last_query = query
            self.post_message(self.LinkQueried(self, query))

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        self._notice_link()

    def on_text_area_selection_changed(self, _: TextArea.SelectionChanged) -> None:
        self._notice_link()

    def complete_link(self, slug: str) -> None:
        """Replace the ``[[query`` before the cursor with ``[[slug]]`` (one undo step)."""
        query = self.link_query()
        if query is None:
            return
        row, column = self.cursor_location
        line = self.document.get_line(row)
        end = column + 2 if line[column:column + 2] == "]]" else column
        self.replace(f"{slug}]]", (row, column - len(query)), (row, end), maintain_selection_offset=False)
        self._last_query = None
        self.completing = False
        self.post_message(self.LinkQueried(self, None))

    async def _on_key(self, event: events.Key) -> None:
        if self.completing and event.key in COMPLETION_KEYS:
            event.stop()
            event.prevent_default()
            self.post_message(self.LinkKeyPressed(self, event.key))
            return
        await super()._on_key(event)
