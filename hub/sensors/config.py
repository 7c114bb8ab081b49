"""Which room sensors a hub has, written as `kind@address` (e.g. `sht3x@0x44`, `ldr@18`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hub.errors import HubError
from hub.sensors.bh1750 import BH1750
from hub.sensors.bme280 import BME280
from hub.sensors.ldr import LdrLightSensor
from hub.sensors.quality import RoomSensor
from hub.sensors.sht import SHT3x, SHT4x

_LOGGER = logging.getLogger(__name__)

# The wiring in firmware-config/WIRING.md.
DEFAULT_SENSORS = ("sht3x@0x44", "bh1750@0x23")


class SensorSpecError(HubError, ValueError):
    """A sensor description that cannot be used."""


@dataclass(frozen=True)
class SensorSpec:
    """One configured sensor: its kind and its I2C address (or GPIO pin, for an LDR)."""

    kind: str
    address: int

    def __str__(self) -> str:
        return f"{self.kind}@{self.address:#04x}" if self.kind in _I2C else f"{self.kind}@{self.address}"


_I2C: dict[str, Callable[..., RoomSensor]] = {"sht3x": SHT3x, "sht4x": SHT4x, "bme280": BME280, "bh1750": BH1750}


def parse_sensor_spec(text: str) -> SensorSpec:
    """Return the spec in `text` (`sht3x@0x44`, `bme280@0x76`, `ldr@18`), or raise `SensorSpecError`."""
    kind, at, where = text.strip().lower().partition("@")
    kinds = sorted([*_I2C, "ldr"])
    if not at or kind not in kinds:
        raise SensorSpecError(
            f"sensor {text!r}: write kind@address with kind one of {', '.join(kinds)}, e.g. sht3x@0x44"
        )
    try:
        address = int(where, 0)
    except ValueError:
        raise SensorSpecError(
            f"sensor {text!r}: {where!r} is not an address like 0x44 (or a GPIO number for ldr)"
        ) from None
    if kind in _I2C and not 0x03 <= address <= 0x77:
        raise SensorSpecError(f"sensor {text!r}: I2C addresses run from 0x03 to 0x77")
    return SensorSpec(kind, address)


def open_sensor(spec: SensorSpec, *, bus: Any = None, bus_number: int = 1, pin_factory: Any = None) -> RoomSensor:
    """Return the driver for `spec` on the given bus (or the real `/dev/i2c-<bus_number>`)."""
    if spec.kind == "ldr":
        return LdrLightSensor(spec.address, pin_factory=pin_factory)
    return _I2C[spec.kind](spec.address, bus=bus, bus_number=bus_number)
