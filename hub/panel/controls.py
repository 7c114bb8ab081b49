"""The hub's front panel on GPIO: talk and acknowledge buttons, a status LED, an alarm buzzer.

The buzzer is the alarm of last resort: it needs no sound card, speech or speaker,
so an urgent finding is still heard when audio has failed. The status LED never
shows green on its own: "ok" fades to the unknown pattern unless it is confirmed
again within `ok_expires_s`, so a hung hub cannot leave a reassuring light on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from hub.core.severity import Severity

_LOGGER = logging.getLogger(__name__)

# BCM numbers; the same table is firmware-config/WIRING.md.
TALK_PIN = 17
ACK_PIN = 27
LED_PINS = (5, 6, 13)  # red, green, blue of a common-cathode RGB LED
BUZZER_PIN = 26

OFF = (0, 0, 0)
GREEN = (0, 1, 0)
AMBER = (1, 1, 0)
RED = (1, 0, 0)

# (on colour, on seconds, off seconds); off None means steady. Unknown blinks amber
# slowly: it must look like "look at me", never like the steady green of ok.
_LED_PATTERNS: dict[Severity, tuple[tuple[int, int, int], float, float | None]] = {
    Severity.OK: (GREEN, 1.0, None),
    Severity.INFO: (GREEN, 1.0, None),
    Severity.UNKNOWN: (AMBER, 0.5, 1.5),
    Severity.WARNING: (AMBER, 1.0, None),
    Severity.URGENT: (RED, 0.25, 0.25),
}
# Beep rhythm per severity, IEC 60601-1-8 in spirit: urgent is fast and insistent.
_BUZZER_PATTERNS: dict[Severity, tuple[float, float]] = {
    Severity.URGENT: (0.25, 0.25),
    Severity.WARNING: (0.2, 1.8),
    Severity.UNKNOWN: (0.1, 4.9),
}


class Panel:
    """`Panel(pin_factory=MockFactory())` in tests; on the Pi the default pin factory.

    Set `when_talk` and `when_acknowledge` to callables with no arguments; they run
    on gpiozero's event thread, so keep them short (post to a queue).
    """

    def __init__(
        self,
        *,
        talk_pin: int = TALK_PIN,
        ack_pin: int = ACK_PIN,
        led_pins: tuple[int, int, int] = LED_PINS,
        buzzer_pin: int = BUZZER_PIN,
        ok_expires_s: float = 120.0,
        bounce_time_s: float = 0.05,
        pin_factory: Any = None,
    ) -> None:
        from gpiozero import Button, Buzzer, RGBLED  # local import: only a Pi with a panel loads gpiozero

        self.ok_expires_s = ok_expires_s
        self.when_talk: Callable[[], None] | None = None
        self.when_acknowledge: Callable[[], None] | None = None
        self.shown = Severity.UNKNOWN
        self.sounding: Severity | None = None
        self._lock = threading.Lock()
        self._expiry: threading.Timer | None = None
        self._devices: list[Any] = []
        try:
            button = {"pull_up": True, "bounce_time": bounce_time_s, "pin_factory": pin_factory}
            self.talk_button = self._own(Button(talk_pin, **button))
            self.ack_button = self._own(Button(ack_pin, **button))
            self.led = self._own(RGBLED(*led_pins, pwm=False, pin_factory=pin_factory))
            self.buzzer = self._own(Buzzer(buzzer_pin, pin_factory=pin_factory))
        except Exception:
            self.close()
            raise
        self.talk_button.when_pressed = self._on_talk
        self.ack_button.when_pressed = self._on_acknowledge
        self.show(Severity.UNKNOWN)

    def _own(self, device: Any) -> Any:
        self._devices.append(device)
        return device

    def _on_talk(self) -> None:
        _LOGGER.info("Talk button pressed")
        if self.when_talk is not None:
            self.when_talk()

    def _on_acknowledge(self) -> None:
        _LOGGER.info("Acknowledge button pressed")
        if self.when_acknowledge is not None:
            self.when_acknowledge()

    def show(self, severity: Severity) -> None:
        """Show `severity` on the status LED; ok and info must be re-shown within `ok_expires_s`."""
        with self._lock:
            if self._expiry is not None:
                self._expiry.cancel()
                self._expiry = None
            self.shown = severity
            colour, on_s, off_s = _LED_PATTERNS[severity]
            if off_s is None:
                self.led.color = colour
            else:
                self.led.blink(on_time=on_s, off_time=off_s, on_color=colour, off_color=OFF, background=True)
            if severity in (Severity.OK, Severity.INFO):
                self._expiry = threading.Timer(self.ok_expires_s, self._expire)
                self._expiry.daemon = True
                self._expiry.start()

    def _expire(self) -> None:
        _LOGGER.warning("Status LED: ok not confirmed for %.0f s, showing unknown", self.ok_expires_s)
        self.show(Severity.UNKNOWN)

    def sound(self, severity: Severity) -> None:
        """Beep the buzzer in the rhythm for `severity` until `silence()`; ok and info are silent."""
        pattern = _BUZZER_PATTERNS.get(severity)
        if pattern is None:
            self.silence()
            return
        on_s, off_s = pattern
        self.sounding = severity
        self.buzzer.beep(on_time=on_s, off_time=off_s, background=True)
        _LOGGER.info("Buzzer sounding for %s", severity.value)

    def silence(self) -> None:
        """Stop the buzzer."""
        self.sounding = None
        self.buzzer.off()

    @property
    def is_sounding(self) -> bool:
        return self.sounding is not None

    def close(self) -> None:
        """Turn everything off and release the pins."""
        if self._expiry is not None:
            self._expiry.cancel()
        for device in reversed(self._devices):
            try:
                device.close()
            except Exception as exc:  # gpiozero's own hierarchy; closing must not hide the real error
                _LOGGER.debug("Closing %s failed: %s", device, exc)
        self._devices.clear()

    def __enter__(self) -> "Panel":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
