"""The dashboard drawn from the view kept at the last run, attacked.

The app is started as ``netjournal`` starts it (``launch.open_for_app`` -- a deferred
open -- and ``launch.build_app``).  What must hold: the first screen shown from the
kept view is exactly the screen computing it now gives; any change between two runs
makes the dashboard compute it; a kept file that is damaged or hostile is never
shown raw, never ends or freezes the app; an edit made while the first screen is up
is shown once the app has looked at the files.  The forked check and the shortened
racy window are test_deferred_open.py's."""

from __future__ import annotations

import asyncio
import copy
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest

from netjournal.journal import Journal
from netjournal.tui import app as app_module
from netjournal.tui.app import NetJournalApp
from netjournal.tui.launch import build_app, open_for_app
from netjournal.tui.widgets.section_list import SectionList
from tests.conftest import TODAY
from tests.test_deferred_open import WINDOW_NS, cli, forking, run, settle  # noqa: F401  (forking: a fixture)
from tests.tui.conftest import screen_text

pytestmark = pytest.mark.usefixtures("no_fsync")

SIZE = (120, 40)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def root(tmp_path: Path, forking: None) -> Path:
    journal = Journal.init(tmp_path / "journal", sample=True, today=TODAY)
    journal.close()
    settle(journal.root)
    return journal.root


