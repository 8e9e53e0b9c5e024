"""The quick commands as the command line usually gives them, answered without argparse.

``netjournal search WORDS`` and ``netjournal reflections`` are what scripts call most,
and most of such a command is a check of the files (``store/listing.py``) and a look
at the listing and the cache (``netjournal.quick``).  ``netjournal.cli`` costs ~10 ms
of imports before any of it: argparse, pathlib, typing and the twenty other commands'
parsers.  So ``netjournal.program`` first hands the command line here, and this module
answers when it can be sure of argparse's reading of it:

- the command is ``search`` or ``reflections``, the folder is named by ``--journal``
  or ``$NETJOURNAL_DIR`` (a config file would need YAML);
- every other argument is one of the command's own options spelled in full, each at
  most once, with a value that does not begin with ``-`` and is not empty, or (for
  ``search``) the one query;
- each value converts as the command's parser converts it (``int``, the kinds, a date).

Anything else -- ``--help``, an abbreviation, a usage error, ``--``, a value such as
``-5`` -- is argparse's to read, as is every command the listing cannot answer (a
file changed, an unknown contact): ``answer`` returns, and the program runs
``netjournal.cli`` as before, whose check of the same listing knows it found the
listing stale (``listing.found_stale``).  A test compares this reading with argparse's
for generated command lines (``tests/test_cli_quick.py``).

The output is ``cli``'s own: ``show_hits`` and ``show_reflections`` print for both,
and the helpers they use (``emit_json``, ``table``, ``reflection_json``) live here for
``cli`` and its other commands to import.
"""

from __future__ import annotations

import os
import sys

from netjournal.text import clean, display_width, fit, json_safe
from netjournal.vocab import KINDS, parse_date

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from collections.abc import Callable
    from typing import Any, NoReturn

    from netjournal.model import Reflection
    from netjournal.quick import ReflectionRow
    from netjournal.store.fulltext import SearchHit


# ---------------------------------------------------------------------- output


def emit_json(value: Any) -> None:
    import json  # here: a command that prints a table does without it (~1 ms of a quick command)

    sys.stdout.write(json_safe(json.dumps(value, ensure_ascii=False, indent=2)) + "\n")


def table(rows: list[list[str]], header: list[str], caps: list[int | None] | None = None) -> str:
    """A plain text table; every cell is cleaned of control characters, columns are
    as wide as their widest cell in terminal cells (CJK and emoji take two), and a
    cell wider than its column's cap (``caps``, default 60; None: never cut) is cut
    with "…"."""
    cells = [[clean(c) for c in header]] + [[clean(c) for c in row] for row in rows]
    caps = caps or [60] * len(header)
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    widths = [w if cap is None else min(w, cap) for w, cap in zip(widths, caps)]
    return "\n".join("  ".join(fit(c, w) for c, w in zip(row, widths)).rstrip() for row in cells)


def reflection_json(r: Reflection | ReflectionRow) -> dict[str, Any]:
    data = {
        "path": r.path, "id": r.id, "title": r.title, "date": r.date, "kind": r.kind,
        "contacts": r.contacts, "links": r.links, "follow_up": r.follow_up, "tags": r.tags,
        "follow_up_done": r.follow_up_done,
    }
    if r.body is not None:
        data["body"] = r.body
    return data


def show_hits(hits: list[SearchHit], query: str, as_json: bool) -> None:
    """What ``search`` prints."""
    if as_json:
        emit_json([{"path": h.path, "kind": h.kind, "title": h.title, "date": h.date,
                    "snippet": h.snippet, "score": h.score} for h in hits])
        return
    if not hits:
        print(f"Nothing matches '{clean(query)}'.")
        return
    for h in hits:
        print(f"{h.date or 'contact':<10}  {clean(h.title)}  ({clean(h.path)})")
        if h.snippet:
            print(f"            {clean(h.snippet)}")


def show_reflections(rows: list[Reflection] | list[ReflectionRow], as_json: bool) -> None:
    """What ``reflections`` prints."""
    if as_json:
        emit_json([reflection_json(r) for r in rows])
        return
    if not rows:
        print("No reflections.")
        return
    print(table([[r.date, r.kind, r.title, ", ".join(r.links)] for r in rows],
                ["DATE", "KIND", "TITLE", "CONTACTS"]))


# ---------------------------------------------------------------------- the command line


