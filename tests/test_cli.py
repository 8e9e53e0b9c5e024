"""The `netjournal` command line: every command on the sample journal and on an
empty one, JSON shapes, exit codes, one-line errors, and safe output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.journal import Journal
from netjournal.text import display_width
from tests.conftest import TODAY

CONTACT_KEYS = {"slug", "name", "org", "tags", "steps", "progress", "last_touch", "due", "gave",
                "asked", "received", "ask_ready"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "j"
    code, out, _ = run(capsys, "init", str(root), "--sample")
    assert code == 0 and "Created a journal" in out
    return root


def j(root: Path, *args: str) -> list[str]:
    return ["--journal", str(root), *args]


def test_contacts_json_has_stable_keys(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *j(sample_root, "contacts", "--json"))
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 11  # the archived contact is hidden by default
    for row in rows:
        assert CONTACT_KEYS <= row.keys()
        assert set(row["steps"]) == {"why", "offer", "connect", "trust", "deepen", "known"}
        assert row["progress"] == sum(1 for v in row["steps"].values() if v)
    kofi = next(r for r in rows if r["slug"] == "kofi-mensah")
    assert kofi["last_touch"] == "2026-10-02" and kofi["due"] == "2026-11-01"
    assert kofi["status"] == "overdue" and kofi["days_overdue"] == 24
    tomas = next(r for r in rows if r["slug"] == "tomas-herrera")
    assert tomas["due"] is None and tomas["status"] == "not yet connected"


def test_contacts_table_lines_up_wide_characters_and_caps_long_names(
        sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """CJK and emoji take two terminal cells: the columns after a name line up by
    what the terminal shows, not by characters; a very long name is cut with "…"."""
    long_name = "Maximiliana Theodora Wilhelmina von Hohenzollern-Sigmaringen"
    for name, org in (("李小龙", "功夫学院"), ("Zoë 🎉 Party", "Fête ✨"), (long_name, "Acme")):
        assert run(capsys, *j(sample_root, "add", "contact", name, "--org", org))[0] == 0
    code, out, _ = run(capsys, *j(sample_root, "contacts"))
    assert code == 0
    lines = out.splitlines()
    header = lines[0]
    steps_at = display_width(header[: header.index("STEPS")])

    def cells_before_steps(line: str) -> int:
        at = min(line.index(c) for c in "●○" if c in line)
        return display_width(line[:at])

    rows = [line for line in lines[1:] if "●" in line or "○" in line]
    assert len(rows) == 14
    assert {cells_before_steps(line) for line in rows} == {steps_at}
    for name in ("李小龙", "Zoë 🎉 Party"):
        assert any(name in line for line in rows)
    cut = next(line for line in rows if "Maximiliana" in line)
    assert long_name not in cut and "  Maximiliana Theodora Wilhelmina…  Acme  " in cut  # 32 cells, then the org


def test_contacts_filters(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *j(sample_root, "contacts", "--due", "--json"))
    assert {r["slug"] for r in json.loads(out)} == {"daniel-kowalczyk", "marcus-feld", "kofi-mensah"}
    _, out, _ = run(capsys, *j(sample_root, "contacts", "--archived", "--json"))
    assert any(r["slug"] == "rob-castellano" and r["archived"] for r in json.loads(out))
    _, out, _ = run(capsys, *j(sample_root, "contacts", "--tag", "coaching", "--json"))
    assert all("coaching" in r["tags"] for r in json.loads(out)) and json.loads(out)
    code, out, _ = run(capsys, *j(sample_root, "contacts"))
    assert code == 0 and "Priya Raman" in out and "●●●●●●" in out


def test_show_text_and_json(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *j(sample_root, "show", "elena-marsh"))
    assert code == 0
    assert "Not ready to ask: earn trust and go deeper first." in out
    assert "Early asks: 1" in out
    assert "Asked Dr. Marsh for a reference letter" in out
    code, out, _ = run(capsys, *j(sample_root, "show", "elena-marsh", "--json"))
    data = json.loads(out)
    assert data["ask_ready"] is False and data["asked"] == 1
    assert data["reflections"][0]["date"] >= data["reflections"][-1]["date"]
    assert data["body"]


def test_missing_things_exit_1_with_one_line(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *j(sample_root, "show", "nobody"))
    assert code == 1 and out == "" and err.count("\n") == 1 and "no contact 'nobody'" in err
    code, _, err = run(capsys, *j(sample_root, "step", "nobody", "trust"))
    assert code == 1 and err.count("\n") == 1
    code, _, err = run(capsys, *j(sample_root, "add", "reflection", "x", "--contact", "ghost"))
    assert code == 1 and "ghost" in err


def test_usage_errors_exit_2(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *j(sample_root, "contacts", "--bogus"))
    assert code == 2 and err.count("\n") == 1
    code, _, err = run(capsys, *j(sample_root, "add", "reflection", "x", "--date", "2024-02-30"))
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, *j(sample_root, "step", "priya-raman", "nope"))
    assert code == 2
    code, _, err = run(capsys, *j(sample_root, "add", "contact", "X", "--cadence", "0"))
    assert code == 2


def test_not_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plain").mkdir()
    code, _, err = run(capsys, "--journal", str(tmp_path / "plain"), "contacts")
    assert code == 1 and "not a netjournal journal" in err and "netjournal init" in err
    code, _, err = run(capsys, "--journal", str(tmp_path / "missing"), "due")
    assert code == 1 and "does not exist" in err


def test_journal_resolution_order(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    env_j, cfg_j = tmp_path / "env", tmp_path / "cfg"
    Journal.init(env_j, name="from env")
    Journal.init(cfg_j, name="from config")
    Journal.init(tmp_path / "flag", name="from flag").add_contact("Flag Person")
    config_dir = Path(os.environ["NETJOURNAL_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.yaml").write_text(f"journal: {cfg_j}\n")
    Journal.open(cfg_j).add_contact("Config Person")
    _, out, _ = run(capsys, "contacts", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Config Person"]
    monkeypatch.setenv("NETJOURNAL_DIR", str(env_j))
    _, out, _ = run(capsys, "contacts", "--json")
    assert json.loads(out) == []
    _, out, _ = run(capsys, "--journal", str(tmp_path / "flag"), "contacts", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Flag Person"]


def test_add_contact_and_step(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *j(sample_root, "add", "contact", "Zoë Okafor", "--org", "Acme", "--why", "Learn ops",
                                  "--offer", "Design help", "--tag", "ops", "--tag", "mentor", "--cadence", "21"))
    assert code == 0 and "zoe-okafor" in out
    text = (sample_root / "contacts" / "zoe-okafor.md").read_text()
    assert "name: Zoë Okafor" in text and "cadence: 21" in text and "tags: [ops, mentor]" in text
    code, out, _ = run(capsys, *j(sample_root, "step", "zoe-okafor", "connect", "--note", "Sent: the deck"))
    assert code == 0 and "3/6" in out
    text = (sample_root / "contacts" / "zoe-okafor.md").read_text()
    assert f"connect: {{date: {TODAY.isoformat()}, note: 'Sent: the deck'}}" in text
    code, _, _ = run(capsys, *j(sample_root, "step", "zoe-okafor", "connect", "--undo"))
    assert code == 0
    _, out, _ = run(capsys, *j(sample_root, "show", "zoe-okafor", "--json"))
    data = json.loads(out)
    assert data["steps"]["connect"] is None and data["step_notes"]["connect"] == "Sent: the deck"


def test_a_value_that_starts_with_a_dash_is_taken_where_a_value_is_needed(
        sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """argparse reads any word that starts with '-' as an option: `--org ---` was refused
    ("expected one argument") and only `--org=---` worked. After an option that needs a
    value, such a word is its value -- unless it is one of the command's options."""
    code, out, err = run(capsys, *j(sample_root, "add", "contact", "Ann Dash", "--org", "---", "--role", "-dev",
                                    "--tag", "-x", "--tag", "--y", "--why", "-5 kg by June", "--email", "-ann@example.org"))
    assert code == 0, err
    text = (sample_root / "contacts" / "ann-dash.md").read_text()
    for line in ("org: '---'", "role: -dev", "tags: [-x, --y]", "why: -5 kg by June", "email: -ann@example.org"):
        assert line in text
    # other commands' value options alike
    code, out, err = run(capsys, *j(sample_root, "step", "ann-dash", "connect", "--note", "-- sent the deck"))
    assert code == 0, err
    assert "note: -- sent the deck}" in (sample_root / "contacts" / "ann-dash.md").read_text()
    code, out, err = run(capsys, *j(sample_root, "reflections", "--contact", "-nobody", "--json"))
    assert code == 1 and "-nobody" in err and "expected one argument" not in err  # a value, looked for
    # a word that is one of the command's options is still an option: said, with the way out
    before = sorted(p.name for p in (sample_root / "contacts").iterdir())
    code, out, err = run(capsys, *j(sample_root, "add", "contact", "Bo Dash", "--org", "--role", "x"))
    assert code == 2 and out == ""
    assert err == ("netjournal add contact: argument --org: expected one argument (a value that starts "
                   "with '-' is written --org=VALUE) (see: netjournal add contact --help)\n")
    code, _, err = run(capsys, *j(sample_root, "add", "contact", "Bo Dash", "--tag"))
    assert code == 2 and "is written --tag=VALUE" in err
    assert sorted(p.name for p in (sample_root / "contacts").iterdir()) == before


