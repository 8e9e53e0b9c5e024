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

Nothing here opens files: ``Journal.me_card`` and ``Journal.update_me`` do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from netjournal.model import as_text
from netjournal.store import frontmatter

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


# --------------------------------------------------------------------------- writing

_ME_LINE = re.compile(r"^me[ \t]*:[ \t]*(#.*)?$")


def render_settings(raw: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """``netjournal.yaml``'s new text: only the changed keys' lines are rewritten.

    ``frontmatter.render_meta`` keeps untouched top-level keys and their comments.
    Inside a block-style ``me:`` the same is done one level down (its lines dedented,
    rendered against the old card, indented back), so that an edit of ``goals`` leaves
    ``strengths`` and the comments in the card as they were.  The result must parse
    back to ``new``; otherwise the top-level render is used."""
    nested = _render_inside_me(raw, old, new)
    if nested is not None:
        return nested
    return frontmatter.render_meta(new, raw, old)


def _render_inside_me(raw: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    old_me, new_me = old.get("me"), new.get("me")
    if not isinstance(old_me, dict) or not isinstance(new_me, dict) or not new_me:
        return None
    if {k: v for k, v in old.items() if k != "me"} != {k: v for k, v in new.items() if k != "me"}:
        return None
    lines = raw.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _ME_LINE.match(line.rstrip("\r\n"))]
    if len(starts) != 1:
        return None
    first = starts[0] + 1
    end = first
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
        end += 1
    while end > first and not lines[end - 1].strip():
        end -= 1  # blank lines after the card belong to what follows
    block = lines[first:end]
    content = [line for line in block if line.strip() and not line.lstrip().startswith("#")]
    if not content:
        return None
    indent = content[0][: len(content[0]) - len(content[0].lstrip(" "))]
    if not indent or any(line.strip() and not line.startswith(indent) for line in block):
        return None
    inner = "".join(line[len(indent):] if line.strip() else line for line in block)
    try:
        rendered = frontmatter.render_meta(new_me, inner, old_me)
    except Exception:  # noqa: BLE001 -- any failure: the plain top-level render
        return None
    newline = "\r\n" if lines[starts[0]].endswith("\r\n") else "\n"
    back = "".join(indent + line if line.strip() else line for line in rendered.splitlines(keepends=True))
    if newline == "\r\n":
        back = back.replace("\r\n", "\n").replace("\n", "\r\n")
    if back and not back.endswith(("\n", "\r\n")):
        back += newline
    text = "".join(lines[:first]) + back + "".join(lines[end:])
    try:
        if frontmatter.parse_meta(text, 1) != frontmatter.parse_meta(frontmatter.dump_meta(new), 1):
            return None
    except frontmatter.FrontMatterError:
        return None
    return text
