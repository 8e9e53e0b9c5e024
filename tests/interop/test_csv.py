"""LinkedIn, Google and any CSV: the shapes real exports have, imported twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.interop.helpers import FIXTURES, entries, hashes, import_, import_json, run, twice


def test_linkedin_export_with_its_preamble(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "Connections.csv"
    first, second = twice(capsys, root, "linkedin", str(path))
    assert "5 new, 0 updated, 0 unchanged, 2 skipped" in first
    assert f"{path}:9: blank row" in first
    assert f"{path}:10: no name" in first
    assert "0 new, 0 updated, 5 unchanged, 2 skipped" in second
    found = entries(root)
    assert sorted(found) == ["ana-lima", "chloe-dubois", "jonas-lindqvist", "sam-lee", "sam-lee-2"]
    ana, body = found["ana-lima"]
    assert ana["org"] == "Harbourline" and ana["role"] == "Staff Engineer"
    assert ana["links"] == ["https://www.linkedin.com/in/ana-lima-12ab"]
    assert ana["connected"] == "2021-03-12" and ana["source"] == "linkedin 2026-11-25"
    # a LinkedIn click is not the article's authentic connection
    assert ana["steps"]["connect"] is None and body == ""
    # two people of one name: two contacts, told apart by their URLs
    assert {found["sam-lee"][0]["links"][0], found["sam-lee-2"][0]["links"][0]} == {
        "https://www.linkedin.com/in/samlee", "https://www.linkedin.com/in/sam-lee-77"}
    assert found["jonas-lindqvist"][0]["org"] == "Lindqvist, Byrne & Co"
    assert found["chloe-dubois"][0]["role"] == "Editor, Non-fiction"


def test_linkedin_new_contacts_are_in_the_pool_until_chosen(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import_(capsys, root, "linkedin", str(FIXTURES / "Connections.csv"))
    j = ["--journal", str(root)]
    _, out, _ = run(capsys, *j, "contacts", "--pool", "--json")
    assert len(json.loads(out)) == 5 and all(c["pool"] for c in json.loads(out))
    _, out, _ = run(capsys, *j, "contacts", "--chosen", "--json")
    assert json.loads(out) == []
    _, out, _ = run(capsys, *j, "search", "Harbourline", "--json")
    assert [h["title"] for h in json.loads(out)] == ["Ana Lima"]  # found by search
    _, out, _ = run(capsys, *j, "due")
    assert "Ana Lima" not in out  # not "not yet connected" either: not chosen
    # choosing: a step marked
    run(capsys, *j, "step", "ana-lima", "why", "--note", "Learn how Harbourline runs its guilds")
    _, out, _ = run(capsys, *j, "contacts", "--chosen", "--json")
    assert [c["slug"] for c in json.loads(out)] == ["ana-lima"]
    _, out, _ = run(capsys, *j, "due")
    assert "Not yet connected: Ana Lima" in out
    # a re-import does not put her back, nor change her file
    before = hashes(root)
    import_(capsys, root, "linkedin", str(FIXTURES / "Connections.csv"))
    assert hashes(root) == before


def test_a_csv_that_is_not_linkedins(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hashes(root)
    path = FIXTURES / "google-current.csv"
    code, out, err = import_(capsys, root, "linkedin", str(path))
    assert code == 1 and out == ""
    assert err == f"netjournal: {path}: not a LinkedIn Connections.csv (no header line with First Name, " \
                  "Last Name, URL, Email Address, Company, Position, Connected On)\n"
    assert hashes(root) == before


def test_google_current_layout(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = twice(capsys, root, "google", str(FIXTURES / "google-current.csv"))
    assert "2 new" in first and "no name" in first and "1 photo not stored" in first
    found = entries(root)
    marcus, body = found["marcus-feld"]
    assert marcus["tags"] == ["Friends", "Conference"]  # * myContacts dropped
    assert marcus["email"] == "marcus@granite.example"
    assert [e["value"] for e in marcus["emails"]] == [
        "marcus@granite.example", "marcus.feld@mail.example", "marcus@home.example"]  # ' ::: '
    assert marcus["birthday"] == "1984-09-30" and marcus["org_unit"] == ["Platform"]
    assert marcus["links"] == ["https://www.linkedin.com/in/marcusfeld"]
    assert marcus["dates"] == [{"label": "anniversary", "date": "2012-05-19"}]
    assert marcus["addresses"][0]["locality"] == "Austin"
    assert marcus["csv"] == {"Nickname": "Marc", "Custom Field 1 - Label": "Shirt size",
                             "Custom Field 1 - Value": "L"}
    assert body == "Met at PyCon.\nWants intros to learning designers.\n"
    elena, _ = found["elena-rossi"]
    assert elena["birthday"] == "--03-08" and elena["phone"] == "+39 333 000 0108"
    assert "tags" not in elena or elena["tags"] == []


def test_google_older_layout(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice(capsys, root, "google", str(FIXTURES / "google-older.csv"))
    nadia, body = entries(root)["nadia-petrova"]
    assert nadia["org"] == "Meridian Analytics" and nadia["role"] == "Data scientist"
    assert nadia["tags"] == ["Colleagues"] and nadia["birthday"] == "1990-02-17"
    assert nadia["emails"] == [{"type": "work", "value": "nadia@meridian.example"}]
    assert nadia["links"] == ["https://nadia.example/blog"] and body == "Runs the data guild.\n"


def test_google_websites_keep_their_types_and_labels(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Website 1 - Type (older layout) / Website 1 - Label (current), 2 and 3, several
    addresses in one cell: kept as a vCard's URLs are -- ``links`` in order, the primary
    (``* ``) first, ``urls`` with the type (a word) or the label (words, as written)."""
    twice(capsys, root, "google", str(FIXTURES / "google-websites-older.csv"),
          str(FIXTURES / "google-websites-current.csv"))
    found = entries(root)
    hana, _ = found["hana-kobayashi"]
    assert hana["links"] == ["https://hana.example", "https://www.linkedin.com/in/hanakobayashi",
                             "https://twitter.com/hanakoba", "https://hana.example/journal",
                             "https://kiln.example/team/hana"]
    assert hana["urls"] == [
        {"type": "pref", "label": "Home Page", "value": "https://hana.example"},  # * Home Page
        {"type": "profile", "value": "https://www.linkedin.com/in/hanakobayashi"},  # one label, two values
        {"type": "profile", "value": "https://twitter.com/hanakoba"},
        {"type": "blog", "value": "https://hana.example/journal"},  # Blog ::: Work with two values:
        {"type": "work", "value": "https://kiln.example/team/hana"},  # one each
    ]
    assert hana["email"] == "hana.k@mail.example"  # * Home: the primary one
    assert hana["phones"][0] == {"label": "Work Fax", "value": "+81 75 555 0100"}  # not a type 'work fax'
    assert "csv" not in hana  # no Website column left over
    tariq, _ = found["tariq-aziz"]
    assert tariq["urls"] == [
        {"type": "pref", "label": "Home Page", "value": "https://tariq.example"},
        {"type": "profile", "value": "https://www.linkedin.com/in/tariqaziz"},
        {"label": "Podcast feed", "value": "https://tariq.example/feed"},
        {"type": "blog", "value": "https://tariq.example/notes"},
    ]


