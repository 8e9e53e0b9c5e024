"""vCard 2.1, 3.0 and 4.0 as phones, Apple and khard write them, imported twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interop.helpers import FIXTURES, entries, import_, import_json, twice


def test_vcard_21_quoted_printable_charset_and_photo(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = twice(capsys, root, "vcard", str(FIXTURES / "android-2.1.vcf"))
    assert "3 new" in first and "1 photo not stored" in first
    assert "0 new, 0 updated, 3 unchanged" in second
    found = entries(root)
    meta, body = found["jurgen-muller"]
    assert meta["name"] == "Jürgen Müller"  # quoted-printable UTF-8
    # the soft line breaks are joined: nothing of the note is lost, its line break kept
    assert body == ("Met at the Berlin meetup; he runs the übersetzung group.\n"
                    "Second line of the note, long enough to be broken by the phone.\n")
    assert meta["phone"] == "+49 170 5550101"  # the preferred one first
    assert meta["phones"] == [{"type": "cell", "value": "+49 170 5550101"},
                              {"type": "work", "value": "+49 30 5550102"}]
    assert meta["source"] == "vcard 2026-11-25"
    meta, _ = found["amelie-lefevre"]
    assert meta["name"] == "Amélie Lefèvre"  # raw ISO-8859-1 bytes, CHARSET given
    assert meta["org"] == "Société Générale" and meta["org_unit"] == ["Recherche"]  # QP + ISO-8859-1
    assert meta["role"] == "Analyste" and meta["birthday"] == "1988-07-14"
    assert "photo" not in str(found).lower() and "/9j/" not in str(found)


def test_vcard_30_apple_card(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    twice(capsys, root, "vcard", str(FIXTURES / "apple-3.0.vcf"))
    meta, body = entries(root)["dr-priya-raman"]
    assert meta["org"] == "Northwind Learning" and meta["org_unit"] == ["Executive Education"]
    assert meta["email"] == "priya@northwind.example"
    assert meta["emails"] == [{"type": "work", "value": "priya@northwind.example"},
                              {"type": "home", "value": "priya.raman@mail.example"}]
    assert meta["birthday"] == "--04-15"  # Apple's year 1604 means "no year"
    assert meta["links"] == ["https://www.linkedin.com/in/priya-raman-northwind/"]
    assert meta["tags"] == ["mentor", "teaching"]
    assert meta["uid"] == "5C1B3E7A-9A21-4D5E-8F9B-2A6C0D1E4F10"
    assert meta["addresses"] == [{"type": "work", "street": "12 Harbour Road", "locality": "Leeds",
                                  "code": "LS1 4AP", "country": "United Kingdom"}]
    # what has no key is kept as the card wrote it, for an export to give back
    assert meta["vcard"]["N"] == "Raman;Priya;;Dr.;"
    assert meta["vcard"]["X-SOCIALPROFILE;TYPE=twitter"] == "https://twitter.com/priyaraman"
    # item2.URL;type=pref with item2.X-ABLabel: the link keeps its type and Apple's label
    assert meta["urls"] == [{"type": "pref", "label": "homepage",
                             "value": "https://www.linkedin.com/in/priya-raman-northwind/"}]
    assert not any("X-ABLABEL" in key for key in meta["vcard"])  # read, not left over
    # a folded NOTE, its escaped comma read as a comma
    assert body == "Introduced by Kofi at the learning summit, 2024. Ask about the cohort design programme.\n"
    grace, _ = entries(root)["grace-okafor"]
    assert grace["dates"] == [{"label": "anniversary", "date": "2010-06-12"}]
    assert "vcard" not in grace  # nothing left over


def test_vcard_40_folder_of_one_card_files(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = twice(capsys, root, "vcard", str(FIXTURES / "khard"))
    assert "1 photo not stored" in first  # a PHOTO URI is not stored either
    found = entries(root)
    owen, body = found["owen-brightwater"]
    assert owen["phone"] == "+1-555-555-0105"  # tel: URI
    assert owen["phones"] == [{"type": "voice,cell", "value": "+1-555-555-0105"}]
    assert owen["birthday"] == "--04-15"  # yearless --0415
    assert owen["dates"] == [{"label": "anniversary", "date": "2015-06-20"}]
    assert owen["uid"] == "urn:uuid:3f2a9c1e-8d4b-4f6a-9e2d-1c0b7a6f5e4d"
    assert body == "Writes the Bluefern newsletter. Likes long walks and\nshort meetings.\n"
    ada, _ = found["ada-lovelace"]
    assert ada["birthday"] == "circa 1815"  # a text birthday: kept as written


def test_an_unreadable_card_is_reported_and_the_others_imported(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / "broken.vcf"
    code, out, err = import_(capsys, root, "vcard", str(path))
    assert code == 1
    assert err.strip() == f"{path}:9: cannot be read: Failed to parse line: this line is not a property:"
    assert "2 new" in out and "1 could not be read" in out
    assert sorted(entries(root)) == ["nadia-petrova", "tomas-herrera"]
    code, out, err = import_(capsys, root, "vcard", str(path))
    assert code == 1 and "0 new, 0 updated, 2 unchanged, 1 skipped" in out


def test_text_birthday_and_shown(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.interop.helpers import run

    import_(capsys, root, "vcard", str(FIXTURES / "khard"))
    code, out, _ = run(capsys, "--journal", str(root), "show", "ada-lovelace")
    assert code == 0 and "birthday: circa 1815" in out
    code, out, _ = run(capsys, "--journal", str(root), "show", "owen-brightwater", "--json")
    import json

    data = json.loads(out)
    assert data["birthday"] == "--04-15" and data["links"] == ["https://github.com/owenb"]
    assert data["uid"].startswith("urn:uuid:") and data["source"] == "vcard 2026-11-25"
    assert data["pool"] is True and data["phone"] == "+1-555-555-0105"


def test_many_cards_one_file_many_files_and_the_json_plan(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, plan, _ = import_json(capsys, root, "vcard", "--dry-run", str(FIXTURES / "apple-3.0.vcf"),
                                str(FIXTURES / "android-2.1.vcf"))
    assert code == 0 and plan["dry_run"] is True and plan["applied"] is False
    assert plan["counts"] == {"new": 5, "updated": 0, "unchanged": 0, "skipped": 0, "problems": 0}
    assert [i["name"] for i in plan["items"]][:2] == ["Dr. Priya Raman", "Grace Okafor"]
    assert plan["items"][0]["where"].endswith("apple-3.0.vcf:1")
    assert not (root / "contacts").exists() or not list((root / "contacts").iterdir())  # nothing written


def test_vcard_card_without_fn_uses_n(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "n-only.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Haddad;Farid;;;\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:555\r\nEND:VCARD\r\n")
    code, out, _ = import_(capsys, root, "vcard", str(card))
    assert code == 0 and "1 new" in out and "no name (neither FN nor N)" in out
    assert entries(root)["farid-haddad"][0]["name"] == "Farid Haddad"


def test_a_quoted_printable_value_ending_in_a_soft_break_keeps_the_cards_after_it(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # some phones end a quoted-printable value with a stray "=" on the card's last line:
    # the soft break must not join END:VCARD into the value (which made the rest of the
    # file one unreadable card: every contact after it lost)
    card = tmp_path / "phone.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Trailing Equals\r\n"
                     b"NOTE;ENCODING=QUOTED-PRINTABLE:Met at the fair=\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Next Person\r\nTEL;CELL:+44 7700 900001\r\nEND:VCARD\r\n"
                     b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Last Person\r\n"
                     b"EMAIL;INTERNET;ENCODING=QUOTED-PRINTABLE:last=40example.org=\r\nend:vcard\r\n")
    first, _ = twice(capsys, root, "vcard", str(card))
    assert "3 new" in first
    found = entries(root)
    assert sorted(found) == ["last-person", "next-person", "trailing-equals"]
    assert found["trailing-equals"][1] == "Met at the fair\n"
    assert found["next-person"][0]["phone"] == "+44 7700 900001"
    assert found["last-person"][0]["email"] == "last@example.org"


def test_a_folder_with_one_unreadable_file_imports_the_others(
        root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a vdirsyncer/khard folder (a card per file) with an empty file and a binary one
    # among good cards: those two are reported, the good cards come in
    import shutil

    folder = tmp_path / "contacts-vdir"
    shutil.copytree(FIXTURES / "khard", folder)
    (folder / "0-empty.vcf").write_bytes(b"")
    (folder / "1-binary.vcf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = import_(capsys, root, "vcard", str(folder))
    assert code == 1
    assert err.splitlines() == [f"{folder / '0-empty.vcf'}: is empty",
                                f"{folder / '1-binary.vcf'}: not a text file (it holds NUL bytes)"]
    assert "2 new" in out and "2 could not be read" in out
    assert sorted(entries(root)) == ["ada-lovelace", "owen-brightwater"]
    code, out, _ = import_(capsys, root, "vcard", str(folder))
    assert code == 1 and "0 new, 0 updated, 2 unchanged" in out
    # a file named on its own that cannot be read stops the import before the journal
    code, out, err = import_(capsys, root, "vcard", str(folder / "1-binary.vcf"))
    assert code == 1 and out == "" and err.strip().endswith("1-binary.vcf: not a text file (it holds NUL bytes)")


# --------------------------------------------------------------------------- types and labels


def test_apple_labels_and_types_of_emails_phones_and_urls_are_kept(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """iOS writes custom and "other" labels as itemN.EMAIL/TEL/URL with an itemN.X-ABLabel,
    the preferred one with type=pref wherever it stands; Outlook writes
    TYPE=INTERNET,WORK,PREF in one parameter."""
    first, _ = twice(capsys, root, "vcard", str(FIXTURES / "apple-ios-labels.vcf"))
    assert "2 new" in first
    found = entries(root)
    chidi, _ = found["chidi-okonkwo"]
    assert chidi["email"] == "chidi@home.example"  # type=pref, written second: first now
    assert chidi["emails"] == [
        {"type": "home", "value": "chidi@home.example"},  # INTERNET (every email's) and pref left out
        {"type": "work", "value": "chidi@studio.example"},
        {"label": "other", "value": "chidi.o@university.example"},  # Apple's own _$!<Other>!$_
        {"label": "Design guild", "value": "chidi@guild.example"},  # a label of the user's, as written
    ]
    assert chidi["phones"] == [{"type": "cell,voice", "value": "+234 803 555 0142"},
                               {"label": "Studio front desk", "value": "+234 1 555 0199"}]
    assert chidi["links"] == ["https://chidi.example", "https://studio.example/team/chidi",
                              "https://dribbble.com/chidi"]
    assert chidi["urls"] == [
        {"type": "pref", "label": "homepage", "value": "https://chidi.example"},
        {"type": "work", "value": "https://studio.example/team/chidi"},
        {"label": "Portfolio", "value": "https://dribbble.com/chidi"},
    ]
    # every label went to its property: none is left over under vcard:
    assert chidi["vcard"] == {"X-SOCIALPROFILE;TYPE=linkedin;X-USER=chidio": "http://www.linkedin.com/in/chidio"}
    rania, _ = found["rania-haddad"]
    assert rania["email"] == "r.haddad@cedar.example"  # TYPE=INTERNET,WORK,PREF
    assert rania["emails"] == [{"type": "work", "value": "r.haddad@cedar.example"},
                               {"type": "work", "value": "rania@cedar.example"},
                               {"value": "rania.h@mail.example"}]  # TYPE=INTERNET alone: no type
    assert rania["urls"] == [{"type": "work", "value": "https://cedar.example/rania"}]


def test_android_21_types_pref_and_quoted_printable(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Android's 2.1 export: bare parameters (EMAIL;PREF;WORK), its own X-<label> for a
    label of the user's, CHARSET and quoted-printable with a soft break in a URL."""
    twice(capsys, root, "vcard", str(FIXTURES / "android-2.1-types.vcf"))
    mette, _ = entries(root)["mette-sorensen"]
    assert mette["name"] == "Mette Sørensen"
    assert mette["email"] == "mette@fjord.example"
    assert mette["emails"] == [{"type": "work", "value": "mette@fjord.example"},
                               {"type": "home", "value": "mette.s@post.example"},
                               {"type": "x-roklub", "value": "mette@roklub.example"},
                               {"type": "cell", "value": "mørensen@mobil.example"}]
    assert mette["links"] == ["https://fjord.example/mette",
                              "https://mette.example/sørensen/en-lang-sti-som-telefonen-bryder-over-to-linjer"]
    assert "urls" not in mette  # no URL had a type


def test_vcard_40_pref_numbers_order_the_addresses(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """RFC 6350: PREF=1 is the most preferred, then 2 …, then those without (any case:
    pref=1); the card's order among equals."""
    twice(capsys, root, "vcard", str(FIXTURES / "nextcloud-4.0-pref.vcf"))
    lucia, _ = entries(root)["lucia-fernandez"]
    assert lucia["email"] == "lucia@estudio.example"
    assert [e["value"] for e in lucia["emails"]] == [
        "lucia@estudio.example", "l.fernandez@uni.example", "lucia@correo.example"]
    assert lucia["phones"] == [{"type": "cell,voice", "value": "+34-600-555-014"}]  # TYPE="cell,voice"
    assert lucia["links"] == ["https://lucia.example", "https://estudio.example/lucia"]
    assert lucia["urls"] == [{"type": "pref", "value": "https://lucia.example"},
                             {"type": "work", "value": "https://estudio.example/lucia"}]
