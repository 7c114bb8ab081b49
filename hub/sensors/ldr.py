"""A light-dependent resistor on a GPIO pin (gpiozero `LightSensor`): the cheap light option.

An LDR and capacitor give a charge time, not lux. The value is mapped to lux with one
calibration number, so it is only good for "is the pump in bright sunlight". A value
of exactly zero means the capacitor never charged, which a cut wire also produces, so
it is reported as failed rather than as a dark room.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from hub.errors import DeviceError
from hub.sensors.quality import ReadPolicy, RoomSensor
from hub.sensors.reading import Quantity

_LOGGER = logging.getLogger(__name__)

# Rough default: an LDR (GL5528) with 1 µF reads near full scale in direct sun.
# Calibrate per board against a BH1750 or a lux meter; see firmware-config/WIRING.md.
DEFAULT_LUX_AT_FULL_SCALE = 60_000.0


class LdrLightSensor(RoomSensor):
    """`LdrLightSensor(18, pin_factory=MockFactory(pin_class=MockChargingPin))`."""

    quantities = (Quantity.LIGHT,)

    def __init__(
        self,
        pin: int | str,
        *,
        pin_factory: Any = None,
        lux_at_full_scale: float = DEFAULT_LUX_AT_FULL_SCALE,
        charge_time_limit_s: float = 0.01,
        first_value_timeout_s: float = 2.0,
        policy: ReadPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(policy=policy, clock=clock, sleep=sleep)
        from gpiozero import LightSensor  # local import: only boards with an LDR pay for it

        self.name = f"ldr@{pin}"
        self.lux_at_full_scale = lux_at_full_scale
        self._timeout_s = first_value_timeout_s
        try:
            self._device = LightSensor(
                pin, charge_time_limit=charge_time_limit_s, partial=True, pin_factory=pin_factory
            )
        except Exception as exc:  # gpiozero raises its own hierarchy (GPIOZeroError, PinError)
            raise DeviceError(f"{self.name}: cannot open ({exc})") from None

    def measure(self) -> dict[Quantity, float]:
        # gpiozero's queue fills in a background thread; wait for it with a timeout
        # rather than let `.value` block forever on a dead pin.
        queue = getattr(self._device, "_queue", None)
        if queue is not None and not queue.full.wait(self._timeout_s):
            raise DeviceError(f"{self.name}: no charge-time samples within {self._timeout_s:g} s")
        value = float(self._device.value)
        if value <= 0.0:
            raise DeviceError(f"{self.name}: capacitor never charged (dark, or a cut wire)")
        return {Quantity.LIGHT: value * self.lux_at_full_scale}

    def close(self) -> None:
        self._device.close()
        super().close()
