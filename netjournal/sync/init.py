"""``netjournal git init [--remote URL]``: make the journal a git repository, adopt
the one it is, or -- on a second machine, where there is no journal yet -- clone it.

- A journal that is not yet a repository becomes one (branch ``main`` unless the user
  set ``init.defaultBranch``), with ``.netjournal/`` (the caches) in ``.gitignore``
  and a first commit of everything.
- A journal that is already a repository's top folder is adopted: ``.netjournal/`` is
  ignored (and untracked, if it was committed), and what is not committed is.
- A journal inside another project's repository is refused, with what to do instead.
- ``--remote URL`` adds the remote ``origin`` and syncs: a remote with no journal yet
  receives this one; a remote that holds one is merged with this one, nothing lost
  (the first sync's conflict copies say where both had the same file).
- A journal folder that does not exist yet (or is empty) with ``--remote URL``: the
  remote's journal is cloned there; an empty remote gets a new journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from netjournal.sync import SyncError
from netjournal.sync.commit import IDENTITY, Committed, commit_all
from netjournal.sync.engine import SyncReport, sync
from netjournal.sync.git import Git, GitError
from netjournal.sync.repo import Repo, find, nested

IGNORED = ".netjournal/"


@dataclass
class InitReport:
    root: Path
    created: bool = False  # a new repository was made
    cloned: bool = False
    new_journal: bool = False  # the clone was empty: a journal was created in it
    ignore_written: bool = False
    untracked_state: bool = False  # .netjournal/ had been committed; it no longer is
    committed: Committed | None = None
    remote: str | None = None
    url: str = ""
    synced: SyncReport | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root), "created": self.created, "cloned": self.cloned, "new_journal": self.new_journal,
            "gitignore": self.ignore_written, "committed": self.committed.to_json() if self.committed else None,
            "remote": self.remote, "url": self.url, "sync": self.synced.to_json() if self.synced else None,
        }


def _check_identity(git: Git) -> None:
    if git.run("var", "GIT_COMMITTER_IDENT", check=False).returncode != 0:
        raise SyncError(IDENTITY)


def init(root: Path, url: str | None, *, journal: Callable[[], Any], interactive: bool = True) -> InitReport:
    """Make (or adopt) the journal's repository; with ``url``, add it as ``origin``
    and sync."""
    root = Path(root).resolve()
    git = Git(root, interactive=interactive)
    _check_identity(git)
    report = InitReport(root)
    found = find(git, root)
    if found is not None and found[0] != root:
        raise SyncError(nested(root, found[0]))
    if found is None:
        branch = git.run("config", "--get", "init.defaultBranch", check=False).stdout.decode().strip()
        git.run("init", "-q", *([] if branch else ["--initial-branch=main"]))
        report.created = True
    repo = Repo.open(root, interactive=interactive)
    if url:
        _add_remote(repo, url)
        report.remote, report.url = "origin", url
    with repo.lock() as notes:
        report.notes.extend(notes)
        status = repo.status()
        repo.require_branch(status)
        report.ignore_written = ignore_state(root)
        if repo.git.run("ls-files", "-z", "--", ".netjournal").stdout:
            repo.git.run("rm", "-r", "-q", "--cached", "--", ".netjournal")
            report.untracked_state = True
        report.committed = commit_all(repo, status.head, "init")
    if url:
        report.synced = sync(root, journal=journal, interactive=interactive)
    return report


def ignore_state(root: Path) -> bool:
    """``.netjournal/`` in the journal's ``.gitignore``; True when it had to be added."""
    from netjournal.store.files import atomic_create, atomic_write

    path = root / ".gitignore"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        atomic_create(path, f"# netjournal's caches and app state: rebuilt from the files, never synced\n{IGNORED}\n"
                      .encode("utf-8"), mode=0o600)
        return True
    wanted = {".netjournal", ".netjournal/", "/.netjournal", "/.netjournal/"}
    if any(line.strip() in wanted for line in text.splitlines()):
        return False
    atomic_write(path, (text + ("" if text.endswith("\n") or not text else "\n") + f"{IGNORED}\n").encode("utf-8"))
    return True


def _add_remote(repo: Repo, url: str) -> None:
    remotes = repo.git.out("remote").split()
    if "origin" in remotes:
        current = repo.remote_url("origin")
        if current != url:
            raise SyncError(f"this journal's repository already syncs with origin ({current}); to use {url} "
                            f"instead: git -C {repo.root} remote set-url origin {url}")
        return
    repo.git.run("remote", "add", "origin", url)


def _check_out_theirs(repo: Repo) -> None:
    """A clone whose remote HEAD names a branch that does not exist (a bare repository
    made with another default branch than the one pushed to it) checks nothing out:
    take the branch the remote has (``main``, ``master``, or its only one)."""
    names = [n.removeprefix("origin/") for n in
             repo.git.out("for-each-ref", "--format=%(refname:short)", "refs/remotes/origin/").split()
             if n != "origin/HEAD" and n != "origin"]
    if not names:
        return
    current = repo.git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.decode().strip()
    chosen = next((n for n in (current, "main", "master") if n in names), sorted(names)[0])
    repo.git.run("checkout", "-q", "-B", chosen, "--track", f"origin/{chosen}")


def clone(root: Path, url: str, *, make_journal: Callable[[Path], Any], journal: Callable[[], Any],
          interactive: bool = True) -> InitReport:
    """Clone the journal at ``url`` into ``root`` (absent or empty); an empty remote
    gets a new journal (``make_journal(root)``), committed and pushed."""
    root = Path(root).expanduser().resolve()
    parent = root.parent
    parent.mkdir(parents=True, exist_ok=True)
    git = Git(parent, interactive=interactive)
    _check_identity(git)
    try:
        git.run("clone", "--quiet", "--", url, str(root))
    except GitError as exc:
        raise SyncError(f"could not clone {url}: {exc.line}; nothing was created") from None
    report = InitReport(root, cloned=True, remote="origin", url=url)
    from netjournal.store.scan import CONFIG

    repo = Repo.open(root, interactive=interactive)
    if repo.head() is None:
        _check_out_theirs(repo)
    if repo.head() is None:  # an empty repository: this machine starts the journal
        make_journal(root)
        report.new_journal = True
        with repo.lock():
            report.ignore_written = ignore_state(root)
            report.committed = commit_all(repo, None, "init")
        report.synced = sync(root, journal=journal, interactive=interactive)
    elif not (root / CONFIG).is_file():
        raise SyncError(f"cloned {url} into {root}, but it holds no netjournal journal (no netjournal.yaml)")
    else:
        with repo.lock():
            report.ignore_written = ignore_state(root)
            if report.ignore_written:
                report.committed = commit_all(repo, repo.head(), "init")
        repo.remember_sync(ok=True, remote="origin", head=repo.head())  # a clone is a sync
    return report
