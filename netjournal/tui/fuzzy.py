"""Fuzzy ranking for the app's filters over precomputed lower-case fields (the
scorer, ``fuzzy_score``, is ``netjournal.fuzzy``'s).  No Textual here: it only ranks
strings."""

from __future__ import annotations

from dataclasses import dataclass

# The scorer lives in the core: one-line capture resolves @mentions with it too.
from netjournal.fuzzy import fuzzy_score


@dataclass
class Searchable:
    """One contact's lower-cased fields, computed once per journal change."""

    slug: str
    name: str
    org: str
    tags: str

    def score(self, words: list[str]) -> float:
        total = 0.0
        for word in words:
            best = max(
                fuzzy_score(word, self.name) * 1.2,
                fuzzy_score(word, self.org),
                fuzzy_score(word, self.tags),
            )
            if best <= 0:
                return 0.0
            total += best
        return total