def test_add_reflection_body_from_stdin_and_ask_warning(sample_root: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("Asked for an intro.\r\n---\nraw body\n"))
    code, out, err = run(capsys, *j(sample_root, "add", "reflection", "Asked Kofi for an intro", "--contact",
                                    "kofi-mensah", "--kind", "ask", "--body", "-", "--json"))
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "ask" and data["date"] == TODAY.isoformat()
    assert "Not ready to ask" in err  # the article's warning; the ask is still saved
    raw = (sample_root / data["path"]).read_bytes()
    assert raw.endswith(b"---\nAsked for an intro.\r\n---\nraw body\n")
    _, out, _ = run(capsys, *j(sample_root, "show", "kofi-mensah", "--json"))
    assert json.loads(out)["early_asks"] == [data["path"]]


def test_reflections_filters(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *j(sample_root, "reflections", "--json"))
    rows = json.loads(out)
    assert len(rows) >= 25 and [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)
    assert {r["kind"] for r in rows} == {"note", "meeting", "give", "thanks", "ask", "receive", "intro"}
    _, out, _ = run(capsys, *j(sample_root, "reflections", "--kind", "ask", "--json"))
    assert {r["kind"] for r in json.loads(out)} == {"ask"}
    _, out, _ = run(capsys, *j(sample_root, "reflections", "--since", "2026-11-01", "--until", "2026-11-20", "--json"))
    assert all("2026-11-01" <= r["date"] <= "2026-11-20" for r in json.loads(out))
    _, out, _ = run(capsys, *j(sample_root, "reflections", "--contact", "priya-raman", "--json"))
    assert all("priya-raman" in r["links"] for r in json.loads(out))


