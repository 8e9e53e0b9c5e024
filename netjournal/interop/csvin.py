"""CSV contacts: LinkedIn's Connections.csv, Google Contacts, and any CSV with a map.

Every CSV is decoded as UTF-8 (with or without a BOM), UTF-16 or Windows-1252, and
its delimiter (``,`` ``;`` tab ``|``) is read from its header line.  The header is
looked for, not assumed to be the first line: LinkedIn's export starts with a
``Notes:`` preamble.  Rows are named by the file line they start on.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from netjournal.interop.csv_out import FORMULA_START, split_tags
from netjournal.interop.records import (
    InputError, Person, Skip, Source, birthday, decode, multi_line, one_line, read_input,
)

DELIMITERS = (",", ";", "\t", "|")
HEADER_SEARCH = 100  # lines looked at for the header


def _lines(path: Path) -> list[str]:
    """The file's lines, each with its line break (only ``\n`` ends a line: the csv
    module keeps other breaks inside cells)."""
    return [line for line in re.split(r"(?<=\n)", decode(read_input(path), str(path))) if line]


def _delimiter(line: str) -> str:
    counts = {d: _outside_quotes(line).count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _header_at(lines: list[str], wanted: Callable[[list[str]], bool]) -> tuple[int, str, list[str]] | None:
    """(index of the header line, delimiter, its cells) of the first line that ``wanted``."""
    for index, line in enumerate(lines[:HEADER_SEARCH]):
        if not line.strip():
            continue
        delimiter = _delimiter(line)
        cells = [c.strip().lstrip("\ufeff") for c in next(csv.reader([line], delimiter=delimiter), [])]
        if wanted(cells):
            return index, delimiter, cells
    return None


def _rows(path: Path, lines: list[str], at: int, delimiter: str, header: list[str],
          source: Source) -> Iterator[tuple[str, dict[str, str]]]:
    """(where, column → cell) for each row after the header that has something in it;
    a blank row, or one the csv module cannot read (it stops the file there), goes to
    ``source.skipped``."""
    text = "".join(lines[at + 1:])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_line = at + 2  # file lines are 1-based, and the header is one of them
    while True:
        where = f"{path}:{first_line + reader.line_num}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            source.skipped.append(Skip(where, f"cannot be read as CSV ({exc})", problem=True))
            return
        if not any(cell.strip() for cell in cells):
            source.skipped.append(Skip(where, "blank row"))
            continue
        yield where, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}


def _split_values(text: str) -> list[str]:
    """Google's several values in one cell, joined by `` ::: ``."""
    return [one_line(v) for v in text.split(":::") if one_line(v)]


# ---------------------------------------------------------------------- LinkedIn

