"""Sensirion SHT3x and SHT4x temperature and humidity sensors over I2C.

Every 16-bit word the sensor sends carries a CRC-8; a reply with any bad CRC is
refused whole (see `hub.sensors.crc`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from hub.errors import DeviceError
from hub.sensors.crc import split_checked_words
from hub.sensors.i2c import I2CSensor
from hub.sensors.reading import Quantity

_LOGGER = logging.getLogger(__name__)

SHT3X_ADDRESS = 0x44  # 0x45 with ADDR pulled high
SHT4X_ADDRESS = 0x44  # SHT40-AD1B; other part numbers use 0x45 or 0x46
# SHT3x single shot, high repeatability, clock stretching *disabled*: the Pi's I2C
# block mishandles clock stretching, so we wait the datasheet's 15.5 ms instead.
SHT3X_MEASURE = bytes((0x24, 0x00))
SHT3X_WAIT_S = 0.016
SHT4X_MEASURE = bytes((0xFD,))  # high precision
SHT4X_WAIT_S = 0.010


def sht3x_temperature_c(raw: int) -> float:
    """Return °C from an SHT3x/SHT4x raw temperature word (datasheet formula)."""
    return -45.0 + 175.0 * raw / 65535.0


def sht3x_humidity_pct(raw: int) -> float:
    """Return %RH from an SHT3x raw humidity word."""
    return 100.0 * raw / 65535.0


def sht4x_humidity_pct(raw: int) -> float:
    """Return %RH from an SHT4x raw humidity word, clipped as the datasheet says."""
    return min(100.0, max(0.0, -6.0 + 125.0 * raw / 65535.0))


class _Sht(I2CSensor):
    quantities = (Quantity.TEMPERATURE, Quantity.HUMIDITY)
    _command = SHT3X_MEASURE
    _wait_s = SHT3X_WAIT_S
    _humidity: Callable[[int], float] = staticmethod(sht3x_humidity_pct)

    default_address = SHT3X_ADDRESS

    def measure(self) -> dict[Quantity, float]:
        self._i2c.write(self._command)
        self._sleep(self._wait_s)
        reply = self._i2c.read(6)
        words = split_checked_words(reply)
        if words is None:
            raise DeviceError(f"{self.name}: CRC mismatch in reply {reply.hex()}")
        raw_t, raw_rh = words
        return {
            Quantity.TEMPERATURE: sht3x_temperature_c(raw_t),
            Quantity.HUMIDITY: self._humidity(raw_rh),
        }

    def close(self) -> None:
        self._i2c.close()
        super().close()


class SHT3x(_Sht):
    """SHT30/SHT31/SHT35: `SHT3x(0x44, bus=SMBus(1))` or `SHT3x(bus_number=1)`."""


class SHT4x(_Sht):
    """SHT40/SHT41/SHT45 (same wiring as SHT3x, one-byte commands)."""

    _command = SHT4X_MEASURE
    _wait_s = SHT4X_WAIT_S
    _humidity = staticmethod(sht4x_humidity_pct)
