"""Views kept for the next start: what a screen drew, and of which journal state.

The app's first screen (the dashboard) is a summary of every contact's facts: ~130 ms
to compute at 10,000 entries, after the index is read.  When the app closes, the
view it shows is kept here (``.netjournal/views/NAME.json``) with a key that names
the journal state it was computed from: the index file's stamp, the day, the settings
file's hash.  At the next start the journal hands it back (``Journal.remembered_view``)
only if the key is the same and the listing's check found every file as listed, so
the view is exactly what computing it again would give.  Like the rest of
``.netjournal/``, a cache: deleting it costs one slower start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from netjournal.store.files import open_regular, write_cache_file

FOLDER = "views"


def _path(state: Path, name: str) -> Path:
    return state / FOLDER / f"{name}.json"


def read(state: Path, name: str, key: dict[str, Any]) -> Any | None:
    """The view kept under ``name`` with exactly this ``key``; else None.  Whatever
    else is there is ignored: not a regular file (a FIFO would wait for a writer
    forever, /dev/zero never end), not JSON, JSON nested too deep to decode."""
    try:
        with os.fdopen(open_regular(_path(state, name)), "rb") as handle:
            kept = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    return kept.get("view")


def write(state: Path, name: str, key: dict[str, Any], view: Any) -> None:
    """Keep ``view`` (JSON-able) under ``name`` with its ``key`` (an atomic write)."""
    data = json.dumps({"key": key, "view": view}, ensure_ascii=False, separators=(",", ":"))
    write_cache_file(_path(state, name), data.encode("utf-8"))
