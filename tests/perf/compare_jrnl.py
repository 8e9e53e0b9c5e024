"""netjournal and jrnl side by side on the same 10,000 entries; prints a Markdown table.

    python tests/perf/compare_jrnl.py [--runs 5] [--contacts 1000] [--reflections 10000]
                                      [--jrnl-venv /tmp/nj-bench-jrnl] [--jrnl-spec jrnl]

Run it with the venv's Python (the one netjournal is installed in).

Both tools are timed as a user installs them: jrnl from PyPI, netjournal from this
checkout with a regular (not editable) ``pip install``, each in its own virtual
environment with compiled bytecode.  (An editable install, as the README's quick start
makes, adds ~10 ms to every command: setuptools' import hook for editable packages.
``--editable`` times the netjournal of the venv running this script instead.)

jrnl (https://jrnl.sh, from PyPI) is not a dependency of netjournal: the script makes
its own virtual environment for it (``--jrnl-venv``, default /tmp/nj-bench-jrnl) with
``python -m venv`` and ``pip install jrnl`` and reuses it when it already works.

The data: generate.py writes a netjournal journal (1,000 contacts, 10,000 reflections;
the phrase "quarterly alumni mixer" is in 20 of them).  The same 10,000 reflections
become one jrnl plain-text journal file, oldest first, each entry as

    [YYYY-MM-DD HH:MM] Title
    body

(jrnl's own format: ``Entry.__str__`` joined with blank lines; the time is the file's
mtime, which generate.py sets to the evening of the entry's day).  jrnl runs with a
config file in a temporary XDG_CONFIG_HOME (jrnl/jrnl.yaml; HOME is temporary too), so
it never reads or writes the user's real config: no encryption, no editor, no colours,
``timeformat: "%Y-%m-%d %H:%M"``.  Both tools get stdin from /dev/null and never prompt.

The work, each a whole process (interpreter start and imports included), the tools of
a task alternating (which goes first rotates), after one untimed warm-up each:

    search   netjournal --journal DIR search "quarterly alumni mixer" --json
             jrnl -contains "quarterly alumni mixer"
             grep -ril "quarterly alumni mixer" DIR
    common   netjournal --journal DIR search the --limit 5
             jrnl -contains the -n 5
             grep -ril the DIR
    rare     netjournal --journal DIR search alumni --limit 5
             jrnl -contains alumni -n 5
             grep -ril alumni DIR
    list     netjournal --journal DIR reflections --limit 10
             jrnl -n 10
    add      netjournal --journal DIR add reflection "TITLE" --body "BODY"
             jrnl "TITLE. BODY"

"the" (COMMON_WORD) is in nearly every entry (10,891 of the 11,000 texts netjournal
searches): the search that ranks the most hits to show five.  "alumni" (RARE_WORD) is
in the 20 reflections with the planted phrase and nowhere else.  jrnl shows as many
entries as netjournal (``-n 5``; without it jrnl prints all 10,000 entries with "the",
which costs it ~5 s).  grep (the system's, as a user runs it, in the caller's locale)
reads the same folder, the ``.netjournal`` cache and index included, and lists the
files with a match: the floor for any tool that looks at the text itself.

``add`` runs last and on the same journals, so each run adds one entry to each tool's
journal (runs + 1 entries in all, on top of 10,000: noise).  Output goes to /dev/null.

Targets: every search at least 6x faster than jrnl's (ratio jrnl / netjournal >= 6) and
within 3x of grep's (netjournal / grep <= 3); list at least 4x faster than jrnl; add no
slower than jrnl (ratio >= 1).  Not a test: pytest does not collect tests/perf.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (tests/perf/bench.py: machine facts, CLI lookup, isolated env)
import generate  # noqa: E402

PHRASE = generate.PLANTED_PHRASE
COMMON_WORD = "the"  # in nearly every entry
RARE_WORD = "alumni"  # only in the planted phrase: 20 reflections
SHOWN = 5  # hits shown for the one-word searches, by netjournal and by jrnl
DEFAULT_VENV = Path(tempfile.gettempdir()) / "nj-bench-jrnl"
DEFAULT_NJ_VENV = Path(tempfile.gettempdir()) / "nj-bench-netjournal"


# --------------------------------------------------------------------------- jrnl's venv


def jrnl_version(exe: Path) -> str | None:
    if not exe.is_file():
        return None
    try:
        proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = (proc.stdout.strip().splitlines() or [""])[0]
    return first.split()[-1].lstrip("v") if proc.returncode == 0 and first.startswith("jrnl") else None


def ensure_jrnl(venv: Path, spec: str) -> tuple[Path, str]:
    """jrnl's executable in ``venv`` (made and installed there when missing) and its version."""
    exe = venv / "bin" / "jrnl"
    version = jrnl_version(exe)
    if version:
        print(f"reusing jrnl {version} in {venv}", file=sys.stderr)
        return exe, version
    print(f"creating a virtual environment for jrnl in {venv} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", spec], check=True)
    version = jrnl_version(exe)
    if not version:
        raise SystemExit(f"jrnl did not install into {venv}")
    return exe, version


