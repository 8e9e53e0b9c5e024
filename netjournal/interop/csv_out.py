"""Contacts out as CSV, for a spreadsheet: one row per contact.

The columns are the scalar keys of ``contacts --json``, in its order, then the lists
and the steps flattened: ``tags`` (joined with ``, ``; a tag holding a ``,`` or a ``;``
in double quotes, as a CSV line quotes a cell: ``mentor, "Smith, Jones"``), ``links``
(joined with a space), ``steps.why`` … ``steps.known`` (the step's date).  ``true``/``false`` for
booleans, an empty cell for null.  UTF-8 with a byte order mark (so that Excel reads
accents right) and CRLF line ends, as RFC 4180 has them.

A cell a spreadsheet would run as a formula -- one that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return -- is written with an apostrophe in front
(``'+44 7700 900123``), so that it is shown as text and never run; the apostrophe is
the price (spreadsheets show it).  Control characters other than tab and line break
are left out.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from netjournal.interop.records import plain
from netjournal.model import STEP_KEYS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A value as a cell: text as written (control characters dropped), never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + plain(text)
    return plain(text)


def join_tags(tags: list[str]) -> str:
    """Tags in one cell: ``, `` between them; a tag that holds a ``,`` or ``;`` (or
    starts with ``"``) in double quotes, a quote in it doubled, as in a CSV line
    (``split_tags`` reads it back)."""
    return ", ".join(f'"{tag.replace(chr(34), chr(34) * 2)}"' if _NEEDS_QUOTES.search(tag) else tag
                     for tag in tags)


_NEEDS_QUOTES = re.compile(r'[,;]|^\s*"')


def split_tags(cell: str) -> list[str]:
    """The tags of a cell, separated by ``,`` or ``;``; a tag in double quotes may
    hold either (``""`` is a quote in it).  A quote never closed is read as a quote."""
    tags: list[str] = []
    at, end = 0, len(cell)
    while at <= end:
        start = at
        while at < end and cell[at] in " \t":
            at += 1
        if at < end and cell[at] == '"':
            closed = _closing_quote(cell, at + 1)
            if closed is not None:
                stop = _separator(cell, closed + 1)
                tags.append(cell[at + 1:closed].replace('""', '"') + cell[closed + 1:stop])
                at = stop + 1
                continue
        stop = _separator(cell, start)
        tags.append(cell[start:stop])
        at = stop + 1
    return tags


def _closing_quote(cell: str, at: int) -> int | None:
    while True:
        at = cell.find('"', at)
        if at < 0:
            return None
        if cell.startswith('""', at):
            at += 2
            continue
        return at


def _separator(cell: str, at: int) -> int:
    found = [i for i in (cell.find(",", at), cell.find(";", at)) if i >= 0]
    return min(found) if found else len(cell)


def columns(sample: dict[str, Any]) -> list[str]:
    """The columns for a contact's JSON shape: its scalar keys, then the flattened ones."""
    scalars = [key for key, value in sample.items() if not isinstance(value, (list, dict))]
    return scalars + ["tags", "links"] + [f"steps.{key}" for key in STEP_KEYS]


def row(data: dict[str, Any]) -> dict[str, Any]:
    flat = {key: value for key, value in data.items() if not isinstance(value, (list, dict))}
    flat["tags"] = join_tags(data["tags"])
    flat["links"] = " ".join(data["links"])
    for key in STEP_KEYS:
        flat[f"steps.{key}"] = data["steps"][key]
    return flat


def render(journal: Any, contacts: list[Any]) -> bytes:
    from netjournal.cli import contact_json  # the one JSON shape of a contact

    rows = [row(contact_json(journal, c.slug)) for c in contacts]
    header = columns(contact_json(journal, contacts[0].slug)) if contacts else _empty_header(journal)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for data in rows:
        writer.writerow([safe_cell(data.get(key)) for key in header])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _empty_header(journal: Any) -> list[str]:
    """The header of an export with no rows (from any contact, else a blank one)."""
    from netjournal.cli import contact_json

    everyone = journal.contacts(include_archived=True)
    if everyone:
        return columns(contact_json(journal, everyone[0].slug))
    return ["slug", "name"] + ["tags", "links"] + [f"steps.{key}" for key in STEP_KEYS]
