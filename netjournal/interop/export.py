"""Export: which contacts, read from their files, turned into a format, and written
where the user said (atomically) or to standard output.

The formats are ``vcard_out``, ``csv_out``, ``json_out``, ``ics`` and ``digest``; this
module chooses the contacts (``--contact``, ``--tag``), reads what the index does not
keep (the notes, the extra emails and addresses an import kept), and writes the
result.  The command line (``interop/commands.py``) and the app's Export dialog both
call ``export``.  Nothing here changes the journal.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netjournal.journal import Journal, JournalError, NotFound
from netjournal.model import Contact

FORMATS = ("vcard", "csv", "json", "ics", "markdown")
EXTENSIONS = {"vcard": ".vcf", "csv": ".csv", "json": ".json", "ics": ".ics", "markdown": ".md"}
# The journal's own files: an export never writes over them (nor into its caches).
OWN = ("contacts", "reflections", "templates", ".netjournal", "netjournal.yaml")


class ExportError(JournalError):
    """The export cannot be made or written: one line, nothing written."""


@dataclass
class ContactFile:
    """A contact as its file holds it: the model, every front matter key, the notes,
    and when the file last changed (a card's REV)."""

    contact: Contact
    meta: dict[str, Any]
    body: str
    modified: _dt.datetime


@dataclass
class Options:
    """What to export: the format and the filters of ``netjournal export``."""

    format: str
    contacts: list[str] = field(default_factory=list)  # slugs (--contact)
    tag: str | None = None
    version: str = "4.0"  # vcard
    since: _dt.date | None = None  # json: reflections on or after
    week: _dt.date | None = None  # markdown: the week holding this day


@dataclass
class Result:
    data: bytes
    count: int  # contacts (or, for ics, events; for markdown, sections) in the export
    what: str  # "contacts", "events", …
    notes: list[str] = field(default_factory=list)  # said on standard error / in the notice


def choose(journal: Journal, options: Options, *, network_only: bool = False) -> list[Contact]:
    """The contacts an export is about: those named (in name order), else every one
    (``network_only``: not archived and not in the pool); then those with the tag."""
    if options.contacts:
        for slug in options.contacts:
            if not journal.has_contact(slug):
                raise NotFound(f"no contact '{slug}' (see: netjournal contacts)")
        wanted = set(options.contacts)
        chosen = [c for c in journal.contacts(include_archived=True) if c.slug in wanted]
    elif network_only:
        chosen = journal.contacts(pool=False)
    else:
        chosen = journal.contacts(include_archived=True)
    if options.tag is not None:
        tag = options.tag.strip().lower()
        if not any(tag in (t.lower() for t in c.tags) for c in journal.contacts(include_archived=True)):
            raise NotFound(f"no contact has the tag '{options.tag}'")
        chosen = [c for c in chosen if tag in (t.lower() for t in c.tags)]
    return chosen


def read_files(journal: Journal, contacts: list[Contact]) -> tuple[list[ContactFile], list[str]]:
    """Each contact's file, read now; a file that stopped being readable since the
    index saw it is left out and named."""
    found: list[ContactFile] = []
    notes: list[str] = []
    for contact in contacts:
        try:
            entry = journal.load_contact(contact.slug)
        except JournalError as exc:
            notes.append(f"{contact.path} is left out: {exc}")
            continue
        assert entry.doc is not None and entry.contact is not None and entry.stamp is not None
        modified = _dt.datetime.fromtimestamp(entry.stamp.mtime_ns // 1_000_000_000, _dt.timezone.utc)
        found.append(ContactFile(entry.contact, entry.doc.meta, entry.doc.body, modified))
    return found, notes


def unreadable_note(journal: Journal) -> list[str]:
    """A line about the files that cannot be read (and so are in no export)."""
    errors = [p for p in journal.problems() if p.severity == "error"]
    if not errors:
        return []
    many = len(errors) != 1
    return [f"{len(errors)} file{'s' if many else ''} could not be read and {'are' if many else 'is'} not "
            "in the export: see netjournal check"]


def export(journal: Journal, options: Options) -> Result:
    """Make the export (nothing is written)."""
    if options.format not in FORMATS:
        raise ExportError(f"unknown format '{options.format}'; use one of: {', '.join(FORMATS)}")
    notes = unreadable_note(journal)
    if options.format == "vcard":
        from netjournal.interop import vcard_out

        if options.version not in vcard_out.VERSIONS:
            raise ExportError(f"vCard version '{options.version}' is not one of: {', '.join(vcard_out.VERSIONS)}")
        files, left = read_files(journal, choose(journal, options))
        data = vcard_out.cards(((f.contact, f.meta, f.body, f.modified) for f in files), options.version)
        return Result(data, len(files), "contacts", notes + left)
    if options.format == "csv":
        from netjournal.interop import csv_out

        contacts = choose(journal, options)
        return Result(csv_out.render(journal, contacts), len(contacts), "contacts", notes)
    if options.format == "json":
        from netjournal.interop import json_out

        data, count = json_out.render(journal, choose(journal, options), options)
        return Result(data, count, "contacts", notes)
    if options.format == "ics":
        from netjournal.interop import ics

        data, count = ics.render(journal, choose(journal, options, network_only=True), options)
        if not options.contacts:
            # an address book just imported is all pool: say why its birthdays are not there
            tag = options.tag.strip().lower() if options.tag is not None else None
            pooled = [c for c in journal.contacts(pool=True) if (c.birthday or c.dates)
                      and (tag is None or tag in (t.lower() for t in c.tags))]
            if pooled:
                notes.append(f"{len(pooled)} contact{'s' if len(pooled) != 1 else ''} in the pool (imported, not "
                             f"yet chosen) with a birthday or a date to remember left out; name one with "
                             f"--contact SLUG to have it")
        return Result(data, count, "events", notes)
    from netjournal.interop import digest

    text, count, what = digest.render(journal, options)
    return Result(text.encode("utf-8"), count, what, notes)


# ---------------------------------------------------------------------- writing


def destination(journal_root: Path, out: str) -> Path:
    """Where ``--out`` really writes (a symlink's target); refused inside the journal's
    own files and caches, and when it is a folder."""
    path = Path(out).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    real = path.resolve()
    root = journal_root.resolve()
    for own in OWN:
        mine = root / own
        if real == mine or mine in real.parents:
            raise ExportError(f"will not write {out}: it is the journal's own {own}"
                              + (" folder" if own not in ("netjournal.yaml",) else "")
                              + "; choose a file outside it")
    if real.is_dir():
        raise ExportError(f"cannot write {out}: it is a folder; give a file name")
    if not real.parent.is_dir():
        raise ExportError(f"cannot write {out}: the folder {real.parent} does not exist")
    return real


def write(journal_root: Path, out: str, data: bytes) -> Path:
    """Write ``data`` to ``out`` atomically (a temp file beside it, then a rename): the
    old file or the new one, never half of one.  A new file is readable by you only;
    an existing one keeps its mode."""
    from netjournal.store.files import atomic_write

    path = destination(journal_root, out)
    try:
        atomic_write(path, data)
    except PermissionError:
        raise ExportError(f"cannot write {out}: permission denied") from None
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return path


def default_name(journal: Journal, fmt: str) -> str:
    """A file name for the app to offer: ``~/<journal>-contacts.vcf`` and the like."""
    from netjournal.store.files import slugify

    base = slugify(journal.name, "netjournal", 40)
    what = {"vcard": "contacts", "csv": "contacts", "json": "journal", "ics": "calendar",
            "markdown": "digest"}[fmt]
    return os.path.join("~", f"{base}-{what}{EXTENSIONS[fmt]}")
