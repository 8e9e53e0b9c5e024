"""Hostile input, a corpus of nasty files: each gets a defined outcome (read, or
reported with a reason), and nothing outside the journal is ever read or written.

The files are written by the tests (nothing big is committed); the 50 MB file is
sparse.
"""

from __future__ import annotations

import builtins
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest

import netjournal.store.entries as entries_module
from netjournal.journal import Journal
from netjournal.store import frontmatter
from tests.conftest import TODAY
from tests.trust.conftest import Run
from tests.trust.helpers import TERMINAL_UNSAFE, snapshot

CANARY = "CANARY-7f3a-do-not-leak"

BOMB = """---
name: Bomb
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
"""

BODY_WITH_FENCES = "Notes.\n---\nname: Not Front Matter\n---\n...\n--- \nEnd.\n"

# path -> (file bytes, expected outcome): "ok" or the words of the problem's reason
CORPUS: dict[str, tuple[bytes, str]] = {
    "contacts/bomb.md": (BOMB.encode(), "anchors and aliases are not allowed"),
    "contacts/binary-random.md": (random.Random(7).randbytes(4096) + b"\x00" + random.Random(8).randbytes(512),
                                  "not valid UTF-8"),
    "contacts/binary-nul.md": (b"---\nname: Nul\n---\nabc\x00def\n", "looks binary"),
    "contacts/bom-crlf.md": ("\ufeff---\r\nname: Bom Crlf\r\nsteps:\r\n  why: 2026-01-02\r\n---\r\nLine one\r\nLine two\r\n"
                             .encode(), "ok"),
    "contacts/tabs.md": (b"---\nname: Tabs\nsteps:\n\twhy: 2026-01-02\n---\n", "a tab is used for indentation"),
    "contacts/fences-in-body.md": (("---\nname: Fences\n---\n" + BODY_WITH_FENCES).encode(), "ok"),
    "contacts/impossible-step.md": (b"---\nname: Impossible\nsteps:\n  trust: 2024-02-30\n---\n", "impossible date"),
    "contacts/quoted-impossible-step.md": (b"---\nname: Quoted\nsteps:\n  trust: '2024-02-30'\n---\n", "ok"),
    "contacts/list.md": (b"---\n- a\n- b\n---\n", "must be a mapping of keys, not a list"),
    "contacts/scalar.md": (b"---\njust some text\n---\n", "must be a mapping of keys, not a str"),
    "contacts/tagged.md": (b"---\nname: !!python/object/apply:os.system ['echo pwned']\n---\n", "could not determine a constructor"),
    "contacts/bad-float.md": (b"---\nname: !!float abc\n---\n", "cannot be read as float"),
    "contacts/duplicate-key.md": (b"---\nname: Ana\nwhy: x\nname: Bob\n---\n", "line 4: key 'name' is written twice"),
    "contacts/duplicate-step.md": (b"---\nname: Dup\nsteps:\n  why: 2026-01-01\n  why: 2026-01-02\n---\n",
                                   "line 5: key 'why' is written twice"),
    "reflections/2024/2024-02-28-impossible.md": (b"---\ntitle: Impossible\ndate: 2024-02-30\n---\n", "impossible date"),
    "reflections/2024/2024-03-01-quoted.md": (b"---\ntitle: Quoted\ndate: '2024-02-30'\n---\n", "is not a YYYY-MM-DD date"),
    "reflections/2024/2024-03-02-traversal.md": (b"---\ntitle: Traversal\ndate: 2024-03-02\ncontacts: ['../../outside/secret']\n---\n", "ok"),
}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the journal, holding a secret that must never be read."""
    folder = tmp_path / "outside"
    (folder / "dir").mkdir(parents=True)
    (folder / "secret.md").write_text(f"---\nname: {CANARY}\n---\n{CANARY}\n")
    (folder / "dir" / "2026-01-01-secret.md").write_text(f"---\ntitle: {CANARY}\ndate: 2026-01-01\n---\n{CANARY}\n")
    (folder / "passwd").write_text(f"root:{CANARY}\n")
    return folder


@pytest.fixture
def hostile(tmp_path: Path, outside: Path) -> Path:
    """A journal holding the whole corpus, a 50 MB file, and symlinks leading out."""
    root = tmp_path / "journal"
    Journal.init(root, today=TODAY).close()
    for rel, (data, _) in CORPUS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    with open(root / "contacts" / "huge.md", "wb") as handle:  # sparse: costs no disk
        handle.write(b"---\nname: Huge\n---\n")
        handle.truncate(50 * 1024 * 1024)
    (root / "contacts" / "leak.md").symlink_to(outside / "secret.md")
    (root / "reflections" / "2025").symlink_to(outside / "dir", target_is_directory=True)
    (root / "reflections" / "2024" / "2024-05-05-leak.md").symlink_to(outside / "dir" / "2026-01-01-secret.md")
    return root


class OutsideReads:
    """Records every file opened (for reading or writing) outside ``allowed``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, forbidden: Path) -> None:
        self.forbidden = str(forbidden.resolve())
        self.seen: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def check(path: Any) -> None:
            if isinstance(path, int):
                return
            full = os.path.realpath(os.fsdecode(os.fspath(path)))
            if full == self.forbidden or full.startswith(self.forbidden + os.sep):
                self.seen.append(full)

        def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            check(file)
            return real_open(file, *args, **kwargs)

        def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
            check(path)
            return real_os_open(path, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)


