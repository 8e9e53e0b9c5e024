"""The Journal facade: edits keep the user's bytes, conflicts are never silent,
deletes go to the trash, slugs and paths stay inside, search repairs itself."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from netjournal.journal import ConflictError, Journal, JournalError, NotAJournal, NotFound, SaveConflict
from netjournal.store import files as files_module
from netjournal.store import fulltext
from netjournal.store import frontmatter as fm
from tests.conftest import TODAY

R = "reflections/2026/"
NADIA = "contacts/nadia-petrova.md"

# one journal is reused across examples on purpose: each example saves again
BODY_SETTINGS = settings(
    max_examples=200, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FEWER = settings(BODY_SETTINGS, max_examples=100)
FEWEST = settings(BODY_SETTINGS, max_examples=50)
bodies = st.one_of(
    st.text(),
    st.lists(st.sampled_from(["---", "---\r", "...", "", "# Heading", "[[grace-adeyemi]]", "\ufeff", "tab\there",
                              "crlf\r", "ünïcödé 日本 🎉", "\u2028", "\x85", "name: not meta", "```"]),
             max_size=8).map("\n".join),
)


pytestmark = pytest.mark.usefixtures("no_fsync")


def diff(before: str, after: str) -> list[str]:
    return [
        line for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def tmp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def index_paths(root: Path) -> list[str]:
    data = json.loads((root / ".netjournal" / "index.json").read_bytes())
    return [r["path"] for r in data["files"].values()]


# --------------------------------------------------------------------------- keeping the user's file


def test_set_step_on_nadia_touches_only_the_steps_block(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    before = path.read_text()
    sample_journal.set_step("nadia-petrova", "deepen", on=dt.date(2026, 11, 25))
    after = path.read_text()
    assert diff(before, after) == ["-  deepen: null\n", "+  deepen: 2026-11-25\n"]
    assert "# Extra fields below are mine, not netjournal's; the app must keep them.\n" in after
    meta = fm.parse(after).meta
    assert list(meta) == ["name", "org", "role", "email", "met_at", "pronouns", "tags", "why", "offer",
                          "cadence", "steps", "archived", "birthday", "linkedin"]
    assert meta["birthday"] == "1984-03-12" and meta["linkedin"] == "https://example.com/in/nadia-petrova"
    assert sample_journal.contact("nadia-petrova").steps["deepen"].date == "2026-11-25"


def test_step_with_a_note_and_unset(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    before = path.read_text()
    sample_journal.set_step("nadia-petrova", "known", on=dt.date(2026, 11, 25), note="She introduced me as 'our designer'")
    after = path.read_text()
    assert diff(before, after) == [
        "-  known: null\n", "+  known: {date: 2026-11-25, note: She introduced me as 'our designer'}\n"
    ]
    sample_journal.unset_step("nadia-petrova", "known")
    contact = sample_journal.contact("nadia-petrova")
    assert contact.steps["known"].date is None and contact.steps["known"].note == "She introduced me as 'our designer'"


def test_update_contact_changes_one_line_and_removes_one(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    before = path.read_text()
    sample_journal.update_contact("nadia-petrova", {"role": "Head of alumni relations", "pronouns": None})
    after = path.read_text()
    assert diff(before, after) == [
        "-role: Alumni relations manager\n", "+role: Head of alumni relations\n", "-pronouns: she/her\n"
    ]


def test_values_yaml_would_misread_are_saved_quoted(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    sample_journal.update_contact("nadia-petrova", {"role": "No", "met_at": "2026-11-20", "room": "0755"})
    text = path.read_text()
    assert "role: 'No'\n" in text and "met_at: '2026-11-20'\n" in text and "room: '0755'\n" in text
    contact = sample_journal.contact("nadia-petrova")
    assert contact.role == "No"
    assert fm.parse(text).meta["met_at"] == "2026-11-20"


def test_bom_and_crlf_survive_a_journal_save(sample_journal: Journal) -> None:
    root = sample_journal.root
    body = "Met at a conference.\r\n\r\n---\r\n\r\nBelow a rule.\r\n"
    raw = "\ufeff---\r\nname: Ben Ode\r\n# keep me\r\nsteps:\r\n  why: 2026-11-01\r\n---\r\n" + body
    (root / "contacts/ben-ode.md").write_bytes(raw.encode("utf-8"))
    sample_journal.sync()
    sample_journal.set_step("ben-ode", "offer", on=dt.date(2026, 11, 25))
    data = (root / "contacts/ben-ode.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.endswith(body.encode("utf-8"))
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert "# keep me\r\n" in text
    assert sample_journal.contact("ben-ode").steps["offer"].date == "2026-11-25"


def test_file_without_front_matter_gets_one_and_keeps_its_body(sample_journal: Journal) -> None:
    root = sample_journal.root
    body = "Just notes about Cy.\n\n---\n\nwith a rule.\n"
    (root / "contacts/cy.md").write_text(body)
    sample_journal.sync()
    assert [p.reason for p in sample_journal.problems() if p.path == "contacts/cy.md"] == [
        "no front matter (--- block) at the top of the file"
    ]
    sample_journal.set_step("cy", "why", on=dt.date(2026, 11, 25))
    text = (root / "contacts/cy.md").read_text()
    assert text.startswith("---\n") and text.endswith(body)
    assert fm.parse(text).body == body


DUPLICATE_NAME = "---\nname: Ana Lima\norg: Acme\nname: Ana Lima-Souza\nsteps:\n  why: 2026-11-01\n---\nNotes.\n"
DUPLICATE_STEP = ("---\ntitle: Lunch\ndate: 2026-11-20\nkind: give\ncontacts: [priya-raman]\n"
                  "tags: [a]\n# a comment\ncontacts: [nadia-petrova]\n---\nBody.\n")


def test_a_key_written_twice_is_a_problem_and_the_file_is_never_rewritten(sample_journal: Journal) -> None:
    """Found by review: a file with ``name:`` twice was read with the last value, and
    the next save dropped the user's first line without a word."""
    root = sample_journal.root
    contact = root / "contacts/ana-lima.md"
    contact.write_bytes(DUPLICATE_NAME.encode())
    reflection = root / R / "2026-11-20-lunch.md"
    reflection.write_bytes(DUPLICATE_STEP.encode())
    sample_journal.sync()
    problems = {p.path: p for p in sample_journal.problems()}
    assert (problems["contacts/ana-lima.md"].line, problems["contacts/ana-lima.md"].reason,
            problems["contacts/ana-lima.md"].severity) == (
        4, "key 'name' is written twice (first on line 2); keep one of them", "error")
    assert str(problems[R + "2026-11-20-lunch.md"]) == (
        R + "2026-11-20-lunch.md:8: key 'contacts' is written twice (first on line 5); keep one of them")
    # left out (not read with one of the two values), everything else still works
    assert "ana-lima" not in {c.slug for c in sample_journal.contacts(include_archived=True)}
    assert R + "2026-11-20-lunch.md" not in {r.path for r in sample_journal.reflections()}
    assert len(sample_journal.contacts(include_archived=True)) >= 11
    # no way through the facade writes the file
    with pytest.raises(NotFound):
        sample_journal.update_contact("ana-lima", {"org": "Other"})
    with pytest.raises(NotFound):
        sample_journal.set_step("ana-lima", "offer", on=dt.date(2026, 11, 25))
    with pytest.raises(JournalError, match=r"contacts/ana-lima.md:4: key 'name' is written twice"):
        sample_journal.load_entry("contacts/ana-lima.md")
    with pytest.raises(NotFound):
        sample_journal.update_reflection(R + "2026-11-20-lunch.md", {"kind": "note"})
    sample_journal.close()
    # a full rebuild and a reopen report it the same way, and never touch the bytes
    reopened = Journal.open(root, full=True)
    assert any(p.path == "contacts/ana-lima.md" and p.line == 4 for p in reopened.problems())
    reopened.close()
    assert contact.read_bytes() == DUPLICATE_NAME.encode()
    assert reflection.read_bytes() == DUPLICATE_STEP.encode()


