"""Checks every room reading must pass: retries, median, plausibility and stuck values.

Why: a cheap sensor that is unplugged, wet or dying rarely goes silent. It answers with
the same number forever, or with a number no room can have. Each check here turns such
an answer into a status other than ok, which the assessment treats as unknown.
"""

from __future__ import annotations

import logging
import statistics
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from hub.errors import DeviceError
from hub.sensors.reading import UNIT_OF, Quantity, ReadingStatus, SensorReading

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plausibility:
    """What a quantity can be in a home, and how far one median's samples may disagree."""

    low: float
    high: float
    max_spread: float | None = None
    # Below this a constant value is normal (a dark room reads 0 lux all night).
    stuck_exempt_below: float | None = None
    # At or above this a constant value is normal: a saturated sensor (condensation
    # in a steamy bathroom) reads its maximum until it dries.
    stuck_exempt_above: float | None = None


# Limits of a lived-in home, not of the care plan. SHT3x sends raw 0x0000 or 0xFFFF
# (-45 °C / 130 °C, 0 % / 100 %) when a line floats, so both ends are refused. A real
# room outside -20..70 °C is unsafe anyway; unknown is the right answer, never ok.
PLAUSIBLE: dict[Quantity, Plausibility] = {
    Quantity.TEMPERATURE: Plausibility(-20.0, 70.0, max_spread=2.0),
    Quantity.HUMIDITY: Plausibility(0.5, 100.0, max_spread=10.0, stuck_exempt_above=99.5),
    # The BH1750 saturates at 54612 lx in its high-resolution mode.
    Quantity.LIGHT: Plausibility(0.0, 120_000.0, stuck_exempt_below=1.0),
}


@dataclass(frozen=True)
class ReadPolicy:
    """How hard a sensor tries before a reading is given up, and when a value is stuck.

    `reads` good measurements are needed for one median, within `reads + retries`
    attempts. `stuck_reads` identical medians in a row mark the sensor stuck: real
    SHT3x/BME280 noise changes the last digit within a handful of reads.
    """

    reads: int = 3
    retries: int = 2
    retry_delay_s: float = 0.05
    stuck_reads: int = 20


class StuckDetector:
    """Counts how many medians in a row were exactly equal, per quantity."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._last: dict[Quantity, float] = {}
        self._count: dict[Quantity, int] = {}

    def update(self, quantity: Quantity, value: float) -> bool:
        """Record `value`; return True when it has now repeated `limit` times in a row."""
        if self._last.get(quantity) == value:
            self._count[quantity] = self._count.get(quantity, 1) + 1
        else:
            self._last[quantity] = value
            self._count[quantity] = 1
        limits = PLAUSIBLE[quantity]
        if limits.stuck_exempt_below is not None and value < limits.stuck_exempt_below:
            return False
        if limits.stuck_exempt_above is not None and value >= limits.stuck_exempt_above:
            return False
        return self._count[quantity] >= self.limit


def check_value(quantity: Quantity, samples: list[float]) -> tuple[ReadingStatus, str]:
    """Return whether the median of `samples` is plausible for `quantity`, and why not."""
    limits = PLAUSIBLE[quantity]
    value = statistics.median(samples)
    if not limits.low <= value <= limits.high:  # also refuses NaN
        return ReadingStatus.IMPLAUSIBLE, f"{value:g} outside {limits.low:g}..{limits.high:g}"
    spread = max(samples) - min(samples)
    if limits.max_spread is not None and spread > limits.max_spread:
        return ReadingStatus.IMPLAUSIBLE, f"samples disagree by {spread:g}"
    return ReadingStatus.OK, ""


class RoomSensor(ABC):
    """A sensor of the room: `measure()` is one raw read, `read()` a checked reading.

    Subclasses set `name` and `quantities` and implement `measure()`, raising
    `DeviceError` on any I/O or integrity failure. Use as a context manager.
    """

    name = "sensor"
    quantities: tuple[Quantity, ...] = ()

    def __init__(
        self,
        *,
        policy: ReadPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or ReadPolicy()
        self._clock = clock
        self._sleep = sleep
        self._stuck = StuckDetector(self.policy.stuck_reads)
        self.closed = False

    @abstractmethod
    def measure(self) -> dict[Quantity, float]:
        """Return one raw measurement per quantity, or raise `DeviceError`."""

    def read(self) -> tuple[SensorReading, ...]:
        """Return one checked reading per quantity; failures come back as statuses, not raises."""
        if self.closed:
            raise DeviceError(f"{self.name}: read after close()")
        samples: dict[Quantity, list[float]] = {q: [] for q in self.quantities}
        attempts = 0
        error = ""
        good = 0
        while good < self.policy.reads and attempts < self.policy.reads + self.policy.retries:
            attempts += 1
            try:
                values = self.measure()
            except DeviceError as exc:
                error = str(exc)
                _LOGGER.debug("%s: attempt %d failed: %s", self.name, attempts, exc)
                self._sleep(self.policy.retry_delay_s)
                continue
            for quantity in self.quantities:
                samples[quantity].append(float(values[quantity]))
            good += 1
        taken_s = self._clock()
        if good < self.policy.reads:
            _LOGGER.warning("%s: no reading after %d attempts: %s", self.name, attempts, error)
            return tuple(self._reading(q, None, taken_s, ReadingStatus.FAILED, error) for q in self.quantities)
        return tuple(self._judge(q, samples[q], taken_s) for q in self.quantities)

    def _judge(self, quantity: Quantity, samples: list[float], taken_s: float) -> SensorReading:
        status, detail = check_value(quantity, samples)
        if status is not ReadingStatus.OK:
            _LOGGER.warning("%s: %s %s", self.name, quantity.value, detail)
            return self._reading(quantity, None, taken_s, status, detail)
        value = statistics.median(samples)
        if self._stuck.update(quantity, value):
            detail = f"{value:g} unchanged for {self.policy.stuck_reads} readings"
            _LOGGER.warning("%s: %s stuck: %s", self.name, quantity.value, detail)
            return self._reading(quantity, None, taken_s, ReadingStatus.STUCK, detail)
        return self._reading(quantity, value, taken_s, ReadingStatus.OK, "")

    def _reading(
        self, quantity: Quantity, value: float | None, taken_s: float, status: ReadingStatus, detail: str
    ) -> SensorReading:
        return SensorReading(self.name, quantity, value, UNIT_OF[quantity], taken_s, status, detail)

    def close(self) -> None:
        """Release the sensor's backend; reading afterwards raises `DeviceError`."""
        self.closed = True

    def __enter__(self) -> "RoomSensor":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