def test_search(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *j(sample_root, "search", "Reference Letter", "--json", "--limit", "2"))
    hits = json.loads(out)
    assert code == 0 and len(hits) == 2
    assert all({"path", "kind", "title", "date", "snippet", "score"} <= h.keys() for h in hits)
    assert "reference letter" in (hits[0]["title"] + hits[0]["snippet"]).lower()
    code, out, _ = run(capsys, *j(sample_root, "search", "zzzz-nothing"))
    assert code == 0 and "Nothing matches" in out


def test_due_and_review(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *j(sample_root, "due", "--json"))
    assert [r["slug"] for r in json.loads(out)] == ["daniel-kowalczyk", "marcus-feld", "kofi-mensah"]
    _, out, _ = run(capsys, *j(sample_root, "due"))
    assert "48d overdue" in out and "Not yet connected" in out
    _, out, _ = run(capsys, *j(sample_root, "review", "--json"))
    review = json.loads(out)
    assert review["start"] == "2026-11-23" and review["end"] == "2026-11-29"
    assert len(review["gives"]) == 2 and len(review["asks"]) == 1
    _, out, _ = run(capsys, *j(sample_root, "review", "--week", "2026-05-27", "--json"))
    assert any(e["contact"] == "elena-marsh" for e in json.loads(out)["early_asks"])


