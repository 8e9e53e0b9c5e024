"""Small past-tense messages that widgets post upward; screens (or the app) decide
what to do."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ContactChosen(Message):
    """The user chose a row that stands for a contact (the app opens its screen)."""

    slug: str


@dataclass
class ReflectionChosen(Message):
    """The user chose a row that stands for a reflection (the app opens it in the editor)."""

    path: str


@dataclass
class JournalChanged(Message):
    """Something was written; screens showing journal data should refresh."""

    path: str | None = None
