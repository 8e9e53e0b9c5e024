"""``netjournal sync``: commit what changed, fetch, merge, bring the result into the
folder, push.  With no remote it only commits.

The order keeps every step undoable by the next ``sync``:

1. The netjournal lock is taken; what a killed sync left (git lock files, a
   half-done checkout, a merge left half done) is finished first (``repo.py``).
2. Everything changed in the folder is committed (``commit.py``).
3. The branch is fetched from its remote (an unreachable one: one line, exit 1; the
   local commit stays and goes out next time).
4. Theirs is merged into a new commit in an index of our own (``merge.py``): the
   folder is not touched until the merged commit exists.
5. The folder is brought to that commit (``checkout``): a record of what is being
   done is written first; each file is written atomically, and only if it is still
   the version the merge started from, under the journal's own write lock so that no
   save of the app interleaves; deletions go to the trash.  A sync killed here is
   finished by the next one from the record.
6. The branch is pushed; a push refused because the other machine pushed first is
   fetched, merged and pushed again, once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from netjournal.sync import SyncError
from netjournal.sync.commit import IDENTITY, Committed, commit_all, reader
from netjournal.sync.describe import SUBJECT_WIDTH, Change, describe_all, message, summary
from netjournal.sync.git import GitError
from netjournal.sync.merge import Outcome, unmerged_stages, index_info, merge_commits, resolve
from netjournal.sync.repo import Repo, Status

CHECKOUT = "checkout.json"  # the record of a checkout under way

JournalGetter = Callable[[], Any]


@dataclass
class SyncReport:
    """What a sync did (``sync --json`` prints it; the app's notice says it)."""

    remote: str | None = None
    url: str = ""
    committed: Committed | None = None
    incoming: list[Change] = field(default_factory=list)
    incoming_more: dict[str, int] = field(default_factory=dict)
    outgoing: list[Change] = field(default_factory=list)
    outgoing_more: dict[str, int] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    fetched: bool = False
    pushed: bool = False
    notes: list[str] = field(default_factory=list)
    head: str | None = None

    @property
    def conflicts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.how == "conflict"]

    @property
    def copies_made(self) -> set[str]:
        """The conflict copies this sync made: each is told once, as its conflict, and
        left out of what came in and what went out (though the copy is pushed)."""
        return {o.copy for o in self.conflicts if o.copy}

    @property
    def came_in(self) -> int:
        return len(self.incoming) + sum(self.incoming_more.values())

    @property
    def went_out(self) -> int:
        return len(self.outgoing) + sum(self.outgoing_more.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "remote": self.remote, "url": self.url, "fetched": self.fetched, "pushed": self.pushed,
            "committed": self.committed.to_json() if self.committed else None,
            "in": [c.to_json() for c in self.incoming], "in_more": self.incoming_more,
            "out": [c.to_json() for c in self.outgoing], "out_more": self.outgoing_more,
            "merged": [o.to_json() for o in self.outcomes if o.how != "conflict"],
            "conflicts": [o.to_json() for o in self.conflicts],
            "notes": self.notes, "head": self.head,
        }


def sync(root: Path, *, journal: JournalGetter, interactive: bool = True) -> SyncReport:
    """Commit, fetch, merge, check out, push (see the module's docstring).
    ``journal()`` gives the journal whose write lock the checkout holds (opened only
    when something comes in).  Raises SyncError with one line."""
    repo = Repo.open(root, interactive=interactive)
    try:
        return _sync(repo, journal)
    except SyncError as exc:
        repo.remember_sync(ok=False, error=str(exc))
        raise


def _sync(repo: Repo, journal: JournalGetter) -> SyncReport:
    report = SyncReport()
    with repo.lock() as notes:
        report.notes.extend(notes)
        busy = repo.busy()
        if busy:
            raise SyncError(f"{busy} is under way in this journal's repository; finish it (or abort it) "
                            "with git, then sync again")
        status = repo.status()
        branch = repo.require_branch(status)
        if resume_checkout(repo, branch, journal):
            report.notes.append("finished bringing in the changes of an interrupted sync")
            status = repo.status()
        if repo.merging():
            finish_merge(repo, status, journal, report)
            status = repo.status()
        head = status.head
        if not status.clean:
            report.committed = commit_all(repo, status.head)
            head = repo.head()
        remote = repo.remote(branch)
        if remote is not None:
            report.remote, report.url = remote, repo.remote_url(remote)
            head = _exchange(repo, branch, remote, head, status, journal, report)
        report.head = head
        repo.remember_sync(ok=True, remote=report.remote, head=head, came_in=report.came_in,
                           went_out=report.went_out, conflicts=[o.copy for o in report.conflicts])
    return report


