"""The command line's sync commands: ``git init``, ``sync``, ``history``,
``restore-version``, ``undo`` (registered in ``netjournal.cli``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from netjournal.sync import SyncError
from netjournal.text import clean

EXIT_OK = 0


def _root(args: argparse.Namespace) -> Path:
    from netjournal.cli import journal_root

    return journal_root(args).expanduser().resolve()


def _journal_getter(args: argparse.Namespace) -> Callable[[], Any]:
    """The journal, opened the first time it is needed (a sync with nothing coming in
    never opens it)."""
    from netjournal.cli import open_journal

    opened: list[Any] = []

    def get() -> Any:
        if not opened:
            opened.append(open_journal(args))
        return opened[0]

    return get


def _emit(args: argparse.Namespace, value: Any) -> bool:
    if getattr(args, "json", False):
        from netjournal.cli import emit_json

        emit_json(value)
        return True
    return False


LISTED = 8  # changes listed one by one in sync's text output; the rest are counted


def _changes(title: str, changes: list[Any], more: dict[str, int]) -> list[str]:
    from netjournal.sync.describe import count_kinds, count_words

    total = len(changes) + sum(more.values())
    if not total:
        return []
    lines = [f"{title} ({total}):"]
    lines.extend(f"  {clean(str(c))}" for c in changes[:LISTED])
    rest = count_kinds(c.path for c in changes[LISTED:])
    for kind, n in more.items():
        rest[kind] = rest.get(kind, 0) + n
    if rest:
        lines.append(f"  and {count_words(rest)}")
    return lines


def sync_lines(report: Any) -> list[str]:
    """What a sync did, in lines (also the app's notice, shortened)."""
    lines = [f"Recovered: {clean(note)}" for note in report.notes]
    if report.committed is not None:
        lines.append(f"Committed here: {clean(report.committed.subject)}")
    lines += _changes("Came in", report.incoming, report.incoming_more)
    lines += _changes("Went out", report.outgoing, report.outgoing_more)
    for outcome in report.outcomes:
        if outcome.how == "conflict":
            lines.append(f"Conflict: {clean(outcome.path)} changed on both machines; yours stays, theirs is "
                         f"{clean(outcome.copy)} (compare the two, keep what you want, delete the copy)")
        else:
            lines.append(f"Merged {clean(outcome.path)}: {clean(outcome.detail)}")
    if report.remote is None:
        lines.append("No remote: committed only. To sync with another machine: netjournal git init --remote URL")
    elif not (report.committed or report.came_in or report.went_out or report.outcomes):
        lines.append(f"Up to date with {clean(report.remote)}.")
    else:
        lines.append(f"Synced with {clean(report.remote)} ({clean(report.url)}).")
    return lines


def cmd_sync(args: argparse.Namespace) -> int:
    from netjournal.sync.engine import sync

    report = sync(_root(args), journal=_journal_getter(args))
    if not _emit(args, report.to_json()):
        print("\n".join(sync_lines(report)))
    return EXIT_OK


def cmd_git(args: argparse.Namespace) -> int:
    from netjournal.journal import Journal, NotAJournal, is_journal
    from netjournal.sync.init import clone, init

    root = _root(args)
    if is_journal(root):
        report = init(root, args.remote, journal=_journal_getter(args))
    elif args.remote and (not root.exists() or (root.is_dir() and not any(root.iterdir()))):
        report = clone(root, args.remote, make_journal=lambda where: Journal.init(where).close(),
                       journal=_journal_getter(args))
    else:
        raise NotAJournal(f"{root} is not a netjournal journal; create one (netjournal init {root}), or, to get "
                          f"the journal another machine syncs, give an empty folder: netjournal git init "
                          f"--remote URL --journal NEW_FOLDER")
    if _emit(args, report.to_json()):
        return EXIT_OK
    lines: list[str] = []
    if report.cloned:
        lines.append(f"Cloned {clean(report.url)} into {clean(report.root)}"
                     + (": it was empty, so this journal starts it." if report.new_journal else "."))
    elif report.created:
        lines.append(f"Made {clean(report.root)} a git repository.")
    else:
        lines.append(f"{clean(report.root)} is already a git repository: netjournal uses it.")
    if report.ignore_written:
        lines.append(".netjournal/ (the caches) is in .gitignore: it is never committed or synced.")
    if report.untracked_state:
        lines.append(".netjournal/ had been committed; it is no longer tracked (the files stay).")
    if report.committed is not None:
        lines.append(f"Committed: {clean(report.committed.subject)}")
    if report.remote and not report.cloned:
        lines.append(f"Remote: {report.remote} = {clean(report.url)}")
    if report.synced is not None:
        lines += sync_lines(report.synced)
    lines.append("Next: netjournal sync on each machine (set git: {autocommit: true} in netjournal.yaml "
                 "to commit every change as it is made).")
    print("\n".join(lines))
    return EXIT_OK


def _repo(args: argparse.Namespace) -> Any:
    from netjournal.sync.repo import Repo

    return Repo.open(_root(args))


def cmd_history(args: argparse.Namespace) -> int:
    from netjournal.cli import table
    from netjournal.sync.history import entry_path, find_version, version_bytes, versions

    repo = _repo(args)
    path = entry_path(repo, args.entry)
    known = versions(repo, path)
    if not known:
        raise SyncError(f"{path} has no committed versions yet (netjournal sync commits it)")
    if args.show:
        version = find_version(repo, path, args.show, known)
        data = version_bytes(repo, version)
        text = data.decode("utf-8", "replace")
        if not _emit(args, {**version.to_json(), "text": text}):
            print(clean(text, oneline=False), end="" if text.endswith("\n") else "\n")
        return EXIT_OK
    if _emit(args, [v.to_json() for v in known]):
        return EXIT_OK
    rows = [[str(v.number), v.when, v.what, v.short, v.author + (f" ({v.step} on {v.host})" if v.step and v.host
                                                                  else f" ({v.step})" if v.step else "")]
            for v in known]
    print(f"{clean(path)}: {len(known)} version{'s' if len(known) != 1 else ''}, newest first")
    print(table(rows, ["#", "DATE", "WHAT CHANGED", "COMMIT", "BY"]))
    print(f"Show one: netjournal history {clean(args.entry)} --show N · bring it back: "
          f"netjournal restore-version {clean(args.entry)} N")
    return EXIT_OK


def _plain_journal(args: argparse.Namespace) -> Any:
    """The journal without autocommit: these commands commit what they write themselves."""
    from netjournal.journal import Journal

    return Journal.open(_root(args), write_behind=True)


def cmd_restore_version(args: argparse.Namespace) -> int:
    from netjournal.sync.history import entry_path, find_version, restore_version

    repo = _repo(args)
    path = entry_path(repo, args.entry)
    version = find_version(repo, path, args.rev)
    journal = _plain_journal(args)
    try:
        committed = restore_version(repo, journal, path, version)
    finally:
        journal.close()
    if not _emit(args, {"path": path, "restored": version.to_json(),
                        "commit": committed.sha if committed else None}):
        which = f"version {version.number}, " if version.number else ""
        done = f"Restored {clean(path)} as of {version.when} ({which}{version.short})"
        print(done + (f"; committed: {clean(committed.subject)}" if committed else "; it was already so"))
    return EXIT_OK


def cmd_undo(args: argparse.Namespace) -> int:
    from netjournal.sync.history import undo

    repo = _repo(args)
    journal = _plain_journal(args)
    try:
        result = undo(repo, journal)
    finally:
        journal.close()
    if not _emit(args, result.to_json()):
        print(f"Undid '{clean(result.subject)}' ({result.target[:8]}): {clean(', '.join(result.paths))}")
        print("Undo again to go one change further back; netjournal history shows every version.")
    return EXIT_OK


def add_parsers(command: Callable[[str, str], Any], common: argparse.ArgumentParser) -> None:
    """The commands' arguments; ``command(name, help)`` makes a subparser in cli.py
    (``common``: the options every command takes)."""
    p = command("git", "make the journal a git repository (sync, history, undo)")
    sub = p.add_subparsers(dest="git_command", metavar="ACTION", required=True)
    i = sub.add_parser("init", parents=[common], help="make, adopt or clone the journal's repository",
                       description="make the journal a git repository (or adopt the one it is), with .netjournal/ "
                                   "ignored and a first commit; --remote adds origin and syncs; with no journal "
                                   "yet, --remote clones it")
    i.add_argument("--remote", metavar="URL", help="the repository to sync with (a path, ssh or https URL)")
    i.add_argument("--json", action="store_true")

    p = command("sync", "commit what changed, fetch, merge, push (only commit with no remote)")
    p.add_argument("--json", action="store_true")

    p = command("history", "the versions of one contact or reflection; --show N prints one")
    p.add_argument("entry", metavar="SLUG|PATH", help="a contact's slug, a reflection's id, or a path")
    p.add_argument("--show", metavar="REV", help="print that version (a number from the list, or a commit)")
    p.add_argument("--json", action="store_true")

    p = command("restore-version", "bring a version of an entry back, as a new change")
    p.add_argument("entry", metavar="SLUG|PATH")
    p.add_argument("rev", metavar="REV", help="a number from 'netjournal history', or a commit")
    p.add_argument("--json", action="store_true")

    p = command("undo", "take back the last change netjournal committed (as a new commit)")
    p.add_argument("--json", action="store_true")


COMMANDS = {"git": cmd_git, "sync": cmd_sync, "history": cmd_history, "restore-version": cmd_restore_version,
            "undo": cmd_undo}
