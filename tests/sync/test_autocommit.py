"""Autocommit: ``git: {autocommit: true}`` makes every command one commit of the files
it wrote, and nothing else; off, nothing is committed until ``sync``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.machines import Machine

PRIYA = "contacts/priya-raman.md"


@pytest.fixture
def journal(solo: Machine) -> Machine:
    return solo


def test_off_by_default(journal: Machine) -> None:
    commits = journal.commits()
    journal.ok("add", "contact", "Ada Lovelace")
    assert journal.commits() == commits
    assert "contacts/ada-lovelace.md" in journal.git("status", "--porcelain")


def test_each_command_is_one_commit_of_what_it_wrote(journal: Machine) -> None:
    journal.autocommit_on()
    journal.replace(PRIYA, "archived: false", "archived: false\n# edited by hand")
    journal.write("contacts/staged-by-hand.md", "---\nname: Staged\n---\n")
    journal.git("add", "contacts/staged-by-hand.md")
    commits = journal.commits()
    journal.ok("add", "contact", "Ada Lovelace", "--why", "She sees further")
    journal.ok("step", "ada-lovelace", "trust")
    assert journal.commits() == commits + 2
    assert journal.git("log", "-2", "--format=%s").splitlines() == [
        "Contact: Ada Lovelace (trust)", "Contact: Ada Lovelace (new)"]
    assert journal.git("show", "--name-only", "--format=", "HEAD") == "contacts/ada-lovelace.md"
    assert "Netjournal: autocommit" in journal.git("log", "-1", "--format=%B")
    # what the user changed or staged by hand is left for sync
    assert journal.git("diff", "--name-only") == PRIYA
    assert journal.git("diff", "--cached", "--name-only") == "contacts/staged-by-hand.md"


def test_a_reflection_and_its_follow_up_edit(journal: Machine) -> None:
    journal.autocommit_on()
    out = journal.ok("add", "reflection", "Coffee with Priya", "--contact", "priya-raman", "--kind", "meeting")
    assert journal.git("log", "-1", "--format=%s") == "Reflection: Coffee with Priya"
    assert journal.git("show", "--name-only", "--format=", "HEAD") == out.split()[-1]


def test_not_a_repository_is_a_warning(tmp_path: Path, cli) -> None:  # noqa: ANN001
    machine = Machine(tmp_path / "plain", "here", cli)
    machine.ok("init", str(machine.root))
    machine.write("netjournal.yaml", machine.read("netjournal.yaml") + "git: {autocommit: true}\n")
    code, out, err = machine.run("add", "contact", "Ada Lovelace")
    assert code == 0 and (machine.root / "contacts" / "ada-lovelace.md").exists()
    assert err.strip() == ("netjournal: warning: saved, but not committed: autocommit is on, but the journal is "
                           "not a git repository yet: run netjournal git init (or set git: {autocommit: false} "
                           "in netjournal.yaml)")


def test_detached_head_is_a_warning(journal: Machine) -> None:
    journal.autocommit_on()
    journal.git("switch", "-q", "--detach")
    code, out, err = journal.run("step", "priya-raman", "known")
    assert code == 0 and "HEAD is detached" in err and "not committed" in err
    journal.git("switch", "-q", "main")
    assert "Contact: Priya Raman (known)" in journal.sync()


def test_an_import_is_one_commit(journal: Machine) -> None:
    """A command that writes many files (an import) makes one commit of them all."""
    journal.autocommit_on()
    commits = journal.commits()
    fixture = Path(__file__).resolve().parent.parent / "interop" / "fixtures" / "apple-3.0.vcf"
    journal.ok("import", "vcard", str(fixture))
    assert journal.commits() == commits + 1
    written = journal.git("show", "--name-only", "--format=", "HEAD").splitlines()
    assert written and all(name.startswith("contacts/") for name in written)
    assert not journal.git("status", "--porcelain")
    assert "Netjournal: autocommit" in journal.git("log", "-1", "--format=%B")
