"""Marking a follow-up done (or open again) from any screen: the dashboard's ``d``,
the reflections area's ``d``, the reflection's own screen."""

from __future__ import annotations

from typing import Any

from netjournal.journal import ConflictError, JournalError
from netjournal.text import clean


def toggle_follow_up(app: Any, path: str, *, done: bool | None = None) -> bool:
    """Mark the follow-up of the reflection at ``path`` done today, or open it again
    when it is done (``done`` forces one or the other).  Says what happened, tells
    every screen; an error is a notice.  True when something was written."""
    journal = app.journal
    try:
        reflection = journal.reflection(path)
        reopen = bool(reflection.follow_up_done) if done is None else not done
        if reopen:
            reflection = journal.reopen_follow_up(path)
            message = f"Follow-up open again: {clean(reflection.title)}"
        else:
            reflection = journal.set_follow_up_done(path)
            message = f"Follow-up done: {clean(reflection.title)}"
    except (JournalError, ConflictError, OSError) as exc:
        app.report_error(exc)
        return False
    app.notify(message, markup=False, timeout=4)
    app.journal_changed(path)
    return True
