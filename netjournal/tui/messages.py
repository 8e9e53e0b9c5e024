"""Small past-tense messages that widgets post upward; screens decide what to do."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ContactOpened(Message):
    """The user asked to open a contact's checklist screen."""

    slug: str


@dataclass
class JournalChanged(Message):
    """Something was written; screens showing journal data should refresh."""

    path: str | None = None