def _problems(journal: Journal) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in journal.problems():
        found.setdefault(problem.path, []).append(f"{problem.severity}: line {problem.line}: {problem.reason}")
    return found


def test_every_nasty_file_has_its_defined_outcome(hostile: Path, outside: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves: each file of the corpus (alias bomb, binary, BOM+CRLF, tabs, fences in
    the body, impossible and quoted-impossible dates, non-mapping front matter,
    python tags, bad tagged values, keys written twice, traversal in links, a 50 MB
    file, symlinks out) is either read or reported with its reason (and line); the
    bomb is refused fast; the 50 MB file and the symlinks out are never opened; no
    corpus file is changed; the sync finishes quickly."""
    reads = OutsideReads(monkeypatch, outside)
    opened: list[str] = []
    real_open = builtins.open

    def entries_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(entries_module, "open", entries_open, raising=False)
    started = time.monotonic()
    journal = Journal.open(hostile)
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"syncing the corpus took {elapsed:.1f} s"
    problems = _problems(journal)
    records = journal.index.records()
    for rel, (_, outcome) in CORPUS.items():
        errors = [p for p in problems.get(rel, []) if p.startswith("error")]
        if outcome == "ok":
            assert records[rel]["ok"] and not errors, (rel, problems.get(rel))
        else:
            assert not records[rel]["ok"], rel
            assert any(outcome in p for p in errors), (rel, outcome, problems.get(rel))
    # the 50 MB file: reported as too large, never opened
    assert any("not read" in p and "MiB" in p for p in problems["contacts/huge.md"])
    assert not [p for p in opened if p.endswith("huge.md")]
    # symlinks that lead out: reported, never read; linked folders not followed
    assert any("symlink points outside the journal" in p for p in problems["contacts/leak.md"])
    assert any("symlink points outside" in p for p in problems["reflections/2024/2024-05-05-leak.md"])
    # the linked year folder is reported (what is not read is said), nothing in it read
    assert [p for p in records if p.startswith("reflections/2025")] == ["reflections/2025"]
    assert any("symlink points outside" in p for p in problems["reflections/2025"])
    assert reads.seen == []
    # the quoted impossible step date is read, with a warning on it
    assert any("warning" in p and "2024-02-30" in p for p in problems["contacts/quoted-impossible-step.md"])
    # the traversal in a link is just a dangling link
    assert any("does not exist" in p for p in problems["reflections/2024/2024-03-02-traversal.md"])
    assert journal.contact("fences-in-body").body == BODY_WITH_FENCES
    for rel, (data, _) in CORPUS.items():
        assert (hostile / rel).read_bytes() == data, rel


def test_bom_crlf_and_fenced_bodies_survive_a_save(hostile: Path, cli: Run) -> None:
    """Proves: saving a BOM + CRLF file keeps its BOM, its CRLF line ends and its
    body byte for byte; saving a file whose body holds '---' lines keeps the body
    byte for byte; neither turns into something else when read back."""
    bom = hostile / "contacts" / "bom-crlf.md"
    before_body = bom.read_bytes().split(b"---\r\n", 2)[2]
    code, _, err = cli("--journal", hostile, "step", "bom-crlf", "trust", "--note", "kept")
    assert code == 0, err
    data = bom.read_bytes()
    assert data.startswith("\ufeff---\r\n".encode())
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(before_body)
    assert "note: kept" in data.decode()
    fenced = hostile / "contacts" / "fences-in-body.md"
    code, _, err = cli("--journal", hostile, "step", "fences-in-body", "connect")
    assert code == 0, err
    doc = frontmatter.parse_bytes(fenced.read_bytes())
    assert doc.body == BODY_WITH_FENCES and doc.meta["name"] == "Fences"


@pytest.mark.parametrize("earlier, name, slug", [
    ([], "../../etc/passwd", "etc-passwd"),
    ([], "!!!", "contact-e84c538e"),
    (["!!!"], "...", "contact-ab5df625"),
    (["!!!", "..."], "/", "contact-8a5edab2"),
    (["/"], "/", "contact-8a5edab2-2"),
    ([], "李小龍", "contact-c1fa1a5f"),
    ([], "..\\..\\windows", "windows"),
    ([], "\x1b[31m", "31m"),
])
def test_hostile_names_make_slugs_inside_the_journal(earlier: list[str], name: str, slug: str,
                                                     tmp_path: Path, outside: Path, cli: Run) -> None:
    """Proves: contact names (and reflection titles) made of punctuation or of path
    traversal become plain slugs, made unique, and the file is created inside
    contacts/ (or the reflection's year folder), nothing outside the journal."""
    root = tmp_path / "journal"
    Journal.init(root, today=TODAY).close()
    before = snapshot(outside)
    for other in earlier:
        assert cli("--journal", root, "add", "contact", other)[0] == 0
    code, out, err = cli("--journal", root, "add", "contact", name, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["slug"] == slug and data["path"] == f"contacts/{slug}.md"
    assert (root / "contacts" / f"{slug}.md").resolve().parent == (root / "contacts").resolve()
    code, out, err = cli("--journal", root, "add", "reflection", name, "--json")
    assert code == 0, err
    path = (root / json.loads(out)["path"]).resolve()
    assert path.parent == (root / "reflections" / str(TODAY.year)).resolve()
    assert snapshot(outside) == before


def test_traversal_in_commands_is_refused(hostile: Path, outside: Path, cli: Run) -> None:
    """Proves: commands given paths or slugs that climb out of the journal are refused
    with one line (exit 1) and read or change nothing outside."""
    before = snapshot(outside)
    for args in (["show", "../outside/secret"], ["show", "../../outside/secret"],
                 ["step", "../outside/secret", "trust"],
                 ["restore", "../outside/secret.md"], ["restore", str(outside / "secret.md")],
                 ["restore", ".netjournal/trash/../../../outside/secret.md"],
                 ["reflections", "--contact", "../outside/secret"]):
        code, out, err = cli("--journal", hostile, *args)
        assert code in (1, 2), (args, out, err)
        assert err.count("\n") == 1 and CANARY not in out + err, (args, err)
    assert snapshot(outside) == before


def test_symlinked_entry_folders_never_lead_a_write_outside(tmp_path: Path, outside: Path, cli: Run,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Proves: when contacts/ or reflections/ is a symlink to a folder outside the
    journal, adding a contact or reflection is refused with one line (exit 1), no file
    or folder appears outside, and the linked folders are reported, never read."""
    root = tmp_path / "journal"
    Journal.init(root, today=TODAY).close()
    (root / "contacts").rmdir()
    (root / "contacts").symlink_to(outside, target_is_directory=True)
    (root / "reflections").rmdir()
    (root / "reflections").symlink_to(outside / "dir", target_is_directory=True)
    before = snapshot(outside)
    for args in (["add", "reflection", "Sneaky", "--date", "2031-01-01"], ["add", "contact", "Mallory"]):
        code, out, err = cli("--journal", root, *args)
        assert code == 1 and err.count("\n") == 1 and "outside the journal" in err, (args, out, err)
    reads = OutsideReads(monkeypatch, outside)
    code, out, err = cli("--journal", root, "check")
    monkeypatch.undo()
    assert code == 1 and CANARY not in out + err
    assert "contacts:1: folder is a symlink that leads outside the journal" in out
    assert "reflections:1: folder is a symlink that leads outside the journal" in out
    assert reads.seen == []
    assert snapshot(outside) == before
    _assert_secret_not_stored(root)


def _assert_secret_not_stored(root: Path) -> None:
    for path in (root / ".netjournal").rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


ESC_TEXT = '\\e[31mred\\e[0m \\e]0;title\\a \\x9b2J \\e]52;c;cHduZWQ=\\a [bold red]markup[/] \\u202egnp.exe'
RAW_ESC = "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b2J \x1b]52;c;cHduZWQ=\x07 [bold red]markup[/]"


def _write_escape_corpus(root: Path) -> None:
    field = f'"{ESC_TEXT}"'
    (root / "contacts" / "esc.md").write_text(
        "---\n"
        f"name: {field}\norg: {field}\nrole: {field}\nemail: {field}\ntags: [{field}, ok]\n"
        f"why: {field}\noffer: {field}\ncadence: 1\n"
        f"steps:\n  why: {{date: 2026-01-01, note: {field}}}\n  connect: 2026-01-02\n"
        f"---\n{RAW_ESC}\n[[esc]]\n"
    )
    (root / "reflections" / "2026").mkdir(parents=True, exist_ok=True)
    (root / "reflections" / "2026" / "2026-11-24-esc.md").write_text(
        "---\n"
        f"title: {field}\ndate: 2026-11-24\ncontacts: [esc, {field}]\nkind: {field}\n"
        f"follow_up: 2026-11-20\ntags: [{field}]\n---\n{RAW_ESC} searchme\n"
    )
    (root / "reflections" / "2026" / "2026-11-23-ask.md").write_text(
        f"---\ntitle: {field} searchme\ndate: 2026-11-23\ncontacts: [esc]\nkind: ask\n---\nask\n"
    )
    # file names with escape sequences in them
    (root / "contacts" / "\x1b[31mevil\x07.md").write_text(f"---\nname: {field}\n---\n")
    (root / "reflections" / "2026" / "2026-11-22-\x1b]0;x\x07.md").write_text(
        f"---\ntitle: {field} searchme\ndate: 2026-11-22\n---\nsearchme\n")
    (root / "contacts" / "broken\x1b[2J.md").write_text("---\nname: [unclosed\n---\n")


def test_terminal_escapes_never_reach_cli_output(tmp_path: Path, cli: Run,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Proves: escape sequences (CSI, OSC title and clipboard, C1 CSI, BEL), markup
    and bidi overrides in every text field -- name, org, role, email, tags, why,
    offer, step notes, titles, kinds, links, bodies -- and in file names never reach
    the terminal: no CLI command's text or JSON output, nor an error, holds an ESC,
    BEL or C1 character."""
    root = tmp_path / "journal"
    Journal.init(root, today=TODAY).close()
    _write_escape_corpus(root)
    # and through the CLI itself
    assert cli("--journal", root, "add", "contact", RAW_ESC, "--why", RAW_ESC, "--tag", RAW_ESC)[0] == 0
    assert cli("--journal", root, "add", "reflection", RAW_ESC + " searchme", "--kind", "ask",
               "--contact", "esc", "--tag", RAW_ESC, "--body", RAW_ESC)[0] == 0
    assert cli("--journal", root, "step", "esc", "trust", "--note", RAW_ESC)[0] == 0
    journal = Journal.open(root)
    slugs = [c.slug for c in journal.contacts(include_archived=True)]
    assert any("\x1b" in s for s in slugs) and "esc" in slugs
    journal.delete("reflections/2026/2026-11-22-\x1b]0;x\x07.md")
    commands = [["contacts"], ["contacts", "--archived"], ["reflections"], ["search", "searchme"],
                ["search", "red"], ["due"], ["review"], ["check"], ["trash"], ["reindex"],
                ["reindex", "--full"], ["reflections", "--contact", "esc"], ["show", RAW_ESC],
                ["step", RAW_ESC, "why"], ["search", RAW_ESC]]
    commands += [["show", slug] for slug in slugs]
    commands += [c + ["--json"] for c in (["contacts"], ["reflections"], ["search", "searchme"], ["due"],
                                          ["review"], ["check"], ["trash"], ["show", "esc"])]
    trashed = [p.relative_to(root).as_posix() for p in journal.trash()]
    commands.append(["restore", trashed[0]])
    shown = 0
    for args in commands:
        code, out, err = cli("--journal", root, *args)
        assert code in (0, 1), (args, err)
        bad = TERMINAL_UNSAFE.findall(out + err)
        assert not bad, (args, bad, (out + err)[:400])
        shown += len(out)
    assert shown > 2000  # the commands did show the hostile entries
    with capsys.disabled():
        print(f"\ntrust/hostile: {len(commands) + 3} CLI commands showed escape-laden entries, none let one through")
    code, out, _ = cli("--journal", root, "show", "esc")
    assert "[bold red]markup[/]" in out  # markup is shown as text, not interpreted
