"""Running ``netjournal import`` as a user does, and looking at what landed on disk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from netjournal.cli import main
from netjournal.store import frontmatter

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def import_(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--journal", str(root), "import", *args)


def import_json(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = import_(capsys, root, *args, "--json")
    return code, json.loads(out), err


def hashes(root: Path) -> dict[str, str]:
    """Every file under ``root`` (the journal's own files and its cache) by content."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "lock"}


def entries(root: Path, folder: str = "contacts") -> dict[str, Any]:
    """stem → (front matter, body) of every file in a folder of the journal."""
    found = {}
    for path in sorted((root / folder).rglob("*.md")):
        doc = frontmatter.parse(path.read_text(encoding="utf-8"))
        found[path.stem] = (doc.meta, doc.body)
    return found


def twice(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[str, str]:
    """Import, then import the same again: the second run must change no byte on disk
    (the files, the index, the caches) and say so.  Returns both outputs."""
    code, first, err = import_(capsys, root, *args)
    assert code in (0, 1), err
    before = hashes(root)
    code2, second, err2 = import_(capsys, root, *args)
    assert code2 == code, err2
    assert hashes(root) == before, "the second import changed files"
    assert "0 new, 0 updated," in second, second
    return first, second
