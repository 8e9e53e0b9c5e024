"""Area 1, the start screen: "dig your well before you are thirsty".

Who is due a touch (overdue first, with what you could give them), follow-ups
around this week, asks made before trust, contacts without a why or an offer,
relationships stuck on a step, and this week at a glance with a sparkline of
gives per week. ``tab``/``shift+tab`` move between sections, ``enter`` opens the
row's contact or reflection, ``r`` writes a reflection about the contact, ``w``
opens the weekly review.
"""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Sparkline, Static

from netjournal.insights import STUCK_DAYS, missing_answer
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.section_list import Row, SectionList, contact_row, reflection_row

WELCOME = (
    "Welcome. This journal has no contacts yet.\n\n"
    "Press n to add someone you want to know, and say why: be selective. "
    "Then note what you could give them, before you ever need to ask.\n\n"
    "Already have an address book? Press i to import it: a phone's or Apple's vCard, LinkedIn's "
    "Connections.csv, Google Contacts or any CSV (a jrnl journal too). You see the plan first; "
    "the people land in a pool you choose from.\n\n"
    "(Or press 2 then n, or ctrl+p and choose 'New contact' or 'Import contacts…'; ? lists every key.)"
)
HINT = "tab/shift+tab: next/previous section · enter: open · r: write about them · w: weekly review"


def when(day: str, today: _dt.date) -> str:
    """A follow-up date in words relative to today: "today", "in 2 days", "3 days ago"."""
    try:
        delta = (_dt.date.fromisoformat(day) - today).days
    except ValueError:
        return day
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def named(text: Text, names: list[str]) -> Text:
    """``text`` followed by " · " and the names, all literal."""
    if names:
        text.append(" · ", "dim")
        text.append_text(literal(", ".join(names), "dim"))
    return text


