"""A readable Markdown digest of a week or of a contact, for sharing with a mentor or
pasting into notes.

- **A week** (``--week DATE``, this week by default): what you gave and asked (early
  asks flagged), who became due, the follow-ups, what is coming up, then each of the
  week's reflections with its text.
- **A contact** (``--contact SLUG``, or every contact with ``--tag``): why, what you can
  give, the six steps, where the relationship stands, the dates to remember, the
  timeline with each reflection's text, and the notes.

A digest is for sharing: it leaves out emails, phones and addresses.  Names and titles
are escaped so that Markdown shows them as written; bodies are the user's Markdown,
kept, with their headings moved down so that they sit under the entry they belong
to.  Control characters are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from netjournal.interop.records import plain
from netjournal.model import STEPS

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_ATX = re.compile(r"^(\s{0,3}(?:>\s?)*\s{0,3})(#{1,6})(?=[ \t]|$)")


def inline(text: Any) -> str:
    """User text shown as written inside a line of Markdown."""
    return _SPECIAL.sub(r"\\\1", " ".join(plain(text).split()))


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def demote(body: str, under: int) -> str:
    """A Markdown body whose headings sit under a heading of level ``under``: the
    highest becomes ``under + 1`` and the others keep their distance (at most
    ``######``); code blocks are left alone, setext headings become ATX ones."""
    text = plain(body).strip("\n")
    if "#" not in text and "==" not in text and "--" not in text:
        return text
    lines = text.split("\n")
    headings = [t for t in _parser().parse(text) if t.type == "heading_open" and t.map is not None]
    if not headings:
        return text
    shift = max(under + 1 - min(int(t.tag[1]) for t in headings), 0)
    for token in headings:
        level = min(int(token.tag[1]) + shift, 6)
        first, end = token.map
        if token.markup in ("=", "-"):  # setext: the text, then an underline
            if lines[first].lstrip().startswith(">"):
                continue
            content = " ".join(line.strip() for line in lines[first:end - 1])
            lines[first] = f"{'#' * level} {content}"
            for index in range(first + 1, end):
                lines[index] = None  # type: ignore[call-overload]
        else:
            lines[first] = _ATX.sub(lambda m: m[1] + "#" * level, lines[first], count=1)
    return "\n".join(line for line in lines if line is not None)


def _names(slugs: list[str], names: dict[str, str]) -> str:
    return ", ".join(inline(names.get(slug, slug)) for slug in slugs)


def _entry(reflection: Any, names: dict[str, str], level: int) -> list[str]:
    """A reflection as a heading, a line of what it is, and its text."""
    out = [f"{'#' * level} {reflection.date} · {inline(reflection.title)}", ""]
    about = [reflection.kind]
    if reflection.links:
        about.append(_names(reflection.links, names))
    if reflection.tags:
        about.append("tags: " + ", ".join(inline(t) for t in reflection.tags))
    if reflection.follow_up:
        about.append(f"follow up {reflection.follow_up}")
    out.append("*" + " · ".join(about) + "*")
    body = demote(reflection.body or "", level)
    if body.strip():
        out += ["", body]
    out.append("")
    return out


def _list(title: str, items: list[str], empty: str) -> list[str]:
    out = [f"## {title} ({len(items)})", ""]
    out += [f"- {item}" for item in items] if items else [f"*{empty}*"]
    return out + [""]


def _upcoming(item: Any) -> str:
    from netjournal.cli import upcoming_line

    return inline(upcoming_line(item))


def week(journal: Any, day: Any) -> tuple[str, int]:
    review = journal.review(day)
    facts = journal.facts()
    names = {slug: fact.contact.name for slug, fact in facts.items()}
    early = {e.reflection.path for e in review.early}
    out = [f"# {inline(journal.name)}: the week of {review.start} to {review.end}", ""]

    def about(r: Any) -> str:
        return f"{r.date} · {inline(r.title)}" + (f" — {_names(r.links, names)}" if r.links else "")

    out += _list("Gave", [about(r) for r in review.gives], "Nothing given this week.")
    out += _list("Asked", [about(r) + (" *(before trust and deepen: early)*" if r.path in early else "")
                           for r in review.asks], "No asks.")
    out += _list("Became due", [f"{f.due} · {inline(f.contact.name)}"
                                + (f" — could give: {inline(f.contact.offer)}" if f.contact.offer else "")
                                for f in review.became_due], "Nobody.")
    out += _list("Follow-ups", [f"{r.follow_up} · {inline(r.title)}" for r in review.follow_ups], "None.")
    out += _list("Coming up", [_upcoming(u) for u in review.coming_up], "No birthdays or dates in the next two weeks.")
    out += [f"## Reflections ({len(review.reflections)})", ""]
    if not review.reflections:
        out += ["*No reflections this week.*", ""]
    for reflection in review.reflections:
        out += _entry(journal.reflection(reflection.path), names, 3)
    return "\n".join(out).rstrip("\n") + "\n", len(review.reflections)


def contact(journal: Any, slug: str) -> str:
    entry = journal.load_contact(slug)
    person = entry.contact
    fact = journal.contact_facts(slug)
    names = {s: f.contact.name for s, f in journal.facts().items()}
    out = [f"# {inline(person.name)}", ""]
    where = " · ".join(inline(part) for part in (person.role, person.org) if part.strip())
    if where:
        out += [where, ""]
    if person.tags:
        out += ["Tags: " + ", ".join(inline(t) for t in person.tags), ""]
    out.append(f"**Why:** {inline(person.why) if person.why.strip() else '*not written yet*'}  ")
    out += [f"**What I can give:** {inline(person.offer) if person.offer.strip() else '*not written yet*'}", ""]
    out += [f"## Steps ({person.progress}/6)", ""]
    for step in STEPS:
        state = person.steps[step.key]
        line = f"- [{'x' if state.done else ' '}] {step.label}"
        if state.date:
            line += f" — {state.date}"
        if state.note:
            line += f": {inline(state.note)}"
        out.append(line)
    if person.next_step is not None:
        out += ["", f"Next: {person.next_step.question} {person.next_step.suggestion}"]
    out += ["", "## Where it stands", ""]
    out.append(f"Gave {fact.gave} · asked {fact.asked} · received {fact.received}. {fact.ask_readiness}  ")
    touch = f"Last touch {fact.last_touch or 'never'} · every {fact.cadence} days · "
    touch += f"due {fact.due}" + (f" ({fact.days_overdue} days overdue)" if fact.days_overdue else "") \
        if fact.due else "not yet connected"
    out += [touch, ""]
    dates = ([(True, "birthday", person.birthday)] if person.birthday else []) + \
        [(False, label or "date", day) for label, day in person.dates]
    if dates:
        coming = {(u.is_birthday, u.label, u.written): u for u in journal.upcoming_dates(slug)}
        out += ["## Dates to remember", ""]
        for is_birthday, label, day in dates:
            line = f"- {inline(label)}: {inline(day)}"
            soon = coming.get((is_birthday, label, day))
            if soon is not None:
                words = soon.words()
                line += f" — {soon.on}, {soon.when()}" + (f" ({words})" if words else "")
            out.append(line)
        out.append("")
    timeline = journal.timeline(slug)
    out += [f"## Timeline ({len(timeline)})", ""]
    if not timeline:
        out += ["*Nothing written about them yet.*", ""]
    for reflection in timeline:
        out += _entry(journal.reflection(reflection.path), names, 3)
    notes = demote(entry.doc.body, 2)
    if notes.strip():
        out += ["## Notes", "", notes, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render(journal: Any, options: Any) -> tuple[str, int, str]:
    """(text, how many, of what) for ``export markdown``."""
    from netjournal.interop.export import ExportError, choose

    if options.week is not None and (options.contacts or options.tag is not None):
        raise ExportError("a digest is of a week (--week) or of contacts (--contact, --tag), not both")
    if not options.contacts and options.tag is None:
        text, count = week(journal, options.week)
        return text, count, "reflections"
    people = choose(journal, options)
    return "\n".join(contact(journal, c.slug) for c in people), len(people), "contacts"
