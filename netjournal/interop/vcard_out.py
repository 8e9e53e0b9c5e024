"""Contacts out as vCard 4.0 (RFC 6350) or 3.0 (RFC 2426): one file, a card per contact.

Written by hand rather than through vobject, which has no vCard 4.0 behaviour and would
re-order, re-escape and re-fold what it writes: here every byte is decided, so that an
export imported into an empty journal and exported again is the same file but for
``REV``.  vobject is the independent reader the tests parse every export with.

A card gives back every key the contact has, and what an import kept that has no key
of its own (README, "Imported contacts"):

- ``FN`` the name; ``N`` from the card's own ``N`` (``vcard: {N: …}``) while its family
  name is still in the name, else made from the name (the last word the family name);
- ``ORG`` (``org`` and ``org_unit``), ``TITLE`` (``role``);
- ``EMAIL``/``TEL``: ``email``/``phone`` first, as the preferred one, with the type its
  entry in ``emails``/``phones`` has, then the other entries with theirs; an entry's
  ``label`` as Apple's ``itemN.X-ABLABEL`` of the property's group;
- ``ADR`` (``addresses``, ``LABEL`` as a parameter), ``URL`` (``links``, each with the
  types and label of its entry in ``urls``), ``CATEGORIES`` (``tags``), ``NOTE`` (the
  notes);
- ``BDAY``; ``dates``: the first one labelled ``anniversary`` as ``ANNIVERSARY`` (3.0:
  ``X-ANNIVERSARY``), every other as Apple's ``itemN.X-ABDATE`` with its
  ``itemN.X-ABLABEL`` (the label), which the import reads back into ``dates``;
- ``UID``: the contact's ``uid``, else one made from the slug (``records.derived_uid``);
- each property kept under ``vcard:`` as the card named it; ``REV`` the file's time.

Text is escaped as the RFCs say (``\\\\``, ``\\,``, ``\\;``, ``\\n``), lines are folded at
75 octets without cutting a UTF-8 character, and control characters other than tab and
line breaks are left out (a card cannot carry them).  A value that is not a date is
written as text (``BDAY;VALUE=text:circa 1815``), never refused.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable, Iterable

from netjournal.interop.records import derived_uid, fold
from netjournal.interop.records import plain as _plain
from netjournal.interop.vcard import HANDLED, PICTURES, derived_n
from netjournal.model import as_list, as_text, yearly_date

VERSIONS = ("4.0", "3.0")
PRODID = "-//netjournal//netjournal//EN"

_TYPE = re.compile(r"[^A-Za-z0-9-]")
_BAG_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)$")
_PARAM = re.compile(r'^([A-Za-z0-9-]+)(?:=(.*))?$', re.DOTALL)
_ITEM = re.compile(r"^item(\d+)\.", re.IGNORECASE)
# Properties a card keeps under ``vcard:`` whose ``;`` (GENDER, CLIENTPIDMAP: parts) or
# ``,`` (NICKNAME: a list) separate values: written as such, not escaped.  GEO is kept
# as the card wrote it (vobject does not decode it) and written back the same.
_PARTS = frozenset({"GENDER", "CLIENTPIDMAP"})
# Apple's own labels, which the import reads as ``_$!<HomePage>!$_`` → ``homepage``:
# written back in Apple's form, so that Apple shows them in the reader's language.
APPLE_LABELS = {label.lower(): label for label in (
    "HomePage", "Home", "Work", "Other", "Main", "Mobile", "iPhone", "HomeFAX", "WorkFAX", "OtherFAX",
    "Pager", "School", "Anniversary")}
_LIST = frozenset({"NICKNAME"})
_RAW = frozenset({"GEO"})
NOT_FROM_BAG = HANDLED | PICTURES | {"BEGIN", "END"}


def plain(value: Any, *, multiline: bool = True) -> str:
    """Text as a card can carry it: line breaks as ``\\n`` (or, for one-line values,
    spaces), control characters left out."""
    return _plain(as_text(value), multiline=multiline)


def escape(value: Any, *, keep: str = "") -> str:
    """RFC 6350 text escaping: backslash, comma, semicolon and line break; the
    characters in ``keep`` are left as they are (they separate values there)."""
    text = plain(value).replace("\\", "\\\\")
    for char in ";,":
        if char not in keep:
            text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def types(value: Any) -> list[str]:
    """A stored type (``cell,voice``) as the tokens a parameter may hold."""
    found = []
    for part in as_text(value).split(","):
        part = _TYPE.sub("", part).lower()
        if part and part not in found:
            found.append(part)
    return found


def date_value(text: str, version: str) -> tuple[str, str]:
    """(parameters, value) of a date property: ``19900415``/``--0415`` (4.0),
    ``1990-04-15``/``--04-15`` (3.0), or ``;VALUE=text`` and the text as written."""
    date = yearly_date(text)
    if date is None:
        return ";VALUE=text", escape(text)
    compact = version == "4.0"
    month_day = f"{date.month:02d}{date.day:02d}" if compact else f"{date.month:02d}-{date.day:02d}"
    if date.year is None:
        return "", f"--{month_day}"
    return "", f"{date.year:04d}{month_day}" if compact else f"{date.year:04d}-{month_day}"


class _Card:
    def __init__(self, version: str) -> None:
        self.version = version
        self.lines: list[str] = []

    def add(self, name: str, value: str, params: str = "") -> None:
        self.lines.append(fold(f"{name}{params}:{value}"))

    def typed(self, name: str, value: str, kinds: list[str], preferred: bool, label: str = "",
              group: Callable[[], str] | None = None) -> None:
        """A typed property; with a ``label``, in a group of its own (``group()``
        gives the next ``itemN.``) followed by that group's ``X-ABLABEL``."""
        prefix = group() if label and group is not None else ""
        params = ""
        if self.version == "4.0":
            if kinds:
                params += ";TYPE=" + ",".join(kinds)
            if preferred:
                params += ";PREF=1"
        else:
            kinds = kinds + (["pref"] if preferred else [])
            if kinds:
                params += ";TYPE=" + ",".join(kinds)
        self.add(prefix + name, escape(value), params)
        if prefix:
            self.add(prefix + "X-ABLABEL", escape(apple_label(label)))


