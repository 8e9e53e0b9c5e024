"""Benchmark netjournal on a large generated journal; prints a Markdown table.

    python tests/perf/bench.py [--dir DIR] [--contacts 1000] [--reflections 10000] [--runs 5]
    python tests/perf/bench.py --scale 100000          # growth study: 100k reflections, 10k contacts

Run it with the venv's Python (the one netjournal is installed in): the CLI is
``netjournal`` next to ``sys.executable``, else ``python -m netjournal``.

Without ``--dir`` the journal is generated into a temporary folder that is removed
at the end (``--keep`` keeps it).  With ``--dir`` it is generated only when DIR has
no netjournal.yaml; an existing journal is used as it is.  The benchmark changes
the journal a little (10 reflection bodies per run of "open after 10 changed", a
step set and unset on one contact) and leaves it valid.

Metrics (medians and minimums over ``--runs``; every CLI measurement is a whole
process, interpreter start and imports included, after one untimed warm-up):

    build_cli      netjournal --journal DIR reindex --full
    build_inproc   Journal.open(DIR, full=True)
    warm_inproc    Journal.open(DIR), nothing changed
    warm_cli       netjournal --journal DIR contacts --json > /dev/null
    search_cli     netjournal --journal DIR search "quarterly alumni mixer" --json
    search_inproc  j.search(phrase) on a just-opened journal (no target; for diagnosis)
    rss_build      peak RSS of the CLI doing reindex --full (fresh wrapper process per run)
    rss_warm       peak RSS of the CLI doing contacts --json
    changed10      Journal.open(DIR) after 10 reflection bodies were rewritten externally
    save           j.set_step(slug, "known") / j.unset_step(...) alternating, per call, on a
                   journal opened write-through (as the CLI does: file + index.json on disk)
    save_wb        the same on Journal.open(DIR, write_behind=True) (as the app does: the
                   file is written, the index updated in memory); the closing flush() that
                   writes index.json once is reported in the notes

This is not a test: pytest does not collect tests/perf (pyproject norecursedirs).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (tests/perf/generate.py)

PHRASE = generate.PLANTED_PHRASE
RACY_WAIT = 2.1  # seconds: beyond the index's racy-mtime window (RACY_NS = 2 s)

ALL_METRICS = ["build_cli", "build_inproc", "warm_inproc", "warm_cli", "search_cli", "search_inproc",
               "rss_build", "rss_warm", "changed10", "save", "save_wb"]
GROWTH_METRICS = ["build_cli", "build_inproc", "warm_inproc", "warm_cli", "save", "save_wb"]

RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "sys.stderr.write(r.stderr.decode('utf-8', 'replace'))\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
)


@dataclass
class Metric:
    key: str
    label: str
    unit: str  # "s", "ms" or "MB"
    target: float | None  # in the unit's base: seconds, or bytes for MB
    values: list[float] = field(default_factory=list)
    error: str | None = None
    note: str = ""

    def fmt(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.unit == "s":
            return f"{value:.3f} s"
        if self.unit == "ms":
            return f"{value * 1000:.1f} ms"
        return f"{value / 1e6:.1f} MB"

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def minimum(self) -> float | None:
        return min(self.values) if self.values else None

    def row(self) -> str:
        if self.error and not self.values:
            return f"| {self.label} | error | error | {self.target_text()} | n/a |"
        met = "—" if self.target is None or self.median is None else ("yes" if self.median <= self.target else "**NO**")
        return f"| {self.label} | {self.fmt(self.median)} | {self.fmt(self.minimum)} | {self.target_text()} | {met} |"

    def target_text(self) -> str:
        return "—" if self.target is None else f"≤ {self.fmt(self.target)}"


class CLIError(RuntimeError):
    pass


class Bench:
    def __init__(self, root: Path, runs: int, saves: int, env: dict[str, str]) -> None:
        self.root = root
        self.runs = runs
        self.saves = saves
        self.env = env
        self.cli = cli_command()
        self.rng = random.Random(12345)

    # ------------------------------------------------------------------ helpers

    def run_cli(self, *args: str, capture: bool = False) -> tuple[float, subprocess.CompletedProcess]:
        cmd = [*self.cli, "--journal", str(self.root), *args]
        started = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=self.env)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise CLIError(f"`{' '.join(cmd[len(self.cli):])}` exited {proc.returncode}: {tail[0][:160]}")
        return elapsed, proc

    def time_cli(self, metric: Metric, *args: str, check: Callable[[subprocess.CompletedProcess], str] | None = None) -> None:
        try:
            self.run_cli(*args, capture=check is not None)  # warm-up: page cache, .pyc files
            for _ in range(self.runs):
                elapsed, proc = self.run_cli(*args, capture=check is not None)
                metric.values.append(elapsed)
                if check is not None:
                    metric.note = check(proc)
        except CLIError as exc:
            metric.error = str(exc)

    def rss_cli(self, metric: Metric, *args: str) -> None:
        cmd = [sys.executable, "-c", RSS_WRAPPER, *self.cli, "--journal", str(self.root), *args]
        for _ in range(self.runs):
            proc = subprocess.run(cmd, capture_output=True, env=self.env)
            try:
                kib, code = proc.stdout.split()
            except ValueError:
                metric.error = f"RSS wrapper failed: {proc.stderr.decode(errors='replace')[-200:]}"
                return
            if int(code) != 0:
                tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                metric.error = f"`{' '.join(args)}` exited {int(code)}: {tail[0][:160]}"
                return
            metric.values.append(int(kib) * 1024)  # Linux ru_maxrss is in KiB

    # ------------------------------------------------------------------ in-process

    def build_inproc(self, metric: Metric) -> None:
        from netjournal.journal import Journal

        for _ in range(self.runs):
            gc.collect()
            started = time.perf_counter()
            j = Journal.open(self.root, full=True)
            metric.values.append(time.perf_counter() - started)
            j.close()
        metric.note = f"{len(j.index.records())} files indexed"

    def warm_inproc(self, metric: Metric) -> None:
        from netjournal.journal import Journal

        Journal.open(self.root).close()  # settle anything left by the previous step
        touched = 0
        for _ in range(self.runs):
            gc.collect()
            started = time.perf_counter()
            j = Journal.open(self.root)
            metric.values.append(time.perf_counter() - started)
            touched += j.last_sync.touched if j.last_sync else 0
            j.close()
        if touched:
            metric.note = f"warning: {touched} files were re-read during 'nothing changed' opens"

    def search_inproc(self, metric: Metric) -> None:
        from netjournal.journal import Journal

        hits = 0
        for _ in range(self.runs):
            j = Journal.open(self.root)
            gc.collect()
            started = time.perf_counter()
            hits = len(j.search(PHRASE, limit=20))
            metric.values.append(time.perf_counter() - started)
            j.close()
        metric.note = f"{hits} hits (limit 20); time excludes the open"

    def changed10(self, metric: Metric) -> None:
        from netjournal.journal import Journal

        Journal.open(self.root).close()
        reflections = sorted(p for p in (self.root / "reflections").rglob("*.md"))
        changed_counts = []
        for run in range(self.runs):
            time.sleep(RACY_WAIT)  # edits minutes apart, as a person makes them
            for path in self.rng.sample(reflections, 10):
                rewrite_body(path, run, self.rng)
            gc.collect()
            started = time.perf_counter()
            j = Journal.open(self.root)
            metric.values.append(time.perf_counter() - started)
            changed_counts.append(j.last_sync.touched if j.last_sync else -1)
            j.close()
        metric.note = f"files re-read per open: {sorted(set(changed_counts))}"

    def save(self, metric: Metric, write_behind: bool = False) -> None:
        from netjournal.journal import Journal

        j = Journal.open(self.root, write_behind=write_behind)
        candidates = [c for c in j.contacts() if not c.steps["known"].done]
        if not candidates:
            metric.error = "no contact without the 'known' step"
            return
        slug = candidates[len(candidates) // 2].slug
        calls = max(self.saves, 2)
        calls += calls % 2  # even: the contact ends as it started
        for i in range(calls):
            gc.collect()
            started = time.perf_counter()
            if i % 2 == 0:
                j.set_step(slug, "known")
            else:
                j.unset_step(slug, "known")
            metric.values.append(time.perf_counter() - started)
        flush = ""
        if write_behind:
            started = time.perf_counter()
            j.flush()
            flush = f"; the closing flush() of index.json took {(time.perf_counter() - started) * 1000:.1f} ms"
        j.close()
        metric.note = f"{calls} calls on contacts/{slug}.md{flush}"

    # ------------------------------------------------------------------ profile

    def profile(self) -> str:
        """cProfile of the in-process operations: the top functions by own time."""
        from netjournal.journal import Journal

        out = io.StringIO()
        j0 = Journal.open(self.root)
        slug = next((c.slug for c in j0.contacts() if not c.steps["known"].done), None)
        j0.close()
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("full build: Journal.open(full=True)", lambda: Journal.open(self.root, full=True).close()),
            ("warm open: Journal.open()", lambda: Journal.open(self.root).close()),
            ("search (open + search)", lambda: Journal.open(self.root).search(PHRASE)),
        ]
        if slug:
            def save_pair() -> None:
                j = Journal.open(self.root)
                j.set_step(slug, "known")
                j.unset_step(slug, "known")
                j.close()
            cases.append(("open + set_step + unset_step", save_pair))
        for title, fn in cases:
            prof = cProfile.Profile()
            prof.enable()
            fn()
            prof.disable()
            stats = pstats.Stats(prof, stream=out)
            out.write(f"\n### {title}\n\n```\n")
            stats.sort_stats("tottime").print_stats(15)
            out.write("```\n")
        return out.getvalue()


def rewrite_body(path: Path, run: int, rng: random.Random) -> None:
    """An external edit: keep the front matter, change the body's last line."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5
    head, body = text[:end], text[end:]
    marker = "Revisited (benchmark edit "
    lines = [line for line in body.rstrip("\n").split("\n") if not line.startswith(marker)]
    lines.append(f"{marker}{run}): {rng.choice(generate.SENTENCES).format(**_FILL)}")
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


