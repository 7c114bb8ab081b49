"""One sensor reading with its unit, the monotonic time it was taken, and whether to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Quantity(str, Enum):
    """What a reading measures; the value names match `hub.core.home.Environment` fields."""

    TEMPERATURE = "temperature_c"
    HUMIDITY = "humidity_pct"
    LIGHT = "light_lux"


class Unit(str, Enum):
    """The unit a reading's value is in."""

    CELSIUS = "degC"
    PERCENT_RH = "%RH"
    LUX = "lx"


UNIT_OF: dict[Quantity, Unit] = {
    Quantity.TEMPERATURE: Unit.CELSIUS,
    Quantity.HUMIDITY: Unit.PERCENT_RH,
    Quantity.LIGHT: Unit.LUX,
}


class ReadingStatus(str, Enum):
    """Whether a reading can be used. Anything but `ok` means the quantity is unknown."""

    OK = "ok"
    FAILED = "failed"  # no answer, bad CRC, wrong chip id, after all retries
    IMPLAUSIBLE = "implausible"  # outside what the sensor or a home can produce
    STUCK = "stuck"  # the same value for longer than real sensor noise allows
    STALE = "stale"  # no good reading for longer than the care plan allows

    @property
    def is_ok(self) -> bool:
        return self is ReadingStatus.OK


@dataclass(frozen=True)
class SensorReading:
    """One quantity from one sensor.

    `value` is None unless `status` is ok: a reading that failed its checks carries no
    number, so nobody can use a stale or wrong one by mistake. `taken_s` is
    `time.monotonic()` when the reading was taken, for staleness; wall-clock time can jump.
    """

    sensor: str
    quantity: Quantity
    value: float | None
    unit: Unit
    taken_s: float
    status: ReadingStatus
    detail: str = ""

    @property
    def is_ok(self) -> bool:
        return self.status.is_ok and self.value is not None

    def age_s(self, now_s: float) -> float:
        """Return how old the reading is at monotonic time `now_s`, never negative."""
        return max(0.0, now_s - self.taken_s)

    def to_json(self) -> dict[str, object]:
        """Return the reading as JSON-ready values (for `hub sensors read --json`)."""
        return {
            "sensor": self.sensor,
            "quantity": self.quantity.value,
            "value": self.value,
            "unit": self.unit.value,
            "taken_s": round(self.taken_s, 3),
            "status": self.status.value,
            "detail": self.detail,
        }
