"""NetJournalApp: the shell. Areas are Textual modes switched with number keys."""

from __future__ import annotations

import time
from functools import partial
from typing import ClassVar, Iterable

from textual import events, work
from textual.app import App, SystemCommand, UnknownModeError
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from netjournal.journal import Journal, JournalError
from netjournal.program import resume_collector
from netjournal.tui.commands import NetJournalCommands
from netjournal.tui.messages import ContactChosen, JournalChanged, ReflectionChosen
from netjournal.tui.screens.dashboard import DashboardScreen
from netjournal.tui.themes import DEFAULT_THEME, load_themes
from netjournal.tui.typeahead import TypeAhead, TypedEvent
from netjournal.text import clean

AREAS: dict[str, str] = {
    "dashboard": "Dashboard",
    "contacts": "Contacts",
    "reflections": "Reflections",
    "checklist": "Checklist",
}
# The footer shows the four area keys as one compact group ("1234 Areas").
AREA_KEYS = Binding.Group("Areas", compact=True)


# the other areas, and the key list (with Textual's DataTable): not needed for the first screen
LATER_MODULES = ("contacts", "reflections", "checklist", "help")


def _preload_areas() -> None:
    """Import the other areas' modules (and the key list's) once the first screen is
    up (in a thread), so that the first switch to one of them does not pause while
    keys arrive."""
    import importlib

    for module in LATER_MODULES:
        importlib.import_module(f"netjournal.tui.screens.{module}")


def _reparse_keeping_rules(stylesheet: Stylesheet) -> None:
    """``Stylesheet.reparse`` (Textual 8.2's, as written there) with the rules already
    parsed kept.  Textual parses every source again, in a new stylesheet with an empty
    cache, each time a screen's CSS is first loaded (``App._load_screen_css``): twice
    before the first screen (~15 ms) and again for every kind of screen opened later,
    each time more.  A source's rules depend only on its text and the variables, which
    a reparse keeps; a change of variables (a theme) empties the cache, as before."""
    fresh = Stylesheet(variables=stylesheet._variables)
    fresh._parse_cache = stylesheet._parse_cache
    for read_from, (css, is_defaults, tie_breaker, scope) in stylesheet.source.items():
        fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
    try:
        fresh.parse()
    except Exception:
        stylesheet._invalid_css.update(fresh._invalid_css)
        raise
    stylesheet._rules = fresh.rules
    stylesheet._rules_map = None
    stylesheet.source = fresh.source
    stylesheet._require_parse = False


def _set_variables_keeping_rules(stylesheet: Stylesheet, variables: dict[str, str]) -> None:
    """``Stylesheet.set_variables``, which empties the parse cache, only when the
    variables change: Textual sets them again, the same, when the first screen's own
    stylesheet is loaded (``App.refresh_css``), and every source was parsed a second
    time before the first paint (~5 ms)."""
    if variables != stylesheet._variables:
        Stylesheet.set_variables(stylesheet, variables)


def _area(module: str, name: str) -> Screen:
    """A new instance of the screen class ``name`` in ``netjournal.tui.screens.<module>``."""
    import importlib

    screen_class = getattr(importlib.import_module(f"netjournal.tui.screens.{module}"), name)
    return screen_class()


