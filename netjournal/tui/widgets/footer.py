"""Textual's footer, drawn with the screen and rebuilt only when its keys change.

Textual's ``Footer`` is empty until the screen first says its bindings changed, and
then rebuilds all its keys (a widget each, styled and mounted) every time the screen
says so again: on focus, on a stack change, on every ``refresh_bindings`` -- five
times before the dashboard is first painted, and again after, each showing the same
keys.  This one composes its keys with the screen (in the first frame, unless the screen's
``check_action`` needs widgets that are not mounted yet), and on a change looks
first: the same keys, only some now enabled or disabled (``r`` on
a contact row, not on a reflection's), are updated where they are; a rebuild is left
for a key that comes or goes.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[str, str, str, object], ...]


class Footer(TextualFooter):
    _rebuild_pending = False
    _shown: Shown | None = None  # the keys composed, as ``_keys`` has them

    def _footer_bindings(self) -> list[tuple[Binding, bool, str]]:
        return [(binding, enabled, tooltip) for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show]

    @staticmethod
    def _keys(bindings: list[tuple[Binding, bool, str]]) -> Shown:
        return tuple((binding.key, binding.action, binding.description, binding.group) for binding, _, _ in bindings)

    def compose(self):  # type: ignore[override]
        try:
            self._shown = self._keys(self._footer_bindings())
        except NoMatches:  # a screen whose ``check_action`` looks at widgets not mounted yet
            self._shown = None
            return
        self.set_reactive(TextualFooter._bindings_ready, True)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached:
            return  # its screen closed meanwhile
        bindings = self._footer_bindings()
        if self._keys(bindings) != self._shown:
            await self.recompose()
            return
        enabled = {(binding.key, binding.action): (on, tooltip) for binding, on, tooltip in bindings}
        for key in self.query(FooterKey):
            state = enabled.get((key.key, key.action))
            if state is not None and state[0] == key._disabled:
                key._disabled = not state[0]
                key.set_class(key._disabled, "-disabled")
