"""The "me" card: what you want the people you chose to know about you.

The article's ultimate goal is to *be known*.  ``netjournal.yaml`` holds the card::

    me:
      name: Sam Whitfield
      strengths: [Clear learning journeys, Feedback sessions people speak up in]
      goals: Move into executive education by mid-2027
      offer: [My accessibility checklist]
      looking_for: [A co-facilitator for a leadership module]

Each of ``strengths``, ``goals``, ``offer`` and ``looking_for`` is a text or a list of
texts; a text of several lines counts one item per line.  Other keys under ``me`` are
kept.  Templates quote the card with ``{{me.strengths}}`` and the like.

Nothing here opens files: ``Journal.me_card`` reads the card and ``Journal.update_me``
writes it (``frontmatter.render_meta`` splices only the changed keys' lines, nested
ones inside ``me:`` included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from netjournal.model import as_text

# (key, label) in the order the card is shown; name is the one plain-text field.
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("strengths", "Strengths"),
    ("goals", "Goals"),
    ("offer", "What I offer"),
    ("looking_for", "What I am looking for"),
)
LIST_FIELDS: tuple[str, ...] = tuple(key for key, _ in FIELDS if key != "name")
QUESTION = "Do they know this about you?"


@dataclass
class MeCard:
    """The card as read, every list field as a list of texts."""

    name: str = ""
    strengths: list[str] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    offer: list[str] = field(default_factory=list)
    looking_for: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # ``me`` as written, unknown keys too

    @property
    def empty(self) -> bool:
        return not (self.name or any(getattr(self, key) for key in LIST_FIELDS))

    def value(self, key: str) -> str | list[str]:
        return self.name if key == "name" else list(getattr(self, key))

    def to_json(self) -> dict[str, Any]:
        return {key: self.value(key) for key, _ in FIELDS}


def items(value: Any) -> list[str]:
    """A card field as a list of texts: a list's items, or a text's non-empty lines
    (a leading ``- `` dropped, so a pasted Markdown list reads the same)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [as_text(v).strip() for v in value if as_text(v).strip()]
    lines = (line.strip() for line in as_text(value).splitlines())
    return [line[2:].strip() if line.startswith("- ") else line for line in lines if line]


def read_card(settings: dict[str, Any]) -> MeCard:
    """The card in ``netjournal.yaml``'s settings (empty when there is none)."""
    raw = settings.get("me")
    if not isinstance(raw, dict):
        return MeCard()
    return MeCard(
        name=as_text(raw.get("name")).strip(),
        raw=dict(raw),
        **{key: items(raw.get(key)) for key in LIST_FIELDS},
    )


def written_value(old: Any, new: list[str] | str) -> Any:
    """What to write for a field the user edited: None (remove the key) when empty;
    a text where the file had a text (or nothing) and there is one item; else a list."""
    if isinstance(new, str):
        return new.strip() or None
    new = [item.strip() for item in new if item.strip()]
    if not new:
        return None
    if len(new) == 1 and not isinstance(old, list):
        return new[0]
    return new


# --------------------------------------------------------------------------- templates

_PLACEHOLDER = re.compile(r"\{\{\s*me\.(\w+)\s*\}\}")


def fill_template(text: str, card: MeCard) -> str:
    """``{{me.KEY}}`` replaced by the card's field: a placeholder alone on its line
    becomes a Markdown list (one ``- item`` per line), one inside a sentence the items
    joined with "; ".  A line whose placeholders are all empty is left out; an
    unknown key is left as written."""
    known = {key for key, _ in FIELDS}
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        found = [m for m in _PLACEHOLDER.finditer(line) if m.group(1) in known]
        if not found:
            out.append(line)
            continue
        values = {m.group(1): card.value(m.group(1)) for m in found}
        if not any(values.values()):
            continue
        ending = line[len(line.rstrip("\r\n")):]
        body = line.rstrip("\r\n")
        if len(found) == 1 and body.strip() == found[0].group(0):
            value = values[found[0].group(1)]
            indent = body[: len(body) - len(body.lstrip())]
            lines = [value] if isinstance(value, str) else [f"- {item}" for item in value]
            out.append("".join(f"{indent}{item}{ending or chr(10)}" for item in lines))
            continue

        def inline(match: re.Match[str]) -> str:
            if match.group(1) not in known:
                return match.group(0)
            value = values[match.group(1)]
            return value if isinstance(value, str) else "; ".join(value)

        out.append(_PLACEHOLDER.sub(inline, body) + ending)
    return "".join(out)
