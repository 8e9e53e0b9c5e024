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

The work, each a whole process (interpreter start and imports included), alternating
netjournal and jrnl (which goes first alternates too), after one untimed warm-up each:

    search   netjournal --journal DIR search "quarterly alumni mixer" --json
             jrnl -contains "quarterly alumni mixer"
    list     netjournal --journal DIR reflections --limit 10
             jrnl -n 10
    add      netjournal --journal DIR add reflection "TITLE" --body "BODY"
             jrnl "TITLE. BODY"

``add`` runs last and on the same journals, so each run adds one entry to each tool's
journal (runs + 1 entries in all, on top of 10,000: noise).  Output goes to /dev/null.

Targets: search and list at least 4x faster than jrnl (ratio jrnl / netjournal >= 4);
add no slower than jrnl (ratio >= 1).  Not a test: pytest does not collect tests/perf.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (tests/perf/bench.py: machine facts, CLI lookup, isolated env)
import generate  # noqa: E402

PHRASE = generate.PLANTED_PHRASE
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


class Failed(RuntimeError):
    pass


def run(cmd: list[str], env: dict[str, str], capture: bool = False) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
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

        tasks = [
            ("search", f"search \"{PHRASE}\"",
             lambda: [*nj_base, "search", PHRASE, "--json"], lambda: [*jr_base, "-contains", PHRASE], 4.0),
            ("list", "list the 10 newest entries",
             lambda: [*nj_base, "reflections", "--limit", "10"], lambda: [*jr_base, "-n", "10"], 4.0),
            ("add", "add one entry from the command line", add_nj, add_jr, 1.0),
        ]

        # what each tool finds (untimed): the same work?
        checks: list[str] = []
        _, proc = run([*nj_base, "search", PHRASE, "--json"], env, capture=True)
        data = json.loads(proc.stdout)
        if isinstance(data, dict):
            data = next((data[k] for k in ("hits", "results", "items") if isinstance(data.get(k), list)), data)
        checks.append(f"netjournal search: {len(data) if isinstance(data, list) else '?'} hits; "
                      f"jrnl -contains: {count_jrnl(jr_base + ['-contains', PHRASE], env)} entries "
                      f"(the phrase is planted in {min(20, args.reflections)} reflections)")
        checks.append(f"jrnl journal: {count_jrnl(jr_base + ['-n', '100000'], env)} entries parsed of {entries} "
                      f"written, {jrnl_file.stat().st_size / 1e6:.1f} MB in one file")

        load_before = bench.load_average()
        facts = bench.machine_facts(nj_root)
        results: dict[str, tuple[list[float], list[float], str | None]] = {}
        for key, _, nj_cmd, jr_cmd, _ in tasks:
            print(f"timing {key} ...", file=sys.stderr)
            t_nj: list[float] = []
            t_jr: list[float] = []
            error = None
            try:
                run(nj_cmd(), env)  # warm-up: page cache, .pyc files
                run(jr_cmd(), env)
                for i in range(args.runs):
                    order = [(nj_cmd, t_nj), (jr_cmd, t_jr)]
                    if i % 2:
                        order.reverse()
                    for make, into in order:
                        into.append(run(make(), env)[0])
            except Failed as exc:
                error = str(exc)
            results[key] = (t_nj, t_jr, error)
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
        lines = ["## netjournal vs jrnl, side by side", ""]
        lines += facts[:2]
        lines.append(f"- netjournal: {facts[3].split(': ', 1)[1]}; "
                     f"{'editable install' if args.editable else 'regular install'} (`{nj[0]}`)")
        lines.append(f"- jrnl: {jrnl_ver} (`{jrnl_exe}`), plain-text journal, no encryption; config `{config_path}`")
        lines.append(f"- Data: {args.contacts} contacts + {args.reflections} reflections (netjournal, one file each); "
                     f"the same {entries} reflections as one jrnl journal file")
        lines.append(f"- Load average (1/5/15 min): {load_before} before, {load_after} after")
        lines.append(f"- Runs: {args.runs} per tool and task, alternating, after one untimed warm-up each; "
                     f"whole processes; medians (min)")
        lines.append(f"- Reproduce: `cd {bench.REPO} && {' '.join([sys.executable, str(script), *sys.argv[1:]])}`")
        lines += ["", "| task | netjournal | jrnl | ratio jrnl / netjournal | target | met? |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for key, label, nj_cmd, jr_cmd, target in tasks:
            t_nj, t_jr, error = results[key]
            if error or not t_nj or not t_jr:
                lines.append(f"| {label} | error | error | — | ≥ {target:g}× | n/a |")
                continue
            m_nj, m_jr = statistics.median(t_nj), statistics.median(t_jr)
            ratio = m_jr / m_nj
            lines.append(f"| {label} | {fmt(m_nj)} ({fmt(min(t_nj))}) | {fmt(m_jr)} ({fmt(min(t_jr))}) | "
                         f"{ratio:.1f}× | ≥ {target:g}× | {'yes' if ratio >= target else '**NO**'} |")
        lines += ["", "Commands (DIR = the netjournal journal; jrnl finds its journal through the config):", ""]
        for key, label, nj_cmd, jr_cmd, _ in tasks:
            show_nj = " ".join(_quote(a) for a in nj_cmd()[len(nj):]).replace(str(nj_root), "DIR")
            show_jr = " ".join(_quote(a) for a in jr_cmd()[1:])
            lines.append(f"- {key}: `netjournal {show_nj}` vs `jrnl {show_jr}`")
        lines += ["", "Checks:", *[f"- {c}" for c in checks]]
        errors = [f"- {key}: {results[key][2]}" for key, *_ in tasks if results[key][2]]
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
