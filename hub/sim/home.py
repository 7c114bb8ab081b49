"""Plays a `HomeState` (or a scenario file) through the simulated hardware and reads it back.

The environment goes onto a fake I2C bus (an SHT31 and a BH1750), the pump onto a
simulated bridge on a pty; the real drivers read both back into a `HomeState`. So a
scenario can be assessed twice: as written, and as the hardware layer would see it.

How each "not known" in the state is played, so the drivers find it the way they
would in a real home:
- a quantity without a value, invalid, or of unknown age: the SHT31 sends raw 0 for
  that word (-45 °C or 0 %RH, refused as implausible); if neither is known, or for
  light, the chip does not answer at all;
- a reading's age: the sensor's clock is set back by that much;
- a pump bridge not connected, or of unknown age: the bridge is unplugged;
- a pump reading older than the plan allows: the bridge goes silent and the hub's
  clock is moved on by that age;
- `is_beeping` None: the bridge reports its microphone broken.
Known values outside what a home or the chips can produce come back unknown (a room
below -20 °C or above 70 °C is refused as implausible) and light saturates at the
BH1750's 54612 lx, as on the real hardware. The pump's screen cannot be seen by the
bridge, so it always comes back empty.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from hub.core.home import Environment, HomeState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan
from hub.pump.bridge import Backoff, PumpBridge
from hub.pump.monitor import PumpMonitor
from hub.sensors.bh1750 import BH1750
from hub.sensors.monitor import RoomMonitor
from hub.sensors.reading import SensorReading
from hub.sensors.sht import SHT3x
from hub.sim.bridge import SimulatedBridge, StepKind
from hub.sim.i2c import Fault, FakeBH1750, FakeI2CBus, FakeSHT

_LOGGER = logging.getLogger(__name__)

SHT_ADDRESS = 0x44
BH1750_ADDRESS = 0x23
# Raw 0x0000 words: what a floating data line produces, refused by the plausibility check.
_FLOATING_TEMPERATURE_C = -45.0
_FLOATING_HUMIDITY_PCT = 0.0


def _is_known(reading: Reading) -> bool:
    return reading.value is not None and reading.is_valid and reading.age_s is not None


def _no_sleep(_seconds: float) -> None:
    """The fake chips answer at once; skip the datasheet conversion waits."""


class SimulatedHome:
    """`with SimulatedHome(home) as sim: sim.read_home()` returns what the drivers saw."""

    def __init__(self, home: HomeState, *, plan: CarePlan | None = None, speed: float = 20.0) -> None:
        self.home = home
        self.plan = plan or CarePlan()
        self.speed = speed
        env = home.environment
        self.sht = FakeSHT(
            env.temperature_c.value if _is_known(env.temperature_c) else _FLOATING_TEMPERATURE_C,
            env.humidity_pct.value if _is_known(env.humidity_pct) else _FLOATING_HUMIDITY_PCT,
        )
        if not (_is_known(env.temperature_c) or _is_known(env.humidity_pct)):
            self.sht.fault = Fault.SILENT
        self.light = FakeBH1750(env.light_lux.value if _is_known(env.light_lux) else None)
        self.bus = FakeI2CBus({SHT_ADDRESS: self.sht, BH1750_ADDRESS: self.light})
        sht_age_s = max([r.age_s or 0.0 for r in (env.temperature_c, env.humidity_pct) if _is_known(r)], default=0.0)
        light_age_s = (env.light_lux.age_s or 0.0) if _is_known(env.light_lux) else 0.0
        self.room = RoomMonitor(
            [
                SHT3x(SHT_ADDRESS, bus=self.bus, sleep=_no_sleep, clock=_clock_back(sht_age_s)),
                BH1750(BH1750_ADDRESS, bus=self.bus, sleep=_no_sleep, clock=_clock_back(light_age_s)),
            ],
            stale_after_s=self.plan.limits.room_stale_after_s,
        )
        self.bridge = SimulatedBridge(speed=speed)
        self.pump_monitor: PumpMonitor | None = None
        self._pump_offset_s = 0.0

    @classmethod
    def from_scenario(cls, path: str | Path, **kwargs: object) -> "SimulatedHome":
        """Return a simulated home playing the scenario file at `path`."""
        from hub.core.scenario import load_scenario  # local import: the core's loader, only when used

        return cls(load_scenario(path).home, **kwargs)  # type: ignore[arg-type]

    def poll_room(self) -> tuple[SensorReading, ...]:
        """Read every simulated room sensor once through its real driver."""
        return self.room.poll()

    def environment(self) -> Environment:
        """Return the room as `RoomMonitor` sees it (poll first)."""
        return self.room.environment()

    def read_pump(self, *, timeout_s: float = 10.0) -> PumpState:
        """Play the pump through the pty bridge and return what `PumpMonitor` decided.

        Waits until the monitor has seen a full light window and beep hold time (in
        bridge time, which runs `speed` times faster than real time), or `timeout_s`.
        """
        pump = self.home.pump
        is_plugged = pump.is_bridge_connected is True and pump.age_s is not None
        self.bridge.light = pump.light
        self.bridge.is_beeping = bool(pump.is_beeping)
        self.bridge.is_mic_ok = pump.is_beeping is not None
        if is_plugged:
            self.bridge.start()
        link = PumpBridge(patterns=(self.bridge.pattern,), backoff=Backoff(0.02, 0.2), read_timeout_s=0.05)
        monitor = PumpMonitor(link, stale_after_s=self.plan.limits.pump_stale_after_s,
                              clock=lambda: time.monotonic() + self._pump_offset_s)
        self.pump_monitor = monitor.start()
        if not is_plugged:
            time.sleep(0.1)  # one look for the device, which is not there
            return monitor.state()
        needed_ms = max(monitor.rules.window_ms, monitor.beep_hold_ms) + 1000
        deadline = time.monotonic() + timeout_s
        while monitor.observed_ms() < needed_ms and time.monotonic() < deadline:
            time.sleep(0.02)
        if pump.age_s is not None and pump.age_s > self.plan.limits.pump_stale_after_s:
            self.bridge.kind = StepKind.PAUSE
            self._pump_offset_s = pump.age_s
        return monitor.state()

    def read_home(self, *, timeout_s: float = 10.0) -> HomeState:
        """Return the whole home as the drivers read it; infusion and schedule are copied."""
        self.poll_room()
        return replace(self.home, environment=self.environment(), pump=self.read_pump(timeout_s=timeout_s))

    def close(self) -> None:
        """Stop the bridge and its reader, close the sensors."""
        if self.pump_monitor is not None:
            self.pump_monitor.close()
        self.bridge.close()
        self.room.close()

    def __enter__(self) -> "SimulatedHome":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _clock_back(age_s: float) -> Callable[[], float]:
    return lambda: time.monotonic() - age_s


DEFAULT_HOME = HomeState(
    environment=Environment(
        temperature_c=Reading(22.0, 0.0),
        humidity_pct=Reading(40.0, 0.0),
        light_lux=Reading(300.0, 0.0),
    ),
    pump=PumpState(is_bridge_connected=True, light=PumpLight.GREEN_BLINKING, is_beeping=False, age_s=0.0),
)
