"""The weekly review: one week's gives, asks (early ones flagged), reflections,
touches, who became due, open follow-ups, and your "me" card with the article's
question: do they know this about you?  ``[``/``]`` (or left/right) move a week,
``n`` writes the week's reflection from a template prefilled with these facts."""

from __future__ import annotations

import datetime as _dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.widgets import Static

from netjournal.insights import WeeklyReview
from netjournal.me import FIELDS as ME_FIELDS
from netjournal.me import QUESTION, MeCard
from netjournal.model import Reflection
from netjournal.text import clean
from netjournal.tui.messages import JournalChanged
from netjournal.tui.safe import literal
from netjournal.tui.screens.base import JournalScreen
from netjournal.tui.widgets.footer import Footer
from netjournal.tui.widgets.header import Header
from netjournal.tui.widgets.section_list import Row, SectionList, contact_row, focus_first, reflection_row

KNOWN_QUESTION = "Who knows me better now: my strengths and my goals?"
# The article's questions, asked of every week.
QUESTIONS = (
    "What did I give this week, before I needed anything?",
    "Who is due a touch, and what could I give them from what I have?",
    "Did I ask anyone for a favour before earning their trust and going deeper?",
    "Which relationship went deeper than small talk? Did I tell them what helped me?",
    KNOWN_QUESTION,
    "Whom do I want to know next, and why?",
)


def review_title(review: WeeklyReview) -> str:
    return f"Weekly review {review.start} – {review.end}"


def card_summary(card: MeCard) -> list[tuple[str, str]]:
    """(label, items joined) for the card's strengths and goals, those it has."""
    return [(label, "; ".join(card.value(key))) for key, label in ME_FIELDS
            if key in ("strengths", "goals") and card.value(key)]