@pytest.fixture
def preloaded(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when the app's start-up worker is done (the deferred open finished, every
    screen told, the view kept): its last step is importing the other areas."""
    done = threading.Event()
    real = app_module._preload_areas

    def preload() -> None:
        real()
        done.set()

    monkeypatch.setattr(app_module, "_preload_areas", preload)
    return done


class Start:
    """What one start of the app showed: the first screen, and the screen once the
    start-up worker was done."""

    kept: bool
    first: str
    first_svg: str  # with the colours
    first_rows: dict[str, list[str]]
    after: str
    after_rows: dict[str, list[str]]


def rows(app: NetJournalApp) -> dict[str, list[str]]:
    return {str(section.id): section.texts for section in app.screen.query(SectionList)}


def no_control_characters(text: str) -> None:
    assert not CONTROL.search(text), repr(CONTROL.findall(text))


async def wait_for(pilot: Any, done: threading.Event) -> None:
    for _ in range(400):
        if done.is_set() or not pilot.app.is_running:
            break
        await pilot.pause(0.05)
    assert done.is_set(), "the start-up worker did not finish"
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def session(root: Path, preloaded: threading.Event, body: Callable[[NetJournalApp, Any], Awaitable[None]], *,
            theme: str | None = None, deferred: bool = True) -> None:
    """Start the app as netjournal does (``deferred=False``: the first view computed),
    run ``body(app, pilot)`` once its first screen is up, close it.  Each start has an
    event loop of its own, whose threads end with it: the process is as netjournal's
    when it opens the journal (a check is forked only by a process with no other
    thread)."""

    async def run_app() -> None:
        preloaded.clear()
        journal = open_for_app(str(root), demo=False) if deferred else Journal.open(root, write_behind=True)
        assert journal.opened is not deferred, "the open was not deferred"
        app = build_app(journal, theme=theme)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await body(app, pilot)
        finally:
            journal.close()

    asyncio.run(run_app())


def start(root: Path, preloaded: threading.Event, *, theme: str | None = None, deferred: bool = True) -> Start:
    """A start of the app: its first screen, and its screen once the start-up worker is done."""
    shown = Start()

    async def look(app: NetJournalApp, pilot: Any) -> None:
        shown.kept = app.screen.kept_view_shown
        shown.first, shown.first_rows = screen_text(app), rows(app)
        shown.first_svg = re.sub(r"terminal-\d+", "terminal", app.export_screenshot())
        await wait_for(pilot, preloaded)
        shown.after, shown.after_rows = screen_text(app), rows(app)

    session(root, preloaded, look, theme=theme, deferred=deferred)
    no_control_characters(shown.first)
    no_control_characters(shown.after)
    return shown


def kept_file(root: Path) -> Path:
    return root / ".netjournal" / "views" / "dashboard.json"


# ---------------------------------------------------------------------- the untouched journal


def test_the_first_screen_from_the_kept_view_is_the_computed_one(root: Path, preloaded: threading.Event) -> None:
    computed = start(root, preloaded)
    assert not computed.kept and kept_file(root).is_file()
    again = start(root, preloaded)
    assert again.kept
    assert again.first == computed.first == again.after
    assert again.first_rows == computed.first_rows == again.after_rows
    assert again.first_svg == computed.first_svg  # the colours too
    assert "Daniel Kowalczyk  48 days overdue" in again.first
    # and a start that computes it, on the same journal, shows the same
    assert start(root, preloaded, deferred=False).first_svg == again.first_svg


# ---------------------------------------------------------------------- changes between two runs


def settle_after_change() -> None:
    """Not a moment ago (see test_deferred_open.py)."""
    time.sleep(2 * WINDOW_NS / 1e9)


def sed_name(root: Path) -> None:
    run("sed", "-i", "s/^name: Daniel Kowalczyk$/name: Daniel Edited/", root / "contacts/daniel-kowalczyk.md")


def renamed(root: Path) -> None:
    run("mv", root / "contacts/daniel-kowalczyk.md", root / "contacts/dan-kowalczyk.md")


def cli_add_contact(root: Path) -> None:
    cli(root, "add", "contact", "Zed Newcomer", "--org", "Elsewhere")


def cli_step(root: Path) -> None:
    cli(root, "step", "kofi-mensah", "trust")


def cadence_changed(root: Path) -> None:
    path = root / "netjournal.yaml"
    path.write_text(path.read_text().replace("cadence: 30", "cadence: 7"))


def removed(root: Path) -> None:
    run("rm", root / "contacts/marcus-feld.md")


CHANGES: list[tuple[Callable[[Path], None], str]] = [
    # the change, what the first screen shows of it
    (sed_name, "Daniel Edited  48 days overdue"),
    (renamed, "Due to touch (2)"),  # his reflections link to the old name: no touch of his any more
    (cli_add_contact, "Zed Newcomer  no why and no offer"),
    (cli_step, "Stuck: no step in 60 days (2)"),
    (cadence_changed, ""),  # the sample's people who are due have a cadence of their own
    (removed, "Due to touch (2)"),
]


@pytest.mark.parametrize("change, shows", CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_change_between_two_runs_is_on_the_first_screen(
        root: Path, preloaded: threading.Event, change: Callable[[Path], None], shows: str) -> None:
    before = start(root, preloaded)
    change(root)
    settle_after_change()
    shown = start(root, preloaded)
    assert not shown.kept
    if shows:
        assert shows in shown.first and shows not in before.first
    assert shown.first == shown.after
    assert start(root, preloaded, deferred=False).first_svg == shown.first_svg  # computed by a plain open
    assert start(root, preloaded).kept  # the next run's kept view is the new one


def test_another_day_computes_the_dashboard(
        root: Path, preloaded: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    start(root, preloaded)
    monkeypatch.setenv("NETJOURNAL_TODAY", "2026-11-26")
    shown = start(root, preloaded)
    assert not shown.kept
    assert "Daniel Kowalczyk  49 days overdue" in shown.first and "48 days" not in shown.first


THEME = """name: mine
dark: true
primary: "#5fb3a1"
foreground: "#e4e2dc"
background: "#1b1f24"
warning: "#e0a34c"
error: "{error}"
success: "#7fbf7f"
"""


def test_a_theme_whose_colours_changed_computes_the_dashboard(root: Path, preloaded: threading.Event) -> None:
    """The user's own theme file edited between two runs (or a shipped theme's
    colours changed by an upgrade): the kept view's colours are the old ones."""
    themes = Path(os.environ["NETJOURNAL_CONFIG_DIR"]) / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.yaml").write_text(THEME.format(error="#e06c6c"))
    start(root, preloaded, theme="mine")
    (themes / "mine.yaml").write_text(THEME.format(error="#ff00ff"))
    shown = start(root, preloaded, theme="mine")
    computed = start(root, preloaded, theme="mine", deferred=False)
    assert shown.first_svg == computed.first_svg


def test_another_theme_computes_the_dashboard(root: Path, preloaded: threading.Event) -> None:
    dark = start(root, preloaded)
    light = start(root, preloaded, theme="textual-light")
    assert not light.kept
    assert (start(root, preloaded, theme="textual-light")).kept
    assert light.first_rows == dark.first_rows


