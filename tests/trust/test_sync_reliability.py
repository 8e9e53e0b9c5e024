"""Two machines, one bare repository, 50 rounds: each round both make random edits
(some to the same file, some to the same lines, sometimes the same new contact) and
sync in turn; every few rounds a sync is killed with SIGKILL at a random moment
(alone, or with its git children) and the next sync must complete it.  The killed
sync is in turn the first of its round (it commits and pushes) and the second (it
also merges the other's changes and brings them into the folder: it is killed a few
milliseconds after it began writing them, so the kill lands while it writes).

At the end every edit made on either side is in the merged journal or in a conflict
copy, no file holds a conflict marker, no temp file of a killed write was committed,
and both clones are equal, commit for commit and byte for byte.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from netjournal.store.scan import is_own_temp
from tests.sync.machines import bare, git, tracked_files, with_markers

ROUNDS = 50
KILL_EVERY = 5  # rounds; a side is killed mid-sync (the first to sync, then the second...), then syncs again
SEED = int(os.environ.get("TRUST_SYNC_SEED", "20261125"))  # a run with other seeds: set it


class Side:
    """A worker process (tests/trust/sync_side.py) on one clone."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.name = name
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.trust.sync_side", str(root), name],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     cwd=Path(__file__).resolve().parents[2])

    def ask(self, **request: object) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, f"the {self.name} worker died"
        return json.loads(line)

    def sync(self) -> dict:
        answer = self.ask(op="sync")
        assert answer["code"] == 0, f"sync on {self.name} failed: {answer['err']}"
        return answer["report"]

    def killed_sync(self, rng: random.Random, group: bool, *, in_checkout: bool = False) -> float:
        """Start ``netjournal sync`` in a process of its own and SIGKILL it (or its whole
        process group, git children included) after a random moment -- or, with
        ``in_checkout``, a random moment (0-30 ms) after it began writing the other's
        changes into the folder (its record appears first), whatever the machine's load."""
        env = dict(os.environ, NETJOURNAL_HOST=self.name)
        proc = subprocess.Popen([sys.executable, "-m", "netjournal", "sync", "--journal", str(self.root)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        delay = rng.uniform(0.03, 0.45)  # a sync here takes 0.25-0.4 s
        if in_checkout:
            record = self.root / ".git" / "netjournal" / "checkout.json"
            deadline = time.monotonic() + 60
            while proc.poll() is None and not record.exists() and time.monotonic() < deadline:
                time.sleep(0.001)
            delay /= 15
        time.sleep(delay)
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait()
        return delay

    def close(self) -> None:
        if self.proc.poll() is None:
            self.ask_quit()

    def ask_quit(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=30)


def all_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))
                     if ".git" not in p.relative_to(root).parts and ".netjournal" not in p.relative_to(root).parts)


def test_two_machines_fifty_rounds(tmp_path: Path, git_env: Path) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    hub = bare(tmp_path / "hub.git")
    alpha_root, beta_root = tmp_path / "alpha", tmp_path / "beta"
    env = dict(os.environ, NETJOURNAL_HOST="alpha")
    for args in (["init", str(alpha_root), "--name", "Shared"], ["git", "init", "--remote", str(hub),
                                                                 "--journal", str(alpha_root)]):
        subprocess.run([sys.executable, "-m", "netjournal", *args], env=env, check=True, capture_output=True)
    alpha = Side(alpha_root, "alpha")
    try:
        alpha.ask(op="setup")
        alpha.sync()
        env["NETJOURNAL_HOST"] = "beta"
        subprocess.run([sys.executable, "-m", "netjournal", "git", "init", "--remote", str(hub),
                        "--journal", str(beta_root)], env=env, check=True, capture_output=True)
        beta = Side(beta_root, "beta")
        kept: list[str] = []
        latest: dict[str, str] = {}
        conflicts = merges = kills = recovered = resumed = 0
        try:
            for round_ in range(ROUNDS):
                together = rng.random() < 0.15
                sides = [alpha, beta] if round_ % 2 == 0 else [beta, alpha]
                for side in sides:
                    made = side.ask(op="edit", seed=rng.randrange(1 << 30), round=round_,
                                    count=rng.randint(1, 3), together=together)
                    kept += made["kept"]
                    latest.update({f"{side.name}:{k}": v for k, v in made["latest"].items()})
                kill = round_ // KILL_EVERY if round_ % KILL_EVERY == KILL_EVERY - 1 else None
                for n, side in enumerate(sides):
                    if kill is not None and n == kill % 2:  # the first side, then the second (in its checkout)
                        side.killed_sync(rng, group=(kill // 2) % 2 == 1, in_checkout=n == 1)
                        kills += 1
                    report = side.sync()
                    recovered += bool(report["notes"])
                    resumed += any("finished bringing in" in note for note in report["notes"])
                    conflicts += len(report["conflicts"])
                    merges += sum(1 for m in report["merged"] if m["how"] == "merged")
            # the last word of each reaches the other
            alpha.sync()
            beta.sync()
            alpha.sync()
        finally:
            beta.close()
    finally:
        alpha.close()

    assert git(alpha_root, "rev-parse", "HEAD") == git(beta_root, "rev-parse", "HEAD")
    assert tracked_files(alpha_root) == tracked_files(beta_root)
    assert not [name for name in tracked_files(alpha_root) if is_own_temp(name.rsplit("/", 1)[-1])]
    for root in (alpha_root, beta_root):
        assert not git(root, "status", "--porcelain"), git(root, "status", "--porcelain")
        assert not with_markers(root)
        assert not (root / ".git" / "MERGE_HEAD").exists()
        assert not (root / ".git" / "netjournal" / "checkout.json").exists()
    text = all_text(alpha_root)
    lost = [token for token in kept if token not in text]
    assert not lost, f"{len(lost)} of {len(kept)} edits are nowhere: {lost[:10]}"
    stale = [f"{k}={v}" for k, v in latest.items() if v not in text]
    assert not stale, stale
    # every problem is a conflict copy (a warning); nothing unreadable
    code = subprocess.run([sys.executable, "-m", "netjournal", "check", "--json", "--journal", str(alpha_root)],
                          capture_output=True, text=True)
    problems = json.loads(code.stdout)
    assert all(p["severity"] == "warning" and "conflict copy" in p["reason"] for p in problems), problems
    assert conflicts > 0 and merges > 0  # both paths were exercised
    print(f"\nsync reliability: {ROUNDS} rounds, {len(kept)} edits kept + {len(latest)} step notes, "
          f"{merges} files merged, {conflicts} conflict copies, {kills} syncs killed "
          f"({recovered} syncs recovered something, {resumed} finished bringing files in), "
          f"{time.monotonic() - started:.0f} s")