def test_check_reports_problems_and_leaves_the_file(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *j(sample_root, "check"))
    assert code == 0 and "No problems" in out
    bad = sample_root / "contacts" / "broken.md"
    bad.write_bytes(b"---\nname: Broken\ntags: [a, b\n---\nbody\n")
    before = bad.read_bytes()
    code, out, _ = run(capsys, *j(sample_root, "check"))
    assert code == 1 and out.startswith("contacts/broken.md:") and out.count("\n") == 1
    code, out, _ = run(capsys, *j(sample_root, "check", "--json"))
    assert json.loads(out)[0]["path"] == "contacts/broken.md"
    assert bad.read_bytes() == before
    code, out, _ = run(capsys, *j(sample_root, "contacts", "--json"))
    assert code == 0 and len(json.loads(out)) == 11  # everything else still works


def test_check_reports_a_key_written_twice_with_its_line(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dup = sample_root / "contacts" / "ana.md"
    dup.write_bytes(b"---\nname: Ana\nsteps:\n  why: 2026-01-01\n  why: 2026-02-01\n---\nbody\n")
    before = dup.read_bytes()
    code, out, _ = run(capsys, *j(sample_root, "check"))
    assert code == 1
    assert out == "contacts/ana.md:5: key 'why' is written twice (first on line 4); keep one of them\n"
    code, out, _ = run(capsys, *j(sample_root, "check", "--json"))
    assert json.loads(out) == [{"path": "contacts/ana.md", "line": 5, "severity": "error",
                                "reason": "key 'why' is written twice (first on line 4); keep one of them"}]
    code, _, err = run(capsys, *j(sample_root, "step", "ana", "offer"))
    assert code == 1 and err.count("\n") == 1
    assert dup.read_bytes() == before


def test_reindex_and_deleted_index(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    shutil.rmtree(sample_root / ".netjournal")
    code, out, _ = run(capsys, *j(sample_root, "reindex"))
    assert code == 0 and "Rebuilt the index from 51 files" in out
    code, out, _ = run(capsys, *j(sample_root, "reindex"))
    assert "0 added, 0 changed, 0 removed" in out
    code, out, _ = run(capsys, *j(sample_root, "reindex", "--full"))
    assert "Rebuilt" in out


def test_trash_and_restore(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = Journal.open(sample_root)
    journal.delete_contact("tomas-herrera")
    code, out, _ = run(capsys, *j(sample_root, "trash"))
    assert code == 0 and "contacts/tomas-herrera.md" in out
    code, out, _ = run(capsys, *j(sample_root, "restore", out.strip()))
    assert code == 0 and (sample_root / "contacts" / "tomas-herrera.md").exists()


def test_every_listing_on_an_empty_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "empty"
    assert run(capsys, "init", str(root))[0] == 0
    assert oct((root).stat().st_mode & 0o777) == oct(0o700)
    for args in (["contacts"], ["reflections"], ["due"], ["review"], ["check"], ["search", "x"], ["trash"]):
        code, out, err = run(capsys, *j(root, *args))
        assert code == 0 and out and not err, args
        code, out, _ = run(capsys, *j(root, *args, "--json"))
        assert code == 0 and json.loads(out) is not None
    code, _, err = run(capsys, "init", str(root))
    assert code == 1 and "already a journal" in err


def test_hostile_text_never_reaches_the_terminal(sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = "Evil\x1b]0;pwned\x07 [bold]Name[/] \x1b]52;c;ZWNobw==\x07\x9b2J"
    journal = Journal.open(sample_root)
    contact = journal.add_contact(evil, why="x\x1b[2Jy")
    for args in (["contacts"], ["show", contact.slug], ["due"], ["search", "evil"]):
        code, out, _ = run(capsys, *j(sample_root, *args))
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out, args
    _, out, _ = run(capsys, *j(sample_root, "show", contact.slug))
    assert "[bold]Name[/]" in out  # markup shown literally
    _, out, _ = run(capsys, *j(sample_root, "show", contact.slug, "--json"))
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out)["name"] == evil  # JSON keeps the exact text, escaped


def test_cli_does_not_import_textual(sample_root: Path) -> None:
    code = (
        "import sys; from netjournal.cli import main; "
        f"main(['--journal', {str(sample_root)!r}, 'contacts', '--json']); "
        "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_python_dash_m_entry_point(sample_root: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(sample_root), "due", "--json"],
                            capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0 and json.loads(result.stdout)
    result = subprocess.run([sys.executable, "-m", "netjournal", "--journal", str(sample_root), "show"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("config", [
    "journal: /somewhere\njournal: /elsewhere\n",  # a key written twice
    "journal: [unclosed\n",
    b"\xff\xfe not utf-8",
], ids=["duplicate-key", "bad-yaml", "not-utf8"])
def test_a_broken_config_is_reported_not_replaced_by_the_default_journal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str | bytes) -> None:
    """Found by review: a config that did not parse counted as empty, so the default
    journal was opened (or created) instead of the one it names, as if the user's
    journal had vanished."""
    config_file = Path(os.environ["NETJOURNAL_CONFIG_DIR"]) / "config.yaml"
    config_file.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(config, bytes):
        config_file.write_bytes(config)
    else:
        config_file.write_text(config)
    before = config_file.read_bytes()
    code, out, err = run(capsys, "reflections")
    assert code == 1 and out == ""
    assert err.startswith(f"netjournal: {config_file}")
    assert err.rstrip().endswith("fix it, or say which journal with --journal")
    assert config_file.read_bytes() == before
    from netjournal.config import default_journal_dir

    assert not default_journal_dir().exists()  # nothing was created in its place
    # --journal still works
    root = tmp_path / "j"
    assert run(capsys, "init", str(root))[0] == 0
    assert run(capsys, "--journal", str(root), "reflections")[0] == 0


@pytest.mark.parametrize("argv", [
    ["reflections"], ["--journal", "/x", "reflections", "--limit", "3", "--json"],
    ["reflections", "--journal=/y", "--kind", "give", "--since", "2026-01-01"],
    ["--demo", "search", "a b", "--limit", "0"], ["search", "--json", "--journal", "/z", "q"],
    ["--theme", "t", "search", "x"],
])
def test_a_quick_commands_parser_reads_its_arguments_as_the_whole_one(argv: list[str]) -> None:
    from netjournal.cli import build_parser, command_named

    named = command_named(argv)
    assert named in ("reflections", "search")
    assert build_parser(only=named).parse_args(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv, named", [
    (["--help", "search"], None), (["--version"], None), ([], None), (["--journal", "search"], None),
    (["contacts", "search"], "contacts"), (["--journal", "/j", "add", "reflection", "x"], "add"),
])
def test_the_command_is_found_where_argparse_finds_it(argv: list[str], named: str | None) -> None:
    from netjournal.cli import command_named

    assert command_named(argv) == named


def test_a_quick_commands_usage_errors_read_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "search")[0] == 2
    assert run(capsys, "reflections", "--kind", "nope")[2].startswith("netjournal reflections: argument --kind")
    assert run(capsys, "--bogus", "search", "x")[2] == (
        "netjournal: unrecognized arguments: --bogus (see: netjournal --help)\n")


def test_show_says_a_step_done_without_its_words_as_the_app_does(
        sample_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The one fact (insights.unanswered) decides: an offer not written and its step not
    done is asked for; once the step is done it is not called missing any more."""
    _, out, _ = run(capsys, *j(sample_root, "show", "aisha-bello"))
    assert "Offer: (No offer yet: what can you give them, with what you have?)" in out
    assert run(capsys, *j(sample_root, "step", "aisha-bello", "offer"))[0] == 0
    _, out, _ = run(capsys, *j(sample_root, "show", "aisha-bello"))
    assert f"Offer: (Step done on {TODAY.isoformat()}, not written down.)" in out
