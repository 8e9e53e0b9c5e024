"""vCard 2.1, 3.0 and 4.0 (``.vcf``: one card per file, or many) into ``Person`` records.

vobject parses each card; a pass over the raw lines first covers what it cannot:

- vCard 2.1's quoted-printable values broken over lines with a soft break (``=`` at
  the end of a line) are joined, decoded, and given to vobject as plain text;
- ``CHARSET=`` other than UTF-8 (ISO-8859-1, Windows-1252, Shift_JIS…) is decoded,
  quoted-printable or 8-bit; a line without one is UTF-8, else Windows-1252;
- ``PHOTO``, ``LOGO`` and ``SOUND`` (base64 or a URI, folded or 2.1's unindented
  base64 ending at a blank line) are dropped before parsing, and counted;
- each card is parsed on its own, so a card that cannot be read is reported with its
  file and line and the others are imported.

What a card holds and the file has no key for is kept in the contact's front matter
(README, "Imported contacts"), so that an export can give it back.
"""

from __future__ import annotations

import codecs
import quopri
import re
from pathlib import Path
from typing import Any, Iterator

from netjournal.interop.records import (
    MAX_TEXT, InputError, Person, Skip, Source, birthday, multi_line, one_line, read_input,
)

PICTURES = frozenset({"PHOTO", "LOGO", "SOUND"})
# Read into keys of their own, or of no use to keep (the revision time, the program).
HANDLED = frozenset({"VERSION", "FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "ADR", "URL", "NOTE",
                     "CATEGORIES", "BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE", "UID", "PRODID", "REV"})
DROPPED_TYPES = frozenset({"internet", "pref"})

# Properties whose value is a list or has parts (their commas and semicolons separate).
# (NICKNAME's commas separate too, but vobject would keep only its first nickname: it
# is read as one text, commas included.)
LISTS = frozenset({"N", "ADR", "ORG", "CATEGORIES", "GEO", "CLIENTPIDMAP", "GENDER"})
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
_PROPERTY = re.compile(rb"^([A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)([;:])")


def read(paths: list[Path]) -> Source:
    """Every card in these files (folders: their ``.vcf`` files, sorted)."""
    source = Source()
    pictures = 0
    named = set(paths)
    for path in expand(paths):
        try:
            pictures += _read_file(path, source)
        except InputError as exc:
            if path in named:
                raise
            # one file of a folder (khard, vdirsyncer: a card per file) that cannot be
            # read at all is reported like an unreadable card; the folder's others come in
            reason = str(exc).removeprefix(f"{path}: ")
            source.skipped.append(Skip(str(path), reason, problem=True))
    if pictures:
        source.notes.append(f"{pictures} photo{'s' if pictures != 1 else ''} not stored (PHOTO, LOGO, SOUND)")
    return source


def expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".vcf", ".vcard") and p.is_file())
            if not found:
                raise InputError(f"{path}: no .vcf files in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def _read_file(path: Path, source: Source) -> int:
    import vobject  # only here: the command line's other commands never pay for it

    data = read_input(path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{path}: not valid UTF-16 text") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in data[:65536]:
        raise InputError(f"{path}: not a text file (it holds NUL bytes)")
    cards = 0
    pictures = 0
    for start, lines, dropped, error in _cards(data):
        cards += 1
        pictures += dropped
        where = f"{path}:{start}"
        if error:
            source.skipped.append(Skip(where, error, problem=True))
            continue
        text = "\n".join(text for _, text in lines) + "\n"  # vobject counts a CRLF as two lines
        if len(text) > MAX_TEXT:
            source.skipped.append(Skip(where, f"the card holds {len(text) / 1048576:.1f} MiB of text "
                                              f"(photos left out); more than {MAX_TEXT // 1048576} MiB is not imported",
                                       problem=True))
            continue
        try:
            card = vobject.readOne(text, ignoreUnreadable=False)
        except Exception as exc:  # vobject raises many kinds for a malformed card
            line = _error_line(exc, lines, start)
            source.skipped.append(Skip(f"{path}:{line}", f"cannot be read: {_reason(exc)}", problem=True))
            continue
        try:
            person = to_person(card, where)
        except Exception as exc:  # a value vobject parsed but could not transform
            source.skipped.append(Skip(where, f"cannot be read: {_reason(exc)}", problem=True))
            continue
        if isinstance(person, Skip):
            source.skipped.append(person)
        else:
            source.people.append(person)
    if cards == 0:
        raise InputError(f"{path}: no vCard in this file (no BEGIN:VCARD line)")
    return pictures


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"^At line \d+: ", "", text)
    return text[:200]


def _error_line(exc: Exception, lines: list[tuple[int, str]], start: int) -> int:
    """The file line of a vobject parse error: the line its message quotes (vobject's
    own line numbers do not count lines one by one)."""
    match = re.search(r"Failed to parse line: (.*)", str(exc), re.DOTALL)
    if match:
        quoted = match[1].strip()
        for at, text in lines:
            if text.strip() == quoted:
                return at
    return start


# ---------------------------------------------------------------------- the raw pass


def _physical(data: bytes) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(data.split(b"\n"), start=1):
        yield number, line.rstrip(b"\r")


def _cards(data: bytes) -> Iterator[tuple[int, list[tuple[int, str]], int, str]]:
    """(first line, [(file line, logical line as text)], pictures dropped, error or '')
    for each BEGIN:VCARD … END:VCARD block."""
    lines = list(_physical(data))
    i = 0
    while i < len(lines):
        number, raw = lines[i]
        if raw.strip().upper() != b"BEGIN:VCARD":
            i += 1
            continue
        start = number
        logical: list[tuple[int, bytes]] = []
        depth = 0
        i += 1
        ended = False
        while i < len(lines):
            number, raw = lines[i]
            upper = raw.strip().upper()
            if upper == b"BEGIN:VCARD":  # a nested card (2.1's AGENT): kept as lines
                depth += 1
            if upper == b"END:VCARD":
                if depth == 0:
                    ended = True
                    i += 1
                    break
                depth -= 1
            if raw[:1] in (b" ", b"\t") and logical:
                # a folded line: its first white space is the fold
                at, text = logical[-1]
                logical[-1] = (at, text + raw[1:])
                i += 1
                continue
            if not raw.strip():
                i += 1
                continue
            joined = raw
            i += 1
            if _is_qp(joined):
                # soft line breaks; a card's END (or BEGIN) line is never a value's
                # continuation: a stray ``=`` at a value's end must not eat the card's
                # end and every card after it
                while (joined.endswith(b"=") and i < len(lines)
                       and lines[i][1].strip().upper() not in (b"END:VCARD", b"BEGIN:VCARD")):
                    joined = joined[:-1] + lines[i][1]
                    i += 1
            elif _is_base64(joined) and _name(joined) in PICTURES:
                # vCard 2.1 base64: continuation lines until a blank line (or a property)
                while i < len(lines) and lines[i][1].strip() and b":" not in lines[i][1]:
                    i += 1
            logical.append((number, joined))
        if not ended:
            yield start, [], 0, "the card has no END:VCARD line"
            continue
        out: list[tuple[int, str]] = [(start, "BEGIN:VCARD")]
        dropped = 0
        error = ""
        for at, raw in logical:
            if _name(raw) in PICTURES:
                dropped += 1
                continue
            try:
                out.append((at, _decode_line(raw)))
            except ValueError as exc:
                error = f"line {at}: {exc}"
                break
        out.append((out[-1][0] + 1 if out else start, "END:VCARD"))
        yield start, out, dropped, error


def _name(raw: bytes) -> str:
    match = _PROPERTY.match(raw)
    return match[2].decode("ascii").upper() if match else ""


def _split(raw: bytes) -> tuple[bytes, bytes]:
    """(name and parameters, value) of a property line: at the first ``:`` outside quotes."""
    quoted = False
    for at, byte in enumerate(raw):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return raw[:at], raw[at + 1:]
    return raw, b""


def _params(head: bytes) -> list[bytes]:
    return [p for p in re.split(rb';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)[1:] if p]


def _is_qp(raw: bytes) -> bool:
    head, _ = _split(raw)
    return any(p.upper() in (b"ENCODING=QUOTED-PRINTABLE", b"QUOTED-PRINTABLE") for p in _params(head))


def _is_base64(raw: bytes) -> bool:
    head, _ = _split(raw)
    return any(p.upper() in (b"ENCODING=BASE64", b"ENCODING=B", b"BASE64") for p in _params(head))


def _decode_line(raw: bytes) -> str:
    """One logical line as UTF-8 text for vobject: quoted-printable decoded (its line
    breaks written as ``\\n``), the CHARSET applied, both parameters removed."""
    head, value = _split(raw)
    params = _params(head)
    charset = None
    qp = False
    kept: list[bytes] = []
    for param in params:
        upper = param.upper()
        if upper in (b"ENCODING=QUOTED-PRINTABLE", b"QUOTED-PRINTABLE"):
            qp = True
        elif upper.startswith(b"CHARSET="):
            charset = param[8:].strip(b'"').decode("ascii", "replace")
        else:
            kept.append(param)
    if qp:
        value = quopri.decodestring(value)
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            raise ValueError(f"unknown CHARSET {charset!r}") from None
        text = value.decode(charset, "replace")
    else:
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = value.decode("cp1252", "replace")
    if qp:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    name = head.split(b";", 1)[0].decode("utf-8", "replace")
    if name.rpartition(".")[2].upper() not in LISTS:
        # vobject keeps only the first of the comma-separated values of a text
        # property; cards often leave a comma in a note or a name unescaped
        text = _UNESCAPED_COMMA.sub(r"\\,", text)
    rest = b"".join(b";" + p for p in kept).decode("utf-8", "replace")
    return f"{name}{rest}:{text}"


# ---------------------------------------------------------------------- card → person


NOT_PREFERRED = 101  # RFC 6350's PREF runs from 1 (most preferred) to 100


def _types(line: Any) -> tuple[list[str], int]:
    """A property's types (lower-case, without ``internet`` and ``pref``) and how
    preferred it is: 4.0's ``PREF=n``, else 1 for 3.0's ``TYPE=pref`` (or 2.1's bare
    ``PREF``), else ``NOT_PREFERRED``."""
    found: list[str] = []
    rank = NOT_PREFERRED
    for key, values in line.params.items():
        if key.upper() == "TYPE":
            for value in values:
                for part in str(value).split(","):
                    part = part.strip().strip('"').lower()
                    if part == "pref":
                        rank = min(rank, 1)
                    elif part and part not in DROPPED_TYPES and part not in found:
                        found.append(part)
        elif key.upper() == "PREF":
            for value in values or ["1"]:
                text = str(value).strip().strip('"')
                rank = min(rank, int(text) if text.isdigit() and 0 < int(text) < NOT_PREFERRED else 1)
    for single in getattr(line, "singletonparams", []):  # 2.1: EMAIL;WORK;PREF:…
        part = str(single).strip().lower()
        if part == "pref":
            rank = min(rank, 1)
        elif part and part not in DROPPED_TYPES and part not in found and "=" not in part:
            found.append(part)
    return found, rank


def _typed(lines: list[Any], labels: dict[str, Any], used: set[int], strip: str = "", *,
           keep_pref: bool = False) -> list[dict[str, str]]:
    """Emails, phones or URLs with their types and their label (Apple's
    ``itemN.X-ABLabel`` of the same group), the most preferred first (in the card's
    order among equals).  ``keep_pref``: a preferred one keeps ``pref`` among its
    types (URLs: ``links`` has no key for the preferred one)."""
    items: list[tuple[int, dict[str, str]]] = []
    for line in lines:
        value = one_line(line.value)
        if strip and value.lower().startswith(strip):
            value = value[len(strip):]
        if not value:
            continue
        types, rank = _types(line)
        if keep_pref and rank < NOT_PREFERRED:
            types.append("pref")
        item = {"type": ",".join(types)} if types else {}
        label = _group_label(line, labels, used)
        if label:
            item["label"] = label
        item["value"] = value
        items.append((rank, item))
    items.sort(key=lambda pair: pair[0])  # stable: the card's order among equals
    unique: list[dict[str, str]] = []
    for _, item in items:
        if all(item["value"] != seen["value"] for seen in unique):
            unique.append(item)
    return unique


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _name_parts(n: Any) -> list[str]:
    return [one_line(_text(getattr(n, part, ""))) for part in ("family", "given", "additional", "prefix", "suffix")]


def derived_n(name: str) -> list[str]:
    """The N an export makes from a name alone: the last word the family name."""
    words = name.split()
    if len(words) < 2:
        return ["", name, "", "", ""]
    return [words[-1], " ".join(words[:-1]), "", "", ""]


def to_person(card: Any, where: str) -> Person | Skip:
    contents: dict[str, list[Any]] = {}
    for line in card.lines():
        contents.setdefault(line.name.upper(), []).append(line)

    def first(name: str) -> Any:
        lines = contents.get(name)
        return lines[0].value if lines else None

    n_parts = _name_parts(first("N")) if "N" in contents else None
    name = one_line(first("FN"))
    if not name and n_parts:
        family, given, additional, prefix, suffix = n_parts
        name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
    if not name:
        return Skip(where, "no name (neither FN nor N)")
    fields: dict[str, Any] = {"name": name}
    bag: dict[str, Any] = {}
    if n_parts and n_parts != derived_n(name):
        bag["N"] = ";".join(n_parts)
    org = first("ORG")
    if org is not None:
        parts = [one_line(p) for p in (org if isinstance(org, list) else [org])]
        if parts and parts[0]:
            fields["org"] = parts[0]
        units = [p for p in parts[1:] if p]
        if units:
            fields["org_unit"] = units
    role = one_line(first("TITLE"))
    if role:
        fields["role"] = role
    # Apple's labels: itemN.EMAIL (TEL, URL, X-ABDATE) with an itemN.X-ABLabel
    labels = {line.group.upper(): line for line in contents.get("X-ABLABEL", []) if line.group}
    used: set[int] = set()
    emails = _typed(contents.get("EMAIL", []), labels, used, "mailto:")
    if emails:
        fields["email"] = emails[0]["value"]
        if len(emails) > 1 or len(emails[0]) > 1:
            fields["emails"] = emails
    phones = _typed(contents.get("TEL", []), labels, used, "tel:")
    if phones:
        fields["phone"] = phones[0]["value"]
        if len(phones) > 1 or len(phones[0]) > 1:
            fields["phones"] = phones
    addresses = []
    for line in contents.get("ADR", []):
        address: dict[str, str] = {}
        types, _ = _types(line)
        if types:
            address["type"] = ",".join(types)
        for part, key in (("box", "pobox"), ("extended", "extended"), ("street", "street"),
                          ("city", "locality"), ("region", "region"), ("code", "code"),
                          ("country", "country")):
            text = multi_line(_text(getattr(line.value, part, "")))
            if text:
                address[key] = text
        label = line.params.get("LABEL")
        if label:
            address["label"] = multi_line(str(label[0]).replace("\\n", "\n"))
        if len(address) > ("type" in address):
            addresses.append(address)
    if addresses:
        fields["addresses"] = addresses
    urls = _typed(contents.get("URL", []), labels, used, keep_pref=True)
    if urls:
        fields["links"] = [url["value"] for url in urls]
        typed = [url for url in urls if len(url) > 1]
        if typed:
            fields["urls"] = typed
    tags: list[str] = []
    for line in contents.get("CATEGORIES", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        for tag in values:
            tag = one_line(tag)
            if tag and tag not in tags:
                tags.append(tag)
    if tags:
        fields["tags"] = tags
    if "BDAY" in contents:
        day = birthday(_omit_year(contents["BDAY"][0]))
        if day is not None:
            fields["birthday"] = day
    dates: list[dict[str, Any]] = []
    for key in ("ANNIVERSARY", "X-ANNIVERSARY"):
        for line in contents.get(key, []):
            day = birthday(_text(line.value))
            if day is not None:
                dates.append({"label": "anniversary", "date": day})
    # Apple's labelled dates (and an export's): item1.X-ABDATE with item1.X-ABLABEL
    for line in contents.get("X-ABDATE", []):
        day = birthday(_omit_year(line))
        if day is None:
            continue
        item: dict[str, Any] = {}
        label = _group_label(line, labels, used)
        if label:
            item["label"] = label
        item["date"] = day
        dates.append(item)
    if dates:
        fields["dates"] = dates
    uid = one_line(first("UID"))
    if uid:
        fields["uid"] = uid
    note = "\n\n".join(multi_line(_text(line.value)) for line in contents.get("NOTE", []))
    for key, lines in contents.items():
        if key in HANDLED:
            continue
        for line in lines:
            if id(line) in used:
                continue
            label = _bag_key(line)
            value = multi_line(_text(line.value))
            if label in bag:
                existing = bag[label]
                bag[label] = (existing if isinstance(existing, list) else [existing]) + [value]
            else:
                bag[label] = value
    if bag:
        fields["vcard"] = bag
    return Person(where, fields, note.strip("\n"))


def _omit_year(line: Any) -> str:
    """A date property's text, with Apple's year 1604 ("no year") as ``--MM-DD``."""
    text = _text(line.value)
    omit = line.params.get("X-APPLE-OMIT-YEAR")
    if omit and text.startswith(str(omit[0])):
        text = "--" + text[len(str(omit[0])):].lstrip("-")
    return text


def _group_label(line: Any, labels: dict[str, Any], used: set[int]) -> str:
    """The label Apple gives ``line`` (``item1.X-ABLabel`` beside ``item1.EMAIL``), marked
    as used; "" when it has none."""
    named = labels.get(line.group.upper()) if line.group else None
    if named is None:
        return ""
    used.add(id(named))
    return _apple_label(one_line(_text(named.value)))


def _apple_label(text: str) -> str:
    """``_$!<Anniversary>!$_`` (Apple's own labels) → ``anniversary``; others as written."""
    match = re.fullmatch(r"_\$!<(.*)>!\$_", text)
    return match[1].lower() if match else text


def _bag_key(line: Any) -> str:
    """``item1.X-ABLABEL;TYPE=x``: the property as the card named it, parameters included."""
    name = line.name.upper()
    if line.group:
        name = f"{line.group}.{name}"
    for key, values in line.params.items():
        name += f";{key}={','.join(str(v) for v in values)}"
    for single in getattr(line, "singletonparams", []):
        name += f";{single}"
    return name