_FILL = {
    "first": "Sam", "org": "Northwind", "role_lower": "teaching", "topic": "the new curriculum",
    "topic2": "remote facilitation", "gift": "my notes", "request": "a quick review", "place": "the meetup",
    "feeling": "thoughtful", "feeling_cap": "Thoughtful", "adverb": "clearly", "other": "Priya", "file": "x",
    "slug": "x",
}


def cli_command() -> list[str]:
    exe = Path(sys.executable).parent / "netjournal"
    if exe.is_file() and os.access(exe, os.X_OK):
        return [str(exe)]
    return [sys.executable, "-m", "netjournal"]


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CACHE_HOME": str(home / ".cache"),
        "NETJOURNAL_CONFIG_DIR": str(home / ".config" / "netjournal"),
        "NO_COLOR": "1", "TERM": "dumb",
    })
    env.pop("NETJOURNAL_DIR", None)
    # Installed copies have .pyc files; let the untimed warm-up run write them, so the
    # timed runs do not compile netjournal from source every time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def machine_facts(root: Path) -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    commit = code_version()
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1048576:.1f} GiB RAM"
    except OSError:
        pass
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical cores ({usable} usable by this process){'; ' + mem if mem else ''}",
        f"- Python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"- OS: {platform.system()} {platform.release()}",
        f"- netjournal: commit {commit}; CLI: `{' '.join(cli_command())}`",
    ]