def _exchange(repo: Repo, branch: str, remote: str, head: str | None, status: Status,
              journal: JournalGetter, report: SyncReport) -> str | None:
    """Fetch, merge, push; once more if the push is refused because theirs moved on."""
    their_branch = _their_branch(repo, branch)
    tracking = f"refs/remotes/{remote}/{their_branch}"
    for attempt in (1, 2):
        theirs = _fetch(repo, remote, their_branch, tracking, report)
        report.fetched = True
        if theirs is not None and (head is None or not repo.is_ancestor(theirs, head)):
            head = integrate(repo, branch, head, theirs, remote, journal, report)
        if head is None or head == theirs:
            return head
        refused = _push(repo, remote, branch, their_branch, report, set_upstream=status.upstream is None)
        if refused is None:
            report.pushed = True
            made = report.copies_made
            report.outgoing, report.outgoing_more = describe_all(
                [(p, s) for s, p, *_ in repo.changed_between(theirs, head) if p not in made],
                reader(repo, theirs, head))
            return head
        if attempt == 2:
            raise SyncError(f"{remote} refused the push again ({refused}): the other machine keeps pushing. "
                            "Everything is committed and merged here; sync again in a moment")
    return head


def _their_branch(repo: Repo, branch: str) -> str:
    merge = repo.git.run("config", "--get", f"branch.{branch}.merge", check=False).stdout.decode().strip()
    return merge.removeprefix("refs/heads/") if merge.startswith("refs/heads/") else branch


def unreachable(remote: str, url: str, line: str) -> str:
    where = f"{remote} ({url})" if url else remote
    return (f"could not reach {where}: {line}. Your changes are committed here; they go out with the "
            "next sync that reaches it")


def _fetch(repo: Repo, remote: str, their_branch: str, tracking: str, report: SyncReport) -> str | None:
    """Fetch their branch into its tracking ref; its commit (None: the remote has no such
    branch yet, e.g. a new empty repository)."""
    done = repo.git.run("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{their_branch}:{tracking}",
                        check=False)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace")
        if "couldn't find remote ref" in said:
            return None
        from netjournal.sync.git import last_line

        raise SyncError(unreachable(remote, report.url, last_line(said) or f"git fetch exit {done.returncode}"))
    return repo.rev(tracking)


def _push(repo: Repo, remote: str, branch: str, their_branch: str, report: SyncReport, *,
          set_upstream: bool) -> str | None:
    """Push; None when it went through, else why it was refused (a non-fast-forward)."""
    args = ["push", "--porcelain", "--quiet"]
    if set_upstream:
        args.append("--set-upstream")
    done = repo.git.run(*args, remote, f"refs/heads/{branch}:refs/heads/{their_branch}", check=False)
    out = done.stdout.decode("utf-8", "replace")
    refused = [line.split("\t")[-1].strip() for line in out.splitlines() if line.startswith("!")]
    if done.returncode == 0 and not refused:
        return None
    if refused:
        if ("failed to update ref" in refused[0] or "failed to lock" in refused[0]) and \
                _clear_stale_remote_lock(repo.remote_url(remote), their_branch):
            report.notes.append(f"removed a lock left in {remote} by an interrupted push")
        return refused[0]
    from netjournal.sync.git import last_line

    raise SyncError(unreachable(remote, repo.remote_url(remote), last_line(done.stderr.decode("utf-8", "replace"))
                                or f"git push exit {done.returncode}"))


REMOTE_LOCK_WAIT = 2.0  # seconds a lock in a folder remote may stay before it is taken as stale


def _clear_stale_remote_lock(url: str, branch: str) -> bool:
    """A push killed while the remote was updating its branch leaves the branch's lock
    there, and every later push is refused.  For a remote that is a folder (a USB disk,
    a network share), a lock still there after a moment is such a leftover -- no push
    holds a branch's lock longer than a few milliseconds -- and is removed."""
    import time

    if url.startswith("file://"):
        url = url[len("file://"):]
    elif not url.startswith(("/", "./", "../", "~")):
        return False  # ssh, https: the server keeps its own house
    folder = Path(url).expanduser()
    removed = False
    for git_dir in (folder, folder / ".git"):
        for lock in (git_dir / "refs" / "heads" / f"{branch}.lock", git_dir / "packed-refs.lock"):
            deadline = time.monotonic() + REMOTE_LOCK_WAIT
            while lock.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            if lock.exists():
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()
                    removed = True
    return removed


