"""`netjournal export csv|json|markdown`, read back with the csv and json modules and
compared with `contacts --json` / `reflections --json`; `--out` written atomically or
refused in one line; bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from netjournal.journal import Journal
from tests.conftest import TODAY
from tests.interop.helpers import hashes, run


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    Journal.init(tmp_path / "j", sample=True, today=TODAY)
    return tmp_path / "j"


def exported(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> str:
    """An export on standard output (bytes decoded as UTF-8)."""
    code, out, err = run(capsys, "--journal", str(root), "export", *args)
    assert code == 0, err
    return out


def listed(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Any:
    code, out, err = run(capsys, "--journal", str(root), *args, "--json")
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------------- csv


def test_csv_has_a_row_per_contact_with_the_scalar_columns(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = exported(capsys, sample, "csv")
    assert text.startswith("\ufeffslug,name,org,")  # a BOM, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    contacts = listed(capsys, sample, "contacts", "--archived")
    assert [r["slug"] for r in rows] == [c["slug"] for c in contacts]
    scalars = [k for k, v in contacts[0].items() if not isinstance(v, (list, dict))]
    assert list(rows[0])[: len(scalars)] == scalars
    for row, contact in zip(rows, contacts):
        for key in scalars:
            value = contact[key]
            expected = "" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)
            if expected.startswith(("=", "+", "-", "@")):
                expected = "'" + expected
            assert row[key] == expected, (contact["slug"], key)
        assert row["tags"] == ", ".join(contact["tags"])
        assert row["steps.trust"] == (contact["steps"]["trust"] or "")


def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    journal.create_contact({"name": "=HYPERLINK(\"http://evil\",\"x\")", "org": "+1+1", "role": "-2",
                            "email": "@SUM(A1)", "phone": "+44 20 7946 0000", "why": "\tTabbed",
                            "offer": "\rreturn", "tags": ["=cmd|' /C calc'!A0"]})
    (row,) = csv.DictReader(io.StringIO(exported(capsys, root, "csv").removeprefix("\ufeff"), newline=""))
    assert row["name"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert row["org"] == "'+1+1" and row["role"] == "'-2" and row["email"] == "'@SUM(A1)"
    assert row["phone"] == "'+44 20 7946 0000"
    assert row["why"] == "'\tTabbed" and row["offer"] == "'\nreturn"  # a CR is a line break, after the guard
    assert row["tags"] == "'=cmd|' /C calc'!A0"
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


# ---------------------------------------------------------------------- json


def test_json_is_the_whole_journal_with_bodies(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(exported(capsys, sample, "json"))
    assert data["netjournal"] == 1 and data["today"] == TODAY.isoformat()
    assert data["journal"]["name"] == "Sam's network" and data["journal"]["cadence"] == 30
    assert data["journal"]["me"]["name"] == "Sam Whitfield"
    contacts = listed(capsys, sample, "contacts", "--archived")
    assert [c["slug"] for c in data["contacts"]] == [c["slug"] for c in contacts]
    for mine, theirs in zip(data["contacts"], contacts):
        body = {k: v for k, v in mine.items() if k not in ("body", "front_matter")}
        assert body == theirs
        shown = listed(capsys, sample, "show", mine["slug"])
        assert mine["body"] == shown["body"]
        assert mine["front_matter"]["name"] == shown["name"]
    reflections = listed(capsys, sample, "reflections")
    assert [r["path"] for r in data["reflections"]] == [r["path"] for r in reflections]
    for mine, theirs in zip(data["reflections"], reflections):
        assert {k: v for k, v in mine.items() if k not in ("body", "front_matter")} == theirs
        text = (sample / mine["path"]).read_text(encoding="utf-8")
        assert text.endswith(mine["body"]) and mine["body"].strip()
    priya = next(c for c in data["contacts"] if c["slug"] == "priya-raman")
    assert priya["front_matter"]["dates"] == [{"label": "started at Northwind", "date": "2019-12-02"}]


def test_json_since_and_contact_narrow_the_reflections(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(exported(capsys, sample, "json", "--since", "2026-11-20"))
    assert data["reflections"] and all(r["date"] >= "2026-11-20" for r in data["reflections"])
    assert len(data["contacts"]) == 12
    data = json.loads(exported(capsys, sample, "json", "--contact", "kofi-mensah"))
    assert [c["slug"] for c in data["contacts"]] == ["kofi-mensah"]
    assert data["reflections"] and all("kofi-mensah" in r["links"] for r in data["reflections"])


# ---------------------------------------------------------------------- markdown


def test_the_week_digest(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = exported(capsys, sample, "markdown")
    review = listed(capsys, sample, "review")
    assert text.startswith(f"# Sam's network: the week of {review['start']} to {review['end']}\n")
    for title in ("## Gave (2)", "## Asked (1)", "## Coming up (2)", f"## Reflections ({len(review['reflections'])})"):
        assert f"\n{title}\n" in text
    for reflection in review["reflections"]:
        assert f"### {reflection['date']} · " in text
    assert "- 2026-11-29 Owen Brightwater: birthday, turns 28 (in 4 days)" in text
    # a digest for sharing leaves out contact details
    assert "@example" not in text
    earlier = exported(capsys, sample, "markdown", "--week", "2026-10-28")
    assert "the week of 2026-10-26 to 2026-11-01" in earlier


def test_a_contact_digest_escapes_names_and_moves_headings_under_its_entries(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    contact = journal.create_contact({"name": "*Star* [link](x) <b>", "why": "Learn _why_", "offer": None,
                                      "email": "secret@example.org", "birthday": "--11-30", "steps": {}},
                                     "# My notes\n\nSome `code`.\n")
    journal.add_reflection("Lunch # 2", kind="meeting", contacts=[contact.slug],
                           body="## What did I give?\n\nA book.\n\n```\n# not a heading\n```\n\nSetext\n---\n")
    text = exported(capsys, root, "markdown", "--contact", contact.slug)
    assert text.startswith("# \\*Star\\* \\[link\\](x) \\<b\\>\n")
    assert "**Why:** Learn \\_why\\_" in text
    assert "- [ ] Chose them for a reason" in text
    assert "- birthday: --11-30 — 2026-11-30, in 5 days" in text
    assert f"### {TODAY} · Lunch \\# 2" in text
    # the body's highest heading sits under the entry's; code is left alone
    assert "\n#### What did I give?\n" in text and "\n# not a heading\n" in text and "\n#### Setext\n" in text
    assert "\n## Notes\n\n### My notes\n" in text
    assert "secret@example.org" not in text


def test_markdown_is_a_week_or_contacts_not_both(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--journal", str(sample), "export", "markdown", "--week", "2026-11-20",
                       "--contact", "kofi-mensah")
    assert code == 2 and err.count("\n") == 1 and "not both" in err


# ---------------------------------------------------------------------- --out, and bad input


def test_out_writes_atomically_and_a_new_file_is_yours_only(sample: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "contacts.vcf"
    target.parent.mkdir()
    code, out, _ = run(capsys, "--journal", str(sample), "export", "vcard", "--out", str(target))
    assert code == 0 and out == f"Exported 12 contacts to {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["contacts.vcf"]  # no temp file left
    os.chmod(target, 0o644)  # an existing file keeps its mode when it is replaced
    run(capsys, "--journal", str(sample), "export", "vcard", "--tag", "mentor", "--out", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_bytes().count(b"BEGIN:VCARD") == 1
    # standard output gets exactly the bytes a file gets (CRLF kept)
    code, out, _ = run(capsys, "--journal", str(sample), "export", "vcard", "--tag", "mentor")
    assert code == 0 and out.encode("utf-8").replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") == target.read_bytes()


@pytest.mark.parametrize("where, says", [
    ("missing/folder/x.vcf", "cannot write {out}: the folder {parent} does not exist"),
    (".", "cannot write {out}: it is a folder; give a file name"),
])
def test_a_path_that_cannot_be_written_says_so_in_one_line(sample: Path, tmp_path: Path, where: str, says: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / where)
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    code, stdout, err = run(capsys, "--journal", str(sample), "export", "vcard", "--out", out)
    assert code == 1 and stdout == ""
    assert err == "netjournal: " + says.format(out=out, parent=Path(out).resolve().parent) + "\n"
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_leaves_no_partial_file(sample: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = run(capsys, "--journal", str(sample), "export", "ics", "--out", str(folder / "c.ics"))
        assert code == 1 and err == f"netjournal: cannot write {folder / 'c.ics'}: permission denied\n"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_full_disk_leaves_no_partial_file(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The write fails halfway (the disk is full): the old file stays whole, no temp file is left."""
    import errno

    target = tmp_path / "calendar.ics"
    target.write_bytes(b"the old calendar")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        # only the export's own temp file beside the target meets a full disk
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(tmp_path / ".calendar.ics")):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run(capsys, "--journal", str(sample), "export", "ics", "--out", str(target))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert code == 1 and err == f"netjournal: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == b"the old calendar"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calendar.ics", "j"]