def date_value(text: str) -> _dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date (``cli``'s date type); None if it is not one."""
    day = parse_date(text)
    return day if day is not None and len(text.strip()) == 10 else None


def _kind(text: str) -> str | None:
    return text if text in KINDS else None


def _whole(text: str) -> int | None:
    try:
        return int(text)  # what argparse's type=int calls
    except ValueError:
        return None


# Each quick command's options as its parser in ``cli.build_parser`` has them: the
# attribute, how argparse converts the value (None: a flag), and the default.
OPTIONS: dict[str, dict[str, tuple[str, Callable[[str], Any] | None, Any]]] = {
    "search": {"--limit": ("limit", _whole, 20), "--json": ("json", None, False)},
    "reflections": {"--contact": ("contact", str, None), "--kind": ("kind", _kind, None),
                    "--since": ("since", date_value, None), "--until": ("until", date_value, None),
                    "--limit": ("limit", _whole, 0), "--json": ("json", None, False)},
}
POSITIONAL = {"search": "query", "reflections": None}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The command line as argparse reads it (the attributes of its namespace that
    the command uses), if it is in the plain form this module is sure of; else None."""
    values: dict[str, Any] = {}
    at, count = 0, len(argv)

    def option(arg: str, known: dict[str, tuple[str, Callable[[str], Any] | None, Any]]) -> bool:
        nonlocal at
        name, equals, value = arg.partition("=")
        if name not in known:
            return False
        attribute, convert, _ = known[name]
        if attribute in values:
            return False  # given twice: argparse keeps the last, but say so plainly
        if convert is None:  # a flag
            if equals:
                return False  # argparse refuses a value for it
            values[attribute] = True
            return True
        if not equals:
            at += 1
            if at >= count:
                return False
            value = argv[at]
        if not value or value[0] == "-":
            return False  # argparse reads such a value its own way, or refuses it
        converted = convert(value)
        if converted is None:
            return False  # a usage error: argparse words it
        values[attribute] = converted
        return True

    journal = {"--journal": ("journal", str, None)}
    while at < count and argv[at] not in OPTIONS:  # before the command: only the journal
        if not option(argv[at], journal):
            return None
        at += 1
    if at >= count:
        return None
    command = argv[at]
    known = {**OPTIONS[command], **journal}
    positional = POSITIONAL[command]
    at += 1
    while at < count:
        arg = argv[at]
        if arg[:1] == "-":
            if not option(arg, known):
                return None
        elif positional is None or positional in values or not arg:
            return None  # one query at most, and not an empty one
        else:
            values[positional] = arg
        at += 1
    if positional is not None and positional not in values:
        return None
    for attribute, _, default in known.values():
        values.setdefault(attribute, default)
    values["command"] = command
    return values


def answer(argv: list[str]) -> None:
    """Answer ``argv`` from the listing and leave the process, if it is a quick
    command in the plain form and the listing still describes every file; else
    return (nothing printed) for ``netjournal.cli`` to run it."""
    args = parse(argv)
    if args is None:
        return
    folder = args["journal"] or os.environ.get("NETJOURNAL_DIR")
    if not folder:
        return  # the user's config file names it: YAML, the full path
    root = os.path.expanduser(folder)  # as ``config.resolve_journal`` and ``program.journal_named``
    try:
        from netjournal import quick

        if args["command"] == "search":
            found: list[Any] | None = quick.search(root, args["query"], limit=args["limit"])
        else:
            since, until = args["since"], args["until"]
            found = quick.reflections(root, contact=args["contact"], kind=args["kind"],
                                      since=since.isoformat() if since else None,
                                      until=until.isoformat() if until else None, limit=max(args["limit"], 0))
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception:  # noqa: BLE001  (the full path meets it again and reports it its way)
        return
    if found is None:
        return  # a file changed, or an unknown contact: the journal answers
    code = 0
    try:
        if args["command"] == "search":
            show_hits(found, args["query"], args["json"])
        else:
            show_reflections(found, args["json"])
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # the reader left (``| head``): as ``cli.main`` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except Exception as exc:  # noqa: BLE001
        from netjournal.cli import report_error

        code = report_error(exc)
    leave(code)


def leave(code: int) -> NoReturn:
    """The end of a command answered from the listing: its output flushed, the
    check's child waited for, then the process leaves at once.  Nothing was opened,
    and Python's own teardown frees every object one by one, ~8 ms after a search of
    11,000 entries."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader left (``| head``): what it read is all it wanted
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    from netjournal.store.listing import reap_children

    reap_children()  # the check's child, whose exit ran beside the printing
    os._exit(code)