def ensure_netjournal(venv: Path) -> list[str]:
    """netjournal installed from this checkout into ``venv`` (regular install; made
    when missing, refreshed every time so that it is the code being measured)."""
    python = venv / "bin" / "python"
    if not python.is_file():
        print(f"creating a virtual environment for netjournal in {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(bench.REPO)], check=True)
    else:
        print(f"installing this checkout into {venv} ...", file=sys.stderr)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                        str(bench.REPO)], check=True)
    return [str(venv / "bin" / "netjournal")]


# --------------------------------------------------------------------------- the data


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The flat ``key: value`` lines of a generated file's front matter, and its body."""
    end = text.index("\n---\n", 4)
    fields: dict[str, str] = {}
    for line in text[4:end].splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith('"'):
            value = json.loads(value)
        fields[key.strip()] = value
    return fields, text[end + 5:]


def write_jrnl_journal(netjournal_root: Path, target: Path) -> int:
    """The journal's reflections as one jrnl plain-text journal, oldest first."""
    entries = []
    for path in (netjournal_root / "reflections").rglob("*.md"):
        fields, body = front_matter(path.read_text(encoding="utf-8"))
        day = dt.date.fromisoformat(fields["date"])
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime)
        when = dt.datetime(day.year, day.month, day.day, mtime.hour, mtime.minute)
        title = " ".join(fields["title"].split())
        entries.append((when, path.name, title, body.strip("\n")))
    entries.sort()
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("\n".join(f"[{when:%Y-%m-%d %H:%M}] {title}\n{body}\n"
                               for when, _, title, body in entries))
    return len(entries)