LINKEDIN_COLUMNS = {
    "first": ("First Name",), "last": ("Last Name",), "url": ("URL", "Profile URL"),
    "email": ("Email Address", "Email", "E-mail Address"), "org": ("Company", "Organization"),
    "role": ("Position", "Title"), "connected": ("Connected On",),
}
CONNECTED_FORMATS = ("%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {h.lower(): h for h in header}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _is_linkedin(cells: list[str]) -> bool:
    return (_column(cells, LINKEDIN_COLUMNS["first"]) is not None
            and _column(cells, LINKEDIN_COLUMNS["last"]) is not None
            and (_column(cells, LINKEDIN_COLUMNS["url"]) is not None
                 or _column(cells, LINKEDIN_COLUMNS["connected"]) is not None))


def connected_on(text: str) -> _dt.date | None:
    text = one_line(text)
    for fmt in CONNECTED_FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_linkedin(paths: list[Path]) -> Source:
    source = Source()
    for path in paths:
        lines = _lines(path)
        found = _header_at(lines, _is_linkedin)
        if found is None:
            raise InputError(
                f"{path}: not a LinkedIn Connections.csv (no header line with First Name, Last Name, "
                "URL, Email Address, Company, Position, Connected On)")
        at, delimiter, header = found
        col = {key: _column(header, names) for key, names in LINKEDIN_COLUMNS.items()}
        for where, row in _rows(path, lines, at, delimiter, header, source):

            def cell(key: str) -> str:
                return row.get(col[key] or "", "")

            name = one_line(f"{one_line(cell('first'))} {one_line(cell('last'))}")
            if not name:
                source.skipped.append(Skip(where, "no name (LinkedIn leaves it out for some members)"))
                continue
            fields: dict[str, Any] = {"name": name}
            for key in ("org", "role", "email"):
                value = one_line(cell(key))
                if value:
                    fields[key] = value
            url = one_line(cell("url"))
            if url:
                fields["links"] = [url]
            when = cell("connected").strip()
            if when:
                day = connected_on(when)
                if day is not None:
                    fields["connected"] = day
                elif len(source.notes) < 20:
                    source.notes.append(f"{where}: Connected On {one_line(when)!r} is not a date; left out")
            source.people.append(Person(where, fields))
    return source


# ---------------------------------------------------------------------- Google

NUMBERED = re.compile(r"^(E-mail|Phone|Address|Website|Event|Relation|Custom Field|Organization|IM) (\d+) - (.+)$")
ADDRESS_PARTS = {"PO Box": "pobox", "Extended Address": "extended", "Street": "street", "City": "locality",
                 "Region": "region", "Postal Code": "code", "Country": "country", "Formatted": "label"}


def _is_google(cells: list[str]) -> bool:
    names = set(cells)
    current = "First Name" in names and ("Labels" in names or "Organization Name" in names
                                         or "E-mail 1 - Label" in names or "File As" in names)
    older = "Given Name" in names and ("Group Membership" in names or "E-mail 1 - Type" in names
                                       or "Family Name" in names)
    return current or older


def _google_types(label: str) -> tuple[list[str], str, bool]:
    """``* Work`` (primary, older layout) or ``Work ::: Home``: the types (a word:
    ``work``, ``mobile``, ``profile``), the label (words: ``Home Page``, ``Design
    guild``, kept as written, as a vCard's ``X-ABLabel``) and whether primary."""
    primary = label.strip().startswith("*")
    types: list[str] = []
    named = ""
    for part in label.split(":::"):
        part = one_line(part).lstrip("* ")
        if re.fullmatch(r"[\w-]+", part):
            types.append(part.lower())
        elif part and not named:
            named = part
    return list(dict.fromkeys(types)), named, primary


def _typed_item(value: str, types: list[str], label: str) -> dict[str, str]:
    item = {"type": ",".join(types)} if types else {}
    if label:
        item["label"] = label
    item["value"] = value
    return item


def read_google(paths: list[Path]) -> Source:
    source = Source()
    photos = 0
    for path in paths:
        lines = _lines(path)
        found = _header_at(lines, _is_google)
        if found is None:
            raise InputError(f"{path}: not a Google Contacts CSV (no header with First Name … Labels, "
                             "or the older Name, Given Name … Group Membership)")
        at, delimiter, header = found
        for where, row in _rows(path, lines, at, delimiter, header, source):
            person, photo = _google_person(where, row)
            photos += photo
            if isinstance(person, Skip):
                source.skipped.append(person)
            else:
                source.people.append(person)
    if photos:
        source.notes.append(f"{photos} photo{'s' if photos != 1 else ''} not stored (Photo)")
    return source


def _google_person(where: str, row: dict[str, str]) -> tuple[Person | Skip, int]:
    used: set[str] = set()

    def take(*names: str) -> str:
        for name in names:
            if name in row:
                used.add(name)
                value = row[name]
                if value.strip():
                    return value
        return ""

    parts = [one_line(take(n)) for n in ("Name Prefix", "First Name", "Given Name", "Middle Name",
                                         "Additional Name", "Last Name", "Family Name", "Name Suffix")]
    name = one_line(take("Name")) or " ".join(p for p in parts if p)
    name = name or one_line(take("File As")) or one_line(take("Nickname"))
    if not name:
        return Skip(where, "no name"), 0
    fields: dict[str, Any] = {"name": name}
    org = one_line(take("Organization Name", "Organization 1 - Name"))
    if org:
        fields["org"] = org
    role = one_line(take("Organization Title", "Organization 1 - Title"))
    if role:
        fields["role"] = role
    unit = one_line(take("Organization Department", "Organization 1 - Department"))
    if unit:
        fields["org_unit"] = [unit]
    day = birthday(take("Birthday"))
    if day is not None:
        fields["birthday"] = day
    note = multi_line(take("Notes"))
    photo = 1 if take("Photo").strip() else 0
    labels = take("Labels", "Group Membership")
    tags = [t for t in (one_line(v) for v in labels.split(":::")) if t and not t.startswith("*")]
    if tags:
        fields["tags"] = list(dict.fromkeys(tags))
    groups: dict[tuple[str, int], dict[str, str]] = {}
    for column, value in row.items():
        match = NUMBERED.match(column)
        if match:
            used.add(column)
            groups.setdefault((match[1], int(match[2])), {})[match[3]] = value
    emails: list[tuple[bool, dict[str, str]]] = []
    phones: list[tuple[bool, dict[str, str]]] = []
    addresses: list[dict[str, str]] = []
    links: list[tuple[bool, dict[str, str]]] = []
    dates: list[dict[str, Any]] = []
    extra: dict[str, str] = {}
    for (kind, number), cells in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1])):
        label = cells.get("Label", cells.get("Type", ""))
        types, named, primary = _google_types(label)
        value = cells.get("Value", "")
        if kind in ("E-mail", "Phone", "Website"):
            target = emails if kind == "E-mail" else phones if kind == "Phone" else links
            values = _split_values(value)
            parts = [part for part in label.split(":::") if one_line(part)]
            # as many labels as values (``Work ::: Home``): one each; else one for all
            paired = len(values) > 1 and len(parts) == len(values)
            for i, one in enumerate(values):
                if paired:
                    types, named, primary = _google_types(parts[i])
                first = primary and (paired or i == 0)
                # as a vCard's URL: the primary one keeps ``pref`` (links have no key for it)
                kinds = types + ["pref"] if kind == "Website" and first else types
                target.append((first, _typed_item(one, kinds, named)))
        elif kind == "Address":
            # an address's ``label`` is its formatted text: a label in words stays a type
            kinds = types + [named.lower()] if named else types
            address: dict[str, str] = {"type": ",".join(kinds)} if kinds else {}
            for part, key in ADDRESS_PARTS.items():
                text = multi_line(cells.get(part, ""))
                if text:
                    address[key] = text
            if len(address) > ("type" in address):
                addresses.append(address)
        elif kind == "Event":
            for one in _split_values(value):
                day = birthday(one)
                if day is not None:
                    dates.append({"label": (types or [named.lower()])[0] or "event", "date": day})
        elif kind == "Organization":
            continue  # the older layout's first organization is read above
        else:
            for part, text in cells.items():
                if text.strip():
                    extra[f"{kind} {number} - {part}"] = multi_line(text)
    for key, items in (("email", emails), ("phone", phones), ("links", links)):
        ordered = [i for p, i in items if p] + [i for p, i in items if not p]
        unique: list[dict[str, str]] = []
        for item in ordered:
            if all(item["value"] != seen["value"] for seen in unique):
                unique.append(item)
        if not unique:
            continue
        if key == "links":  # as a vCard's URLs: ``urls`` for those with a type or label
            fields["links"] = [item["value"] for item in unique]
            if any(len(item) > 1 for item in unique):
                fields["urls"] = [item for item in unique if len(item) > 1]
            continue
        fields[key] = unique[0]["value"]
        if len(unique) > 1 or len(unique[0]) > 1:
            fields[f"{key}s"] = unique
    if addresses:
        fields["addresses"] = addresses
    if dates:
        fields["dates"] = dates
    for column, value in row.items():
        if column not in used and column not in ("Photo",) and value.strip():
            extra[column] = multi_line(value)
    if extra:
        fields["csv"] = extra
    return Person(where, fields, note), photo


