"""Where the daemon's home comes from: a scenario file, the drivers on simulated hardware, or the Pi's.

Each is a `hub.ports.HomeSource`. A source never decides what is fine: it reports what
the devices said, and anything it could not read is left unknown (or raised, which the
service turns into the "lost contact" technical alarm).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.errors import ScenarioError
from hub.home import HomeState
from hub.infusion import InfusionTracker
from hub.plan import CarePlan
from hub.scenario import Scenario, load_scenario

_LOGGER = logging.getLogger(__name__)


class ScenarioHome:
    """A `HomeSource` playing a scenario file as the live home; a changed file is re-read.

    The file stands for drivers that keep answering, so its ages are used as written. A
    changed file that is broken is refused and the old home kept, with a log line.
    """

    def __init__(self, path: Path | None, scenario: Scenario) -> None:
        self.path = path
        self.scenario = scenario
        self._stamp = _stamp(path)

    async def read(self) -> HomeState:
        stamp = _stamp(self.path)
        if self.path is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self.scenario = load_scenario(self.path)
                _LOGGER.warning("Scenario reloaded from %s", self.path)
            except ScenarioError as exc:
                _LOGGER.error("Refused the changed scenario, keeping the old one: %s", exc)
        return self.scenario.home


class DriverHome:
    """A `HomeSource` reading the scenario back through the real drivers on simulated hardware.

    The scenario is played onto a fake I2C bus and a pty pump bridge (hub.sim.home), and
    the real `RoomMonitor` and `PumpMonitor` read it, so `hub serve --simulate` runs the
    code that runs on the Pi. Until the bridge has shown a whole light window, the pump
    is unknown; a changed scenario file replays the new home the same way.
    """

    def __init__(self, path: Path | None, scenario: Scenario, plan: CarePlan) -> None:
        self.path = path
        self.scenario = scenario
        self.plan = plan
        self._stamp = _stamp(path)
        self._sim: Any = None
        self._opening: asyncio.Task[Any] | None = None

    async def read(self) -> HomeState:
        stamp = _stamp(self.path)
        if self.path is not None and stamp != self._stamp and self._opening is None:
            self._stamp = stamp
            try:
                self.scenario = load_scenario(self.path)
            except ScenarioError as exc:
                _LOGGER.error("Refused the changed scenario, keeping the old one: %s", exc)
            else:
                _LOGGER.warning("Scenario changed: replaying %s through the drivers", self.path)
                await asyncio.to_thread(self.close)
        if self._sim is None:
            if self._opening is None:
                self._opening = asyncio.create_task(asyncio.to_thread(self._open, self.scenario.home))
            if not self._opening.done():
                return replace(HomeState(), infusion=self.scenario.home.infusion)  # pump and room not read yet
            opening, self._opening = self._opening, None
            self._sim = opening.result()  # a failure is raised to the service: source lost, retried next tick
        return await asyncio.to_thread(self._read)

    def _open(self, home: HomeState) -> Any:
        from hub.sim.home import SimulatedHome

        sim = SimulatedHome(home, plan=self.plan)
        sim.read_home()  # starts the pump monitor and waits for a first light window
        return sim

    def _read(self) -> HomeState:
        sim = self._sim
        sim.poll_room()
        return replace(self.scenario.home, environment=sim.environment(), pump=sim.pump_monitor.state())

    def close(self) -> None:
        if self._sim is not None:
            self._sim.close()
            self._sim = None


def has_simulated_hardware() -> bool:
    """True when the simulated hardware (hub.sim.home) is installed."""
    try:
        import hub.sim.home  # noqa: F401
    except ImportError:
        return False
    return True


class HardwareHome:
    """The Pi's own devices: room sensors on I2C and the pump bridge on USB serial.

    No device reports whether the infusion runs, so it is inferred from the pump light
    over time (`hub.infusion.InfusionTracker`): running only right after a fresh green,
    blinking light; a red or dark light starts a stop that losing sight of the pump does
    not end. A device that cannot be opened is not fatal: every read raises its error,
    so the family hears that the hub has lost contact.
    """

    def __init__(self, plan: CarePlan, *, sensors: Sequence[str], bus_number: int = 1,
                 bridge_url: str | None = None) -> None:
        self._error: Exception | None = None
        self.infusion = InfusionTracker(plan.limits.pump_stale_after_s)
        self.room: Any = None
        self.pump: Any = None
        try:
            from hub.pump.bridge import PumpBridge
            from hub.pump.monitor import PumpMonitor
            from hub.sensors.config import open_sensor, parse_sensor_spec
            from hub.sensors.monitor import RoomMonitor

            opened = [open_sensor(parse_sensor_spec(text), bus_number=bus_number) for text in sensors]
            self.room = RoomMonitor.for_plan(plan, opened)
            self.pump = PumpMonitor.for_plan(plan, PumpBridge(bridge_url)).start()
        except Exception as exc:  # a missing bus or port: the hub runs and says it cannot see
            _LOGGER.error("Cannot open the hub's devices: %s", exc)
            self._error = exc

    async def read(self) -> HomeState:
        if self._error is not None:
            raise self._error
        await asyncio.to_thread(self.room.poll)
        pump = self.pump.state()
        infusion = self.infusion.observe(pump, datetime.now(), time.monotonic())
        return HomeState(self.room.environment(), pump, infusion)

    def close(self) -> None:
        for device in (self.pump, self.room):
            if device is not None:
                device.close()


def _stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
