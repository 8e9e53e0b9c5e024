"""The whole journal as one JSON document, in keys the README documents as stable.

::

    {"netjournal": 1,                       # the shape's version
     "journal": {"name", "cadence", "me"},  # from netjournal.yaml
     "today": "2026-11-25",                 # the day due and status were computed for
     "contacts": [contact …],               # contacts --json's keys, plus "body"
                                            #   (the notes) and "front_matter" (every key
                                            #   of the file, unknown ones too)
     "reflections": [reflection …]}         # reflections --json's keys, plus "body"
                                            #   and "front_matter"

With ``--contact`` or ``--tag`` only those contacts, and the reflections linked to
them; ``--since DATE``: reflections dated on or after it.  Dates are ``YYYY-MM-DD``
text; the text is exact (JSON escapes what a terminal would act on).
"""

from __future__ import annotations

import json
from typing import Any

from netjournal.journal import JournalError


def render(journal: Any, contacts: list[Any], options: Any) -> tuple[bytes, int]:
    from netjournal.cli import contact_json, reflection_json
    from netjournal.text import json_safe

    out_contacts = []
    for contact in contacts:
        data = contact_json(journal, contact.slug)
        try:
            entry = journal.load_contact(contact.slug)
        except JournalError:
            continue
        data["body"] = entry.doc.body
        data["front_matter"] = entry.doc.meta
        out_contacts.append(data)
    chosen = {c.slug for c in contacts}
    everyone = not options.contacts and options.tag is None
    since = options.since.isoformat() if options.since else None
    out_reflections = []
    for reflection in journal.reflections(since=since):
        if not everyone and not chosen.intersection(reflection.links):
            continue
        try:
            entry = journal.load_reflection(reflection.path)
        except JournalError:
            continue
        data = reflection_json(entry.reflection)
        data["front_matter"] = entry.doc.meta
        out_reflections.append(data)
    document = {
        "netjournal": 1,
        "journal": {"name": journal.name, "cadence": journal.default_cadence, "me": journal.me},
        "today": journal.today.isoformat(),
        "contacts": out_contacts,
        "reflections": out_reflections,
    }
    text = json_safe(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
    return text.encode("utf-8"), len(out_contacts)
