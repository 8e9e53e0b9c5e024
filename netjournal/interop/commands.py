"""``netjournal import FORMAT PATH… [--dry-run] [--json]``: the command line's import.

The input is read first (a file that cannot be imported stops here, before the
journal is opened); then the plan is made against the journal, printed, and -- unless
``--dry-run`` -- written.  Records that cannot be read are listed on standard error as
``path:line: reason`` and make the exit code 1; the others are imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from netjournal.interop import FORMATS
from netjournal.interop.plan import NEW, SKIP, UNCHANGED, UPDATE, Plan, apply, plan_contacts, plan_reflections, source_label
from netjournal.interop.records import InputError
from netjournal.text import clean

LISTED = 50  # lines shown per action; --json lists every one
PROGRESS_FROM = 50  # a bar only for imports at least this long


def read_plan(journal: Any, fmt: str, paths: list[Path], *, map_specs: list[str] | None = None,
              kind: str = "note") -> Plan:
    """Read the input and plan it against ``journal`` (the app calls this too)."""
    return make_plan(journal, fmt, read_records(fmt, paths, map_specs or [], kind), kind)


def make_plan(journal: Any, fmt: str, records: Any, kind: str = "note") -> Plan:
    label = source_label(fmt, journal.today)
    if fmt == "jrnl":
        entries, skipped = records
        return plan_reflections(journal, entries, skipped, kind, label)
    return plan_contacts(journal, records, fmt, label)


def read_records(fmt: str, paths: list[Path], map_specs: list[str], kind: str = "note") -> Any:
    """What the files hold: a ``Source`` of people, or jrnl's (entries, skipped).
    Raises InputError for input that cannot be imported at all."""
    from netjournal.vocab import KINDS

    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file")
    if fmt == "jrnl":
        if kind not in KINDS:
            raise InputError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
        from netjournal.interop import jrnl

        return jrnl.read(paths)
    if map_specs and fmt != "csv":
        raise InputError("--map is for the csv format")
    if fmt == "vcard":
        from netjournal.interop import vcard

        return vcard.read(paths)
    from netjournal.interop import csvin

    if fmt == "linkedin":
        return csvin.read_linkedin(paths)
    if fmt == "google":
        return csvin.read_google(paths)
    return csvin.read_csv(paths, map_specs)


def guess_format(path: Path) -> str | None:
    """The format a file (or folder) most likely is, from its name and first lines:
    for the app, which offers it as the default; None when nothing fits."""
    if path.is_dir():
        return "vcard" if any(p.suffix.lower() in (".vcf", ".vcard") for p in path.iterdir()) else None
    if path.suffix.lower() in (".vcf", ".vcard"):
        return "vcard"
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    from netjournal.interop import csvin, jrnl
    from netjournal.interop.records import decode

    try:
        text = decode(head, str(path))
    except InputError:
        return None
    if "BEGIN:VCARD" in text.upper():
        return "vcard"
    if text.lstrip().startswith("{") and '"entries"' in text:
        return "jrnl"
    if any(jrnl._when(match[1]) for match in jrnl.ENTRY_START.finditer(text[:8192])):
        return "jrnl"
    lines = text.splitlines(keepends=True)[:-1] or text.splitlines(keepends=True)
    if csvin._header_at(lines, csvin._is_linkedin):
        return "linkedin"
    if csvin._header_at(lines, csvin._is_google):
        return "google"
    if path.suffix.lower() in (".csv", ".tsv", ".txt") and lines:
        return "csv"
    return None


def complete_path(value: str) -> str | None:
    """The first file or folder whose path starts with ``value`` (folders end with
    ``/``; hidden ones only when asked for with a dot): the app's path completion."""
    if not value:
        return None
    expanded = Path(value).expanduser()
    folder, prefix = (expanded, "") if value.endswith("/") else (expanded.parent, expanded.name)
    try:
        names = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in folder.iterdir()
                       if entry.name.startswith(prefix) and (prefix.startswith(".") or not entry.name.startswith(".")))
    except OSError:
        return None
    wanted = [n for n in names if n.endswith("/") or Path(n).suffix.lower() in (".vcf", ".csv", ".txt", ".json", ".vcard")]
    for name in wanted or names:
        if name != prefix:
            return value[: len(value) - len(prefix)] + name
    return None


def run(args: argparse.Namespace, open_journal: Callable[[argparse.Namespace], Any],
        emit_json: Callable[[Any], None]) -> int:
    paths = [Path(p).expanduser() for p in args.paths]
    # read before the journal is opened: input that cannot be imported stops here
    records = read_records(args.format, paths, args.map, args.kind)
    journal = open_journal(args)
    plan = make_plan(journal, args.format, records, args.kind)
    if not args.dry_run and plan.to_write:
        apply(journal, plan, progress=_bar() if len(plan.to_write) >= PROGRESS_FROM else None)
    if args.json:
        data = plan.to_json()
        data["dry_run"] = bool(args.dry_run)
        emit_json(data)
    else:
        print(render(plan, dry_run=args.dry_run))
    for item in plan.problems:
        print(clean(f"{item.where}: {item.reason}"), file=sys.stderr)
    return 1 if plan.problems else 0