# ---------------------------------------------------------------------- kept files tampered with


def tamper(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the kept view, its key left as it was (so that it matches)."""
    path = kept_file(root)
    kept = json.loads(path.read_bytes())
    view = copy.deepcopy(kept["view"])
    change(view)
    path.write_text(json.dumps({"key": kept["key"], "view": view}))


def first_row(view: dict[str, Any]) -> list[Any]:
    return view["sections"]["due"][0][0][1]  # [plain, style, spans] of Daniel's row


HOSTILE = "Evil \x1b[31mred\x1b[0m \x1b]52;c;ZXZpbA==\x07 \x9b2J \u202eevil"


def row_escapes(view: dict[str, Any]) -> None:
    first_row(view)[0] = HOSTILE


def row_line_separators(view: dict[str, Any]) -> None:
    first_row(view)[0] = "Evil\u2028two\u2029lines\x85and a tab\there"  # never in a text the app keeps


def notice_escapes(view: dict[str, Any]) -> None:
    view["notice"] = [HOSTILE, "bold", []]


def span_before_the_text(view: dict[str, Any]) -> None:
    first_row(view)[2] = [[-5, 3, "bold"]]  # Textual renders it in an endless loop


def span_beyond_the_text(view: dict[str, Any]) -> None:
    first_row(view)[2] = [[2, 10**9, "red"]]


def span_reversed(view: dict[str, Any]) -> None:
    first_row(view)[2] = [[9, 2, "red"]]


def span_infinite(view: dict[str, Any]) -> None:
    first_row(view)[2] = [[0, float("inf"), "bold"]]


def span_of_strings(view: dict[str, Any]) -> None:
    first_row(view)[2] = [["0", "3", "bold"]]


def bad_style(view: dict[str, Any]) -> None:
    first_row(view)[1] = "bold on"


def link_style(view: dict[str, Any]) -> None:
    first_row(view)[2] = [[0, 6, "link https://evil.example/\x1b]0;pwned\x07"]]


def spans_not_a_list(view: dict[str, Any]) -> None:
    first_row(view)[2] = "bold"


def week_counts_not_a_text(view: dict[str, Any]) -> None:
    view["week_counts"] = {"plain": "3 gives"}


def no_week(view: dict[str, Any]) -> None:
    del view["week"]


def sections_missing_one(view: dict[str, Any]) -> None:
    view["sections"]["due"] = None


def gives_of_strings(view: dict[str, Any]) -> None:
    view["gives"] = ["x"] * 12


TAMPERED = [row_escapes, row_line_separators, notice_escapes, span_before_the_text, span_beyond_the_text,
            span_reversed, span_infinite, span_of_strings, bad_style, link_style, spans_not_a_list,
            week_counts_not_a_text, no_week, sections_missing_one, gives_of_strings]


@pytest.mark.parametrize("change", TAMPERED, ids=[c.__name__ for c in TAMPERED])
def test_a_tampered_kept_view_is_computed_afresh(
        root: Path, preloaded: threading.Event, change: Callable[[dict[str, Any]], None]) -> None:
    computed = start(root, preloaded)
    tamper(root, change)
    shown = start(root, preloaded)
    assert not shown.kept
    assert shown.first_svg == computed.first_svg
    assert "evil" not in shown.first.lower()


def test_markup_in_a_kept_text_is_shown_literally(root: Path, preloaded: threading.Event) -> None:
    """A text with no control character passes (it could be a name): as text."""
    start(root, preloaded)

    def markup(view: dict[str, Any]) -> None:
        first_row(view)[:] = ["[bold red]Boss[/] [@click=app.quit]x[/]", "", []]

    tamper(root, markup)
    shown = start(root, preloaded)
    assert shown.kept
    assert "[bold red]Boss[/] [@click=app.quit]x[/]" in shown.first
    assert "Boss" not in shown.after  # the worker's refresh showed the journal as it is


@pytest.mark.parametrize("damage", ["truncated", "deeply nested", "a FIFO"])
def test_a_damaged_kept_file_is_computed_afresh(
        root: Path, preloaded: threading.Event, damage: str) -> None:
    computed = start(root, preloaded)
    path = kept_file(root)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "deeply nested":
        path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    else:
        path.unlink()
        os.mkfifo(path)
    shown = start(root, preloaded)
    assert not shown.kept and shown.first == computed.first


# What the dashboard itself does with a kept view's other values
# (netjournal/tui/screens/dashboard.py, ``show_view`` and ``on_mount``): these end
# the app at its start, every start until the journal changes, or put the text on
# screen as markup with its escapes.
def week_escapes(view: dict[str, Any]) -> None:
    view["week"] = HOSTILE


def week_markup(view: dict[str, Any]) -> None:
    view["week"] = ["[@click=app.quit]Gives[/] [link=https://evil.example/]here[/]", "2026-12-06"]


def sections_a_list(view: dict[str, Any]) -> None:
    view["sections"] = []


def gives_infinite(view: dict[str, Any]) -> None:
    view["gives"] = [float("inf")] * 12


def total_infinite(view: dict[str, Any]) -> None:
    view["sections"]["due"][1] = float("inf")


def section_unknown(view: dict[str, Any]) -> None:
    view["sections"]["nope"] = [[], 0]


DASHBOARD_TAMPERED = [week_escapes, week_markup, sections_a_list, gives_infinite, total_infinite, section_unknown]


@pytest.mark.parametrize("change", DASHBOARD_TAMPERED, ids=[c.__name__ for c in DASHBOARD_TAMPERED])
def test_a_tampered_kept_view_never_reaches_the_screen_raw_nor_ends_the_app(
        root: Path, preloaded: threading.Event, change: Callable[[dict[str, Any]], None]) -> None:
    computed = start(root, preloaded)
    tamper(root, change)
    shown = start(root, preloaded)
    assert not shown.kept
    assert shown.first == computed.first


# ---------------------------------------------------------------------- while the first screen is up


def test_an_edit_while_the_first_screen_is_up_is_shown(
        root: Path, preloaded: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved in an editor after the first screen (the kept view) and before the
    start-up worker finished the open: shown once the app looks at the files (every
    few seconds, and on focus), and the next start shows it too."""
    start(root, preloaded)
    go = threading.Event()
    real_finish = Journal.finish_open

    def held_finish(self: Journal) -> None:
        go.wait(timeout=20)
        real_finish(self)

    async def body(app: NetJournalApp, pilot: Any) -> None:
        assert app.screen.kept_view_shown and not app.journal.opened
        assert "Daniel Kowalczyk" in screen_text(app)
        sed_name(root)
        go.set()
        await wait_for(pilot, preloaded)
        app.check_files()  # what the app's timer does every few seconds
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app)
        no_control_characters(shown)
        assert "Daniel Edited  48 days overdue" in shown and "Kowalczyk" not in shown

    with monkeypatch.context() as held:
        held.setattr(Journal, "finish_open", held_finish)
        session(root, preloaded, body)
    settle_after_change()
    again = start(root, preloaded)
    assert "Daniel Edited  48 days overdue" in again.first and "Kowalczyk" not in again.first
    assert again.first == again.after


