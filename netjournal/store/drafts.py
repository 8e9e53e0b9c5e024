"""The editor's own files in ``.netjournal/``: drafts of unsaved work, and the
scratch files handed to ``$EDITOR``.

A draft (``drafts/<key>.json``) is written atomically while the user types, so that
a crash or a closed terminal loses nothing; the app offers it at the next start.
A scratch file (``scratch/<name>.md``) holds a body while an external editor has it.
Neither is part of the journal: they live in the state folder and are never indexed.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

from netjournal.store.files import atomic_write, ensure_dir, slugify

DRAFTS = "drafts"
SCRATCH = "scratch"


class ScratchError(ValueError):
    """A scratch file that cannot be taken back (not ours, gone, not UTF-8)."""


class EditorState:
    def __init__(self, state: Path) -> None:
        self.drafts = state / DRAFTS
        self.scratch = state / SCRATCH

    def save(self, key: str, data: dict[str, Any]) -> Path:
        """``data`` holds title, date, kind, contacts, follow_up, tags, body and the
        path being edited (None for a new entry); ``key`` and ``saved_at`` are added."""
        key = slugify(key, "draft")
        record = dict(data, key=key, saved_at=_dt.datetime.now().isoformat(timespec="seconds"))
        ensure_dir(self.drafts)
        path = self.drafts / f"{key}.json"
        atomic_write(path, json.dumps(record, ensure_ascii=False, indent=1, default=str).encode("utf-8"))
        return path

    def all(self) -> list[dict[str, Any]]:
        """Leftover drafts, newest first. Unreadable draft files are skipped (and kept)."""
        found: list[dict[str, Any]] = []
        if not self.drafts.is_dir():
            return found
        for path in self.drafts.glob("*.json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            if isinstance(data, dict):
                data["key"] = path.stem
                found.append(data)
        return sorted(found, key=lambda d: (str(d.get("saved_at", "")), d["key"]), reverse=True)

    def discard(self, key: str) -> None:
        """Delete a draft (after it was saved or the user discarded it)."""
        (self.drafts / f"{slugify(key, 'draft')}.json").unlink(missing_ok=True)

    def scratch_write(self, name: str, text: str) -> Path:
        ensure_dir(self.scratch)
        path = self.scratch / f"{slugify(name, 'scratch')}.md"
        atomic_write(path, text.encode("utf-8"))
        return path

    def scratch_read(self, path: Path, *, remove: bool = True) -> str:
        """What the external editor left in a scratch file (then the file is removed)."""
        path = Path(path)
        if path.resolve().parent != self.scratch.resolve():
            raise ScratchError(f"{path} is not a scratch file of this journal")
        try:
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise ScratchError("the editor left no file behind; nothing changed") from None
        except UnicodeDecodeError:
            raise ScratchError("the editor wrote text that is not UTF-8; nothing changed") from None
        if remove:
            path.unlink(missing_ok=True)
        return text.replace("\r\n", "\n")
