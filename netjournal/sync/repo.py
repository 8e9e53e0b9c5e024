"""The journal's repository: finding it, its status, one lock, and what a killed
netjournal left behind.

The journal must be the repository's top folder: netjournal commits and pushes
everything in the repository, so a journal inside another project's repository is
refused with an explanation rather than committing that project's files.

Every netjournal step that writes to git (``sync``, an autocommit, ``undo``, a
restore) holds ``.git/netjournal/lock`` (a ``flock``), so two of them never run at
once, and leaves ``.git/netjournal/running`` while it works.  A step that finds that
file knows the previous one was killed, and that the git lock files lying about
(``index.lock``, ``refs/…/main.lock``) are its leftovers: it waits a moment for an
orphaned git child to finish, then removes them.  A lock file found without that
mark belongs to a git command the user is running (or killed): nothing is removed,
and the line says what to do.

A save killed between writing its temp file and renaming it over the entry (a
sync's checkout, the app, any command) leaves ``.<name>.nj-<random>.tmp`` beside
the entry, and the journal sweeps it to the trash a minute later.  Such a file is
never committed: every step that holds the lock makes sure the repository's own
``info/exclude`` (never committed, never pushed) names them.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import fcntl
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from netjournal.sync import SyncError
from netjournal.sync.git import Git, GitError

STATE = "netjournal"  # folder inside the git directory (never committed, never pushed)
LOCK_WAIT = 20.0  # seconds another netjournal git step may hold the lock before we give up
ORPHAN_WAIT = 3.0  # seconds a killed step's git child may take to finish and drop its lock
BUSY_WAIT = 2.0  # seconds to wait for a user's git command to drop its lock
ORPHAN_RUN_WAIT = 60.0  # seconds a killed step's git child (a push, say) may still run
# netjournal's own temp files (store.scan.is_own_temp), as git ignores them
OWN_TEMPS = ".*.nj-*.tmp"
OWN_TEMPS_NOTE = "# netjournal: the temp file of a save under way (or killed halfway) is never committed"


def not_a_repo(root: Path) -> str:
    return f"{root} is not a git repository yet; make it one with: netjournal git init [--remote URL]"


def nested(root: Path, top: Path) -> str:
    return (f"the journal {root} is inside another git repository ({top}); netjournal would commit and push "
            f"that whole repository. Keep the journal in a folder of its own, or make it a repository of its own "
            f"(add it to {top}/.gitignore, then: netjournal git init)")


@dataclass
class Status:
    """What ``git status`` says, parsed (porcelain v2, NUL-separated)."""

    branch: str | None = None  # None: HEAD is detached
    head: str | None = None  # None: no commit yet
    upstream: str | None = None  # e.g. "origin/main"
    changed: list[str] = field(default_factory=list)  # every path with a change (staged or not, untracked)
    unmerged: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.changed and not self.unmerged


def parse_status(data: bytes) -> Status:
    status = Status()
    fields = data.split(b"\0")
    i = 0
    while i < len(fields):
        raw = fields[i]
        i += 1
        if not raw:
            continue
        line = raw.decode("utf-8", "surrogateescape")
        if line.startswith("# branch.oid "):
            oid = line[len("# branch.oid "):]
            status.head = None if oid == "(initial)" else oid
        elif line.startswith("# branch.head "):
            head = line[len("# branch.head "):]
            status.branch = None if head == "(detached)" else head
        elif line.startswith("# branch.upstream "):
            status.upstream = line[len("# branch.upstream "):]
        elif line.startswith("1 "):
            status.changed.append(line.split(" ", 8)[8])
        elif line.startswith("2 "):
            status.changed.append(line.split(" ", 9)[9])
            original = fields[i].decode("utf-8", "surrogateescape") if i < len(fields) else ""
            i += 1  # the rename's original path
            if original:
                status.changed.append(original)
        elif line.startswith("u "):
            status.unmerged.append(line.split(" ", 10)[10])
        elif line.startswith("? "):
            status.changed.append(line[2:])
    return status


class Repo:
    """A journal that is a git repository (its top folder)."""

    def __init__(self, git: Git, root: Path, git_dir: Path) -> None:
        self.git = git
        self.root = root
        self.git_dir = git_dir
        self.state = git_dir / STATE

    @classmethod
    def open(cls, root: Path, *, interactive: bool = True) -> "Repo":
        """The repository whose top folder is ``root``; SyncError when git is missing,
        the journal is not a repository, or it is inside another one."""
        root = Path(root).resolve()
        git = Git(root, interactive=interactive)
        if (root / ".git").is_dir():  # the top of a repository of its own: no need to ask git
            return cls(git, root, root / ".git")
        found = find(git, root)
        if found is None:
            raise SyncError(not_a_repo(root))
        top, git_dir = found
        if top != root:
            raise SyncError(nested(root, top))
        return cls(git, root, git_dir)

    # ------------------------------------------------------------------ status

    def status(self, *, quiet_locks: bool = False) -> Status:
        data = self.git.run("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all",
                            "--ignore-submodules=all", quiet_locks=quiet_locks).stdout
        return parse_status(data)

    def head(self) -> str | None:
        done = self.git.run("rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def require_branch(self, status: Status) -> str:
        if status.branch is None:
            at = f" (at {status.head[:8]})" if status.head else ""
            raise SyncError(f"HEAD is detached{at}: netjournal commits only on a branch. Go back to yours "
                            f"with: git -C {self.root} switch main (or your branch's name), then sync again")
        return status.branch

    def branch(self) -> str | None:
        """The branch HEAD names (None: detached), read from ``.git/HEAD`` (no git process:
        autocommit runs after every save)."""
        try:
            head = (self.git_dir / "HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            head = ""
        if head.startswith("ref: refs/heads/") and not head.endswith("/.invalid"):
            return head[len("ref: refs/heads/"):]
        if head.startswith("ref: ") or not head:  # another ref store: ask git
            name = self.git.run("symbolic-ref", "-q", "--short", "HEAD", check=False).stdout.decode().strip()
            return name or None
        return None

    def merging(self) -> bool:
        return (self.git_dir / "MERGE_HEAD").exists()

    def busy(self) -> str | None:
        """Another git operation the user left half done (a rebase, a cherry-pick…)."""
        for name, what in (("rebase-merge", "a rebase"), ("rebase-apply", "a rebase or git am"),
                           ("CHERRY_PICK_HEAD", "a cherry-pick"), ("REVERT_HEAD", "a revert"),
                           ("BISECT_LOG", "a bisect")):
            if (self.git_dir / name).exists():
                return what
        return None

    # ------------------------------------------------------------------ the lock

    @contextlib.contextmanager
    def lock(self, wait: float = LOCK_WAIT) -> Iterator[list[str]]:
        """Hold the netjournal lock of this repository; yields notes on what was
        recovered from a killed netjournal step."""
        self.state.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(self.state / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                        raise SyncError("another netjournal sync or commit is running on this journal; "
                                        "try again when it has finished") from None
                    time.sleep(0.05)
            notes = self._recover_locks()
            self._exclude_own_temps()
            running = self.state / "running"
            running.write_text(f"{os.getpid()}\n")
            self.git.on_spawn = self._record_child
            try:
                yield notes
            finally:
                self.git.on_spawn = None
                with contextlib.suppress(OSError):
                    running.unlink()
        finally:
            os.close(fd)  # releases the flock

    def _exclude_own_temps(self) -> None:
        """``OWN_TEMPS`` in ``info/exclude`` (added once; read on every step: a few
        microseconds).  A repository that cannot be written is left as it is."""
        info = self._common_dir() / "info"
        exclude = info / "exclude"
        try:
            text = exclude.read_text(encoding="utf-8", errors="surrogateescape")
        except FileNotFoundError:
            text = ""
        except OSError:
            return
        if OWN_TEMPS in text.splitlines():
            return
        if text and not text.endswith("\n"):
            text += "\n"
        text += f"{OWN_TEMPS_NOTE}\n{OWN_TEMPS}\n"
        from netjournal.store.files import atomic_write

        try:
            info.mkdir(parents=True, exist_ok=True)
            atomic_write(exclude, text.encode("utf-8", "surrogateescape"), mode=0o644)
        except OSError:
            pass

    def _common_dir(self) -> Path:
        """The git directory that holds ``info/`` (a linked worktree's is its main one's)."""
        try:
            common = (self.git_dir / "commondir").read_text(encoding="utf-8").strip()
        except OSError:
            return self.git_dir
        return (self.git_dir / common).resolve() if common else self.git_dir

    def _record_child(self, pid: int) -> None:
        with contextlib.suppress(OSError), open(self.state / "running", "a", encoding="ascii") as handle:
            handle.write(f"{pid}\n")

    def _wait_for_orphans(self) -> None:
        """The git processes a killed step started may still run (a push, a fetch): they
        would move refs under the next step's feet.  Wait for them to end."""
        try:
            pids = [int(line) for line in (self.state / "running").read_text().split() if line.isdigit()]
        except OSError:
            return
        deadline = time.monotonic() + ORPHAN_RUN_WAIT
        while True:
            alive = [pid for pid in pids[1:] if pid != os.getpid() and _alive(pid)]
            if not alive:
                return
            if time.monotonic() >= deadline:
                raise SyncError(f"git (process {alive[0]}) started by an interrupted sync is still running; "
                                "try again when it has finished")
            time.sleep(0.05)

    def _git_locks(self) -> list[Path]:
        """The lock files that stop a commit, a merge or a ref update (not a background
        ``git gc``'s own ``gc.log.lock``: it holds up nothing of ours)."""
        found = [p for p in self.git_dir.glob("*.lock") if p.is_file() and p.name != "gc.log.lock"]
        refs = self.git_dir / "refs"
        if refs.is_dir():
            found.extend(p for p in refs.rglob("*.lock") if p.is_file())
        found.extend(p for p in self.state.glob("*.index*") if p.is_file())  # a merge's own index
        return found

    def _recover_locks(self) -> list[str]:
        interrupted = (self.state / "running").exists()
        if interrupted:
            self._wait_for_orphans()
        locks = [p for p in self._git_locks() if not p.name.endswith(".index")]
        if not locks:
            self._drop_merge_index()
            return ["the last netjournal git step was interrupted; this one finishes its work"] if interrupted else []
        deadline = time.monotonic() + (ORPHAN_WAIT if interrupted else BUSY_WAIT)
        while locks and time.monotonic() < deadline:
            time.sleep(0.1)
            locks = [p for p in self._git_locks() if not p.name.endswith(".index")]
        if locks and not interrupted:
            names = ", ".join(str(p.relative_to(self.root)) if self.root in p.parents else str(p) for p in locks[:3])
            raise SyncError(f"git is busy in this journal ({names} exists): another git command is running, "
                            f"or one was stopped halfway. If none is running, remove {names} and try again")
        for path in locks:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._drop_merge_index()
        if locks:
            return [f"removed {len(locks)} git lock file(s) left by an interrupted sync"]
        return ["the last netjournal git step was interrupted; this one finishes its work"] if interrupted else []

    def _drop_merge_index(self) -> None:
        for path in self.state.glob("*.index*"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    # ------------------------------------------------------------------ small state

    def read_state(self, name: str) -> dict[str, Any] | None:
        try:
            value = json.loads((self.state / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def write_state(self, name: str, value: dict[str, Any], *, durable: bool = True) -> None:
        """Write a small state file atomically (a killed step leaves the old one or the
        new); ``durable``: on disk before this returns (a record a crash must not lose)."""
        self.state.mkdir(mode=0o700, exist_ok=True)
        temp = self.state / f".{name}.tmp"
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, self.state / name)

    def clear_state(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.state / name).unlink()

    def remember_sync(self, **facts: Any) -> None:
        """What the header shows: when the last sync ran, and how it went."""
        facts["time"] = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            self.write_state("last-sync.json", facts, durable=False)
        except OSError:
            pass  # only the header's "last sync" is behind

    # ------------------------------------------------------------------ remotes

    def remote(self, branch: str) -> str | None:
        """The remote this branch syncs with: its upstream's, else 'origin', else the only one."""
        listed = self.git.run("config", "-z", "--get-regexp", r"^(remote\..*\.url|branch\..*\.remote)$",
                              check=False).stdout.decode("utf-8", "replace")
        remotes: list[str] = []
        configured = ""
        for item in listed.split("\0"):
            key, _, value = item.partition("\n")
            if key.startswith("remote.") and key.endswith(".url"):
                remotes.append(key[len("remote."):-len(".url")])
            elif key == f"branch.{branch}.remote":
                configured = value
        if configured and configured in remotes:
            return configured
        if "origin" in remotes:
            return "origin"
        return remotes[0] if len(remotes) == 1 else None

    def remote_url(self, remote: str) -> str:
        return self.git.run("remote", "get-url", remote, check=False).stdout.decode().strip()

    def rev(self, name: str) -> str | None:
        done = self.git.run("rev-parse", "-q", "--verify", f"{name}^{{commit}}", check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.git.ok("merge-base", "--is-ancestor", older, newer)

    def changed_between(self, old: str | None, new: str) -> list[tuple[str, str, str, str, str, str]]:
        """``diff-tree`` between two commits (None: the empty tree): (status, path,
        old mode, new mode, old blob, new blob) for every file that differs."""
        from netjournal.sync.git import EMPTY_TREE

        data = self.git.run("diff-tree", "-r", "-z", "--no-renames", old or EMPTY_TREE, new).stdout
        parts = data.split(b"\0")
        rows = []
        i = 0
        while i + 1 < len(parts):
            meta = parts[i].decode()
            if not meta.startswith(":"):
                i += 1
                continue
            old_mode, new_mode, old_blob, new_blob, status = meta[1:].split(" ")
            path = parts[i + 1].decode("utf-8", "surrogateescape")
            rows.append((status[0], path, old_mode, new_mode, old_blob, new_blob))
            i += 2
        return rows



def _alive(pid: int) -> bool:
    """True when process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): it exists
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def find(git: Git, root: Path) -> tuple[Path, Path] | None:
    """(top folder, git directory) of the repository ``root`` is in, or None."""
    try:
        lines = git.out("rev-parse", "--show-toplevel", "--absolute-git-dir").splitlines()
    except GitError as exc:
        if "not a git repository" in exc.line:
            return None
        raise SyncError(f"git cannot read the repository at {root}: {exc.line}") from None
    if len(lines) < 2:
        return None  # inside a .git folder, or a bare repository
    return Path(lines[0]).resolve(), Path(lines[1])


__all__ = ["Repo", "Status", "parse_status", "find"]
