"""One "machine" of the sync reliability test: a long-lived process on one clone that
makes random edits through netjournal (its commands, and the facade's edit protocol
for notes and tags) and syncs when told to.  It reads JSON requests on stdin and
answers one JSON line each; the tokens it wrote are what the test later looks for.

    python -m tests.trust.sync_side ROOT SIDE     (SIDE: alpha or beta)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
from pathlib import Path

from netjournal.cli import main as cli
from netjournal.journal import Journal

SHARED = ("shared-one", "shared-two", "shared-three")
# a step each side alone writes notes on (its latest note must survive as it is)
OWN_STEP = {"alpha": "trust", "beta": "deepen"}
SHARED_BODY = "## alpha\n- alpha start\n\n## both\n- both start\n\n## beta\n- beta start\n"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(args))
    return code, out.getvalue(), err.getvalue()


def insert_in_section(body: str, section: str, line: str) -> str:
    """``line`` at the end of ``## section`` (before the blank line that closes it)."""
    lines = body.split("\n")
    start = lines.index(f"## {section}")
    end = start + 1
    while end < len(lines) and lines[end].strip() and not lines[end].startswith("## "):
        end += 1
    lines.insert(end, line)
    return "\n".join(lines)


def edit(root: Path, side: str, rng: random.Random, round_: int, count: int, together: bool) -> dict:
    """``count`` random edits; returns the tokens written: ``kept`` must survive
    somewhere (in the merged file or a conflict copy), ``latest`` the newest note per
    (contact, step) of this side's own step."""
    kept: list[str] = []
    latest: dict[str, str] = {}
    for i in range(count):
        token = f"{side}-r{round_:02d}-e{i}"
        slug = rng.choice(SHARED)
        roll = rng.random()
        if roll < 0.2:
            code, _, err = run("add", "reflection", f"Met {token}", "--contact", slug, "--body", f"{token} body",
                               "--journal", str(root))
            assert code == 0, err
            kept.append(f"Met {token}")
        elif roll < 0.35:
            code, _, err = run("step", slug, OWN_STEP[side], "--note", token, "--journal", str(root))
            assert code == 0, err
            latest[f"{slug}/{OWN_STEP[side]}"] = token
        else:
            journal = Journal.open(root)
            try:
                contact = journal.edit_contact(slug)
                if roll < 0.65:  # this side's own section: merges with the other's changes
                    contact.save({}, body=insert_in_section(contact.body, side, f"- {token}"))
                elif roll < 0.85:  # the section both write: the same lines, a conflict
                    contact.save({}, body=insert_in_section(contact.body, "both", f"- {token}"))
                else:  # a front matter key both change
                    tags = list(contact.meta.get("tags") or [])
                    contact.save({"tags": tags + [token]})
            finally:
                journal.close()
            kept.append(token)
    if together:  # both sides add the same person this round: the same new file twice
        token = f"{side}-r{round_:02d}-why"
        code, _, err = run("add", "contact", f"Person {round_}", "--why", token, "--journal", str(root))
        assert code == 0, err
        kept.append(token)
    return {"kept": kept, "latest": latest}


def serve(root: Path, side: str) -> None:
    os.environ["NETJOURNAL_HOST"] = side
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "quit":
            break
        if request["op"] == "setup":
            journal = Journal.open(root)
            for slug in SHARED:
                journal.add_contact(slug.replace("-", " ").title(), why="shared by both", body=SHARED_BODY)
            journal.close()
            answer: dict = {"ok": True}
        elif request["op"] == "edit":
            answer = edit(root, side, random.Random(request["seed"]), request["round"], request["count"],
                          request["together"])
        else:
            code, out, err = run("sync", "--json", "--journal", str(root))
            answer = {"code": code, "err": err, "report": json.loads(out) if code == 0 else None}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])
