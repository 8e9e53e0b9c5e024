"""Crash during save: a writer process is killed with SIGKILL at random moments,
hundreds of times, on one journal.  Afterwards every file is whole (exactly one
of the versions that were ever written), and the index is reconciled on open.

A small "fork server" child (a plain python script) imports netjournal once and,
on each request, forks a writer that opens the journal, says "ready" and saves in
a loop until the parent kills it -9 after a random 5-60 ms.  Forking skips
Python's start-up (~100 ms), so 200+ kills take a few seconds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from netjournal.journal import Journal
from netjournal.store import frontmatter, fulltext
from netjournal.store.entries import load
from tests.conftest import TODAY
from tests.trust.helpers import assert_index_matches_files, entry_files, sha, temp_files

KILLS = 210

WRITER = r'''
import datetime as dt, hashlib, os, sys
from netjournal.journal import Journal
from netjournal.store import frontmatter, yamledit  # noqa: F401  (imported once, before the forks)

root, log_path = sys.argv[1], sys.argv[2]


def body(n):
    # ~10 KB, several pages: a torn write would show as a truncated or mixed body
    lines = "".join(f"line {n} {k} " + "x" * 80 + "\n" for k in range(110))
    return f"BEGIN {n}\n{lines}END {n}\n"


def writer(start):
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    real_dump = frontmatter.dump
    op = "open"

    def logged_dump(*args, **kwargs):
        # every text the app is about to write, logged (one atomic append) first
        text = real_dump(*args, **kwargs)
        os.write(log, f"{op} {hashlib.sha256(text.encode('utf-8')).hexdigest()}\n".encode())
        return text

    frontmatter.dump = logged_dump
    journal = Journal.open(root)
    ref = journal.reflections(kind="meeting")[0].path
    os.write(1, b"ready\n")
    n = start
    while True:
        op = ("set", "unset", "body", "connect", "set", "unset", "body", "add")[n % 8]
        if op == "set":
            journal.set_step("ada", "trust", on=dt.date(2020, 1, 1) + dt.timedelta(days=n % 3000),
                             note=f"note {n}")
        elif op == "unset":
            journal.unset_step("ada", "trust")
        elif op == "body":
            journal.update_reflection(ref, {"tags": [f"t{n}"]}, body=body(n))
        elif op == "connect":
            journal.set_step("ada", "connect", note=f"connect {n}")
        else:
            journal.add_reflection(f"Crash {n}", kind="note", contacts=["ada"], body=body(n))
        n += 1


for line in sys.stdin:
    words = line.split()
    if words[0] == "quit":
        break
    start = int(words[1])
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            writer(start)
        except BaseException as exc:
            os.write(2, f"writer failed: {exc!r}\n".encode())
            code = 3
        os._exit(code)
    os.write(1, f"pid {pid}\n".encode())
    _, status = os.waitpid(pid, 0)
    os.write(1, f"dead {pid} {status}\n".encode())
'''


def body(n: int) -> str:
    lines = "".join(f"line {n} {k} " + "x" * 80 + "\n" for k in range(110))
    return f"BEGIN {n}\n{lines}END {n}\n"


def test_sigkill_during_saves_leaves_every_file_whole(tmp_path: Path) -> None:
    """Proves: 200+ SIGKILLs while saving (step set/unset, reflection body
    rewrites, new reflections) never leave a half-written file: each file is
    byte-for-byte one of the versions the app rendered, parses, and has a whole
    body; leftover temporary files are hidden dotfiles the app ignores; and the
    next open reconciles the index with the files (hash for hash)."""
    root = tmp_path / "journal"
    journal = Journal.init(root, today=TODAY)
    journal.add_contact("Ada Lovelace", why="engines", offer="notes")
    journal.add_reflection("Met Ada", kind="meeting", contacts=["ada-lovelace"], body=body(0))
    journal.close()
    # the writer uses a short slug so the script stays small
    os.rename(root / "contacts" / "ada-lovelace.md", root / "contacts" / "ada.md")
    meeting = next((root / "reflections").rglob("*met-ada.md"))
    meeting.write_text(meeting.read_text().replace("ada-lovelace", "ada"))
    Journal.open(root).close()

    log = tmp_path / "written.log"
    known = {sha(data) for data in entry_files(root).values()}

    server = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(log)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, bufsize=1,
    )
    rng = random.Random(20261125)
    kills = 0
    start = 1
    started = time.monotonic()
    try:
        for _ in range(KILLS):
            server.stdin.write(f"go {start}\n")
            server.stdin.flush()
            pid, ready = None, False
            while pid is None or not ready:
                line = server.stdout.readline()
                assert line, f"fork server died: {server.stderr.read()}"
                if line.startswith("pid "):
                    pid = int(line.split()[1])
                elif line.strip() == "ready":
                    ready = True
                else:
                    raise AssertionError(f"unexpected: {line!r}; {server.stderr.read()}")
            time.sleep(rng.uniform(0.005, 0.060))
            os.kill(pid, signal.SIGKILL)
            dead = server.stdout.readline().split()
            assert dead[:2] == ["dead", str(pid)]
            status = int(dead[2])
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"the writer stopped on its own (status {status}) before it was killed")
            kills += 1
            # each writer counts from its own range (versions stay distinct) and
            # starts at a random operation of the cycle
            start = (kills + 1) * 1000 + rng.randrange(8)
        server.stdin.write("quit\n")
        server.stdin.flush()
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    elapsed = time.monotonic() - started

    logged = [line.split() for line in log.read_text().splitlines()]
    known |= {digest for _, digest in logged}
    writes = len(logged)
    per_op = Counter(op for op, _ in logged)
    files = entry_files(root)
    landed = len(files) - 2
    print(f"\ntrust/crash: {kills} SIGKILLs survived in {elapsed:.1f} s; {writes} saves started "
          f"({dict(sorted(per_op.items()))}), {landed} new reflections landed, {len(files)} files checked")
    assert kills >= 200
    assert writes >= kills  # the kills happened while saving, not before

    for path, data in files.items():
        assert sha(data) in known, f"{path} is not a version the app ever wrote (torn write?)"
        entry = load(root, path, with_body=True)
        assert entry.ok and not [p for p in entry.problems if p.severity == "error"], (path, entry.problems)
        if entry.reflection is not None:
            text = entry.doc.body
            n = int(text.split(None, 2)[1])
            assert text == body(n), f"{path}: body is not whole"
        else:
            assert entry.contact is not None and entry.contact.name == "Ada Lovelace"

    # temp files of interrupted writes: hidden, never read, never listed
    leftovers = temp_files(root)
    where = Counter(path.parent.relative_to(root).parts[0] for path in leftovers)
    print(f"trust/crash: {len(leftovers)} leftover temp files, all hidden dotfiles ({dict(where)})")
    for path in leftovers:
        assert path.name.startswith(".")
    journal = assert_index_matches_files(root)
    problems = journal.problems()
    assert not [p for p in problems if p.severity == "error"], problems
    assert not [p for p in journal.index.records() if "/." in "/" + p]
    assert not [p for p in problems if ".tmp" in p.path]
    json.loads((root / ".netjournal" / "index.json").read_bytes())
    for shard in (root / ".netjournal" / "fulltext").glob("*.txt"):  # whole shards only
        raw = shard.read_bytes()
        assert fulltext.decode(raw, int(shard.stem)) != fulltext.EMPTY or raw == fulltext.encode({}, int(shard.stem)), shard
    assert frontmatter.parse_bytes((root / "contacts" / "ada.md").read_bytes()).meta["name"] == "Ada Lovelace"
