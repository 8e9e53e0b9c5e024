"""Fuzzy matching for filters: "prya" finds Priya Raman, "jl" finds Jonas Lindqvist.

Plain Python over precomputed lower-case fields, so a filter can score a thousand
entries on every keystroke.  No Textual here: it only ranks strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Container, Iterable

if TYPE_CHECKING:
    from netjournal.model import Contact


def fuzzy_score(word: str, field: str) -> float:
    """How well ``word`` matches ``field`` (both lower case); 0 for no match.

    A substring beats a subsequence.  A subsequence counts when its letters sit
    close together ("prya" in "priya") or are the initials of words ("jl" for
    "jonas lindqvist"); letters scattered across a long org name do not.
    """
    if not word:
        return 1.0
    at = field.find(word)
    if at >= 0:
        score = 100.0 + 3 * len(word)
        if at == 0:
            score += 40
        elif not field[at - 1].isalnum():
            score += 25
        return score - min(at, 50) * 0.1
    return max(_initials_score(word, field), _close_score(word, field))


def _is_word_start(field: str, at: int) -> bool:
    return at == 0 or not field[at - 1].isalnum()


def _initials_score(word: str, field: str) -> float:
    start = 0
    for char in word:
        at = field.find(char, start)
        while at >= 0 and not _is_word_start(field, at):
            at = field.find(char, at + 1)
        if at < 0:
            return 0.0
        start = at + 1
    return 20.0 + 3 * len(word)


def _close_score(word: str, field: str) -> float:
    """The best run of ``word``'s letters, in order, within a short stretch of ``field``."""
    limit = 2 * len(word) + 2
    best = 0.0
    first = field.find(word[0])
    while first >= 0:
        score, previous, start = 1.0, first, first + 1
        for char in word[1:]:
            at = field.find(char, start)
            if at < 0:
                return best  # a later start cannot do better
            if at - first >= limit:
                score = 0.0
                break
            score += 4.0 if at == previous + 1 else 1.0
            if _is_word_start(field, at):
                score += 2.0
            previous, start = at, at + 1
        if score:
            best = max(best, score + (3.0 if _is_word_start(field, first) else 0.0))
        first = field.find(word[0], first + 1)
    return best


@dataclass(frozen=True)
class Searchable:
    """One contact as the filters search it: its fields lower-cased once per journal
    change, and its name as written (for the lists that show it)."""

    slug: str
    label: str
    name: str
    org: str
    tags: str

    @classmethod
    def of(cls, slug: str, name: str, org: str = "", tags: Iterable[str] = ()) -> "Searchable":
        return cls(slug, name, name.lower(), org.lower(), " ".join(tags).lower())

    def score(self, words: list[str]) -> float:
        """The sum of each word's best match over name, org and tags (or the slug, as in
        ``[[priya-raman``); 0 when a word matches none of them."""
        total = 0.0
        for word in words:
            best = max(
                fuzzy_score(word, self.name) * 1.2,
                fuzzy_score(word, self.org),
                fuzzy_score(word, self.tags),
            ) or fuzzy_score(word, self.slug)
            if best <= 0:
                return 0.0
            total += best
        return total


def searchables(contacts: Iterable[Contact]) -> list[Searchable]:
    """The contacts as the filters search them, in the order given."""
    return [Searchable.of(c.slug, c.name, c.org, c.tags) for c in contacts]


def rank(items: Iterable[Searchable], query: str, exclude: Container[str] = ()) -> list[str]:
    """The slugs of the items that match every word of ``query``, best first; equal
    scores keep the items' order.  The one ranking for every contact filter (the
    contacts area, the editor's contact picker and its ``[[`` completion)."""
    words = query.lower().split()
    if not words:
        return [item.slug for item in items if item.slug not in exclude]
    scored = [(item.score(words), item.slug) for item in items if item.slug not in exclude]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: -pair[0])
    return [slug for _, slug in ranked]
