"""Benchmark ``netjournal import``: a 5,000-row LinkedIn export into a 1,000-contact journal.

    python tests/perf/bench_import.py [--rows 5000] [--contacts 1000] [--reflections 10000] [--runs 3]

Each run copies a generated journal (``generate.py``: 1,000 contacts, 10,000
reflections) to a fresh folder, then times the whole ``netjournal import linkedin``
process twice: the first import (every row new but a few hundred that match a contact
by name and org) and the same file again (all unchanged).  Targets (issue 11): ≤ 10 s
and ≤ 3 s.  Prints a Markdown table with the load average; not a test.
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

PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses '
            'are missing. You will only see email addresses for connections who have allowed their '
            'connections to see or download their email address using this setting '
            'https://www.linkedin.com/psettings/privacy/email. You can learn more here '
            'https://www.linkedin.com/help/linkedin/answer/261"\n\n')
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin_csv(path: Path, rows: int, journal: Path, seed: int = 7) -> None:
    """A Connections.csv as LinkedIn writes it: the preamble, emails mostly empty, a
    few rows without a name, people of one name told apart by URL, and some of the
    journal's own contacts (same name and org) among them."""
    rng = random.Random(seed)
    known = []
    for file in sorted((journal / "contacts").glob("*.md"))[:300]:
        meta = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in
                file.read_text(encoding="utf-8").split("---")[1].splitlines()) if _}
        known.append((meta.get("name", ""), meta.get("org", "")))
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    lines = [PREAMBLE, HEADER]
    for i in range(rows):
        if i % 50 == 49:
            lines.append(f",,https://www.linkedin.com/in/private-{i},,,,{rng.randint(1, 28)} Jan 2020\n")
            continue
        if known and i % 17 == 0:
            name, org = known[(i // 17) % len(known)]
            first, _, last = name.partition(" ")
        else:
            first, last = rng.choice(generate.FIRST), rng.choice(generate.LAST)
            org = f"{rng.choice(generate.ORG_A)} {rng.choice(generate.ORG_B)}"
        email = f"{first.lower()}.{last.lower()}{i}@example.org" if rng.random() < 0.08 else ""
        role = rng.choice(generate.ROLES)
        role = f'"{role}"' if "," in role else role
        when = f"{rng.randint(1, 28):02d} {rng.choice(months)} {rng.randint(2012, 2026)}"
        lines.append(f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:05d},"
                     f"{email},{org},{role},{when}\n")
    path.write_text("".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nj-bench-import-"))
    try:
        base = work / "base"
        generate.generate(base, contacts=args.contacts, reflections=args.reflections, seed=1,
                          end=None, years=3.0, planted=20, force=True)
        env = isolated_env(work / "home")
        cli = cli_command()
        subprocess.run([*cli, "--journal", str(base), "reindex"], env=env, check=True, capture_output=True)
        csv_path = work / "Connections.csv"
        linkedin_csv(csv_path, args.rows, base)
        first: list[float] = []
        again: list[float] = []
        summary = ""
        for run in range(args.runs + 1):  # the first run warms the caches and is not counted
            root = work / f"run{run}"
            shutil.copytree(base, root, symlinks=True)
            command = [*cli, "--journal", str(root), "import", "linkedin", str(csv_path)]
            for times in (first, again):
                started = time.perf_counter()
                proc = subprocess.run(command, env=env, capture_output=True, text=True)
                elapsed = time.perf_counter() - started
                if proc.returncode != 0:
                    print(proc.stderr, file=sys.stderr)
                    return 1
                if run:
                    times.append(elapsed)
                summary = proc.stdout.strip().splitlines()[-1] if times is again else summary
                if times is first:
                    first_summary = [line for line in proc.stdout.splitlines() if line.startswith("Imported")][0]
            facts = journal_facts(root)
            shutil.rmtree(root)
        print(f"- {facts[2:]}")
        print(f"- input: {args.rows:,} LinkedIn rows; first: {first_summary}; again: {summary}")
        print(f"- code: {code_version()}; load average before/after: {load_average()}")
        print()
        print("| metric | median | min | target | met? |")
        print("| --- | --- | --- | --- | --- |")
        for label, values, target in (("first import, whole process", first, 10.0),
                                      ("the same file again (all unchanged), whole process", again, 3.0)):
            median = statistics.median(values)
            print(f"| {label} | {median:.2f} s | {min(values):.2f} s | ≤ {target:.0f} s | "
                  f"{'yes' if median <= target else '**NO**'} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
