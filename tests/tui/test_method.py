"""The method's habits in the app: the capture line (:), follow-ups done with d,
your card (m), health on the contact screen, the review's "be known"."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static, TextArea

from netjournal.store import frontmatter
from netjournal.tui.screens.capture import CaptureScreen
from netjournal.tui.screens.confirm import ConfirmModal
from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.contacts import ContactsScreen
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.screens.me import MeScreen
from netjournal.tui.screens.reflection_view import ReflectionViewScreen
from netjournal.tui.screens.reflections import ReflectionsScreen
from netjournal.tui.screens.review import ReviewScreen
from netjournal.tui.widgets.contact_summary import ContactLedger
from netjournal.tui.widgets.section_list import SectionList
from netjournal.tui.widgets.step_checklist import StepChecklist
from tests.conftest import TODAY
from tests.tui.test_dashboard import rows, settle

SIZE = (120, 36)
MARCUS = "reflections/2026/2026-08-20-marcus-passed-me-a-freelance-brief.md"


def reflection_files(app) -> set[str]:
    root = app.journal.root
    return {p.relative_to(root).as_posix() for p in (root / "reflections").rglob("*.md")}


def preview(app) -> str:
    return str(app.screen.query_one("#capture-preview", Static).render())


# --------------------------------------------------------------------------- the capture line


async def test_capture_a_give_from_the_dashboard(make_app) -> None:
    """The issue's "done means": `:`, the line, enter -- Kofi's gave count goes up and
    he leaves the due list, at once."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        gave = app.journal.contact_facts("kofi-mensah").gave
        assert "Kofi Mensah" in [r.split("  ")[0] for r in rows(app.screen, "due")]
        await pilot.press("colon", *"gave @kofi the workbook draft #coaching")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        assert preview(app).startswith("2026-11-25  give  Gave Kofi Mensah the workbook draft")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        facts = app.journal.contact_facts("kofi-mensah")
        assert facts.gave == gave + 1 and facts.last_touch == TODAY.isoformat()
        assert [r.split("  ")[0] for r in rows(screen, "due")] == ["Daniel Kowalczyk", "Marcus Feld"]
        path = app.journal.root / "reflections/2026/2026-11-25-gave-kofi-mensah-the-workbook-draft.md"
        doc = frontmatter.parse_bytes(path.read_bytes())
        assert (doc.meta["kind"], doc.meta["contacts"], doc.meta["tags"]) == ("give", ["kofi-mensah"], ["coaching"])


async def test_tab_completes_a_mention_and_a_tag(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"thanked @pri")
        await settle(pilot)
        suggestions = app.screen.query_one("#capture-suggestions", OptionList)
        assert suggestions.display
        assert str(suggestions.get_option_at_index(0).prompt) == "Priya Raman  @priya-raman"
        await pilot.press("tab", *"for the intro #cou")
        await settle(pilot)
        assert str(suggestions.get_option_at_index(0).prompt) == "#course"
        await pilot.press("tab")
        await settle(pilot)
        box = app.screen.query_one("#capture-input", Input)
        assert box.value == "thanked @priya-raman for the intro #course "
        assert not suggestions.display  # nothing left to complete
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        reflection = app.journal.reflections(contact="priya-raman")[0]
        assert (reflection.title, reflection.kind, reflection.tags) == (
            "Thanked Priya Raman for the intro", "thanks", ["course"])


async def test_a_tag_typed_in_full_is_suggested_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"met @grace #coaching")
        await settle(pilot)
        suggestions = app.screen.query_one("#capture-suggestions", OptionList)
        shown = [str(suggestions.get_option_at_index(i).prompt) for i in range(suggestions.option_count)]
        assert shown[0] == "#coaching" and "#coaching-trio" in shown


