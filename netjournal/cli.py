"""``netjournal``: the TUI by default, subcommands for scripting.

Exit codes: 0 success, 1 something asked for is missing (or ``check`` found
problems), 2 a usage error.  User errors are one line on stderr, never a traceback.
This module must not import Textual except on the TUI path (it costs ~0.3 s), nor,
at import time, YAML, TinyDB or the model: ``reflections`` and ``search`` are often
answered by ``netjournal.quick`` without them (see its docstring).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from netjournal import __version__, cli_method
from netjournal.cli_quick import date_value, emit_json, leave, reflection_json, show_hits, show_reflections, table
from netjournal.config import resolve_journal
from netjournal.program import QUICK_COMMANDS, command_named
from netjournal.text import clean
from netjournal.vocab import KINDS, STEP_KEYS

if TYPE_CHECKING:
    import datetime as _dt


EXIT_OK, EXIT_MISSING, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, sized to the terminal without importing ``shutil``
    (argparse makes a formatter for every argument it is given, and ``shutil`` with
    its archive modules costs a quick command ~3 ms)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """As ``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits 2, and takes a value
    that starts with ``-`` after an option that needs one (``--org ---``, ``--tag -x``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        return super().parse_known_args(self._dash_values(list(sys.argv[1:] if args is None else args)), namespace)

    def _dash_values(self, args: list[str]) -> list[str]:
        """``--org ---`` as ``--org=---``: argparse reads any word that starts with ``-``
        as an option, so it refused the value.  Only after an option of this parser that
        takes one value, and only when the word is not one of its options (nor ``--``,
        which ends them): ``--org --role x`` still says that --org has no value."""
        out: list[str] = []
        at = 0
        while at < len(args):
            arg = args[at]
            at += 1
            if arg == "--":
                return out + [arg] + args[at:]
            action = self._option_string_actions.get(arg)
            if (action is not None and action.nargs is None and arg.startswith("--") and at < len(args)
                    and args[at].startswith("-") and args[at] != "--" and not self._is_option(args[at])):
                out.append(f"{arg}={args[at]}")
                at += 1
            else:
                out.append(arg)
        return out

    def _is_option(self, word: str) -> bool:
        """Whether argparse would read ``word`` as one of this parser's options (whole,
        with ``=value``, abbreviated, or a short one with its value joined)."""
        head = word.split("=", 1)[0]
        options = self._option_string_actions
        if head in options or word[:2] in options:
            return True
        return head.startswith("--") and len(head) > 2 and any(o.startswith(head) for o in options)

    def error(self, message: str) -> None:  # type: ignore[override]
        missing = re.match(r"argument (--[\w-]+)(?:/[\w-]+)?: expected one argument$", message)
        if missing:
            message += f" (a value that starts with '-' is written {missing[1]}=VALUE)"
        raise UsageError(f"{self.prog}: {message} (see: {self.prog} --help)")


def _date(text: str) -> _dt.date:
    day = date_value(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)")
    return day


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of days")
    return value


class _Left:
    """Stands in for the parser of a command left out of ``build_parser(only=...)``."""

    def add_argument(self, *_: Any, **__: Any) -> None:
        pass

    def add_subparsers(self, *_: Any, **__: Any) -> "_Left":
        return self

    def add_parser(self, *_: Any, **__: Any) -> "_Left":
        return self

    def add_mutually_exclusive_group(self, *_: Any, **__: Any) -> "_Left":
        return self


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; ``only``: with just that command (a quick command's
    parse, which need not build the other twelve: ~4 ms)."""
    common = _Parser(add_help=False)
    common.add_argument("--journal", metavar="DIR", default=argparse.SUPPRESS,
                        help="the journal folder (else $NETJOURNAL_DIR, the config's journal:, the user data folder)")
    parser = _Parser(prog="netjournal", parents=[common],
                     description="A terminal journal for reciprocal networking. Without a command, opens the full-screen app.")
    parser.add_argument("--version", action="version", version=f"netjournal {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the app on a fresh temporary copy of the sample journal")
    parser.add_argument("--theme", metavar="NAME", help="the app's theme (remembered)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str) -> Any:
        if only is not None and name != only:
            return _Left()
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = command("init", "create a new journal")
    p.add_argument("dir", nargs="?", metavar="DIR", help="where (default: the resolved journal folder)")
    p.add_argument("--sample", action="store_true", help="start from a copy of the sample journal")
    p.add_argument("--name", help="the journal's name")

    p = command("add", "add a contact or a reflection")
    add = p.add_subparsers(dest="what", metavar="WHAT", parser_class=_Parser, required=True)
    c = add.add_parser("contact", parents=[common], help="add a contact")
    c.add_argument("name")
    c.add_argument("--org", default="")
    c.add_argument("--role", default="")
    c.add_argument("--email", default="")
    c.add_argument("--why", default="", help="why you want this relationship")
    c.add_argument("--offer", default="", help="what you can give them")
    c.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    c.add_argument("--cadence", type=_positive, metavar="DAYS", help="days between touches")
    c.add_argument("--json", action="store_true")
    r = add.add_parser("reflection", parents=[common], help="add a reflection")
    r.add_argument("title")
    r.add_argument("--contact", action="append", default=[], metavar="SLUG", help="a linked contact (repeatable)")
    r.add_argument("--kind", choices=KINDS, default="note")
    r.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="default: today")
    r.add_argument("--follow-up", type=_date, metavar="DATE")
    r.add_argument("--tag", action="append", default=[])
    r.add_argument("--body", metavar="TEXT", help="the body; '-' reads it from standard input")
    r.add_argument("--json", action="store_true")

    p = command("contacts", "list contacts")
    p.add_argument("--tag")
    p.add_argument("--due", action="store_true", help="only those due or overdue")
    p.add_argument("--archived", action="store_true", help="include archived contacts")
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument("--pool", action="store_true",
                        help="only the pool: imported, not yet chosen (no why, no step, no touch)")
    chosen.add_argument("--chosen", action="store_true", help="only contacts you chose (not the pool)")
    p.add_argument("--json", action="store_true")

    p = command("show", "show one contact: steps, ledger, timeline, notes")
    p.add_argument("slug")
    p.add_argument("--json", action="store_true")

    p = command("step", "mark a networking step done (or undo it)")
    p.add_argument("slug")
    p.add_argument("step", choices=STEP_KEYS)
    p.add_argument("--note", help="a note on the step")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--undo", action="store_true", help="mark the step not done")

    p = command("reflections", "list reflections, newest first")
    p.add_argument("--contact", metavar="SLUG")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--since", type=_date, metavar="DATE")
    p.add_argument("--until", type=_date, metavar="DATE")
    p.add_argument("--limit", type=int, default=0, help="at most N (default: all)")
    p.add_argument("--json", action="store_true")

    p = command("search", "full-text search over titles, names and bodies")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")

    p = command("due", "who is due a touch (dig your well before you are thirsty)")
    p.add_argument("--json", action="store_true")

    p = command("review", "the weekly review: gives, asks, reflections, who became due")
    p.add_argument("--week", type=_date, metavar="DATE", help="any day of the week (default: this week)")
    p.add_argument("--json", action="store_true")

    p = command("check", "list files that cannot be read, as path:line: reason")
    p.add_argument("--json", action="store_true")

    p = command("reindex", "bring the index in step with the files")
    p.add_argument("--full", action="store_true", help="rebuild it from scratch")

    p = command("import", "import contacts (vcard, linkedin, google, csv) or a jrnl journal")
    from netjournal.interop import add_arguments  # the standard library only

    add_arguments(p)

    p = command("export", "export contacts (vcard, csv, json), a calendar (ics) or a digest (markdown)")
    from netjournal.interop import add_export_arguments

    add_export_arguments(p, _date)

    p = command("trash", "list deleted files (they are kept in .netjournal/trash/)")
    p.add_argument("--json", action="store_true")
    p = command("restore", "put a deleted file back")
    p.add_argument("path", help="a path printed by 'netjournal trash'")

    cli_method.add_parsers(command, _date)  # log, followups, followup, me
    from netjournal.sync.commands import add_parsers  # git init, sync, history, restore-version, undo

    add_parsers(command, common)
    return parser


# ---------------------------------------------------------------------- output


# ``emit_json``, ``table`` and ``reflection_json`` are ``netjournal.cli_quick``'s (the quick
# commands print without importing this module), imported above for every command.


def marks(steps: dict[str, str | None]) -> str:
    return "".join("●" if steps[k] else "○" for k in STEP_KEYS)


def contact_json(journal: Any, slug: str) -> dict[str, Any]:
    """The stable JSON shape of a contact (documented in the README)."""
    fact = journal.facts()[slug]
    c = fact.contact
    return {
        "slug": c.slug, "name": c.name, "org": c.org, "role": c.role, "email": c.email,
        "tags": c.tags, "why": c.why, "offer": c.offer, "cadence": fact.cadence,
        "steps": c.step_dates(), "step_notes": {k: c.steps[k].note for k in STEP_KEYS},
        "progress": c.progress, "next_step": c.next_step.key if c.next_step else None,
        "last_touch": fact.last_touch, "due": fact.due, "status": fact.status,
        "days_overdue": fact.days_overdue, "gave": fact.gave, "asked": fact.asked,
        "received": fact.received, "ask_ready": fact.ask_ready, "early_asks": fact.early_asks,
        "archived": c.archived, "path": c.path,
        "phone": c.phone, "birthday": c.birthday, "links": c.links, "uid": c.uid,
        "source": c.source, "connected": c.connected, "pool": fact.pool,
        "intros": fact.intros, "health": fact.health, "health_reasons": fact.health_reasons,
        "dates": [{"label": label, "date": day} for label, day in c.dates],
        "coming_up": [upcoming_json(u) for u in journal.upcoming_dates(slug)],
    }


def upcoming_json(item: Any) -> dict[str, Any]:
    """A birthday or date to remember that is coming up (the README's JSON keys)."""
    return {
        "contact": item.contact.slug, "name": item.contact.name, "label": item.label,
        "birthday": item.is_birthday, "date": item.written, "on": item.on.isoformat(),
        "in_days": item.in_days, "years": item.years,
    }


def upcoming_line(item: Any) -> str:
    """``2026-12-01  Priya Raman: birthday, turns 36 (in 6 days)``."""
    words = item.words()
    return f"{item.on.isoformat()}  {item.contact.name}: {item.label}" + (f", {words}" if words else "") \
        + f" ({item.when()})"


# ---------------------------------------------------------------------- commands


_OPENED: list[Any] = []


def journal_root(args: argparse.Namespace) -> Path:
    return resolve_journal(getattr(args, "journal", None))[0]


def open_journal(args: argparse.Namespace) -> Any:
    """The journal a command works on. A save writes its file at once and the index
    once, when the command ends (``close_journals``): one whole-file index write per
    command, however many changes it makes."""
    from netjournal.journal import Journal
    from netjournal.sync.autocommit import AutoCommit

    journal = Journal.open(journal_root(args), write_behind=True)
    _OPENED.append(journal)
    _AUTOCOMMITS.append(AutoCommit(journal))  # git: {autocommit: true}: one commit of what the command wrote
    return journal


_AUTOCOMMITS: list[Any] = []


def close_journals() -> None:
    if not _OPENED:
        return
    from netjournal.journal import JournalError

    while _OPENED:
        journal = _OPENED.pop()
        try:
            journal.close()
        except OSError as exc:
            _OPENED.clear()
            _autocommit()
            raise JournalError(
                f"the change is saved, but the index could not be written ({exc.strerror or exc}); "
                "it catches up from the files next time"
            ) from None
    _autocommit()


def _autocommit() -> None:
    """Commit what the command wrote (autocommit on); a commit that cannot be made is a
    warning: the files are saved, and the next sync commits them."""
    from netjournal.sync import SyncError

    while _AUTOCOMMITS:
        try:
            _AUTOCOMMITS.pop().commit()
        except SyncError as exc:
            print(f"netjournal: warning: saved, but not committed: {clean(str(exc))}", file=sys.stderr)


def cmd_init(args: argparse.Namespace) -> int:
    from netjournal.journal import Journal

    root = Path(args.dir).expanduser() if args.dir else resolve_journal(getattr(args, "journal", None))[0]
    journal = Journal.init(root, sample=args.sample, name=args.name)
    print(f"Created a journal at {clean(journal.root)}"
          + (" from the sample journal" if args.sample else ""))
    print("Next: netjournal add contact \"Name\" --why \"...\" --offer \"...\"   (or just: netjournal)")
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    if args.what == "contact":
        contact = journal.add_contact(args.name, org=args.org, role=args.role, email=args.email,
                                      why=args.why, offer=args.offer, tags=args.tag, cadence=args.cadence)
        if args.json:
            emit_json(contact_json(journal, contact.slug))
        else:
            print(f"Added {clean(contact.name)} as {contact.slug} ({contact.path})")
            if not contact.why:
                print("Tip: say why you want this relationship: the article's first step is to be selective.")
        return EXIT_OK
    body = args.body or ""
    if args.body == "-":
        body = sys.stdin.read()
    reflection = journal.add_reflection(args.title, day=args.date, kind=args.kind, contacts=args.contact,
                                        follow_up=args.follow_up, tags=args.tag, body=body)
    if args.json:
        emit_json(reflection_json(reflection))
    else:
        print(f"Added {reflection.path}")
    warn_about(journal, reflection)
    return EXIT_OK


def warn_about(journal: Any, reflection: Reflection) -> None:
    """Warnings on stderr for a reflection just written (it is saved either way): an
    ask to someone not ask-ready, an intro that does not link two people."""
    if reflection.kind == "ask":
        for slug in reflection.links:
            if journal.has_contact(slug) and not journal.facts()[slug].ask_ready:
                name = journal.facts()[slug].contact.name
                print(f"Warning: {clean(name)} may not be ready to be asked: "
                      f"{journal.facts()[slug].ask_readiness}", file=sys.stderr)
    if reflection.kind == "intro" and len(reflection.links) < 2:
        print(f"Warning: an intro links two or more contacts (the people you introduced); "
              f"this one links {len(reflection.links)}", file=sys.stderr)


def cmd_contacts(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    pool = True if args.pool else False if args.chosen else None
    contacts = journal.contacts(tag=args.tag, due=args.due, include_archived=args.archived, pool=pool)
    if args.json:
        emit_json([contact_json(journal, c.slug) for c in contacts])
        return EXIT_OK
    if not contacts:
        filtered = args.tag or args.due or args.pool or args.chosen
        print("No contacts." + ("" if filtered else ' Add one: netjournal add contact "Name" --why "..."'))
        return EXIT_OK
    facts = journal.facts()
    rows = []
    for c in contacts:
        f = facts[c.slug]
        due = "in the pool" if f.pool else f.due or "not yet connected"
        if f.days_overdue:
            due += f" ({f.days_overdue}d overdue)"
        rows.append([c.slug, c.name, c.org, marks(c.step_dates()),
                     str(f.health) if f.last_touch else "–", f.last_touch or "–", due])
    # the slug is what other commands take, so it is never cut; names and orgs are capped
    print(table(rows, ["SLUG", "NAME", "ORG", "STEPS", "HEALTH", "LAST TOUCH", "DUE"],
                [None, 32, 32, None, None, None, None]))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from netjournal.insights import missing_answer

    journal = open_journal(args)
    entry = journal.load_contact(args.slug)
    contact = entry.contact
    fact = journal.facts()[args.slug]
    timeline = journal.timeline(args.slug)
    if args.json:
        data = contact_json(journal, args.slug)
        data["body"] = contact.body
        data["ask_readiness"] = fact.ask_readiness
        data["reflections"] = [reflection_json(r) for r in timeline]
        emit_json(data)
        return EXIT_OK
    out = [clean(contact.name)]
    sub = " · ".join(clean(x) for x in (contact.role, contact.org, contact.email, contact.phone) if x)
    if sub:
        out.append(sub)
    if contact.birthday:
        out.append(f"birthday: {clean(contact.birthday)}")
    for label, day in contact.dates:
        out.append(f"{clean(label or 'date')}: {clean(day)}")
    for item in journal.upcoming_dates(args.slug):
        out.append(f"Coming up: {clean(upcoming_line(item))}")
    for link in contact.links:
        out.append(f"link: {clean(link)}")
    if contact.tags:
        out.append("tags: " + ", ".join(clean(t) for t in contact.tags))
    if fact.pool:
        out.append(f"In the pool (from {clean(contact.source)}): write why you want this relationship "
                   "to choose them.")
    out.append("")
    for label, key, words in (("Why:  ", "why", contact.why), ("Offer:", "offer", contact.offer)):
        out.append(f"{label} {clean(words) or '(' + (missing_answer(contact, key) or '') + ')'}")
    out.append("")
    out.append(f"Steps ({contact.progress}/6):")
    nxt = contact.next_step
    from netjournal.model import STEPS

    for step in STEPS:
        state = contact.steps[step.key]
        mark = "●" if state.done else ("▸" if nxt and nxt.key == step.key else "○")
        line = f"  {mark} {step.label:<26} {state.date or '':<10}"
        if state.note:
            line += f"  {clean(state.note)}"
        out.append(line.rstrip())
    if nxt:
        out.append(f"  Next: {nxt.question} {nxt.suggestion}")
    out.append("")
    intros = f" ({fact.intros} intro{'' if fact.intros == 1 else 's'})" if fact.intros else ""
    out.append(f"Ledger: gave {fact.gave}{intros} · asked {fact.asked} · received {fact.received}")
    out.append(f"Health: {fact.health}/100" + (": " + "; ".join(fact.health_reasons) if fact.health_reasons else ""))
    out.append(fact.ask_readiness)
    if fact.early_asks:
        out.append(f"Early asks: {len(fact.early_asks)} made before trust and deepen were done")
    touch = f"Last touch: {fact.last_touch or 'never'} · cadence {fact.cadence} days · "
    touch += f"due {fact.due}" if fact.due else "not yet connected"
    if fact.days_overdue:
        touch += f" ({fact.days_overdue} days overdue)"
    out.append(touch)
    if timeline:
        out.append("")
        out.append("Timeline:")
        for r in timeline:
            out.append(f"  {r.date}  {r.kind:<8} {clean(r.title)}")
    if contact.body and contact.body.strip():
        out.append("")
        out.append(clean(contact.body.strip("\n"), oneline=False))
    print("\n".join(out))
    return EXIT_OK


def cmd_step(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    from netjournal.model import STEP_BY_KEY

    step = STEP_BY_KEY[args.step]
    if args.undo:
        contact = journal.unset_step(args.slug, args.step)
        print(f"{clean(contact.name)}: '{step.label}' is no longer marked done")
        return EXIT_OK
    contact = journal.set_step(args.slug, args.step, on=args.date, note=args.note)
    print(f"{clean(contact.name)}: '{step.label}' done on {contact.steps[args.step].date} "
          f"({contact.progress}/6)")
    return EXIT_OK


_QUICKLY: list[bool] = []  # a quick command answered from the listing: nothing opened, nothing to close


def _answered(quickly: bool) -> None:
    _QUICKLY[:] = [quickly]


def cmd_reflections(args: argparse.Namespace) -> int:
    from netjournal import quick

    filters = {"contact": args.contact, "kind": args.kind,
               "since": args.since.isoformat() if args.since else None,
               "until": args.until.isoformat() if args.until else None}
    rows: list[Any] | None = quick.reflections(journal_root(args), **filters, limit=max(args.limit, 0))
    _answered(rows is not None)
    if rows is None:
        journal = open_journal(args)
        if args.contact and not journal.has_contact(args.contact):
            from netjournal.journal import NotFound

            raise NotFound(f"no contact '{args.contact}'")
        rows = journal.reflections(**filters)
        if args.limit > 0:
            rows = rows[: args.limit]
    show_reflections(rows, args.json)
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from netjournal import quick

    hits = quick.search(journal_root(args), args.query, limit=args.limit)
    _answered(hits is not None)
    if hits is None:
        hits = open_journal(args).search(args.query, limit=args.limit)
    show_hits(hits, args.query, args.json)
    return EXIT_OK


def cmd_due(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    due = journal.due()
    if args.json:
        emit_json([contact_json(journal, f.contact.slug) for f in due])
        return EXIT_OK
    if due:
        print("Due to touch (dig your well before you are thirsty):")
        rows = []
        for f in due:
            when = f"{f.days_overdue}d overdue" if f.days_overdue else "due today"
            rows.append([f.contact.name, when, f.last_touch or "", f.contact.offer or "(what could you give them?)"])
        print(table(rows, ["NAME", "DUE", "LAST TOUCH", "YOU COULD GIVE"]))
    else:
        print("Nobody is due. Your well is dug.")
    waiting = journal.not_connected()
    if waiting:
        print()
        print("Not yet connected: " + ", ".join(clean(f.contact.name) for f in waiting))
    coming = journal.coming_up()
    if coming:
        print()
        print("Coming up:")
        for item in coming:
            print(f"  {clean(upcoming_line(item))}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    review = journal.review(args.week)
    if args.json:
        emit_json({
            "start": review.start, "end": review.end,
            "gives": [reflection_json(r) for r in review.gives],
            "asks": [reflection_json(r) for r in review.asks],
            "early_asks": [{"reflection": e.reflection.path, "contact": e.contact.slug} for e in review.early],
            "reflections": [reflection_json(r) for r in review.reflections],
            "touched": [c.slug for c in review.touched],
            "became_due": [contact_json(journal, f.contact.slug) for f in review.became_due],
            "follow_ups": [reflection_json(r) for r in review.follow_ups],
            "coming_up": [upcoming_json(u) for u in review.coming_up],
        })
        return EXIT_OK
    out = [f"Week of {review.start} to {review.end}", ""]

    def section(title: str, items: list[str], empty: str) -> None:
        out.append(f"{title} ({len(items)})")
        out.extend(f"  {clean(i)}" for i in items) if items else out.append(f"  {empty}")
        out.append("")

    section("Gave", [f"{r.date}  {r.title}" for r in review.gives], "nothing yet: what could you give this week?")
    early = {e.reflection.path for e in review.early}
    section("Asked", [f"{r.date}  {r.title}" + ("  (before trust: too early?)" if r.path in early else "")
                      for r in review.asks], "no asks")
    section("Reflections", [f"{r.date}  {r.kind:<8} {r.title}" for r in review.reflections], "none")
    section("Became due", [f"{f.due}  {f.contact.name}" for f in review.became_due], "nobody")
    section("Follow-ups", [f"{r.follow_up}  {r.title}" for r in review.follow_ups], "none")
    section("Coming up", [upcoming_line(u) for u in review.coming_up], "no birthdays or dates in the next two weeks")
    card = journal.me_card()
    if not card.empty:
        from netjournal.me import QUESTION

        touched = ", ".join(clean(c.name) for c in review.touched)
        out.append(f"Be known: {QUESTION}" + (f" (touched this week: {touched})" if touched else ""))
        out.extend(f"  {line}" for line in cli_method.card_lines(card))
    print("\n".join(out).rstrip())
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    problems = journal.problems()
    if args.json:
        emit_json([p.to_record() for p in problems])
    elif problems:
        for p in problems:
            print(clean(str(p)) + ("" if p.severity == "error" else " (warning)"))
    else:
        print("No problems: every file reads cleanly.")
    return EXIT_MISSING if problems else EXIT_OK


def cmd_reindex(args: argparse.Namespace) -> int:
    from netjournal.journal import Journal

    root, _ = resolve_journal(getattr(args, "journal", None))
    journal = Journal.open(root, full=args.full)
    report = journal.last_sync
    if report.rebuilt:
        print(f"Rebuilt the index from {report.added} files in {report.seconds:.2f} s.")
    else:
        print(f"Index in step: {report.added} added, {report.changed} changed, {report.removed} removed "
              f"({report.seconds:.2f} s).")
    problems = [p for p in journal.problems() if p.severity == "error"]
    if problems:
        print(f"{len(problems)} file(s) could not be read: see netjournal check", file=sys.stderr)
    return EXIT_OK


def cmd_trash(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    items = [p.relative_to(journal.root).as_posix() for p in journal.trash()]
    if args.json:
        emit_json(items)
    elif items:
        print("\n".join(clean(i) for i in items))
    else:
        print("The trash is empty.")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from netjournal.interop.commands import run

    return run(args, open_journal, emit_json)


def cmd_export(args: argparse.Namespace) -> int:
    from netjournal.interop.commands import run_export

    return run_export(args, open_journal)


def cmd_restore(args: argparse.Namespace) -> int:
    journal = open_journal(args)
    path = Path(args.path)
    if not path.is_absolute():
        path = journal.root / path
    rel = journal.restore(path)
    print(f"Restored {clean(rel)}")
    return EXIT_OK


COMMANDS = {
    "init": cmd_init, "add": cmd_add, "contacts": cmd_contacts, "show": cmd_show, "step": cmd_step,
    "reflections": cmd_reflections, "search": cmd_search, "due": cmd_due, "review": cmd_review,
    "check": cmd_check, "reindex": cmd_reindex, "trash": cmd_trash, "restore": cmd_restore,
    "import": cmd_import, "export": cmd_export,
    **cli_method.COMMANDS,
}


def _sync_command(name: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        from netjournal.sync.commands import COMMANDS as SYNC

        return SYNC[name](args)

    return run


COMMANDS.update({name: _sync_command(name) for name in ("git", "sync", "history", "restore-version", "undo")})


def run_tui(args: argparse.Namespace) -> int:
    from netjournal.tui.launch import launch

    return launch(journal=getattr(args, "journal", None), demo=args.demo, theme=args.theme)


def _no_dash_values(argv: Sequence[str]) -> None:
    """argparse drops a value that is exactly ``--`` (``--tag=--``, ``--note=--``) and
    stores an empty list in its place, which reached the journal as a tag."""
    for arg in argv:
        if arg == "--":
            return  # what follows is positional
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[1] == "--":
            option = arg.split("=", 1)[0]
            raise UsageError(f"netjournal: argument {option}: expected a value, and '--' cannot be one "
                             "(it ends the options) (see: netjournal --help)")


def main(argv: Sequence[str] | None = None) -> int:
    named = command_named(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(only=named if named in QUICK_COMMANDS else None)
    try:
        _no_dash_values(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(argv)
        if args.command is None:
            return run_tui(args)
        try:
            code = COMMANDS[args.command](args)
        except BaseException:
            try:
                close_journals()  # what was saved before the error is indexed too
            except Exception:
                pass
            raise
        close_journals()
        return code
    except UsageError as exc:
        print(clean(str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        return report_error(exc)


def run() -> None:
    """The program (``netjournal.program.run``): ``main``, then the exit.  A quick command answered
    from the listing (``netjournal.quick``) opened nothing and leaves at once once its
    output is flushed (``cli_quick.leave``)."""
    _QUICKLY.clear()
    code = main()
    if _QUICKLY == [True] and not _OPENED:
        leave(code)
    raise SystemExit(code)


def report_error(exc: Exception) -> int:
    """One line on stderr for what the user can fix; anything else is a bug and
    keeps its traceback.  (Imported here, not at the top: see the module's docstring.)"""
    from netjournal.config import ConfigError
    from netjournal.journal import JournalError
    from netjournal.store.files import ConflictError
    from netjournal.sync import SyncError

    if isinstance(exc, (JournalError, ConflictError, ConfigError, SyncError)):
        print(f"netjournal: {clean(str(exc))}", file=sys.stderr)
        return EXIT_MISSING
    if isinstance(exc, PermissionError):
        print(f"netjournal: permission denied: {clean(exc.filename or exc)}", file=sys.stderr)
        return EXIT_MISSING
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"netjournal: {clean(where)}{clean(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_MISSING
    raise exc


if __name__ == "__main__":  # pragma: no cover
    from netjournal.program import run as program

    program()