def test_problems_are_reported_when_the_file_check_finishes_the_open(
        root: Path, preloaded: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first look at the files (on focus, or every few seconds) may come before
    the start-up worker: the open is finished by it, and the problems are still told."""
    (root / "contacts" / "broken.md").write_text("---\nname: [unclosed\n---\n")
    settle_after_change()
    start(root, preloaded)
    settle_after_change()
    monkeypatch.setattr(NetJournalApp, "PRELOAD_AFTER", 1.0)

    async def body(app: NetJournalApp, pilot: Any) -> None:
        assert app.screen.kept_view_shown
        app.check_files()
        await app.workers.wait_for_complete()
        assert app.journal.opened
        await wait_for(pilot, preloaded)
        assert [n.title for n in app._notifications] == ["Problems"]

    session(root, preloaded, body)


def test_quitting_before_the_open_is_finished_keeps_the_view_as_it_was(
        root: Path, preloaded: threading.Event) -> None:
    computed = start(root, preloaded)
    before = kept_file(root).read_bytes()

    async def body(app: NetJournalApp, pilot: Any) -> None:
        assert app.screen.kept_view_shown
        await pilot.press("q")

    session(root, preloaded, body)
    assert kept_file(root).read_bytes() == before
    again = start(root, preloaded)
    assert again.kept and again.first == computed.first
