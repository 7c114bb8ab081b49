"""Where the daemon's home comes from: a scenario file or the Pi's own devices.

The drivers on simulated hardware are `hub.sim.source.DriverHome`.

Each is a `hub.daemon.ports.HomeSource`. A source never decides what is fine: it reports what
the devices said, and anything it could not read is left unknown (or raised, which the
service turns into the "lost contact" technical alarm).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hub.errors import ScenarioError
from hub.core.home import HomeState
from hub.core.infusion import InfusionTracker
from hub.core.plan import CarePlan
from hub.core.scenario import Scenario, load_scenario
from hub.daemon.clock import Clock

_LOGGER = logging.getLogger(__name__)


class ScenarioHome:
    """A `HomeSource` playing a scenario file as the live home; a changed file is re-read.

    The file stands for drivers that keep answering, so its ages are used as written. A
    changed file that is broken is refused and the old home kept, with a log line.
    """

    def __init__(self, path: Path | None, scenario: Scenario) -> None:
        self.path = path
        self.scenario = scenario
        self._stamp = file_stamp(path)

    async def read(self) -> HomeState:
        stamp = file_stamp(self.path)
        if self.path is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self.scenario = load_scenario(self.path)
                _LOGGER.warning("Scenario reloaded from %s", self.path)
            except ScenarioError as exc:
                _LOGGER.error("Refused the changed scenario, keeping the old one: %s", exc)
        return self.scenario.home


class HardwareHome:
    """The Pi's own devices: room sensors on I2C and the pump bridge on USB serial.

    No device reports whether the infusion runs, so it is inferred from the pump light
    over time (`hub.core.infusion.InfusionTracker`): running only right after a fresh green,
    blinking light; a red or dark light starts a stop that losing sight of the pump does
    not end. A device that cannot be opened is not fatal: every read raises its error,
    so the family hears that the hub has lost contact.
    """

    def __init__(self, plan: CarePlan, *, clock: Clock, room: Any = None, pump: Any = None,
                 error: Exception | None = None) -> None:
        self._clock = clock  # the daemon's: monotonic for durations, the plan's zone for the wall
        self._error = error
        self.infusion = InfusionTracker(plan.limits.pump_stale_after_s)
        self.room = room
        self.pump = pump

    @classmethod
    def open(cls, plan: CarePlan, *, clock: Clock, sensors: Sequence[str], bus_number: int = 1,
             bridge_url: str | None = None) -> HardwareHome:
        """Open the room sensors and the pump bridge; a device that cannot be opened is
        kept as the error every read raises."""
        from hub.pump.bridge import PumpBridge
        from hub.pump.monitor import PumpMonitor
        from hub.sensors.config import open_sensor, parse_sensor_spec
        from hub.sensors.monitor import RoomMonitor

        try:
            opened = [open_sensor(parse_sensor_spec(text), bus_number=bus_number) for text in sensors]
            room = RoomMonitor(opened, stale_after_s=plan.limits.room_stale_after_s)
            pump = PumpMonitor(PumpBridge(bridge_url), stale_after_s=plan.limits.pump_stale_after_s).start()
        except Exception as exc:  # a missing bus or port: the hub runs and says it cannot see
            _LOGGER.error("Cannot open the hub's devices: %s", exc)
            return cls(plan, clock=clock, error=exc)
        return cls(plan, clock=clock, room=room, pump=pump)

    async def read(self) -> HomeState:
        if self._error is not None:
            raise self._error
        await asyncio.to_thread(self.room.poll)
        pump = self.pump.state()
        infusion = self.infusion.observe(pump, self._clock.now(), self._clock.monotonic())
        return HomeState(self.room.environment(), pump, infusion)

    def close(self) -> None:
        for device in (self.pump, self.room):
            if device is not None:
                device.close()


def file_stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
