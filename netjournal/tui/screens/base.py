"""The one typed way from a screen to the app and the journal.

Every netjournal screen derives from ``JournalScreen`` (a full screen) or
``JournalModal`` (a dialog).  For a type checker their ``app`` is the
``NetJournalApp`` they run in, so ``self.app.open_contact(...)`` and
``self.journal`` need no ``type: ignore``; at run time nothing is added: ``app``
is Textual's own property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from netjournal.journal import Journal
    from netjournal.tui.app import NetJournalApp

Result = TypeVar("Result")


class _JournalAccess:
    """What every netjournal screen can reach: the app (typed) and its journal."""

    if TYPE_CHECKING:

        @property
        def app(self) -> NetJournalApp: ...

    @property
    def journal(self) -> Journal:
        return self.app.journal


class JournalScreen(_JournalAccess, Screen[Result]):
    """A full screen of netjournal (an area, a contact, the editor, the review)."""


class JournalModal(_JournalAccess, ModalScreen[Result]):
    """A dialog of netjournal, drawn over the screen it was opened from."""
