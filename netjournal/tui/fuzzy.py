"""Fuzzy ranking for the app's filters over precomputed lower-case fields (the
scorer, ``fuzzy_score``, is ``netjournal.fuzzy``'s).  No Textual here: it only ranks
strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Container, Iterable

if TYPE_CHECKING:
    from netjournal.model import Contact

# The scorer lives in the core: one-line capture resolves @mentions with it too.
from netjournal.fuzzy import fuzzy_score


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
