"""The sync state the app's header shows: when the last sync ran (and whether it
worked), and how many files have changes not yet committed.  Read-only: it takes no
lock of git's (``GIT_OPTIONAL_LOCKS=0``), so it never holds up a commit."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

from netjournal.sync import SyncError


@dataclass
class SyncState:
    uncommitted: int = 0  # files with changes not yet committed
    last_sync: _dt.datetime | None = None
    ok: bool = True  # the last sync worked
    error: str = ""  # why it did not
    problem: str = ""  # why the journal cannot sync now (a detached HEAD…)

    def words(self, now: _dt.datetime | None = None) -> str:
        """``⇅ synced 14:02 · 2 not committed`` (short enough for the header)."""
        now = now or _dt.datetime.now().astimezone()
        if self.problem:
            first = f"⇅ {self.problem}"
        elif self.last_sync is None:
            first = "⇅ not synced yet"
        else:
            when = self.last_sync.astimezone(now.tzinfo)
            shown = when.strftime("%H:%M") if when.date() == now.date() else when.strftime("%d %b")
            first = f"⇅ synced {shown}" if self.ok else f"⇅ sync failed {shown}"
        if self.uncommitted:
            first += f" · {self.uncommitted} not committed"
        return first


def state(root: Path) -> SyncState | None:
    """The state of the journal at ``root``; None when it is not a git repository of
    its own (nothing to show)."""
    from netjournal.sync.repo import Repo

    if not (Path(root) / ".git").exists():
        return None
    try:
        repo = Repo.open(Path(root), interactive=False)
        status = repo.status(quiet_locks=True)
    except SyncError:
        return None
    found = SyncState(uncommitted=len(set(status.changed) | set(status.unmerged)))
    if status.branch is None:
        found.problem = "HEAD detached"
    record = repo.read_state("last-sync.json") or {}
    try:
        found.last_sync = _dt.datetime.fromisoformat(str(record["time"]))
    except (KeyError, ValueError):
        found.last_sync = None
    found.ok = record.get("ok", True) is not False
    found.error = str(record.get("error") or "")
    return found
