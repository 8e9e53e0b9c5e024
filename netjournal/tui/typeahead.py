"""Keys typed ahead land where the keys before them would have put the user.

Textual routes a key in two steps: the app hands it to the focused widget's queue at
once, and the key's bindings (``tab`` → next field, ``n`` → a new screen, ``2`` →
another area) run only when it has bubbled back up to the app, one queue at a time.
A fast typist's next keys are in the app's queue by then, so they were handed to the
widget that had the focus *before* the key ahead of them took effect: in a form,
``a b c tab d e f`` typed at once gave the name "abcdef"; ``n`` and a title typed at
once lost the title; ``3/trust`` lost ``/trust``.

``TypeAhead`` makes the app take the keys one at a time, each when the one before it
has had its effect:

* after a key is routed, a *trail* follows it up the same path (a callback queued on
  the widget it went to, then on each parent, twice on each so that messages the key
  set off go first, up to the app).  Until the trail is back, later keys wait;
* while the screen on top is new (pushed, switched to, or back from a dialog), keys
  wait until it has mounted and set its focus: one callback through the app and every
  widget of the screen, as Textual's own test pilot waits between keys;
* the keys that waited are then routed in the order they were typed.

Nothing waits for ever: a trail lost with a widget that went away lets the keys go after
``PATIENCE`` seconds, a screen that never says it is ready after ten times that.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Callable

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.screen import Screen
    from textual.timer import Timer

TypedEvent = events.Key | events.Paste
LAPS = 2  # visits of the trail to each node: the second one waits behind what the first found queued


class TypeAhead:
    """The app's queue of keys typed ahead (see the module docstring)."""

    PATIENCE = 2.0  # seconds a trail may take; a new screen may take ten times that

    def __init__(self, app: App, route: Callable[[TypedEvent], object]) -> None:
        self.app = app
        self.route = route  # routes one key the way Textual does (the app's own on_event)
        self.held: deque[TypedEvent] = deque()
        self.trail: object | None = None  # the token of the trail that is out, if any
        self.ready: Screen | None = None  # the screen known to be mounted, its focus set
        self.probe: object | None = None  # the token of the wait for a new screen
        self.since = 0.0  # when the current wait began
        self._watchdog: Timer | None = None

    def start(self) -> None:
        """Watch the app's screens (call from the app's ``on_mount``)."""
        self.app.screen_change_signal.subscribe(self.app, self.screen_changed, immediate=True)
        self._watchdog = self.app.set_interval(self.PATIENCE / 2, self._check_patience, pause=True)
        if self.app.screen_stack:  # the first screen, made as the app composed: new too
            self.screen_changed(self.app.screen)

    # ------------------------------------------------------------------ the app's side

    def wants(self, event: TypedEvent) -> bool:
        """True when ``event`` must wait; it is then kept and routed later, in order."""
        if not self._busy():
            return False
        self.held.append(event)
        self._wait()
        return True

    def routed(self) -> None:
        """A key was just routed: later keys wait for its trail."""
        token = object()
        self.trail = token
        self._wait()
        try:
            target: MessagePump = self.app.focused or self.app.screen
        except Exception:  # no screen yet
            target = self.app
        self._visit(target, token, 0)

    async def release(self) -> None:
        """Route the next key that waited, if nothing holds it any more."""
        if self.held and not self._busy(ignore_held=True):
            await self.route(self.held.popleft())  # type: ignore[misc]
        if not self.held and self._watchdog is not None:
            self._watchdog.pause()

    # ------------------------------------------------------------------ waiting

    def _busy(self, *, ignore_held: bool = False) -> bool:
        if self.held and not ignore_held:
            return True
        if self.trail is not None:
            return True
        try:
            return self.ready is not self.app.screen
        except Exception:  # no screen yet: the first one is on its way
            return True

    def _wait(self) -> None:
        self.since = time.monotonic()
        if self._watchdog is not None:
            self._watchdog.resume()

    def _release_soon(self) -> None:
        self.app.call_later(self.release)

    def _check_patience(self) -> None:
        if not self.held and self.trail is None:
            return
        # A screen still mounting (a big journal's area on a slow machine) is worth a
        # longer wait than a trail, which is lost only with a widget that went away.
        patience = self.PATIENCE * (10 if self.probe is not None else 1)
        if time.monotonic() - self.since > patience:
            self.trail = None
            self.probe = None
            try:
                self.ready = self.app.screen
            except Exception:
                return
            self._release_soon()

    # ------------------------------------------------------------------ the trail

    def _visit(self, node: MessagePump, token: object, lap: int) -> None:
        if not node.call_later(self._step, node, token, lap):
            self._trail_done(token)  # the node is closing: nothing left to follow

    def _step(self, node: MessagePump, token: object, lap: int) -> None:
        if token is not self.trail:
            return
        if lap + 1 < LAPS:
            self._visit(node, token, lap + 1)
        elif node is self.app:
            self._trail_done(token)
        else:
            parent = node._parent
            if parent is None:
                self._trail_done(token)
            else:
                self._visit(parent, token, 0)

    def _trail_done(self, token: object) -> None:
        if token is self.trail:
            self.trail = None
            self._release_soon()

    # ------------------------------------------------------------------ a new screen

    def screen_changed(self, screen: Screen) -> None:
        """A screen was pushed, switched to or uncovered: keys wait until it is ready."""
        token = object()
        self.probe, self.ready = token, None
        self._wait()
        if not screen.call_later(self._probe, screen, token):
            self._screen_ready(screen, token)

    def _probe(self, screen: Screen, token: object) -> None:
        """Runs after the screen's mount: one callback through the app and every widget
        of the screen, so that focus set on mount (at once or later) is in place."""
        if token is not self.probe:
            return
        nodes: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
        pending = len(nodes)

        def one_done() -> None:
            nonlocal pending
            pending -= 1
            if pending == 0:
                self._screen_ready(screen, token)

        for node in nodes:
            if not node.call_later(one_done):
                one_done()

    def _screen_ready(self, screen: Screen, token: object) -> None:
        if token is self.probe:
            self.probe, self.ready = None, screen
            self.trail = None  # a trail through the screen before it is moot now
            self._release_soon()
