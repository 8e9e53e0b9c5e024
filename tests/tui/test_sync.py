"""Sync in the app: the header's sync state, the palette's "Sync now" (in a worker;
what came in appears at once), History (``h`` on a contact, ``ctrl+r`` in the editor)
with a diff and restore, autocommit of each save, and the dashboard's notice about
conflict copies.  Real git, local bare repositories (``git_env``)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.journal import Journal
from netjournal.tui.screens.contact import ContactScreen
from netjournal.tui.screens.editor import EditorScreen
from netjournal.tui.screens.history import HistoryScreen
from tests.conftest import TODAY
from tests.sync.machines import bare, git
from tests.tui.test_contact_screen import screen_text

SIZE = (120, 36)
AISHA = "contacts/aisha-bello.md"


def nj(host: str, *args: object) -> None:
    os.environ["NETJOURNAL_HOST"] = host  # git_env puts it back
    assert main([str(a) for a in args]) == 0


@pytest.fixture
def machines(tmp_path: Path, git_env: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """(laptop, desk): the sample journal on both, synced through a bare repository."""
    hub = bare(tmp_path / "hub.git")
    laptop, desk = tmp_path / "laptop", tmp_path / "desk"
    nj("laptop", "init", laptop, "--sample")
    nj("laptop", "git", "init", "--remote", hub, "--journal", laptop)
    nj("desk", "git", "init", "--remote", hub, "--journal", desk)
    capsys.readouterr()
    return laptop, desk


def notices(app) -> str:  # noqa: ANN001
    """Every notice the app has shown (title and message)."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def settle(app, pilot) -> None:  # noqa: ANN001
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def sync_now(app, pilot) -> None:  # noqa: ANN001
    """The app up, then its "Sync now" (what the palette runs), finished."""
    await settle(app, pilot)
    app.action_sync_now()
    await settle(app, pilot)


async def test_the_header_shows_the_sync_state(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    app = make_app(journal=Journal.open(desk, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "⇅ synced " in screen_text(app) and "not committed" not in screen_text(app)
        (desk / AISHA).write_text((desk / AISHA).read_text() + "\nWritten in another editor.\n")
        app.check_files()
        await settle(app, pilot)
        assert "· 1 not committed" in screen_text(app)


async def test_sync_now_from_the_palette(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    nj("laptop", "step", "aisha-bello", "known", "--note", "She vouched for me", "--journal", laptop)
    nj("laptop", "add", "contact", "Grace Hopper", "--why", "Compilers", "--journal", laptop)
    nj("laptop", "sync", "--journal", laptop)
    app = make_app(journal=Journal.open(desk, today=TODAY), start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Grace Hopper" not in screen_text(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Sync now")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Synced: 2 came in: Contact: Aisha Bello (known), Contact: Grace Hopper (new)." in notices(app)
        assert "Grace Hopper" in screen_text(app)  # in the contacts list, without a restart
        assert app.journal.contact("aisha-bello").steps["known"].note == "She vouched for me"
        assert git(desk, "rev-parse", "HEAD") == git(laptop, "rev-parse", "HEAD")


async def test_a_conflict_is_announced_and_the_dashboard_says_so(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    nj("laptop", "step", "aisha-bello", "trust", "--note", "Laptop's note", "--journal", laptop)
    nj("laptop", "sync", "--journal", laptop)
    nj("desk", "step", "aisha-bello", "trust", "--note", "Desk's note", "--journal", desk)
    app = make_app(journal=Journal.open(desk, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await sync_now(app, pilot)
        assert "Sync: both changed a file: contacts/aisha-bello.md was changed on both machines" in notices(app)
        text = screen_text(app)
        assert "1 conflict copy waits to be merged" in text
        assert "contacts/aisha-bello.conflict-laptop-" in text
        copies = app.journal.conflict_copies()
        assert len(copies) == 1 and copies[0].path.startswith("contacts/aisha-bello.conflict-laptop-")


async def test_sync_failure_is_a_notice(make_app, machines, tmp_path: Path) -> None:  # noqa: ANN001
    laptop, desk = machines
    git(desk, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    app = make_app(journal=Journal.open(desk, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await sync_now(app, pilot)
        assert "Sync failed: could not reach origin" in notices(app)
        assert "⇅ sync failed" in screen_text(app)


async def test_history_on_a_contact_shows_versions_and_restores(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    before = (laptop / AISHA).read_text()
    nj("laptop", "step", "aisha-bello", "connect", "--note", "Sent the checklist", "--journal", laptop)
    nj("laptop", "sync", "--journal", laptop)
    app = make_app(journal=Journal.open(laptop, today=TODAY), start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        app.open_contact("aisha-bello")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "Contact: Aisha Bello (connect)" in text and "Contact: Aisha Bello (new)" in text
        assert "-  connect: null" in text and "+  connect: {date: 2026-11-25, note: Sent" in text  # the diff
        await pilot.press("down")
        await pilot.pause()
        assert "+++ contacts/aisha-bello.md" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert "Restored: Version 2 is back, as a new change." in notices(app)
        assert (laptop / AISHA).read_text() == before
        assert git(laptop, "log", "-1", "--format=%s").startswith("Restore Contact: Aisha Bello as of ")
        assert "Contact: Aisha Bello (connect)" in screen_text(app)  # the list now has 3 versions
        assert not app.journal.contact("aisha-bello").steps["connect"].done


async def test_history_restore_meets_a_file_changed_meanwhile(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    nj("laptop", "step", "aisha-bello", "connect", "--journal", laptop)
    nj("laptop", "sync", "--journal", laptop)
    app = make_app(journal=Journal.open(laptop, today=TODAY))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(HistoryScreen(AISHA))
        await settle(app, pilot)
        (laptop / AISHA).write_text((laptop / AISHA).read_text() + "\nSaved by another program.\n")
        await pilot.press("down", "r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "changed on disk since you opened it" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Saved by another program" in (laptop / AISHA).read_text()


async def test_history_from_the_editor(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    journal = Journal.open(laptop, today=TODAY)
    path = journal.reflections()[0].path
    app = make_app(journal=journal, start="reflections")
    async with app.run_test(size=SIZE) as pilot:
        app.open_editor(path=path)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.path == path
        assert "1 version · r restores" in screen_text(app)


async def test_autocommit_commits_each_save_in_the_app(make_app, machines) -> None:  # noqa: ANN001
    laptop, desk = machines
    config = laptop / "netjournal.yaml"
    config.write_text(config.read_text() + "git:\n  autocommit: true\n")
    nj("laptop", "sync", "--journal", laptop)
    commits = int(git(laptop, "rev-list", "--count", "HEAD"))
    app = make_app(journal=Journal.open(laptop, today=TODAY), start="contacts")
    async with app.run_test(size=SIZE) as pilot:
        app.open_contact("tomas-herrera")
        await pilot.pause()
        await pilot.press("space")
        await settle(app, pilot)
        assert int(git(laptop, "rev-list", "--count", "HEAD")) == commits + 1
        subject = git(laptop, "log", "-1", "--format=%s")
        assert subject.startswith("Contact: Tomás Herrera (") or subject.startswith("Contact: Tomas Herrera (")
        assert "Netjournal: autocommit" in git(laptop, "log", "-1", "--format=%B")
        assert git(laptop, "show", "--name-only", "--format=", "HEAD") == "contacts/tomas-herrera.md"
        assert not subprocess.run(["git", "-C", str(laptop), "status", "--porcelain"], capture_output=True,
                                  text=True).stdout