MAPPED = "Full name;Company;E-mail;Birthday;Notes;Shoe size\nZoë Adler;Ørsted & Co;zoe@example.dk;1991-12-01;Met in Århus;38\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_any_csv_with_a_map(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str) -> None:
    path = tmp_path / f"people-{encoding}.csv"
    text = MAPPED if encoding != "cp1252" else MAPPED.replace("Ø", "O").replace("Å", "A")
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    first, _ = twice(capsys, root, "csv", str(path), "--map", "Full name=name,Company=org",
                     "--map", "E-mail=email,Birthday=birthday,Notes=notes")
    meta, body = entries(root)["zoe-adler"]
    assert meta["name"] == "Zoë Adler"
    assert meta["org"] == ("Ørsted & Co" if encoding != "cp1252" else "Orsted & Co")
    assert meta["email"] == "zoe@example.dk" and meta["birthday"] == "1991-12-01"
    assert meta["csv"] == {"Shoe size": "38"} and meta["source"] == "csv 2026-11-25"
    assert body.startswith("Met in")


def test_csv_whose_header_uses_the_keys(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keys.csv"
    path.write_text("name,org,email,why,tags\nRosa Santos,Summit,rosa@summit.example,Learn from her hiring playbook,\"hiring, mentor\"\n")
    twice(capsys, root, "csv", str(path))
    rosa, _ = entries(root)["rosa-santos"]
    assert rosa["why"] == "Learn from her hiring playbook" and rosa["tags"] == ["hiring", "mentor"]
    assert rosa["steps"]["why"] == "2026-11-25"  # writing a why is the first step: chosen
    _, out, _ = run(capsys, "--journal", str(root), "contacts", "--pool", "--json")
    assert json.loads(out) == []


def test_csv_map_errors_name_the_key_or_the_column(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Full name,Company\nA B,C\n")
    code, _, err = import_(capsys, root, "csv", str(path), "--map", "Full name=fullname")
    assert code == 1 and "unknown key 'fullname' (for column 'Full name')" in err
    code, _, err = import_(capsys, root, "csv", str(path), "--map", "Name=name")
    assert code == 1 and f"{path}:1: no column 'Name' in the header (it has: Full name, Company)" in err
    code, _, err = import_(capsys, root, "csv", str(path))
    assert code == 1 and "no column gives the name" in err
    code, _, err = import_(capsys, root, "linkedin", str(path), "--map", "Full name=name")
    assert code == 1 and "--map is for the csv format" in err
    assert not list((root / "contacts").glob("*.md"))


def test_dry_run_json_lists_updates_and_differences(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    j = ["--journal", str(root)]
    run(capsys, *j, "add", "contact", "Ana Lima", "--org", "Harbourline Systems", "--why", "guilds")
    run(capsys, *j, "add", "contact", "Chloe Dubois", "--email", "CHLOE@example.fr")
    before = hashes(root)
    code, plan, _ = import_json(capsys, root, "linkedin", "--dry-run", str(FIXTURES / "Connections.csv"))
    assert hashes(root) == before
    items = {i["name"]: i for i in plan["items"] if i["name"]}
    ana = items["Ana Lima"]
    # same name, orgs differ: not the same person by name and org -- but her org is
    # not empty on either side, so she is a new contact
    assert ana["action"] == "new"
    chloe = items["Chloe Dubois"]
    assert chloe["action"] == "update" and chloe["matched_by"] == "email" and chloe["slug"] == "chloe-dubois"
    assert chloe["keys"] == ["org", "role", "links", "connected"]
    code, out, _ = import_(capsys, root, "linkedin", str(FIXTURES / "Connections.csv"))
    assert "update    Chloe Dubois → chloe-dubois (by email): fills org, role, links, connected" in out
    meta, _ = entries(root)["chloe-dubois"]
    assert meta["email"] == "CHLOE@example.fr"  # hers, kept
    assert "source" not in meta  # a contact you made is not made an import's


def test_the_journals_own_csv_export_reads_back_without_derived_facts(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the spreadsheet round trip: export csv, import csv. The export's derived columns
    # (status, health, pool, the path …) must not land under csv:, its formula guard
    # (an apostrophe before '+44…', '---', '--04-15') must not be read as the value, the
    # cadence in effect (the journal's) must not be pinned on every contact, and the
    # journal it came from must not change at all
    import shutil

    import_(capsys, root, "linkedin", str(FIXTURES / "Connections.csv"))
    import_(capsys, root, "google", str(FIXTURES / "google-current.csv"))
    j = ["--journal", str(root)]
    code, _, err = run(capsys, *j, "add", "contact", "Zoë Formula", "--org=---", "--role=+1 idea",
                       "--why==SUM(A1)", "--cadence", "14")
    assert code == 0, err
    code, out, err = run(capsys, *j, "export", "csv", "--out", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    text = (tmp_path / "contacts.csv").read_text(encoding="utf-8-sig")
    assert "'---" in text and "'=SUM(A1)" in text  # guarded in the export
    before = hashes(root)
    code, out, err = import_(capsys, root, "csv", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    assert "0 new, 0 updated," in out and "Differences" not in out, out
    assert hashes(root) == before
    # into an empty journal: the same people, none of the derived columns, the guard off
    other = tmp_path / "other"
    shutil.copytree(root, other)
    shutil.rmtree(other / "contacts")
    shutil.rmtree(other / ".netjournal")
    code, out, err = run(capsys, "--journal", str(other), "import", "csv", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    found = entries(other)
    assert sorted(found) == sorted(entries(root))
    for slug, (meta, _) in found.items():
        assert "csv" not in meta, (slug, meta.get("csv"))
        assert "cadence" not in meta or slug == "zoe-formula"
    zoe = found["zoe-formula"][0]
    assert (zoe["org"], zoe["role"], zoe["why"], zoe["cadence"]) == ("---", "+1 idea", "=SUM(A1)", 14)
    # a why written is a contact chosen: not counted as in the pool
    pooled = len(json.loads(run(capsys, "--journal", str(other), "contacts", "--pool", "--json")[1]))
    assert f"The {pooled} new contacts are in the pool" in out and pooled == len(found) - 1


def test_tags_holding_commas_survive_the_spreadsheet_round_trip(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tag with a comma or a semicolon is written in double quotes in the tags cell,
    as a CSV line quotes a cell (a spreadsheet user reads `"Smith, Jones"` as one);
    importing the export gives back the same tags, and a cell typed that way by hand
    is read the same."""
    import csv as _csv
    import io
    import shutil

    j = ["--journal", str(root)]
    tags = ["coaching, trio", "a;b", 'say "hi"', '"quoted"', "plain", "-dash"]
    code, _, err = run(capsys, *j, "add", "contact", "Tess Comma", *[f"--tag={t}" for t in tags])
    assert code == 0, err
    assert entries(root)["tess-comma"][0]["tags"] == tags
    code, _, err = run(capsys, *j, "export", "csv", "--out", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    text = (tmp_path / "contacts.csv").read_text(encoding="utf-8-sig")
    (row,) = _csv.DictReader(io.StringIO(text, newline=""))
    assert row["tags"] == '"coaching, trio", "a;b", say "hi", """quoted""", plain, -dash'  # what the cell shows
    before = hashes(root)
    code, out, err = import_(capsys, root, "csv", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    assert "0 new, 0 updated, 1 unchanged" in out and "Differences" not in out, out
    assert hashes(root) == before
    other = tmp_path / "other"
    shutil.copytree(root, other)
    shutil.rmtree(other / "contacts")
    shutil.rmtree(other / ".netjournal")
    code, _, err = run(capsys, "--journal", str(other), "import", "csv", str(tmp_path / "contacts.csv"))
    assert code == 0, err
    assert entries(other)["tess-comma"][0]["tags"] == tags
    # a spreadsheet filled by hand: the same quotes, ';' as a separator too
    hand = tmp_path / "hand.csv"
    hand.write_text('name,tags\nUma Hand,"mentor; ""Smith, Jones"", teaching"\n', encoding="utf-8")
    code, _, err = import_(capsys, root, "csv", str(hand))
    assert code == 0, err
    assert entries(root)["uma-hand"][0]["tags"] == ["mentor", "Smith, Jones", "teaching"]
