"""`netjournal export vcard`: read back with vobject and compared with contacts --json;
export → import into an empty journal → export gives the same bytes but REV; importing
an export into the journal it came from changes no byte; hostile text round-trips."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
import vobject

from netjournal.interop.records import derived_uid
from netjournal.journal import Journal
from netjournal.store import frontmatter
from tests.conftest import TODAY
from tests.interop.helpers import FIXTURES, hashes, import_, run

HOSTILE_NAME = "Zoë O'Brien; CEO, Acme: \"Ops\" \\ 北京"
HOSTILE_NOTE = ("Line one; with, commas: and colons.\nLine two — ünïcödé 中文 emoji 🎉\n\n"
                "A backslash \\n that is not a line break, and [[priya-raman]].")


def export(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, bytes, str]:
    """The export's bytes as written to a file (--out), and what was said."""
    out = root.parent / f"export-{len(list(root.parent.iterdir()))}.out"
    code, said, err = run(capsys, "--journal", str(root), "export", *args, "--out", str(out))
    return code, (out.read_bytes() if out.exists() else b""), said + err


def contacts_json(capsys: pytest.CaptureFixture[str], root: Path) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "--journal", str(root), "contacts", "--archived", "--json")
    assert code == 0, err
    return json.loads(out)


def cards(data: bytes) -> dict[str, Any]:
    """Every card, read by vobject, by UID."""
    return {card.uid.value: card for card in vobject.readComponents(data.decode("utf-8"))}


def without_rev(data: bytes) -> bytes:
    return re.sub(rb"\r\nREV:[^\r]*", b"", data)


