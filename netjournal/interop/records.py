"""What a reader gives the planner, and the helpers every reader shares.

A ``Person`` holds the contact keys of the file format (README, "The journal on
disk") as a source gave them: ``name``, ``org``, ``role``, ``email``, ``phone``,
``birthday``, ``links``, ``tags``, ``uid``, ``connected`` and what has no key of its
own (``emails``, ``phones``, ``urls``, ``addresses``, ``dates``, ``org_unit``, ``vcard``), plus the
notes for the body.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as _dt
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netjournal.journal import JournalError

# The order keys are written in a new contact's file: who they are (what differs from
# one contact to the next), then what a new contact starts with, then the rest.
KEY_ORDER = (
    "name", "org", "role", "email", "phone", "birthday", "links", "uid", "connected",
    "tags", "why", "offer", "cadence", "steps", "archived", "source",
    "emails", "phones", "urls", "addresses", "dates", "org_unit", "vcard", "csv",
)
# Keys an import may give a contact (``why``/``offer``/``cadence`` only from a mapped CSV).
PERSON_KEYS = frozenset(KEY_ORDER) - {"steps", "archived", "source"}

MAX_TEXT = 1024 * 1024  # a record's text beyond this is refused (photos are dropped first)


class InputError(JournalError):
    """The input cannot be imported at all (empty, binary, not the format): one line,
    naming the file (and line or row)."""


@dataclass
class Person:
    """One contact as a source gives it."""

    where: str  # "contacts.vcf:12", "Connections.csv row 5"
    fields: dict[str, Any]  # file keys → values (never empty ones)
    note: str = ""  # for the body

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))


@dataclass
class Skip:
    """A record left out: on purpose (``problem`` False: a blank row, no name) or
    because it cannot be read (``problem`` True: reported like a file problem)."""

    where: str
    reason: str
    problem: bool = False


@dataclass
class Source:
    """Everything a reader found in the files it was given."""

    people: list[Person] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "3 photos not stored"


# ---------------------------------------------------------------------- text

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def one_line(value: Any) -> str:
    """A single-line value (a name, an org, an email): control characters and
    escape sequences dropped, every run of white space (line breaks too) one space."""
    text = _CONTROLS.sub("", "" if value is None else str(value))
    return _SPACES.sub(" ", text).strip()


def multi_line(value: Any) -> str:
    """Notes: line breaks kept (as ``\\n``), other control characters dropped."""
    return plain(value).strip("\n")


def plain(value: Any, *, multiline: bool = True) -> str:
    """Text as an export writes it: line breaks as ``\\n`` (spaces for a one-line
    value), tabs kept, other control characters and bidi overrides dropped."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    return _CONTROLS.sub("", text)


def fold(line: str) -> str:
    """A content line of a vCard or an iCalendar file folded at 75 octets (CRLF and a
    space), never inside a UTF-8 character (RFC 6350, RFC 5545)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74
    return "\r\n ".join(parts)


def decode(data: bytes, where: str) -> str:
    """Text of a file in UTF-8 (with or without a BOM), UTF-16 (BOM, or the NUL
    pattern of ASCII in UTF-16), else Windows-1252.  Binary data is an InputError."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", where)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", where)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        # ASCII in UTF-16 without a BOM: every other byte is NUL
        even_nuls = head[0::2].count(0)
        return _strict(data, "utf-16-be" if even_nuls > len(head) // 4 else "utf-16-le", where)
    if b"\x00" in head:
        raise InputError(f"{where}: not a text file (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _strict(data: bytes, encoding: str, where: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}:{line}: not valid {encoding.upper()} text") from None
    return text.removeprefix("\ufeff")


def read_input(path: Path) -> bytes:
    """The bytes of an input file; an empty or unreadable one is an InputError."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(f"{path}: is empty")
    return data


# ---------------------------------------------------------------------- dates

_FULL = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")


def birthday(value: Any) -> _dt.date | str | None:
    """A birthday as the file keeps it: a date (written ``YYYY-MM-DD``), ``--MM-DD``
    for one without a year, or the text as written when it is not a date
    (``circa 1800``, an impossible ``1990-02-30``).  None for nothing."""
    text = one_line(value)
    if not text:
        return None
    match = _FULL.match(text)
    if match:
        try:
            return _dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
    match = _YEARLESS.match(text)
    if match:
        return f"--{int(match[1]):02d}-{int(match[2]):02d}" if _valid_yearless(text) else text
    return text


def broken_date(text: str) -> bool:
    """True for text written as a date that is no date (``1990-02-30``, ``--13-01``):
    the contact form asks again rather than keep it as a text birthday."""
    text = one_line(text)
    if _FULL.match(text):
        return not isinstance(birthday(text), _dt.date)
    if _YEARLESS.match(text):
        return not _valid_yearless(text)
    return False


def _valid_yearless(text: str) -> bool:
    match = _YEARLESS.match(text)
    if not match:
        return False
    month, day = int(match[1]), int(match[2])
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]  # 2000: a leap year


def day_text(value: Any) -> str:
    """A date value as text, for comparing what a file holds with what came in."""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------------- identities


def email_key(value: str) -> str:
    return value.strip().removeprefix("mailto:").strip().lower()


def link_key(value: str) -> str:
    """A profile URL compared without its scheme, ``www.``, case, query or trailing
    slash: ``https://www.linkedin.com/in/Ana/`` and ``linkedin.com/in/ana`` are one."""
    text = value.strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.removeprefix("www.")
    text = re.split(r"[?#]", text, maxsplit=1)[0]
    return text.rstrip("/")


def name_key(value: str) -> str:
    return " ".join(value.casefold().split())


# The namespace of the uids an export gives contacts that have none (a fixed, random
# UUID: the same slug always gives the same uid, in any journal).
UID_NAMESPACE = uuid.UUID("6f1c2b1e-8a3d-4c1a-9a4e-2b7d5e0c9f31")


def derived_uid(slug: str) -> str:
    """The uid an export writes for a contact whose file has none: made from the slug
    (which never changes), so every export gives the same one.  An import that meets it
    again knows the contact by it, and does not write it into the file."""
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, slug)}"
