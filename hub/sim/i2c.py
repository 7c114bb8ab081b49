"""A fake I2C bus with simulated SHT31, SHT4x, BH1750 and BME280 chips behind it.

`FakeI2CBus` offers the smbus2 `SMBus` methods the drivers use (`i2c_rdwr` and the
common register helpers). Each chip answers at the byte level, with real CRCs and
a little measurement noise, and can be told to send bad CRCs, freeze, or go silent.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import random
import threading
from enum import Enum
from types import TracebackType
from typing import Any

from hub.sensors.bme280 import CHIP_ID, Calibration, compensate_humidity_pct, t_fine
from hub.sensors.crc import with_crc

_LOGGER = logging.getLogger(__name__)

I2C_M_RD = 0x0001


def _nack(what: str) -> OSError:
    # What the Linux i2c-dev driver raises when nothing acknowledges: EREMOTEIO (121).
    return OSError(errno.EREMOTEIO, f"Remote I/O error ({what})")


class Fault(str, Enum):
    """What a simulated chip does wrong."""

    NONE = "none"
    BAD_CRC = "bad_crc"  # every reply has its CRC bytes flipped
    STUCK = "stuck"  # replies repeat the last measurement, bit for bit, forever
    SILENT = "silent"  # no ACK at all: unplugged, or dead


class FakeChip:
    """Base of the simulated chips: `write` and `read` see raw bytes, like the wire."""

    def __init__(self, *, seed: int = 0, noise_lsb: int = 3) -> None:
        self.fault = Fault.NONE
        self.noise_lsb = noise_lsb
        self._random = random.Random(seed)

    def _noise(self) -> int:
        return self._random.randint(-self.noise_lsb, self.noise_lsb) if self.noise_lsb else 0

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, length: int) -> bytes:
        raise NotImplementedError


class FakeSHT(FakeChip):
    """An SHT31 (or, with `family="sht4x"`, an SHT4x) at the byte level."""

    def __init__(
        self,
        temperature_c: float | None = 22.0,
        humidity_pct: float | None = 40.0,
        *,
        family: str = "sht3x",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.temperature_c = temperature_c
        self.humidity_pct = humidity_pct
        self.family = family
        self._pending: bytes | None = None
        self._last_reply = b""

    def _measure_command(self) -> bytes:
        return bytes((0xFD,)) if self.family == "sht4x" else bytes((0x24, 0x00))

    def _raw(self) -> tuple[int, int]:
        assert self.temperature_c is not None and self.humidity_pct is not None
        raw_t = round((self.temperature_c + 45.0) * 65535.0 / 175.0) + self._noise()
        if self.family == "sht4x":
            raw_rh = round((self.humidity_pct + 6.0) * 65535.0 / 125.0) + self._noise()
        else:
            raw_rh = round(self.humidity_pct * 65535.0 / 100.0) + self._noise()
        return max(0, min(0xFFFF, raw_t)), max(0, min(0xFFFF, raw_rh))

    def write(self, data: bytes) -> None:
        if data != self._measure_command():
            raise _nack(f"{self.family} does not know command {data.hex()}")
        if self.fault is Fault.STUCK and self._last_reply:
            self._pending = self._last_reply
            return
        raw_t, raw_rh = self._raw()
        reply = with_crc(raw_t) + with_crc(raw_rh)
        self._last_reply = reply
        if self.fault is Fault.BAD_CRC:
            reply = bytes((reply[0], reply[1], reply[2] ^ 0x5A, reply[3], reply[4], reply[5] ^ 0xA5))
        self._pending = reply

    def read(self, length: int) -> bytes:
        if self._pending is None:
            raise _nack(f"{self.family} has no measurement ready")
        reply, self._pending = self._pending, None
        return reply[:length].ljust(length, b"\xff")

    def has_value(self) -> bool:
        return self.temperature_c is not None and self.humidity_pct is not None


class FakeBH1750(FakeChip):
    """A BH1750 at the byte level: power on, one-time or continuous high-res mode, 2-byte reads."""

    def __init__(self, light_lux: float | None = 300.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.light_lux = light_lux
        self._is_powered = False
        self._count: int | None = None
        self._continuous = False

    def write(self, data: bytes) -> None:
        if len(data) != 1:
            raise _nack("bh1750 takes one-byte opcodes")
        opcode = data[0]
        if opcode == 0x00:
            self._is_powered = False
        elif opcode == 0x01:
            self._is_powered = True
        elif opcode == 0x07:
            self._count = None
        elif opcode in (0x10, 0x20):
            self._continuous = opcode == 0x10
            if self.fault is not Fault.STUCK or self._count is None:
                self._count = self._measure()
        else:
            raise _nack(f"bh1750 does not know opcode 0x{opcode:02x}")

    def _measure(self) -> int:
        assert self.light_lux is not None
        return max(0, min(0xFFFF, round(self.light_lux * 1.2) + (self._noise() if self.light_lux > 1 else 0)))

    def read(self, length: int) -> bytes:
        if self._count is None:
            raise _nack("bh1750 has no measurement")
        count = self._count
        if self._continuous and self.fault is not Fault.STUCK:
            self._count = self._measure()
        reply = bytes(((count >> 8) & 0xFF, count & 0xFF))
        if self.fault is Fault.BAD_CRC:  # the BH1750 has no CRC: corruption is just a wrong number
            reply = b"\xff\xff"
        return reply[:length]

    def has_value(self) -> bool:
        return self.light_lux is not None


# Trimming values close to a real chip's, so the compensation path is exercised.
TYPICAL_BME280 = Calibration(t1=27504, t2=26435, t3=-1000, h1=75, h2=362, h3=0, h4=313, h5=50, h6=30)


class FakeBME280(FakeChip):
    """A BME280 register map; `chip_id=0x58` makes it a BMP280 that the driver must refuse."""

    def __init__(
        self,
        temperature_c: float | None = 22.0,
        humidity_pct: float | None = 40.0,
        *,
        chip_id: int = CHIP_ID,
        calibration: Calibration = TYPICAL_BME280,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.temperature_c = temperature_c
        self.humidity_pct = humidity_pct
        self.calibration = calibration
        self.registers = bytearray(256)
        self.registers[0xD0] = chip_id
        block_a, block_b = calibration.to_registers()
        self.registers[0x88 : 0x88 + 26] = block_a
        self.registers[0xE1 : 0xE1 + 7] = block_b
        self.registers[0xF7:0xFF] = bytes((0x80, 0, 0, 0x80, 0, 0, 0x80, 0))  # "skipped" until measured
        self._pointer = 0

    def write(self, data: bytes) -> None:
        if not data:
            raise _nack("bme280 needs a register address")
        self._pointer = data[0]
        for i in range(0, len(data) - 1, 2):
            register, value = data[i], data[i + 1]
            self.registers[register] = value
            if register == 0xF4 and value & 0x03 and not (self.fault is Fault.STUCK and self.registers[0xFA] != 0x80):
                self._measure()

    def _measure(self) -> None:
        assert self.temperature_c is not None and self.humidity_pct is not None
        cal = self.calibration
        adc_t = _invert(lambda a: t_fine(cal, a) / 5120.0, self.temperature_c, 0, (1 << 20) - 1)
        adc_t = max(0, min((1 << 20) - 1, adc_t + self._noise() * 8))
        fine = t_fine(cal, adc_t)
        adc_h = _invert(lambda a: compensate_humidity_pct(cal, a, fine), self.humidity_pct, 0, 0xFFFF)
        adc_h = max(0, min(0xFFFF, adc_h + self._noise()))
        self.registers[0xFA:0xFD] = bytes(((adc_t >> 12) & 0xFF, (adc_t >> 4) & 0xFF, (adc_t & 0x0F) << 4))
        self.registers[0xFD:0xFF] = bytes(((adc_h >> 8) & 0xFF, adc_h & 0xFF))

    def read(self, length: int) -> bytes:
        start = self._pointer
        self._pointer = (start + length) & 0xFF
        reply = bytes(self.registers[(start + i) & 0xFF] for i in range(length))
        if self.fault is Fault.BAD_CRC and start == 0xF7:  # no CRC on this chip: a garbled word
            reply = reply[:3] + b"\x80\x00\x00" + reply[6:]
        return reply

    def has_value(self) -> bool:
        return self.temperature_c is not None and self.humidity_pct is not None


def _invert(function: Any, target: float, low: int, high: int) -> int:
    """Return the raw integer whose compensated value is closest to `target` (monotonic)."""
    while low < high:
        middle = (low + high) // 2
        if function(middle) < target:
            low = middle + 1
        else:
            high = middle
    return low


class FakeI2CBus:
    """An smbus2-compatible bus: `SHT3x(bus=FakeI2CBus({0x44: FakeSHT()}))`.

    A chip whose fault is `silent`, or whose value is None, does not acknowledge,
    exactly like an unplugged one. Thread-safe, like the kernel's bus lock.
    """

    def __init__(self, chips: dict[int, FakeChip] | None = None) -> None:
        self.chips: dict[int, FakeChip] = dict(chips or {})
        self.closed = False
        self.transfers = 0
        self._lock = threading.Lock()

    def _chip(self, address: int) -> FakeChip:
        if self.closed:
            raise OSError(errno.EBADF, "bus is closed")
        chip = self.chips.get(address)
        has_value = getattr(chip, "has_value", lambda: True)
        if chip is None or chip.fault is Fault.SILENT or not has_value():
            raise _nack(f"nothing at 0x{address:02x}")
        return chip

    def i2c_rdwr(self, *i2c_msgs: Any) -> None:
        with self._lock:
            for msg in i2c_msgs:
                self.transfers += 1
                chip = self._chip(msg.addr)
                if msg.flags & I2C_M_RD:
                    data = chip.read(msg.len)
                    ctypes.memmove(msg.buf, data, min(len(data), msg.len))
                else:
                    chip.write(bytes(msg))

    def write_byte(self, i2c_addr: int, value: int, force: bool | None = None) -> None:
        with self._lock:
            self._chip(i2c_addr).write(bytes((value,)))

    def read_byte(self, i2c_addr: int, force: bool | None = None) -> int:
        with self._lock:
            return self._chip(i2c_addr).read(1)[0]

    def write_byte_data(self, i2c_addr: int, register: int, value: int, force: bool | None = None) -> None:
        with self._lock:
            self._chip(i2c_addr).write(bytes((register, value)))

    def read_byte_data(self, i2c_addr: int, register: int, force: bool | None = None) -> int:
        return self.read_i2c_block_data(i2c_addr, register, 1)[0]

    def read_i2c_block_data(self, i2c_addr: int, register: int, length: int, force: bool | None = None) -> list[int]:
        with self._lock:
            chip = self._chip(i2c_addr)
            chip.write(bytes((register,)))
            return list(chip.read(length))

    def write_i2c_block_data(self, i2c_addr: int, register: int, data: list[int], force: bool | None = None) -> None:
        with self._lock:
            self._chip(i2c_addr).write(bytes((register, *data)))

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> "FakeI2CBus":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
