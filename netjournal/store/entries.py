"""Where entries live in a journal, and how one file becomes a contact or a reflection."""

from __future__ import annotations

import os
import re
from stat import S_ISREG
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netjournal.model import Contact, Problem, Reflection
from netjournal.store import frontmatter
from netjournal.store.files import NotARegularFile, Stamp, UnsafePathError, file_type, inside, open_regular
from netjournal.wikilinks import find_links

# where entries live, and the stat-only scan: in scan.py, which imports nothing heavy
from netjournal.store.scan import (  # noqa: F401  (re-exported)
    CONFIG, CONFLICT_COPY, CONTACTS, MAX_FILE, REFLECTIONS, STATE, ScannedFile, conflict_copy_of, kind_of, scan,
)


@dataclass
class LoadedEntry:
    """One file, read and understood (or not)."""

    path: str
    kind: str
    stamp: Stamp | None
    doc: frontmatter.Document | None = None
    contact: Contact | None = None
    reflection: Reflection | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.contact is not None or self.reflection is not None

    @property
    def search_text(self) -> str:
        """What full-text search looks at: the title or name, then the body."""
        if self.contact is not None:
            return f"{self.contact.name}\n{self.contact.org}\n{self.doc.body if self.doc else ''}"
        if self.reflection is not None:
            return f"{self.reflection.title}\n{self.doc.body if self.doc else ''}"
        return ""

    def record(self) -> dict[str, Any]:
        """The index record: metadata only, plain JSON types."""
        data: dict[str, Any] | None = None
        if self.contact is not None:
            data = self.contact.to_record()
        elif self.reflection is not None:
            data = self.reflection.to_record()
        stamp = self.stamp
        return {
            "path": self.path,
            "kind": self.kind,
            "mtime_ns": stamp.mtime_ns if stamp else 0,
            "size": stamp.size if stamp else 0,
            "ctime_ns": stamp.ctime_ns if stamp else 0,
            "ino": stamp.ino if stamp else 0,
            "sha256": stamp.sha256 if stamp else "",
            "ok": self.ok,
            "data": data,
            "problems": [p.to_record() for p in self.problems],
        }


def key_line(doc: frontmatter.Document, key: str) -> int:
    """The file line on which a top-level key starts (2 when unknown)."""
    if not doc.raw_meta:
        return 1
    match = re.search(rf"^{re.escape(key)}\s*:", doc.raw_meta, re.MULTILINE)
    if not match:
        return 2
    return 2 + doc.raw_meta.count("\n", 0, match.start())


def load(root: Path, rel: str, *, with_body: bool = False, trusted: bool = False) -> LoadedEntry:
    """Read and understand one file. Never raises for a bad file: it gives problems.

    ``trusted``: ``rel`` came from ``scan()``, which only lists regular files and
    symlinks that stay inside the journal, so resolving it again is skipped (it is
    a third of the cost of a full rebuild).
    """
    kind = kind_of(rel) or "unknown"
    if trusted:
        path = root / rel
    else:
        try:
            path = inside(root, Path(rel))
        except UnsafePathError as exc:
            return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, str(exc))])
    try:
        before = os.stat(path)
        if not S_ISREG(before.st_mode):
            reason = f"{file_type(before.st_mode)}, not a regular file; not read"
            return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, reason)])
        if before.st_size > MAX_FILE:
            reason = f"file is {before.st_size / 1048576:.1f} MiB; entries larger than {MAX_FILE // 1048576} MiB are not read"
            return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, reason)])
        # never opened blocking, and only a regular file is read: a FIFO swapped in
        # for the file since the stat cannot make the journal wait forever
        with os.fdopen(open_regular(path), "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            reason = f"file is over {MAX_FILE // 1048576} MiB; entries larger than that are not read"
            return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, reason)])
    except FileNotFoundError:
        return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, "file vanished while it was being read")])
    except NotARegularFile as exc:
        return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, f"{exc.strerror}; not read")])
    except OSError as exc:
        return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, f"cannot be read: {exc.strerror or exc}")])
    stamp = Stamp.of(data, st)
    conflict = conflict_copy_of(rel)
    if conflict:
        original, maker = conflict
        made = "" if maker == "netjournal" else f" made by {maker}"
        reason = (f"a conflict copy of {original}{made}, kept when both changed: compare the two, "
                  "keep what you want in the original, then delete this copy")
        return LoadedEntry(rel, kind, stamp, problems=[Problem(rel, 1, reason, "warning")])
    try:
        doc = frontmatter.parse_bytes(data)
    except frontmatter.FrontMatterError as exc:
        return LoadedEntry(rel, kind, stamp, problems=[Problem(rel, exc.line, exc.reason)])
    entry = LoadedEntry(rel, kind, stamp, doc=doc)
    links = find_links(doc.body)
    body = doc.body if with_body else None
    if kind == "contact":
        slug = rel.rsplit("/", 1)[-1][:-3]
        contact, warnings = Contact.from_meta(slug, rel, doc.meta, links, body)
        entry.contact = contact
    else:
        reflection, warnings = Reflection.from_meta(rel, doc.meta, links, body)
        entry.reflection = reflection
    severity = "warning" if entry.ok else "error"
    entry.problems = [Problem(rel, key_line(doc, key), reason, severity) for key, reason in warnings]
    if not doc.has_front_matter and entry.ok:
        entry.problems.append(Problem(rel, 1, "no front matter (--- block) at the top of the file", "warning"))
    return entry


def unreadable(text: str, meta: dict[str, Any] | None = None) -> str | None:
    """Why the journal could not read ``text`` back as an entry, or None when it can.

    Checked before anything is written, so that a save never leaves a file that the
    next open refuses (and with it the entry, from every list).  ``meta`` (what was
    meant) names the longest value when the front matter is too large."""
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE:
        return (f"the file would be {len(data) / 1048576:.1f} MiB, over the {MAX_FILE // 1048576} MiB "
                "an entry may be")
    raw = frontmatter.split(text)[0]
    size = len(raw.encode("utf-8", "surrogatepass")) if raw is not None else 0
    if size > frontmatter.MAX_FRONT_MATTER:
        longest = _longest_value(meta or {})
        where = f" ({longest[0]} is {longest[1]:,} characters)" if longest else ""
        return (f"the front matter would be {size / 1024:.1f} KiB, over the "
                f"{frontmatter.MAX_FRONT_MATTER // 1024} KiB a file's front matter may hold{where}; shorten it")
    try:
        frontmatter.parse_bytes(data)
    except frontmatter.FrontMatterError as exc:
        return f"it would not read back (line {exc.line}: {exc.reason})"
    return None


def _longest_value(value: Any, key: str = "") -> tuple[str, int] | None:
    """The dotted key and length of the longest text in a front matter mapping."""
    best: tuple[str, int] | None = None
    if isinstance(value, dict):
        items = [(f"{key}.{k}" if key else str(k), v) for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        items = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
    else:
        return (key, len(value)) if isinstance(value, str) and key else None
    for name, item in items:
        found = _longest_value(item, name)
        if found and (best is None or found[1] > best[1]):
            best = found
    return best