def review_template(review: WeeklyReview, names: dict[str, str], card: MeCard | None = None) -> str:
    """The week's facts as Markdown bullets, then the article's questions (the one
    about being known quotes the "me" card)."""

    def who(reflection: Reflection) -> str:
        linked = [names[s] for s in reflection.links if s in names]
        return f" ({', '.join(clean(n) for n in linked)})" if linked else ""

    def item(reflection: Reflection, extra: str = "") -> str:
        return f"- {reflection.date} {clean(reflection.title)}{who(reflection)}{extra}"

    early = {e.reflection.path for e in review.early}
    sections: list[tuple[str, list[str]]] = [
        ("What I gave", [item(r) for r in review.gives]),
        ("What I asked", [item(r, " — before trust" if r.path in early else "") for r in review.asks]),
        ("What else I wrote", [item(r, f" ({r.kind})") for r in review.reflections
                               if r not in review.gives and r not in review.asks]),
        ("Who I touched", [f"- {clean(c.name)}" for c in review.touched]),
        ("Who became due", [f"- {clean(f.contact.name)} (due {f.due})" for f in review.became_due]),
        ("Follow-ups", [f"- {r.follow_up} {clean(r.title)}{who(r)}" for r in review.follow_ups]),
    ]
    lines = [f"Week of {review.start} to {review.end}.", ""]
    for heading, items in sections:
        lines += [f"## {heading}", "", *(items or ["- nothing"]), ""]
    for question in QUESTIONS:
        lines += [f"## {question}", ""]
        quoted = card_summary(card) if question == KNOWN_QUESTION and card is not None else []
        if quoted:
            lines += [f"> {label}: {clean(text)}" for label, text in quoted] + [""]
        lines += ["", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


class ReviewScreen(JournalScreen):
    """One week, reviewed."""

    CSS_PATH = "review.tcss"
    # The first section with rows takes the focus once laid out (on_mount), without
    # the scroll Textual's auto-focus starts before the layout is known.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_review", "Back", id="review.back"),
        Binding("left_square_bracket", "previous_week", "Previous week", id="review.previous"),
        Binding("right_square_bracket", "next_week", "Next week", id="review.next"),
        Binding("left", "previous_week", "Previous week", show=False, id="review.previous_arrow"),
        Binding("right", "next_week", "Next week", show=False, id="review.next_arrow"),
        Binding("t", "this_week", "This week", id="review.this_week"),
        Binding("n", "write_review", "Write this week's reflection", id="review.write"),
        Binding("tab", "app.focus_next", "Next section", show=False, id="review.focus_next"),
        Binding("shift+tab", "app.focus_previous", "Previous section", show=False, id="review.focus_previous"),
    ]

    def __init__(self, day: _dt.date | None = None) -> None:
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-title")
        with ScrollableContainer(id="review", can_focus=False):
            with VerticalScroll(id="review-left", can_focus=False):
                yield SectionList("Gives", "No gives this week. Who could you help first?", id="review-gives")
                yield SectionList("Asks", "No asks this week.", id="review-asks")
                yield SectionList("Reflections", "Nothing written this week.", id="review-reflections")
            with VerticalScroll(id="review-right", can_focus=False):
                yield SectionList("Touched", "Nobody touched this week.", id="review-touched")
                yield SectionList("Became due", "Nobody became due this week.", id="review-due")
                yield SectionList("Follow-ups", "No open follow-ups this week.", id="review-follow-ups")
                with Vertical(id="review-known", classes="section"):
                    yield Static(f"Be known: {QUESTION}", classes="section-title")
                    yield Static(id="review-card")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Weekly review"
        if self.day is None:
            self.day = self.journal.today
        self.refresh_data()
        focus_first(self.query(SectionList))

    def on_journal_changed(self, _: JournalChanged) -> None:
        self.refresh_data()

    @property
    def review(self) -> WeeklyReview:
        return self.journal.review(self.day)

    def refresh_data(self) -> None:
        journal = self.journal
        review = self.review
        names = journal.contact_names()
        this_week = review.start <= journal.today.isoformat() <= review.end
        title = Text(f"Week of {review.start} to {review.end}", "bold")
        if this_week:
            title.append("  (this week)", "italic")
        self.query_one("#review-title", Static).update(title)

        def line(reflection: Reflection, extra: str = "", *, dated: bool = True) -> Text:
            text = Text(f"{reflection.date}  " if dated else "")
            text.append_text(literal(reflection.title))
            if extra:
                text.append(extra, "bold italic")
            linked = [names[s] for s in reflection.links if s in names]
            if linked:
                text.append(" · ", "dim")
                text.append_text(literal(", ".join(linked), "dim"))
            return text

        early = {e.reflection.path for e in review.early}
        self.query_one("#review-gives", SectionList).show(
            [(reflection_row(r.path), line(r)) for r in review.gives])
        self.query_one("#review-asks", SectionList).show(
            [(reflection_row(r.path), line(r, "  before trust" if r.path in early else "")) for r in review.asks])
        self.query_one("#review-reflections", SectionList).show(
            [(reflection_row(r.path), line(r, f"  {r.kind}")) for r in review.reflections])
        self.query_one("#review-touched", SectionList).show(
            [(contact_row(c.slug), literal(c.name)) for c in review.touched])
        due: list[Row] = []
        for fact in review.became_due:
            text = literal(fact.contact.name)
            text.append(f"  due {fact.due}", "italic")
            due.append((contact_row(fact.contact.slug), text))
        self.query_one("#review-due", SectionList).show(due)
        follow_ups: list[Row] = []
        for r in review.follow_ups:
            text = Text(f"{r.follow_up}  ", "bold")
            text.append_text(line(r, dated=False))
            follow_ups.append((reflection_row(r.path), text))
        self.query_one("#review-follow-ups", SectionList).show(follow_ups)
        self._show_card(journal.me_card(), review)

    def _show_card(self, card: MeCard, review: WeeklyReview) -> None:
        text = Text()
        if review.touched:
            text.append("You touched ", "italic")
            text.append_text(literal(", ".join(c.name for c in review.touched), "italic"))
            text.append(" this week.\n", "italic")
        summary = card_summary(card)
        for label, items in summary:
            text.append(f"{label}: ", "bold")
            text.append_text(literal(items))
            text.append("\n")
        if not summary:
            text.append("Your card is empty: press m to write what you want people to know about you.", "dim")
        self.query_one("#review-card", Static).update(text.rstrip() or text)
    # ------------------------------------------------------------------ actions

    def _move(self, weeks: int) -> None:
        assert self.day is not None
        self.day = self.day + _dt.timedelta(weeks=weeks)
        self.refresh_data()

    def action_previous_week(self) -> None:
        self._move(-1)

    def action_next_week(self) -> None:
        self._move(1)

    def action_this_week(self) -> None:
        self.day = self.journal.today
        self.refresh_data()

    def action_close_review(self) -> None:
        self.app.pop_screen()

    def action_write_review(self) -> None:
        from netjournal.tui.screens.editor import EditorScreen

        journal = self.journal
        review = self.review
        day = min(review.end, journal.today.isoformat())
        self.app.push_screen(EditorScreen(prefill={
            "title": review_title(review),
            "date": day,
            "kind": "note",
            "body": review_template(review, journal.contact_names(), journal.me_card()),
        }))
