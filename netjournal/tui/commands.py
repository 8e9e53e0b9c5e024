"""The command palette provider: what you can do from anywhere with ctrl+p."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from netjournal.text import clean
from netjournal.tui.safe import highlighted, markup_escape

if TYPE_CHECKING:
    from netjournal.tui.app import NetJournalApp


class NetJournalCommands(Provider):
    """New contact, open contact …, switch theme, reindex, show problems, go to an area."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("NetJournalApp", self.app)
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("New contact", app.action_new_contact, "Add someone you want to know, and why"),
            ("Import contacts…", app.action_import_contacts,
             "From a phone or Apple (vCard), LinkedIn, Google or any CSV, or a jrnl journal; a plan first"),
            ("Export…", app.action_export,
             "Contacts as vCard, CSV or JSON; a calendar of touches, follow-ups and birthdays; a digest"),
            ("Switch theme", app.action_change_theme,
             "Pick a colour theme " + ("(remembered)" if app.remember_theme else "(for this demo only)")),
            ("Reindex", app.action_reindex, "Rebuild the index from the files"),
            ("Sync now", app.action_sync_now, "Commit, then exchange changes with the journal's git remote"),
            ("Show problems", app.action_show_problems, "Files that could not be read, with path and line"),
            ("New reflection", app.open_editor, "Write what you gave, learned, or asked"),
            ("Capture a line", app.action_capture,
             "One line becomes a reflection: gave @kofi the draft #coaching +7d (key :)"),
            ("Your card", app.action_me_card,
             "Your strengths, goals, offer and what you look for: be known (key m)"),
            ("Weekly review", partial(_weekly_review, app),
             "This week's gives, asks, reflections and who is due; write the week's reflection"),
            ("Search reflections …", partial(_in_reflections, app, "search_reflections"),
             "Full-text search over every reflection"),
            ("Reflections since …", partial(_in_reflections, app, "set_range"),
             "Show reflections in a date range"),
        ]
        if app.journal.drafts():
            commands.append(("Recover unsaved drafts", app.offer_drafts, "Editor work that was never saved"))
        for mode, label in (("dashboard", "Dashboard"), ("contacts", "Contacts"),
                            ("reflections", "Reflections"), ("checklist", "Checklist")):
            commands.append((f"Go to {label}", partial(app.action_area, mode), f"Switch to the {label.lower()} area"))
        return commands

    def _contact_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        # Names and organisations are user text: the palette reads prompts and help
        # as markup, so they go in as literal Content and escaped help.
        app = cast("NetJournalApp", self.app)
        return [
            (f"Open contact {clean(c.name)}", partial(app.open_contact, c.slug), markup_escape(c.org or c.slug))
            for c in app.journal.contacts(include_archived=True)
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands() + self._contact_commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlighted(name, query, matcher), callback, text=name, help=help_text)


async def _in_reflections(app: "NetJournalApp", action: str) -> None:
    from netjournal.tui.screens.reflections import run_in_reflections_area

    await run_in_reflections_area(app, action)


def _weekly_review(app: "NetJournalApp") -> None:
    from netjournal.tui.screens.review import ReviewScreen

    app.push_screen(ReviewScreen())
