"""Textual's footer, rebuilt once per batch of binding changes.

Textual's ``Footer`` rebuilds all its keys (a widget each, styled and mounted) every
time the screen says its bindings may have changed: on focus, on a stack change, on
every ``refresh_bindings``.  Several such signals arrive together (five before the
dashboard is first painted), and each rebuild showed the same keys.  This one waits
for the next refresh and rebuilds once, from the bindings as they are then.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
