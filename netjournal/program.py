"""The ``netjournal`` program: its entry point, and the quick commands' check begun first.

A quick command (``search``, ``reflections``: ``netjournal.quick``) is mostly a stat of
every file -- the check that the listing still describes them -- and a little work on
the listing and the cache.  The check needs only the journal's folder, so when the
command line names it plainly (``--journal DIR`` once, or ``$NETJOURNAL_DIR``), the
check begins here, in a forked process when the journal is big
(``store/listing.py``, ``Check``), before the rest of netjournal is imported.  Then a
command line in the plain form is answered by ``netjournal.cli_quick`` (without
argparse, pathlib or ``netjournal.cli``: ~10 ms), which takes the check over.  Anything
else -- another command, ``--help``, a usage error, a listing found stale -- runs
``netjournal.cli`` as always, which takes the check over if it is of the same folder;
otherwise, or for any other outcome, the check is dropped.  Standard library only, and
little of it.
"""

from __future__ import annotations

import gc
import os
import sys

QUICK_COMMANDS = ("reflections", "search")

_collector_paused = False


def pause_collector() -> None:
    """Pause Python's cyclic garbage collector while the app starts (``run``, when
    the command line names no command).  Start-up makes a few hundred thousand
    objects -- the modules, the styles, the first screen -- that live as long as the
    app, and frees almost none: the collector went over them 175 times before the
    first screen was painted, one full pass of 15 ms, ~30 ms in all.  The app resumes
    it once the first screen is up and the journal's open is finished
    (``resume_collector``)."""
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector() -> None:
    """Resume the collector if ``pause_collector`` paused it, with what was made so far
    frozen (``gc.freeze``): later collections pass over it, so they stay short while
    keys arrive.  Anything of it freed later is freed by its reference count."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()


def command_named(argv: list[str]) -> str | None:
    """The command in ``argv`` (None before any ``-h``, ``--version`` or when absent)."""
    takes_value = {"--journal", "--theme"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg.startswith("--journal=") or arg.startswith("--theme=") or arg == "--demo":
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def journal_named(argv: list[str]) -> str | None:
    """The folder the command line names plainly: one ``--journal DIR`` (or
    ``--journal=DIR``), else ``$NETJOURNAL_DIR``; None when it is not plain (given
    twice, after ``--``, abbreviated: argparse decides, and no check begins early)."""
    if "--" in argv:
        return None
    named = [argv[at + 1] for at, arg in enumerate(argv[:-1]) if arg == "--journal"]
    named += [arg.partition("=")[2] for arg in argv if arg.startswith("--journal=")]
    if len(named) > 1 or any(arg.startswith("--jo") and arg != "--journal" and not arg.startswith("--journal=")
                             for arg in argv):
        return None
    folder = named[0] if named else os.environ.get("NETJOURNAL_DIR")
    return os.path.expanduser(folder) if folder else None


def _standard_streams() -> None:
    """Standard descriptors the caller closed (``netjournal search x >&-``) opened on
    the null device, before anything else is opened.  Python leaves ``sys.stdout``
    None then: a ``.write`` or ``.flush`` of it was a traceback; and the first file
    netjournal opened (the listing, the index) took descriptor 1 -- the stdout of
    every program it starts (git)."""
    for fd, name, flags in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY), (2, "stderr", os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, flags)  # the lowest free one: the lower ones are open
            if opened != fd:
                os.close(opened)
                continue
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))


def run() -> None:
    """``netjournal``: the command line (``netjournal.cli``), its quick commands'
    check begun first."""
    _standard_streams()
    argv = sys.argv[1:]
    command = command_named(argv)
    if command is None:  # the app (or --help, --version: a pause that ends with the process)
        pause_collector()
    quick = command in QUICK_COMMANDS
    early = quick and journal_named(argv)
    if early:
        from netjournal.store import listing

        listing.begin_early(early)
    try:
        if quick:
            from netjournal.cli_quick import answer

            answer(argv)  # when it answers from the listing, the process ends there
        from netjournal.cli import run as command_line

        command_line()
    finally:
        if early:
            listing.drop_early()  # not taken over (another folder, a usage error): waited for
