"""Bosch BME280 temperature and humidity sensor over I2C, refused unless its chip id is right.

A BMP280 (chip id 0x58) looks identical on the board but has no humidity sensor;
reading one as a BME280 would invent humidity, so the id is checked on every read.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass

from hub.errors import DeviceError
from hub.sensors.i2c import I2CSensor
from hub.sensors.reading import Quantity

_LOGGER = logging.getLogger(__name__)

BME280_ADDRESS = 0x76  # 0x77 with SDO pulled high
CHIP_ID = 0x60
REG_CHIP_ID = 0xD0
REG_CALIB_A = 0x88  # 26 bytes: dig_T1..dig_P9, (0xA0 unused), dig_H1 at 0xA1
REG_CALIB_B = 0xE1  # 7 bytes: dig_H2..dig_H6
REG_CTRL_HUM = 0xF2
REG_STATUS = 0xF3
REG_CTRL_MEAS = 0xF4
REG_DATA = 0xF7  # 8 bytes: press[3], temp[3], hum[2]
CTRL_HUM_X1 = 0x01
CTRL_MEAS_FORCED_X1 = 0x25  # osrs_t x1, osrs_p x1, forced mode
STATUS_MEASURING = 0x08
MEASURE_WAIT_S = 0.010  # datasheet max for x1/x1/x1 is 9.3 ms
SKIPPED_T = 0x80000  # what the chip sends for a measurement it did not make
SKIPPED_H = 0x8000


@dataclass(frozen=True)
class Calibration:
    """The factory trimming values each BME280 stores (datasheet table 16)."""

    t1: int
    t2: int
    t3: int
    h1: int
    h2: int
    h3: int
    h4: int
    h5: int
    h6: int

    @classmethod
    def from_registers(cls, block_a: bytes, block_b: bytes) -> "Calibration":
        """Return the calibration from the 26 bytes at 0x88 and the 7 bytes at 0xE1."""
        t1, t2, t3 = struct.unpack_from("<Hhh", block_a, 0)
        h1 = block_a[25]
        h2, h3 = struct.unpack_from("<hB", block_b, 0)
        e4, e5, e6 = block_b[3], block_b[4], block_b[5]
        h4 = _signed12((e4 << 4) | (e5 & 0x0F))
        h5 = _signed12((e6 << 4) | (e5 >> 4))
        h6 = struct.unpack_from("<b", block_b, 6)[0]
        return cls(t1, t2, t3, h1, h2, h3, h4, h5, h6)

    def to_registers(self) -> tuple[bytes, bytes]:
        """Return the two register blocks for this calibration (used by the simulator)."""
        block_a = bytearray(26)
        struct.pack_into("<Hhh", block_a, 0, self.t1, self.t2, self.t3)
        block_a[25] = self.h1
        h4 = self.h4 & 0xFFF
        h5 = self.h5 & 0xFFF
        block_b = struct.pack("<hBBBBb", self.h2, self.h3, h4 >> 4, (h4 & 0x0F) | ((h5 & 0x0F) << 4), h5 >> 4, self.h6)
        return bytes(block_a), block_b


def _signed12(value: int) -> int:
    return value - 0x1000 if value & 0x800 else value


def t_fine(cal: Calibration, adc_t: int) -> float:
    """Return the datasheet's intermediate `t_fine` (floating-point formula, section 8.1)."""
    var1 = (adc_t / 16384.0 - cal.t1 / 1024.0) * cal.t2
    var2 = ((adc_t / 131072.0 - cal.t1 / 8192.0) ** 2) * cal.t3
    return var1 + var2


def compensate_temperature_c(cal: Calibration, adc_t: int) -> float:
    """Return °C from a raw 20-bit temperature reading."""
    return t_fine(cal, adc_t) / 5120.0


def compensate_humidity_pct(cal: Calibration, adc_h: int, fine: float) -> float:
    """Return %RH from a raw 16-bit humidity reading and the temperature's `t_fine`."""
    var_h = fine - 76800.0
    var_h = (adc_h - (cal.h4 * 64.0 + cal.h5 / 16384.0 * var_h)) * (
        cal.h2 / 65536.0 * (1.0 + cal.h6 / 67108864.0 * var_h * (1.0 + cal.h3 / 67108864.0 * var_h))
    )
    var_h = var_h * (1.0 - cal.h1 * var_h / 524288.0)
    return min(100.0, max(0.0, var_h))


class BME280(I2CSensor):
    """A BME280 in forced mode: `BME280(0x76, bus=SMBus(1))`. Pressure is not used."""

    quantities = (Quantity.TEMPERATURE, Quantity.HUMIDITY)

    default_address = BME280_ADDRESS
    _calibration: Calibration | None = None

    def _check_chip(self) -> None:
        chip_id = self._i2c.write_read(bytes((REG_CHIP_ID,)), 1)[0]
        if chip_id != CHIP_ID:
            self._calibration = None
            raise DeviceError(
                f"{self.name}: chip id 0x{chip_id:02x}, expected 0x{CHIP_ID:02x} (a BMP280 has no humidity)"
            )

    def measure(self) -> dict[Quantity, float]:
        # Checked every time: a swapped or reset board must not keep old calibration.
        self._check_chip()
        if self._calibration is None:
            block_a = self._i2c.write_read(bytes((REG_CALIB_A,)), 26)
            block_b = self._i2c.write_read(bytes((REG_CALIB_B,)), 7)
            self._calibration = Calibration.from_registers(block_a, block_b)
        self._i2c.write(bytes((REG_CTRL_HUM, CTRL_HUM_X1)))  # takes effect on the ctrl_meas write
        self._i2c.write(bytes((REG_CTRL_MEAS, CTRL_MEAS_FORCED_X1)))
        self._sleep(MEASURE_WAIT_S)
        if self._i2c.write_read(bytes((REG_STATUS,)), 1)[0] & STATUS_MEASURING:
            raise DeviceError(f"{self.name}: measurement not finished in time")
        data = self._i2c.write_read(bytes((REG_DATA,)), 8)
        adc_t = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4)
        adc_h = (data[6] << 8) | data[7]
        if adc_t == SKIPPED_T or adc_h == SKIPPED_H:
            raise DeviceError(f"{self.name}: measurement skipped (chip reset?)")
        fine = t_fine(self._calibration, adc_t)
        return {
            Quantity.TEMPERATURE: fine / 5120.0,
            Quantity.HUMIDITY: compensate_humidity_pct(self._calibration, adc_h, fine),
        }

    def close(self) -> None:
        self._i2c.close()
        super().close()
