"""The command line of the method's daily habits: ``log`` (one-line capture),
``followups`` / ``followup done`` (follow-ups that end) and ``me`` (your card).

Registered by ``netjournal.cli``; like it, this module imports nothing heavy at
import time (the journal, YAML and TinyDB are imported when a command runs).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from netjournal.text import clean
from netjournal.vocab import KINDS

CAPTURE_HELP = (
    "one line: an optional date prefix (yesterday: / monday: / 2026-12-01:), a leading word for the "
    "kind (gave, thanked, asked, got, met, introduced ...), @mentions, #tags, a follow-up (+7d or "
    "follow-up 2026-12-20). Quote it: the shell reads # as a comment"
)


def add_parsers(command: Callable[[str, str], Any], date_type: Callable[[str], Any]) -> None:
    """Add this module's commands with ``cli.build_parser``'s ``command`` helper."""
    p = command("log", "write one line as a reflection: netjournal log \"gave @priya the article #course +7d\"")
    p.add_argument("line", nargs="+", metavar="LINE", help=CAPTURE_HELP)
    p.add_argument("--kind", choices=KINDS, help="the kind, whatever the first word says")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p.add_argument("--json", action="store_true")

    p = command("followups", "follow-ups: open ones (overdue first, oldest first), then done ones")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--open", action="store_true", help="only open ones")
    which.add_argument("--done", action="store_true", help="only done ones")
    p.add_argument("--json", action="store_true")

    p = command("followup", "mark a reflection's follow-up done, or open it again")
    p.add_argument("action", choices=("done", "undo"), help="done: mark it done; undo: open it again")
    p.add_argument("ref", metavar="PATH|ID", help="the reflection's path or id (file name without .md)")
    p.add_argument("--date", type=date_type, metavar="YYYY-MM-DD", help="the day it was done (default: today)")

    p = command("me", "your card: name, strengths, goals, what you offer, what you are looking for")
    p.add_argument("--json", action="store_true")


# ---------------------------------------------------------------------- log


def cmd_log(args: argparse.Namespace) -> int:
    from netjournal import cli
    from netjournal.capture import CaptureError

    journal = cli.open_journal(args)
    line = " ".join(args.line)
    try:
        captured = journal.parse_capture(line, kind=args.kind)
    except CaptureError as exc:
        print(f"netjournal: {clean(str(exc))}", file=sys.stderr)
        return cli.EXIT_USAGE if exc.usage else cli.EXIT_MISSING
    names = journal.contact_names()
    if args.dry_run:
        if args.json:
            cli.emit_json({
                "title": captured.title, "date": captured.day.isoformat(), "kind": captured.kind,
                "contacts": captured.contacts, "tags": captured.tags,
                "follow_up": captured.follow_up.isoformat() if captured.follow_up else None,
                "body": captured.body,
            })
        else:
            print(f"Would add: {captured.day.isoformat()}  {clean(captured.title)}")
            print("  " + _summary(captured.kind, [names.get(s, s) for s in captured.contacts], captured.tags,
                                  captured.follow_up.isoformat() if captured.follow_up else None))
        return cli.EXIT_OK
    reflection = journal.add_capture(captured)
    if args.json:
        cli.emit_json(cli.reflection_json(reflection))
    else:
        print(f"Added {reflection.path}")
        print("  " + _summary(reflection.kind, [names.get(s, s) for s in reflection.links], reflection.tags,
                              reflection.follow_up))
    cli.warn_about(journal, reflection)
    return cli.EXIT_OK


def _summary(kind: str, names: list[str], tags: list[str], follow_up: str | None) -> str:
    parts = [kind]
    if names:
        parts.append("with " + ", ".join(clean(n) for n in names))
    if tags:
        parts.append(" ".join(f"#{clean(t)}" for t in tags))
    if follow_up:
        parts.append(f"follow up {follow_up}")
    return " · ".join(parts)


# ---------------------------------------------------------------------- follow-ups


def follow_up_json(item: Any, today: Any) -> dict[str, Any]:
    """A follow-up: its reflection's JSON and ``due``, ``status`` (overdue, due,
    upcoming, done), ``days_overdue`` (negative: days to go), ``done`` (the day,
    or null), ``question`` (an intro's) and ``closed_by`` (the reflection that
    closed an intro)."""
    from netjournal import cli

    data = cli.reflection_json(item.reflection)
    data.update({
        "due": item.due, "status": item.status(today), "days_overdue": item.days_overdue(today),
        "done": item.done, "question": item.question, "closed_by": item.closed_by,
    })
    return data


def status_words(item: Any, today: Any) -> str:
    """"overdue 12d", "due today", "in 5d", "done 2026-11-20"."""
    status = item.status(today)
    if status == "done":
        return f"done {item.done}"
    days = item.days_overdue(today)
    if status == "overdue":
        return f"overdue {days}d"
    return "due today" if days == 0 else f"in {-days}d"


def cmd_followups(args: argparse.Namespace) -> int:
    from netjournal import cli

    journal = cli.open_journal(args)
    items = journal.follow_ups()
    if args.open:
        items = [f for f in items if f.is_open]
    elif args.done:
        items = [f for f in items if not f.is_open]
    today = journal.today
    if args.json:
        cli.emit_json([follow_up_json(f, today) for f in items])
        return cli.EXIT_OK
    if not items:
        print("No follow-ups." if not (args.open or args.done) else
              "No open follow-ups." if args.open else "No follow-ups done yet.")
        return cli.EXIT_OK
    names = journal.contact_names()
    rows = [[f.due, status_words(f, today), f.question or f.reflection.title,
             ", ".join(names.get(s, s) for s in f.reflection.links), f.reflection.id] for f in items]
    print(cli.table(rows, ["DUE", "STATUS", "TITLE", "WITH", "ID"]))
    return cli.EXIT_OK


def cmd_followup(args: argparse.Namespace) -> int:
    from netjournal import cli

    journal = cli.open_journal(args)
    before = journal.reflection(args.ref)
    if args.action == "undo":
        if not before.follow_up_done:
            print(f"{clean(before.title)}: its follow-up is not marked done")
            return cli.EXIT_OK
        reflection = journal.reopen_follow_up(args.ref)
        print(f"{clean(reflection.title)}: follow-up open again" +
              (f" (due {reflection.follow_up})" if reflection.follow_up else ""))
        return cli.EXIT_OK
    if before.follow_up_done and args.date is None:
        print(f"{clean(before.title)}: follow-up already done on {before.follow_up_done}")
        return cli.EXIT_OK
    reflection = journal.set_follow_up_done(args.ref, on=args.date)
    print(f"{clean(reflection.title)}: follow-up done on {reflection.follow_up_done}")
    return cli.EXIT_OK


# ---------------------------------------------------------------------- me


def card_lines(card: Any) -> list[str]:
    """The card as text lines (the CLI's ``me``; the review's "be known")."""
    from netjournal.me import FIELDS

    lines: list[str] = []
    for key, label in FIELDS:
        if key == "name":
            continue
        values = card.value(key)
        if values:
            lines.append(label)
            lines.extend(f"  - {clean(v)}" for v in values)
    return lines


def cmd_me(args: argparse.Namespace) -> int:
    from netjournal import cli
    from netjournal.me import QUESTION

    journal = cli.open_journal(args)
    card = journal.me_card()
    if args.json:
        cli.emit_json(card.to_json())
        return cli.EXIT_OK
    if card.empty:
        print("No card yet. Add 'me:' to netjournal.yaml with name, strengths, goals, offer and "
              "looking_for (or press m in the app): the ultimate goal is to be known.")
        return cli.EXIT_OK
    out = [clean(card.name)] if card.name else []
    if out:
        out.append("")
    out.extend(card_lines(card))
    out += ["", f"The ultimate goal is to be known. {QUESTION}"]
    print("\n".join(out))
    return cli.EXIT_OK


COMMANDS = {"log": cmd_log, "followups": cmd_followups, "followup": cmd_followup, "me": cmd_me}
