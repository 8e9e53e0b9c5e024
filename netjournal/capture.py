"""One-line capture: ``gave @priya the cohort-design article #course +7d`` becomes
one reflection.  Used by ``netjournal log`` and the app's ``:`` capture line.

The rules, in the order they are applied to the line:

- **date prefix** (as jrnl's): ``today:``, ``yesterday:``, a weekday (``monday:`` or
  ``mon:``, the most recent one, today included) or ``2026-12-01:``; else today.
- **follow-up**: ``+7d`` / ``+2w`` (days or weeks from today), or ``follow-up DATE``
  (also ``followup``), DATE being ``YYYY-MM-DD``, ``+7d``, ``tomorrow`` or a weekday
  (the next one after today).  At most one.
- **tags**: ``#word``.  Tags at the end of the line are taken off the title; a tag
  inside the sentence keeps its word there (``talked about #ai ethics`` → "talked
  about ai ethics").
- **mentions**: ``@word`` names a contact by slug, first name, or a fuzzy match of
  the name or slug (``@prya``); one or two letters (``@a``) only by slug, first name
  or a whole word of the name, never by a guess.  In the title the mention becomes the contact's
  name.  A mention that names nobody, or more than one contact, is an error that
  lists the candidates (two of the same name with what tells them apart: their org,
  else role, else email); nothing is written.
- **kind**, from the first word (``KIND_WORDS``), else ``note``; ``introduced`` with
  fewer than two mentions is a ``meeting`` (you introduced yourself).
- **title**: what is left, first letter upper-cased.  The **body** keeps the line
  exactly as typed.

Nothing here reads or writes files: ``Journal.parse_capture`` gives it the contacts.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from netjournal.fuzzy import fuzzy_score
from netjournal.vocab import KINDS

# The first word of the line → the reflection's kind.
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(("gave", "give", "gives"), "give"),
    **dict.fromkeys(("thanked", "thank", "thanks"), "thanks"),
    **dict.fromkeys(("asked", "ask", "asks"), "ask"),
    **dict.fromkeys(("got", "received", "receive"), "receive"),
    **dict.fromkeys(("met", "meet", "coffee", "call", "called", "lunch"), "meeting"),
    **dict.fromkeys(("introduced", "introduce", "intro"), "intro"),
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ISO = r"\d{4}-\d{2}-\d{2}"
_DAY_WORD = r"today|yesterday|tomorrow|" + "|".join(f"{d}|{d[:3]}" for d in WEEKDAYS)
_PREFIX = re.compile(rf"^\s*({_ISO}|{_DAY_WORD})\s*:\s*", re.IGNORECASE)
_RELATIVE = re.compile(r"^\+(\d{1,4})([dw])$", re.IGNORECASE)
_FOLLOW_WORD = re.compile(rf"(?<!\S)follow-?up:?\s+(\+\d{{1,4}}[dwDW]|{_ISO}|{_DAY_WORD})(?=[\s,.;]|$)",
                          re.IGNORECASE)
_FOLLOW_PLUS = re.compile(r"(?<!\S)\+(\d{1,4})([dwDW])(?=[\s,.;]|$)")
_TAG = re.compile(r"(?<![\w&#@])#(\w[\w/-]*\w|\w)")
_MENTION = re.compile(r"(?<![\w@])@(\w(?:[\w.'’-]*\w)?)")
_POSSESSIVE = re.compile(r"^(.*\w)['’]s$")


class CaptureError(ValueError):
    """A line that cannot become a reflection, said in one line.

    ``usage``: the line itself is malformed (a bad date), rather than naming
    something that is not there (an unknown or ambiguous mention)."""

    def __init__(self, message: str, *, usage: bool = False,
                 candidates: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.usage = usage
        self.candidates = candidates or {}


@dataclass
class Capture:
    """What a line says: ready for ``Journal.add_reflection``."""

    title: str
    kind: str
    day: _dt.date
    contacts: list[str] = field(default_factory=list)  # slugs, in the order mentioned
    tags: list[str] = field(default_factory=list)
    follow_up: _dt.date | None = None
    body: str = ""


def fold(text: str) -> str:
    """Lower case without accents: ``Tomás`` → ``tomas``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _weekday_back(today: _dt.date, name: str) -> _dt.date:
    """The most recent such weekday, today included."""
    wanted = next(i for i, d in enumerate(WEEKDAYS) if d.startswith(name[:3]))
    return today - _dt.timedelta(days=(today.weekday() - wanted) % 7)


