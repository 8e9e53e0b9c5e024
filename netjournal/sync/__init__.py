"""Sync and history with git: the same journal on every machine, every version kept.

The journal is plain files, and git is the engine made for plain files: this package
runs the user's own ``git`` (their name, credentials and remotes) through subprocess.
It sits above the journal facade; the command line (``commands.py``) and the app use
it, and it changes entries only through the facade and its edit protocol.

- ``git.py``        the thin wrapper over ``git``: one clean environment, one error type
- ``repo.py``       what repository the journal is, the lock, recovery after a crash
- ``describe.py``   what a change did, in words (commit messages, history, reports)
- ``commit.py``     committing: everything (``sync``) or only the files written (autocommit)
- ``merge.py``      the three-way merge of two machines' trees, file by file
- ``engine.py``     ``sync``: commit, fetch, merge, check out, push
- ``history.py``    versions of a file, one version, restore, undo
- ``autocommit.py`` one commit per command or save in the app, of the files it wrote
- ``setup.py``      ``git init [--remote URL]``: make, adopt or clone the repository

Importing this package imports nothing but the standard library's smallest modules:
the command line imports it on every command that opens a journal.
"""

from __future__ import annotations


class SyncError(Exception):
    """A sync, history or undo step that cannot be done; its message is one clear line,
    and nothing in the journal was changed by the step that failed."""


__all__ = ["SyncError"]
