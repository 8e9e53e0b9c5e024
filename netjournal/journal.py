"""The journal facade: the one API the CLI and the TUI use.

Files are the truth; the index is a cache.  Every edit goes: load the file (with a
stamp) → change its front matter or body → check the file is still what was loaded
→ atomic write → refresh the index and the full-text cache for that one file.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import posixpath
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from netjournal.store import frontmatter, listing, views
from netjournal.store.scan import (
    CONFIG, CONTACTS, REFLECTIONS, STATE, conflict_copy_name, conflict_copy_of, host_name, kind_of,
)
from netjournal.store.files import (
    ConflictError,
    UnsafePathError,
    atomic_create,
    atomic_write,
    create_many,
    ensure_dir,
    inside,
    move_to_trash,
    restore_from_trash,
    slugify,
    unique_path,
)
from netjournal.store.drafts import EditorState, ScratchError
from netjournal.store.fulltext import Candidate, FullText, Match, SearchHit, candidate, query_words, score, top
from netjournal.store.index import READ_ONLY_ERRORS, Index, ListingCheck, SyncReport, no_gc
from netjournal.vocab import KINDS, STEP_KEYS, newest_first, parse_date, reflection_wanted

# The model, the entries' reader, the edit protocol, the facts, capture and the "me"
# card are imported where they are used: a deferred open and the view kept from the
# last run (the app's first screen) need none of them (~7 ms of imports).
if TYPE_CHECKING:
    from netjournal import capture, insights
    from netjournal.edits import REMOVE, Edit, SaveConflict
    from netjournal.me import MeCard  # by name: ``me`` in the class is the card's settings
    from netjournal.model import Contact, Problem, Reflection
    from netjournal.store.entries import LoadedEntry

__all__ = ["Journal", "JournalError", "NotAJournal", "NotFound", "ConflictError", "SaveConflict", "Edit",
           "REMOVE", "SearchHit"]


def __getattr__(name: str) -> Any:
    """The edit protocol's names, here for the app (which reaches the core only
    through this module), imported when first asked for."""
    if name in ("Edit", "SaveConflict", "REMOVE"):
        from netjournal import edits

        return getattr(edits, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

TRASH = "trash"
TEMPLATES = "templates"


def _locked(method: Any) -> Any:
    """Run a read-check-write method under the journal lock, so that another
    process's save cannot slip in between reading the file (or checking its stamp)
    and writing it -- which would silently lose that process's change."""

    @functools.wraps(method)
    def wrapper(self: "Journal", *args: Any, **kwargs: Any) -> Any:
        with self.index.lock:
            return method(self, *args, **kwargs)

    return wrapper

class JournalError(Exception):
    """A problem the user can act on; its message is one clear line."""


class NotAJournal(JournalError):
    pass


class NotFound(JournalError):
    pass


class IndexNotUpdated(JournalError):
    """The file was written; the index (a cache) was not. ``entry`` is what was saved."""

    def __init__(self, message: str, entry: LoadedEntry) -> None:
        super().__init__(message)
        self.entry = entry


def is_journal(root: Path) -> bool:
    """A folder is a journal when it has netjournal.yaml or the app's state folder."""
    return (root / CONFIG).is_file() or (root / STATE).is_dir()


def sample_data_dir() -> Path:
    """The shipped sample journal (beside the package in a checkout or editable install)."""
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "sample_data", here / "sample_data"):
        if (folder / CONFIG).is_file():
            return folder
    raise JournalError("the sample journal is not installed with this copy of netjournal")


def _today() -> _dt.date:
    forced = os.environ.get("NETJOURNAL_TODAY")
    if forced:
        day = parse_date(forced)
        if day:
            return day
    return _dt.date.today()


