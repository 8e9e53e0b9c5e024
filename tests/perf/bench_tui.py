"""TUI figures on a large journal (1,000 contacts + 10,000 reflections); prints a Markdown table.

    python tests/perf/bench_tui.py [--dir DIR] [--runs 3] [--chars aekmz]

Each run is a fresh Python process (``--child``) that does what ``netjournal`` does
to start the app -- ``pause_collector()`` (``netjournal/program.py``: the garbage
collector paused until the app has started), then ``build_app(open_for_app(DIR))``
(``netjournal/tui/launch.py``: the journal opened deferred, then Textual imported and
the app made) -- but
headless (Textual's ``App.run_test``, 120x36), and then:

    first_screen   from just before the parent starts the process (so interpreter start,
                   imports and the warm index open are in; the child imports only what
                   ``netjournal`` imports to start) until the dashboard is
                   mounted with its due list and one refresh (paint) has happened after
                   that (``call_after_refresh``).  Warm: the index is built before, and one
                   untimed child runs first (page cache, .pyc files, and the dashboard's
                   view kept when it closed, as the last run of the app leaves it: each
                   timed run also ends as the app does and keeps the view again).
    bare_first     the same, in the same run, for a bare Textual app (an App with one
                   Static, same size, same harness: a fresh process, headless
                   ``run_test``, until the Static is mounted and one refresh has
                   happened after that).  Its runs take turns with netjournal's; the
                   ratio of the medians says what netjournal adds to any Textual app.
    contacts_key   area 2, ``/``, then one character pressed into the empty filter: wall
                   time of ``await pilot.press(c)`` + ``await pilot.pause()`` + the next
                   refresh, checked to have changed the table's rows.  One sample per
                   character in ``--chars``; backspace (untimed) empties the filter again.
                   Textual's pilot waits for the process to look idle (``wait_for_idle``:
                   sleeps of 20 ms, three times between press and pause), so this has a
                   floor of its own, measured as ``pilot_floor`` (an unhandled key, f12);
    contacts_direct  the app's own latency: ``app.simulate_key(c)`` (the key event
                   posted, as a terminal would), until the end of the first screen update
                   that painted after the screen's ``show_rows`` returned (the typed
                   character, the rows, the count; ``Screen._compositor_refresh`` is
                   timed for this).  The side panel follows in a later frame, on purpose.
    refl_key       area 3, ``/``, one character: the same wall time, until the filter was
                   applied (every keystroke filters; there is no pause for typing to stop)
                   and the table refreshed.
    refl_work      from the screen's ``_apply_filter`` call to the end of the paint after
                   it: the filtering and the table update themselves.
    refl_direct    as contacts_direct: the key event posted, until the first paint after
                   ``_apply_filter`` returned.
    peak_rss       the child's ``ru_maxrss`` at the end (after the dashboard, contacts and
                   reflections areas have all been shown and filtered).

Targets: first screen <= 1.0 s and <= 1.6x the bare Textual app's; one filter keystroke
<= 50 ms; peak RSS <= 250 MB.
Not a test: pytest does not collect tests/perf.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SIZE = (120, 36)
BARE_TARGET = 1.6  # netjournal's first screen at most this many times a bare Textual app's


# --------------------------------------------------------------------------- the child


async def _wait(condition, timeout: float = 60.0) -> None:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def _after_refresh(widget) -> None:
    """Wait until the widget's next refresh has run (the screen was painted)."""
    done = asyncio.Event()
    widget.call_after_refresh(done.set)
    await done.wait()


PAINTS: list[float] = []  # when each screen update that rendered something ended


def _time_paints() -> None:
    """Instrumentation only: note the end of every ``Screen._compositor_refresh`` (the
    step that renders the changed widgets and hands them to the driver)."""
    from textual.screen import Screen

    original = Screen._compositor_refresh

    def timed(self) -> None:
        original(self)
        PAINTS.append(time.perf_counter())

    Screen._compositor_refresh = timed  # type: ignore[method-assign]