def apple_label(label: str) -> str:
    """A label as ``X-ABLABEL`` writes it: Apple's own (``homepage``) in Apple's form."""
    own = APPLE_LABELS.get(label)
    return f"_$!<{own}>!$_" if own else label


def _entries(entries: Any) -> list[tuple[str, list[str], str]]:
    """(value, types, label) of each entry of ``emails`` (``phones``, ``urls``)."""
    listed: list[tuple[str, list[str], str]] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            value, kinds = plain(entry.get("value"), multiline=False).strip(), types(entry.get("type"))
            label = plain(entry.get("label") or "", multiline=False).strip()
        else:
            value, kinds, label = plain(entry, multiline=False).strip(), [], ""
        if value and all(value != seen for seen, _, _ in listed):
            listed.append((value, kinds, label))
    return listed


def _typed_entries(main: str, entries: Any) -> list[tuple[str, list[str], str]]:
    """(value, types, label) for ``email`` (``phone``) and the entries of ``emails``
    (``phones``): the main value first, with the types of its entry, then the rest."""
    listed = _entries(entries)
    main = plain(main, multiline=False).strip()
    if not main:
        return listed
    own = next(((kinds, label) for value, kinds, label in listed if value == main), ([], ""))
    return [(main, *own)] + [entry for entry in listed if entry[0] != main]


def _n_value(name: str, bag: dict[str, Any]) -> list[str]:
    """The card's own N while its family name (or, without one, its given name) is
    still in the name; else N made from the name."""
    kept = bag.get("N")
    if isinstance(kept, str):
        parts = (kept.split(";") + [""] * 5)[:5]
        key = parts[0] or parts[1]
        words = {w.casefold() for w in name.split()}
        if key and all(w.casefold() in words for w in key.split()):
            return parts
    return derived_n(" ".join(name.split()))


def _bag_lines(card: _Card, bag: dict[str, Any]) -> None:
    for key, value in bag.items():
        head, params = _bag_head(str(key))
        if head is None:
            continue
        match = _BAG_NAME.match(head)
        assert match is not None
        name = match[1].upper()
        if name in NOT_FROM_BAG:
            continue
        values = value if isinstance(value, list) else [value]
        for one in values:
            if isinstance(one, (dict, list)) or one is None:
                continue
            if name in _RAW:
                text = plain(one, multiline=False)
            else:
                text = escape(one, keep=";" if name in _PARTS else "," if name in _LIST else "")
            card.add(head, text, params)


def _bag_head(key: str) -> tuple[str | None, str]:
    """(group.NAME, ;parameters) of a key under ``vcard:``, parameter values quoted
    where they need it; (None, '') for a key that is not a property name."""
    pieces = _split_params(key)
    head = pieces[0]
    if not _BAG_NAME.match(head):
        return None, ""
    params = ""
    for piece in pieces[1:]:
        match = _PARAM.match(piece)
        if not match:
            return None, ""
        name, value = match[1], match[2]
        if value is None:
            params += f";{name}"
            continue
        value = plain(value, multiline=False).replace('"', "")
        params += f";{name}=" + (f'"{value}"' if re.search(r"[:;]", value) else value)
    return head, params