class Journal:
    """One journal folder, opened and synced."""

    def __init__(self, root: Path, *, today: _dt.date | None = None, write_behind: bool = False) -> None:
        self.root = root.resolve()
        self._today = today
        self._index = Index(self.root, write_behind=write_behind)
        # An open whose index is read on first use (``open(defer=True)``): the listing's
        # check, begun in a forked process, until then.
        self._deferred: ListingCheck | bool | None = None  # True: a sync that failed, to run again
        self._opening = threading.RLock()
        self._finishing = 0  # the thread running the deferred sync
        self.fulltext = FullText(self.root / STATE, self._index.lock)
        self._pending_texts: list[tuple[str, str, str | None]] = []
        self._batch_texts: list[tuple[str, str, str | None]] | None = None  # inside batch()
        self._index.on_loaded = self._collect_text
        self.settings: dict[str, Any] = {}
        self._settings_text = ""
        self.settings_problem: Problem | None = None
        self._views: tuple[dict[str, Contact], dict[str, Reflection]] | None = None
        # What each file was (its content's hash) when the views were last built, or
        # since changed by this journal's own writes: what a long-lived caller (the
        # app) has been shown.  None until the views are first built.
        self._seen: dict[str, object] | None = None
        self._facts: dict[str, insights.ContactFacts] | None = None
        self._facts_for: tuple[_dt.date, int | None] | None = None  # the day and cadence they were computed for
        self.last_sync: SyncReport | None = None
        self._drafts = EditorState(self.root / STATE)
        # Called with the path of every file this journal writes, moves to the trash or
        # brings back (not files it only re-reads): autocommit (netjournal/sync) listens.
        self.write_listeners: list[Callable[[str], None]] = []

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, root: Path | str, *, today: _dt.date | None = None, full: bool = False,
             write_behind: bool = False, defer: bool = False) -> "Journal":
        """Open an existing journal and sync its index with the files.

        ``write_behind``: saves update the index in memory and ``flush()`` (or
        ``close()``) writes it -- for the app, where many saves follow each other.
        The files themselves are always written at once.

        ``defer``: when the listing's check of the files can begin in another process
        (a big journal whose listing was written with its index file), begin it and
        leave the rest of the sync -- the index read, what changed re-read -- to the
        first use of the index (``index``; the app asks for it once its first screen
        is up: ``finish_open``).  Until then ``remembered_view`` can answer.
        """
        root = Path(root).expanduser()
        if not root.is_dir():
            raise NotAJournal(f"{root} does not exist; create a journal there with: netjournal init {root}")
        if not is_journal(root):
            raise NotAJournal(f"{root} is not a netjournal journal (no netjournal.yaml); run: netjournal init {root}")
        journal = cls(root, today=today, write_behind=write_behind)
        check = journal._index.begin_check() if defer and not full else None
        if check is not None:
            journal._read_settings()
            journal._deferred = check
        else:
            journal.sync(full=full)
        return journal

    @property
    def index(self) -> Index:
        """The index, in step with the files (a deferred open is finished first)."""
        if self._deferred is not None:
            self.finish_open()
        return self._index

    def finish_open(self) -> None:
        """The sync a deferred open left (``open(defer=True)``), if it has not run yet:
        the index read, and the files re-read that the check found changed.  Other
        threads asking for the index meanwhile wait for it."""
        with self._opening:
            if self._deferred is None or self._finishing == threading.get_ident():
                return  # done, or asked again by the sync itself (this thread)
            self._finishing = threading.get_ident()
            deferred = self._deferred
            try:
                self.sync(check=deferred if isinstance(deferred, ListingCheck) else None)
                self._deferred = None
            except BaseException:
                self._deferred = True  # its check is used up: a plain sync the next time
                raise
            finally:
                self._finishing = 0

    @property
    def opened(self) -> bool:
        """Whether the index has been read (False only while an open is deferred)."""
        return self._deferred is None

    # A view's format or the facts behind it changed: views kept before are not used.
    # (2: the settings are in the key as their text, not a hash: no hashlib at start.)
    VIEW_SCHEMA = 2

    def _view_key(self, index: bytes) -> dict[str, Any]:
        return {"schema": self.VIEW_SCHEMA, "index": index.decode("ascii", "replace"),
                "today": self.today.isoformat(), "settings": self._settings_text}

    def remembered_view(self, name: str) -> Any | None:
        """The view ``remember_view`` kept under ``name``, while an open is deferred
        and the journal is exactly as it was then: the same index file, every file as
        the listing written with it says (the check's answer, waited for), the same
        day and settings.  Else None: compute it (the index is read for that)."""
        check = self._deferred
        if not isinstance(check, ListingCheck):
            return None
        view = views.read(self.root / STATE, name, self._view_key(listing.index_stamp(check.index)))
        return view if view is not None and check.done() else None

    def remember_view(self, name: str, view: Any) -> bool:
        """Keep ``view`` (JSON-able, computed from the journal as it is in memory now)
        for ``remembered_view`` at a later open; only when the index file holds what
        memory holds (nothing pending), since its stamp names the state.  Whether it
        was kept (a read-only journal keeps none)."""
        if self._deferred is not None or self._index.pending or self._views is None or self._unseen():
            return False  # (or the facts it was computed from are older than the records)
        stamp = self._index.storage.stamp()
        if stamp is None:
            return False
        try:
            views.write(self.root / STATE, name, self._view_key(listing.index_stamp(stamp)), view)
        except OSError:
            return False
        return True

    @classmethod
    def init(cls, root: Path | str, *, sample: bool = False, name: str | None = None,
             today: _dt.date | None = None) -> "Journal":
        """Create a journal (folders readable by the owner only); ``sample`` copies the demo."""
        root = Path(root).expanduser()
        if root.exists() and not root.is_dir():
            raise JournalError(f"{root} exists and is not a folder")
        if is_journal(root):
            raise JournalError(f"{root} is already a journal")
        if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")) and sample:
            raise JournalError(f"{root} is not empty; choose an empty folder for the sample journal")
        ensure_dir(root)
        if sample:
            copy_tree(sample_data_dir(), root)
        for folder in (CONTACTS, REFLECTIONS, STATE):
            ensure_dir(root / folder)
        template = root / TEMPLATES / "reflection.md"
        if not template.exists():
            ensure_dir(template.parent)
            atomic_write(template, DEFAULT_TEMPLATE.encode("utf-8"))
        if not (root / CONFIG).exists():
            title = name or f"{root.resolve().name} network"
            text = frontmatter.dump_meta({"name": title, "cadence": 30})
            text = "# netjournal settings. See the README for every key.\n" + text
            atomic_write(root / CONFIG, text.encode("utf-8"))
        return cls.open(root, today=today)

    def sync(self, *, full: bool = False, check: ListingCheck | None = None) -> SyncReport:
        """Re-read what changed on disk (everything with ``full``); ``check``: the
        listing's check begun earlier (a deferred open's)."""
        if self._deferred is not None and self._finishing != threading.get_ident():
            self.finish_open()  # a deferred open is this sync, with its check
            if not full and self.last_sync is not None:
                return self.last_sync
        self._read_settings()
        self._pending_texts = []
        report = self._index.sync(full=full, check=check)
        if report.rebuilt or self._pending_texts or report.removed:
            gone = [
                (path, "", None) for path in report.changed_paths
                if path not in self.index.records()
            ]
            try:
                self.fulltext.update(self._pending_texts + gone, replace_all=report.rebuilt)
            except OSError as exc:
                if exc.errno not in READ_ONLY_ERRORS and not isinstance(exc, FileNotFoundError):
                    raise
                # a read-only journal, or the cache deleted while it was being written:
                # search reads the files the cache lacks
        self._pending_texts = []
        report.unseen = self._unseen()
        if report.rebuilt or report.touched or report.unseen:
            self._rebuild_views()  # else what the views were built from is what is on disk
        self.last_sync = report
        return report

    def _unseen(self) -> list[str]:
        """Paths whose records differ from those the views were built from.  Another
        process's save re-indexes its file itself, so the sync that follows finds
        nothing to re-read, and only this comparison tells the app to refresh."""
        seen = self._seen
        if seen is None:
            return []
        records = self.index.records()
        changed = [path for path, record in records.items() if seen.get(path) != _seen_key(record)]
        changed += [path for path in seen if path not in records]
        return changed

    def _collect_text(self, path: str, sha256: str, text: str | None) -> None:
        if sha256:
            self._pending_texts.append((path, sha256, text))

    def _read_settings(self) -> None:
        self.settings, self.settings_problem, self._settings_text = {}, None, ""
        path = self.root / CONFIG
        if not path.exists():
            return
        try:
            self._settings_text = path.read_text(encoding="utf-8")
            self.settings = frontmatter.parse_meta(self._settings_text, 1)
        except frontmatter.FrontMatterError as exc:
            from netjournal.model import Problem

            self.settings_problem = Problem(CONFIG, exc.line, exc.reason)
        except (OSError, UnicodeDecodeError) as exc:
            from netjournal.model import Problem

            self.settings_problem = Problem(CONFIG, 1, f"cannot be read: {exc}")

    def _rebuild_views(self) -> None:
        """Contacts and reflections are built from the index on first use: a
        search or a single command needs none of them."""
        self._views = None
        self._facts = None

    @property
    def _contacts(self) -> dict[str, Contact]:
        if self._views is None:
            self._views = self._build_views()
        return self._views[0]

    @property
    def _reflections(self) -> dict[str, Reflection]:
        if self._views is None:
            self._views = self._build_views()
        return self._views[1]

    def _build_views(self) -> tuple[dict[str, Contact], dict[str, Reflection]]:
        from netjournal.model import Contact, Reflection

        contacts: dict[str, Contact] = {}
        reflections: dict[str, Reflection] = {}
        records = self.index.records()
        self._seen = {path: _seen_key(record) for path, record in records.items()}
        for path, record in records.items():
            if not record.get("ok"):
                continue
            if record["kind"] == "contact":
                contact = Contact.from_record(path, record["data"])
                contacts[contact.slug] = contact
            elif record["kind"] == "reflection":
                reflections[path] = Reflection.from_record(path, record["data"])
        return contacts, reflections

    def flush(self) -> None:
        """Write pending index changes (write-behind) to disk."""
        self._index.flush()

    @property
    def write_lock(self) -> Any:
        """The lock every write of this journal holds (re-entrant within a thread; other
        threads and processes wait): held by whatever else writes the journal's files
        (a sync bringing in another machine's versions), so that no save interleaves."""
        return self._index.lock

    def _wrote(self, rel: str) -> None:
        for listener in list(self.write_listeners):
            listener(rel)

    @property
    def index_pending(self) -> bool:
        return self._index.pending

    def close(self) -> None:
        with self._opening:  # a deferred open another thread is finishing ends first
            if isinstance(self._deferred, ListingCheck):  # never used: its process is waited for
                self._deferred.close()
            self._deferred = None
        self._index.close()

    # ------------------------------------------------------------------ settings

    @property
    def today(self) -> _dt.date:
        return self._today or _today()

    @property
    def name(self) -> str:
        name = self.settings.get("name")
        return str(name) if name else self.root.name

    @property
    def default_cadence(self) -> int | None:
        value = self.settings.get("cadence")
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    @property
    def me(self) -> dict[str, Any]:
        card = self.settings.get("me")
        return card if isinstance(card, dict) else {}

    # ------------------------------------------------------------------ reading

    def facts(self) -> dict[str, insights.ContactFacts]:
        """Derived facts for every contact (computed once per change, of the files, the
        day or the default cadence)."""
        from netjournal import insights

        wanted = (self.today, self.default_cadence)
        if self._facts is None or self._facts_for != wanted:
            self._facts = insights.compute_facts(
                self._contacts.values(), self._reflections.values(), *wanted
            )
            self._facts_for = wanted
        return self._facts

    def contact_facts(self, slug: str) -> insights.ContactFacts:
        try:
            return self.facts()[slug]
        except KeyError:
            raise NotFound(f"no contact '{slug}'") from None

    def contacts(self, *, tag: str | None = None, due: bool = False,
                 include_archived: bool = False, pool: bool | None = None) -> list[Contact]:
        """Contacts sorted by name; archived ones only when asked for.

        ``pool``: True, only those imported and not yet chosen; False, only the
        chosen ones (the network); None, both."""
        from netjournal import insights

        facts = self.facts()
        rows = [
            c for c in self._contacts.values()
            if (include_archived or not c.archived)
            and (tag is None or tag.lower() in (t.lower() for t in c.tags))
            and (not due or facts[c.slug].status in (insights.OVERDUE, insights.DUE))
            and (pool is None or facts[c.slug].pool == pool)
        ]
        return sorted(rows, key=lambda c: (c.name.lower(), c.slug))

    def contact(self, slug: str) -> Contact:
        """A contact with its notes (the body) read from its file."""
        return self.load_contact(slug).contact  # type: ignore[return-value]

    def has_contact(self, slug: str) -> bool:
        return slug in self._contacts

    def reflections(self, *, contact: str | None = None, kind: str | None = None,
                    since: str | None = None, until: str | None = None,
                    tag: str | None = None) -> list[Reflection]:
        """Reflections newest first, filtered."""
        if kind is not None and kind not in KINDS:
            raise JournalError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
        rows = [
            r for r in self._reflections.values()
            if reflection_wanted(r.links, r.kind, r.date, r.tags, contact=contact, kind_filter=kind,
                                 since=since, until=until, tag=tag)
        ]
        return sorted(rows, key=lambda r: newest_first(r.date, r.path), reverse=True)

    def reflection(self, ref: str) -> Reflection:
        """A reflection (with body) by its path or its id (file stem)."""
        return self.load_reflection(ref).reflection  # type: ignore[return-value]

    def resolve_reflection(self, ref: str) -> str:
        """The relative path of a reflection given its path or id."""
        ref = ref.strip().removeprefix("./")
        if ref in self._reflections:
            return ref
        stem = ref[:-3] if ref.endswith(".md") else ref
        matches = [p for p, r in self._reflections.items() if r.id == stem.rsplit("/", 1)[-1]]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise JournalError(f"'{ref}' names {len(matches)} reflections; give the path")
        raise NotFound(f"no reflection '{ref}'")

    def timeline(self, slug: str) -> list[Reflection]:
        """Reflections linked to a contact, newest first."""
        return [self._reflections[p] for p in self.contact_facts(slug).reflections if p in self._reflections]

    def problems(self) -> list[Problem]:
        """Every file the app could not fully read, and the settings file if broken."""
        from netjournal.model import Problem

        found = [self.settings_problem] if self.settings_problem else []
        for record in self.index.records().values():
            found.extend(Problem.from_record(p) for p in record.get("problems", []))
        known = set(self._contacts)
        for path, reflection in sorted(self._reflections.items()):
            for slug in reflection.contacts:
                if slug not in known:
                    found.append(Problem(path, 1, f"links to contact '{slug}', which does not exist", "warning"))
        return sorted(found, key=lambda p: (p.path, p.line))

    def conflict_copies(self) -> list[Problem]:
        """Conflict copies waiting beside their originals (kept when a file was changed in
        two places: by a sync, 'keep mine', Syncthing or Dropbox), as their problems.
        (The index's own problem records: a copy is never read as an entry, so none of
        the problems ``problems`` finds in the entries is one.)"""
        from netjournal.model import Problem

        found = [problem for record in self.index.records().values()
                 for problem in map(Problem.from_record, record.get("problems", []))
                 if conflict_copy_of(problem.path) is not None]
        return sorted(found, key=lambda p: (p.path, p.line))

    def due(self) -> list[insights.ContactFacts]:
        from netjournal import insights

        return insights.due_now(self.facts().values())

    def not_connected(self) -> list[insights.ContactFacts]:
        from netjournal import insights

        return insights.not_connected(self.facts().values())

    def early_asks(self) -> list[insights.EarlyAsk]:
        from netjournal import insights

        return insights.early_asks(self.facts(), self._reflections)

    def review(self, day: _dt.date | None = None) -> insights.WeeklyReview:
        from netjournal import insights

        review = insights.weekly_review(self.facts(), self._reflections.values(), day or self.today)
        review.coming_up = insights.review_coming_up(self.facts().values(), review, self.today)
        return review

    def coming_up(self, days: int | None = None) -> list[insights.Upcoming]:
        """Birthdays and dates to remember today and in the next ``days`` days
        (``insights.COMING_UP_DAYS`` by default)."""
        from netjournal import insights

        return insights.coming_up(self.facts().values(), self.today,
                                  insights.COMING_UP_DAYS if days is None else days)

    def upcoming_dates(self, slug: str, days: int | None = None) -> list[insights.Upcoming]:
        """One contact's birthday and dates coming up (archived and pool contacts too),
        in the next ``days`` days (``insights.COMING_UP_DAYS`` by default)."""
        from netjournal import insights

        return insights.upcoming_dates(self.contact_facts(slug).contact, self.today,
                                       insights.COMING_UP_DAYS if days is None else days)

    def gives_per_week(self, weeks: int = 12) -> list[int]:
        from netjournal import insights

        return insights.gives_per_week(self._reflections.values(), self.today, weeks)

    def follow_ups(self) -> list[insights.FollowUp]:
        """Every follow-up (intros included): open ones oldest first, then done ones."""
        from netjournal import insights

        return insights.follow_ups(self.facts(), self._reflections, self.today)

    def follow_ups_due(self, days: int = 7) -> list[insights.FollowUp]:
        """Open follow-ups that are overdue, due today or due in the next ``days``."""
        from netjournal import insights

        return insights.follow_ups_due(self.follow_ups(), self.today, days)

    def needs_care(self) -> list[insights.ContactFacts]:
        """Relationships once healthy and now below ``insights.NEEDS_CARE``, lowest first."""
        from netjournal import insights

        return insights.needs_care(self.facts().values())

    # ------------------------------------------------------------------ search

    def search(self, query: str, *, limit: int = 20, snippets: bool = True) -> list[SearchHit]:
        """Case-insensitive search over titles, names and bodies; every word must match.

        Titles and names count more than bodies; newer entries come first on ties.
        ``snippets=False``: the hits without their snippets (""), for a list that
        shows none -- a common word in 10,000 entries made 10,000 snippets.
        """
        words = query_words(query)
        if not words:
            return []
        with no_gc():
            cached_shas, found = self.fulltext.search(words)
        records = self.index.records()
        candidates = [self._candidate(record, m.path, m.score, m) for m in found
                      if (record := records.get(m.path)) is not None and record.get("ok")
                      and record["sha256"] == m.sha]
        # what the cache lacks, or has from another version of the file: read it
        from netjournal.store.entries import load

        repairs: list[tuple[str, str, str | None]] = []
        for path, record in records.items():
            if record.get("ok") and cached_shas.get(path) != record["sha256"]:
                loaded = load(self.root, path)
                if not loaded.ok or loaded.stamp is None:
                    continue
                text = loaded.search_text
                repairs.append((path, loaded.stamp.sha256, text))
                lower = text.lower()
                if all(w in lower for w in words):
                    candidates.append(self._candidate(record, path, score(lower, words), text))
        if repairs:
            try:
                self.fulltext.update(repairs)
            except OSError:
                pass  # a cache: next time, then
        return top(candidates, words, limit, snippets=snippets)

    @staticmethod
    def _candidate(record: dict[str, Any], path: str, points: int, text: str | Match) -> Candidate:
        data = record["data"]
        if record["kind"] == "contact":
            return candidate(points, path, data["name"], None, text)
        return candidate(points, path, data["title"], data["date"], text)

    # ------------------------------------------------------------------ loading for edit

    def load_entry(self, rel: str) -> LoadedEntry:
        """Read one file for viewing or editing, with the stamp a later save checks."""
        rel = _normal_rel(rel)
        try:
            inside(self.root, Path(rel))
        except UnsafePathError as exc:
            raise JournalError(str(exc)) from None
        if not (self.root / rel).is_file():
            raise NotFound(f"{rel} does not exist")
        from netjournal.store.entries import load

        entry = load(self.root, rel, with_body=True)
        if not entry.ok:
            raise JournalError(f"{_problem_of(entry)}: fix the file, then try again")
        return entry

    def modified(self, rel: str) -> _dt.datetime | None:
        """When the entry's file last changed, as the index saw it (UTC, to the
        second); None for a file the index does not hold."""
        record = self.index.records().get(rel)
        if not record or not record.get("mtime_ns"):
            return None
        return _dt.datetime.fromtimestamp(record["mtime_ns"] // 1_000_000_000, _dt.timezone.utc)

    def changed_on_disk(self, entry: LoadedEntry) -> bool:
        """True when the entry's file is no longer the version ``entry`` was read from."""
        return entry.stamp is not None and not entry.stamp.matches(self.root / entry.path)

    def load_contact(self, slug: str) -> LoadedEntry:
        if slug not in self._contacts:
            raise NotFound(f"no contact '{slug}'")
        return self.load_entry(self._contacts[slug].path)

    def load_reflection(self, ref: str) -> LoadedEntry:
        return self.load_entry(self.resolve_reflection(ref))

    # ------------------------------------------------------------------ the edit protocol

    def edit(self, rel: str, *, expect: str | None = None) -> Edit:
        """Open a file for editing (``netjournal/edits.py``): what it is now, and the
        stamp a save checks.  ``expect``: the token of the version the caller really
        started from (a draft's); if the file is no longer that version, saving is a
        conflict."""
        from netjournal.edits import Edit

        entry = self.load_entry(rel)
        return Edit(self, entry, base_known=expect is None or expect == entry.stamp.sha256)  # type: ignore[union-attr]

    def edit_contact(self, slug: str) -> Edit:
        from netjournal.edits import Edit

        return Edit(self, self.load_contact(slug))

    def edit_reflection(self, ref: str) -> Edit:
        from netjournal.edits import Edit

        return Edit(self, self.load_reflection(ref))

    # ------------------------------------------------------------------ writing

    @_locked
    def _write_entry(self, entry: LoadedEntry, meta: dict[str, Any], body: str | None = None, *,
                     text: str | None = None) -> LoadedEntry:
        """Write ``meta`` (and ``body``) to the entry's file, atomically; only for
        ``Edit.save``.  Raises ConflictError, writing nothing, when the file is no longer
        the version ``entry`` was read from: checked before rendering and again at the
        instant the file is replaced (``files.atomic_write(expect=...)``), so that
        another program's save landing meanwhile is a conflict, not lost.  Raises
        JournalError, writing nothing, when the result could not be read back (a value
        too long for front matter).  Keys the app does not know and the body's bytes
        are kept; only the lines of changed values are re-written.

        A contact or reflection whose file is a symlink to a file elsewhere in the
        journal is written through: the link's target is replaced, atomically, in its
        own folder, and the link stays a link.  ``text``: the whole file as it is to
        be, verbatim (``Edit.save_text``)."""
        assert entry.doc is not None and entry.stamp is not None
        _check_body(body)
        try:
            path = inside(self.root, Path(entry.path))  # a symlink's target, which must be in the journal
        except UnsafePathError as exc:
            raise JournalError(f"{exc}; nothing was written") from None
        if not entry.stamp.matches(path):
            raise ConflictError(Path(entry.path))
        if text is None:
            from netjournal.model import dateify

            doc = entry.doc
            if body is not None:
                doc = doc.with_body(body)
            text = frontmatter.dump(doc, dateify(meta), old_meta=doc.meta if doc.has_front_matter else None)
        _check_readable(entry.path, text, meta)
        try:
            atomic_write(path, text.encode("utf-8"), expect=entry.stamp)
        except ConflictError:
            raise ConflictError(Path(entry.path)) from None
        self._wrote(entry.path)
        return self._after_write(entry.path)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in a row (an import): each file is still written at once, whole,
        and its index record updated in memory, but the full-text cache is written
        once, at the end, one write per shard instead of one per file.  (A cache: if
        the process dies first, the next search reads those files again.)"""
        if self._batch_texts is not None:
            yield
            return
        self._batch_texts = []
        try:
            yield
        finally:
            texts, self._batch_texts = self._batch_texts, None
            if texts:
                try:
                    self.fulltext.update(texts)
                except OSError as exc:
                    if exc.errno not in READ_ONLY_ERRORS:
                        raise

    def _after_write(self, rel: str, *, trusted: bool = False) -> LoadedEntry:
        """Refresh the index, the views and the search text for a file just written
        (``trusted``: its folder was checked to be inside the journal)."""
        from netjournal.store.entries import load

        fresh = load(self.root, rel, with_body=True, trusted=trusted)
        self._rebuild_one(rel, fresh)
        try:
            self.index.refresh(rel, fresh)
            text = (rel, fresh.stamp.sha256, fresh.search_text if fresh.ok else None) if fresh.stamp else None
            if text is not None and self._batch_texts is not None:
                self._batch_texts.append(text)
            elif text is not None:
                self.fulltext.update([text])
        except OSError as exc:
            # The file is saved (the truth); only the cache beside it is behind, and
            # the next open re-reads the file.  Say so, so nobody saves it twice.
            self.index.storage.discard()
            raise IndexNotUpdated(
                f"{rel} was saved, but the index could not be updated "
                f"({exc.strerror or exc}); it catches up from the files next time", fresh
            ) from None
        return fresh

    def _rebuild_one(self, rel: str, fresh: LoadedEntry | None) -> None:
        from netjournal.model import Contact, Reflection

        if self._seen is not None:  # this journal's own write: nothing for the caller to learn
            if fresh is None:
                self._seen.pop(rel, None)
            else:
                self._seen[rel] = _seen_key(fresh.record())
        if rel.startswith(f"{CONTACTS}/") and rel.endswith(".md"):
            slug = rel[len(CONTACTS) + 1 : -3]  # a contact's slug is its file's stem
            if slug in self._contacts and self._contacts[slug].path == rel:
                del self._contacts[slug]
        self._reflections.pop(rel, None)
        if fresh is not None and fresh.contact is not None:
            record = fresh.contact.to_record()
            self._contacts[fresh.contact.slug] = Contact.from_record(rel, record)
        elif fresh is not None and fresh.reflection is not None:
            self._reflections[rel] = Reflection.from_record(rel, fresh.reflection.to_record())
        self._facts = None

    def _create(self, folder: Path, stem: str, meta: dict[str, Any], body: str) -> LoadedEntry:
        from netjournal.model import dateify

        _check_body(body)
        doc = frontmatter.Document({}, body, None)
        text = frontmatter.dump(doc, dateify(meta))
        _check_readable(f"{folder.relative_to(self.root).as_posix()}/{stem}.md", text, meta)
        try:
            # before creating any folder: a symlinked contacts/ or reflections/ (or
            # year folder) must not lead a write outside the journal
            inside(self.root, folder.relative_to(self.root))
        except UnsafePathError as exc:
            raise JournalError(f"{exc}; nothing was written") from None
        ensure_dir(folder)
        with self.index.lock:
            path = unique_path(folder, stem)
            # whole or not at all, and never replacing a file that appeared meanwhile
            atomic_create(path, text.encode("utf-8"))
            rel = path.relative_to(self.root).as_posix()
            self._wrote(rel)
            return self._after_write(rel)

    def create_many(self, entries: list[tuple[str, dict[str, Any], str]]) -> list[LoadedEntry | JournalError]:
        """Create many contacts (``("contact", meta, body)``) and reflections
        (``("reflection", meta, body)``) at once: each file whole or absent and never
        over another, as ``create_contact``/``create_reflection`` make them, but with one
        sync of the disk for all of them (an import of thousands).  Returns, for each,
        the entry as written or the error that kept it out."""
        from netjournal.model import dateify

        prepared: list[tuple[Path, str, bytes] | JournalError] = []
        checked: set[Path] = set()  # folders found to be inside the journal
        for what, meta, body in entries:
            try:
                _check_body(body)
                if what == "contact":
                    name = str(meta.get("name") or "").strip()
                    if not name:
                        raise JournalError("a contact needs a name")
                    meta = dict(meta, name=name)
                    folder = self.root / CONTACTS
                    stem = slugify(name, "contact", alternative=str(meta.get("email") or "").partition("@")[0])
                else:
                    title, day = str(meta.get("title") or "").strip(), meta.get("date")
                    if not title or not isinstance(day, _dt.date):
                        raise JournalError("a reflection needs a title and a date")
                    meta = dict(meta, title=title)
                    folder = self.root / REFLECTIONS / f"{day.year:04d}"
                    stem = f"{day.isoformat()}-{slugify(title, 'entry', 50)}"
                if folder not in checked:
                    try:
                        inside(self.root, folder.relative_to(self.root))
                    except UnsafePathError as exc:
                        raise JournalError(f"{exc}; nothing was written") from None
                    ensure_dir(folder)
                    checked.add(folder)
                text = _new_file_text(dateify(meta), body)
                _check_readable(f"{folder.relative_to(self.root).as_posix()}/{stem}.md", text, meta)
                prepared.append((folder, stem, text.encode("utf-8")))
            except JournalError as exc:
                prepared.append(exc)
        results: list[LoadedEntry | JournalError] = []
        with self.index.lock:
            created = iter(create_many([p for p in prepared if not isinstance(p, JournalError)],
                                       self.root / STATE))
            for item in prepared:
                if isinstance(item, JournalError):
                    results.append(item)
                    continue
                path = next(created)
                if isinstance(path, OSError):
                    raise path  # the disk (full, read-only): the import stops here
                rel = path.relative_to(self.root).as_posix()
                self._wrote(rel)
                fresh = self._after_write(rel, trusted=True)
                if not fresh.ok:
                    results.append(JournalError(f"{_problem_of(fresh)} (the file was written and is kept)"))
                else:
                    results.append(fresh)
        return results

    def add_contact(self, name: str, *, org: str = "", role: str = "", email: str = "",
                    why: str = "", offer: str = "", tags: Iterable[str] = (),
                    cadence: int | None = None, body: str = "") -> Contact:
        """Create ``contacts/<slug>.md``; the slug comes from the name, made unique."""
        name = name.strip()
        if not name:
            raise JournalError("a contact needs a name")
        if cadence is not None and cadence <= 0:
            raise JournalError("cadence must be a positive number of days")
        from netjournal.model import new_contact_steps

        meta: dict[str, Any] = {"name": name}
        for key, value in (("org", org), ("role", role), ("email", email)):
            if value:
                meta[key] = value
        meta["tags"] = _texts(tags, "tag")
        meta["why"] = why or None
        meta["offer"] = offer or None
        if cadence is not None:
            meta["cadence"] = cadence
        meta["steps"] = new_contact_steps(why, offer, self.today)
        meta["archived"] = False
        return self.create_contact(meta, body)

    def create_contact(self, meta: dict[str, Any], body: str = "") -> Contact:
        """Create ``contacts/<slug>.md`` holding exactly ``meta`` (keys in its order) and
        ``body``: the slug comes from the name (else the email's local part), made
        unique; the file is created whole or not at all, never over another."""
        name = str(meta.get("name") or "").strip()
        if not name:
            raise JournalError("a contact needs a name")
        email = str(meta.get("email") or "")
        stem = slugify(name, "contact", alternative=email.partition("@")[0])
        entry = self._create(self.root / CONTACTS, stem, dict(meta, name=name), body)
        if entry.contact is None:
            raise JournalError(f"{_problem_of(entry)} (the file was written and is kept)")
        return entry.contact

    @_locked
    def fill_contact(self, slug: str, values: dict[str, Any], *, body: str | None = None) -> tuple[Contact, list[str]]:
        """Give the contact the keys of ``values`` that its file leaves empty (absent,
        null, blank or an empty list), and ``body`` if its notes are blank; nothing
        the file already holds is changed.  Read under the journal lock, so an edit
        made since a plan was computed is respected.  Returns the contact and the
        keys written (``body`` among them); nothing is written when there are none."""
        edit = self.edit_contact(slug)
        meta = edit.meta
        changes = {key: value for key, value in values.items() if is_empty(meta.get(key)) and not is_empty(value)}
        new_body = body if body and body.strip() and not edit.body.strip() else None
        if not changes and new_body is None:
            assert edit.contact is not None
            return edit.contact, []
        contact = self.update_contact(slug, changes, edit=edit, body=new_body)
        return contact, list(changes) + (["body"] if new_body is not None else [])

    def create_reflection(self, meta: dict[str, Any], body: str = "") -> Reflection:
        """Create ``reflections/<YYYY>/<date>-<slug of the title>.md`` holding exactly
        ``meta`` (which must have a title and a date) and ``body``."""
        title = str(meta.get("title") or "").strip()
        day = meta.get("date")
        if not title or not isinstance(day, _dt.date):
            raise JournalError("a reflection needs a title and a date")
        folder = self.root / REFLECTIONS / f"{day.year:04d}"
        entry = self._create(folder, f"{day.isoformat()}-{slugify(title, 'entry', 50)}", dict(meta, title=title), body)
        if entry.reflection is None:
            raise JournalError(f"{_problem_of(entry)} (the file was written and is kept)")
        return entry.reflection

    @_locked
    def update_contact(self, slug: str, changes: dict[str, Any], *, edit: Edit | None = None,
                       body: str | None = None) -> Contact:
        """Set (or, with None, clear) front matter keys of a contact; ``edit``: the version
        the caller read (else the file as it is now).  Raises ``SaveConflict``.

        Writing down a why or an offer where there was none is itself the first or
        second step, so that step is marked done today if it was not already."""
        from netjournal.edits import REMOVE
        from netjournal.model import steps_after_writing

        edit = edit or self.edit_contact(slug)
        wanted = {key: REMOVE if value is None and key not in ("why", "offer") else value
                  for key, value in changes.items()}
        steps = steps_after_writing(edit.contact, edit.meta.get("steps"), changes, self.today)
        if steps is not None and "steps" not in changes:
            wanted["steps"] = steps
        fresh = edit.save(wanted, body=body)
        assert fresh.contact is not None
        return fresh.contact

    def _change_step(self, slug: str, step: str, edit: Edit | None,
                     change: Callable[[Any], dict[str, Any]]) -> Contact:
        """Open (or take) the contact and save ``steps`` as ``change(steps)`` makes it
        (the model's step rules: only that step's value changes)."""
        from netjournal.model import STEP_BY_KEY, StepRuleError

        if step not in STEP_BY_KEY:
            raise JournalError(f"unknown step '{step}'; use one of: {', '.join(STEP_KEYS)}")
        edit = edit or self.edit_contact(slug)
        try:
            steps = change(edit.meta.get("steps"))
        except StepRuleError as exc:
            raise JournalError(f"{edit.path}: {exc}; nothing was written") from None
        fresh = edit.save({"steps": steps})
        assert fresh.contact is not None
        return fresh.contact

    @_locked
    def set_step(self, slug: str, step: str, *, on: _dt.date | None = None, note: str | None = None,
                 edit: Edit | None = None) -> Contact:
        """Mark a step done (today by default), with an optional note."""
        from netjournal.model import mark_step

        day = on or self.today
        return self._change_step(slug, step, edit, lambda steps: mark_step(steps, step, day, note))

    @_locked
    def set_step_note(self, slug: str, step: str, note: str, *, edit: Edit | None = None) -> Contact:
        """Change a step's note, keeping its date (or lack of one)."""
        from netjournal.model import note_step

        return self._change_step(slug, step, edit, lambda steps: note_step(steps, step, note))

    @_locked
    def unset_step(self, slug: str, step: str, *, edit: Edit | None = None) -> Contact:
        """Mark a step not done. Its note, if any, is kept."""
        from netjournal.model import unmark_step

        return self._change_step(slug, step, edit, lambda steps: unmark_step(steps, step))

    def add_reflection(self, title: str, *, day: _dt.date | None = None, kind: str = "note",
                       contacts: Iterable[str] = (), follow_up: _dt.date | None = None,
                       tags: Iterable[str] = (), body: str = "") -> Reflection:
        """Create ``reflections/<YYYY>/<YYYY-MM-DD>-<slug>.md``."""
        title = title.strip()
        if not title:
            raise JournalError("a reflection needs a title")
        if kind not in KINDS:
            raise JournalError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
        slugs = list(dict.fromkeys(_texts(contacts, "contact")))
        for slug in slugs:
            if slug not in self._contacts:
                raise NotFound(f"no contact '{slug}' (see: netjournal contacts)")
        day = day or self.today
        meta: dict[str, Any] = {"title": title, "date": day, "contacts": slugs, "kind": kind}
        if follow_up:
            meta["follow_up"] = follow_up
        tag_list = _texts(tags, "tag")
        if tag_list:
            meta["tags"] = tag_list
        folder = self.root / REFLECTIONS / f"{day.year:04d}"
        entry = self._create(folder, f"{day.isoformat()}-{slugify(title, 'entry', 50)}", meta, body)
        assert entry.reflection is not None
        return entry.reflection

    @_locked
    def update_reflection(self, ref: str, changes: dict[str, Any], *, body: str | None = None,
                          edit: Edit | None = None) -> Reflection:
        """Set (or, with None, remove) front matter keys of a reflection, and its body
        (None: kept); ``edit``: the version the caller read.  Raises ``SaveConflict``."""
        from netjournal.edits import REMOVE

        edit = edit or self.edit_reflection(ref)
        fresh = edit.save({key: REMOVE if value is None else value for key, value in changes.items()}, body=body)
        assert fresh.reflection is not None
        return fresh.reflection

    def delete(self, rel: str) -> Path:
        """Move a file to ``.netjournal/trash/`` (restorable); never unlink."""
        rel = _normal_rel(rel)
        try:
            path = inside(self.root, Path(rel))
        except UnsafePathError as exc:
            raise JournalError(str(exc)) from None
        if not path.is_file() or kind_of(rel) is None:
            raise NotFound(f"{rel} is not a contact or reflection file")
        with self.index.lock:
            target = move_to_trash(self.root, path, self.root / STATE / TRASH)
            self._wrote(rel)
            self.index.refresh(rel, None)
            self.fulltext.update([(rel, "", None)])
            self._rebuild_one(rel, None)
        return target

    def delete_contact(self, slug: str) -> Path:
        if slug not in self._contacts:
            raise NotFound(f"no contact '{slug}'")
        return self.delete(self._contacts[slug].path)

    def trash(self) -> list[Path]:
        """Trashed files, newest first."""
        folder = self.root / STATE / TRASH
        if not folder.is_dir():
            return []
        return sorted((p for p in folder.rglob("*.md") if p.is_file()), reverse=True)

    def restore(self, trashed: Path) -> str:
        """Put a trashed file back; returns its path in the journal.  Refused, with
        nothing written, when the way back leads outside the journal (a year or
        entry folder replaced by a symlink since)."""
        trash = self.root / STATE / TRASH
        try:
            trashed.resolve().relative_to(trash.resolve())
        except ValueError:
            raise JournalError(f"{trashed} is not in the trash") from None
        if not trashed.is_file():
            raise NotFound(f"{trashed} is not a file in the trash")
        with self.index.lock:
            try:
                original = restore_from_trash(self.root, trashed, trash)
            except FileExistsError as exc:
                raise JournalError(str(exc)) from None
            except UnsafePathError as exc:
                raise JournalError(f"cannot restore {trashed.name}: {exc}; nothing was written") from None
            rel = original.relative_to(self.root).as_posix()
            self._wrote(rel)
            self._after_write(rel)
        return rel

    def reread(self, rel: str) -> LoadedEntry:
        """Take one file as it is on disk now (e.g. 'reload theirs' after a conflict):
        its index record and search text are refreshed, and the fresh entry returned."""
        try:
            inside(self.root, Path(rel))
        except UnsafePathError as exc:
            raise JournalError(str(exc)) from None
        if not (self.root / rel).is_file():
            with self.index.lock:
                self.index.refresh(rel, None)
                self.fulltext.update([(rel, "", None)])
                self._rebuild_one(rel, None)
            raise NotFound(f"{rel} is no longer there")
        return self._after_write(rel)

    def _write_conflict_copy(self, entry: LoadedEntry, meta: dict[str, Any], body: str | None) -> str:
        """Write 'mine' beside the file as ``<stem>.conflict-<host>-<time>.md`` (this
        machine's name: the copy holds its version); returns its path
        (``SaveConflict.keep_mine``).  It is created, never written over another file."""
        from netjournal.model import dateify

        assert entry.doc is not None
        doc = entry.doc
        if body is not None:
            doc = doc.with_body(body)
        text = frontmatter.dump(doc, dateify(meta), old_meta=doc.meta if doc.has_front_matter else None)
        _check_readable(entry.path, text, meta)
        original = self.root / entry.path
        when = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        with self.index.lock:
            target = unique_path(original.parent, conflict_copy_name(original.stem, when, host_name()))
            atomic_create(target, text.encode("utf-8"))
        rel = target.relative_to(self.root).as_posix()
        self._wrote(rel)
        self._after_write(rel)
        return rel

    def template(self, name: str = "reflection") -> str:
        """The body a new entry starts from: ``templates/<name>.md`` in the journal,
        its ``{{me.…}}`` placeholders filled from the "me" card."""
        from netjournal import me

        path = self.root / TEMPLATES / f"{slugify(name)}.md"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = DEFAULT_TEMPLATE
        return me.fill_template(text, self.me_card())

    def file_path(self, rel: str) -> Path:
        """The absolute path of an entry (for $EDITOR and messages)."""
        try:
            return inside(self.root, Path(rel))
        except UnsafePathError as exc:
            raise JournalError(str(exc)) from None

    # ------------------------------------------------------------------ the editor's helpers

    def contact_names(self, *, include_archived: bool = True) -> dict[str, str]:
        """Every contact's name by slug, sorted by name (for completion)."""
        return {c.slug: c.name for c in self.contacts(include_archived=include_archived)}

    def ask_warning(self, slugs: Iterable[str]) -> str | None:
        """The article's warning when an ask is recorded for someone not yet ask-ready;
        None when every linked contact is ready (or none is linked)."""
        from netjournal import insights

        contacts = [self._contacts[s] for s in slugs if s in self._contacts]
        return insights.early_ask_warning(contacts)

    # ------------------------------------------------------------------ the method: capture, follow-ups, "me"

    def parse_capture(self, line: str, *, kind: str | None = None) -> capture.Capture:
        """What a one-line capture says (``netjournal/capture.py``); raises
        ``capture.CaptureError`` (an unknown or ambiguous mention, a bad date)."""
        from netjournal import capture

        return capture.parse(line, today=self.today, contacts=self.contact_names(), kind=kind,
                             about=self._about_contact)

    def mention_labels(self, slugs: Iterable[str]) -> dict[str, str]:
        """How contacts offered for an ``@mention`` are shown: each one's name, with
        its org (else role, else email) where two of them share a name."""
        from netjournal import capture

        names = self.contact_names()
        return capture.candidate_labels([s for s in slugs if s in names], names, self._about_contact)

    def _about_contact(self, slug: str) -> tuple[str, str, str]:
        """What tells a contact from another of the same name: org, role, email."""
        contact = self._contacts[slug]
        return contact.org, contact.role, contact.email or next(iter(contact.emails), "")

    def add_capture(self, captured: capture.Capture) -> Reflection:
        """Write a parsed capture as a reflection."""
        return self.add_reflection(captured.title, day=captured.day, kind=captured.kind,
                                   contacts=captured.contacts, follow_up=captured.follow_up,
                                   tags=captured.tags, body=captured.body)

    def tags(self) -> list[str]:
        """Every tag used on reflections and contacts, most used first (for completion)."""
        counts: dict[str, int] = {}
        for tag in (t for r in self._reflections.values() for t in r.tags):
            counts[tag] = counts.get(tag, 0) + 1
        for tag in (t for c in self._contacts.values() for t in c.tags):
            counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t.lower()))

    def set_follow_up_done(self, ref: str, *, on: _dt.date | None = None, edit: Edit | None = None) -> Reflection:
        """Mark a reflection's follow-up done (today by default): ``follow_up_done``
        in its front matter.  An intro can be marked too (it closes the question
        "how did the introduction go?"); any other reflection needs a follow-up.
        ``edit``: the version the caller read.  Raises ``SaveConflict``."""
        edit = edit or self.edit_reflection(ref)
        reflection = edit.reflection
        assert reflection is not None
        if not reflection.follow_up and reflection.kind != "intro":
            raise JournalError(f"{edit.path} has no follow-up (add one with follow_up: YYYY-MM-DD)")
        return self.update_reflection(edit.path, {"follow_up_done": on or self.today}, edit=edit)

    def reopen_follow_up(self, ref: str, *, edit: Edit | None = None) -> Reflection:
        """Take ``follow_up_done`` off a reflection: its follow-up is open again."""
        edit = edit or self.edit_reflection(ref)
        return self.update_reflection(edit.path, {"follow_up_done": None}, edit=edit)

    def me_card(self) -> MeCard:
        """The "me" card from ``netjournal.yaml``."""
        from netjournal import me

        return me.read_card(self.settings)

    def update_me(self, changes: dict[str, Any], *, seen: MeCard | None = None) -> MeCard:
        """Change fields of the "me" card in ``netjournal.yaml`` (a value of None, "" or
        [] removes the key).  Only the changed keys' lines are written; other keys,
        the card's unknown keys and comments stay.  ``seen``: the card as the caller
        showed it; a field changed on disk since then, and changed here too, stops
        the save (nothing is written) rather than overwrite the other edit."""
        from netjournal import me

        unknown = [key for key in changes if key not in dict(me.FIELDS)]
        if unknown:
            raise JournalError(f"unknown card key '{unknown[0]}'; use one of: {', '.join(dict(me.FIELDS))}")
        path = self.root / CONFIG
        with self.index.lock:
            try:
                raw = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raw = ""
            except UnicodeDecodeError:
                raise JournalError(f"{CONFIG} is not UTF-8 text; it was left as it is") from None
            try:
                old = frontmatter.parse_meta(raw, 1) if raw.strip() else {}
            except frontmatter.FrontMatterError as exc:
                raise JournalError(f"{CONFIG}:{exc.line}: {exc.reason}; fix it, then try again") from None
            card = old.get("me")
            if card is not None and not isinstance(card, dict):
                raise JournalError(f"'me:' in {CONFIG} is not a mapping of name, strengths, goals, offer, "
                                   "looking_for; fix it by hand, then try again")
            now = me.read_card(old)
            if seen is not None:
                for key in changes:
                    if now.value(key) != seen.value(key):
                        raise JournalError(f"the card's '{key}' was changed in {CONFIG} by another program; "
                                           "nothing was written: look at it again, then edit")
            card = dict(card or {})
            for key, value in changes.items():
                written = me.written_value(card.get(key), value if value is not None else [])
                if written is None:
                    card.pop(key, None)
                else:
                    card[key] = written
            new = dict(old)
            if card:
                new["me"] = card
            else:
                new.pop("me", None)
            # only the changed keys' lines, inside me: too; comments and other keys kept
            text = frontmatter.render_meta(new, raw, old) if raw.strip() else frontmatter.dump_meta(new)
            if text != raw:
                atomic_write(path, text.encode("utf-8"))
            self._read_settings()
        return self.me_card()

    # Unsaved editor state and $EDITOR's scratch files: netjournal/store/drafts.py.

    def save_draft(self, key: str, data: dict[str, Any]) -> Path:
        """Keep unsaved editor state in ``.netjournal/drafts/<key>.json`` (atomically)."""
        return self._drafts.save(key, data)

    def drafts(self) -> list[dict[str, Any]]:
        """Leftover drafts, newest first. Unreadable draft files are skipped (and kept)."""
        return self._drafts.all()

    def discard_draft(self, key: str) -> None:
        self._drafts.discard(key)

    def scratch_write(self, name: str, text: str) -> Path:
        """Write ``text`` to ``.netjournal/scratch/<name>.md`` for an external editor."""
        return self._drafts.scratch_write(name, text)

    def scratch_read(self, path: Path, *, remove: bool = True) -> str:
        """What the external editor left in a scratch file (then the file is removed)."""
        try:
            return self._drafts.scratch_read(path, remove=remove)
        except ScratchError as exc:
            raise JournalError(str(exc)) from None


