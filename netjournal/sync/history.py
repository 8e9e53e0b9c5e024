"""The versions of one entry, one version's text, bringing a version back, and undo.

- ``versions``: ``git log --follow`` on the file, newest first, each with what it
  changed (``describe``) against the version before it.
- ``restore_version``: that version comes back as a new change, through the edit
  protocol (``journal.edit(path)`` then ``save(meta=…, body=…)``): a file changed
  since it was opened is a conflict, never overwritten.  What was not committed of
  the file is committed first, so the restore itself can be undone.
- ``undo``: the last change netjournal committed (an autocommit, a sync's commit, a
  restore) is taken back by a new commit -- history is never rewritten -- if every
  file it touched is still as it left them; else the first changed file is named and
  nothing is done.  Undoing again goes one change further back.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from netjournal.sync import SyncError
from netjournal.sync.commit import Committed, commit_paths
from netjournal.sync.describe import TRAILER, UNDOES_TRAILER, describe
from netjournal.sync.repo import Repo

UNDOABLE = ("autocommit", "sync", "commit", "restore-version")
SCAN = 500  # commits looked through for the last change netjournal made


@dataclass
class FileVersion:
    """One version of a file, as ``history`` lists it (number 1 is the newest)."""

    number: int
    rev: str
    date: str  # the author date, ISO 8601 with its offset
    author: str
    subject: str
    step: str  # the netjournal step that made it ("autocommit", "sync", "merge"…), "" for others
    host: str
    path: str  # the file's path in this version
    status: str  # A, M, D, R (renamed), "" (a merge)
    what: str = ""

    @property
    def short(self) -> str:
        return self.rev[:8]

    @property
    def when(self) -> str:
        """``YYYY-MM-DD HH:MM`` in local time."""
        try:
            return _dt.datetime.fromisoformat(self.date).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.date[:16]

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "rev": self.rev, "date": self.date, "author": self.author,
                "message": self.subject, "step": self.step or None, "host": self.host or None,
                "path": self.path, "status": self.status or "M", "what": self.what}


def entry_path(repo: Repo, target: str) -> str:
    """The journal path ``target`` names: a path, a contact's slug, or a reflection's id
    (file stem); entries that no longer exist are found in the history."""
    text = target.strip().removeprefix("./")
    if "/" in text or text.endswith(".md"):
        pure = PurePosixPath(text)
        if pure.is_absolute():
            try:
                pure = PurePosixPath((repo.root / text).resolve().relative_to(repo.root).as_posix())
            except ValueError:
                raise SyncError(f"{target} is outside the journal") from None
        if ".." in pure.parts:
            raise SyncError(f"{target} is outside the journal")
        return pure.as_posix()
    contact = f"contacts/{text}.md"
    if (repo.root / contact).exists() or _in_history(repo, contact):
        return contact
    on_disk = sorted(p.relative_to(repo.root).as_posix() for p in (repo.root / "reflections").glob(f"*/{text}.md"))
    if not on_disk:
        names = repo.git.run("log", "--format=", "--name-only", "-z", "--", f":(glob)reflections/**/{text}.md",
                             check=False, glob=True).stdout.decode("utf-8", "surrogateescape").split("\0")
        on_disk = sorted({n for n in names if n})
    if len(on_disk) == 1:
        return on_disk[0]
    if len(on_disk) > 1:
        raise SyncError(f"'{target}' names {len(on_disk)} reflections; give the path")
    raise SyncError(f"no contact or reflection '{target}', now or in the history")


def _in_history(repo: Repo, path: str) -> bool:
    return bool(repo.git.run("log", "-1", "--format=%H", "--", path, check=False).stdout.strip())


def versions(repo: Repo, path: str, limit: int = 200) -> list[FileVersion]:
    """Newest first; each described against the version before it."""
    fmt = (f"%x1e%H%x1f%aI%x1f%an%x1f%s%x1f%(trailers:key={TRAILER},valueonly)"
           f"%x1f%(trailers:key={TRAILER}-Host,valueonly)")
    data = repo.git.run("log", "--follow", f"-n{limit}", f"--format={fmt}", "--name-status", "-z", "--", path,
                        check=False).stdout.decode("utf-8", "surrogateescape")
    found: list[FileVersion] = []
    current = path
    for chunk in data.split("\x1e")[1:]:
        header, _, rest = chunk.partition("\0")
        rev, date, author, subject, step, host = (header.split("\x1f") + [""] * 6)[:6]
        step, host = step.strip().split("\n")[0], host.strip().split("\n")[0]
        tokens = [t for t in rest.strip("\n").split("\0") if t.strip("\n")]
        status, here = "", current
        if tokens:
            status = tokens[0].strip("\n")[:1]
            if status in ("R", "C") and len(tokens) >= 3:
                here, current = tokens[2], tokens[1]  # older versions have the old name
            elif len(tokens) >= 2:
                here = tokens[1]
        found.append(FileVersion(len(found) + 1, rev, date, author, subject, step, host, here, status))
    # each version against the file in its commit's parent, not against the version
    # listed below it: with two machines the list interleaves both lines of work, and a
    # neighbour from the other line would credit this commit with the other's changes
    specs = [f"{v.rev}:{v.path}" for v in found if v.status != "D"]
    specs += [_parent_spec(found, v) for v in found if v.status != "A"]
    texts = repo.git.blobs(specs)
    for version in found:
        new = None if version.status == "D" else texts.get(f"{version.rev}:{version.path}")
        old = None if version.status == "A" else texts.get(_parent_spec(found, version))
        version.what = str(describe(version.path, old, new))
    return found


def _parent_spec(known: list[FileVersion], version: FileVersion) -> str:
    """The file in the first parent of the version's commit (under its older name after
    a rename)."""
    older = next((v for v in known if v.number == version.number + 1), None)
    return f"{version.rev}^:{older.path if older is not None else version.path}"


def find_version(repo: Repo, path: str, rev: str, known: list[FileVersion] | None = None) -> FileVersion:
    """A version by its number in the list (``2``) or any git revision (``a1b2c3d``,
    ``HEAD~3``): the file as it was in that commit."""
    known = known if known is not None else versions(repo, path)
    text = rev.strip()
    if text.isdigit() and len(text) <= 4:
        number = int(text)
        if 1 <= number <= len(known):
            return known[number - 1]
        raise SyncError(f"{path} has {len(known)} version(s); there is no number {number}")
    commit = repo.rev(text)
    if commit is None:
        raise SyncError(f"'{rev}' is neither a version number nor a commit of this journal")
    for version in known:
        if version.rev == commit:
            return version
    # a commit that did not change the file: the file as it was then, under any of its names
    for name in dict.fromkeys([path] + [v.path for v in known]):
        if repo.git.blobs([f"{commit}:{name}"]).get(f"{commit}:{name}") is not None:
            date, author, subject = repo.git.out("log", "-1", "--format=%aI%x1f%an%x1f%s", commit).split("\x1f")
            return FileVersion(0, commit, date, author, subject, "", "", name, "M", "as it was in that commit")
    raise SyncError(f"{path} did not exist in commit {commit[:8]}")


def version_bytes(repo: Repo, version: FileVersion) -> bytes:
    if version.status == "D":
        raise SyncError(f"version {version.number} is the one that deleted {version.path}; "
                        f"the version before it is {version.number + 1}")
    data = repo.git.blobs([f"{version.rev}:{version.path}"]).get(f"{version.rev}:{version.path}")
    if data is None:
        raise SyncError(f"{version.path} cannot be read from commit {version.short}")
    return data


def diff_lines(old: bytes | None, new: bytes | None, old_name: str = "before", new_name: str = "after",
               context: int = 3) -> list[str]:
    """A unified diff of two versions' texts (lines without their newlines)."""
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines()

    return list(difflib.unified_diff(lines(old), lines(new), old_name, new_name, n=context, lineterm=""))


