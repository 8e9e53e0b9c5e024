"""The one typed way from a screen to the app and the journal.

Every netjournal screen derives from ``JournalScreen`` (a full screen) or
``JournalModal`` (a dialog).  For a type checker their ``app`` is the
``NetJournalApp`` they run in, so ``self.app.open_contact(...)`` and
``self.journal`` need no ``type: ignore``; at run time nothing is added: ``app``
is Textual's own property.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from textual import events

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
    """A full screen of netjournal (an area, a contact, the editor, the review).

    Two things Textual does to every screen after it is styled, done here before, so
    that its widgets are styled once (each restyle of a screen's tree is ~10 ms of the
    dashboard's first frame): its size's classes (``-wide``, ``-tall``; the app's
    breakpoints), which Textual sets at the first resize; and the restyle of the whole
    tree at its first resume, when the stylesheet has gained nothing since the screen
    was made but widgets' own scoped styles (which apply only inside those widgets,
    all mounted after the styles were added)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        app = self.app
        width, height = app.size
        horizontal = app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None else self.HORIZONTAL_BREAKPOINTS
        vertical = app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None else self.VERTICAL_BREAKPOINTS
        self.set_classes(set(self.classes) | self._get_breakpoint_classes(width, horizontal or [])
                         | self._get_breakpoint_classes(height, vertical or []))
        self._sources_when_made: set[object] | None = set(app.stylesheet.source)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # runs before Textual's own handler (Screen's), which restyles when asked to
        made, self._sources_when_made = self._sources_when_made, None
        if made is not None and event.refresh_styles:
            sources = self.app.stylesheet.source
            if all(sources[added].scope for added in set(sources) - made):
                event.refresh_styles = False


class JournalModal(_JournalAccess, ModalScreen[Result]):
    """A dialog of netjournal, drawn over the screen it was opened from."""