class NetJournalApp(App[None]):
    """A keyboard-driven journal for reciprocal networking."""

    CSS_PATH = "app.tcss"
    # Every screen carries one class for its width and one for its height, so that
    # each area's stylesheet says what yields on a small terminal (a side panel first).
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (80, "-medium"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (30, "-tall")]
    TITLE = "netjournal"
    COMMANDS = App.COMMANDS | {NetJournalCommands}
    # The other areas are imported when first shown: their modules (the editor, the
    # Markdown preview, ...) are a fifth of the time to the first screen.
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "contacts": lambda: _area("contacts", "ContactsScreen"),
        "reflections": lambda: _area("reflections", "ReflectionsScreen"),
        "checklist": lambda: _area("checklist", "ChecklistScreen"),
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "area('dashboard')", "Dashboard", id="area.dashboard", group=AREA_KEYS),
        Binding("2", "area('contacts')", "Contacts", id="area.contacts", group=AREA_KEYS),
        Binding("3", "area('reflections')", "Reflections", id="area.reflections", group=AREA_KEYS),
        Binding("4", "area('checklist')", "Checklist", id="area.checklist", group=AREA_KEYS),
        Binding("question_mark", "help", "Keys", id="app.help"),
        # not priority: in a text box ":" and "m" are text. Left out of the footer (it
        # is full at 100 columns): the dashboard's hint and ? name them.
        Binding("colon", "capture", "Capture a line", show=False, id="app.capture"),
        Binding("m", "me_card", "Your card", show=False, id="app.me"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, journal: Journal, *, theme_name: str | None = None, start: str = "dashboard",
                 remember_theme: bool = True) -> None:
        if start not in self.MODES:
            raise UnknownModeError(f"No known mode {start!r}")
        # The first area is the app's first mode, made as the app composes: no switch
        # to it, and so no stylesheet parsed again for it (three parses, ~15 ms).
        self.DEFAULT_MODE = start  # type: ignore[misc]
        super().__init__()
        self.stylesheet._parse_cache = LRUCache(256)  # every source of every screen, parsed once
        self.stylesheet.reparse = partial(_reparse_keeping_rules, self.stylesheet)  # type: ignore[method-assign]
        self.stylesheet.set_variables = partial(_set_variables_keeping_rules, self.stylesheet)  # type: ignore[method-assign]
        self.journal = journal
        self.start_area = start
        self.requested_theme = theme_name
        self.remember_theme = remember_theme
        self.title = f"netjournal · {clean(journal.name)}"
        self.typeahead = TypeAhead(self, self._route_typed)
        from netjournal.tui.git_sync import AppSync

        self.git_sync = AppSync(self)  # the header's sync state, "Sync now", autocommit
        self._theme_notices = self._set_start_theme()

    async def on_event(self, event: events.Event) -> None:
        # Keys (and pastes) typed ahead wait until the key before them has had its
        # effect and the screen it opened is ready (netjournal/tui/typeahead.py).
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if not self.typeahead.wants(event):
                await self._route_typed(event)
            return
        await super().on_event(event)

    async def _route_typed(self, event: TypedEvent) -> None:
        await super().on_event(event)
        self.typeahead.routed()

    def _set_start_theme(self) -> list[tuple[str, str]]:
        """The theme to start with, set before any stylesheet is parsed (one set later
        means every style parsed and applied again); the notices to show once mounted."""
        notices = []
        loaded = load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        for error in loaded.errors:
            notices.append((clean(error), "A theme file could not be read"))
        wanted = self.requested_theme or self._configured_theme() or DEFAULT_THEME
        if wanted not in self.available_themes:
            notices.append((f"No theme named {clean(wanted)}; using {DEFAULT_THEME}.", ""))
            wanted = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        # Set as Textual has it for a theme chosen before the app runs (``set_reactive``,
        # no watcher): ``self.theme = ...`` would mark the stylesheet stale and have it
        # parsed and applied twice more as the app starts (~30 ms before the first
        # screen).  What the watcher does besides (Textual 8.2's ``App._watch_theme``),
        # done here: the variables the stylesheet is parsed with, the theme's classes,
        # the ANSI colours' mapping.
        self.set_reactive(App.theme, wanted)
        theme = self.current_theme
        classes = {name: False for name in self.classes if name.startswith("-theme-")}
        classes.update({f"-theme-{theme.name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark})
        self.update_classes(classes, update=False)
        self.stylesheet.set_variables(self.get_css_variables())
        self._refresh_truecolor_filter(self.ansi_theme)
        self._applying_theme = False  # from now on a new theme is the user's choice (watch_theme)
        return notices

    def on_mount(self) -> None:
        self.typeahead.start()
        for message, title in self._theme_notices:
            if title:
                self.notify(message, title=title, severity="warning", markup=False, timeout=8)
            else:
                self.notify(message, severity="warning", markup=False)
        # --theme NAME is remembered; the theme read from the config is not rewritten.
        if self.requested_theme and self.theme == self.requested_theme != self._configured_theme():
            self._remember_theme(self.theme)
        self.offer_drafts()
        self.git_sync.refresh()
        # saves write the file at once and the index in memory (write-behind);
        # the index goes to disk off the UI thread shortly after, and on exit
        self.set_interval(2.0, self.flush_index)
        # files written by another program ($EDITOR, a sync tool, another netjournal)
        # appear without a restart: a stat of every file, off the UI thread
        self.set_interval(self.FILE_CHECK_SECONDS, self.check_files)

    PRELOAD_AFTER = 0.3  # seconds after the first screen is painted

    def on_ready(self) -> None:
        """The first screen is laid out and painted: now the problems pass; and a moment
        later, once its last frames are out, in a thread: the journal's open finished
        if it was deferred (``Journal.open(defer=True)``: the first screen may have been
        the view kept from the last run), and the other areas' modules imported (the
        thread holds the interpreter while it imports: ~150 ms)."""
        deferred = not self.journal.opened
        if not deferred:
            self.report_problems()
        self.set_timer(self.PRELOAD_AFTER,
                       lambda: self.run_worker(lambda: self._after_start(deferred), thread=True, group="preload"))

    def _after_start(self, deferred: bool) -> None:
        # deferred: the first screen came before the index.  A look at the files (on
        # focus) may have finished the open since; what follows it is still to do.
        try:
            if deferred:
                try:
                    self.journal.finish_open()
                    self.journal.facts()  # what every area shows: computed here, off the UI thread
                except (OSError, JournalError) as exc:  # a worker's exception would end the app
                    self.call_from_thread(self.report_error, exc)
                else:
                    self.call_from_thread(self._journal_opened)
            _preload_areas()
        finally:
            resume_collector()  # paused by netjournal while the app started

    def _journal_opened(self) -> None:
        """The deferred open is finished: every screen shows the journal as read now
        (the dashboard changes nothing when its kept view was this), then the problems
        pass, and the first screen is kept for the next start."""
        self.journal_changed()
        self.report_problems()
        self.remember_first_screen()

    def remember_first_screen(self) -> None:
        """Keep the dashboard's view, when it is the first screen, for the next start
        (``Journal.remember_view``; the journal keeps it only if nothing is pending)."""
        if self.start_area != "dashboard" or not self.journal.opened:
            return
        from netjournal.tui.screens.dashboard import VIEW, dashboard_view

        try:
            self.journal.remember_view(VIEW, dashboard_view(self.journal, self.theme, self.theme_variables))
        except (OSError, JournalError):
            pass  # a cache: the next start computes it

    FILE_CHECK_SECONDS = 5.0
    # Writing the index is a whole-file write, and its JSON encoding holds the GIL:
    # 0.1 s at 10,000 entries, ~1.8 s at 100,000.  After a flush that took t, the
    # next waits 50 t, so that flushing never takes more than 2% of the app's time
    # (the files are saved at once either way; the index only catches up later).
    FLUSH_SPACING = 50
    _next_flush = 0.0

    def flush_index(self) -> None:
        if self.journal.index_pending and time.monotonic() >= self._next_flush:
            self.run_worker(self._flush_index_now, thread=True, exclusive=True, group="flush")

    def _flush_index_now(self) -> None:  # not _flush: Textual's App has one (its print capture calls it)
        started = time.monotonic()
        self.journal.flush()
        finished = time.monotonic()
        self._next_flush = finished + self.FLUSH_SPACING * (finished - started)

    def on_app_focus(self) -> None:
        self.check_files()  # back from another window: something may have changed

    def check_files(self) -> None:
        """Pick up what changed on disk since the last look (incremental sync)."""
        if any(w.group in ("sync", "index") and not w.is_finished for w in self.workers):
            return
        self.run_worker(self._sync_files, thread=True, group="sync")

    def _sync_files(self) -> None:
        try:
            report = self.journal.sync()
        except OSError:
            return  # the journal folder is unreadable just now: try again next time
        # unseen: what the screens show is older than the index, including files that
        # another netjournal process saved (and indexed itself, so the sync re-read none)
        if report.touched or report.unseen:
            self.call_from_thread(self.journal_changed)
            self.call_from_thread(self.git_sync.refresh)  # changed by hand: not committed yet

    def on_unmount(self) -> None:
        resume_collector()  # closed before the start-up worker ran
        try:
            self.journal.flush()
        except OSError:
            return  # the files are saved; the next open reconciles the index
        self.remember_first_screen()

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: the screen's title, then the sync state (when the journal syncs)."""
        content = super().format_title(title, sub_title)
        words = self.git_sync.words if hasattr(self, "git_sync") else ""
        return Content.assemble(content, ("   " + words, "dim")) if words else content

    def refresh_headers(self) -> None:
        """Show a new sync state in every screen's header."""
        from netjournal.tui.widgets.header import Header

        screens = list(self.screen_stack)
        for stack in self._screen_stacks.values():
            screens.extend(s for s in stack if s not in screens)
        for screen in screens:
            for header in screen.query(Header):
                header.refresh()

    def action_sync_now(self) -> None:
        """Commit, fetch, merge, push, in a worker; a notice says what came in."""
        self.git_sync.sync_now()

    def _configured_theme(self) -> str | None:
        from netjournal.config import read_user_config

        value = read_user_config().get("theme")
        return value if isinstance(value, str) else None

    def _remember_theme(self, name: str) -> None:
        if not self.remember_theme:
            return
        from netjournal.config import write_user_config

        try:
            write_user_config(theme=name)
        except OSError as exc:
            self.notify(f"Could not remember the theme: {clean(exc)}", severity="warning", markup=False)

    def watch_theme(self, theme: str) -> None:
        # Fires for every change, including the palette's "Switch theme"; the start-up
        # choice (and Textual's own default before mount) is not a user's choice.
        if not getattr(self, "_applying_theme", True):
            self._remember_theme(theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands, less the ones netjournal does its way
        ("Theme" is "Switch theme"; "Keys" opens netjournal's key list)."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                continue
            if command.title == "Keys":
                yield SystemCommand("Keys", "Every key of this screen", self.action_help)
                continue
            yield command

    def report_problems(self) -> None:
        problems = [p for p in self.journal.problems() if p.severity == "error"]
        if problems:
            many = len(problems) > 1
            what = f"{len(problems)} files could not be read and are left as they were" if many \
                else "1 file could not be read and is left as it was"
            self.notify(
                f"{what}. "
                "Open the command palette (ctrl+p) and choose 'Show problems'.",
                title="Problems", severity="warning", markup=False, timeout=10,
            )

    # ------------------------------------------------------------------ actions

    def action_area(self, area: str) -> None:
        """Go to an area's own screen, from anywhere: screens pushed on top of the
        area you leave (a contact opened there) close first, so coming back with
        its key shows the area again. A screen with unsaved work stays open."""
        while (len(self.screen_stack) > 1 and not self.screen.is_modal
               and not getattr(self.screen, "dirty", False)):
            self.pop_screen()
        if self.current_mode != area:
            self.switch_mode(area)

    def action_help(self) -> None:
        from netjournal.tui.screens.help import HelpScreen  # imported on first use, as the areas are

        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        if len(self.screen_stack) > 1 and not screen.is_modal:
            # a pushed screen (a contact, the editor): name it, not the area under it
            own = screen.title if screen.title and screen.title != self.title else ""
            title = clean(own.removeprefix("netjournal · ") or screen.sub_title or type(screen).__name__)
        else:
            title = AREAS.get(self.current_mode, screen.__class__.__name__)
        self.push_screen(HelpScreen(screen, title))

    def action_show_problems(self) -> None:
        from netjournal.tui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(self.journal.problems()))

    @work(thread=True, exclusive=True, group="index")
    def action_reindex(self) -> None:
        """Rebuild the index from the files, off the UI thread."""
        try:
            report = self.journal.sync(full=True)
        except (OSError, JournalError) as exc:  # a worker's exception would end the app
            self.call_from_thread(self.notify, clean(str(exc)), title="Reindex failed",
                                  severity="error", markup=False, timeout=8)
            return
        self.call_from_thread(
            self.notify, f"Index rebuilt from {report.added} files in {report.seconds:.2f} s.", markup=False
        )
        self.call_from_thread(self.journal_changed)
        self.call_from_thread(self.report_problems)

    def action_capture(self) -> None:
        """The one-line capture (``:``): "gave @kofi the draft #coaching +7d", enter saves."""
        from netjournal.tui.screens.capture import CaptureScreen

        if not self.screen.is_modal:
            self.push_screen(CaptureScreen())

    def action_me_card(self) -> None:
        """Your "me" card (``m``): what you want the people you chose to know about you."""
        from netjournal.tui.screens.me import MeScreen

        if not self.screen.is_modal and not isinstance(self.screen, MeScreen):
            self.push_screen(MeScreen())

    def action_new_contact(self) -> None:
        """Open the new-contact form (from anywhere)."""
        from netjournal.tui.screens.contact_form import ContactFormScreen

        def saved(slug: str | None) -> None:
            if slug:
                self.journal_changed()

        self.push_screen(ContactFormScreen(None), saved)

    def action_import_contacts(self, path: str = "") -> None:
        """Open the import screen (from anywhere): contacts from vCard, LinkedIn, Google
        or any CSV, or a jrnl journal."""
        from netjournal.tui.screens.import_contacts import ImportScreen

        self.push_screen(ImportScreen(path))

    def action_export(self) -> None:
        """Open the Export dialog (from anywhere): a format, a file, a tag."""
        from netjournal.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen())

    def show_pool(self) -> None:
        """The contacts area, showing the pool (after an import)."""
        self.action_area("contacts")
        screen = self.screen
        if hasattr(screen, "show_pool"):
            screen.show_pool()

    def on_contact_chosen(self, message: ContactChosen) -> None:
        self.open_contact(message.slug)

    def on_reflection_chosen(self, message: ReflectionChosen) -> None:
        self.open_editor(path=message.path)

    def open_contact(self, slug: str) -> None:
        """Open a contact's checklist screen (from anywhere)."""
        from netjournal.tui.screens.contact import ContactScreen

        if not self.journal.has_contact(slug):
            self.notify(f"No contact {clean(slug)}.", severity="error", markup=False)
            return
        if self.current_mode not in ("contacts", "checklist", "dashboard"):
            self.switch_mode("contacts")
        self.push_screen(ContactScreen(slug))

    def open_editor(self, path: str | None = None, contacts: list[str] | None = None) -> None:
        """Open the reflection editor (from anywhere): the reflection at ``path``, or a
        new one with ``contacts`` (slugs) linked."""
        from netjournal.tui.screens.editor import EditorScreen

        self.push_screen(EditorScreen(path=path, contacts=contacts))

    def offer_drafts(self) -> None:
        """Unsaved editor work left from a crash or a closed terminal: offer to recover it."""
        if self.journal.drafts():
            # imported only then: it brings Textual's DataTable (~2 ms before the first screen)
            from netjournal.tui.screens.drafts import DraftsScreen

            self.push_screen(DraftsScreen())

    def journal_changed(self, path: str | None = None) -> None:
        """Tell every screen that data changed (they refresh what they show)."""
        for screen in list(self.screen_stack):
            screen.post_message(JournalChanged(path))
        for mode in AREAS:
            for screen in self._screen_stacks.get(mode, []):
                if screen not in self.screen_stack:
                    screen.post_message(JournalChanged(path))

    def report_error(self, error: Exception) -> None:
        """A user-facing error as a notice (never a traceback)."""
        self.notify(clean(str(error)), title="Not saved", severity="error", markup=False, timeout=8)


__all__ = ["NetJournalApp", "JournalError"]
