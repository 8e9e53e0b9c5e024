"""``[[slug]]`` links in Markdown bodies, found with markdown-it-py so that code
spans and code blocks never count."""

from __future__ import annotations

import re
from functools import lru_cache

_LINK = re.compile(r"\[\[([^\[\]|#\n]+)(?:[|#][^\[\]\n]*)?\]\]")
# Anything that could make a [[...]] not be plain text: code (backticks, fences,
# indented blocks) or raw HTML.  Without these, the regex alone gives the same answer.
_NEEDS_PARSER = re.compile(r"`|~~~|^(?: {4}|\t)|<", re.MULTILINE)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _normalise(target: str) -> str:
    return target.strip().lower().replace(" ", "-")


def find_links(body: str) -> list[str]:
    """Slugs linked with ``[[slug]]`` (or ``[[slug|label]]``), in order, deduped."""
    if "[[" not in body:
        return []
    if not _NEEDS_PARSER.search(body):
        found = [_normalise(m.group(1)) for m in _LINK.finditer(body)]
        return list(dict.fromkeys(slug for slug in found if slug))
    found: list[str] = []
    for token in _parser().parse(body):
        if token.type != "inline" or not token.children:
            continue
        text: list[str] = []
        for child in token.children:
            if child.type in ("text", "text_special"):
                text.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                text.append("\n")
            else:
                text.append("\x00")  # code spans, html, links split the text
        for match in _LINK.finditer("".join(text)):
            slug = _normalise(match.group(1))
            if slug:
                found.append(slug)
    return list(dict.fromkeys(found))
