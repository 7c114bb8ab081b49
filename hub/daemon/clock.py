"""Time for the daemon: a monotonic clock for timers and staleness, a wall clock for the plan.

Why two clocks: the Pi has no real-time clock and may set its time late (or jump when
NTP arrives). Alarm repeats, condition delays and "how old is this reading" use the
monotonic clock, which never jumps, so a clock change can neither hide an alarm nor
make old data look fresh. Only what the care plan states in local time (the daily
check at 09:00, a bag change at 10:00) uses the wall clock.

Three clocks share one interface: `SystemClock` for the real hub, `AcceleratedClock`
for `hub serve --simulate --speed N`, and `ManualClock` for tests and the simulated
week, which advance time by hand and can jump the wall clock alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

_LOGGER = logging.getLogger(__name__)


class Clock(Protocol):
    """What the daemon asks of time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; only differences mean anything."""
        ...

    def now(self) -> datetime:
        """Local wall-clock time in the plan's time zone, naive (as plan times are)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time."""
        ...


class SystemClock:
    """The real clocks of the machine, wall time shown in `timezone`."""

    def __init__(self, timezone: str = "America/New_York") -> None:
        self._zone = ZoneInfo(timezone)

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(self._zone).replace(tzinfo=None, microsecond=0)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class AcceleratedClock:
    """Simulated time running `speed` times faster than real time, from `start`."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be above 0, not {speed!r}")
        self.speed = speed
        self._start = start
        self._t0 = time.monotonic()

    def monotonic(self) -> float:
        return (time.monotonic() - self._t0) * self.speed

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=self.monotonic())).replace(microsecond=0)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)


class ManualClock:
    """A clock that moves only when told: `advance` moves both clocks, `jump_wall` only the wall.

    `sleep` advances the clock itself and yields to the event loop once, so a service
    driven by it runs as fast as the machine allows and is fully repeatable.
    """

    def __init__(self, start: datetime, monotonic_s: float = 1000.0) -> None:
        self._wall = start
        self._mono = monotonic_s

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall.replace(microsecond=0)

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, delta: timedelta) -> None:
        """Move the wall clock alone, as a late NTP sync or a wrong RTC would."""
        _LOGGER.info("Wall clock jumps by %s", delta)
        self._wall += delta

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)
