"""`netjournal export ics`: read back with icalendar (and the recurrences expanded with
dateutil), compared with `due --json` and `contacts --json`; stable UIDs; a touch that
moved keeps its UID with the new date; birthdays yearly, 29 February on the 28th."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import icalendar
import pytest
from dateutil.rrule import rrulestr

from netjournal.journal import Journal
from tests.conftest import TODAY
from tests.interop.helpers import run


def ics(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> dict[str, Any]:
    """The export on standard output, read by icalendar: its events by UID."""
    code = run_bytes(capsys, root, *args)
    calendar = icalendar.Calendar.from_ical(code)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == len(list(calendar.walk("VEVENT"))), "a UID is used twice"
    return events


def run_bytes(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> bytes:
    out = root.parent / "calendar.ics"
    code, said, err = run(capsys, "--journal", str(root), "export", "ics", *args, "--out", str(out))
    assert code == 0, err
    return out.read_bytes()


def day(event: Any, key: str = "DTSTART") -> dt.date:
    return event[key].dt


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    Journal.init(tmp_path / "j", sample=True, today=TODAY)
    return tmp_path / "j"


def test_each_chosen_contacts_next_touch_is_an_event(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = ics(capsys, sample)
    _, out, _ = run(capsys, "--journal", str(sample), "contacts", "--json")
    touched = [row for row in json.loads(out) if row["due"] and not row["pool"]]
    assert touched
    for row in touched:
        event = events[f"touch-{row['slug']}@netjournal"]
        due = dt.date.fromisoformat(row["due"])
        assert day(event) == max(due, TODAY)  # an overdue touch is shown today
        assert day(event, "DTEND") == day(event) + dt.timedelta(days=1)
        assert str(event["SUMMARY"]).startswith(f"Touch base with {row['name']}")
        if row["offer"]:
            assert str(event["SUMMARY"]) == f"Touch base with {row['name']}: you could give {row['offer']}"
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert f"due {row['due']}" in str(event["DESCRIPTION"])
    # the due list's contacts are among them, overdue ones said so
    _, out, _ = run(capsys, "--journal", str(sample), "due", "--json")
    for row in json.loads(out):
        event = events[f"touch-{row['slug']}@netjournal"]
        assert day(event) == TODAY and f"({row['days_overdue']} days overdue)" in str(event["DESCRIPTION"])
    # never touched: no due date, no event; the archived are left out
    assert "touch-tomas-herrera@netjournal" not in events
    assert "touch-rob-castellano@netjournal" not in events


def test_a_touch_that_moved_keeps_its_uid_and_carries_the_new_date(sample: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = ics(capsys, sample)["touch-kofi-mensah@netjournal"]
    assert day(before) == TODAY  # overdue since 2026-11-01
    code, _, err = run(capsys, "--journal", str(sample), "add", "reflection", "Sent Kofi the workbook draft",
                       "--kind", "give", "--contact", "kofi-mensah")
    assert code == 0, err
    # the new reflection's file is newer than anything the first export saw
    path = next((sample / "reflections").rglob("*sent-kofi-the-workbook-draft.md"))
    later = dt.datetime.now().timestamp() + 120
    os.utime(path, (later, later))
    after = ics(capsys, sample)["touch-kofi-mensah@netjournal"]
    assert day(after) == TODAY + dt.timedelta(days=30)  # the new touch, plus his cadence
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt


def test_open_follow_ups_are_events_and_done_ones_are_not(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = ics(capsys, sample)
    _, out, _ = run(capsys, "--journal", str(sample), "followups", "--json")
    items = json.loads(out)
    assert {i["status"] for i in items} >= {"overdue", "upcoming", "done"}
    for item in items:
        uid = f"followup-{item['id']}@netjournal"
        if item["status"] == "done":
            assert uid not in events  # follow_up_done: nothing left to do
            continue
        event = events[uid]
        assert day(event) == max(dt.date.fromisoformat(item["due"]), TODAY)
        if item["question"]:  # an intro, asked about 30 days on
            assert str(event["SUMMARY"]) == f"Follow up: {item['question']}"
        else:
            assert str(event["SUMMARY"]).startswith(f"Follow up: {item['title']}")
    # marking one done takes it out of the next export
    code, _, err = run(capsys, "--journal", str(sample), "followup", "done", "2026-10-02-kofis-coaching-circle-pilot")
    assert code == 0, err
    assert "followup-2026-10-02-kofis-coaching-circle-pilot@netjournal" not in ics(capsys, sample)


def test_birthdays_and_dates_are_yearly_and_29_february_falls_on_the_28th(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    journal.create_contact({"name": "Leap Day", "birthday": "1996-02-29",
                            "dates": [{"label": "daughter born", "date": "--06-14"},
                                      {"label": "daughter born", "date": "--07-01"},  # a label twice
                                      {"label": "wedding", "date": "summer 2010"},
                                      {"label": "typo", "date": "2026-02-30"}]})
    journal.create_contact({"name": "No Year", "birthday": "--02-29",
                            "dates": [{"label": "birthday", "date": "--02-29"}]})  # one's own UID each
    journal.create_contact({"name": "Text Birthday", "birthday": "circa 1815"})
    events = ics(capsys, root)
    assert sorted(events) == ["birthday-leap-day@netjournal", "birthday-no-year@netjournal",
                              "date-leap-day-daughter-born-2@netjournal", "date-leap-day-daughter-born@netjournal",
                              "date-no-year-birthday@netjournal"]
    leap = events["birthday-leap-day@netjournal"]
    assert str(leap["SUMMARY"]) == "Birthday: Leap Day" and day(leap) == dt.date(1996, 2, 29)
    rule = rrulestr(leap["RRULE"].to_ical().decode(), dtstart=dt.datetime(1996, 2, 29))
    shown = [d.date() for d in rule.between(dt.datetime(2026, 1, 1), dt.datetime(2029, 1, 1))]
    assert shown == [dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29)]
    yearless = events["birthday-no-year@netjournal"]
    assert day(yearless) == dt.date(2000, 2, 29)  # a yearless series starts in 2000
    daughter = events["date-leap-day-daughter-born@netjournal"]
    assert str(daughter["SUMMARY"]) == "Leap Day: daughter born"
    rule = rrulestr(daughter["RRULE"].to_ical().decode(), dtstart=dt.datetime.combine(day(daughter), dt.time()))
    assert rule.after(dt.datetime(2026, 11, 25)).date() == dt.date(2027, 6, 14)


def test_the_pool_has_no_touches_and_filters_narrow_the_calendar(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, sample=True, today=TODAY)
    journal.create_contact({"name": "Pooled Person", "source": "vcard 2026-11-01", "birthday": "--11-30",
                            "steps": {}})
    events = ics(capsys, root)
    assert not any("pooled-person" in uid for uid in events)  # the pool waits to be chosen
    # named, a pool contact's birthday is there; still no touch (never touched)
    events = ics(capsys, root, "--contact", "pooled-person")
    assert sorted(events) == ["birthday-pooled-person@netjournal"]
    events = ics(capsys, root, "--tag", "mentee")
    assert sorted(events) == ["birthday-owen-brightwater@netjournal",
                              "followup-2026-10-20-introduced-owen-to-nadia@netjournal",  # his intro to Nadia
                              "followup-2026-11-24-sent-owen-two-programme-coordinator-openings@netjournal",
                              "touch-owen-brightwater@netjournal"]


def test_uids_are_stable_and_text_round_trips_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    name = "Zoë O'Brien; CEO, Acme: \"Ops\" \\ 北京\nsecond line"
    offer = "Notes, with; every: kind\nof punctuation — and 🎉"
    contact = journal.create_contact({"name": name, "offer": offer, "why": "x", "birthday": "1990-12-01",
                                      "steps": {"why": TODAY}})
    journal.add_reflection("Met; at, the: café", kind="meeting", contacts=[contact.slug],
                           follow_up=TODAY + dt.timedelta(days=3))
    first = run_bytes(capsys, root)
    events = ics(capsys, root)
    touch = events[f"touch-{contact.slug}@netjournal"]
    title = name.replace("\n", " ")  # a title is one line (see the test below)
    assert str(touch["SUMMARY"]) == f"Touch base with {title}: you could give {offer.replace(chr(10), ' ')}"
    assert f"You could give: {offer}" in str(touch["DESCRIPTION"])  # the description keeps its lines
    assert str(events[f"birthday-{contact.slug}@netjournal"]["SUMMARY"]) == f"Birthday: {title}"
    follow = next(e for uid, e in events.items() if uid.startswith("followup-"))
    assert str(follow["SUMMARY"]) == f"Follow up: Met; at, the: café ({title})"
    second = run_bytes(capsys, root)
    strip = lambda data: b"\r\n".join(line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP"))
    assert strip(first) == strip(second)  # nothing changed: the same file but the time it was made
    calendar = icalendar.Calendar.from_ical(first)
    assert str(calendar["X-WR-CALNAME"]) == "netjournal · j network"  # the calendar's name when subscribed
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_every_event_title_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a multi-line offer gave "Touch base with X: you could give line1⏎line2" in the
    # calendar; every summary is one line, whitespace runs one space; descriptions keep lines
    root = tmp_path / "j"
    journal = Journal.init(root, today=TODAY)
    pat = journal.create_contact({"name": "Pat\n  Lines", "offer": "intro to Sam\n\n- and my\tdeck  notes",
                                  "why": "first\nsecond", "birthday": "1990-12-01",
                                  "dates": [{"label": "company\nfounded", "date": "--06-14"}],
                                  "steps": {"why": TODAY}})
    sam = journal.create_contact({"name": "Sam Two", "why": "x", "steps": {"why": TODAY}})
    journal.add_reflection("Coffee with Pat", kind="meeting", contacts=[pat.slug, sam.slug],
                           follow_up=TODAY + dt.timedelta(days=3))
    journal.add_reflection("Introduced Pat to Sam", kind="intro", contacts=[pat.slug, sam.slug])
    data = run_bytes(capsys, root)
    events = ics(capsys, root)
    summaries = {uid: str(event["SUMMARY"]) for uid, event in events.items()}
    assert summaries[f"touch-{pat.slug}@netjournal"] == "Touch base with Pat Lines: you could give intro to Sam - and my deck notes"
    assert summaries[f"birthday-{pat.slug}@netjournal"] == "Birthday: Pat Lines"
    assert summaries[f"date-{pat.slug}-company-founded@netjournal"] == "Pat Lines: company founded"
    follow_ups = sorted(s for uid, s in summaries.items() if uid.startswith("followup-"))
    assert follow_ups == ["Follow up: Coffee with Pat (Pat Lines, Sam Two)",
                          "Follow up: How did the introduction of Pat Lines and Sam Two go?"]
    for summary in summaries.values():
        assert "\n" not in summary and "\r" not in summary and "  " not in summary and "\t" not in summary
    assert b"SUMMARY:" in data and all(b"\\n" not in line for line in data.split(b"\r\n") if line.startswith(b"SUMMARY"))
    description = str(events[f"touch-{pat.slug}@netjournal"]["DESCRIPTION"])
    assert "Why: first\nsecond" in description and "intro to Sam\n\n- and my\tdeck  notes" in description


def test_a_pool_s_birthdays_left_out_are_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a phone's address book just imported is all pool: the calendar leaves its
    # birthdays out (the pool is not your network yet), and says so instead of a bare
    # "Exported 0 events"
    Journal.init(tmp_path / "j", today=TODAY)
    root = tmp_path / "j"
    book = tmp_path / "phone.vcf"
    book.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okoro\r\nBDAY:--0704\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ama Owusu\r\nBDAY:1990-01-02\r\nEND:VCARD\r\n"
                    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Dates\r\nEND:VCARD\r\n")
    code, _, err = run(capsys, "--journal", str(root), "import", "vcard", str(book))
    assert code == 0, err
    out = root.parent / "calendar.ics"
    code, said, err = run(capsys, "--journal", str(root), "export", "ics", "--out", str(out))
    assert code == 0 and said == f"Exported 0 events to {out}\n"
    assert err == ("Note: 2 contacts in the pool (imported, not yet chosen) with a birthday or a date to "
                   "remember left out; name one with --contact SLUG to have it\n")
    assert list(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == []
    # named, one is there, and nothing is said
    events = ics(capsys, root, "--contact", "ben-okoro")
    assert [str(e["SUMMARY"]) for e in events.values()] == ["Birthday: Ben Okoro"]
    code, said, err = run(capsys, "--journal", str(root), "export", "ics", "--contact", "ben-okoro")
    assert code == 0 and err == ""
