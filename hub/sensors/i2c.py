"""Raw I2C transfers for the sensor drivers, with every bus error made a `DeviceError`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from hub.errors import DeviceError
from hub.sensors.quality import ReadPolicy, RoomSensor

_LOGGER = logging.getLogger(__name__)


class I2CBus(Protocol):
    """The part of smbus2's `SMBus` the drivers use; `hub.sim.i2c.FakeI2CBus` has it too."""

    def i2c_rdwr(self, *i2c_msgs: Any) -> None: ...

    def close(self) -> None: ...


def open_bus(bus_number: int) -> I2CBus:
    """Return the real `/dev/i2c-<bus_number>` bus, or raise `DeviceError` if it is missing."""
    from smbus2 import SMBus  # local import: tests never touch a real bus

    try:
        return SMBus(bus_number)
    except OSError as exc:
        raise DeviceError(
            f"/dev/i2c-{bus_number}: cannot open ({exc.strerror}); enable I2C, see firmware-config/"
        ) from None


class I2CTransport:
    """One device address on a bus. Owns the bus only if it opened it.

    Uses plain write and read messages (`i2c_rdwr`), not SMBus register reads: the
    Sensirion and BH1750 chips take bare commands and have no register address.
    """

    def __init__(self, address: int, *, bus: I2CBus | None = None, bus_number: int = 1, name: str = "") -> None:
        self.address = address
        self.name = name or f"i2c 0x{address:02x}"
        self._owns_bus = bus is None
        self.bus: I2CBus = bus if bus is not None else open_bus(bus_number)

    def write(self, data: bytes) -> None:
        """Send `data` to the device; a missing ACK raises `DeviceError`."""
        from smbus2 import i2c_msg

        try:
            self.bus.i2c_rdwr(i2c_msg.write(self.address, data))
        except OSError as exc:
            raise DeviceError(f"{self.name}: write failed ({exc})") from None

    def read(self, length: int) -> bytes:
        """Return `length` bytes read from the device, or raise `DeviceError`."""
        from smbus2 import i2c_msg

        msg = i2c_msg.read(self.address, length)
        try:
            self.bus.i2c_rdwr(msg)
        except OSError as exc:
            raise DeviceError(f"{self.name}: read failed ({exc})") from None
        return bytes(msg)

    def write_read(self, data: bytes, length: int) -> bytes:
        """Write `data` then read `length` bytes in one transaction (register reads)."""
        from smbus2 import i2c_msg

        out = i2c_msg.write(self.address, data)
        msg = i2c_msg.read(self.address, length)
        try:
            self.bus.i2c_rdwr(out, msg)
        except OSError as exc:
            raise DeviceError(f"{self.name}: register read failed ({exc})") from None
        return bytes(msg)

    def close(self) -> None:
        """Close the bus if this transport opened it."""
        if self._owns_bus:
            try:
                self.bus.close()
            except OSError as exc:
                _LOGGER.debug("%s: close failed: %s", self.name, exc)


class I2CSensor(RoomSensor):
    """A room sensor at an I2C address; the bus is its backend, as a pin factory is gpiozero's.

    Subclasses set `default_address` and implement `measure()` with `self._i2c`.
    Pass `bus=` (an SMBus or the simulator's fake bus) or let it open `bus_number`.
    """

    default_address = 0x00

    def __init__(
        self,
        address: int | None = None,
        *,
        bus: I2CBus | None = None,
        bus_number: int = 1,
        policy: ReadPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(policy=policy, clock=clock, sleep=sleep)
        self.address = self.default_address if address is None else address
        self.name = f"{type(self).__name__.lower()}@0x{self.address:02x}"
        self._i2c = I2CTransport(self.address, bus=bus, bus_number=bus_number, name=self.name)
