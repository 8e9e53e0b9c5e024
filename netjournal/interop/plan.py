"""Match what came in with the journal, say what would happen, then do it.

A person is the journal's contact when, in this order: the ``uid`` is the same; an
email is the same (any of either side's, case ignored); a profile URL is the same
(scheme, ``www.``, case and a trailing slash ignored); or the name is the same (case
and spacing ignored) and the orgs are the same or one side has none -- unless the two
have different uids, or profile URLs and none in common (two people of one name,
told apart).  A contact matched by name is not matched by name again in the same
import.  A person who matches one already planned as new in this import (by uid, email
or URL) is merged into it.

Nothing the journal holds is overwritten: a match only fills keys its file leaves
empty (``source`` is never added to a contact you made); a value that differs is
listed as a difference.  Re-running an import therefore changes nothing.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable

from netjournal.interop.records import (
    KEY_ORDER, MAX_TEXT, Person, Skip, Source, day_text, derived_uid, email_key, link_key, name_key, one_line,
)
from netjournal.journal import Journal, JournalError, is_empty
from netjournal.model import DEFAULT_CADENCE, STEP_KEYS, Contact

NEW, UPDATE, UNCHANGED, SKIP = "new", "update", "unchanged", "skip"
# The contact keys the index knows: a match that brings only these is decided
# without reading the contact's file (a re-import of 5,000 LinkedIn rows reads none).
INDEXED = ("name", "org", "role", "email", "phone", "birthday", "links", "tags", "uid", "connected",
           "why", "offer", "cadence")
NEVER_FILLED = frozenset({"source", "name"})
FRONT_MATTER_ROOM = 60 * 1024  # under the 64 KiB a file's front matter may hold


@dataclass
class Difference:
    key: str
    yours: str
    theirs: str

    def to_json(self) -> dict[str, str]:
        return {"key": self.key, "yours": self.yours, "theirs": self.theirs}


@dataclass
class Item:
    """One line of the plan: what happens to one record of the input."""

    action: str
    where: str
    name: str  # the contact's name, or the reflection's title
    kind: str = "contact"  # or "reflection"
    slug: str | None = None  # the contact matched (or created)
    path: str | None = None  # the file written or matched
    matched_by: str = ""
    keys: list[str] = field(default_factory=list)  # written: all (new) or those filled (update)
    differences: list[Difference] = field(default_factory=list)
    reason: str = ""  # for a skip
    problem: bool = False  # a skip because the record cannot be read
    meta: dict[str, Any] = field(default_factory=dict, repr=False)  # new: the front matter; update: the fill
    body: str = field(default="", repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "kind": self.kind, "where": self.where, "name": self.name,
            "slug": self.slug, "path": self.path, "matched_by": self.matched_by or None,
            "keys": list(self.keys), "differences": [d.to_json() for d in self.differences],
            "reason": self.reason or None,
        }


@dataclass
class Plan:
    format: str
    source: str  # the label written as ``source:``
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def problems(self) -> list[Item]:
        return [item for item in self.items if item.problem]

    @property
    def to_write(self) -> list[Item]:
        return [item for item in self.items if item.action in (NEW, UPDATE)]

    def summary(self) -> str:
        what = "reflection" if self.format == "jrnl" else "contact"
        parts = [f"{self.count(NEW)} new", f"{self.count(UPDATE)} updated", f"{self.count(UNCHANGED)} unchanged",
                 f"{self.count(SKIP)} skipped"]
        text = ", ".join(parts)
        if self.problems:
            text += f" ({len(self.problems)} could not be read)"
        differences = sum(1 for item in self.items if item.differences)
        if differences:
            text += f"; {differences} {what}{'s' if differences != 1 else ''} with differences (yours kept)"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format, "source": self.source, "applied": self.applied,
            "counts": {"new": self.count(NEW), "updated": self.count(UPDATE),
                       "unchanged": self.count(UNCHANGED), "skipped": self.count(SKIP),
                       "problems": len(self.problems)},
            "items": [item.to_json() for item in self.items],
            "notes": list(self.notes),
        }


def source_label(fmt: str, today: _dt.date) -> str:
    return f"{fmt} {today.isoformat()}"


def skip_item(skip: Skip, kind: str = "contact") -> Item:
    return Item(SKIP, skip.where, "", kind=kind, reason=skip.reason, problem=skip.problem)


# ---------------------------------------------------------------------- comparing


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return day_text(value)


def _values(value: Any) -> list[str]:
    """Comparable pieces of a list value (``emails``' items by their ``value``)."""
    if not isinstance(value, list):
        value = [] if is_empty(value) else [value]
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append(one_line(item.get("value")) if "value" in item else repr(sorted(
                (k, day_text(v)) for k, v in item.items())))
        else:
            out.append(day_text(item))
    return out


def same(key: str, yours: Any, theirs: Any) -> bool:
    """Whether what came in says nothing the file does not already say."""
    if key in ("email", "emails"):
        mine = {email_key(v) for v in _values(yours)}
        return {email_key(v) for v in _values(theirs)} <= mine
    if key == "links":
        return {link_key(v) for v in _values(theirs)} <= {link_key(v) for v in _values(yours)}
    if key in ("vcard", "csv") and isinstance(yours, dict) and isinstance(theirs, dict):
        return all(_values(yours.get(k)) == _values(v) for k, v in theirs.items())
    if isinstance(theirs, list) or isinstance(yours, list):
        return {v.casefold() for v in _values(theirs)} <= {v.casefold() for v in _values(yours)}
    if key == "cadence":
        return str(yours) == str(theirs)
    return " ".join(day_text(yours).casefold().split()) == " ".join(day_text(theirs).casefold().split())


class _Current:
    """A matched contact's front matter and notes: from the index when that is
    enough, from its file when the person brings keys the index does not keep."""

    def __init__(self, journal: Journal, contact: Contact) -> None:
        self.journal = journal
        self.contact = contact
        self.meta: dict[str, Any] | None = None
        self.body: str | None = None
        self.filled: dict[str, Any] = {}  # planned by earlier items of this import
        self.body_filled = False

    def _load(self) -> None:
        if self.meta is None:
            entry = self.journal.load_contact(self.contact.slug)
            self.meta = dict(entry.doc.meta)  # type: ignore[union-attr]
            self.body = entry.doc.body  # type: ignore[union-attr]

    def get(self, key: str) -> Any:
        if key in self.filled:
            return self.filled[key]
        if key in INDEXED and self.meta is None:
            value = getattr(self.contact, key)
            return value
        self._load()
        assert self.meta is not None
        return self.meta.get(key)

    def notes(self) -> str:
        self._load()
        return self.body or ""


# ---------------------------------------------------------------------- contacts


def plan_contacts(journal: Journal, source: Source, fmt: str, label: str) -> Plan:
    """What importing these people would do to the journal; writes nothing."""
    plan = Plan(fmt, label, notes=list(source.notes))
    contacts = journal.contacts(include_archived=True)
    by_uid: dict[str, list[Contact]] = {}
    by_email: dict[str, list[Contact]] = {}
    by_link: dict[str, list[Contact]] = {}
    by_name: dict[str, list[Contact]] = {}
    for contact in sorted(contacts, key=lambda c: c.path):
        # a contact without a uid is known by the one an export gave it
        by_uid.setdefault(contact.uid or derived_uid(contact.slug), []).append(contact)
        for email in [contact.email, *contact.emails]:
            if email:
                by_email.setdefault(email_key(email), []).append(contact)
        for link in contact.links:
            by_link.setdefault(link_key(link), []).append(contact)
        by_name.setdefault(name_key(contact.name), []).append(contact)
    current: dict[str, _Current] = {}
    claimed: set[str] = set()
    planned_uid: dict[str, Item] = {}
    planned_email: dict[str, Item] = {}
    planned_link: dict[str, Item] = {}
    today = journal.today
    default_cadence = journal.default_cadence or DEFAULT_CADENCE
    for person in source.people:
        fields = person.fields
        if str(fields.get("cadence")) == str(default_cadence):
            # the journal's own (a CSV export writes each contact's cadence in effect):
            # writing it would pin the contact to it when the journal's default changes
            del fields["cadence"]
        emails = [fields.get("email", ""), *[e.get("value", "") for e in fields.get("emails", [])]]
        email_keys = [email_key(e) for e in emails if e]
        link_keys = [link_key(link) for link in fields.get("links", [])]
        uid = fields.get("uid", "")
        match: Contact | None = None
        by = ""
        if uid and uid in by_uid:
            match, by = by_uid[uid][0], "uid"
        if match is None:
            match = next((by_email[k][0] for k in email_keys if k in by_email), None)
            by = "email" if match else by
        if match is None:
            match = next((by_link[k][0] for k in link_keys if k in by_link), None)
            by = "link" if match else by
        if match is None:
            for candidate in by_name.get(name_key(person.name), []):
                if candidate.slug in claimed or _different_people(candidate, fields):
                    continue
                org, theirs = name_key(candidate.org), name_key(fields.get("org", ""))
                if org == theirs or not org or not theirs:
                    match, by = candidate, "name and org" if org and theirs else "name"
                    break
        if match is not None:
            claimed.add(match.slug)
            state = current.setdefault(match.slug, _Current(journal, match))
            plan.items.append(_update(person, match, by, state))
            continue
        earlier = planned_uid.get(uid) if uid else None
        earlier = earlier or next((planned_email[k] for k in email_keys if k in planned_email), None)
        earlier = earlier or next((planned_link[k] for k in link_keys if k in planned_link), None)
        if earlier is not None:
            plan.items.append(_merge(person, earlier))
            continue
        item = _new(person, label, today)
        plan.items.append(item)
        if item.action == NEW:
            if uid:
                planned_uid.setdefault(uid, item)
            for key in email_keys:
                planned_email.setdefault(key, item)
            for key in link_keys:
                planned_link.setdefault(key, item)
    plan.items.extend(skip_item(skip) for skip in source.skipped)
    return plan


def _different_people(contact: Contact, fields: dict[str, Any]) -> bool:
    """Two of one name told apart: different uids, or profile URLs with none in common."""
    uid = fields.get("uid", "")
    if uid and contact.uid and uid != contact.uid:
        return True
    theirs = {link_key(link) for link in fields.get("links", [])}
    mine = {link_key(link) for link in contact.links}
    return bool(theirs and mine and not theirs & mine)


def _new(person: Person, label: str, today: _dt.date) -> Item:
    fields = person.fields
    meta: dict[str, Any] = {}
    for key in KEY_ORDER:
        if key in ("why", "offer"):
            meta[key] = fields.get(key) or None
        elif key == "tags":
            meta[key] = list(fields.get("tags", []))
        elif key == "steps":
            meta[key] = {step: None for step in STEP_KEYS}
            for step in ("why", "offer"):  # as when you add a contact: writing it is the step
                if fields.get(step):
                    meta[key][step] = today
        elif key == "archived":
            meta[key] = False
        elif key == "source":
            meta[key] = label
        elif key in fields and not is_empty(fields[key]):
            meta[key] = fields[key]
    item = Item(NEW, person.where, person.name, meta=meta, body=_body(person.note),
                keys=[k for k in meta if not is_empty(meta[k]) and k not in ("steps", "archived")])
    if len(person.note) > MAX_TEXT:
        return _too_large(item, f"its notes are {len(person.note) / 1048576:.1f} MiB")
    if len(repr(meta)) > FRONT_MATTER_ROOM // 2:  # only then is it worth dumping to measure
        from netjournal.store.frontmatter import dump_meta

        size = len(dump_meta(meta).encode("utf-8"))
        if size > FRONT_MATTER_ROOM:
            return _too_large(item, f"its fields need {size // 1024} KiB of front matter")
    return item


def _too_large(item: Item, why: str) -> Item:
    item.action, item.problem, item.meta, item.body = SKIP, True, {}, ""
    item.reason = f"too large to keep in a contact file: {why}"
    return item


def _body(note: str) -> str:
    return note.strip("\n") + "\n" if note.strip() else ""


def _update(person: Person, contact: Contact, by: str, state: _Current) -> Item:
    item = Item(UNCHANGED, person.where, person.name, slug=contact.slug, path=contact.path, matched_by=by)
    for key, theirs in person.fields.items():
        if key in NEVER_FILLED and key != "name":
            continue
        if key == "uid" and theirs == derived_uid(contact.slug):
            continue  # the uid an export made for this contact: it is who they are already
        yours = state.get(key)
        if key == "email" and not is_empty(yours):
            # the index keeps the addresses under ``emails`` too: no need to read the file
            others = state.contact.emails if state.meta is None and "emails" not in state.filled \
                else _values(state.get("emails"))
            known = [yours, *others]
            if any(same(key, mine, theirs) for mine in known):
                continue
        if key == "name":
            if not same(key, yours, theirs):
                item.differences.append(Difference(key, _text(yours), _text(theirs)))
            continue
        if is_empty(yours):
            item.meta[key] = theirs
            state.filled[key] = theirs
        elif not same(key, yours, theirs):
            item.differences.append(Difference(key, _text(yours), _text(theirs)))
    note = person.note.strip()
    if note:
        notes = state.notes()
        if not notes.strip() and not state.body_filled:
            item.body = _body(note)
            state.body_filled = True
        elif " ".join(note.split()) not in " ".join(notes.split()):
            item.differences.append(Difference("notes", _short(notes), _short(note)))
    item.keys = list(item.meta) + (["body"] if item.body else [])
    if item.keys:
        item.action = UPDATE
    return item


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _merge(person: Person, earlier: Item) -> Item:
    """A second record of someone this import already makes: what it adds goes into
    the new contact, what differs is listed."""
    item = Item(SKIP, person.where, person.name, reason=f"the same person as {earlier.where}; merged there")
    for key, theirs in person.fields.items():
        yours = earlier.meta.get(key)
        if key == "name":
            if not same(key, yours, theirs):
                item.differences.append(Difference(key, _text(yours), _text(theirs)))
        elif is_empty(yours):
            earlier.meta[key] = theirs
            earlier.keys.append(key)
        elif not same(key, yours, theirs):
            item.differences.append(Difference(key, _text(yours), _text(theirs)))
    if person.note.strip() and not earlier.body:
        earlier.body = _body(person.note)
    earlier.meta = {k: earlier.meta[k] for k in KEY_ORDER if k in earlier.meta} | {
        k: v for k, v in earlier.meta.items() if k not in KEY_ORDER}
    return item


# ---------------------------------------------------------------------- jrnl


def plan_reflections(journal: Journal, entries: list[Any], skipped: list[Skip], kind: str, label: str) -> Plan:
    """Reflections for jrnl entries: each is new, or already imported (the same
    ``uid``: its minute and title) and left as it is."""
    plan = Plan("jrnl", label)
    existing: dict[tuple[str, str], list[str]] = {}
    for reflection in journal.reflections():
        existing.setdefault((reflection.date, reflection.title.casefold()), []).append(reflection.path)
    slugs: dict[str, str | None] = {}
    for contact in journal.contacts(include_archived=True):
        slugs[contact.slug] = contact.slug
    first_names: dict[str, list[str]] = {}
    for contact in journal.contacts(include_archived=True):
        first = contact.name.split()[0].casefold() if contact.name.split() else ""
        if first:
            first_names.setdefault(first, []).append(contact.slug)
    seen: dict[str, Item] = {}
    for entry in entries:
        uid = entry.uid
        date = entry.when.date()
        item = Item(NEW, entry.where, entry.title, kind="reflection")
        if uid in seen:
            item.action, item.reason = SKIP, f"the same entry as {seen[uid].where}"
            plan.items.append(item)
            continue
        seen[uid] = item
        for path in existing.get((date.isoformat(), entry.title.casefold()), []):
            try:
                meta = journal.load_reflection(path).doc.meta  # type: ignore[union-attr]
            except JournalError:
                continue
            if str(meta.get("uid", "")) == uid:
                item.action, item.path, item.matched_by = UNCHANGED, path, "uid"
                break
        if item.action == UNCHANGED:
            plan.items.append(item)
            continue
        linked = []
        for tag in entry.tags:
            slug = slugs.get(tag) or (first_names[tag][0] if len(first_names.get(tag, [])) == 1 else None)
            if slug and slug not in linked:
                linked.append(slug)
        meta: dict[str, Any] = {"title": entry.title, "date": date, "contacts": linked, "kind": kind}
        if entry.tags:
            meta["tags"] = entry.tags
        meta["time"] = f"{entry.when:%H:%M}"
        if entry.starred:
            meta["starred"] = True
        meta["source"] = label
        meta["uid"] = uid
        item.meta, item.body = meta, _body(entry.body)
        item.keys = [k for k in meta if not is_empty(meta[k])]
        plan.items.append(item)
    plan.items.extend(skip_item(skip, "reflection") for skip in skipped)
    return plan


# ---------------------------------------------------------------------- applying


Progress = Callable[[int, int], None]


CHUNK = 200  # new files created (and made durable) together


def apply(journal: Journal, plan: Plan, progress: Progress | None = None) -> Plan:
    """Write what the plan says, through the journal: new files in chunks, each file
    whole or absent, each chunk made durable with one sync; each update filling only
    keys still empty when it is written.  A record that fails becomes a skip with the
    reason; an error of the disk stops the import (what was written stays, and
    running it again completes it)."""
    todo = plan.to_write
    total = len(todo)
    done = 0
    with journal.batch():
        new = [item for item in todo if item.action == NEW]
        for start in range(0, len(new), CHUNK):
            chunk = new[start:start + CHUNK]
            results = journal.create_many([(item.kind, item.meta, item.body) for item in chunk])
            for item, result in zip(chunk, results):
                if isinstance(result, JournalError):
                    item.action, item.problem, item.reason = SKIP, True, str(result)
                else:
                    item.path = result.path
                    if result.contact is not None:
                        item.slug = result.contact.slug
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        for item in todo:
            if item.action != UPDATE:
                continue
            assert item.slug is not None
            try:
                _, written = journal.fill_contact(item.slug, item.meta, body=item.body or None)
                item.keys = written
                if not written:
                    item.action = UNCHANGED
            except JournalError as exc:
                item.action, item.problem, item.reason = SKIP, True, str(exc)
            done += 1
            if progress is not None:
                progress(done, total)
    plan.applied = True
    return plan
