"""The edit protocol: open an entry, change it, save it, and meet a conflict.

Every change to an existing contact or reflection goes this way, whoever makes it
(the command line, the editor, the contact screen, the contact form, an importer, a
sync), so that the promise "a file changed on disk since it was read is never
overwritten" is kept in one place:

    edit = journal.edit_contact("priya-raman")        # what it was, and its stamp
    try:
        edit = edit.save({"role": "Dean"})              # the saved version, re-read
    except SaveConflict as conflict:                    # someone else wrote it first
        conflict.mine, conflict.theirs                  # both versions (meta + body)
        conflict.take_theirs()                          # forget mine: an Edit of theirs
        conflict.keep_mine()                            # mine as a .conflict-… copy beside it
        conflict.merge()                                # both, key by key, if they touch different keys

A save writes only what changed (``store.frontmatter`` re-renders just the changed
lines) and checks the file's stamp again immediately before the rename.  Nothing here
imports Textual; the TUI holds ``Edit`` objects and never sees the store's types.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from netjournal.model import Contact, Reflection
from netjournal.store.entries import LoadedEntry
from netjournal.store.frontmatter import comparable
from netjournal.store.files import ConflictError

if TYPE_CHECKING:
    from netjournal.journal import Journal

__all__ = ["REMOVE", "Edit", "SaveConflict", "Version", "merge_meta", "merge_text"]


class _Remove:
    """In ``Edit.save(changes)``: take this key out of the front matter."""

    _instance: "_Remove | None" = None

    def __new__(cls) -> "_Remove":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Any = _Remove()


@dataclass(frozen=True)
class Version:
    """One version of an entry: its front matter (as parsed) and its body."""

    meta: dict[str, Any]
    body: str


class Edit:
    """One entry opened for editing: the version it was, and the stamp a save checks.

    An ``Edit`` is a snapshot; ``save`` returns a new one for the version it wrote.
    """

    def __init__(self, journal: "Journal", entry: LoadedEntry, *, base_known: bool = True) -> None:
        assert entry.doc is not None and entry.stamp is not None
        self.journal = journal
        self._entry = entry
        # False: the caller edits from an older version of which only the hash is known
        # (a draft kept before the file changed); a save is then always a conflict, and
        # there is no common base to merge from.
        self.base_known = base_known

    # ------------------------------------------------------------------ what it was

    @property
    def path(self) -> str:
        return self._entry.path

    @property
    def kind(self) -> str:
        return self._entry.kind

    @property
    def meta(self) -> dict[str, Any]:
        """The front matter as read (a copy: change it through ``save``)."""
        return dict(self._entry.doc.meta)  # type: ignore[union-attr]

    @property
    def body(self) -> str:
        return self._entry.doc.body  # type: ignore[union-attr]

    @property
    def version(self) -> Version:
        return Version(self.meta, self.body)

    @property
    def contact(self) -> Contact | None:
        return self._entry.contact

    @property
    def reflection(self) -> Reflection | None:
        return self._entry.reflection

    @property
    def token(self) -> str:
        """Names this version of the file (its content hash): keep it with a draft and
        give it back to ``Journal.edit(path, expect=token)``."""
        return self._entry.stamp.sha256  # type: ignore[union-attr]

    def changed_on_disk(self) -> bool:
        """True when the file is no longer the version this edit was opened on."""
        return not self.base_known or self.journal.changed_on_disk(self._entry)

    # ------------------------------------------------------------------ saving

    def with_changes(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The front matter after ``changes`` (``REMOVE`` takes a key out); key order kept,
        new keys at the end."""
        meta = self.meta
        for key, value in changes.items():
            if value is REMOVE:
                meta.pop(key, None)
            else:
                meta[key] = value
        return meta

    def save(self, changes: Mapping[str, Any] | None = None, *, body: str | None = None,
             meta: dict[str, Any] | None = None) -> "Edit":
        """Write ``changes`` (or a whole new ``meta``) and ``body`` (None: keep it).

        Returns the edit of the version written.  Raises ``SaveConflict``, having written
        nothing, when the file is no longer the version this edit was opened on.
        ``JournalError`` for what cannot be written at all (too large, unreadable)."""
        if meta is None:
            meta = self.with_changes(changes or {})
        mine = Version(meta, self.body if body is None else body)
        if not self.base_known:
            raise SaveConflict(self, mine)
        try:
            fresh = self.journal._write_entry(self._entry, meta, body)
        except ConflictError:
            raise SaveConflict(self, mine) from None
        return Edit(self.journal, fresh)

    def save_text(self, text: str) -> "Edit":
        """Write ``text`` as the file's whole content, byte for byte: a version brought
        back from the history (``restore-version``, ``undo``), so that it reads exactly
        as it did.  It must parse; conflicts as ``save`` does (``mine`` is its meta and
        body)."""
        from netjournal.store import frontmatter

        try:
            doc = frontmatter.parse(text)
        except frontmatter.FrontMatterError as exc:
            from netjournal.journal import JournalError

            raise JournalError(f"{self.path}: the text to write does not read ({exc}); nothing was written") from None
        mine = Version(doc.meta, doc.body)
        if not self.base_known:
            raise SaveConflict(self, mine)
        try:
            fresh = self.journal._write_entry(self._entry, doc.meta, doc.body, text=text)
        except ConflictError:
            raise SaveConflict(self, mine) from None
        return Edit(self.journal, fresh)

    def __repr__(self) -> str:
        return f"Edit({self.path!r}, {self.token[:8]})"


