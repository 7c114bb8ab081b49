"""RecordedHome: the pump's changes logged once each, and the last home kept for the console."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path

from hub.core.home import HomeState, PumpLight, PumpState
from hub.daemon.recorded import RecordedHome
from hub.store.connection import connect
from hub.store.history import History
from hub.store.record import EventStore

T0 = datetime(2026, 11, 23, 6, 0)


class Pump:
    def __init__(self) -> None:
        self.state = PumpState(True, PumpLight.GREEN_BLINKING, False, "", 1.0)

    async def read(self) -> HomeState:
        return HomeState(pump=self.state)


def test_recorded_home_logs_each_change_of_the_pump_once(tmp_path: Path) -> None:
    pump, now = Pump(), [T0]
    with EventStore(tmp_path / "hub.db") as store:
        home = RecordedHome(pump, store, lambda: now[0])
        for light in (PumpLight.GREEN_BLINKING, PumpLight.GREEN_BLINKING, PumpLight.RED, PumpLight.RED):
            pump.state = PumpState(True, light, light is PumpLight.RED, "", 1.0)
            asyncio.run(home.read())
            now[0] += timedelta(minutes=1)
        pump.state = PumpState(False)
        asyncio.run(home.read())
        assert home.last is not None and home.last_at == T0 + timedelta(minutes=4)
    changes = History(connect(tmp_path / "hub.db")).pump_changes(T0, T0 + timedelta(hours=1))
    assert [(c.light, c.is_beeping) for c in changes] == [("green_blinking", False), ("red", True),
                                                          ("no_bridge", None)]