# ---------------------------------------------------------------------- any CSV

CSV_KEYS = ("name", "first_name", "last_name", "org", "role", "email", "phone", "birthday", "links",
            "tags", "uid", "why", "offer", "cadence", "connected", "notes")
# The columns that tell netjournal's own ``export csv`` (a spreadsheet round trip):
# its other columns are facts the journal derives (status, health, the steps' dates,
# the path…), never kept under ``csv:``, and the apostrophe it puts before a cell a
# spreadsheet would run as a formula is taken off again.
OWN_EXPORT = frozenset({"slug", "path", "status", "next_step"})


def parse_map(specs: list[str]) -> dict[str, str]:
    """``--map 'Full Name=name,Company=org'`` (repeatable): column → key."""
    mapping: dict[str, str] = {}
    for spec in specs:
        for part in spec.split(","):
            if not part.strip():
                continue
            column, sep, key = part.rpartition("=")
            column, key = column.strip(), key.strip().lower()
            if not sep or not column:
                raise InputError(f"--map: '{part.strip()}' is not Column=key")
            if key not in CSV_KEYS:
                raise InputError(f"--map: unknown key '{key}' (for column '{column}'); "
                                 f"use one of: {', '.join(CSV_KEYS)}")
            mapping[column] = key
    return mapping


