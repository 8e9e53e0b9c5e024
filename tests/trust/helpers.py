"""Shared helpers for the trust suite: hashing files, finding temp files,
checking that the index agrees with the files."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from netjournal.journal import Journal
from netjournal.store.entries import scan

# C0 controls except tab/newline, DEL and C1 controls: what a terminal acts on.
TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_files(root: Path) -> dict[str, bytes]:
    """Every contact and reflection file (relative path → bytes), as the app sees them."""
    return {s.path: (root / s.path).read_bytes() for s in scan(root) if s.problem is None}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every path under ``folder`` (not following symlinks) with its mode and bytes."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            found[str(path.relative_to(folder))] = (st.st_mode, data)
    return found


def temp_files(root: Path) -> list[Path]:
    """Leftover temporary files of atomic writes (``.<name>.<random>.tmp``)."""
    return sorted(p for p in root.rglob(".*.tmp"))


def assert_index_matches_files(root: Path, *, already_in_step: bool = False) -> Journal:
    """Open the journal; every file has a record whose sha256 is the file's hash, no
    record outlives its file, and a second open has nothing to do.  With
    ``already_in_step``, the first open must have had nothing to do either."""
    journal = Journal.open(root)
    if already_in_step:
        assert journal.last_sync is not None and journal.last_sync.touched == 0, journal.last_sync
    records = journal.index.records()
    files = entry_files(root)
    assert set(records) == {s.path for s in scan(root)}
    for path, data in files.items():
        assert records[path]["sha256"] == sha(data), f"stale index record for {path}"
    journal.close()
    again = Journal.open(root)
    assert again.last_sync is not None and again.last_sync.touched == 0, again.last_sync
    return again
