"""Benchmark ``netjournal export``: 1,000 contacts to vCard and to ICS, whole process.

    python tests/perf/bench_export.py [--contacts 1000] [--reflections 10000] [--runs 7]

A generated journal (``generate.py``: 1,000 contacts, 10,000 reflections) whose contacts
are given what an import keeps (two typed emails and phones, an address, a birthday --
a tenth of them without a year -- two dates to remember, a profile URL), so that every
card has every part.  Each format is exported once untimed (the warm-up writes .pyc
files and settles the index), then timed ``--runs`` times as a whole process with
``--out``.  Targets (issue 12): vcard and ics ≤ 1.5 s each.  CSV and JSON are timed
too, for the README, without a target.  Prints a Markdown table with the load
average; not a test.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from bench import cli_command, code_version, isolated_env, journal_facts, load_average  # noqa: E402

TARGETS = {"vcard": 1.5, "ics": 1.5}


def enrich(root: Path, seed: int = 12) -> None:
    """Give every contact the keys an import keeps, written into its front matter."""
    rng = random.Random(seed)
    for index, path in enumerate(sorted((root / "contacts").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        head, sep, body = text[4:].partition("\n---\n")
        year = "" if index % 10 == 0 else f"{rng.randint(1950, 2000)}"
        day = f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        extra = (
            f"\nphone: +44 20 7946 {index:04d}"
            f"\nbirthday: {year + '-' + day if year else '--' + day}"
            f"\nlinks: ['https://www.linkedin.com/in/person-{index:05d}/']"
            f"\nuid: urn:uuid:00000000-0000-4000-8000-{index:012d}"
            f"\nemails:\n- {{type: work, value: person{index}@example.org}}"
            f"\n- {{type: home, value: person{index}@mail.example}}"
            f"\nphones:\n- {{type: cell, value: +44 20 7946 {index:04d}}}\n- {{type: work, value: +44 20 7000 {index:04d}}}"
            f"\naddresses:\n- {{type: work, street: {index} Harbour Road, locality: Leeds, code: LS1 4AP, "
            f"country: United Kingdom}}"
            f"\ndates:\n- {{label: started at Harbourline, date: {rng.randint(2005, 2024)}-{day}}}"
            f"\n- {{label: daughter born, date: --{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}}}"
        )
        path.write_text("---\n" + head + extra + sep + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nj-bench-export-"))
    try:
        root = work / "journal"
        generate.generate(root, contacts=args.contacts, reflections=args.reflections, seed=1,
                          end=None, years=3.0, planted=20, force=True)
        enrich(root)
        env = isolated_env(work / "home")
        cli = cli_command()
        subprocess.run([*cli, "--journal", str(root), "reindex"], env=env, check=True, capture_output=True)
        times: dict[str, list[float]] = {}
        sizes: dict[str, str] = {}
        for fmt in ("vcard", "ics", "csv", "json"):
            out = work / f"export.{fmt}"
            command = [*cli, "--journal", str(root), "export", fmt, "--out", str(out)]
            times[fmt] = []
            for run in range(args.runs + 1):  # the first run warms up and is not counted
                started = time.perf_counter()
                proc = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - started
                if proc.returncode != 0:
                    print(proc.stderr, file=sys.stderr)
                    return 1
                if run:
                    times[fmt].append(elapsed)
            sizes[fmt] = f"{proc.stdout.strip().split(' to ')[0].removeprefix('Exported ')}, " \
                         f"{out.stat().st_size / 1e6:.1f} MB"
        print(f"- {journal_facts(root)[2:]}")
        print(f"- code: {code_version()}; load average before/after: {load_average()}")
        print()
        print("| export, whole process | median | min | what | target | met? |")
        print("| --- | --- | --- | --- | --- | --- |")
        for fmt, values in times.items():
            median = statistics.median(values)
            target = TARGETS.get(fmt)
            met = "—" if target is None else "yes" if median <= target else "**NO**"
            print(f"| `export {fmt}` | {median:.2f} s | {min(values):.2f} s | {sizes[fmt]} | "
                  f"{'≤ %.1f s' % target if target else '—'} | {met} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