async def test_tab_takes_the_whole_word_before_longer_tags_and_names(make_app, tmp_path) -> None:
    # #coaching-trio is the sample's most used tag, yet "#coa" + tab gives #coaching:
    # the exact word, then whole words, then the shorter, rank first; mentions alike
    from netjournal.journal import Journal

    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    journal.create_contact({"name": "Chenoa Abbott"})
    journal.create_contact({"name": "Wei Chen"})
    app = make_app(journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("colon", *"met @grace #coa")
        await settle(pilot)
        suggestions = app.screen.query_one("#capture-suggestions", OptionList)
        shown = [str(suggestions.get_option_at_index(i).prompt) for i in range(suggestions.option_count)]
        assert shown[:2] == ["#coaching", "#coaching-trio"], shown
        await pilot.press("tab")
        await settle(pilot)
        box = app.screen.query_one("#capture-input", Input)
        assert box.value == "met @grace #coaching "
        await pilot.press(*"with @chen")
        await settle(pilot)
        shown = [str(suggestions.get_option_at_index(i).prompt) for i in range(suggestions.option_count)]
        assert shown[:2] == ["Wei Chen  @wei-chen", "Chenoa Abbott  @chenoa-abbott"], shown
        await pilot.press("tab")
        await settle(pilot)
        assert box.value == "met @grace #coaching with @wei-chen "


async def test_two_of_the_same_name_are_told_apart_by_their_org(make_app, tmp_path) -> None:
    from netjournal.journal import Journal

    journal = Journal.init(tmp_path / "j", sample=True, today=TODAY)
    journal.create_contact({"name": "Alex Chen", "org": "Northwind"})
    journal.create_contact({"name": "Alex Chen", "org": "Harbourline"})
    app = make_app(journal=journal)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = reflection_files(app)
        await pilot.press("colon", *"met @alex")
        await settle(pilot)
        suggestions = app.screen.query_one("#capture-suggestions", OptionList)
        shown = [str(suggestions.get_option_at_index(i).prompt) for i in range(suggestions.option_count)]
        assert shown[:2] == ["Alex Chen, Northwind  @alex-chen", "Alex Chen, Harbourline  @alex-chen-2"], shown
        await pilot.press(*".chen", "enter")  # no suggestion for "alex.chen": enter tries to save
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)
        assert ("@alex.chen could be @alex-chen (Alex Chen, Northwind), @alex-chen-2 (Alex Chen, Harbourline)"
                in preview(app).replace("\n", " ")), preview(app)
        assert reflection_files(app) == before