@pytest.fixture
def rich(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The sample journal, the import fixtures (Apple, Android 2.1, khard, Nextcloud,
    Google, LinkedIn) imported into it, and a contact whose every text is hostile."""
    root = tmp_path / "rich"
    journal = Journal.init(root, sample=True, today=TODAY)
    journal.create_contact({
        "name": HOSTILE_NAME, "org": "Acme; Ltd, \"Ops\": R&D", "role": "Head, of: things; \\ 役職",
        "email": "zoe@example.org", "phone": "+44 20 7946 0000", "birthday": "--02-29",
        "links": ["https://example.org/a,b;c"], "tags": ["a,b", "c;d", "e:f", "ünï"],
        "why": "Why, with; punctuation", "offer": None, "steps": {}, "archived": False,
        "dates": [{"label": "started at Acme; Ltd", "date": "2019-03-01"},
                  {"label": "anniversary", "date": "--06-12"},
                  {"label": "wedding, second", "date": "summer 2010"}],
        "addresses": [{"type": "home", "street": "1 Rue de l'Église; Bât. B", "locality": "Paris",
                       "code": "75001", "country": "France", "label": "1 Rue de l'Église\n75001 Paris"}],
        "vcard": {"NICKNAME": "Zo,Zozo", "X-CUSTOM;TYPE=work": "a,b;c\\d\nnext", "GEO": "geo:48.85,2.35"},
    }, HOSTILE_NOTE + "\n")
    cards = ("apple-3.0.vcf", "android-2.1.vcf", "khard", "apple-ios-labels.vcf", "android-2.1-types.vcf",
             "nextcloud-4.0-pref.vcf")
    for args in (("vcard", *(str(FIXTURES / name) for name in cards)),
                 ("google", str(FIXTURES / "google-current.csv"), str(FIXTURES / "google-websites-current.csv")),
                 ("linkedin", str(FIXTURES / "Connections.csv"))):
        code, _, err = import_(capsys, root, *args)
        assert code == 0, err
    return root


def test_every_card_reads_back_as_contacts_json_says(rich: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, said = export(capsys, rich, "vcard")
    assert code == 0 and said.startswith("Exported ")
    listed = contacts_json(capsys, rich)
    read = cards(data)
    assert len(read) == len(listed) == int(said.split()[1])
    for row in listed:
        card = read[row["uid"] or derived_uid(row["slug"])]
        assert card.version.value == "4.0"
        assert card.fn.value == row["name"]
        org = card.contents.get("org", [None])[0]
        assert (org.value[0] if org else "") == row["org"]
        assert (card.title.value if "title" in card.contents else "") == row["role"]
        emails = [line.value for line in card.contents.get("email", [])]
        assert (emails[0] if emails else "") == row["email"]
        phones = [line.value for line in card.contents.get("tel", [])]
        assert (phones[0] if phones else "") == row["phone"]
        assert [line.value for line in card.contents.get("url", [])] == row["links"]
        tags = card.contents["categories"][0].value if "categories" in card.contents else []
        assert tags == row["tags"]
        if row["birthday"]:
            assert "bday" in card.contents
        _, out, _ = run(capsys, "--journal", str(rich), "show", row["slug"], "--json")
        body = json.loads(out)["body"].replace("\r\n", "\n").strip("\n")
        assert (card.note.value if "note" in card.contents else "") == body


def test_hostile_text_round_trips_exactly_through_the_escaping(rich: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = export(capsys, rich, "vcard")
    slug = next(r["slug"] for r in contacts_json(capsys, rich) if r["name"] == HOSTILE_NAME)
    card = cards(data)[derived_uid(slug)]
    assert card.fn.value == HOSTILE_NAME
    assert card.org.value == ["Acme; Ltd, \"Ops\": R&D"]
    assert card.title.value == "Head, of: things; \\ 役職"
    assert card.note.value == HOSTILE_NOTE
    assert card.categories.value == ["a,b", "c;d", "e:f", "ünï"]
    assert card.adr.value.street == "1 Rue de l'Église; Bât. B" and card.adr.value.city == "Paris"
    assert card.adr.params["LABEL"] == ["1 Rue de l'Église\\n75001 Paris"]  # RFC 6350's own \n in LABEL
    assert card.bday.value == "--0229"
    assert card.anniversary.value == "--0612"
    by_group = {line.group: line for line in card.lines() if line.name == "X-ABLABEL"}
    dates = [(by_group[line.group].value, line.value) for line in card.contents["x-abdate"]]
    assert dates == [("started at Acme; Ltd", "2019-03-01"), ("wedding, second", "summer 2010")]
    assert card.contents["x-custom"][0].value == "a,b;c\\d\nnext"
    assert card.contents["x-custom"][0].params["TYPE"] == ["work"]
    assert card.contents["url"][0].value == "https://example.org/a,b;c"
    # every physical line is at most 75 octets and whole UTF-8 (a fold never cuts a character)
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_line_breaks_in_a_name_and_a_tag_are_written_and_read_back(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A name or a tag holding a line break (possible in YAML) is written with it; an
    import makes such single-line values one line (README), so only the escaping is
    exact here, not the round trip."""
    root = tmp_path / "j"
    Journal.init(root, today=TODAY).create_contact({"name": "Two\nLines; é", "tags": ["line\nbreak", "x"]})
    _, data, _ = export(capsys, root, "vcard")
    (card,) = cards(data).values()
    assert card.fn.value == "Two\nLines; é" and card.categories.value == ["line\nbreak", "x"]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_export_import_export_is_byte_stable_but_rev(rich: Path, tmp_path: Path, version: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, first, _ = export(capsys, rich, "vcard", "--version", version)
    assert code == 0 and first.count(b"BEGIN:VCARD") == len(contacts_json(capsys, rich))
    assert f"VERSION:{version}".encode() in first
    (tmp_path / "first.vcf").write_bytes(first)
    empty = tmp_path / "empty"
    Journal.init(empty, today=TODAY)
    code, out, err = import_(capsys, empty, "vcard", str(tmp_path / "first.vcf"))
    assert code == 0, err
    assert f"{first.count(b'BEGIN:VCARD')} new, 0 updated" in out
    _, second, _ = export(capsys, empty, "vcard", "--version", version)
    assert without_rev(second) == without_rev(first)
    # REV is when the file last changed (the copies are new files: their own time)
    stamp = rb"\d{8}T\d{6}Z" if version == "4.0" else rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert len(re.findall(rb"\r\nREV:" + stamp + rb"\r\n", second)) == second.count(b"BEGIN:VCARD")
    # the same contacts: names, orgs, roles, emails, phones, birthdays, links, tags and uids
    keys = ("name", "org", "role", "email", "phone", "birthday", "links", "tags")
    theirs = {r["uid"]: r for r in contacts_json(capsys, empty)}
    for row in contacts_json(capsys, rich):
        copy = theirs[row["uid"] or derived_uid(row["slug"])]
        for key in keys:
            assert copy[key] == row[key], (row["slug"], key)


def settle(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    """Files changed within 2 s of a sync's start are hashed at every open, and when
    many are the index writes a new sync time (racy timestamps: docs/design.md): let
    2 s pass and reindex, so that only a change can change the index."""
    time.sleep(2.1)
    assert run(capsys, "--journal", str(root), "reindex", "--full")[0] == 0


def test_importing_an_export_into_its_own_journal_changes_nothing(rich: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    settle(capsys, rich)
    for version in ("4.0", "3.0"):
        _, data, _ = export(capsys, rich, "vcard", "--version", version)
        path = tmp_path / f"own-{version}.vcf"
        path.write_bytes(data)
        before = hashes(rich)
        code, out, err = import_(capsys, rich, "vcard", str(path))
        assert code == 0, err
        assert hashes(rich) == before, "an import of the journal's own export changed files"
        assert f"0 new, 0 updated, {data.count(b'BEGIN:VCARD')} unchanged" in out
        # a contact without a uid is known by the one its export carried, and never given it
        assert "uid:" not in (rich / "contacts" / "priya-raman.md").read_text(encoding="utf-8")


def test_what_an_import_kept_is_given_back(rich: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, data, _ = export(capsys, rich, "vcard")
    priya = cards(data)["5C1B3E7A-9A21-4D5E-8F9B-2A6C0D1E4F10"]  # Apple's card (apple-3.0.vcf)
    assert priya.n.value.family == "Raman" and priya.n.value.prefix == "Dr."  # the card's own N
    emails = [(line.value, line.params.get("TYPE"), line.params.get("PREF")) for line in priya.contents["email"]]
    assert emails == [("priya@northwind.example", ["work"], ["1"]), ("priya.raman@mail.example", ["home"], None)]
    assert priya.tel.params["TYPE"] == ["cell", "voice"]
    assert priya.adr.value.street == "12 Harbour Road" and priya.adr.value.country == "United Kingdom"
    assert priya.org.value == ["Northwind Learning", "Executive Education"]
    assert priya.bday.value == "--0415"
    assert priya.contents["x-socialprofile"][0].value == "https://twitter.com/priyaraman"
    grace = cards(data)["9f0e1d2c-3b4a-5968-7766-554433221100"]
    assert grace.anniversary.value == "20100612"
    ada = next(c for c in cards(data).values() if c.fn.value == "Ada Lovelace")
    assert ada.bday.value == "circa 1815" and ada.bday.params["VALUE"] == ["text"]


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_types_labels_and_the_preferred_one_are_given_back(rich: Path, version: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """An email, phone or URL with a label is written in a group of its own with that
    group's X-ABLABEL (Apple's own labels in Apple's form), numbered after the groups
    the card kept; the preferred email first and marked; a URL's pref as the version
    writes it."""
    _, data, _ = export(capsys, rich, "vcard", "--version", version)
    chidi = cards(data)["2F7A1C44-0B9E-4C61-A0D3-7E51B2C9D810"]  # apple-ios-labels.vcf
    labels = {line.group: line.value for line in chidi.lines() if line.name == "X-ABLABEL"}

    def typed(name: str) -> list[tuple[str, list[str], str | None]]:
        return [(line.value, line.params.get("TYPE", []), labels.get(line.group) if line.group else None)
                for line in chidi.contents[name]]

    pref = ["PREF"] if version == "4.0" else ["TYPE"]
    first_email = chidi.contents["email"][0]
    assert first_email.value == "chidi@home.example" and pref[0] in first_email.params
    assert typed("email") == [
        ("chidi@home.example", ["home"] if version == "4.0" else ["home", "pref"], None),
        ("chidi@studio.example", ["work"], None),
        ("chidi.o@university.example", [], "_$!<Other>!$_"),
        ("chidi@guild.example", [], "Design guild")]
    assert typed("tel")[1] == ("+234 1 555 0199", [], "Studio front desk")
    url_types = ([], ["work"], []) if version == "4.0" else (["pref"], ["work"], [])
    assert typed("url") == [("https://chidi.example", url_types[0], "_$!<HomePage>!$_"),
                            ("https://studio.example/team/chidi", url_types[1], None),
                            ("https://dribbble.com/chidi", url_types[2], "Portfolio")]
    if version == "4.0":
        assert chidi.contents["url"][0].params["PREF"] == ["1"]
    text = data.decode("utf-8")
    assert "item1.EMAIL:chidi.o@university.example\r\nitem1.X-ABLABEL:_$!<Other>!$_\r\n" in text
    tariq = next(c for c in cards(data).values() if c.fn.value == "Tariq Aziz")  # Google's websites
    assert [(line.value, labels_of(tariq).get(line.group)) for line in tariq.contents["url"]] == [
        ("https://tariq.example", "Home Page"), ("https://www.linkedin.com/in/tariqaziz", None),
        ("https://tariq.example/feed", "Podcast feed"), ("https://tariq.example/notes", None)]
    assert [line.params.get("TYPE") for line in tariq.contents["url"]][1:] == [["profile"], None, ["blog"]]


def labels_of(card: Any) -> dict[str, str]:
    return {line.group: line.value for line in card.lines() if line.name == "X-ABLABEL"}


def test_the_uid_made_for_a_contact_without_one_is_stable(rich: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, first, _ = export(capsys, rich, "vcard", "--contact", "kofi-mensah")
    _, second, _ = export(capsys, rich, "vcard", "--contact", "kofi-mensah")
    assert list(cards(first)) == list(cards(second)) == [derived_uid("kofi-mensah")]
    assert derived_uid("kofi-mensah").startswith("urn:uuid:") and derived_uid("kofi-mensah") != derived_uid("kofi")


def test_a_key_under_vcard_that_is_not_a_property_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    journal.create_contact({"name": "Mallory", "vcard": {
        "X-EVIL:x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected": "y",  # not a property name: left out
        "FN": "Second name",  # a property the card writes itself: never twice
        "item1.X-ABLABEL": "kept", "X-URL;X-SRC=http://a/b": "param quoted",
        "X-LIST": ["one", "two"], "X-MAP": {"a": 1}}})
    _, data, _ = export(capsys, root, "vcard")
    text = data.decode("utf-8")
    assert text.count("BEGIN:VCARD") == 1 and "Injected" not in text and "Second name" not in text
    (card,) = cards(data).values()
    assert card.fn.value == "Mallory"
    assert [line.value for line in card.contents["x-list"]] == ["one", "two"]
    assert "x-map" not in card.contents
    assert 'X-URL;X-SRC="http://a/b":param quoted' in text  # a ':' in a parameter is quoted
    assert card.contents["x-url"][0].params["X-SRC"] == ["http://a/b"]


def test_an_impossible_birthday_is_exported_as_text_and_a_broken_file_is_named(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    Journal.init(root, today=TODAY)
    (root / "contacts" / "typo.md").write_text("---\nname: Typo\nbirthday: '2026-02-30'\n---\n", encoding="utf-8")
    (root / "contacts" / "bare.md").write_text("---\nname: Bare\nbirthday: 2026-02-30\n---\n", encoding="utf-8")
    code, data, said = export(capsys, root, "vcard")
    assert code == 0
    assert "Note: 1 file could not be read and is not in the export: see netjournal check" in said
    (card,) = cards(data).values()
    assert card.fn.value == "Typo" and card.bday.value == "2026-02-30" and card.bday.params["VALUE"] == ["text"]


def test_apples_labelled_dates_are_read_into_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Apple writes dates to remember as itemN.X-ABDATE with an itemN.X-ABLabel (its own
    labels as _$!<Anniversary>!$_, a year 1604 for none): the import reads them into
    ``dates``, as it reads an export's, and a NICKNAME keeps every nickname."""
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Sam;;;\r\nFN:Sam Lee\r\nNICKNAME:Sammy,Lee-Lee\r\n"
            "item3.X-ABDATE;type=pref:2015-06-20\r\nitem3.X-ABLabel:_$!<Anniversary>!$_\r\n"
            "item4.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-03-01\r\nitem4.X-ABLabel:daughter born\r\n"
            "item5.X-ABDATE:2020-01-02\r\nitem6.X-ABLabel:a label for something else\r\nEND:VCARD\r\n")
    path = tmp_path / "apple.vcf"
    path.write_text(card, encoding="utf-8")
    root = tmp_path / "j"
    Journal.init(root, today=TODAY)
    code, _, err = import_(capsys, root, "vcard", str(path))
    assert code == 0, err
    meta = frontmatter.parse((root / "contacts" / "sam-lee.md").read_text(encoding="utf-8")).meta
    assert meta["dates"] == [{"label": "anniversary", "date": "2015-06-20"},
                             {"label": "daughter born", "date": "--03-01"}, {"date": "2020-01-02"}]
    assert meta["vcard"] == {"NICKNAME": "Sammy,Lee-Lee", "item6.X-ABLABEL": "a label for something else"}
    _, data, _ = export(capsys, root, "vcard")
    assert b"\r\nNICKNAME:Sammy,Lee-Lee\r\n" in data  # a list: its commas separate
    assert b"\r\nANNIVERSARY:20150620\r\nitem7.X-ABDATE:--03-01\r\nitem7.X-ABLABEL:daughter born\r\n" \
           b"item8.X-ABDATE:2020-01-02\r\n" in data  # numbered after the card's own groups