def test_once_the_user_removes_the_duplicate_the_file_is_read(sample_journal: Journal) -> None:
    root = sample_journal.root
    contact = root / "contacts/ana-lima.md"
    contact.write_bytes(DUPLICATE_NAME.encode())
    sample_journal.sync()
    assert any(p.path == "contacts/ana-lima.md" for p in sample_journal.problems())
    contact.write_text(DUPLICATE_NAME.replace("name: Ana Lima\n", ""))
    sample_journal.sync()
    assert not any(p.path == "contacts/ana-lima.md" for p in sample_journal.problems())
    assert sample_journal.contact("ana-lima").name == "Ana Lima-Souza"


def test_a_key_written_twice_in_the_journal_settings_is_a_problem(sample_journal: Journal) -> None:
    root = sample_journal.root
    settings_file = root / "netjournal.yaml"
    lines = settings_file.read_text().splitlines(keepends=True)
    first = lines.index("cadence: 30\n") + 1
    text = "".join(lines) + "cadence: 14\n"  # the sample already says cadence: 30
    settings_file.write_text(text)
    reopened = Journal.open(root)
    found = [(p.line, p.reason) for p in reopened.problems() if p.path == "netjournal.yaml"]
    assert found == [(len(lines) + 1, f"key 'cadence' is written twice (first on line {first}); keep one of them")]
    reopened.close()
    assert settings_file.read_text() == text