# ---------------------------------------------------------------------- merging


def host_of(repo: Repo, commit: str, remote: str) -> Callable[[str], str]:
    """Names the machine whose version of a path ``commit`` holds: the host netjournal
    recorded in the last commit that changed it there, else the remote's name."""
    from netjournal.store.scan import host_name, host_slug
    from netjournal.sync.describe import HOST_TRAILER

    here = host_name()

    def name(path: str) -> str:
        found = repo.git.run("log", "-1", f"--format=%(trailers:key={HOST_TRAILER},valueonly)", commit, "--", path,
                             check=False).stdout.decode("utf-8", "replace").split()
        host = host_slug(found[0]) if found else ""
        if not host or host == here:
            host = host_slug(remote) or "remote"
        return host

    return name


def integrate(repo: Repo, branch: str, head: str | None, theirs: str, remote: str,
              journal: JournalGetter, report: SyncReport) -> str:
    """Bring ``theirs`` into the branch: a fast-forward when we have nothing of our own,
    else a merge commit; then the folder is brought to it.  Returns the new head."""
    if head is None or repo.is_ancestor(head, theirs):
        target = theirs
    else:
        tree, outcomes = merge_commits(repo, head, theirs, host_of(repo, theirs, remote))
        incoming, more = describe_all([(p, s) for s, p, *_ in repo.changed_between(head, theirs)],
                                      reader(repo, head, theirs))
        lines = [f"- {o.path}: {o.detail}" + (f" ({o.copy})" if o.copy else "") for o in outcomes]
        prefix = f"Merge from {remote}: "
        subject = prefix + summary(incoming, more, width=SUBJECT_WIDTH - len(prefix))
        text = message(incoming, more, "merge", subject=subject)
        if lines:
            body, _, trailers = text.rpartition("\n\n")
            text = body + "\n\n" + "\n".join(lines) + "\n\n" + trailers
        try:
            target = repo.git.out("commit-tree", tree, "-p", head, "-p", theirs, "-F", "-", input=text.encode("utf-8"))
        except GitError as exc:
            said = (exc.stderr + exc.stdout).lower()
            if "ident" in said or "tell me who you are" in said:
                raise SyncError(IDENTITY) from None
            raise SyncError(f"git could not record the merge: {exc.line}; nothing was changed") from None
        report.outcomes.extend(outcomes)
    checkout(repo, branch, head, target, journal)
    made = report.copies_made
    came, more = describe_all([(p, s) for s, p, *_ in repo.changed_between(head, target) if p not in made],
                              reader(repo, head, target))
    report.incoming.extend(came)
    for kind, n in more.items():
        report.incoming_more[kind] = report.incoming_more.get(kind, 0) + n
    return target


# ---------------------------------------------------------------------- the folder