def _split_params(key: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in key:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _stamp(when: _dt.datetime, version: str) -> str:
    when = when.astimezone(_dt.timezone.utc)
    return when.strftime("%Y%m%dT%H%M%SZ" if version == "4.0" else "%Y-%m-%dT%H:%M:%SZ")


def card(contact: Any, meta: dict[str, Any], body: str, modified: _dt.datetime, version: str = "4.0") -> str:
    """One contact as a vCard (CRLF line ends)."""
    out = _Card(version)
    bag = meta.get("vcard") if isinstance(meta.get("vcard"), dict) else {}
    out.lines.append("BEGIN:VCARD")
    out.add("VERSION", version)
    out.add("PRODID", PRODID)
    out.add("UID", escape(contact.uid or derived_uid(contact.slug)))
    out.add("FN", escape(contact.name))
    out.add("N", ";".join(escape(part) for part in _n_value(contact.name, bag)))
    units = [plain(u, multiline=False) for u in as_list(meta.get("org_unit"))]
    if contact.org or units:
        out.add("ORG", ";".join(escape(part) for part in [contact.org, *units]))
    if contact.role:
        out.add("TITLE", escape(contact.role))
    # the groups of what has a label (X-ABLABEL) are numbered after the card's own
    number = max((int(m[1]) for m in (_ITEM.match(str(key)) for key in bag) if m), default=0)

    def group() -> str:
        nonlocal number
        number += 1
        return f"item{number}."

    for name, main, key in (("EMAIL", contact.email, "emails"), ("TEL", contact.phone, "phones")):
        entries = _typed_entries(main, meta.get(key))
        for index, (value, kinds, label) in enumerate(entries):
            out.typed(name, value, kinds, index == 0 and len(entries) > 1, label, group)
    for address in meta.get("addresses") or []:
        if not isinstance(address, dict):
            continue
        parts = [escape(address.get(part, "") or "") for part in
                 ("pobox", "extended", "street", "locality", "region", "code", "country")]
        params = ""
        kinds = types(address.get("type"))
        if kinds:
            params += ";TYPE=" + ",".join(kinds)
        label = plain(address.get("label") or "").replace('"', "").replace("\n", "\\n")
        if label:
            params += f';LABEL="{label}"'
        out.add("ADR", ";".join(parts), params)
    typed = {value: (kinds, label) for value, kinds, label in _entries(meta.get("urls"))}
    for link in contact.links:
        # escaped as text: readers (vobject among them) split an URL at a bare comma
        link = plain(link, multiline=False)
        kinds, label = typed.get(link.strip(), ([], ""))
        out.typed("URL", link, [k for k in kinds if k != "pref"], "pref" in kinds, label, group)
    if contact.birthday:
        params, value = date_value(contact.birthday, version)
        out.add("BDAY", value, params)
    anniversary = False
    labelled: list[tuple[str, str]] = []
    for label, day in contact.dates:
        if label == "anniversary" and not anniversary:
            anniversary = True
            params, value = date_value(day, version)
            out.add("ANNIVERSARY" if version == "4.0" else "X-ANNIVERSARY", value, params)
        else:
            labelled.append((label, day))
    for label, day in labelled:
        item = group()
        _, value = date_value(day, "3.0")  # Apple writes these as 1990-04-15
        out.add(f"{item}X-ABDATE", value if yearly_date(day) else escape(day))
        if label:
            out.add(f"{item}X-ABLABEL", escape(apple_label(label)))
    if contact.tags:
        out.add("CATEGORIES", ",".join(escape(tag) for tag in contact.tags))
    note = plain(body).strip("\n")
    if note.strip():
        out.add("NOTE", escape(note))
    _bag_lines(out, {k: v for k, v in bag.items() if k != "N"})
    out.add("REV", _stamp(modified, version))
    out.lines.append("END:VCARD")
    return "\r\n".join(out.lines) + "\r\n"


def cards(items: Iterable[tuple[Any, dict[str, Any], str, _dt.datetime]], version: str = "4.0") -> bytes:
    """Every card, one after the other, as the bytes of a ``.vcf`` file (UTF-8)."""
    return "".join(card(contact, meta, body, modified, version) for contact, meta, body, modified in items).encode("utf-8")
