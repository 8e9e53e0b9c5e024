"""The layers, checked: the app reaches files only through the journal facade, the
core never draws, and the command line starts without the heavy libraries.

- nothing under ``netjournal/tui`` imports ``netjournal.store`` (the facade,
  ``netjournal/journal.py``, is the app's only way to the files and the index);
- nothing outside ``netjournal/tui`` imports ``textual``, and ``rich`` only inside a
  function (a command that draws progress imports it when it runs);
- importing ``netjournal.cli`` imports neither ``yaml`` nor ``tinydb`` (nor
  ``textual``, nor ``rich``): a quick command pays only for what it uses;
- the app's first screen, drawn from the view kept by the last run, is made without
  TinyDB, the model, the entries' reader or the edit protocol: they are imported when
  the deferred open is finished, after it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal.journal import Journal
from tests.test_deferred_open import WINDOW_NS, forking  # noqa: F401  (a fixture)
from tests.test_stamps import settle

PACKAGE = Path(__file__).resolve().parent.parent / "netjournal"
TUI = PACKAGE / "tui"


def imports(path: Path, root: Path = PACKAGE.parent) -> list[tuple[str, int, bool]]:
    """(module, line, at module level) for every import in ``path``; relative imports
    are resolved against the file's package (its folder under ``root``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            found.append((name, node.lineno, id(node) in top_level or _in_type_checking(tree, node)))
    return found


def _in_type_checking(tree: ast.Module, target: ast.AST) -> bool:
    """Imports under ``if TYPE_CHECKING:`` count as module level (they never run,
    but they still say which layer a module leans on)."""
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            if any(child is target for child in ast.walk(node)):
                return True
    return False


def is_module(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def sources(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{line}"


def test_the_app_never_imports_the_store() -> None:
    wrong = sorted({f"{where(path, line)} imports netjournal.store" for path in sources(TUI)
                    for name, line, _ in imports(path) if is_module(name, "netjournal.store")})
    assert not wrong, "the app goes through netjournal.journal, never netjournal.store:\n" + "\n".join(wrong)


def test_only_the_app_imports_textual_and_rich_only_when_drawing() -> None:
    outside = [path for path in sources(PACKAGE) if TUI not in path.parents]
    textual = sorted({f"{where(path, line)} imports textual" for path in outside
                      for name, line, _ in imports(path) if is_module(name, "textual")})
    rich = sorted({f"{where(path, line)} imports rich at module level" for path in outside
                   for name, line, top in imports(path) if is_module(name, "rich") and top})
    assert not textual, "Textual belongs to netjournal/tui only:\n" + "\n".join(textual)
    assert not rich, "outside the app, rich is imported inside the command that draws:\n" + "\n".join(rich)


@pytest.mark.parametrize("module", ["netjournal.cli", "netjournal.quick"])
def test_the_command_line_starts_without_yaml_tinydb_textual_or_rich(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(' '.join(m for m in ('yaml', 'tinydb', 'textual', 'rich') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


# Not needed before the app's first screen when it comes from a kept view (the open
# deferred: ``Journal.open(defer=True)``, ``Journal.remembered_view``).  They are not
# listed here: yaml (the settings and the theme files are read before the first
# paint), hashlib (the kept view's key) and netjournal.insights (the dashboard's
# module imports its words).
NOT_BEFORE_THE_FIRST_SCREEN = (
    "tinydb", "netjournal.model", "netjournal.store.entries", "netjournal.wikilinks", "netjournal.edits",
    "netjournal.capture", "netjournal.me", "netjournal.tui.screens.drafts", "netjournal.insights",
)

# A child process that starts the app as ``netjournal`` does (``open_for_app``, then
# ``build_app``), headless; the sample journal counts as big (the listing's check is
# forked, as test_deferred_open has it).  "keep": a run that ends once the journal is
# open, keeping its first screen as it closes.  "first": the modules loaded once the
# app is made and once its first screen is painted, and whether that screen came from
# the kept view.
APP_START = f"""
import asyncio, json, sys
from pathlib import Path
from netjournal.store import index, listing
listing.FORK_FROM = 0
listing.RACY_NS = index.RACY_NS = {WINDOW_NS}
from netjournal.tui.app import NetJournalApp
from netjournal.tui.launch import build_app, open_for_app

root, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "first":  # nothing finishes the deferred open meanwhile
    NetJournalApp.PRELOAD_AFTER = NetJournalApp.FILE_CHECK_SECONDS = 3600
journal = open_for_app(str(root), False)
app = build_app(journal)
found = {{"built": sorted(sys.modules)}}

async def main() -> None:
    async with app.run_test(size=(100, 32)):
        if mode == "keep":  # the app keeps its first screen as it closes
            while not journal.opened:
                await asyncio.sleep(0.01)
            return
        from netjournal.tui.screens.dashboard import DashboardScreen
        while not (isinstance(app.screen, DashboardScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.001)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        found.update(painted=sorted(sys.modules), kept_view=not journal.opened)

asyncio.run(main())
found["kept"] = (root / ".netjournal" / "views" / "dashboard.json").is_file()
print(json.dumps(found))
"""


def start_app(root: Path, mode: str) -> dict[str, list[str] | bool]:
    done = subprocess.run([sys.executable, "-c", APP_START, str(root), mode], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_first_screen_from_a_kept_view_loads_no_index_model_or_edits(
    tmp_path: Path, forking: None,  # noqa: F811
) -> None:
    journal = Journal.init(tmp_path / "journal", sample=True)
    journal.close()
    settle(journal.root)  # as between two days' use: the files an hour old, the index synced since
    assert start_app(journal.root, "keep")["kept"]
    found = start_app(journal.root, "first")
    assert found["kept_view"], "the first screen was computed, not drawn from the kept view"
    for moment in ("built", "painted"):
        loaded = [name for name in NOT_BEFORE_THE_FIRST_SCREEN if name in found[moment]]
        assert not loaded, f"imported before the first screen ({moment}): {loaded}"


def test_the_checks_see_a_wrong_import(tmp_path: Path) -> None:
    """The AST reading above finds the forms an import can take (relative,
    ``from … import``, inside a function)."""
    sample = tmp_path / "netjournal" / "tui" / "screens" / "x.py"
    sample.parent.mkdir(parents=True)
    sample.write_text("from ...store import files\nimport netjournal.store.index\n"
                      "def f():\n    from netjournal import store\n    import rich.text\n")
    names = [(name, top) for name, _, top in imports(sample, root=tmp_path)]
    assert ("netjournal.store", True) in names and ("netjournal.store.index", True) in names
    assert ("netjournal.store", False) in names and ("rich.text", False) in names