class SaveConflict(ConflictError):
    """A save refused because the file changed on disk after it was opened.

    ``mine`` is what the caller meant to write, ``theirs`` what is on disk now (None
    when the file is gone or cannot be read: ``theirs_problem`` says why), ``base``
    the version both started from (None when unknown).  Nothing was written; the
    resolutions below each write at most one file.
    """

    def __init__(self, edit: Edit, mine: Version) -> None:
        super().__init__(Path(edit.path))
        self.edit = edit
        self.mine = mine
        self.base: Version | None = edit.version if edit.base_known else None
        self.theirs_problem: str | None = None
        self._theirs: Edit | None = None
        try:
            self._theirs = edit.journal.edit(edit.path)
        except Exception as exc:  # gone, unreadable, a problem file: no "theirs" to merge
            self.theirs_problem = str(exc)
        self.conflicting: list[str] = []  # filled by merge(): what changed on both sides

    @property
    def rel(self) -> str:
        return self.edit.path

    @property
    def theirs(self) -> Version | None:
        return self._theirs.version if self._theirs is not None else None

    @property
    def can_merge(self) -> bool:
        """True when both versions are known and they changed different keys or lines."""
        if self.base is None or self._theirs is None:
            return False
        _, conflicts = _merge_versions(self.base, self.mine, self._theirs.version)
        return not conflicts

    def take_theirs(self) -> Edit:
        """Forget mine: the index takes the file as it is now; returns an edit of it."""
        self.edit.journal.reread(self.edit.path)  # NotFound when it is gone
        return self.edit.journal.edit(self.edit.path)

    def keep_mine(self) -> str:
        """Write mine beside the file as ``<stem>.conflict-<host>-<time>.md`` (theirs stays in
        place, untouched); returns the copy's path.  The copy is listed as a problem
        until the user merges the two and deletes it."""
        return self.edit.journal._write_conflict_copy(self.edit._entry, self.mine.meta, self.mine.body)

    def merge(self) -> Edit | None:
        """Theirs with my changes on top, key by key (and line by line in the body).

        Returns the saved edit, or None -- writing nothing -- when a key or a part of
        the body changed on both sides differently (``conflicting`` names them) or no
        base is known.  May raise another ``SaveConflict`` if the file changes again
        meanwhile."""
        if self.base is None or self._theirs is None:
            self.conflicting = ["the version this edit started from is not known"] if self.base is None \
                else [self.theirs_problem or "the file is gone"]
            return None
        theirs = self._theirs.version
        merged, conflicts = _merge_versions(self.base, self.mine, theirs)
        self.conflicting = conflicts
        if conflicts or merged is None:
            return None
        body = merged.body if merged.body != theirs.body else None
        return self._theirs.save(meta=merged.meta, body=body)


# ---------------------------------------------------------------------- merging


_MISSING = object()


def merge_meta(base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any],
               prefix: str = "") -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of two front matters that started from ``base``.

    A key changed (or added, or removed) on one side only takes that side's value; on
    both sides to the same value, that value; on both sides differently, it is a
    conflict (named in the list, e.g. ``steps.trust``) -- except nested mappings, which
    are merged key by key.  Key order is theirs, with keys only mine adds at the end.
    """
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    order = list(theirs) + [k for k in mine if k not in theirs]
    for key in order + [k for k in base if k not in theirs and k not in mine]:
        b = base.get(key, _MISSING)
        m = mine.get(key, _MISSING)
        t = theirs.get(key, _MISSING)
        nb, nm, nt = (comparable(v) if v is not _MISSING else _MISSING for v in (b, m, t))
        if nm == nt:
            value = t
        elif nm == nb:
            value = t
        elif nt == nb:
            value = m
        elif isinstance(b, dict) and isinstance(m, dict) and isinstance(t, dict):
            value, inner = merge_meta(b, m, t, f"{prefix}{key}.")
            conflicts.extend(inner)
        else:
            conflicts.append(f"{prefix}{key}")
            value = t
        if value is not _MISSING:
            merged[key] = value
    return merged, conflicts


def merge_text(base: str, mine: str, theirs: str) -> str | None:
    """Three-way merge of a body, line by line: the changes of both sides when they
    touch different lines (a change next to the other side's is a conflict, as in
    git), else None."""
    if mine == theirs or mine == base:
        return theirs
    if theirs == base:
        return mine
    b = base.splitlines(keepends=True)
    ours = _changes(b, mine.splitlines(keepends=True))
    others = _changes(b, theirs.splitlines(keepends=True))
    edits: list[tuple[int, int, list[str]]] = []
    i = j = 0
    while i < len(ours) or j < len(others):
        a = ours[i] if i < len(ours) else None
        o = others[j] if j < len(others) else None
        if a is not None and o is not None and max(a[0], o[0]) <= min(a[1], o[1]):
            if a == o:  # the same change on both sides
                edits.append(a)
                i += 1
                j += 1
                continue
            return None
        if o is None or (a is not None and a[0] < o[0]):
            edits.append(a)  # type: ignore[arg-type]
            i += 1
        else:
            edits.append(o)
            j += 1
    out: list[str] = []
    at = 0
    for start, end, lines in edits:
        out.extend(b[at:start])
        out.extend(lines)
        at = end
    out.extend(b[at:])
    return "".join(out)


def _changes(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    """The regions of ``base`` that ``other`` replaced: (start, end, new lines)."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _merge_versions(base: Version, mine: Version, theirs: Version) -> tuple[Version | None, list[str]]:
    meta, conflicts = merge_meta(base.meta, mine.meta, theirs.meta)
    body = merge_text(base.body, mine.body, theirs.body)
    if body is None:
        conflicts.append("the body (the same lines changed on both sides)")
    if conflicts:
        return None, conflicts
    return Version(meta, body or ""), []