def version_diff(repo: Repo, known: list[FileVersion], version: FileVersion) -> list[str]:
    """What ``version`` changed: against the file in its commit's parent."""
    new = None if version.status == "D" else version_bytes(repo, version)
    spec = _parent_spec(known, version)
    old = None if version.status == "A" else repo.git.blobs([spec]).get(spec)
    before = f"{spec.partition(':')[2]} (before {version.short})" if old is not None else "(none)"
    return diff_lines(old, new, before, f"{version.path} ({version.short})")


# ---------------------------------------------------------------------- restore


def restore_version(repo: Repo, journal: Any, path: str, version: FileVersion, *, edit: Any = None,
                    ) -> Committed | None:
    """Bring ``version`` back as ``path``'s new content, through the edit protocol
    (``edit``: the version the caller showed; else the file as it is now), and commit
    it.  Raises ``SaveConflict`` when the file changed since ``edit`` was opened."""
    from netjournal.store import frontmatter

    data = version_bytes(repo, version)
    try:
        frontmatter.parse_bytes(data)
    except frontmatter.FrontMatterError as exc:
        raise SyncError(f"version {version.number or version.short} of {path} cannot be read ({exc}); "
                        "nothing was changed") from None
    with repo.lock():
        if repo.branch() is None:
            raise SyncError("HEAD is detached; go back to your branch before restoring a version")
        head = repo.head()
        target = repo.root / path
        if target.exists():
            # what was not committed of it goes into the history first: the restore can be undone
            commit_paths(repo, head, [path], "commit")
            head = repo.head()
            if edit is None:
                try:
                    edit = journal.edit(path)
                except Exception as exc:  # unreadable now: say so rather than write over it
                    raise SyncError(f"{path} cannot be opened now ({exc}); move it away (or fix it), "
                                    "then restore") from None
            edit.save_text(data.decode("utf-8"))  # exactly that version, through the edit protocol
        else:
            from netjournal.store.files import atomic_create, ensure_dir

            with journal.write_lock:
                ensure_dir(target.parent)
                atomic_create(target, data)
            journal.reread(path)
        label = str(describe(path, None, data)).removesuffix(" (new)")
        when = version.when.split(" ")[0]
        subject = f"Restore {label} as of {when} ({version.short})"
        return commit_paths(repo, head, [path], "restore-version", subject=subject[:100])