@BODY_SETTINGS
@given(body=bodies)
def test_any_body_survives_update_contact_and_set_step(sample_journal: Journal, body: str) -> None:
    path = sample_journal.root / "contacts/priya-raman.md"
    if "\x00" in body:
        before = path.read_bytes()
        with pytest.raises(JournalError, match="NUL"):
            sample_journal.update_contact("priya-raman", {}, body=body)
        assert path.read_bytes() == before
        return
    sample_journal.update_contact("priya-raman", {}, body=body)
    check_body(path, body)
    assert sample_journal.contact("priya-raman").body == body
    day = dt.date(2026, 11, 1 + len(body) % 28)
    sample_journal.set_step("priya-raman", "known", on=day)
    check_body(path, body)
    assert sample_journal.contact("priya-raman").steps["known"].date == day.isoformat()


@FEWER
@given(body=bodies)
def test_any_body_survives_journal_save_of_a_reflection(sample_journal: Journal, body: str) -> None:
    assume("\x00" not in body)
    rel = R + "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"
    path = sample_journal.root / rel
    tags = ["reference", f"n{len(body)}"]
    sample_journal.edit(rel).save({"tags": tags}, body=body)
    check_body(path, body)
    assert sample_journal.reflection(rel).tags == tags
    sample_journal.edit(rel).save({"kind": "give"})  # meta only: the body stays
    check_body(path, body)


@FEWEST
@given(body=bodies)
def test_any_body_of_a_file_without_front_matter_survives_set_step(sample_journal: Journal, body: str) -> None:
    assume("\x00" not in body and not body.startswith("\ufeff") and fm.split(body)[0] is None)
    root = sample_journal.root
    path = root / "contacts/no-front-matter.md"
    path.write_bytes(body.encode("utf-8"))
    sample_journal.sync()
    sample_journal.set_step("no-front-matter", "why", on=TODAY)
    check_body(path, body)
    path.unlink()
    sample_journal.sync()


def check_body(path: Path, body: str) -> None:
    data = path.read_bytes()
    assert data.endswith(body.encode("utf-8"))
    assert fm.parse_bytes(data).body == body


def test_nul_in_a_new_body_is_refused_before_writing(sample_journal: Journal) -> None:
    before = sorted(p.name for p in (sample_journal.root / "reflections/2026").iterdir())
    with pytest.raises(JournalError, match="NUL"):
        sample_journal.add_reflection("Binary", body="a\x00b")
    assert sorted(p.name for p in (sample_journal.root / "reflections/2026").iterdir()) == before


# --------------------------------------------------------------------------- atomic saves