def _auto_key(column: str) -> str | None:
    key = "_".join(column.strip().lower().replace("-", " ").split())
    return key if key in CSV_KEYS else None


def read_csv(paths: list[Path], specs: list[str]) -> Source:
    mapping = parse_map(specs)
    source = Source()
    for path in paths:
        lines = _lines(path)
        found = _header_at(lines, lambda cells: any(c.strip() for c in cells))
        if found is None:
            raise InputError(f"{path}: no header line")
        at, delimiter, header = found
        columns: dict[str, str] = {}
        missing = [column for column in mapping if column not in header]
        if missing:
            shown = ", ".join(h for h in header if h)[:200]
            raise InputError(f"{path}:{at + 1}: no column '{missing[0]}' in the header (it has: {shown})")
        for column in header:
            key = mapping.get(column) if mapping else _auto_key(column)
            if key:
                columns[column] = key
        keys = set(columns.values())
        if not keys & {"name", "first_name", "last_name"}:
            raise InputError(
                f"{path}:{at + 1}: no column gives the name; map one, e.g. --map 'Full Name=name' "
                f"(keys: {', '.join(CSV_KEYS)})")
        own = OWN_EXPORT <= set(header)
        for where, row in _rows(path, lines, at, delimiter, header, source):
            if own:
                row = {column: _unguarded(value) for column, value in row.items()}
            person = _mapped_person(where, row, columns, source, keep_others=not own)
            if isinstance(person, Skip):
                source.skipped.append(person)
            else:
                source.people.append(person)
    return source


def _unguarded(cell: str) -> str:
    """A cell of netjournal's CSV export as it was before the formula guard."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def _mapped_person(where: str, row: dict[str, str], columns: dict[str, str], source: Source,
                   *, keep_others: bool = True) -> Person | Skip:
    values: dict[str, list[str]] = {}
    for column, key in columns.items():
        if row.get(column, "").strip():
            values.setdefault(key, []).append(row[column])
    first = lambda key: values.get(key, [""])[0]  # noqa: E731
    name = one_line(first("name")) or one_line(f"{one_line(first('first_name'))} {one_line(first('last_name'))}")
    if not name:
        return Skip(where, "no name")
    fields: dict[str, Any] = {"name": name}
    for key in ("org", "role", "email", "phone", "uid", "why", "offer"):
        value = one_line(first(key))
        if value:
            fields[key] = value
    links = [one_line(v) for v in values.get("links", []) for v in re.split(r"\s+", v) if one_line(v)]
    if links:
        fields["links"] = list(dict.fromkeys(links))
    tags = [one_line(t) for v in values.get("tags", []) for t in split_tags(v) if one_line(t)]
    if tags:
        fields["tags"] = list(dict.fromkeys(tags))
    day = birthday(first("birthday"))
    if day is not None:
        fields["birthday"] = day
    when = one_line(first("connected"))
    if when:
        day = birthday(when)
        if isinstance(day, _dt.date):
            fields["connected"] = day
        elif len(source.notes) < 20:
            source.notes.append(f"{where}: connected {when!r} is not a YYYY-MM-DD date; left out")
    cadence = one_line(first("cadence"))
    if cadence:
        if cadence.isdigit() and int(cadence) > 0:
            fields["cadence"] = int(cadence)
        elif len(source.notes) < 20:
            source.notes.append(f"{where}: cadence {cadence!r} is not a whole number of days; left out")
    extra = {column: multi_line(value) for column, value in row.items()
             if keep_others and column and column not in columns and value.strip()}
    if extra:
        fields["csv"] = extra
    note = "\n\n".join(multi_line(v) for v in values.get("notes", []))
    return Person(where, fields, note)