async def _painted_after(moment: float) -> float:
    """The end of the first paint after ``moment`` (waits for it)."""
    await _wait(lambda: bool(PAINTS) and PAINTS[-1] > moment)
    return next(p for p in PAINTS if p > moment)


async def child_main(root: Path, chars: str, out: Path) -> None:
    t_start = time.time()
    # as ``netjournal`` starts the app (netjournal/program.py, netjournal/tui/launch.py):
    # the garbage collector paused, the journal opened (deferred: the listing's check
    # begun in a forked process), then Textual imported and the app made
    from netjournal.program import pause_collector

    pause_collector()
    from netjournal.tui.launch import build_app, open_for_app

    t_imports = time.time()
    journal = open_for_app(str(root), False)
    t_open = time.time()
    _time_paints()
    app = build_app(journal)
    t_app = time.time()
    res: dict = {"t_start": t_start, "t_imports": t_imports, "t_open": t_open, "t_app": t_app}

    async with app.run_test(size=SIZE) as pilot:
        from netjournal.tui.screens.dashboard import DashboardScreen  # imported by the app by now
        from textual.containers import Vertical

        def due_shown(screen) -> int | None:
            """Rows in the dashboard's due list; None while it is not filled in yet.

            Works with the first dashboard (a Vertical #dashboard-body of Static rows),
            the sectioned one (SectionList #due around an OptionList) and the one
            whose SectionList draws its rows itself."""
            try:
                section = screen.query_one("#due")
                if not section.children:  # one widget: rows shown once there are any
                    return section.row_count or None
                rows = section.rows  # SectionList around an OptionList
                filled = str(section.query(".section-title").first().content).endswith(")")  # "Due to touch (n)"
                return rows.option_count if filled else None
            except Exception:
                pass
            try:
                body = screen.query_one("#dashboard-body", Vertical)
                return len(body.children) or None
            except Exception:
                return None

        def dashboard_shown() -> bool:
            s = app.screen
            if not isinstance(s, DashboardScreen) or not s.is_mounted:
                return False
            if due_shown(s) is None:
                return False
            return all(w.is_mounted for w in s.walk_children())  # rows mounted, not just queued

        await _wait(dashboard_shown)
        await _after_refresh(app.screen)
        res["t_first_screen"] = time.time()
        res["due_rows"] = due_shown(app.screen)
        res["kept_view"] = getattr(app.screen, "kept_view_shown", None)
        import resource

        res["rss_first_screen"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        # the other areas' modules: after the first screen, as the app imports them
        from netjournal.tui.screens.contacts import ContactsScreen
        from netjournal.tui.screens.reflections import ReflectionsScreen
        from textual.widgets import Input

        # what pilot.press + pilot.pause cost by themselves: a key nothing handles
        floor = []
        for _ in chars:
            started = time.perf_counter()
            await pilot.press("f12")
            await pilot.pause()
            await _after_refresh(app.screen)
            floor.append(time.perf_counter() - started)
        res["pilot_floor"] = floor

        # ---- contacts filter
        await pilot.press("2")
        await _wait(lambda: isinstance(app.screen, ContactsScreen) and app.screen.is_mounted)
        contacts = app.screen
        table = contacts.query_one("#contacts-table")
        await _wait(lambda: table.row_count > 0)
        await pilot.pause()
        await pilot.press("slash")
        box = contacts.query_one("#contacts-filter", Input)
        await _wait(lambda: box.has_focus)
        total = table.row_count
        shown: list[float] = []
        original_show = contacts.show_rows

        def timed_show(*a, **k):  # instrumentation only: the screen's own method runs
            result = original_show(*a, **k)
            shown.append(time.perf_counter())
            return result

        contacts.show_rows = timed_show  # type: ignore[method-assign]
        samples, direct, matched = [], [], []
        for ch in chars:
            # as the brief has it: pilot.press + pilot.pause (+ the next refresh)
            started = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            await _after_refresh(contacts)
            samples.append(time.perf_counter() - started)
            if box.value != ch:
                raise RuntimeError(f"contacts filter holds {box.value!r}, not {ch!r}")
            matched.append(table.row_count if table.display else 0)
            await pilot.press("backspace")
            await pilot.pause()
            await _wait(lambda: box.value == "" and table.row_count == total)
            # the app's own latency: the key event posted, until the paint after show_rows
            shown.clear()
            started = time.perf_counter()
            app.simulate_key(ch)
            await _wait(lambda: box.value == ch and bool(shown))
            direct.append(await _painted_after(shown[-1]) - started)
            await pilot.pause()
            await pilot.press("backspace")
            await pilot.pause()
            await _wait(lambda: box.value == "" and table.row_count == total)
        res["contacts_key"], res["contacts_direct"] = samples, direct
        res["contacts_rows"], res["contacts_matched"] = total, matched

        res["rss_contacts"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        # ---- reflections filter
        await pilot.press("escape")
        await pilot.press("3")
        await _wait(lambda: isinstance(app.screen, ReflectionsScreen) and app.screen.is_mounted)
        refl = app.screen
        await _wait(lambda: len(refl.rows) > 0 and refl.table.row_count == len(refl.shown) == len(refl.rows))
        await pilot.pause()
        total = len(refl.rows)
        await pilot.press("slash")
        rbox = refl.query_one("#reflections-query", Input)
        await _wait(lambda: rbox.has_focus)

        applied: list[tuple[float, float]] = []  # (called, returned)
        original = refl._apply_filter

        def timed_apply(value: str) -> None:  # instrumentation only: the screen's own method runs
            called = time.perf_counter()
            original(value)
            applied.append((called, time.perf_counter()))

        refl._apply_filter = timed_apply  # type: ignore[method-assign]
        total_s, work_s, rmatched = [], [], []
        d_total, d_work = [], []
        for ch in chars:
            applied.clear()
            started = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            await _wait(lambda: refl.filter_text == ch)
            await _after_refresh(refl)
            total_s.append(time.perf_counter() - started)
            work_s.append(await _painted_after(applied[-1][1]) - applied[-1][0])
            rmatched.append(len(refl.shown))
            if refl.table.row_count != len(refl.shown):
                raise RuntimeError("the reflections table does not hold the matching rows")
            await pilot.press("backspace")
            await _wait(lambda: refl.filter_text == "" and refl.table.row_count == total)
            await pilot.pause()
            # the app's own latency: the key event posted, until the paint after the filter
            applied.clear()
            started = time.perf_counter()
            app.simulate_key(ch)
            await _wait(lambda: refl.filter_text == ch and bool(applied))
            painted = await _painted_after(applied[-1][1])
            d_total.append(painted - started)
            d_work.append(painted - applied[-1][0])
            await pilot.pause()
            await pilot.press("backspace")
            await _wait(lambda: refl.filter_text == "" and refl.table.row_count == total)
            await pilot.pause()
        res.update({"refl_key": total_s, "refl_work": work_s,
                    "refl_direct": d_total, "refl_direct_work": d_work,
                    "refl_rows": total, "refl_matched": rmatched})

    import resource

    res["touched"] = journal.last_sync.touched if journal.last_sync else None
    res["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    out.write_text(json.dumps(res), encoding="utf-8")


async def bare_main(out: Path) -> None:
    """The same measure for a bare Textual app (one Static): what any Textual app
    costs to paint its first screen here (interpreter, Textual's imports, the
    headless driver, one compose and paint), the yardstick for netjournal's."""
    t_start = time.time()
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    t_imports = time.time()

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Static("netjournal", id="bare")

    app = Bare()
    async with app.run_test(size=SIZE):
        await _wait(lambda: bool(app.screen.query("#bare")) and app.screen.query_one("#bare").is_mounted)
        await _after_refresh(app.screen)
        t_first = time.time()
    out.write_text(json.dumps({"t_start": t_start, "t_imports": t_imports, "t_first_screen": t_first}),
                   encoding="utf-8")


# --------------------------------------------------------------------------- the parent


def run_child(root: Path | None, chars: str, env: dict[str, str]) -> dict:
    """One child: netjournal's app on ``root``, or the bare Textual app (``root`` None)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    what = ["--bare"] if root is None else ["--child", str(root), "--chars", chars]
    try:
        launched = time.time()
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *what, "--out", str(out)],
                              stdin=subprocess.DEVNULL, capture_output=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"the TUI child failed ({proc.returncode}):\n{proc.stderr.decode(errors='replace')[-2000:]}")
        res = json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
    res["launched"] = launched
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="journal to use (generated there if it has no netjournal.yaml)")
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="fresh TUI processes timed (default 3)")
    parser.add_argument("--chars", default="aekmz", help="characters typed, one sample each per run")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        asyncio.run(child_main(args.child, args.chars, args.out))
        return 0
    if args.bare:
        asyncio.run(bare_main(args.out))
        return 0

    import shutil

    import bench  # machine facts, isolated environment
    import generate

    scratch = Path(tempfile.mkdtemp(prefix="netjournal-bench-tui-"))
    env = bench.isolated_env(scratch / "home")
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    root = (args.dir or scratch / "journal").expanduser().resolve()
    try:
        if not (root / "netjournal.yaml").is_file():
            print(f"generating {args.contacts} contacts, {args.reflections} reflections into {root} ...",
                  file=sys.stderr)
            generate.generate(root, contacts=args.contacts, reflections=args.reflections)
        from netjournal.journal import Journal

        Journal.open(root).close()  # the index is built (warm start from here on)
        load_before = bench.load_average()
        print("warm-up runs (untimed) ...", file=sys.stderr)
        run_child(root, args.chars, env)
        run_child(None, args.chars, env)
        runs, bare = [], []
        for i in range(args.runs):
            print(f"run {i + 1} of {args.runs} ...", file=sys.stderr)
            if i % 2:  # the bare app and netjournal's take turns going first
                bare.append(run_child(None, args.chars, env))
            runs.append(run_child(root, args.chars, env))
            if not i % 2:
                bare.append(run_child(None, args.chars, env))
        load_after = bench.load_average()

        first = [r["t_first_screen"] - r["launched"] for r in runs]
        bare_first = [r["t_first_screen"] - r["launched"] for r in bare]
        ratio = statistics.median(first) / statistics.median(bare_first)
        parts = {
            "interpreter start": [r["t_start"] - r["launched"] for r in runs],
            "imports (netjournal, Textual) and the app made": [r["t_imports"] - r["t_start"] + r["t_app"] - r["t_open"]
                                                                for r in runs],
            "Journal.open (warm; deferred: the listing's check begun)": [r["t_open"] - r["t_imports"] for r in runs],
            "app start to painted dashboard": [r["t_first_screen"] - r["t_app"] for r in runs],
        }
        ck = [x for r in runs for x in r["contacts_key"]]
        rk = [x for r in runs for x in r["refl_key"]]
        rw = [x for r in runs for x in r["refl_work"]]
        rss = [r["peak_rss"] for r in runs]

        def flat(key: str) -> list[float]:
            return [x for r in runs for x in r[key]]

        def ms(v: float) -> str:
            return f"{v * 1000:.0f} ms" if v >= 0.01 else f"{v * 1000:.1f} ms"

        def row(label: str, vals: list[float], target: float | None, unit: str = "s") -> str:
            med, lo, hi = statistics.median(vals), min(vals), max(vals)
            if unit == "MB":
                show = [f"{v / 1e6:.0f} MB" for v in (med, lo, hi)]
                tgt = "—" if target is None else f"≤ {target / 1e6:.0f} MB"
            else:
                show = [ms(v) for v in (med, lo, hi)]
                tgt = "—" if target is None else f"≤ {ms(target)}"
            met = "—" if target is None else ("yes" if med <= target else "**NO**")
            return f"| {label} | {show[0]} | {show[1]} | {show[2]} | {tgt} | {met} |"

        r0 = runs[0]
        script = Path(__file__).resolve().relative_to(bench.REPO)
        lines = ["## netjournal TUI benchmark", ""]
        lines += bench.machine_facts(root)
        lines.append(bench.journal_facts(root))
        lines.append(f"- Textual: {_textual_version()}; headless `App.run_test(size={SIZE})`; "
                     f"app = `build_app(open_for_app(DIR))` as `netjournal` starts it (a deferred open)")
        lines.append(f"- Load average (1/5/15 min): {load_before} before, {load_after} after")
        lines.append(f"- Runs: {args.runs} fresh processes after 1 untimed warm-up; keystrokes: "
                     f"{len(args.chars)} characters ({args.chars!r}) per run per filter; "
                     f"median / min / max over all samples")
        lines.append(f"- Reproduce: `cd {bench.REPO} && {sys.executable} {script} "
                     f"{' '.join(sys.argv[1:])}`".rstrip())
        lines += ["", "| metric | median | min | max | target | met? |", "| --- | --- | --- | --- | --- | --- |"]
        lines.append(row("first screen: process start → dashboard painted (warm)", first, 1.0))
        for label, vals in parts.items():
            lines.append(row(f"  … of which {label}", vals, None))
        lines.append(row("a bare Textual app (one Static): process start → first paint, same harness", bare_first,
                         None))
        lines.append(row("  … of which interpreter start and Textual's imports",
                         [r["t_imports"] - r["launched"] for r in bare], None))
        lines.append(f"| first screen ÷ bare Textual app (medians) | {ratio:.2f}× | — | — | ≤ {BARE_TARGET:g}× | "
                     f"{'yes' if ratio <= BARE_TARGET else '**NO**'} |")
        lines.append(row("harness floor: `pilot.press` (unhandled key) + `pilot.pause` + refresh", flat("pilot_floor"), None))
        lines.append(row(f"contacts filter, one keystroke → table updated, via pilot ({r0['contacts_rows']} contacts)",
                         ck, 0.050))
        lines.append(row("contacts filter, one keystroke → table updated, key event posted directly",
                         flat("contacts_direct"), 0.050))
        lines.append(row(f"reflections filter, one keystroke → table updated, via pilot ({r0['refl_rows']} "
                         f"reflections)", rk, 0.050))
        lines.append(row("  … via pilot: from the filter call to the painted table", rw, None))
        lines.append(row("reflections filter, one keystroke → table updated, key event posted directly",
                         flat("refl_direct"), 0.050))
        lines.append(row("  … direct: from the filter call to the painted table", flat("refl_direct_work"), None))
        lines.append(row("peak RSS of the TUI process (ru_maxrss), after all three areas", rss, 250e6, unit="MB"))
        lines.append(row("  … peak RSS when the first screen was painted", [r["rss_first_screen"] for r in runs],
                         None, unit="MB"))
        lines.append(row("  … peak RSS after the contacts area (filtered 5 times)", [r["rss_contacts"] for r in runs],
                         None, unit="MB"))
        lines += ["", "Notes:",
                  f"- rows matching each character {args.chars!r}: contacts {r0['contacts_matched']} of "
                  f"{r0['contacts_rows']}; reflections {r0['refl_matched']} of {r0['refl_rows']}",
                  f"- dashboard due rows shown: {r0['due_rows']}; files re-read by the app's Journal.open: "
                  f"{[r['touched'] for r in runs]}; first screen drawn from the view kept by the run before "
                  f"(Journal.remembered_view): {[r['kept_view'] for r in runs]}"]
        print("\n".join(lines))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _textual_version() -> str:
    try:
        from importlib.metadata import version

        return version("textual")
    except Exception:
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