def _weekday_ahead(today: _dt.date, name: str) -> _dt.date:
    """The next such weekday after today."""
    wanted = next(i for i, d in enumerate(WEEKDAYS) if d.startswith(name[:3]))
    return today + _dt.timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)


def _iso(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise CaptureError(f"'{text}' is not a date (YYYY-MM-DD)", usage=True) from None


def entry_day(word: str, today: _dt.date) -> _dt.date:
    """The day a date prefix names (``yesterday``, ``monday``, ``2026-12-01``)."""
    word = word.lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - _dt.timedelta(days=1)
    if word == "tomorrow":
        return today + _dt.timedelta(days=1)
    if word[:1].isdigit():
        return _iso(word)
    return _weekday_back(today, word)


def follow_up_day(word: str, today: _dt.date) -> _dt.date:
    """The day a follow-up names (``+7d``, ``+2w``, ``2026-12-20``, ``tomorrow``, ``friday``)."""
    word = word.lower()
    relative = _RELATIVE.match(word)
    if relative:
        count = int(relative.group(1))
        return today + _dt.timedelta(days=count * (7 if relative.group(2) == "w" else 1))
    if word[:1].isdigit():
        return _iso(word)
    if word in ("today", "yesterday", "tomorrow"):
        return entry_day(word, today)
    return _weekday_ahead(today, word)


def resolve_mention(word: str, contacts: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """The slug ``@word`` names among ``contacts`` (slug → name), or None and the
    candidates (none when nothing comes close).

    In order: the exact slug; the first name (or the whole name run together); a
    slug that starts with it; then the fuzzy scorer over names and slugs, where a
    match is taken when it is the only one, or the only one containing ``word``
    whole.  A word of one or two letters (``is_short``) is never guessed: after the
    slug and the first name, only a whole word of one contact's name names them;
    otherwise the candidates are those with a name word (or slug) that begins with it."""
    key = fold(word)
    if key in contacts:
        return key, []
    firsts = [slug for slug, name in contacts.items()
              if fold(name).split()[:1] == [key] or fold(name).replace(" ", "").replace("-", "") ==
              key.replace("-", "").replace(".", "")]
    if len(firsts) == 1:
        return firsts[0], []
    if len(firsts) > 1:
        return None, sorted(firsts)
    if is_short(key):
        # one or two letters name someone only exactly: the slug, a first name, or a
        # whole word of one name (``@wu``); a guess by the start of a slug or a name
        # (``@a`` → whoever alone begins with an a) would link a person never meant
        words = [slug for slug, name in contacts.items() if key in _words(name)]
        if len(words) == 1:
            return words[0], []
        return None, words or sorted(slug for slug, name in contacts.items()
                                     if slug.startswith(key) or any(w.startswith(key) for w in _words(name)))[:5]
    prefixed = [slug for slug in contacts if slug.startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0], []
    scored = sorted(
        ((max(fuzzy_score(key, fold(name)), fuzzy_score(key, slug)), slug) for slug, name in contacts.items()),
        key=lambda pair: (-pair[0], pair[1]),
    )
    scored = [(score, slug) for score, slug in scored if score > 0]
    if len(scored) == 1:
        return scored[0][1], []
    whole = [slug for score, slug in scored if score >= 100]
    if len(whole) == 1:
        return whole[0], []
    return None, [slug for _, slug in scored[:5]]


SHORT = 2  # letters: a mention this short is never a guess (``resolve_mention``)


def is_short(key: str) -> bool:
    return len(re.sub(r"\W|_", "", key)) <= SHORT


def _too_short(key: str, candidates: Sequence[str], contacts: Mapping[str, str]) -> bool:
    """A short mention refused because it would have been a guess (no candidate is
    named by it exactly: ``@jo`` for two Jo Parks is a choice to make, not too short)."""
    return is_short(key) and not any(key == slug or key in _words(contacts[slug]) for slug in candidates)


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[\s.'’-]+", fold(name)) if word]


# A contact's fields that can tell two of the same name apart, in the order tried:
# slug → (org, role, email).
About = Callable[[str], Sequence[str]]


def parse(line: str, *, today: _dt.date, contacts: Mapping[str, str], kind: str | None = None,
          about: About | None = None) -> Capture:
    """Read one line (the rules are in the module's docstring). Raises CaptureError.
    ``about`` gives a contact's org, role and email, for telling apart candidates
    of the same name."""
    if kind is not None and kind not in KINDS:
        raise CaptureError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}", usage=True)
    original = line.strip()
    if "\n" in original or "\r" in original:
        raise CaptureError("one line only: a capture is a single line", usage=True)
    text = original
    day = today
    prefix = _PREFIX.match(text)
    if prefix:
        day = entry_day(prefix.group(1), today)
        text = text[prefix.end():]

    follow_up: _dt.date | None = None
    found = [(m, follow_up_day(m.group(1), today)) for m in _FOLLOW_WORD.finditer(text)]
    text = _FOLLOW_WORD.sub(" ", text)
    found += [(m, follow_up_day(f"+{m.group(1)}{m.group(2)}", today)) for m in _FOLLOW_PLUS.finditer(text)]
    text = _FOLLOW_PLUS.sub(" ", text)
    if len(found) > 1:
        raise CaptureError("the line has more than one follow-up; keep one", usage=True)
    if found:
        follow_up = found[0][1]

    tags = list(dict.fromkeys(m.group(1) for m in _TAG.finditer(text)))
    # tags at the end leave the title; tags inside the sentence keep their word
    tail = re.search(r"(?:[\s,;.]*(?<![\w&#@])#\w[\w/-]*)+[\s,;.]*$", text)
    if tail and _TAG.search(tail.group(0)):
        text = text[: tail.start()]
    text = _TAG.sub(lambda m: m.group(1), text)

    slugs: list[str] = []
    problems: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for match in _MENTION.finditer(text):
        word = match.group(1)
        possessive = _POSSESSIVE.match(word)
        bare = possessive.group(1) if possessive else word
        slug, candidates = resolve_mention(bare, contacts)
        if slug is None:
            problems[word] = candidates
            continue
        names[word] = contacts[slug] + word[len(bare):]  # "@kofi's" → "Kofi Mensah's"
        if slug not in slugs:
            slugs.append(slug)
    if problems:
        raise CaptureError(_mention_message(problems, contacts, about), candidates=problems)
    text = _MENTION.sub(lambda m: names[m.group(1)], text)

    title = " ".join(text.split()).strip(" ,;:-")
    if not title:
        raise CaptureError("the line has nothing to use as a title besides its date, tags and follow-up",
                           usage=True)
    title = title[0].upper() + title[1:]

    first = fold(re.split(r"[\s,;:.!?]", text.strip(), maxsplit=1)[0]) if text.strip() else ""
    chosen = kind or KIND_WORDS.get(first, "note")
    if chosen == "intro" and kind is None and len(slugs) < 2:
        chosen = "meeting"  # "introduced myself to @kofi"
    return Capture(title=title, kind=chosen, day=day, contacts=slugs, tags=tags,
                   follow_up=follow_up, body=original + "\n")


def candidate_labels(slugs: Sequence[str], contacts: Mapping[str, str], about: About | None = None) -> dict[str, str]:
    """How each candidate of a mention is shown: its name; where two or more share a
    name, with the first of org, role, email that differs among them
    (``Alex Chen, Northwind``), so that they can be told apart."""
    labels = {slug: contacts[slug] for slug in slugs}
    if about is None:
        return labels
    groups: dict[str, list[str]] = {}
    for slug in slugs:
        groups.setdefault(" ".join(fold(contacts[slug]).split()), []).append(slug)
    for same in groups.values():
        if len(same) < 2:
            continue
        fields = {slug: [" ".join(str(value).split()) for value in about(slug)] for slug in same}
        width = min(len(values) for values in fields.values())
        tried = [[fields[slug][i] for slug in same] for i in range(width)]
        # a field every one of them has, each different, else the first that differs at all
        distinct = [len(set(map(fold, values))) for values in tried]
        chosen = next((i for i, values in enumerate(tried) if all(values) and distinct[i] == len(values)),
                      next((i for i in range(width) if distinct[i] > 1), None))
        if chosen is None:
            continue
        for slug in same:
            if fields[slug][chosen]:
                labels[slug] += f", {fields[slug][chosen]}"
    return labels


def _mention_message(problems: dict[str, list[str]], contacts: Mapping[str, str], about: About | None = None) -> str:
    parts = []
    for word, candidates in problems.items():
        if not candidates:
            parts.append(f"@{word} names no contact (see: netjournal contacts)")
        elif _too_short(fold((_POSSESSIVE.match(word) or [word, word])[1]), candidates, contacts):
            labels = candidate_labels(candidates, contacts, about)
            listed = ", ".join(f"@{slug} ({labels[slug]})" for slug in candidates)
            parts.append(f"@{word} is too short to tell who (write more of the name): {listed}")
        else:
            labels = candidate_labels(candidates, contacts, about)
            listed = ", ".join(f"@{slug} ({labels[slug]})" for slug in candidates)
            parts.append(f"@{word} could be {listed}")
    return "; ".join(parts) + "; nothing was written"
