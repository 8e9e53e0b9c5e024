"""Where entries live in a journal, and how one file becomes a contact or a reflection."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from netjournal.model import Contact, Problem, Reflection
from netjournal.store import frontmatter
from netjournal.store.files import Stamp, UnsafePathError, inside
from netjournal.wikilinks import find_links

CONTACTS = "contacts"
REFLECTIONS = "reflections"
STATE = ".netjournal"
CONFIG = "netjournal.yaml"
MAX_FILE = 8 * 1024 * 1024
# "Keep mine" after a conflict writes <stem>.conflict-<YYYYmmdd-HHMMSS>[-N].md beside the file
CONFLICT_COPY = re.compile(r"\.conflict-\d{8}-\d{6}(?:-\d+)?\.md$")


def kind_of(rel: str) -> str | None:
    """'contact', 'reflection', or None for a path that is neither."""
    if not rel.endswith(".md"):
        return None
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return None
    if parts[0] == CONTACTS and len(parts) == 2:
        return "contact"
    if parts[0] == REFLECTIONS and len(parts) >= 2:
        return "reflection"
    return None


class ScannedFile(NamedTuple):
    path: str  # relative, with forward slashes
    mtime_ns: int
    size: int
    problem: Problem | None = None  # e.g. a symlink that leads outside the journal


def scan(root: Path, leftovers: list[str] | None = None) -> Iterator[ScannedFile]:
    """Every contact and reflection file with its stat, without reading any of them.

    ``leftovers`` collects the temp files (``.<name>.<random>.tmp``) a killed save
    left behind in the entry folders."""
    resolved_root = root.resolve()

    found: list[ScannedFile] = []
    add = found.append

    # A plain loop that fills a list: nested generators cost a frame switch per file,
    # and this runs for every file on every open.
    def walk(folder: str, rel: str, recursive: bool) -> None:
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return
        except PermissionError:
            add(ScannedFile(rel, 0, 0, Problem(rel, 1, "folder cannot be read (permission denied)")))
            return
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if leftovers is not None and name.endswith(".tmp"):
                    leftovers.append(entry.path)
                continue
            if entry.is_symlink():
                target = Path(os.path.realpath(entry.path))
                if target != resolved_root and resolved_root not in target.parents:
                    if name.endswith(".md"):
                        child = f"{rel}/{name}"
                        add(ScannedFile(child, 0, 0, Problem(child, 1, "symlink points outside the journal; not read")))
                    continue
                if entry.is_dir():
                    continue  # never follow linked folders: no loops, no surprises
            elif entry.is_dir(follow_symlinks=False):
                if recursive:
                    walk(entry.path, f"{rel}/{name}", recursive)
                continue
            if not name.endswith(".md"):
                continue
            try:
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            add(ScannedFile(f"{rel}/{name}", st.st_mtime_ns, st.st_size))

    for top, recursive in ((CONTACTS, False), (REFLECTIONS, True)):
        folder = root / top
        if folder.is_symlink():
            # os.scandir follows a linked contacts/ or reflections/; one that leads
            # outside the journal must not be listed (loads from scan are trusted)
            target = Path(os.path.realpath(folder))
            if target != resolved_root and resolved_root not in target.parents:
                add(ScannedFile(top, 0, 0, Problem(top, 1, "folder is a symlink that leads outside the journal; not read")))
                continue
        walk(str(folder), top, recursive)
    return iter(found)


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
        size = path.stat().st_size
        if size > MAX_FILE:
            reason = f"file is {size / 1048576:.1f} MiB; entries larger than {MAX_FILE // 1048576} MiB are not read"
            return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, reason)])
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
    except FileNotFoundError:
        return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, "file vanished while it was being read")])
    except OSError as exc:
        return LoadedEntry(rel, kind, None, problems=[Problem(rel, 1, f"cannot be read: {exc.strerror or exc}")])
    stamp = Stamp.of(data, st)
    conflict = CONFLICT_COPY.search(rel)
    if conflict:
        original = rel[: conflict.start()] + ".md"
        reason = (f"a conflict copy of {original}, kept when both changed: compare the two, "
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
