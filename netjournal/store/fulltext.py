"""A derived full-text cache beside the index, so search never walks the files.

Texts live in ``.netjournal/fulltext/NN.json`` shards (by a hash of the path), each
``{path: [sha256, text]}``.  Saving one entry rewrites one small shard, not the
whole cache.  An entry whose hash does not match the index is read again from its
file, so a stale or deleted cache only costs time, never results.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path
from typing import ContextManager, Iterable

from netjournal.store.files import atomic_write, ensure_dir

SHARDS = 128  # a save rewrites one shard: ~1/128 of the cache
FOLDER = "fulltext"


def shard_of(path: str) -> int:
    return zlib.crc32(path.encode("utf-8")) % SHARDS


class FullText:
    def __init__(self, state: Path, lock: ContextManager[object] | None = None) -> None:
        self.folder = state / FOLDER
        self.lock = lock or contextlib.nullcontext()
        self._shards: dict[int, dict[str, list[str]]] = {}

    def _file(self, shard: int) -> Path:
        return self.folder / f"{shard:02d}.json"

    def _shard(self, shard: int) -> dict[str, list[str]]:
        if shard not in self._shards:
            try:
                data = json.loads(self._file(shard).read_bytes())
                if not isinstance(data, dict):
                    data = {}
            except (OSError, ValueError):
                data = {}
            # a damaged entry is only a missing one: the file is read again
            # an entry in the wrong shard (a cache written with another shard count)
            # would shadow the right one: it is dropped like a damaged one
            self._shards[shard] = {
                path: entry for path, entry in data.items()
                if isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)
                and shard_of(path) == shard
            }
        return self._shards[shard]

    def all(self) -> dict[str, list[str]]:
        """Every cached text: path → [sha256, text]."""
        merged: dict[str, list[str]] = {}
        for shard in range(SHARDS):
            merged.update(self._shard(shard))
        return merged

    def update(self, texts: Iterable[tuple[str, str, str | None]], *, replace_all: bool = False) -> None:
        """Store (path, sha256, text) triples; a None text removes the path.

        Under the journal lock, each shard is read afresh before it is changed, so
        that another process's entries in it are kept."""
        with self.lock:
            self._update(list(texts), replace_all)

    def _update(self, texts: list[tuple[str, str, str | None]], replace_all: bool) -> None:
        ensure_dir(self.folder)
        dirty: set[int] = set()
        if not replace_all:
            for shard in {shard_of(path) for path, _, _ in texts}:
                self._shards.pop(shard, None)
        if replace_all:
            self._shards = {shard: {} for shard in range(SHARDS)}
            dirty = set(range(SHARDS))
        for path, sha, text in texts:
            shard = shard_of(path)
            data = self._shard(shard)
            if text is None:
                if data.pop(path, None) is not None:
                    dirty.add(shard)
            else:
                data[path] = [sha, text]
                dirty.add(shard)
        for shard in dirty:
            payload = json.dumps(self._shards[shard], ensure_ascii=False, separators=(",", ":"))
            atomic_write(self._file(shard), payload.encode("utf-8"))