async def test_an_unknown_mention_writes_nothing_and_says_why(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = reflection_files(app)
        await pilot.press("colon", *"coffee with @zelda", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen)  # still open, the line kept
        assert "@zelda names no contact" in preview(app) and "nothing was written" in preview(app)
        assert reflection_files(app) == before
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and reflection_files(app) == before


async def test_a_one_letter_mention_is_not_a_guess_in_the_app(make_app) -> None:
    """`@a` is shown as too short with whom it might mean, enter saves nothing; the
    suggestion (tab) puts the whole slug in, and then it saves."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = reflection_files(app)
        await pilot.press("colon", *"gave @a")
        await settle(pilot)
        assert preview(app) == ("@a is too short to tell who (write more of the name): @aisha-bello (Aisha Bello), "
                                "@grace-adeyemi (Grace Adeyemi); nothing was written")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen) and reflection_files(app) == before
        await pilot.press("tab", *"the intro deck")
        await settle(pilot)
        assert app.screen.query_one("#capture-input", Input).value == "gave @aisha-bello the intro deck"
        assert preview(app).startswith("2026-11-25  give  Gave Aisha Bello the intro deck")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        (new,) = reflection_files(app) - before
        assert frontmatter.parse_bytes((app.journal.root / new).read_bytes()).meta["contacts"] == ["aisha-bello"]


async def test_an_early_ask_asks_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = reflection_files(app)
        await pilot.press("colon", *"asked @kofi for a reference", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Kofi Mensah: Not ready to ask" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CaptureScreen) and reflection_files(app) == before
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert len(reflection_files(app) - before) == 1
        assert app.journal.contact_facts("kofi-mensah").asked == 1


async def test_colon_in_a_text_box_is_text(make_app) -> None:
    app = make_app(start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"a:b")
        await settle(pilot)
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.query_one("#contacts-filter", Input).value == "a:b"


# --------------------------------------------------------------------------- follow-ups done


async def test_d_on_a_follow_up_row_marks_it_done(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")  # on the due list: nothing to mark
        await settle(pilot)
        screen = app.screen
        await pilot.press("tab")
        assert app.focused is screen.query_one("#follow-ups", SectionList)
        assert rows(screen, "follow-ups")[0].startswith("2026-09-20  Marcus passed me a freelance brief")
        await pilot.press("d")
        await settle(pilot)
        follow_ups = rows(screen, "follow-ups")
        assert not any("Marcus passed me" in r for r in follow_ups) and len(follow_ups) == 5
        doc = frontmatter.parse_bytes((app.journal.root / MARCUS).read_bytes())
        assert doc.meta["follow_up_done"] == TODAY.isoformat()
        # the intro's question is next: d closes it too
        assert follow_ups[0].startswith("2026-11-19  How did the introduction of Owen Brightwater")
        await pilot.press("d")
        await settle(pilot)
        assert not any("introduction" in r for r in rows(screen, "follow-ups"))


async def test_d_in_the_reflections_area_and_on_the_reflection_screen(make_app) -> None:
    app = make_app(start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReflectionsScreen)
        screen.table.move_cursor(row=[r.path for r in screen.shown].index(MARCUS))
        await pilot.press("d")
        await settle(pilot)
        assert app.journal.reflection(MARCUS).follow_up_done == TODAY.isoformat()
        await pilot.press("d")  # again: open again
        await settle(pilot)
        assert app.journal.reflection(MARCUS).follow_up_done is None
        app.push_screen(ReflectionViewScreen(MARCUS))
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        meta = str(app.screen.query_one("#reflection-meta", Static).render())
        assert meta.endswith(f"follow up 2026-09-20 · done {TODAY.isoformat()}")
        assert app.journal.reflection(MARCUS).follow_up_done == TODAY.isoformat()


# --------------------------------------------------------------------------- your card


async def test_m_opens_your_card_and_ctrl_s_writes_only_what_changed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        settings = app.journal.root / "netjournal.yaml"
        before = settings.read_text(encoding="utf-8")
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeScreen)
        assert screen.query_one("#me-name", Input).value == "Sam Whitfield"
        goals = screen.query_one("#me-goals", TextArea)
        assert goals.text.splitlines()[0] == "Move from corporate L&D into executive education by mid-2027"
        goals.focus()
        goals.move_cursor((goals.document.line_count - 1, len(goals.document.lines[-1])))
        await pilot.press("enter", *"Teach one module at Harbourline")
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = settings.read_text(encoding="utf-8")
        # one line added, in the list's own style; every other line as it was
        assert after == before.replace(
            "    - Build a small circle of peers I learn from and who learn from me\n",
            "    - Build a small circle of peers I learn from and who learn from me\n"
            "    - Teach one module at Harbourline\n")
        assert app.journal.me_card().goals[-1] == "Teach one module at Harbourline"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_leaving_your_card_with_changes_asks(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = (app.journal.root / "netjournal.yaml").read_text(encoding="utf-8")
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*" Jr.", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # stay
        await settle(pilot)
        assert isinstance(app.screen, MeScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert (app.journal.root / "netjournal.yaml").read_text(encoding="utf-8") == before


# --------------------------------------------------------------------------- the contact screen, the review


async def test_the_contact_screen_shows_health_intros_and_the_card_under_known(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_contact("nadia-petrova")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        ledger = str(app.screen.query_one(ContactLedger).render())
        assert "Gave 2 (1 intro)" in ledger
        assert "\nHealth ███████▊··  78\n4 of 6 steps done" in ledger
        known = str(app.screen.query_one(StepChecklist).get_option("known").prompt.columns[1]._cells[-1])
        assert known.startswith("Do they know this about you?\nStrengths: Turning messy subject-matter")


async def test_the_review_shows_the_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        card = str(app.screen.query_one("#review-card", Static).render())
        assert card.startswith("You touched Grace Adeyemi, Owen Brightwater, Elena Marsh this week.\nStrengths: ")
        assert "\nGoals: Move from corporate L&D" in card
