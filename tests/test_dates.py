"""Birthdays and dates to remember: how they are read, what `check` says about a wrong
one, and what is coming up (the dashboard's section, `due`, `review`, `show`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.insights import coming_up, compute_facts, upcoming_dates
from netjournal.journal import Journal
from netjournal.model import Contact, YearlyDate, is_broken_date, read_dates, yearly_date
from tests.conftest import TODAY


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def person(slug: str = "ana", birthday: str = "", dates: list[tuple[str, str]] | None = None, **kw) -> Contact:
    return Contact(slug=slug, path=f"contacts/{slug}.md", name=kw.pop("name", slug.title()), birthday=birthday,
                   dates=dates or [], **kw)


def write_contact(root: Path, slug: str, front_matter: str, body: str = "") -> None:
    (root / "contacts" / f"{slug}.md").write_text(f"---\n{front_matter}---\n{body}", encoding="utf-8")


# ---------------------------------------------------------------------- reading


def test_a_date_is_yyyy_mm_dd_or_yearless_and_anything_else_is_text() -> None:
    assert yearly_date("1990-04-15") == YearlyDate(4, 15, 1990)
    assert yearly_date("--06-14") == YearlyDate(6, 14, None)
    assert yearly_date("--02-29") == YearlyDate(2, 29, None)  # a yearless leap day is a birthday
    for text in ("circa 1815", "", "1990", "15/04/1990", "2026-02-30", "--13-01", "--02-30"):
        assert yearly_date(text) is None, text
    # written as a date and none: what check warns about; plain text is not
    assert is_broken_date("2026-02-30") and is_broken_date("--13-01") and is_broken_date("--04-31")
    assert not is_broken_date("circa 1815") and not is_broken_date("1990-04-15")


def test_the_dates_list_keeps_text_and_names_what_is_wrong() -> None:
    dates, warnings = read_dates([
        {"label": "started at Harbourline", "date": "2021-03-01"},
        {"label": "daughter born", "date": "--06-14"},
        {"label": "wedding", "date": "summer 2010"},  # text: kept, shown, not a date
        {"label": "typo", "date": "2026-02-30"},  # kept, and named
        {"label": "no day"},
        "2020-01-01",
    ])
    assert dates == [("started at Harbourline", "2021-03-01"), ("daughter born", "--06-14"),
                     ("wedding", "summer 2010"), ("typo", "2026-02-30")]
    assert len(warnings) == 3
    assert "item 4 (typo): '2026-02-30' is not a date" in warnings[0]
    assert "item 5 (no day) has no date" in warnings[1]
    assert "item 6 ('2020-01-01') is not {label: …, date: …}" in warnings[2]
    assert read_dates("2020-01-01")[1] == [
        "dates must be a list of {label: …, date: …} (e.g. '- {label: started at Harbourline, date: 2021-03-01}')"]


def test_check_reports_an_impossible_birthday_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    Journal.init(root, today=TODAY)
    # quoted, as an import or the YAML-aware writer leaves it: read, with a warning
    write_contact(root, "quoted", "name: Quoted\nemail: q@example.org\nbirthday: '2026-02-30'\n"
                  "dates:\n- {label: ok, date: 2021-03-01}\n- {label: bad, date: '--13-01'}\n")
    # bare: YAML itself refuses the date, and the file is an error (as any impossible date)
    write_contact(root, "bare", "name: Bare\nbirthday: 2026-02-30\n")
    code, out, _ = run(capsys, "--journal", str(root), "check")
    assert code == 1
    lines = out.splitlines()
    assert "contacts/quoted.md:4: birthday '2026-02-30' is not a date: write YYYY-MM-DD, or --MM-DD without the " \
           "year (it is shown as written, and left out of what is coming up and of the calendar) (warning)" in lines
    assert "contacts/quoted.md:5: dates: item 2 (bad): '--13-01' is not a date (YYYY-MM-DD, or --MM-DD without " \
           "the year) (warning)" in lines
    assert any(line.startswith("contacts/bare.md:3: impossible date '2026-02-30'") for line in lines), lines
    # the quoted one is a contact, its birthday shown as written
    _, out, _ = run(capsys, "--journal", str(root), "show", "quoted", "--json")
    shown = json.loads(out)
    assert shown["birthday"] == "2026-02-30" and shown["coming_up"] == []
    assert shown["dates"] == [{"label": "ok", "date": "2021-03-01"}, {"label": "bad", "date": "--13-01"}]


# ---------------------------------------------------------------------- coming up


def test_coming_up_is_today_and_the_next_14_days_with_age_and_years() -> None:
    today = dt.date(2026, 11, 25)
    ana = person("ana", "1990-11-25", [("started at Harbourline", "2021-12-09"), ("far", "2021-12-10")])
    ben = person("ben", "--12-01", [("daughter born", "--11-24")])  # yesterday: next year, not now
    items = upcoming_dates(ana, today) + upcoming_dates(ben, today)
    shown = [(u.contact.slug, u.label, u.on.isoformat(), u.in_days, u.years, u.words(), u.when()) for u in items]
    assert shown == [
        ("ana", "birthday", "2026-11-25", 0, 36, "turns 36", "today"),
        ("ana", "started at Harbourline", "2026-12-09", 14, 5, "5 years", "in 14 days"),
        ("ben", "birthday", "2026-12-01", 6, None, "", "in 6 days"),
    ]


def test_a_date_without_a_label_or_labelled_birthday_is_a_date() -> None:
    items = upcoming_dates(person("ana", "1990-11-26", [("", "--11-27"), ("birthday", "1990-11-26")]),
                           dt.date(2026, 11, 25))
    assert [(u.label, u.is_birthday, u.words()) for u in items] == [
        ("birthday", True, "turns 36"), ("birthday", False, "36 years"), ("date", False, "")]


def test_the_window_runs_over_new_year() -> None:
    items = upcoming_dates(person("ana", "1980-01-03", [("met", "2020-12-31")]), dt.date(2026, 12, 28))
    assert [(u.label, u.on.isoformat(), u.years) for u in items] == [("met", "2026-12-31", 6),
                                                                      ("birthday", "2027-01-03", 47)]


def test_a_leap_day_birthday_is_kept_on_28_february_in_other_years() -> None:
    leap = person("leap", "2000-02-29", [("yearless", "--02-29")])
    items = upcoming_dates(leap, dt.date(2027, 2, 20))  # 2027 has no 29 February
    assert [(u.label, u.on.isoformat(), u.years) for u in items] == [("birthday", "2027-02-28", 27),
                                                                      ("yearless", "2027-02-28", None)]
    items = upcoming_dates(leap, dt.date(2028, 2, 20))  # 2028 has one
    assert [u.on.isoformat() for u in items] == ["2028-02-29", "2028-02-29"]
    # on 28 February itself it is today, and on 1 March it is next year's
    assert upcoming_dates(leap, dt.date(2027, 2, 28))[0].in_days == 0
    assert upcoming_dates(leap, dt.date(2027, 3, 1)) == []


def test_a_date_whose_year_is_ahead_is_coming_up_once_then_yearly() -> None:
    wedding = person("cy", "", [("wedding", "2026-12-05")])
    (item,) = upcoming_dates(wedding, dt.date(2026, 11, 25))
    assert item.on == dt.date(2026, 12, 5) and item.years is None  # the day itself, not a first anniversary
    (item,) = upcoming_dates(wedding, dt.date(2027, 11, 25))
    assert item.on == dt.date(2027, 12, 5) and item.years == 1


def test_text_and_impossible_dates_are_never_coming_up() -> None:
    odd = person("odd", "circa 1815", [("typo", "2026-02-30"), ("summer", "summer 2010")])
    assert upcoming_dates(odd, dt.date(2026, 2, 25)) == []


def test_the_dashboard_list_leaves_out_the_archived_and_the_pool() -> None:
    today = dt.date(2026, 11, 25)
    people = [person("chosen", "--11-26", name="Chosen"), person("archived", "--11-26", archived=True),
              person("pool", "--11-26", source="vcard 2026-11-01"), person("also", "--11-25", name="Also")]
    facts = compute_facts(people, [], today)
    assert [(u.contact.slug, u.in_days) for u in coming_up(facts.values(), today)] == [("also", 0), ("chosen", 1)]


def test_due_review_and_show_carry_what_is_coming_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    run(capsys, "init", str(root), "--sample")
    j = ["--journal", str(root)]
    # the sample journal: Owen's birthday in 4 days, Priya's seven years at Northwind in 7
    code, out, _ = run(capsys, *j, "due")
    assert code == 0
    assert out.endswith("Coming up:\n"
                        "  2026-11-29  Owen Brightwater: birthday, turns 28 (in 4 days)\n"
                        "  2026-12-02  Priya Raman: started at Northwind, 7 years (in 7 days)\n")
    _, out, _ = run(capsys, *j, "due", "--json")
    for row in json.loads(out):
        assert row["coming_up"] == [] and "dates" in row  # none of those due has a date soon
    _, out, _ = run(capsys, *j, "review", "--json")
    review = json.loads(out)
    assert review["coming_up"] == [
        {"contact": "owen-brightwater", "name": "Owen Brightwater", "label": "birthday", "birthday": True,
         "date": "1998-11-29", "on": "2026-11-29", "in_days": 4, "years": 28},
        {"contact": "priya-raman", "name": "Priya Raman", "label": "started at Northwind", "birthday": False,
         "date": "2019-12-02", "on": "2026-12-02", "in_days": 7, "years": 7},
    ]
    # a past week's review looks ahead from the Monday after it
    _, out, _ = run(capsys, *j, "review", "--week", "2026-11-10", "--json")
    assert [u["contact"] for u in json.loads(out)["coming_up"]] == ["owen-brightwater"]
    _, out, _ = run(capsys, *j, "review")
    assert "Coming up (2)\n  2026-11-29  Owen Brightwater: birthday, turns 28 (in 4 days)" in out
    _, out, _ = run(capsys, *j, "show", "priya-raman", "--json")
    priya = json.loads(out)
    assert priya["dates"] == [{"label": "started at Northwind", "date": "2019-12-02"}]
    assert [u["label"] for u in priya["coming_up"]] == ["started at Northwind"]
    _, out, _ = run(capsys, *j, "show", "priya-raman")
    assert "started at Northwind: 2019-12-02\nComing up: 2026-12-02  Priya Raman: started at Northwind, 7 years " \
           "(in 7 days)\n" in out
