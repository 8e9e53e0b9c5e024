"""Autocommit: with ``git: {autocommit: true}`` in ``netjournal.yaml``, every command
and every save in the app makes one commit of the files it wrote -- and nothing else:
files the user changed by hand, or staged, are left for ``sync``.

The journal facade calls its ``write_listeners`` with every path it writes, moves to
the trash or brings back; an ``AutoCommit`` records them and ``commit()`` commits
exactly those (``git commit --only``).  Off by default; a journal that is not a
repository, a detached HEAD or a git with no identity makes ``commit()`` raise
SyncError with one line -- the files themselves are saved either way, and the next
``sync`` commits them.

This module imports nothing heavy: the command line attaches one to every journal it
opens.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from netjournal.sync import SyncError

if TYPE_CHECKING:
    from netjournal.sync.commit import Committed


def enabled(settings: dict[str, Any]) -> bool:
    """True when ``netjournal.yaml`` says ``git: {autocommit: true}``."""
    git = settings.get("git")
    return isinstance(git, dict) and git.get("autocommit") is True


class AutoCommit:
    """Records what one journal writes; ``commit()`` commits it (when enabled)."""

    def __init__(self, journal: Any, *, interactive: bool = True) -> None:
        self.journal = journal
        self.interactive = interactive
        self._paths: list[str] = []
        self._lock = threading.Lock()
        journal.write_listeners.append(self.record)

    @property
    def enabled(self) -> bool:
        return enabled(self.journal.settings)

    def record(self, rel: str) -> None:
        with self._lock:
            self._paths.append(rel)

    @property
    def pending(self) -> bool:
        return bool(self._paths)

    def take(self) -> list[str]:
        """The paths written since the last take (and forget them)."""
        with self._lock:
            paths, self._paths = self._paths, []
        return list(dict.fromkeys(paths))

    def commit(self) -> "Committed | None":
        """One commit of the files written since the last one; None when autocommit is
        off or they hold no change.  SyncError (one line) when it cannot commit."""
        paths = self.take()
        if not paths or not self.enabled:
            return None
        try:
            return commit_written(self.journal.root, paths, interactive=self.interactive)
        except SyncError:
            with self._lock:  # not committed: the next commit takes them along
                self._paths[:0] = paths
            raise


def commit_written(root: Any, paths: list[str], *, interactive: bool = True,
                   step: str = "autocommit") -> "Committed | None":
    """Commit ``paths`` (and only them) in the journal's repository."""
    from pathlib import Path

    from netjournal.sync.commit import commit_paths
    from netjournal.sync.repo import Repo

    root = Path(root)
    if not (root / ".git").exists():
        raise SyncError("autocommit is on, but the journal is not a git repository yet: "
                        "run netjournal git init (or set git: {autocommit: false} in netjournal.yaml)")
    repo = Repo.open(root, interactive=interactive)
    with repo.lock():
        if repo.branch() is None:
            raise SyncError("HEAD is detached, so nothing is committed on a branch: go back to your branch "
                            f"(git -C {root} switch main), then netjournal sync")
        if repo.merging():
            raise SyncError("a merge is under way in the journal's repository; netjournal sync finishes it "
                            "and commits this change with it")
        return commit_paths(repo, None, paths, step)
