"""Fuzzy matching of a typed word against names: "prya" finds Priya Raman, "jl"
finds Jonas Lindqvist.

Used by the app's filters (``netjournal.tui.fuzzy``) and by one-line capture's
``@mentions`` (``netjournal.capture``).  Plain Python over lower-case strings, so a
filter can score a thousand entries on every keystroke.
"""

from __future__ import annotations


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


def completion_rank(word: str, fields: tuple[str, ...] | list[str], score: float) -> tuple[float, ...]:
    """Where a candidate stands as the completion of ``word`` (all lower case), lowest
    first; ``fields`` are its texts (a tag; a contact's slug and name), ``score`` its
    fuzzy score.  The exact word first; then a field that begins with ``word`` as whole
    words ("coaching" → ``coaching-trio``), then one with such words later ("chen" →
    ``alex chen``); then a field that begins with ``word`` mid-word ("coa" →
    ``coaching``), then one with it later; each with the fewest words, then the shortest,
    first (``coaching`` before ``coaching-trio``); the rest by score.  The capture line's
    ``#tag`` and ``@mention`` completion both rank with it."""
    best: tuple[float, ...] = (5.0, -score, 0.0, 0.0)
    if not word:
        return best
    for field in fields:
        if field == word:
            return (0.0, 0.0, 0.0, 0.0)
        at = field.find(word)
        while at >= 0:
            if _is_word_start(field, at):
                end = at + len(word)
                whole = end == len(field) or not field[end].isalnum()
                tier = (1.0 if whole else 3.0) + (1.0 if at else 0.0)
                best = min(best, (tier, float(_words(field)), float(len(field)), -score))
            at = field.find(word, at + 1)
    return best


def _words(text: str) -> int:
    """How many runs of letters and digits ``text`` has."""
    count, inside = 0, False
    for char in text:
        if char.isalnum():
            count += not inside
            inside = True
        else:
            inside = False
    return count
