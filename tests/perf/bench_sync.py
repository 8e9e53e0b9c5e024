"""Benchmark sync and autocommit on a large generated journal; prints a Markdown table.

    python tests/perf/bench_sync.py [--dir DIR] [--contacts 1000] [--reflections 10000] [--runs 7]

Run it with the venv's Python.  The journal is generated (``generate.py``) into a
temporary folder unless ``--dir`` names one, made a git repository with
``netjournal git init`` (no remote), and then:

    sync_clean      netjournal sync with nothing changed (whole process)      target <= 0.5 s
    sync_one        netjournal sync after one contact was edited by hand (commit only; info)
    step_off        netjournal step SLUG known / --undo, autocommit off (whole process; info)
    step_on         the same with git: {autocommit: true}                             (info)
    autocommit      step_on - step_off: what autocommit adds to a command        target <= 100 ms
    commit_inproc   AutoCommit.commit() after one save, in-process (what the app does off its
                    UI thread; info)
    init            netjournal git init: the first commit of every file (info, one run)

git runs with an empty global config of the benchmark's own and a fixed identity.
Medians (and minimums) over ``--runs``, after one untimed warm-up.  Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import cli_command, isolated_env, load_average, machine_facts  # noqa: E402
from generate import generate  # noqa: E402


def timed(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([*cli_command(), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"netjournal {' '.join(args)} failed: {done.stderr}")
    return elapsed


def series(runs: int, measure) -> list[float]:  # noqa: ANN001
    measure()  # warm-up
    return [measure() for _ in range(runs)]


def row(name: str, values: list[float], target: float | None, unit: str = "s") -> str:
    scale = 1000 if unit == "ms" else 1
    med, low = statistics.median(values) * scale, min(values) * scale
    shown = f"{med:.0f} ms (min {low:.0f})" if unit == "ms" else f"{med:.3f} s (min {low:.3f})"
    met = "—" if target is None else ("yes" if med <= target * scale else "no")
    goal = "—" if target is None else (f"≤ {target * scale:.0f} ms" if unit == "ms" else f"≤ {target} s")
    return f"| {name} | {shown} | {goal} | {met} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    temp = tempfile.TemporaryDirectory(prefix="nj-bench-sync-")
    base = Path(temp.name)
    root = args.dir or base / "journal"
    env = isolated_env(base / "home")
    gitconfig = base / "gitconfig"
    gitconfig.write_text("")
    env.update(GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1", NETJOURNAL_HOST="bench",
               GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")
    if not (root / "netjournal.yaml").exists():
        generate(root, contacts=args.contacts, reflections=args.reflections)
    timed(env, "reindex", "--journal", str(root))
    init = [timed(env, "git", "init", "--journal", str(root))] if not (root / ".git").exists() else []
    slug = sorted(p.stem for p in (root / "contacts").glob("*.md"))[0]
    contact = root / "contacts" / f"{slug}.md"

    sync_clean = series(args.runs, lambda: timed(env, "sync", "--journal", str(root)))

    def edit_then_sync() -> float:
        contact.write_text(contact.read_text() + "\nEdited by hand.\n")
        return timed(env, "sync", "--journal", str(root))

    sync_one = series(args.runs, edit_then_sync)

    state = {"n": 0}

    def step() -> float:
        state["n"] += 1
        extra = ["--undo"] if state["n"] % 2 else []
        return timed(env, "step", slug, "known", *extra, "--journal", str(root))

    config = root / "netjournal.yaml"
    plain = config.read_text()
    step_off = series(args.runs, step)
    config.write_text(plain + "git:\n  autocommit: true\n")
    timed(env, "sync", "--journal", str(root))
    step_on = series(args.runs, step)
    commits_before = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], env=env,
                                    capture_output=True, text=True).stdout.strip()

    os.environ.update({k: v for k, v in env.items() if k.startswith(("GIT_", "NETJOURNAL_", "HOME", "XDG_"))})
    from netjournal.journal import Journal
    from netjournal.sync.autocommit import AutoCommit

    journal = Journal.open(root, write_behind=True)
    auto = AutoCommit(journal)

    def inproc() -> float:
        state["n"] += 1
        if state["n"] % 2:
            journal.unset_step(slug, "known")
        else:
            journal.set_step(slug, "known")
        started = time.perf_counter()
        auto.commit()
        return time.perf_counter() - started

    commit_inproc = series(args.runs, inproc)
    journal.close()
    config.write_text(plain)
    timed(env, "sync", "--journal", str(root))

    contacts = sum(1 for _ in (root / "contacts").glob("*.md"))
    reflections = sum(1 for _ in (root / "reflections").rglob("*.md"))
    git_version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Journal: {contacts:,} contacts, {reflections:,} reflections; {git_version}; "
          f"load average {load_average()} at the end; {args.runs} runs; commits before the in-process "
          f"series: {commits_before}")
    print("\n".join(machine_facts(root)))
    print()
    print("| metric | measured | target | met? |")
    print("| --- | --- | --- | --- |")
    print(row("`sync`, nothing changed, no remote (whole process)", sync_clean, 0.5))
    print(row("`sync` after one file edited by hand (commit only)", sync_one, None))
    print(row("`step` (autocommit off), whole process", step_off, None))
    print(row("`step` (autocommit on), whole process", step_on, None))
    added = [max(0.0, statistics.median(step_on) - statistics.median(step_off))]
    print(row("what autocommit adds to a command (difference of the medians)", added, 0.1, "ms"))
    print(row("`AutoCommit.commit()` after one save, in-process (the app, off its UI thread)",
              commit_inproc, 0.1, "ms"))
    if init:
        print(row("`git init`: repository and first commit of every file (one run)", init, None))
    temp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
