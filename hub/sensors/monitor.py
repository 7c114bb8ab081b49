"""Turns the room sensors into the `hub.core.home.Environment` the assessment reads.

The monitor keeps each sensor's latest reading, never its latest *good* one: a sensor
whose last read failed is unknown at once, not quietly replaced by an older value.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import TracebackType

from hub.core.home import Environment, Reading
from hub.sensors.quality import RoomSensor
from hub.sensors.reading import Quantity, ReadingStatus, SensorReading

_LOGGER = logging.getLogger(__name__)


class RoomMonitor:
    """Reads a set of `RoomSensor`s and reports the room, with ages from monotonic time.

    `stale_after_s` is the care plan's `limits.room_stale_after_s`. When two sensors
    measure the same quantity (an SHT31 and a BME280), the freshest good one is used;
    the quantity is unknown only when none of them is good.
    """

    def __init__(
        self,
        sensors: Iterable[RoomSensor],
        *,
        stale_after_s: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sensors = tuple(sensors)
        self.stale_after_s = stale_after_s
        self._clock = clock
        self._latest: dict[tuple[str, Quantity], SensorReading] = {}

    def poll(self) -> tuple[SensorReading, ...]:
        """Read every sensor once and return the readings; failures are statuses, not raises."""
        readings: list[SensorReading] = []
        for sensor in self.sensors:
            for reading in sensor.read():
                self._latest[(reading.sensor, reading.quantity)] = reading
                readings.append(reading)
        return tuple(readings)

    def current(self, quantity: Quantity) -> SensorReading | None:
        """Return the reading to use for `quantity` now, marked stale if too old.

        Returns None when no sensor measures it or none has been read yet.
        """
        now_s = self._clock()
        candidates = [r for (_, q), r in self._latest.items() if q is quantity]
        if not candidates:
            return None
        good = [r for r in candidates if r.is_ok]
        pick = max(good or candidates, key=lambda r: r.taken_s)
        if pick.is_ok and pick.age_s(now_s) > self.stale_after_s:
            detail = f"no good reading for {pick.age_s(now_s):.0f} s"
            return replace(pick, value=None, status=ReadingStatus.STALE, detail=detail)
        return pick

    def environment(self) -> Environment:
        """Return the room as the assessment sees it; anything not ok has no value."""
        now_s = self._clock()
        return Environment(
            temperature_c=self._as_reading(self.current(Quantity.TEMPERATURE), now_s),
            humidity_pct=self._as_reading(self.current(Quantity.HUMIDITY), now_s),
            light_lux=self._as_reading(self.current(Quantity.LIGHT), now_s),
        )

    @staticmethod
    def _as_reading(reading: SensorReading | None, now_s: float) -> Reading:
        if reading is None:
            return Reading(value=None, age_s=None, is_valid=False)
        if not reading.is_ok:
            return Reading(value=None, age_s=reading.age_s(now_s), is_valid=False)
        return Reading(value=reading.value, age_s=reading.age_s(now_s), is_valid=True)

    def close(self) -> None:
        """Close every sensor."""
        for sensor in self.sensors:
            sensor.close()

    def __enter__(self) -> "RoomMonitor":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
