"""Benchmark the reflections area on a large journal (10,000 reflections by default).

    python tests/perf/bench_reflections_tui.py [--dir DIR] [--reflections 10000] [--contacts 1000]

Runs the real app headless (Textual's test driver, 120x36) and prints a Markdown table:

    open_first     pressing 3 until the table shows its first rows (the area is usable)
    open_all       … until every row is in the table (it takes the whole list at once)
    stall_open     the longest the event loop was blocked while opening (a 5 ms heartbeat)
    filter_first   typing "/" and a word until the filtered rows show (every change of
                   the box filters at once; there is no pause for typing to stop)
    stall_filter   the longest block while filtering
    key_latency    one "down" press answered right after the table first shows

"Without freezing" means every stall stays well under 100 ms. Not a test: pytest does
not collect tests/perf.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import generate  # noqa: E402  (tests/perf/generate.py)

from netjournal.journal import Journal  # noqa: E402
from netjournal.tui.app import NetJournalApp  # noqa: E402
from netjournal.tui.screens.reflections import ReflectionsScreen  # noqa: E402


class Heartbeat:
    """Measures the longest gap between ticks of a 5 ms timer: how long the UI froze."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last - 0.005)
            last = now

    def start(self) -> None:
        self.worst = 0.0
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> float:
        assert self._task is not None
        self._task.cancel()
        return self.worst


async def wait_until(condition, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the reflections area did not get there in time")
        await asyncio.sleep(0.002)
    return time.perf_counter() - started


async def measure(journal: Journal, word: str) -> dict[str, float]:
    app = NetJournalApp(journal, start="dashboard", remember_theme=False)
    beat = Heartbeat()
    results: dict[str, float] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        total = len(journal.reflections())
        beat.start()
        started = time.perf_counter()
        app.simulate_key("3")  # not pilot.press: that waits for every pending message

        def screen() -> ReflectionsScreen | None:
            return app.screen if isinstance(app.screen, ReflectionsScreen) else None

        def table_rows() -> int:
            s = screen()
            return s.table.row_count if s is not None and s.is_mounted else 0

        await wait_until(lambda: table_rows() > 0)
        results["open_first"] = time.perf_counter() - started
        s = screen()
        assert s is not None
        row = s.table.cursor_row
        pressed = time.perf_counter()
        app.simulate_key("down")
        await wait_until(lambda: s.table.cursor_row != row)
        results["key_latency"] = time.perf_counter() - pressed
        await wait_until(lambda: table_rows() == total)
        results["open_all"] = time.perf_counter() - started
        results["stall_open"] = beat.stop()

        beat.start()
        started = time.perf_counter()
        app.simulate_key("slash")
        await wait_until(lambda: s.query_one("#reflections-query").has_focus)
        s.query_one("#reflections-query").value = word  # as if typed
        await wait_until(lambda: s.filter_text == word)
        await wait_until(lambda: table_rows() == len(s.shown))
        results["filter_first"] = time.perf_counter() - started
        await asyncio.sleep(0.3)
        results["stall_filter"] = beat.stop()
        results["rows"] = total
        results["matching"] = len(s.shown)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="a journal to use (generated when it has none)")
    parser.add_argument("--reflections", type=int, default=10000)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--word", default="zoe", help="what to type into the filter")
    args = parser.parse_args(argv)
    root = args.dir or Path(tempfile.mkdtemp(prefix="netjournal-bench-tui-")) / "journal"
    if not (root / "netjournal.yaml").is_file():
        generate.generate(root, contacts=args.contacts, reflections=args.reflections)
    journal = Journal.open(root, today=dt.date.today())
    results = asyncio.run(measure(journal, args.word))
    print(f"| metric ({int(results.pop('rows'))} reflections, {int(results.pop('matching'))} match "
          f"'{args.word}') | value |")
    print("| --- | --- |")
    for name, value in results.items():
        print(f"| {name} | {value * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