def write_jrnl_config(config_home: Path, journal_file: Path, version: str) -> Path:
    folder = config_home / "jrnl"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jrnl.yaml"
    # YAML, not JSON: jrnl takes a JSON config for a jrnl 1.x one and starts its upgrade prompt.
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    config = "\n".join([
        f"version: {q('v' + version)}",
        "journals:",
        "  default:",
        f"    journal: {q(str(journal_file))}",
        'editor: ""',
        "encrypt: false",
        "template: false",
        "default_hour: 9",
        "default_minute: 0",
        f"timeformat: {q('%Y-%m-%d %H:%M')}",
        f"tagsymbols: {q('#@')}",
        "highlight: false",
        "linewrap: 79",
        f"indent_character: {q('|')}",
        "colors:",
        "  body: none",
        "  date: none",
        "  tags: none",
        "  title: none",
    ])
    path.write_text(config + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- timing


class Task(NamedTuple):
    key: str
    label: str
    commands: dict[str, Callable[[], list[str]]]  # tool → a fresh command line
    target: float  # jrnl / netjournal at least this


GREP_TARGET = 3.0  # a search takes at most this many times grep -ril's time
OK = {"netjournal": (0,), "jrnl": (0,), "grep": (0, 1)}  # grep: 1 when nothing matches


def grep_version(grep: str) -> str:
    try:
        proc = subprocess.run([grep, "--version"], capture_output=True, text=True, timeout=30)
        return (proc.stdout.splitlines() or ["?"])[0]
    except (OSError, subprocess.TimeoutExpired):
        return "?"


class Failed(RuntimeError):
    pass


def run(cmd: list[str], env: dict[str, str], capture: bool = False,
        ok: tuple[int, ...] = (0,)) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode not in ok:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise Failed(f"`{' '.join(cmd)}` exited {proc.returncode}: {' / '.join(tail)[:300]}")
    return elapsed, proc


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and task (default 5)")
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jrnl-venv", type=Path, default=DEFAULT_VENV,
                        help=f"virtual environment for jrnl (made when missing; default {DEFAULT_VENV})")
    parser.add_argument("--jrnl-spec", default="jrnl", help="what pip installs (default: jrnl)")
    parser.add_argument("--netjournal-venv", type=Path, default=DEFAULT_NJ_VENV,
                        help=f"virtual environment netjournal is installed into (default {DEFAULT_NJ_VENV})")
    parser.add_argument("--editable", action="store_true",
                        help="time the netjournal of the Python running this script instead")
    parser.add_argument("--keep", action="store_true", help="keep the temporary journals")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    jrnl_exe, jrnl_ver = ensure_jrnl(args.jrnl_venv.expanduser().resolve(), args.jrnl_spec)
    nj = bench.cli_command() if args.editable else ensure_netjournal(args.netjournal_venv.expanduser().resolve())

    scratch = Path(tempfile.mkdtemp(prefix="netjournal-vs-jrnl-"))
    home = scratch / "home"
    env = bench.isolated_env(home)  # HOME, XDG_* and NETJOURNAL_CONFIG_DIR inside scratch
    env.update({"EDITOR": "", "VISUAL": "", "PAGER": "cat"})
    for key in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    nj_root = scratch / "netjournal"
    jrnl_file = scratch / "jrnl" / "journal.txt"
    jrnl_file.parent.mkdir(parents=True)
    try:
        print(f"generating {args.contacts} contacts, {args.reflections} reflections ...", file=sys.stderr)
        generate.generate(nj_root, contacts=args.contacts, reflections=args.reflections, seed=args.seed)
        entries = write_jrnl_journal(nj_root, jrnl_file)
        config_path = write_jrnl_config(Path(env["XDG_CONFIG_HOME"]), jrnl_file, jrnl_ver)
        # untimed: the netjournal index is built once, as it would be on a user's machine
        run([*nj, "--journal", str(nj_root), "reindex", "--full"], env)

        nj_base = [*nj, "--journal", str(nj_root)]
        jr_base = [str(jrnl_exe)]
        counter = iter(range(1_000_000))

        def add_nj() -> list[str]:
            n = next(counter)
            return [*nj_base, "add", "reflection", f"Benchmark entry {n}",
                    "--body", f"Added from the command line by compare_jrnl.py, run {n}."]

        def add_jr() -> list[str]:
            n = next(counter)
            return [*jr_base, f"Benchmark entry {n}. Added from the command line by compare_jrnl.py, run {n}."]

        grep = shutil.which("grep") or "grep"
        grep_base = [grep, "-ril"]

        def searches(word: str, shown: int | None) -> dict[str, Callable[[], list[str]]]:
            limit = [] if shown is None else ["--limit", str(shown)]
            jr_limit = [] if shown is None else ["-n", str(shown)]
            return {"netjournal": lambda: [*nj_base, "search", word, *limit, *([] if shown else ["--json"])],
                    "jrnl": lambda: [*jr_base, "-contains", word, *jr_limit],
                    "grep": lambda: [*grep_base, word, str(nj_root)]}

        tasks: list[Task] = [
            Task("search", f"search \"{PHRASE}\" (20 hits)", searches(PHRASE, None), 6.0),
            Task("common", f"search {COMMON_WORD}, {SHOWN} shown (a word in nearly every entry)",
                 searches(COMMON_WORD, SHOWN), 6.0),
            Task("rare", f"search {RARE_WORD}, {SHOWN} shown (a word in 20 entries)", searches(RARE_WORD, SHOWN), 6.0),
            Task("list", "list the 10 newest entries",
                 {"netjournal": lambda: [*nj_base, "reflections", "--limit", "10"],
                  "jrnl": lambda: [*jr_base, "-n", "10"]}, 4.0),
            Task("add", "add one entry from the command line", {"netjournal": add_nj, "jrnl": add_jr}, 1.0),
        ]

        # what each tool finds (untimed): the same work?
        checks: list[str] = []
        for word, planted in ((PHRASE, f"planted in {min(20, args.reflections)} reflections"),
                              (COMMON_WORD, "the common word"), (RARE_WORD, "only in the planted phrase")):
            _, proc = run([*nj_base, "search", word, "--json", "--limit", "0"], env, capture=True)
            _, found = run([*grep_base, word, str(nj_root)], env, capture=True, ok=(0, 1))
            listed = found.stdout.decode("utf-8", "replace").splitlines()
            markdown = sum(1 for line in listed if line.endswith(".md") and "/.netjournal/" not in line)
            checks.append(f"\"{word}\" ({planted}): netjournal finds {len(json.loads(proc.stdout))} entries; "
                          f"jrnl -contains: {count_jrnl(jr_base + ['-contains', word], env)} entries; "
                          f"grep -ril lists {len(listed)} files ({markdown} entries, the rest in .netjournal)")
        checks.append(f"jrnl journal: {count_jrnl(jr_base + ['-n', '100000'], env)} entries parsed of {entries} "
                      f"written, {jrnl_file.stat().st_size / 1e6:.1f} MB in one file")

        load_before = bench.load_average()
        facts = bench.machine_facts(nj_root)
        results: dict[str, tuple[dict[str, list[float]], str | None]] = {}
        for task in tasks:
            print(f"timing {task.key} ...", file=sys.stderr)
            times: dict[str, list[float]] = {tool: [] for tool in task.commands}
            error = None
            try:
                for tool, make in task.commands.items():  # warm-up: page cache, .pyc files
                    run(make(), env, ok=OK[tool])
                order = list(task.commands.items())
                for i in range(args.runs):
                    turn = order[i % len(order):] + order[:i % len(order)]  # who goes first rotates
                    for tool, make in turn:
                        times[tool].append(run(make(), env, ok=OK[tool])[0])
            except Failed as exc:
                error = str(exc)
            results[task.key] = (times, error)
        load_after = bench.load_average()

        jrnl_text = jrnl_file.read_text(encoding="utf-8")
        added = jrnl_text.count("] Benchmark entry ")
        checks.append(f"add: netjournal files in reflections/ now "
                      f"{sum(1 for _ in (nj_root / 'reflections').rglob('*.md'))}; "
                      f"jrnl entries added {added}")

        script = Path(sys.argv[0]).resolve()
        try:
            script = script.relative_to(Path.cwd())
        except ValueError:
            pass
        lines = ["## netjournal vs jrnl (and grep), side by side", ""]
        lines += facts[:2]
        lines.append(f"- netjournal: {facts[3].split(': ', 1)[1]}; "
                     f"{'editable install' if args.editable else 'regular install'} (`{nj[0]}`)")
        lines.append(f"- jrnl: {jrnl_ver} (`{jrnl_exe}`), plain-text journal, no encryption; config `{config_path}`")
        lines.append(f"- grep: {grep_version(grep)} (`{grep}`), locale {os.environ.get('LC_ALL') or os.environ.get('LANG') or 'C'}; "
                     f"over the netjournal journal's folder (its .netjournal cache and index included)")
        lines.append(f"- Data: {args.contacts} contacts + {args.reflections} reflections (netjournal, one file each); "
                     f"the same {entries} reflections as one jrnl journal file")
        lines.append(f"- Load average (1/5/15 min): {load_before} before, {load_after} after")
        lines.append(f"- Runs: {args.runs} per tool and task, alternating, after one untimed warm-up each; "
                     f"whole processes; medians (min)")
        lines.append(f"- Reproduce: `cd {bench.REPO} && {' '.join([sys.executable, str(script), *sys.argv[1:]])}`")
        lines += ["", "| task | netjournal | jrnl | grep -ril | jrnl / netjournal | target | netjournal / grep "
                  "| target | met? |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for task in tasks:
            times, error = results[task.key]
            if error or any(not t for t in times.values()):
                lines.append(f"| {task.label} | error | error | {'error' if 'grep' in times else '—'} | — | "
                             f"≥ {task.target:g}× | — | {'≤ 3×' if 'grep' in times else '—'} | n/a |")
                continue
            m_nj, m_jr = statistics.median(times["netjournal"]), statistics.median(times["jrnl"])
            ratio = m_jr / m_nj
            met = ratio >= task.target
            cells = [f"{fmt(m_nj)} ({fmt(min(times['netjournal']))})", f"{fmt(m_jr)} ({fmt(min(times['jrnl']))})"]
            if "grep" in times:
                m_gr = statistics.median(times["grep"])
                cells.append(f"{fmt(m_gr)} ({fmt(min(times['grep']))})")
                over_grep = m_nj / m_gr
                met = met and over_grep <= GREP_TARGET
                vs_grep = [f"{over_grep:.1f}×", f"≤ {GREP_TARGET:g}×"]
            else:
                cells.append("—")
                vs_grep = ["—", "—"]
            lines.append(f"| {task.label} | {' | '.join(cells)} | {ratio:.1f}× | ≥ {task.target:g}× | "
                         f"{' | '.join(vs_grep)} | {'yes' if met else '**NO**'} |")
        lines += ["", "Commands (DIR = the netjournal journal; jrnl finds its journal through the config):", ""]
        for task in tasks:
            shown = []
            for tool, make in task.commands.items():
                cmd = make()
                name, rest = (("netjournal", cmd[len(nj):]) if tool == "netjournal" else (tool, cmd[1:]))
                shown.append(f"`{name} {' '.join(_quote(a) for a in rest)}`".replace(str(nj_root), "DIR"))
            lines.append(f"- {task.key}: {' vs '.join(shown)}")
        lines += ["", "Checks:", *[f"- {c}" for c in checks]]
        errors = [f"- {task.key}: {results[task.key][1]}" for task in tasks if results[task.key][1]]
        if errors:
            lines += ["", "Errors:", *errors]
        print("\n".join(lines))
    finally:
        if args.keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _quote(arg: str) -> str:
    return f'"{arg}"' if (" " in arg or not arg) else arg


def count_jrnl(cmd: list[str], env: dict[str, str]) -> str:
    """Entries jrnl prints, counted from its JSON export."""
    try:
        _, proc = run([*cmd, "--format", "json"], env, capture=True)
        return str(len(json.loads(proc.stdout).get("entries", [])))
    except (Failed, ValueError, AttributeError) as exc:
        return f"? ({exc})"[:200]


if __name__ == "__main__":
    raise SystemExit(main())