def render(plan: Plan, *, dry_run: bool) -> str:
    """The plan (or what was done) as text: one line per record that is written or
    skipped, the differences, the notes, and the counts."""
    out: list[str] = []
    verbs = {NEW: "new", UPDATE: "update", SKIP: "skip"}
    for action in (NEW, UPDATE, SKIP):
        rows = [item for item in plan.items if item.action == action and not item.problem]
        for item in rows[:LISTED]:
            out.append(f"  {verbs[action]:<9} {_line(item)}")
        if len(rows) > LISTED:
            out.append(f"  {'':<9} … and {len(rows) - LISTED} more {verbs[action]} (--json lists all)")
    with_differences = [item for item in plan.items if item.differences]
    if with_differences:
        out.append("Differences (what you have is kept):")
        for item in with_differences[:LISTED]:
            who = item.slug or item.where
            for diff in item.differences:
                out.append(f"  {who}  {diff.key}: yours '{diff.yours}' · the import's '{diff.theirs}'")
        if len(with_differences) > LISTED:
            out.append(f"  … and {len(with_differences) - LISTED} more (--json lists all)")
    for note in plan.notes:
        out.append(f"Note: {note}")
    if dry_run:
        out.append(f"Dry run, nothing written. Would be: {plan.summary()}.")
    else:
        out.append(f"Imported: {plan.summary()}.")
        # a row that writes a why or an offer marks its step: that contact is chosen already
        pooled = 0 if plan.format == "jrnl" else sum(
            1 for item in plan.items if item.action == NEW and not item.meta.get("why")
            and not any((item.meta.get("steps") or {}).values()))
        if pooled:
            out.append(f"The {pooled} new contact{'s are' if pooled != 1 else ' is'} in the pool (netjournal "
                       "contacts --pool): write why you want a relationship to choose them.")
    if plan.count(UNCHANGED) and not plan.to_write and not dry_run and not plan.count(SKIP):
        out.append("Everything was already in the journal.")
    return "\n".join(clean(line) for line in out)


def _line(item: Any) -> str:
    if item.action == SKIP:
        return f"{item.where}: {item.reason}" + (f" ({item.name})" if item.name else "")
    text = item.name
    if item.slug:
        text += f" → {item.slug}"
    if item.matched_by:
        text += f" (by {item.matched_by})"
    if item.action == UPDATE:
        text += ": fills " + ", ".join(item.keys)
    elif item.action == NEW and item.kind == "reflection" and item.meta.get("contacts"):
        text += " (about " + ", ".join(item.meta["contacts"]) + ")"
    return text


def _bar() -> Callable[[int, int], None] | None:
    """A progress bar on standard error when it is a terminal; nothing when piped."""
    stream = sys.stderr
    if not stream.isatty():
        return None
    width = 30

    def show(done: int, total: int) -> None:
        if done != total and done % max(total // 200, 1):
            return
        filled = width * done // max(total, 1)
        stream.write(f"\rImporting {'█' * filled}{'░' * (width - filled)} {done:,}/{total:,}")
        if done == total:
            stream.write("\r\x1b[2K")
        stream.flush()

    return show


# ---------------------------------------------------------------------- export


def run_export(args: argparse.Namespace, open_journal: Callable[[argparse.Namespace], Any]) -> int:
    """``netjournal export FORMAT``: the export on standard output, or in ``--out``."""
    from netjournal.cli import UsageError
    from netjournal.interop.export import Options, export, write

    for flag, value, fmt in (("--version", args.vcard_version, "vcard"), ("--since", args.since, "json"),
                             ("--week", args.week, "markdown")):
        if value is not None and args.format != fmt:
            raise UsageError(f"netjournal export: {flag} is for the {fmt} format (see: netjournal export --help)")
    if args.week is not None and (args.contact or args.tag is not None):
        raise UsageError("netjournal export: a digest is of a week (--week) or of contacts (--contact, --tag), "
                         "not both (see: netjournal export --help)")
    journal = open_journal(args)
    options = Options(args.format, contacts=list(dict.fromkeys(args.contact)), tag=args.tag,
                      version=args.vcard_version or "4.0", since=args.since, week=args.week)
    result = export(journal, options)
    for note in result.notes:
        print(clean(f"Note: {note}"), file=sys.stderr)
    if args.out and args.out != "-":
        path = write(journal.root, args.out, result.data)
        print(clean(f"Exported {result.count} {result.what} to {path}"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    return 0
