"""Machines for the sync tests: a journal folder, the name it goes by in conflict
copies, and the CLI run on it -- two of them share one bare "hub" repository."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Callable

from netjournal.journal import Journal
from tests.conftest import TODAY

MARKER = re.compile(rb"^(<{7}|>{7}|={7})(?: |$)", re.MULTILINE)


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run the test's git (config and identity from ``git_env``) in ``cwd``."""
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout.strip()


def bare(path: Path, branch: str = "main") -> Path:
    subprocess.run(["git", "init", "-q", "--bare", f"--initial-branch={branch}", str(path)], check=True)
    return path


def tracked_files(root: Path) -> dict[str, bytes]:
    """Every file git tracks in the journal, with its bytes as they are in the folder."""
    names = git(root, "ls-files", "-z").split("\0")
    return {name: (root / name).read_bytes() for name in names if name}


def with_markers(root: Path) -> list[str]:
    """Files in the journal folder that hold conflict markers."""
    found = []
    for path in root.rglob("*"):
        if ".git" in path.relative_to(root).parts or not path.is_file():
            continue
        if MARKER.search(path.read_bytes()):
            found.append(path.relative_to(root).as_posix())
    return found


class Machine:
    """One journal folder on one "machine" (its host name goes into conflict copies)."""

    def __init__(self, root: Path, host: str, cli: Callable[..., tuple[int, str, str]]) -> None:
        self.root = root
        self.host = host
        self._cli = cli

    def run(self, *args: str) -> tuple[int, str, str]:
        """``netjournal ARGS --journal ROOT`` in-process, as this machine."""
        os.environ["NETJOURNAL_HOST"] = self.host  # git_env's monkeypatch puts it back
        return self._cli(*args, "--journal", str(self.root))

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, f"netjournal {' '.join(args)} on {self.host}: exit {code}: {err}"
        assert not err, err
        return out

    def sync(self) -> str:
        return self.ok("sync")

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, *args, check=check)

    def journal(self) -> Journal:
        return Journal.open(self.root, today=TODAY)

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        """A change made by hand (another editor)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def commits(self) -> int:
        return int(self.git("rev-list", "--count", "HEAD"))

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def autocommit_on(self) -> None:
        """``git: {autocommit: true}`` in netjournal.yaml (committed by a sync)."""
        self.write("netjournal.yaml", self.read("netjournal.yaml") + "git:\n  autocommit: true\n")
        self.sync()