# ---------------------------------------------------------------------- undo


@dataclass
class Undone:
    target: str  # the commit taken back
    subject: str
    committed: Committed | None
    paths: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"undid": self.target, "message": self.subject, "paths": self.paths,
                "commit": self.committed.sha if self.committed else None}


def last_change(repo: Repo) -> tuple[str, str] | None:
    """(commit, subject) of the newest change netjournal committed that has not been
    undone already."""
    fmt = (f"%x1e%H%x1f%s%x1f%(trailers:key={TRAILER},valueonly)"
           f"%x1f%(trailers:key={UNDOES_TRAILER},valueonly)")
    data = repo.git.run("log", "--no-merges", f"-n{SCAN}", f"--format={fmt}", check=False).stdout.decode(
        "utf-8", "replace")
    undone: set[str] = set()
    for chunk in data.split("\x1e")[1:]:
        sha, subject, step, undoes = (chunk.rstrip("\n").split("\x1f") + [""] * 4)[:4]
        step = step.strip().split("\n")[0]
        if step == "undo":
            undone.update(undoes.split())
            continue
        if sha in undone or step not in UNDOABLE:
            continue
        return sha, subject
    return None


def undo(repo: Repo, journal: Any) -> Undone:
    """Take back the last change netjournal committed, as a new commit (see the module)."""
    from netjournal.store.files import atomic_create, atomic_write, ensure_dir, move_to_trash
    from netjournal.store import frontmatter
    from netjournal.store.scan import kind_of

    with repo.lock():
        if repo.branch() is None:
            raise SyncError("HEAD is detached; go back to your branch before undoing")
        found = last_change(repo)
        if found is None:
            raise SyncError("there is no change of netjournal's to undo (only changes netjournal committed "
                            "can be undone; see: netjournal history)")
        target, subject = found
        parent = repo.rev(f"{target}^")
        rows = repo.changed_between(parent, target)
        blobs = repo.git.blobs({oid for *_, ob, nb in rows for oid in (ob, nb) if set(oid) != {"0"}})
        for status, path, _, _, ob, nb in rows:
            try:
                now: bytes | None = (repo.root / path).read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                now = None
            if now != (None if status == "D" else blobs.get(nb)):
                raise SyncError(f"not undone: {path} changed after '{subject}' ({target[:8]}); "
                                "nothing was changed")
        head = repo.head()
        for status, path, _, _, ob, nb in rows:
            before = None if status == "A" else blobs.get(ob)
            target_path = repo.root / path
            entry = kind_of(path) is not None
            if before is None:
                if entry:
                    journal.delete(path)
                else:
                    with journal.write_lock:
                        move_to_trash(repo.root, target_path, repo.root / ".netjournal" / "trash")
            elif status == "D":
                with journal.write_lock:
                    ensure_dir(target_path.parent)
                    atomic_create(target_path, before)
                if entry:
                    journal.reread(path)
            elif entry:
                try:
                    frontmatter.parse_bytes(before)
                    readable = True
                except frontmatter.FrontMatterError:
                    readable = False
                if readable:
                    journal.edit(path).save_text(before.decode("utf-8"))
                else:  # the version before was not readable either: put its bytes back as they were
                    with journal.write_lock:
                        atomic_write(target_path, before)
                    journal.reread(path)
            else:
                with journal.write_lock:
                    atomic_write(target_path, before)
        paths = [path for _, path, *_ in rows]
        committed = commit_paths(repo, head, paths, "undo", subject=f"Undo: {subject}"[:100],
                                 extra=[(UNDOES_TRAILER, target)])
    return Undone(target, subject, committed, paths)