class DashboardScreen(JournalScreen):
    """What to do next, at a glance."""

    CSS_PATH = "dashboard.tcss"
    # The first section with rows takes the focus once laid out (on_mount), without
    # the scroll Textual's auto-focus starts before the layout is known.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "weekly_review", "Weekly review", id="dashboard.review"),
        Binding("r", "write_reflection", "Write about them", id="dashboard.reflect"),
        Binding("n", "new_contact", "New contact", id="dashboard.new"),
        Binding("i", "app.import_contacts", "Import", show=False, id="dashboard.import"),
        Binding("tab", "app.focus_next", "Next section", show=False, id="dashboard.next"),
        Binding("shift+tab", "app.focus_previous", "Previous section", show=False, id="dashboard.previous"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WELCOME, id="dashboard-welcome", classes="welcome")
        yield Static(id="dashboard-notice")  # conflict copies waiting to be merged
        with ScrollableContainer(id="dashboard", can_focus=False):
            with VerticalScroll(id="dashboard-left", can_focus=False):
                yield SectionList("Due to touch", "Nobody is due. Your well is dug.", id="due")
                yield SectionList("Follow-ups this week",
                                  "No follow-ups this week: a good week to give first.", id="follow-ups")
                yield SectionList("Asks made before trust",
                                  "No early asks: you earned trust before asking.", id="early-asks")
            with VerticalScroll(id="dashboard-right", can_focus=False):
                with Vertical(id="this-week"):
                    yield Static("This week", id="this-week-title")
                    yield Static(id="this-week-counts")
                    yield Static(id="gives-caption", classes="section-caption")
                    yield Sparkline([], id="gives-sparkline")
                yield SectionList("Without a why or an offer",
                                  "Every contact has a why and an offer.", id="missing")
                yield SectionList(f"Stuck: no step in {STUCK_DAYS} days",
                                  f"Nobody is stuck: every relationship moved in the last {STUCK_DAYS} days.",
                                  id="stuck")
        yield Static(HINT, id="dashboard-later", classes="hint")
        yield Footer()

    _offers: bool | None = None  # what the footer last offered: r for a selected contact

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        self.refresh_data()
        self.focus_first_section()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def focus_first_section(self) -> None:
        for section in self.query(SectionList):
            if section.rows.display:
                section.rows.focus(scroll_visible=False)  # the section shows itself (SectionList)
                return

    # ------------------------------------------------------------------ data

    def refresh_data(self) -> None:
        journal = self.journal
        empty = not journal.contacts(include_archived=True)
        self.set_class(empty, "-empty")  # the welcome instead of the sections (dashboard.tcss)
        self._show_conflict_copies(journal.conflict_copies())
        if empty:
            return
        today = journal.today
        facts = journal.facts()
        names = {slug: fact.contact.name for slug, fact in facts.items()}

        due: list[Row] = []
        for fact in journal.due():
            line = literal(fact.contact.name, "bold")
            line.append(f"  {fact.days_overdue} days overdue" if fact.days_overdue else "  due today",
                        "italic")
            if fact.contact.offer:
                line.append("\n  give: ", "dim")
                line.append_text(literal(fact.contact.offer))
            else:
                line.append(f"\n  {missing_answer(fact.contact, 'offer')}", "dim")
            due.append((contact_row(fact.contact.slug), line))
        self.query_one("#due", SectionList).show(due)

        follow_ups: list[Row] = []
        for reflection in journal.follow_ups_due():
            line = Text(f"{reflection.follow_up}  ", "bold")
            line.append_text(literal(reflection.title))
            line.append(f"  ({when(reflection.follow_up or '', today)})", "italic")
            follow_ups.append((reflection_row(reflection.path),
                               named(line, [names[s] for s in reflection.links if s in names])))
        self.query_one("#follow-ups", SectionList).show(follow_ups)

        early: list[Row] = []
        for ask in journal.early_asks():
            line = Text(f"{ask.reflection.date}  ")
            line.append_text(literal(ask.reflection.title))
            early.append((reflection_row(ask.reflection.path), named(line, [ask.contact.name])))
        self.query_one("#early-asks", SectionList).show(early)

        missing: list[Row] = []
        stuck: list[Row] = []
        for fact in sorted(facts.values(), key=lambda f: f.contact.name.lower()):
            contact = fact.contact
            if contact.archived or fact.pool:  # the pool waits to be chosen: not a task yet
                continue
            lacks = fact.unanswered
            if lacks:
                line = literal(contact.name, "bold")
                line.append("  no " + " and no ".join(lacks), "italic")
                missing.append((contact_row(contact.slug), line))
            if fact.stuck_since:
                line = literal(contact.name, "bold")
                line.append(f"  last step {fact.stuck_since}", "italic")
                stuck.append((contact_row(contact.slug), line))
        self.query_one("#missing", SectionList).show(missing)
        self.query_one("#stuck", SectionList).show(stuck)

        review = journal.review(today)
        self.query_one("#this-week-title", Static).update(f"This week ({review.start} – {review.end})")
        counts = Text()
        for one, many, count in (("give", "gives", len(review.gives)), ("ask", "asks", len(review.asks)),
                                 ("reflection", "reflections", len(review.reflections)),
                                 ("touch", "touches", len(review.touched))):
            if counts:
                counts.append(" · ", "dim")
            counts.append(str(count), "bold")
            counts.append(f" {one if count == 1 else many}")
        self.query_one("#this-week-counts", Static).update(counts)
        gives = journal.gives_per_week(12)
        self.query_one("#gives-sparkline", Sparkline).data = gives
        self.query_one("#gives-caption", Static).update(f"Gives per week, the last 12 weeks: {sum(gives)}")

    def _show_conflict_copies(self, copies: list) -> None:
        """A notice while a file changed in two places has its other version beside it."""
        notice = self.query_one("#dashboard-notice", Static)
        notice.display = bool(copies)
        if not copies:
            return
        text = Text("⚠ ", "bold")
        many = len(copies) > 1
        text.append(f"{len(copies)} conflict {'copies wait' if many else 'copy waits'} to be merged", "bold")
        text.append(" (a file changed in two places; the other version is kept beside it): ")
        text.append_text(literal(", ".join(p.path for p in copies[:3]) + (" …" if len(copies) > 3 else "")))
        text.append(". Compare, keep what you want in the original, then delete the copy "
                    "(palette: Show problems).", "dim")
        notice.update(text)

    # ------------------------------------------------------------------ actions

    def _selected(self) -> tuple[str, str] | None:
        focused = self.focused
        if isinstance(focused, OptionList) and isinstance(focused.parent, SectionList):
            return focused.parent.selected_row()
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write_reflection":
            selected = self._selected()
            return True if selected and selected[0] == "contact" else None
        return True

    def on_descendant_focus(self) -> None:
        self._update_footer()

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._update_footer()

    def _update_footer(self) -> None:
        """The footer rebuilds every key on a refresh (ten of them, at start once per
        section list that highlights its first row): only when what it offers changed."""
        selected = self._selected()
        offers = bool(selected and selected[0] == "contact")
        if offers != self._offers:
            self._offers = offers
            self.refresh_bindings()

    def action_write_reflection(self) -> None:
        selected = self._selected()
        if selected and selected[0] == "contact":
            self.app.open_editor(contacts=[selected[1]])

    def action_weekly_review(self) -> None:
        from netjournal.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_new_contact(self) -> None:
        self.app.action_new_contact()
