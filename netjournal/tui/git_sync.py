"""The app's side of sync (``netjournal/sync``): the header's sync state, "Sync now"
in a worker, and autocommit after every save.

Nothing here blocks the UI on git: the state, the sync and each autocommit run in
thread workers and report back with ``call_from_thread``.  The journal is reached
through the facade (its write lock, its ``write_listeners``); the sync package does
the git work.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from netjournal.sync import SyncError
from netjournal.text import clean

if TYPE_CHECKING:
    from netjournal.tui.app import NetJournalApp


def summary(report: Any) -> str:
    """What a sync did, in one or two sentences for a notice."""
    parts = []
    if report.came_in:
        first = ", ".join(clean(str(c)) for c in report.incoming[:2])
        more = report.came_in - min(2, len(report.incoming))
        parts.append(f"{report.came_in} came in: {first}" + (f" and {more} more" if more else ""))
    if report.went_out:
        parts.append(f"{report.went_out} went out")
    merged = [o for o in report.outcomes if o.how == "merged"]
    if merged:
        parts.append(f"{len(merged)} merged (both machines changed different things)")
    if not parts:
        parts.append("nothing new" if report.remote else "committed; no remote to sync with")
    return "; ".join(parts) + "."


class AppSync:
    """Owned by the app: what the header says about sync, and the git work."""

    def __init__(self, app: "NetJournalApp") -> None:
        from netjournal.sync.autocommit import AutoCommit

        self.app = app
        self.words = ""  # the header's sync state; "" when the journal is not a repository
        self.autocommit = AutoCommit(app.journal, interactive=False)
        app.journal.write_listeners.append(self._wrote)
        self._told: set[str] = set()  # autocommit problems already shown (once each)
        self._syncing = threading.Event()

    @property
    def root(self) -> Any:
        return self.app.journal.root

    # ------------------------------------------------------------------ the header

    def refresh(self) -> None:
        """Read the sync state again, off the UI thread (a ``git status``)."""
        if not (self.root / ".git").exists():
            if self.words:
                self._show("")
            return
        self.app.run_worker(self._read_state, thread=True, group="sync-state", exclusive=True)

    def _read_state(self) -> None:
        from netjournal.sync.state import state

        found = state(self.root)
        self.app.call_from_thread(self._show, found.words() if found is not None else "")

    def _show(self, words: str) -> None:
        if words != self.words:
            self.words = words
            self.app.refresh_headers()

    # ------------------------------------------------------------------ sync now

    @property
    def running(self) -> bool:
        return self._syncing.is_set()

    def sync_now(self) -> None:
        if self.running:
            self.app.notify("A sync is already running.", markup=False, timeout=4)
            return
        self._syncing.set()
        self._show("⇅ syncing…")
        self.app.run_worker(self._sync, thread=True, group="git-sync", exclusive=True)

    def _sync(self) -> None:
        from netjournal.sync.engine import sync

        try:
            report = sync(self.root, journal=lambda: self.app.journal, interactive=False)
        except (SyncError, OSError) as exc:
            self.app.call_from_thread(self.app.notify, clean(str(exc)), title="Sync failed", severity="error",
                                      markup=False, timeout=12)
            return
        finally:
            self._syncing.clear()
            self.app.call_from_thread(self.refresh)
        if report.came_in or report.outcomes:
            # files brought in appear at once, not at the next check (which re-reads them
            # in its own worker, never beside another re-read)
            self.app.call_from_thread(self.app.check_files)
        self.app.call_from_thread(self.app.notify, summary(report), title="Synced", markup=False, timeout=8)
        for conflict in report.conflicts:
            self.app.call_from_thread(
                self.app.notify,
                f"{clean(conflict.path)} was changed on both machines. Yours stays; theirs is "
                f"{clean(conflict.copy)} beside it. Compare them, keep what you want, then delete the copy "
                "(palette: Show problems).", title="Sync: both changed a file", severity="warning",
                markup=False, timeout=20)

    # ------------------------------------------------------------------ autocommit

    def _wrote(self, _path: str) -> None:
        """A save happened: commit it (autocommit on), off the UI thread."""
        if not self.autocommit.enabled:
            self.autocommit.take()  # left for sync: the header counts it
            then = self.refresh
        else:
            then = self._start_commit
        if self._on_ui_thread():
            self.app.call_later(then)
        else:
            self.app.call_from_thread(then)

    def _on_ui_thread(self) -> bool:
        return threading.get_ident() == getattr(self.app, "_thread_id", None)

    def _start_commit(self) -> None:
        self.app.run_worker(self._commit, thread=True, group="autocommit")

    def _commit(self) -> None:
        try:
            self.autocommit.commit()
        except SyncError as exc:
            message = str(exc)
            if message not in self._told:
                self._told.add(message)
                self.app.call_from_thread(self.app.notify, f"Saved, but not committed: {clean(message)}",
                                          title="Autocommit", severity="warning", markup=False, timeout=10)
        self.app.call_from_thread(self.refresh)
