"""Area 1, the start screen: "dig your well before you are thirsty".

Who is due a touch (overdue first, with what you could give them), open follow-ups
(overdue ones first, and "how did the introduction go?" 30 days after an intro),
asks made before trust, birthdays and dates coming up in the next two weeks,
relationships that need care (once healthy, slipping now), contacts without a why or
an offer, relationships stuck on a step, and this week at a glance with a sparkline of
gives per week. ``tab``/``shift+tab`` move between sections, ``enter`` opens the row's
contact or reflection, ``r`` writes a reflection about the contact, ``d`` marks the
selected follow-up done, ``w`` opens the weekly review.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Sparkline, Static

from netjournal.tui.follow_ups import toggle_follow_up
from netjournal.tui.kept import KeptViewError, text_from, text_json
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.section_list import Row, SectionList, contact_row, focus_first, reflection_row
from netjournal.vocab import STUCK_DAYS

WELCOME = (
    "Welcome. This journal has no contacts yet.\n\n"
    "Press n to add someone you want to know, and say why: be selective. "
    "Then note what you could give them, before you ever need to ask.\n\n"
    "Already have an address book? Press i to import it: a phone's or Apple's vCard, LinkedIn's "
    "Connections.csv, Google Contacts or any CSV (a jrnl journal too). You see the plan first; "
    "the people land in a pool you choose from.\n\n"
    "(Or press 2 then n, or ctrl+p and choose 'New contact' or 'Import contacts…'; ? lists every key.)"
)
if TYPE_CHECKING:
    from netjournal.journal import Journal
    from netjournal.model import Problem

T = TypeVar("T")
HINT = "tab: next section · enter: open · d: follow-up done · : capture a line · m: your card · ?: every key"


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


def first(items: list[T]) -> list[T]:
    """The items a section shows (the rest are counted, not made into rows)."""
    return items[: SectionList.LIMIT]


def named(text: Text, names: list[str]) -> Text:
    """``text`` followed by " · " and the names, all literal."""
    if names:
        text.append(" · ", "dim")
        text.append_text(literal(", ".join(names), "dim"))
    return text


VIEW = "dashboard"  # the name the view is kept under (``Journal.remember_view``)
VIEW_SCHEMA = 1  # what the kept view holds changed: views kept before are not used


def dashboard_view(journal: Journal, theme: str, colors: dict[str, str]) -> dict[str, Any]:
    """Everything the dashboard shows, as JSON (texts as ``kept.text_json``): computed
    here from the journal's facts, or kept from the last run (``Journal.remember_view``,
    valid for the same files, day, settings -- and ``theme``: ``colors`` are its)."""
    from netjournal.insights import OVERDUE, missing_answer  # not needed for a kept view
    from netjournal.tui.widgets.health_bar import health_bar

    view: dict[str, Any] = {"schema": VIEW_SCHEMA, "theme": theme, "colors": colors_key(colors),
                            "empty": not journal.contacts(include_archived=True),
                            "notice": _conflict_notice(journal.conflict_copies())}
    if view["empty"]:
        return view
    today = journal.today
    facts = journal.facts()
    names = {slug: fact.contact.name for slug, fact in facts.items()}
    sections: dict[str, tuple[list[Row], int]] = {}

    # Each section shows its first SectionList.LIMIT rows and the count: only those
    # rows are made (771 due and 1,483 follow-ups in a 10,000-entry journal).
    due_now = journal.due()
    due: list[Row] = []
    for fact in first(due_now):
        line = literal(fact.contact.name, "bold")
        line.append(f"  {fact.days_overdue} days overdue" if fact.days_overdue else "  due today",
                    "italic")
        if fact.contact.offer:
            line.append("\n  give: ", "dim")
            line.append_text(literal(fact.contact.offer))
        else:
            line.append(f"\n  {missing_answer(fact.contact, 'offer')}", "dim")
        due.append((contact_row(fact.contact.slug), line))
    sections["due"] = (due, len(due_now))

    follow_ups_due = journal.follow_ups_due()
    follow_ups: list[Row] = []
    for item in first(follow_ups_due):
        reflection = item.reflection
        line = Text(f"{item.due}  ", "bold")
        if item.question:
            line.append_text(literal(item.question))
            line.append(f"  (introduced {reflection.date})", "italic")
        else:
            line.append_text(literal(reflection.title))
        if item.status(today) == OVERDUE:
            days = item.days_overdue(today)
            line.append(f"  overdue {days} day{'s' if days != 1 else ''}",
                        f"bold {colors.get('text-error', 'red')}")
        elif not item.question:
            line.append(f"  ({when(item.due, today)})", "italic")
        linked = [] if item.question else [names[s] for s in reflection.links if s in names]
        follow_ups.append((reflection_row(reflection.path), named(line, linked)))
    sections["follow-ups"] = (follow_ups, len(follow_ups_due))

    needs_care = journal.needs_care()
    care: list[Row] = []
    for fact in first(needs_care):
        line = literal(fact.contact.name, "bold")
        line.append("  ")
        line.append_text(health_bar(fact.health, colors))
        if fact.health_reasons:
            line.append("\n  ")
            line.append_text(literal("; ".join(fact.health_reasons), "dim"))
        care.append((contact_row(fact.contact.slug), line))
    sections["needs-care"] = (care, len(needs_care))

    early_asks = journal.early_asks()
    early: list[Row] = []
    for ask in first(early_asks):
        line = Text(f"{ask.reflection.date}  ")
        line.append_text(literal(ask.reflection.title))
        early.append((reflection_row(ask.reflection.path), named(line, [ask.contact.name])))
    sections["early-asks"] = (early, len(early_asks))

    coming_up = journal.coming_up()
    coming: list[Row] = []
    for item in first(coming_up):
        line = Text(f"{item.on.isoformat()}  ", "bold")
        line.append_text(literal(item.contact.name))
        line.append(": ")
        line.append_text(literal(item.label))
        words = item.words()
        line.append(f"  {words + ', ' if words else ''}{item.when()}", "italic")
        coming.append((contact_row(item.contact.slug), line))
    sections["coming-up"] = (coming, len(coming_up))

    chosen = [fact for fact in sorted(facts.values(), key=lambda f: f.contact.name.lower())
              if not fact.contact.archived and not fact.pool]  # the pool waits to be chosen: not a task yet
    lacking = [fact for fact in chosen if fact.unanswered]
    missing: list[Row] = []
    for fact in first(lacking):
        line = literal(fact.contact.name, "bold")
        line.append("  no " + " and no ".join(fact.unanswered), "italic")
        missing.append((contact_row(fact.contact.slug), line))
    stuck_facts = [fact for fact in chosen if fact.stuck_since]
    stuck: list[Row] = []
    for fact in first(stuck_facts):
        line = literal(fact.contact.name, "bold")
        line.append(f"  last step {fact.stuck_since}", "italic")
        stuck.append((contact_row(fact.contact.slug), line))
    sections["missing"] = (missing, len(lacking))
    sections["stuck"] = (stuck, len(stuck_facts))
    view["sections"] = {name: [[[row_id, text_json(text)] for row_id, text in rows], total]
                        for name, (rows, total) in sections.items()}

    review = journal.review(today)
    view["week"] = [str(review.start), str(review.end)]
    counts = Text()
    for one, many, count in (("give", "gives", len(review.gives)), ("ask", "asks", len(review.asks)),
                             ("reflection", "reflections", len(review.reflections)),
                             ("touch", "touches", len(review.touched))):
        if counts:
            counts.append(" · ", "dim")
        counts.append(str(count), "bold")
        counts.append(f" {one if count == 1 else many}")
    view["week_counts"] = text_json(counts)
    gives = journal.gives_per_week(12)
    view["gives"] = gives
    return view


def _conflict_notice(copies: list[Problem]) -> list[Any] | None:
    """A notice while a file changed in two places has its other version beside it."""
    if not copies:
        return None
    text = Text("⚠ ", "bold")
    many = len(copies) > 1
    text.append(f"{len(copies)} conflict {'copies wait' if many else 'copy waits'} to be merged", "bold")
    text.append(" (a file changed in two places; the other version is kept beside it): ")
    text.append_text(literal(", ".join(p.path for p in copies[:3]) + (" …" if len(copies) > 3 else "")))
    text.append(". Compare, keep what you want in the original, then delete the copy "
                "(palette: Show problems).", "dim")
    return text_json(text)


SECTIONS = ("due", "follow-ups", "needs-care", "early-asks", "coming-up", "missing", "stuck")
_MOST = 10**9  # no count on a dashboard is as big: a bigger one is not ours


def colors_key(colors: dict[str, str]) -> str:
    """The theme's colours, as one string: a view kept in a theme whose colours changed
    since (a user's theme file edited, an upgrade) is not used."""
    return repr(sorted(colors.items()))


class DecodedView(NamedTuple):
    """A dashboard view with its texts as Rich Text, ready for the widgets."""

    empty: bool
    notice: Text | None
    sections: dict[str, tuple[list[Row], int]]
    week: str
    week_counts: Text
    gives: list[int]
    gives_caption: str


def _count(value: Any) -> int:
    if type(value) is not int or not 0 <= value < _MOST:
        raise ValueError("not a count")
    return value


def _string(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def decode_view(view: Any) -> DecodedView | None:
    """``view`` decoded, if every part of it is of the kind ``dashboard_view`` makes
    (texts as ``kept.text_from`` takes them, counts as whole numbers, the known
    sections); else None."""
    try:
        empty = view["empty"]
        if type(empty) is not bool:
            return None
        notice = None if view["notice"] is None else text_from(view["notice"])
        if empty:
            return DecodedView(True, notice, {}, "", Text(), [], "")
        sections = view["sections"]
        if not isinstance(sections, dict) or set(sections) != set(SECTIONS):
            return None
        decoded: dict[str, tuple[list[Row], int]] = {}
        for name in SECTIONS:
            rows, total = sections[name]
            decoded[name] = ([(_string(row_id), text_from(text)) for row_id, text in rows], _count(total))
        gives = [_count(n) for n in view["gives"]]
        start, end = (_dt.date.fromisoformat(_string(day)) for day in view["week"])
        return DecodedView(False, notice, decoded, f"This week ({start} – {end})", text_from(view["week_counts"]),
                           gives, f"Gives per week, the last {len(gives)} weeks: {sum(gives)}")
    except (KeptViewError, KeyError, TypeError, ValueError):
        return None


class DashboardScreen(JournalScreen):
    """What to do next, at a glance."""

    CSS_PATH = "dashboard.tcss"
    # The first section with rows takes the focus once laid out (on_mount), without
    # the scroll Textual's auto-focus starts before the layout is known.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "weekly_review", "Weekly review", id="dashboard.review"),
        Binding("r", "write_reflection", "Write about them", id="dashboard.reflect"),
        Binding("d", "follow_up_done", "Follow-up done", id="dashboard.follow_up_done"),
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
                yield SectionList("Follow-ups",
                                  "No follow-ups due: a good week to give first.", id="follow-ups")
                yield SectionList("Asks made before trust",
                                  "No early asks: you earned trust before asking.", id="early-asks")
            with VerticalScroll(id="dashboard-right", can_focus=False):
                with Vertical(id="this-week"):
                    yield Static("This week", id="this-week-title")
                    yield Static(id="this-week-counts")
                    yield Static(id="gives-caption", classes="section-caption")
                    yield Sparkline([], id="gives-sparkline")
                yield SectionList("Coming up", "No birthdays or dates to remember in the next two weeks.",
                                  id="coming-up")
                yield SectionList("Needs care", "Every relationship that was healthy still is.", id="needs-care")
                yield SectionList("Without a why or an offer",
                                  "Every contact has a why and an offer.", id="missing")
                yield SectionList(f"Stuck: no step in {STUCK_DAYS} days",
                                  f"Nobody is stuck: every relationship moved in the last {STUCK_DAYS} days.",
                                  id="stuck")
        yield Static(HINT, id="dashboard-later", classes="hint")
        yield Footer()

    _offers: tuple[bool, bool] | None = None  # what the footer last offered: r (a contact), d (a follow-up)

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        kept = self._kept_view()
        if kept is not None:
            self.show_view(*kept)
        else:
            self.refresh_data()
        self.kept_view_shown = kept is not None
        self.focus_first_section()

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    def focus_first_section(self) -> None:
        focus_first(self.query(SectionList))

    # ------------------------------------------------------------------ data

    _shown: dict[str, Any] | None = None  # the view on screen
    kept_view_shown = False  # the first view was the one kept by the last run

    def refresh_data(self) -> None:
        """Show the journal as it is now (the screen is left alone when that is what
        it shows already)."""
        view = self.compute_view()
        decoded = decode_view(view)
        if decoded is None:  # pragma: no cover - dashboard_view makes only what decodes
            raise ValueError("the dashboard's view does not decode")
        self.show_view(view, decoded)

    def compute_view(self) -> dict[str, Any]:
        return dashboard_view(self.journal, self.app.theme, self.app.theme_variables)

    def _kept_view(self) -> tuple[dict[str, Any], DecodedView] | None:
        """The view kept when the app last closed, decoded, if the journal is as it was
        then (``Journal.remembered_view``: no index read, no facts computed), it was
        drawn in this theme with these colours by this version of the screen, and every
        part of it is what ``dashboard_view`` makes (the file is a cache any program
        can write: anything else, and the view is computed)."""
        kept = self.journal.remembered_view(VIEW)
        if not isinstance(kept, dict) or kept.get("schema") != VIEW_SCHEMA or kept.get("theme") != self.app.theme \
                or kept.get("colors") != colors_key(self.app.theme_variables):
            return None
        decoded = decode_view(kept)
        return None if decoded is None else (kept, decoded)

    def show_view(self, view: dict[str, Any], decoded: DecodedView) -> None:
        """Put ``view`` (as ``decode_view`` decoded it) on the screen, unless it is there."""
        if view == self._shown:
            return
        self.set_class(decoded.empty, "-empty")  # the welcome instead of the sections (dashboard.tcss)
        notice = self.query_one("#dashboard-notice", Static)
        notice.display = decoded.notice is not None
        if decoded.notice is not None:
            notice.update(decoded.notice)
        if not decoded.empty:
            for section, (rows, total) in decoded.sections.items():
                self.query_one(f"#{section}", SectionList).show(rows, total)
            self.query_one("#this-week-title", Static).update(literal(decoded.week))
            self.query_one("#this-week-counts", Static).update(decoded.week_counts)
            self.query_one("#gives-sparkline", Sparkline).data = decoded.gives
            self.query_one("#gives-caption", Static).update(literal(decoded.gives_caption))
        self._shown = view

    # ------------------------------------------------------------------ actions

    def _selected(self) -> tuple[str, str] | None:
        focused = self.focused
        return focused.selected_row() if isinstance(focused, SectionList) else None

    def _selected_follow_up(self) -> str | None:
        """The path of the follow-up row under the cursor, if one is."""
        focused = self.focused
        if isinstance(focused, SectionList) and focused.id == "follow-ups":
            selected = focused.selected_row()
            if selected and selected[0] == "reflection":
                return selected[1]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write_reflection":
            selected = self._selected()
            return True if selected and selected[0] == "contact" else None
        if action == "follow_up_done":
            return self._selected_follow_up() is not None  # shown on a follow-up row only
        return True

    def on_descendant_focus(self) -> None:
        self._update_footer()

    def on_section_list_highlighted(self, _: SectionList.Highlighted) -> None:
        self._update_footer()

    def _update_footer(self) -> None:
        """The footer rebuilds every key on a refresh (ten of them, at start once per
        section list that highlights its first row): only when what it offers changed."""
        selected = self._selected()
        offers = (bool(selected and selected[0] == "contact"), self._selected_follow_up() is not None)
        if offers != self._offers:
            self._offers = offers
            self.refresh_bindings()

    def action_write_reflection(self) -> None:
        selected = self._selected()
        if selected and selected[0] == "contact":
            self.app.open_editor(contacts=[selected[1]])

    def action_follow_up_done(self) -> None:
        """Mark the selected follow-up done today: it leaves the list."""
        path = self._selected_follow_up()
        if path is not None:
            toggle_follow_up(self.app, path, done=True)

    def action_weekly_review(self) -> None:
        from netjournal.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_new_contact(self) -> None:
        self.app.action_new_contact()
