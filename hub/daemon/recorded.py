"""A home source that also logs the pump's light as it changes and keeps the last home seen.

The daemon logs room readings once a minute, but the pump's light and beeping only
matter when they change; this wrapper writes one row per change, so the console can
draw the pump's timeline, and holds the latest `HomeState` for the console's Now page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from hub.core.home import HomeState
from hub.daemon.ports import HomeSource
from hub.errors import HubError
from hub.store.record import EventStore

_LOGGER = logging.getLogger(__name__)


class RecordedHome:
    """Wrap `source`: every read is passed through, pump changes are logged to `store`.

    `last` is the home of the last successful read and `last_at` the wall-clock time
    of that read; both stay None until the first read, so a console shows unknown.
    """

    def __init__(self, source: HomeSource, store: EventStore, now: Callable[[], datetime]) -> None:
        self.source = source
        self.store = store
        self._now = now
        self.last: HomeState | None = None
        self.last_at: datetime | None = None
        self._pump_key: tuple[str, bool | None, str] | None = None

    async def read(self) -> HomeState:
        home = await self.source.read()
        at = self._now()
        self.last, self.last_at = home, at
        pump = home.pump
        light = pump.light.value if pump.is_bridge_connected else "no_bridge"
        key = (light, pump.is_beeping if pump.is_bridge_connected else None, pump.screen)
        if key != self._pump_key:
            try:
                self.store.add_pump_state(at, *key)
                self._pump_key = key
            except HubError as exc:  # the daemon raises the store alarm on its own writes
                _LOGGER.warning("Could not log the pump's change to %s: %s", light, exc)
        return home

    def close(self) -> None:
        close = getattr(self.source, "close", None)
        if close is not None:
            close()
