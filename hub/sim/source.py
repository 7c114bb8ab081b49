"""The daemon's home read back through the real drivers on simulated hardware (`hub serve --simulate`)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from hub.core.home import HomeState
from hub.core.plan import CarePlan
from hub.core.scenario import Scenario, load_scenario
from hub.daemon.sources import file_stamp
from hub.errors import ScenarioError
from hub.sim.home import SimulatedHome

_LOGGER = logging.getLogger(__name__)


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
        self._stamp = file_stamp(path)
        self._sim: Any = None
        self._opening: asyncio.Task[Any] | None = None

    async def read(self) -> HomeState:
        stamp = file_stamp(self.path)
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
