"""Committing: everything that changed (``sync``), or only the files a command wrote
(autocommit, restore, undo), with a message that says what changed.

Commits carry the user's own identity, as git resolves it (``user.name`` and
``user.email`` from their config, or git's own guess where it makes one).  When git
has none, the commit is refused with one line saying how to set it: netjournal does
not invent an author for commits that will be pushed under the user's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from netjournal.sync import SyncError
from netjournal.sync.describe import Change, count_kinds, count_words, describe_all, message
from netjournal.sync.git import EMPTY_TREE, GitError
from netjournal.sync.repo import Repo

IDENTITY = ("git does not know who you are, so it cannot commit; set your name and email once with: "
            "git config --global user.name \"Your Name\" && git config --global user.email you@example.org")


@dataclass
class Committed:
    """A commit netjournal made: its id, subject, and the changes it holds."""

    sha: str
    subject: str
    changes: list[Change] = field(default_factory=list)
    counted: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"commit": self.sha, "subject": self.subject, "changes": [c.to_json() for c in self.changes],
                "more": self.counted}


def staged(repo: Repo, head: str | None, paths: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(path, A/M/D) for what the index holds against HEAD (only ``paths`` when given)."""
    args = ["diff", "--cached", "--name-status", "--no-renames", "-z", head or EMPTY_TREE]
    paths = list(paths)
    if paths:
        args += ["--", *paths]
    parts = [p.decode("utf-8", "surrogateescape") for p in repo.git.run(*args).stdout.split(b"\0")]
    rows = []
    for i in range(0, len(parts) - 1, 2):
        status, path = parts[i], parts[i + 1]
        if status:
            rows.append((path, "A" if status[0] == "A" else "D" if status[0] == "D" else "M"))
    return rows


def reader(repo: Repo, old: str | None, new: str | None) -> Callable[[list[str]], dict[str, bytes | None]]:
    """Reads ``old:<path>`` from commit ``old`` and ``new:<path>`` from commit ``new``
    (None: from the index), in one ``cat-file``."""

    def read(specs: list[str]) -> dict[str, bytes | None]:
        wanted: dict[str, str] = {}
        for spec in specs:
            side, _, path = spec.partition(":")
            rev = old if side == "old" else new
            if side == "old" and old is None:
                continue
            wanted[spec] = f"{rev}:{path}" if rev else f":{path}"
        blobs = repo.git.blobs(wanted.values())
        return {spec: blobs.get(git_spec) for spec, git_spec in wanted.items()}

    return read


def _commit(repo: Repo, text: str, paths: list[str] | None) -> str:
    message_file = repo.state / "COMMIT_MSG"
    try:
        if paths is None:
            repo.git.run("commit", "-q", "--no-edit", "-F", "-", input=text.encode("utf-8"))
        else:  # the paths on standard input, so the message comes from a file
            repo.state.mkdir(mode=0o700, exist_ok=True)
            message_file.write_text(text, encoding="utf-8")
            repo.git.with_paths("commit", "-q", "--no-edit", "-F", str(message_file), "--only", paths=paths)
    except GitError as exc:
        said = (exc.stderr + exc.stdout).lower()
        if "identity" in said or "auto-detect" in said or "empty ident" in said or "tell me who you are" in said:
            raise SyncError(IDENTITY) from None
        raise SyncError(f"git could not commit: {exc.line}") from None
    return repo.git.out("rev-parse", "HEAD")


def commit_all(repo: Repo, head: str | None, step: str = "sync") -> Committed | None:
    """Commit every change in the journal folder (``.gitignore`` respected); None when
    there was nothing to commit."""
    repo.git.run("add", "-A")
    rows = staged(repo, head)
    if not rows:
        return None
    changes, counted = describe_all(rows, reader(repo, head, None))
    subject = f"The journal's history starts: {count_words(count_kinds(p for p, _ in rows))}" if step == "init" else None
    text = message(changes, counted, step, subject=subject)
    sha = _commit(repo, text, None)
    return Committed(sha, text.split("\n", 1)[0], changes, counted)


def commit_paths(repo: Repo, head: str | None, paths: Iterable[str], step: str, *,
                 subject: str | None = None, extra: Iterable[tuple[str, str]] = ()) -> Committed | None:
    """Commit only ``paths`` (as they are in the folder now: written, created or gone),
    leaving anything else the user changed or staged as it was.  None when they hold
    no change.  (Four git processes: autocommit runs after every save.)"""
    wanted = sorted(set(paths))
    present = [p for p in wanted if (repo.root / p).exists()]
    gone = [p for p in wanted if p not in present]
    if gone:  # only paths git knows can be named for a removal
        known = set(repo.git.run("ls-files", "-z", "--", *gone).stdout.decode("utf-8", "surrogateescape").split("\0"))
        gone = [p for p in gone if p in known]
    wanted = present + gone
    if not wanted:
        return None
    repo.git.with_paths("add", "-A", paths=wanted)
    base = head or "HEAD"
    blobs = repo.git.blobs([f"{base}:{p}" for p in wanted] + [f":{p}" for p in wanted])
    rows, contents = [], {}
    for path in wanted:
        old, new = blobs.get(f"{base}:{path}"), blobs.get(f":{path}")
        if old == new:
            continue
        rows.append((path, "A" if old is None else "D" if new is None else "M"))
        contents[f"old:{path}"], contents[f"new:{path}"] = old, new
    if not rows:
        return None
    changes, counted = describe_all(rows, lambda specs: {spec: contents.get(spec) for spec in specs})
    text = message(changes, counted, step, subject=subject, extra=extra)
    sha = _commit(repo, text, [path for path, _ in rows])
    return Committed(sha, text.split("\n", 1)[0], changes, counted)
