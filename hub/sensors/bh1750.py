"""ROHM BH1750 ambient light sensor over I2C, for "keep the pump out of direct sunlight"."""

from __future__ import annotations

import logging

from hub.errors import DeviceError
from hub.sensors.i2c import I2CSensor
from hub.sensors.reading import Quantity

_LOGGER = logging.getLogger(__name__)

BH1750_ADDRESS = 0x23  # 0x5C with ADDR pulled high
POWER_ON = 0x01
# One-time high-resolution mode: the chip measures once and powers down. Used instead
# of continuous mode so a chip that lost power mid-run behaves exactly like a fresh one.
ONE_TIME_HIGH_RES = 0x20
MEASURE_WAIT_S = 0.18  # datasheet: 120 ms typical, 180 ms max
LUX_PER_COUNT = 1 / 1.2  # datasheet, default MTreg 69


def bh1750_lux(raw: int) -> float:
    """Return lux from the chip's 16-bit count (saturates at 54612 lx)."""
    return raw * LUX_PER_COUNT


class BH1750(I2CSensor):
    """A BH1750 light sensor: `BH1750(0x23, bus=SMBus(1))`."""

    quantities = (Quantity.LIGHT,)

    default_address = BH1750_ADDRESS

    def measure(self) -> dict[Quantity, float]:
        self._i2c.write(bytes((POWER_ON,)))
        self._i2c.write(bytes((ONE_TIME_HIGH_RES,)))
        self._sleep(MEASURE_WAIT_S)
        reply = self._i2c.read(2)
        if len(reply) != 2:
            raise DeviceError(f"{self.name}: short reply {reply.hex()}")
        return {Quantity.LIGHT: bh1750_lux((reply[0] << 8) | reply[1])}

    def close(self) -> None:
        self._i2c.close()
        super().close()