def code_version() -> str:
    """The commit of the code under test, and a digest of uncommitted changes to it."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout
        except OSError:
            return ""
    commit = git("rev-parse", "--short", "HEAD").strip() or "?"
    paths = ["--", "netjournal", ":(exclude)netjournal/tui", "pyproject.toml"]  # the TUI is not measured
    dirty = git("diff", "HEAD", *paths) + git("ls-files", "--others", "--exclude-standard", *paths)
    if dirty.strip():
        commit += f" + uncommitted changes (digest {hashlib.sha1(dirty.encode()).hexdigest()[:8]})"
    return commit


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def journal_facts(root: Path) -> str:
    contacts = sum(1 for _ in (root / "contacts").glob("*.md"))
    reflections = sum(1 for _ in (root / "reflections").rglob("*.md"))
    size = sum(p.stat().st_size for p in (root / "contacts").glob("*.md"))
    size += sum(p.stat().st_size for p in (root / "reflections").rglob("*.md"))
    state = root / ".netjournal"
    index = state / "index.json"
    extra = ""
    if index.exists():
        fulltext = sum(p.stat().st_size for p in (state / "fulltext").glob("*.txt")) if (state / "fulltext").is_dir() else 0
        listing = state / "listing.bin"
        extra = (f"; index.json {index.stat().st_size / 1e6:.1f} MB, listing.bin "
                 f"{listing.stat().st_size / 1e6 if listing.exists() else 0:.1f} MB, full-text cache {fulltext / 1e6:.1f} MB")
    return f"- Journal: {root} — {contacts} contacts, {reflections} reflections, {size / 1e6:.1f} MB of Markdown{extra}"


def make_metrics() -> dict[str, Metric]:
    return {m.key: m for m in [
        Metric("generate", "generate journal (info)", "s", None),
        Metric("build_cli", "full index build — CLI `reindex --full` (whole process)", "s", 1.5),
        Metric("build_inproc", "full index build — in-process `Journal.open(full=True)`", "s", 1.5),
        Metric("warm_inproc", "warm open, nothing changed — in-process `Journal.open`", "s", 0.15),
        Metric("warm_cli", "warm open, nothing changed — CLI `contacts --json` (whole process)", "s", 0.15),
        Metric("changed10", "open after 10 files changed — in-process `Journal.open`", "s", 0.15),
        Metric("search_cli", f"search \"{PHRASE}\" — CLI `search --json` (whole process)", "s", 0.25),
        Metric("search_inproc", "search — in-process `j.search` after open (info)", "s", None),
        Metric("save", "one save, write-through (file + index.json; as the CLI) — in-process `set_step`/`unset_step`", "ms", 0.050),
        Metric("save_wb", "one save, write-behind (file + index in memory; as the app) — in-process `set_step`/`unset_step`", "ms", 0.050),
        Metric("rss_build", "peak RSS — CLI `reindex --full`", "MB", 200e6),
        Metric("rss_warm", "peak RSS — CLI `contacts --json` (warm open)", "MB", 200e6),
    ]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="journal to use (generated there if it has no netjournal.yaml)")
    parser.add_argument("--contacts", type=int, default=None, help="default 1000 (or scale/10 with --scale)")
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="growth study: N reflections, N/10 contacts; measures generate, full build, "
                             "warm open and one save only (unless --metrics says otherwise)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--saves", type=int, default=20, help="set_step/unset_step calls timed (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--metrics", default=None,
                        help=f"comma-separated subset of: {','.join(ALL_METRICS)}")
    parser.add_argument("--profile", action="store_true", help="also print cProfile top functions (in-process)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary journal")
    args = parser.parse_args(argv)

    if args.scale is not None:
        args.reflections = args.scale
        contacts = args.contacts if args.contacts is not None else max(args.scale // 10, 1)
        wanted = GROWTH_METRICS
    else:
        contacts = args.contacts if args.contacts is not None else 1000
        wanted = ALL_METRICS
    if args.metrics:
        wanted = [m.strip() for m in args.metrics.split(",") if m.strip()]
        unknown = set(wanted) - set(ALL_METRICS)
        if unknown:
            parser.error(f"unknown metrics: {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="netjournal-bench-"))
    env = isolated_env(scratch / "home")
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "NETJOURNAL_CONFIG_DIR"):
        os.environ[key] = env[key]
    os.environ.pop("NETJOURNAL_DIR", None)
    root = (args.dir or scratch / "journal").expanduser().resolve()
    metrics = make_metrics()
    try:
        if not (root / "netjournal.yaml").is_file():
            print(f"generating {contacts} contacts, {args.reflections} reflections into {root} ...", file=sys.stderr)
            summary = generate.generate(root, contacts=contacts, reflections=args.reflections, seed=args.seed)
            metrics["generate"].values.append(summary["seconds"])
            metrics["generate"].note = f"{summary['files']} files, {summary['bytes'] / 1e6:.1f} MB"

        facts = machine_facts(root)
        version_before, load_before = code_version(), load_average()
        bench = Bench(root, args.runs, args.saves, env)
        steps: list[tuple[str, Callable[[Metric], None]]] = [
            ("build_cli", lambda m: bench.time_cli(m, "reindex", "--full")),
            ("build_inproc", bench.build_inproc),
            ("warm_inproc", bench.warm_inproc),
            ("warm_cli", lambda m: bench.time_cli(m, "contacts", "--json")),
            ("search_cli", lambda m: bench.time_cli(m, "search", PHRASE, "--json", check=count_hits)),
            ("search_inproc", bench.search_inproc),
            ("rss_build", lambda m: bench.rss_cli(m, "reindex", "--full")),
            ("rss_warm", lambda m: bench.rss_cli(m, "contacts", "--json")),
            # these two change files: they run last
            ("changed10", bench.changed10),
            ("save", bench.save),
            ("save_wb", lambda m: bench.save(m, write_behind=True)),
        ]
        for key, fn in steps:
            if key not in wanted:
                continue
            print(f"measuring {key} ...", file=sys.stderr)
            try:
                fn(metrics[key])
            except Exception as exc:  # report it in the table; carry on with the rest
                metrics[key].error = f"{type(exc).__name__}: {exc}"

        lines = ["## netjournal benchmark", ""]
        lines += facts
        lines.append(journal_facts(root))
        lines.append(f"- Load average (1/5/15 min): {load_before} before, {load_average()} after")
        version_after = code_version()
        if version_after != version_before:
            lines.append(f"- WARNING: the code changed during the run: {version_before} -> {version_after}")
        lines.append(f"- Runs: {args.runs} per metric (medians); command: `{' '.join([Path(sys.executable).name, *sys.argv])}`")
        lines += ["", "| metric | median | min | target | met? |", "| --- | --- | --- | --- | --- |"]
        shown = [m for m in metrics.values() if m.key in wanted or (m.key == "generate" and m.values)]
        lines += [m.row() for m in shown]
        notes = [f"- {m.label}: {m.error}" for m in shown if m.error]
        notes += [f"- {m.label}: {m.note}" for m in shown if m.note]
        if notes:
            lines += ["", "Notes:", *notes]
        print("\n".join(lines))

        if args.profile:
            print("\n## cProfile (in-process, top 15 by own time)")
            print(bench.profile())

        if args.json:
            args.json.write_text(json.dumps({
                "facts": facts + [journal_facts(root)], "code": [version_before, version_after],
                "metrics": {m.key: {"label": m.label, "unit": m.unit, "target": m.target, "values": m.values,
                                    "median": m.median, "min": m.minimum, "error": m.error, "note": m.note}
                            for m in shown},
            }, indent=2), encoding="utf-8")
    finally:
        if args.keep and not args.dir:
            shutil.rmtree(scratch / "home", ignore_errors=True)
            print(f"kept the journal at {root}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


def count_hits(proc: subprocess.CompletedProcess) -> str:
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return "search output was not JSON"
    if isinstance(data, dict):
        for key in ("hits", "results", "items"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    return f"{len(data)} hits in the JSON output" if isinstance(data, list) else "search JSON has no list of hits"


if __name__ == "__main__":
    raise SystemExit(main())
