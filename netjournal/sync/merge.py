"""Merging two machines' journals: a new tree from ours and theirs, nothing lost, and
never a ``<<<<<<<`` marker in anyone's file.

The merge is made in an index of its own (``.git/netjournal/merge.index``) with
``git read-tree -m`` -- the working folder is not touched until the merged commit is
complete, so a sync killed halfway leaves the user's files as they were.  git takes
what only one side changed; every file changed on both sides comes here:

- changed on both sides into the same bytes: taken;
- changed on one side and deleted on the other: the changed version is kept (a
  deletion never wins over someone's words);
- a contact or reflection (or ``netjournal.yaml``) changed on both: first git's way,
  line by line (``edits.merge_text``), kept when the result still reads as the same
  kind of file; else key by key, nested mappings such as ``steps`` key by key, and
  the body line by line (``edits.merge_meta``/``merge_text``, the edit protocol's);
- any other text file: line by line;
- when the two changed the same thing differently (or a file is not text): ours
  stays in place and theirs is added beside it as ``<stem>.conflict-<host>-<time>``,
  named after the machine whose version it holds.  Both are committed; the app lists
  the copy as a problem until the user merges it and deletes it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable

from netjournal.sync import SyncError
from netjournal.sync.git import EMPTY_TREE, GitError
from netjournal.sync.repo import Repo

ZERO = "0" * 40


@dataclass
class Outcome:
    """What became of one file both sides touched."""

    path: str
    how: str  # "merged", "conflict" (a copy was made), "kept" (deleted there), "restored" (deleted here)
    copy: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "how": self.how, "copy": self.copy, "detail": self.detail}


@dataclass
class Stage:
    mode: str
    oid: str


def merge_commits(repo: Repo, ours: str, theirs: str, host_of: Callable[[str], str]) -> tuple[str, list[Outcome]]:
    """The tree of ``ours`` and ``theirs`` merged (their merge base as the base; none:
    the empty tree), and what happened to each file both changed.  ``host_of(path)``
    names the machine whose version of ``path`` theirs holds (for copies' names)."""
    bases = repo.git.run("merge-base", ours, theirs, check=False).stdout.decode().split()
    base = bases[0] if bases else EMPTY_TREE
    index = repo.state / "merge.index"
    repo.state.mkdir(mode=0o700, exist_ok=True)
    index.unlink(missing_ok=True)
    try:
        try:
            repo.git.run("read-tree", "-m", "-i", "--aggressive", base, ours, theirs, index=index)
        except GitError as exc:
            raise SyncError(f"git cannot merge the two journals: {exc.line}; nothing was changed") from None
        stages = unmerged_stages(repo, index)
        taken = set(repo.git.run("ls-files", "-z", index=index).stdout.decode("utf-8", "surrogateescape").split("\0"))
        results, outcomes = resolve(repo, stages, taken, host_of)
        if results:
            repo.git.run("update-index", "--index-info", input=index_info(results), index=index)
        tree = repo.git.out("write-tree", index=index)
    finally:
        index.unlink(missing_ok=True)
    return tree, outcomes


def unmerged_stages(repo: Repo, index: Any = None) -> dict[str, dict[int, Stage]]:
    data = repo.git.run("ls-files", "-u", "-z", index=index).stdout
    found: dict[str, dict[int, Stage]] = {}
    for entry in data.split(b"\0"):
        if not entry:
            continue
        info, _, path = entry.partition(b"\t")
        mode, oid, stage = info.decode().split(" ")
        found.setdefault(path.decode("utf-8", "surrogateescape"), {})[int(stage)] = Stage(mode, oid)
    return found


def resolve(repo: Repo, stages: dict[str, dict[int, Stage]], taken: set[str],
            host_of: Callable[[str], str]) -> tuple[dict[str, Stage | None], list[Outcome]]:
    """The one version each unmerged path ends with (None: deleted), conflict copies
    included under their own paths, and what happened to each."""
    oids = {s.oid for st in stages.values() for s in st.values() if s.mode.startswith("100")}
    blobs = repo.git.blobs(oids)
    when = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results: dict[str, Stage | None] = {}
    outcomes: list[Outcome] = []
    for path, st in sorted(stages.items()):
        base, ours, theirs = st.get(1), st.get(2), st.get(3)
        if ours is not None and theirs is not None and ours.oid == theirs.oid:
            results[path] = ours
        elif base is not None and ours is not None and base.oid == ours.oid:
            results[path] = theirs
        elif base is not None and theirs is not None and base.oid == theirs.oid:
            results[path] = ours
        elif ours is None:
            results[path] = theirs  # deleted here, changed there: their words come back
            outcomes.append(Outcome(path, "restored", detail="deleted here, changed on the other machine: kept"))
        elif theirs is None:
            results[path] = ours
            outcomes.append(Outcome(path, "kept", detail="changed here, deleted on the other machine: kept"))
        else:
            merged = None
            if ours.mode.startswith("100") and theirs.mode.startswith("100"):
                merged = merge_file(path, blobs.get(base.oid) if base else None, blobs.get(ours.oid),
                                    blobs.get(theirs.oid))
            if merged is not None:
                results[path] = Stage(ours.mode, repo.git.write_blob(merged))
                outcomes.append(Outcome(path, "merged", detail="both changed different things: both kept"))
                continue
            results[path] = ours
            if not theirs.mode.startswith("100"):
                outcomes.append(Outcome(path, "kept", detail="a link or submodule changed on both: yours kept"))
                continue
            copy = copy_path(path, host_of(path), when, taken)
            taken.add(copy)
            results[copy] = theirs
            outcomes.append(Outcome(path, "conflict", copy, "changed on both machines: yours stays, theirs is the copy"))
    return results, outcomes


def index_info(results: dict[str, Stage | None]) -> bytes:
    """``update-index --index-info`` input that puts each result in place of its stages."""
    lines = []
    for path, stage in results.items():
        lines.append(f"0 {ZERO}\t{path}\n")  # out with the stages (or nothing, for a copy)
        if stage is not None:
            lines.append(f"{stage.mode} {stage.oid} 0\t{path}\n")
    return "".join(lines).encode("utf-8", "surrogateescape")


def copy_path(path: str, host: str, when: str, taken: set[str]) -> str:
    """``<folder>/<stem>.conflict-<host>-<when>[-N]<ext>``, not among ``taken``."""
    from netjournal.store.scan import conflict_copy_name

    pure = PurePosixPath(path)
    stem = conflict_copy_name(pure.stem, when, host)
    folder = "" if str(pure.parent) == "." else f"{pure.parent}/"
    candidate = f"{folder}{stem}{pure.suffix}"
    number = 2
    while candidate in taken:
        candidate = f"{folder}{stem}-{number}{pure.suffix}"
        number += 1
    return candidate


def merge_file(path: str, base: bytes | None, ours: bytes | None, theirs: bytes | None) -> bytes | None:
    """Both sides' changes to one file, or None when they changed the same thing
    differently (or it is not text)."""
    if ours is None or theirs is None:
        return None
    texts = []
    for data in (base or b"", ours, theirs):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if "\x00" in text:
            return None
        texts.append(text)
    from netjournal.edits import merge_text

    structured = path.endswith(".md") or path == "netjournal.yaml"
    lined = merge_text(*texts)
    if lined is not None and (not structured or _reads(path, lined)):
        return lined.encode("utf-8")
    if not structured:
        return None
    merged = _merge_structured(path, texts[0] if base is not None else None, texts[1], texts[2])
    return merged.encode("utf-8") if merged is not None else None


def _reads(path: str, text: str) -> bool:
    from netjournal.store import frontmatter

    try:
        if path == "netjournal.yaml":
            frontmatter.parse_meta(text, 1)
        else:
            frontmatter.parse(text)
    except frontmatter.FrontMatterError:
        return False
    return True


def _merge_structured(path: str, base: str | None, ours: str, theirs: str) -> str | None:
    """Key by key in the front matter (or the settings file), line by line in the body;
    the result written on top of ours, so our lines and comments stay."""
    from netjournal.edits import merge_meta, merge_text
    from netjournal.model import dateify
    from netjournal.store import frontmatter

    settings = path == "netjournal.yaml"
    try:
        if settings:
            docs = [frontmatter.Document(frontmatter.parse_meta(t, 1), "", t) if t is not None else None
                    for t in (base, ours, theirs)]
        else:
            docs = [frontmatter.parse(t) if t is not None else None for t in (base, ours, theirs)]
    except frontmatter.FrontMatterError:
        return None
    b, o, t = docs
    assert o is not None and t is not None
    b = b or frontmatter.Document()
    meta, conflicts = merge_meta(b.meta, o.meta, t.meta)
    body = merge_text(b.body, o.body, t.body)
    if conflicts or body is None:
        return None
    # our key order, with keys only theirs has at the end: then only changed lines move
    ordered = {k: meta[k] for k in o.meta if k in meta}
    ordered.update((k, v) for k, v in meta.items() if k not in ordered)
    if settings:
        return frontmatter.render_meta(ordered, o.raw_meta, o.meta)
    doc = frontmatter.Document(o.meta, body, o.raw_meta, o.bom, o.newline)
    text = frontmatter.dump(doc, dateify(ordered), old_meta=o.meta if o.has_front_matter else None)
    return text if _reads(path, text) else None