DEFAULT_TEMPLATE = """## What did I give?

## What did I learn about them?

## How can I help them next?

## Do they know me better now?
"""


def _new_file_text(meta: dict[str, Any], body: str) -> str:
    """A new file's text, exactly as ``frontmatter.dump`` writes it (the front matter
    by libyaml's emitter where it writes the same: PyYAML's was most of the time an
    import spent on each file)."""
    return f"---\n{frontmatter.dump_new_meta(meta)}---\n{body}"


def is_empty(value: Any) -> bool:
    """A front matter value that holds nothing: absent, null, blank text, an empty
    list or mapping (what an import may fill)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _seen_key(record: dict[str, Any]) -> object:
    """What tells two versions of a file apart in the views: its content's hash (a file
    the scan refused has none: its size and mtime)."""
    return record["sha256"] or (record["mtime_ns"], record["size"])


def _normal_rel(rel: str) -> str:
    """``./contacts/x.md`` and ``reflections/../contacts/x.md`` name ``contacts/x.md``:
    one spelling per file, so the index never holds the same file twice."""
    return posixpath.normpath(rel) if rel else rel


def _check_body(body: str | None) -> None:
    """Refuse, before anything is written, text that would make the file unreadable."""
    if body is not None and "\x00" in body:
        raise JournalError("the text contains a NUL character, which a Markdown file cannot hold; remove it and save again")


def _check_readable(rel: str, text: str, meta: dict[str, Any]) -> None:
    """Refuse, before anything is written, a file the journal could not read back."""
    from netjournal.store.entries import unreadable

    reason = unreadable(text, meta)
    if reason:
        raise JournalError(f"{rel}: not saved: {reason}; nothing was written")


def _problem_of(entry: LoadedEntry) -> Problem:
    """Why an entry could not be read: its first problem, else "cannot be read"."""
    from netjournal.model import Problem

    return entry.problems[0] if entry.problems else Problem(entry.path, 1, "cannot be read")


def _texts(values: Iterable[Any], what: str) -> list[str]:
    """Tags or contact slugs as given: each must be text; blank ones are dropped."""
    kept = []
    for value in values:
        if not isinstance(value, str):
            raise JournalError(f"a {what} must be text, not {type(value).__name__}")
        if value.strip():
            kept.append(value.strip())
    return kept


def copy_tree(source: Path, target: Path) -> None:
    """Copy a journal's files (not its .netjournal state) with owner-only modes."""
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        dest = target / rel
        if path.is_dir():
            ensure_dir(dest)
        elif path.is_file():
            ensure_dir(dest.parent)
            shutil.copyfile(path, dest)
            os.chmod(dest, 0o600)