def checkout(repo: Repo, branch: str, old: str | None, new: str, journal: JournalGetter, *,
             resuming: bool = False) -> list[str]:
    """Bring the folder and the branch from commit ``old`` to ``new``: each file that
    differs is written (atomically) or moved to the trash, but only if it still holds
    ``old``'s version.  A file changed meanwhile stops a fresh checkout before anything
    is written; when resuming, such a file is the user's newer word and is left as it is
    (the next commit takes it).  Returns the paths left so."""
    from netjournal.store.files import atomic_create, atomic_write, ensure_dir, move_to_trash

    rows = repo.changed_between(old, new)
    blobs = repo.git.blobs({oid for _, _, _, _, ob, nb in rows for oid in (ob, nb) if set(oid) != {"0"}})

    def content(oid: str) -> bytes | None:
        return None if set(oid) == {"0"} else blobs.get(oid)

    def on_disk(path: str) -> bytes | None:
        try:
            return (repo.root / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    left: list[str] = []
    with _write_lock(journal, bool(rows)):
        if not resuming:
            moved = [path for _, path, _, _, ob, nb in rows if on_disk(path) not in (content(ob), content(nb))]
            if moved:
                raise SyncError(f"{moved[0]} changed while syncing; nothing was lost and nothing was brought in: "
                                "sync again")
        repo.write_state(CHECKOUT, {"branch": branch, "from": old, "to": new})
        trash = repo.root / ".netjournal" / "trash"
        for _, path, _, new_mode, ob, nb in rows:
            now, before, after = on_disk(path), content(ob), content(nb)
            if now == after:
                continue
            if now != before:
                left.append(path)  # changed again since: the user's, kept
                continue
            target = repo.root / path
            if after is None:
                move_to_trash(repo.root, target, trash)  # gone on the other machine: to the trash here
            elif now is None:
                ensure_dir(target.parent)
                atomic_create(target, after, mode=0o700 if new_mode == "100755" else 0o600)
            else:
                atomic_write(target, after)
        current = repo.head()
        if current == old or current is None:
            args = ["update-ref", "-m", "netjournal sync", f"refs/heads/{branch}", new]
            if old is not None:
                args.append(old)
            repo.git.run(*args)
        if rows:
            paths = [path for _, path, *_ in rows]
            repo.git.with_paths("reset", "-q", new, paths=paths, check=False)
        repo.clear_state(CHECKOUT)
    return left


@contextlib.contextmanager
def _write_lock(journal: JournalGetter, needed: bool) -> Any:
    if not needed:
        yield
        return
    with journal().write_lock:
        yield


def resume_checkout(repo: Repo, branch: str, journal: JournalGetter) -> bool:
    """Finish the checkout a killed sync left under way (see ``checkout``); True when
    there was one."""
    record = repo.read_state(CHECKOUT)
    if record is None:
        return False
    old, new = record.get("from"), record.get("to")
    head = repo.head()
    if record.get("branch") != branch or not isinstance(new, str) or head not in (old, new) \
            or repo.rev(new) != new:
        repo.clear_state(CHECKOUT)  # the user moved on with git meanwhile: theirs to keep
        return False
    checkout(repo, branch, old if isinstance(old, str) else None, new, journal, resuming=True)
    return True


def has_markers(data: bytes) -> bool:
    """True when the text holds git's conflict markers (a line opening with seven < and one with seven >)."""
    import re

    return bool(re.search(rb"^<{7}(?: |$)", data, re.MULTILINE) and re.search(rb"^>{7}(?: |$)", data, re.MULTILINE))


def finish_merge(repo: Repo, status: Status, journal: JournalGetter, report: SyncReport) -> None:
    """A merge left half done in the repository (``MERGE_HEAD``: a ``git merge`` or
    ``git pull`` that stopped on conflicts): every file still unmerged is resolved as a
    sync would (a file the user already fixed by hand, without markers, is taken as it
    is), written without markers, and the merge committed."""
    from netjournal.store.files import atomic_create, atomic_write, ensure_dir, move_to_trash

    stages = unmerged_stages(repo)
    theirs = (repo.git_dir / "MERGE_HEAD").read_text().split()[0]
    fixed = [path for path in stages if (repo.root / path).is_file()
             and not has_markers((repo.root / path).read_bytes())]
    for path in fixed:  # resolved by hand already, not yet added: taken as it is
        del stages[path]
    if stages:
        taken = set(repo.git.run("ls-files", "-z").stdout.decode("utf-8", "surrogateescape").split("\0"))
        results, outcomes = resolve(repo, stages, taken, host_of(repo, theirs, "theirs"))
        blobs = repo.git.blobs({stage.oid for stage in results.values() if stage is not None})
        with journal().write_lock:
            repo.git.run("update-index", "--index-info", input=index_info(results))
            for path, stage in results.items():
                target = repo.root / path
                if stage is None:  # the resolution deleted it: the folder's copy to the trash
                    if target.exists():
                        move_to_trash(repo.root, target, repo.root / ".netjournal" / "trash")
                    continue
                data = blobs.get(stage.oid)
                assert data is not None
                if target.exists():
                    atomic_write(target, data)
                else:
                    ensure_dir(target.parent)
                    atomic_create(target, data)
        report.outcomes.extend(outcomes)
    repo.git.run("add", "-A")
    merge_msg = repo.git_dir / "MERGE_MSG"
    subject = merge_msg.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0].strip() \
        if merge_msg.exists() else ""
    text = message([], {}, "merge", subject=subject or "Merge (finished by netjournal sync)")
    try:
        repo.git.run("commit", "-q", "--no-edit", "-F", "-", input=text.encode("utf-8"))
    except GitError as exc:
        said = (exc.stderr + exc.stdout).lower()
        if "ident" in said or "tell me who you are" in said:
            raise SyncError(IDENTITY) from None
        raise SyncError(f"git could not finish the merge that was under way: {exc.line}") from None
    report.notes.append("finished a merge that was left half done")