def test_never_into_the_journals_own_files(sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "innocent.ics"
    link.symlink_to(sample / ".netjournal" / "index.json")
    time.sleep(2.1)  # past the racy window of the files just written: only a change changes the index
    assert run(capsys, "--journal", str(sample), "reindex", "--full")[0] == 0
    before = hashes(sample)
    for out, own in ((sample / ".netjournal" / "x.ics", ".netjournal folder"), (link, ".netjournal folder"),
                     (sample / "contacts" / "new.md", "contacts folder"),
                     (sample / "netjournal.yaml", "netjournal.yaml")):
        code, _, err = run(capsys, "--journal", str(sample), "export", "ics", "--out", str(out))
        assert code == 1 and err == f"netjournal: will not write {out}: it is the journal's own {own}; " \
                                    "choose a file outside it\n"
    assert hashes(sample) == before
    # elsewhere in the journal's folder is the user's choice
    code, _, _ = run(capsys, "--journal", str(sample), "export", "ics", "--out", str(sample / "calendar.ics"))
    assert code == 0 and (sample / "calendar.ics").exists()


@pytest.mark.parametrize("args, code, says", [
    (["vcard", "--contact", "nobody"], 1, "netjournal: no contact 'nobody' (see: netjournal contacts)\n"),
    (["csv", "--tag", "no-such-tag"], 1, "netjournal: no contact has the tag 'no-such-tag'\n"),
    (["ics", "--since", "2026-01-01"], 2, "netjournal export: --since is for the json format (see: netjournal export --help)\n"),
    (["json", "--version", "3.0"], 2, "netjournal export: --version is for the vcard format (see: netjournal export --help)\n"),
    (["pdf"], 2, None),
    (["json", "--since", "yesterday"], 2, None),
])
def test_bad_input_is_one_line(sample: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int,
                               says: str | None) -> None:
    got, out, err = run(capsys, "--journal", str(sample), "export", *args)
    assert got == code and out == "" and err.count("\n") == 1 and "Traceback" not in err
    if says:
        assert err == says


def test_no_export_lets_an_escape_sequence_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every field holds terminal escape sequences: no export, on standard output or in a
    file, carries ESC, BEL, a C1 control or a bidi override."""
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202etxt"
    contact = journal.create_contact({
        "name": f"Eve {evil}", "org": evil, "role": evil, "email": f"eve{evil}@example.org", "phone": evil,
        "why": evil, "offer": evil, "tags": [evil], "birthday": "--11-26", "links": [evil],
        "dates": [{"label": evil, "date": "--11-27"}], "steps": {"why": TODAY},
        "vcard": {"X-EVIL": evil}, "addresses": [{"street": evil, "label": evil}]}, f"notes {evil}\n")
    journal.add_reflection(f"Met {evil}", kind="give", contacts=[contact.slug], follow_up=TODAY, body=f"{evil}\n",
                           tags=[evil])
    for fmt in ("vcard", "csv", "json", "ics", "markdown"):
        for extra in ([], ["--contact", contact.slug]):
            if fmt == "markdown" and not extra:
                extra = ["--week", TODAY.isoformat()]
            code, out, err = run(capsys, "--journal", str(root), "export", fmt, *extra)
            assert code == 0, err
            assert "Eve" in out or "\\u" in out, fmt
            for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
                assert bad not in out and bad not in err, (fmt, extra, repr(bad))
