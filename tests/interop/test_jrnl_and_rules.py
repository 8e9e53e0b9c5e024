"""jrnl journals; the matching rules; bad and hostile input; an import cut short."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.journal import Journal
from tests.conftest import TODAY
from tests.interop.helpers import FIXTURES, entries, hashes, import_, import_json, run, twice


def test_jrnl_plain_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    j = ["--journal", str(root)]
    run(capsys, *j, "add", "contact", "Grace Okafor")
    run(capsys, *j, "add", "contact", "Kofi Mensah")
    run(capsys, *j, "add", "contact", "Kofi Annan")  # two Kofis: @kofi names neither
    first, second = twice(capsys, root, "jrnl", str(FIXTURES / "jrnl.txt"))
    assert "4 new" in first and "0 new, 0 updated, 4 unchanged" in second
    found = entries(root, "reflections")
    idea, body = found["2013-04-09-i-have-an-idea-for-the-alumni-network"]
    assert idea["title"] == "I have an @idea for the @alumni-network."
    assert idea["date"] == "2013-04-09" and idea["time"] == "15:39" and idea["kind"] == "note"
    assert idea["tags"] == ["idea", "alumni-network", "kofi"] and idea["contacts"] == []
    assert body == ("Body of the first entry,\nwhich goes on over a second line.\n\n"
                    "## A heading inside the body\n\n- a list item mentioning @kofi\n")
    coffee, body = found["2013-06-10-coffee-with-grace"]
    assert coffee["contacts"] == ["grace-okafor"]  # @grace: one contact's first name
    assert coffee["starred"] is True and body == "She shared her plan for the clinic.\nWe talked for an hour.\n"
    assert found["2013-06-12-twelve-hour-clock"][0]["time"] == "19:00"
    assert found["2013-06-11-a-one-line-entry-without-a-body"][1] == ""
    # a note does not choose anyone, and does not touch
    _, out, _ = run(capsys, *j, "show", "grace-okafor", "--json")
    assert json.loads(out)["last_touch"] is None


def test_jrnl_json_export_is_the_same_journal(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--journal", str(root), "add", "contact", "Grace Okafor")
    twice(capsys, root, "jrnl", str(FIXTURES / "jrnl.json"), "--kind", "meeting")
    found = entries(root, "reflections")
    coffee, body = found["2013-06-10-coffee-with-grace"]
    assert coffee["kind"] == "meeting" and coffee["starred"] is True
    assert body == "She shared her plan for the clinic.\nWe talked for an hour.\n"
    # the plain-text journal holds the same two entries (and two more)
    code, out, _ = import_(capsys, root, "jrnl", str(FIXTURES / "jrnl.txt"))
    assert "2 new, 0 updated, 2 unchanged" in out


# ---------------------------------------------------------------------- matching


def test_matching_by_uid_email_link_then_name_and_org(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = Journal.open(root, today=TODAY)
    journal.create_contact({"name": "Someone Renamed", "uid": "u-1"})
    journal.add_contact("Bo Chen", email="bo@x.example", why="Learn the trade")
    journal.create_contact({"name": "Di Wu", "links": ["https://www.linkedin.com/in/diwu/"]})
    journal.add_contact("Eve Long", org="Acme")
    journal.add_contact("Fay Ng")
    journal.close()
    card = tmp_path / "c.vcf"
    card.write_text("\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", "FN:Someone Else", "UID:u-1", "TEL:111", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Robert Chen", "EMAIL:BO@X.EXAMPLE", "ORG:Chen Labs", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Di Wu", "URL:http://linkedin.com/in/DiWu", "TITLE:CTO", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:eve  long", "ORG:ACME", "NOTE:Met at the fair", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Fay Ng", "ORG:Northwind", "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Fay Ng", "ORG:Southwind", "END:VCARD", ""]))
    code, plan, _ = import_json(capsys, root, "vcard", str(card))
    got = [(i["name"], i["action"], i["slug"], i["matched_by"], i["keys"]) for i in plan["items"]]
    assert got == [
        ("Someone Else", "update", "someone-renamed", "uid", ["phone"]),
        ("Robert Chen", "update", "bo-chen", "email", ["org"]),
        ("Di Wu", "update", "di-wu", "link", ["role"]),
        ("eve long", "update", "eve-long", "name and org", ["body"]),
        ("Fay Ng", "update", "fay-ng", "name", ["org"]),  # her file had no org
        ("Fay Ng", "new", "fay-ng-2", None, plan["items"][5]["keys"]),  # Fay Ng matched once only
    ]
    diffs = {(i["slug"], d["key"]): (d["yours"], d["theirs"]) for i in plan["items"] for d in i["differences"]}
    assert diffs == {("someone-renamed", "name"): ("Someone Renamed", "Someone Else"),
                     ("bo-chen", "name"): ("Bo Chen", "Robert Chen")}
    meta, body = entries(root)["eve-long"]
    assert meta["name"] == "Eve Long" and body == "Met at the fair\n"
    # the second time: nothing to do, the differences listed again, nothing written
    before = hashes(root)
    code, out, _ = import_(capsys, root, "vcard", str(card))
    assert "0 new, 0 updated, 6 unchanged, 0 skipped; 2 contacts with differences (yours kept)" in out
    assert "bo-chen  name: yours 'Bo Chen' · the import's 'Robert Chen'" in out
    assert hashes(root) == before


def test_a_value_you_wrote_is_never_overwritten(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = Journal.open(root, today=TODAY)
    journal.add_contact("Ana Lima", email="ana@x.example", role="Principal", body="My own notes.\n")
    journal.close()
    before = (root / "contacts" / "ana-lima.md").read_bytes()
    card = tmp_path / "a.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEMAIL:ana@x.example\nTITLE:Engineer\n"
                    "NOTE:Imported note\nTEL:+1 555\nEND:VCARD\n")
    code, plan, _ = import_json(capsys, root, "vcard", str(card))
    item = plan["items"][0]
    assert item["keys"] == ["phone"]
    assert {d["key"] for d in item["differences"]} == {"role", "notes"}
    after = (root / "contacts" / "ana-lima.md").read_text()
    assert "role: Principal" in after and "phone: +1 555" in after and after.endswith("My own notes.\n")
    # every line that was there is there, in order
    assert [line for line in after.splitlines() if line in before.decode().splitlines()] == before.decode().splitlines()


def test_the_same_person_twice_in_one_import_is_one_contact(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "dupe.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ola Nordin\nEMAIL:ola@x.example\nEND:VCARD\n"
                    "BEGIN:VCARD\nVERSION:3.0\nFN:Ola Nordin\nEMAIL:OLA@x.example\nTEL:555\nEND:VCARD\n")
    first, second = twice(capsys, root, "vcard", str(card))
    assert "1 new, 0 updated, 0 unchanged, 1 skipped" in first
    assert f"{card}:6: the same person as {card}:1; merged there" in first
    assert "0 new, 0 updated, 2 unchanged" in second
    meta, _ = entries(root)["ola-nordin"]
    assert meta["phone"] == "555"


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize("fmt", ["vcard", "linkedin", "google", "csv", "jrnl"])
def test_empty_and_binary_files_are_refused_in_one_line(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        fmt: str) -> None:
    before = hashes(tmp_path)
    empty = tmp_path / "empty.dat"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "binary.dat"
    binary.write_bytes(bytes(range(256)) * 40)
    for path, reason in ((empty, "is empty"), (binary, "not a text file (it holds NUL bytes)")):
        code, out, err = import_(capsys, root, fmt, str(path))
        assert (code, out, err) == (1, "", f"netjournal: {path}: {reason}\n")
    code, _, err = import_(capsys, root, fmt, str(tmp_path / "missing.csv"))
    assert code == 1 and err.endswith("missing.csv: no such file\n")
    before.update({"empty.dat": hashes(tmp_path)["empty.dat"], "binary.dat": hashes(tmp_path)["binary.dat"]})
    assert hashes(tmp_path) == before  # the journal untouched, nothing else written


def test_hostile_names_and_values(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(
        "name,org,role,notes\n"
        "\"[bold red]Mallory[/] <b>x</b>\",No,1e3,\"---\ntitle: injected\n---\"\n"
        "\"Eve\x1b]0;pwned\x07 \x1b[31mRed\",yes,2026-11-20,\"line\x01with SOH\"\n"
        "\"---\",null,~,ok\n", encoding="utf-8")
    first, _ = twice(capsys, root, "csv", str(path))
    assert "\x1b" not in first and "\x07" not in first
    found = entries(root)
    mallory, body = found["bold-red-mallory-b-x-b"]
    assert mallory["name"] == "[bold red]Mallory[/] <b>x</b>"  # kept literally
    assert mallory["org"] == "No" and mallory["role"] == "1e3"  # strings, not false and 1000.0
    assert body == "---\ntitle: injected\n---\n"  # a body line, not front matter
    eve = next(meta for meta, _ in found.values() if meta["name"].startswith("Eve"))
    assert eve["name"] == "Eve]0;pwned [31mRed" and eve["org"] == "yes" and eve["role"] == "2026-11-20"
    dashes = next(meta for meta, _ in found.values() if meta["name"] == "---")
    assert dashes["name"] == "---" and dashes["org"] == "null" and dashes["role"] == "~"
    code, out, _ = run(capsys, "--journal", str(root), "check")
    assert code == 0, out  # every file reads back cleanly
    code, out, _ = run(capsys, "--journal", str(root), "contacts")
    assert "\x1b" not in out and "[bold red]Mallory[/]" in out


def test_a_50_mb_card(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.vcf"
    photo = "A" * 74
    with open(path, "w") as handle:
        handle.write("BEGIN:VCARD\nVERSION:3.0\nFN:Big Photo\nPHOTO;ENCODING=b;TYPE=JPEG:" + photo + "\n")
        for _ in range(25 * 1024 * 1024 // 76):
            handle.write(" " + photo + "\n")
        handle.write("END:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Big Note\nNOTE:")
        handle.write("word " * (25 * 1024 * 1024 // 5))
        handle.write("\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Small\nEND:VCARD\n")
    assert path.stat().st_size > 50 * 1024 * 1024
    code, out, err = import_(capsys, root, "vcard", str(path))
    assert code == 1
    assert "1 photo not stored" in out and "2 new" in out
    assert err.startswith(f"{path}:") and "MiB of text (photos left out); more than 1 MiB is not imported" in err
    assert sorted(entries(root)) == ["big-photo", "small"]


# ---------------------------------------------------------------------- cut short


def _linkedin_command(root: Path, tmp_path: Path, rows: int) -> tuple[list[str], dict[str, str]]:
    """``netjournal import linkedin`` of a generated file of ``rows`` people, as a process."""
    path = tmp_path / "Connections.csv"
    lines = [f"Person{i},Number{i},https://www.linkedin.com/in/p{i},,Org {i},Role,01 Jan 2020" for i in range(rows)]
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + "\n".join(lines) + "\n")
    env = dict(os.environ, NETJOURNAL_TODAY=TODAY.isoformat())
    return [sys.executable, "-m", "netjournal", "--journal", str(root), "import", "linkedin", str(path)], env


def test_an_import_killed_halfway_leaves_whole_files_and_completes_on_rerun(root: Path, tmp_path: Path) -> None:
    command, env = _linkedin_command(root, tmp_path, 600)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = root / "contacts"
    while process.poll() is None and len(list(folder.glob("*.md")) if folder.exists() else []) < 100:
        pass
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = sorted(folder.glob("*.md"))
    assert 0 < len(written) < 600, "the import was not cut short"
    for file in written:
        text = file.read_text()
        assert text.startswith("---\nname: Person") and text.endswith("---\n")  # whole files only
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"{600 - len(written)} new, 0 updated, {len(written)} unchanged" in result.stdout
    assert len(list(folder.glob("*.md"))) == 600


def test_a_progress_bar_on_a_terminal_and_nothing_when_piped(root: Path, tmp_path: Path) -> None:
    import pty

    command, env = _linkedin_command(root, tmp_path, 120)
    piped = subprocess.run([*command, "--dry-run"], env=env, capture_output=True, text=True)
    assert piped.returncode == 0 and "Importing" not in piped.stderr and piped.stderr == ""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate()
    os.close(leader)
    assert process.returncode == 0 and b"120 new" in out
    assert b"Importing " in seen and b"120/120" in seen
    assert b"Importing" not in out  # the bar is on the terminal, not in what a script reads


def test_jrnl_bad_kind_and_not_a_journal(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = import_(capsys, root, "jrnl", str(FIXTURES / "jrnl.txt"), "--kind", "gossip")
    assert (code, out) == (1, "") and err.startswith("netjournal: unknown kind 'gossip'; use one of: note,")
    prose = tmp_path / "notes.txt"
    prose.write_text("Just some notes.\nNo dates in brackets here.\n")
    code, out, err = import_(capsys, root, "jrnl", str(prose))
    assert code == 1 and err == f"netjournal: {prose}: no jrnl entries (a line starting with [YYYY-MM-DD HH:MM])\n"
    broken = tmp_path / "export.json"
    broken.write_text('{"entries": [{"title": "x", "date": "someday"}, {"title": "Fine.", "date": "2020-01-02", "time": "10:00"}]}')
    code, out, err = import_(capsys, root, "jrnl", str(broken))
    assert code == 1 and f"{broken} entry 1: date 'someday' is not YYYY-MM-DD" in err and "1 new" in out
    assert not (root / "contacts").exists() or not list((root / "contacts").iterdir())