def test_a_crash_during_save_leaves_the_old_file(sample_journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    root = sample_journal.root
    path = root / NADIA
    os.chmod(path, 0o640)
    before = path.read_bytes()
    records_before = json.loads((root / ".netjournal/index.json").read_bytes())

    def crash(src: str, dst: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(files_module.os, "replace", crash)
    monkeypatch.setattr(files_module, "_exchange", crash)  # the save's rename is an exchange of names
    with pytest.raises(OSError, match="power cut"):
        sample_journal.set_step("nadia-petrova", "deepen")
    assert path.read_bytes() == before
    assert tmp_files(root) == []
    assert json.loads((root / ".netjournal/index.json").read_bytes()) == records_before
    assert sample_journal.contact("nadia-petrova").steps["deepen"].date is None
    monkeypatch.undo()
    sample_journal.set_step("nadia-petrova", "deepen")
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    assert tmp_files(root) == []


def test_new_entries_are_owner_only(empty_journal: Journal) -> None:
    contact = empty_journal.add_contact("Ada Lovelace")
    reflection = empty_journal.add_reflection("Met Ada", contacts=[contact.slug])
    for rel in (contact.path, reflection.path):
        assert os.stat(empty_journal.root / rel).st_mode & 0o777 == 0o600
    assert tmp_files(empty_journal.root) == []


# --------------------------------------------------------------------------- conflicts


def test_save_refuses_a_file_changed_behind_its_back(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    edit = sample_journal.edit_contact("nadia-petrova")
    theirs = path.read_text().replace("pronouns: she/her\n", "pronouns: she/her\nteam: alumni\n")
    path.write_text(theirs)
    with pytest.raises(ConflictError):
        edit.save({"role": "Changed by me"})
    assert path.read_text() == theirs
    with pytest.raises(ConflictError):
        sample_journal.set_step("nadia-petrova", "deepen", edit=edit)
    with pytest.raises(ConflictError):
        sample_journal.update_contact("nadia-petrova", {"role": "x"}, edit=edit)
    assert path.read_text() == theirs


def test_same_size_change_with_restored_mtime_is_a_conflict(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    long_ago = 1_700_000_000_000_000_000  # an old file: the mtime alone looks trustworthy
    os.utime(path, ns=(long_ago, long_ago))
    sample_journal.sync()
    edit = sample_journal.edit_contact("nadia-petrova")
    edit_bytes = path.read_bytes()
    theirs = path.read_text().replace("she/her", "SHE/HER")
    path.write_text(theirs)
    os.utime(path, ns=(long_ago, long_ago))
    assert path.stat().st_size == len(edit_bytes) and path.stat().st_mtime_ns == long_ago
    with pytest.raises(ConflictError):
        edit.save({"role": "Changed by me"})
    assert path.read_text() == theirs


def test_same_size_change_just_after_loading_is_a_conflict(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    edit = sample_journal.edit_contact("nadia-petrova")
    st_before = path.stat()
    theirs = path.read_text().replace("she/her", "SHE/HER")
    path.write_text(theirs)
    os.utime(path, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    with pytest.raises(ConflictError):
        sample_journal.set_step("nadia-petrova", "deepen", edit=edit)
    assert path.read_text() == theirs


def test_touching_without_changing_is_not_a_conflict(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    edit = sample_journal.edit_contact("nadia-petrova")
    later = path.stat().st_mtime_ns + 5_000_000_000
    os.utime(path, ns=(later, later))
    sample_journal.set_step("nadia-petrova", "deepen", on=TODAY, edit=edit)
    assert sample_journal.contact("nadia-petrova").steps["deepen"].date == TODAY.isoformat()


def test_a_file_deleted_behind_its_back_is_a_conflict_and_mine_can_be_kept(sample_journal: Journal) -> None:
    path = sample_journal.root / NADIA
    edit = sample_journal.edit_contact("nadia-petrova")
    path.unlink()
    with pytest.raises(SaveConflict) as caught:
        edit.save({"role": "Mine"})
    assert not path.exists()
    assert caught.value.theirs is None and "does not exist" in (caught.value.theirs_problem or "")
    assert not caught.value.can_merge and caught.value.merge() is None
    copy = caught.value.keep_mine()
    assert not path.exists() and "role: Mine\n" in (sample_journal.root / copy).read_text()


def test_sync_tells_a_long_lived_journal_what_another_process_saved(tmp_path: Path) -> None:
    """Another process's save indexes its own file, so this journal's sync re-reads
    nothing; ``unseen`` still names the file, because the views this journal built
    show it as it was.  Its own saves are never reported back to it."""
    root = Journal.init(tmp_path / "j", sample=True, today=TODAY).root
    app = Journal.open(root, today=TODAY, write_behind=True)
    assert app.sync().unseen == []  # no views built yet: nothing was shown
    assert app.contact_facts("jonas-lindqvist").contact.progress == 2  # the views are built
    other = Journal.open(root, today=TODAY)
    other.set_step("jonas-lindqvist", "connect")
    other.add_contact("Zelda Quistgaard")
    trashed = other.delete_contact("kofi-mensah")
    other.close()
    report = app.sync()
    assert report.touched == 0  # the other process re-indexed all three itself
    assert sorted(report.unseen) == ["contacts/jonas-lindqvist.md", "contacts/kofi-mensah.md",
                                     "contacts/zelda-quistgaard.md"]
    assert app.contact_facts("jonas-lindqvist").contact.progress == 3
    assert app.sync().unseen == []  # shown now
    app.set_step("jonas-lindqvist", "trust")  # its own save
    app.restore(trashed)
    assert app.sync().unseen == []
    app.close()


def test_a_sync_that_finds_nothing_new_keeps_the_views_and_facts(tmp_path: Path) -> None:
    """The app syncs every few seconds: when no file changed, what the screens were
    built from stays (views and facts are not made again); a changed file, a new
    default cadence or another day makes them again."""
    root = Journal.init(tmp_path / "j", sample=True, today=TODAY).root
    app = Journal.open(root, today=TODAY, write_behind=True)
    facts = app.facts()
    contacts = app.contacts()
    assert app.sync().touched == 0
    assert app.facts() is facts and app.contacts() == contacts
    path = root / "contacts" / "jonas-lindqvist.md"
    path.write_text(path.read_text().replace("name: Jonas Lindqvist", "name: Jonas L."))
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert app.sync().touched == 1
    assert app.facts() is not facts and app.contact_facts("jonas-lindqvist").contact.name == "Jonas L."
    facts = app.facts()
    config = root / "netjournal.yaml"
    config.write_text(config.read_text().replace("cadence: 30", "cadence: 7"))
    assert app.sync().touched == 0
    assert app.facts() is not facts  # the default cadence changed what is due
    facts = app.facts()
    app._today = TODAY + dt.timedelta(days=1)
    assert app.facts() is not facts  # a new day
    app.close()


# --------------------------------------------------------------------------- delete and restore


def test_delete_moves_to_trash_and_restore_brings_it_back(sample_journal: Journal) -> None:
    root = sample_journal.root
    rel = R + "2026-11-05-on-saying-no-to-favours.md"
    data = (root / rel).read_bytes()
    assert sample_journal.search("saying no to favours")
    trashed = sample_journal.delete(rel)
    assert not (root / rel).exists()
    assert trashed.read_bytes() == data
    assert (root / ".netjournal" / "trash") in trashed.parents
    assert trashed.as_posix().endswith("/" + rel)
    assert rel not in index_paths(root)
    assert rel not in {r.path for r in sample_journal.reflections()}
    assert sample_journal.search("saying no to favours") == []
    assert sample_journal.trash() == [trashed]
    # a fresh open agrees
    reopened = Journal.open(root, today=TODAY)
    assert rel not in {r.path for r in reopened.reflections()}
    assert reopened.last_sync.touched == 0
    # restore
    assert sample_journal.restore(trashed) == rel
    assert (root / rel).read_bytes() == data and not trashed.exists()
    assert rel in index_paths(root)
    assert sample_journal.reflection(rel).title == "On: saying no to favours"
    assert sample_journal.contact_facts("tomas-herrera").reflections == [rel]


def test_delete_contact_and_refusals(sample_journal: Journal) -> None:
    root = sample_journal.root
    trashed = sample_journal.delete_contact("rob-castellano")
    assert not (root / "contacts/rob-castellano.md").exists() and trashed.is_file()
    assert not sample_journal.has_contact("rob-castellano")
    assert "contacts/rob-castellano.md" not in index_paths(root)
    with pytest.raises(NotFound):
        sample_journal.delete("netjournal.yaml")
    with pytest.raises(NotFound):
        sample_journal.delete("contacts/nobody.md")
    with pytest.raises(JournalError):
        sample_journal.delete("../outside.md")
    with pytest.raises(JournalError):
        sample_journal.restore(root / "contacts" / "priya-raman.md")  # not in the trash
    (root / "contacts/rob-castellano.md").write_text("---\nname: Someone new\n---\n")
    with pytest.raises(JournalError):
        sample_journal.restore(trashed)  # would overwrite
    assert trashed.is_file()
    assert (root / "netjournal.yaml").is_file()


# --------------------------------------------------------------------------- slugs and paths


def test_slugs_from_names(empty_journal: Journal, tmp_path: Path) -> None:
    root = empty_journal.root
    before_outside = sorted(p for p in tmp_path.rglob("*") if root not in p.parents and p != root)
    tomas = empty_journal.add_contact("Tomás Herrera")
    assert tomas.slug == "tomas-herrera" and tomas.path == "contacts/tomas-herrera.md" and tomas.name == "Tomás Herrera"
    again = empty_journal.add_contact("Tomás Herrera")
    assert again.slug == "tomas-herrera-2" and again.name == "Tomás Herrera"
    assert empty_journal.add_contact("TOMAS herrera!").slug == "tomas-herrera-3"
    evil = empty_journal.add_contact("../../etc/passwd")
    assert evil.path == "contacts/etc-passwd.md" and (root / "contacts/etc-passwd.md").is_file()
    assert empty_journal.add_contact("!!!").path == "contacts/contact-e84c538e.md"
    assert empty_journal.add_contact("李小龍").path == "contacts/contact-c1fa1a5f.md"
    after_outside = sorted(p for p in tmp_path.rglob("*") if root not in p.parents and p != root)
    assert after_outside == before_outside
    assert {c.slug for c in empty_journal.contacts()} == {
        "tomas-herrera", "tomas-herrera-2", "tomas-herrera-3", "etc-passwd", "contact-e84c538e", "contact-c1fa1a5f"
    }
    with pytest.raises(JournalError):
        empty_journal.add_contact("   ")


def test_names_with_no_ascii_form_get_stable_distinct_file_names(empty_journal: Journal) -> None:
    """Found by review: every name in Chinese, Cyrillic, Greek or emoji became
    contact.md, contact-2.md, ...: file names that said nothing and depended on the
    order the contacts were added in."""
    root = empty_journal.root
    added = {name: empty_journal.add_contact(name) for name in ("李小龍", "王芳", "Анна Петрова", "Ωμέγα", "🎉", "?!")}
    paths = {name: contact.path for name, contact in added.items()}
    assert paths == {
        "李小龍": "contacts/contact-c1fa1a5f.md", "王芳": "contacts/contact-8ac9540b.md",
        "Анна Петрова": "contacts/contact-7b75cc7d.md", "Ωμέγα": "contacts/contact-f9d47761.md",
        "🎉": "contacts/contact-6146299c.md", "?!": "contacts/contact-545f940d.md",
    }
    for name, contact in added.items():
        assert contact.name == name and (root / contact.path).is_file()
        assert fm.parse_bytes((root / contact.path).read_bytes()).meta["name"] == name
    # the same name again: the same slug, made unique the usual way
    assert empty_journal.add_contact("李小龍").path == "contacts/contact-c1fa1a5f-2.md"
    # with an email, its local part names the file
    li = empty_journal.add_contact("李小龍", email="li.xiaolong@example.cn")
    assert li.slug == "li-xiaolong" and li.path == "contacts/li-xiaolong.md"
    assert empty_journal.add_contact("李小龍", email="li.xiaolong@example.org").slug == "li-xiaolong-2"
    # a name with ASCII keeps its own slug; an email with no ASCII does not help
    assert empty_journal.add_contact("Ana Lima", email="ana@example.org").slug == "ana-lima"
    assert empty_journal.add_contact("王芳", email="王芳@例子.中国").slug == "contact-8ac9540b-2"
    # reflections: the title's hash after the date
    first = empty_journal.add_reflection("和李小龍喝茶", contacts=["li-xiaolong"], kind="meeting")
    assert first.path == R + "2026-11-25-entry-8c8880b0.md"
    again = empty_journal.add_reflection("和李小龍喝茶")
    assert again.path == first.path[:-3] + "-2.md"
    other = empty_journal.add_reflection("Встреча")
    assert other.path == R + "2026-11-25-entry-0c86cec4.md"
    # every file name is lower-case ASCII with hyphens
    for path in (root / "contacts").glob("*.md"):
        assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in path.stem), path


def test_existing_files_keep_their_names(empty_journal: Journal) -> None:
    """Slugs are made when a file is created; a file named by an older version (or
    by the user) keeps its name and slug through saves."""
    root = empty_journal.root
    old = root / "contacts" / "contact.md"
    old.write_text("---\nname: 李小龍\n---\n")
    empty_journal.sync()
    assert empty_journal.contact("contact").name == "李小龍"
    empty_journal.update_contact("contact", {"org": "Golden Harvest"})
    empty_journal.set_step("contact", "why", on=dt.date(2026, 11, 25))
    assert sorted(p.name for p in (root / "contacts").glob("*.md")) == ["contact.md"]
    assert empty_journal.contact("contact").org == "Golden Harvest"
    assert empty_journal.add_contact("李小龍").slug == "contact-c1fa1a5f"


def test_reflection_file_names(empty_journal: Journal) -> None:
    empty_journal.add_contact("Ada")
    first = empty_journal.add_reflection("Coffee with Ada: 'No' to favours?", contacts=["ada"], kind="meeting")
    assert first.path == R + "2026-11-25-coffee-with-ada-no-to-favours.md"
    assert first.title == "Coffee with Ada: 'No' to favours?"
    second = empty_journal.add_reflection("Coffee with Ada: 'No' to favours?", day=dt.date(2026, 11, 25))
    assert second.path == R + "2026-11-25-coffee-with-ada-no-to-favours-2.md"
    older = empty_journal.add_reflection("../../x", day=dt.date(2025, 1, 2))
    assert older.path == "reflections/2025/2025-01-02-x.md"
    with pytest.raises(NotFound):
        empty_journal.add_reflection("Who?", contacts=["nobody"])
    with pytest.raises(JournalError):
        empty_journal.add_reflection("Bad kind", kind="favour")


def test_title_that_looks_like_a_date_is_kept_as_text(empty_journal: Journal) -> None:
    reflection = empty_journal.add_reflection("2026-11-20", kind="note")
    text = (empty_journal.root / reflection.path).read_text()
    assert "title: '2026-11-20'\n" in text and "date: 2026-11-25\n" in text
    assert empty_journal.reflection(reflection.path).title == "2026-11-20"


@pytest.mark.parametrize("rel", ["../x.md", "contacts/../../x.md", "/etc/passwd", "../journal/contacts/x.md"])
def test_paths_outside_the_journal_are_refused(sample_journal: Journal, rel: str) -> None:
    outside = sample_journal.root.parent / "x.md"
    outside.write_text("---\nname: Outside\n---\n")
    with pytest.raises(JournalError, match="outside the journal"):
        sample_journal.load_entry(rel) if rel != "../journal/contacts/x.md" else sample_journal.load_entry("../" + rel)
    with pytest.raises(JournalError):
        sample_journal.file_path(rel if rel != "../journal/contacts/x.md" else "../" + rel)
    with pytest.raises(JournalError):
        sample_journal.delete(rel if rel != "../journal/contacts/x.md" else "../" + rel)
    assert outside.read_text() == "---\nname: Outside\n---\n"


def test_symlink_out_of_the_journal_is_not_read(sample_journal: Journal, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nname: Secret\n---\nprivate\n")
    (sample_journal.root / "contacts/secret.md").symlink_to(secret)
    sample_journal.sync()
    assert not sample_journal.has_contact("secret")
    assert any(p.path == "contacts/secret.md" and "outside" in p.reason for p in sample_journal.problems())
    with pytest.raises(JournalError):
        sample_journal.load_entry("contacts/secret.md")


@pytest.mark.parametrize("spelling", ["./contacts/priya-raman.md", "reflections/../contacts/priya-raman.md",
                                      "contacts//priya-raman.md"])
def test_one_file_has_one_spelling(sample_journal: Journal, spelling: str) -> None:
    # Found by review: a non-normal spelling was read as the wrong kind of entry, or
    # saved under a second index record for the same file.
    edit = sample_journal.edit(spelling)
    assert edit.path == "contacts/priya-raman.md" and edit.contact is not None
    edit.save({"role": "Director"})
    paths = index_paths(sample_journal.root)
    assert paths.count("contacts/priya-raman.md") == 1 and len(paths) == len(set(paths))
    assert sample_journal.contact("priya-raman").role == "Director"


def test_open_refuses_what_is_not_a_journal(tmp_path: Path) -> None:
    with pytest.raises(NotAJournal):
        Journal.open(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotAJournal):
        Journal.open(tmp_path / "plain")


# --------------------------------------------------------------------------- search


def test_search_finds_phrases_in_bodies_and_titles(sample: Journal) -> None:
    hits = sample.search("allergic to fluff")
    assert [h.path for h in hits] == ["contacts/priya-raman.md"]
    assert hits[0].kind == "contact" and hits[0].title == "Priya Raman" and "fluff" in hits[0].snippet
    hits = sample.search("Harbourline shortlist")
    assert hits[0].path == R + "2026-11-20-thanked-priya-i-am-on-the-harbourline-shortlist.md"
    assert hits[0].kind == "reflection" and hits[0].date == "2026-11-20"
    assert sample.search("no such phrase anywhere") == []
    assert sample.search("   ") == []


def test_search_is_case_insensitive(sample: Journal) -> None:
    lower = [h.path for h in sample.search("allergic to fluff")]
    assert [h.path for h in sample.search("ALLERGIC To FlUfF")] == lower
    assert [h.path for h in sample.search("tomás")] == [h.path for h in sample.search("TOMÁS")]
    assert "contacts/tomas-herrera.md" in [h.path for h in sample.search("tomás")]


def test_search_respects_limit_and_ranks_titles_first(sample: Journal) -> None:
    everything = sample.search("priya", limit=0)
    assert len(everything) > 5
    assert [h.path for h in sample.search("priya", limit=3)] == [h.path for h in everything[:3]]
    assert len(sample.search("priya", limit=1)) == 1
    assert len(sample.search("priya")) == min(20, len(everything))
    top = everything[0]
    assert "priya" in top.title.lower()
    scores = [h.score for h in everything]
    assert scores == sorted(scores, reverse=True)


def test_search_without_snippets_is_the_same_hits_in_the_same_order(sample: Journal) -> None:
    """The reflections area shows the hits as rows, without snippets: it asks for none
    (a common word in 10,000 entries made 10,000 of them: ~120 ms of ~150)."""
    for query in ("the", "mentor", "a"):
        full = sample.search(query, limit=0)
        bare = sample.search(query, limit=0, snippets=False)
        assert full and [h._replace(snippet="") for h in full] == bare
        assert all(h.snippet == "" for h in bare) and any(h.snippet for h in full)


def test_search_repairs_itself_after_the_cache_is_deleted(sample_journal: Journal) -> None:
    root = sample_journal.root
    expected = [h.path for h in sample_journal.search("designing the silences")]
    assert expected == ["contacts/jonas-lindqvist.md"]
    shutil.rmtree(root / ".netjournal" / "fulltext")
    reopened = Journal.open(root, today=TODAY)
    assert [h.path for h in reopened.search("designing the silences")] == expected
    assert (root / ".netjournal" / "fulltext").is_dir()  # repaired on the way
    # a damaged shard is also only a cache
    for shard in (root / ".netjournal" / "fulltext").glob("*.txt"):
        shard.write_bytes(b"\xff not a shard")
    again = Journal.open(root, today=TODAY)
    assert [h.path for h in again.search("designing the silences")] == expected


def _lose_a_separator(raw: bytes) -> bytes:
    cut = raw.rfind(b"\x1e")
    return raw[:cut] + raw[cut + 1:] if cut >= 0 else raw[:-1]


@pytest.mark.parametrize("damage", [
    pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
    pytest.param(lambda raw: raw.replace(b"\n\x1d", b"\x1d", 1), id="manifest-unterminated"),
    pytest.param(_lose_a_separator, id="texts-out-of-step"),
    pytest.param(lambda raw: raw.replace(b"priya", b"\xff\xfe", 1), id="invalid-utf8"),
    pytest.param(lambda raw: b"", id="empty"),
    pytest.param(lambda raw: raw.replace(b"netjournal-fulltext 2", b"netjournal-fulltext 9", 1), id="other-version"),
])
def test_search_survives_a_damaged_cache_shard(sample_journal: Journal, damage: Any) -> None:
    # The cache is only a cache: a shard damaged in any way costs a re-read of the
    # files, never a wrong or missing result.
    root = sample_journal.root
    rel = "contacts/priya-raman.md"
    shard = root / ".netjournal" / "fulltext" / f"{fulltext.shard_of(rel):02d}.txt"
    raw = shard.read_bytes()
    assert rel.encode() in raw
    shard.write_bytes(damage(raw))
    reopened = Journal.open(root, today=TODAY)
    assert [h.path for h in reopened.search("allergic to fluff")] == [rel]


def test_a_shard_from_another_shard_count_is_not_trusted(sample_journal: Journal) -> None:
    # A cache written with another number of shards must not shadow the right entry.
    root = sample_journal.root
    rel = "contacts/priya-raman.md"
    shard = root / ".netjournal" / "fulltext" / f"{fulltext.shard_of(rel):02d}.txt"
    sha = sample_journal.index.records()[rel]["sha256"]  # a true hash, in the wrong layout
    shard.write_bytes(fulltext.encode({rel: (sha, "Priya\nzqxv wombat")}, fulltext.shard_of(rel) % 64, 64))
    reopened = Journal.open(root, today=TODAY)
    assert reopened.search("zqxv wombat") == []
    assert [h.path for h in reopened.search("allergic to fluff")] == [rel]


def test_search_follows_an_external_edit_after_sync(sample_journal: Journal) -> None:
    root = sample_journal.root
    path = root / "contacts/jonas-lindqvist.md"
    path.write_text(path.read_text().replace("designing the silences", "planning the pauses"))
    sample_journal.sync()
    assert sample_journal.search("designing the silences") == []
    assert [h.path for h in sample_journal.search("planning the pauses")] == ["contacts/jonas-lindqvist.md"]
    reopened = Journal.open(root, today=TODAY)
    assert [h.path for h in reopened.search("planning the pauses")] == ["contacts/jonas-lindqvist.md"]


def test_search_sees_the_apps_own_edits(sample_journal: Journal) -> None:
    sample_journal.update_contact("kofi-mensah", {}, body="Second draft sent with the glossary.\n")
    assert [h.path for h in sample_journal.search("GLOSSARY")] == ["contacts/kofi-mensah.md"]
    reflection = sample_journal.add_reflection("Quarterly note to Daniel", kind="give", contacts=["daniel-kowalczyk"],
                                               body="Sent the onboarding metrics.\n")
    assert [h.path for h in sample_journal.search("onboarding metrics")] == [reflection.path]
