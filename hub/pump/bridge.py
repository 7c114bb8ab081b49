"""The serial link to the pump-monitor bridge: find it, read frames, notice unplugging, reconnect.

`PumpBridge.poll()` is one step of the link: it (re)opens the port when due, reads
what arrived, and returns the valid frames. It never raises for I/O; a lost port
becomes "not connected" and is retried with exponential backoff. The bridge counts
as connected only while valid frames keep arriving, so a port that is open but
silent, or full of garbage, is as good as unplugged.
"""

from __future__ import annotations

import glob
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import serial

from hub.pump.protocol import Frame, FrameReader

_LOGGER = logging.getLogger(__name__)

# udev gives the bridge /dev/hub-bridge (firmware-config/udev/99-hub-bridge.rules);
# the kernel's own stable name is the by-id link of a MicroPython board.
DEFAULT_PORT_PATTERNS = (
    "/dev/hub-bridge",
    "/dev/serial/by-id/usb-MicroPython_Board_in_FS_mode_*-if00",
)
BAUDRATE = 115200  # USB CDC ignores it; kept for a UART-wired bridge


@dataclass(frozen=True)
class Backoff:
    """Delay before reconnect attempt n (0-based): initial, doubling, capped at `max_s`.

    The cap bounds recovery time after a replug: with the defaults a bridge that comes
    back is read again within about 5 s.
    """

    initial_s: float = 0.5
    max_s: float = 5.0
    factor: float = 2.0

    def delay_s(self, failures: int) -> float:
        return min(self.max_s, self.initial_s * self.factor ** min(failures, 32))


def find_bridge(patterns: Sequence[str] = DEFAULT_PORT_PATTERNS) -> str | None:
    """Return the bridge's device path from the first pattern that matches, or None."""
    for pattern in patterns:
        matches = sorted(glob.glob(pattern))
        if matches:
            return matches[0]
    return None


class PumpBridge:
    """The bridge on a serial port named by URL, or found by its stable by-id name.

    `PumpBridge("/dev/pts/3")`, `PumpBridge(patterns=("/tmp/by-id/usb-*",))`. Call
    `poll()` in a loop (`PumpMonitor` does, on its own thread).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        patterns: Sequence[str] = DEFAULT_PORT_PATTERNS,
        baudrate: int = BAUDRATE,
        read_timeout_s: float = 0.1,
        silence_timeout_s: float = 5.0,
        backoff: Backoff = Backoff(),
        open_port: Callable[..., Any] = serial.serial_for_url,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.patterns = tuple(patterns)
        self.baudrate = baudrate
        self.read_timeout_s = read_timeout_s
        self.silence_timeout_s = silence_timeout_s
        self.backoff = backoff
        self._open_port = open_port
        self._clock = clock
        self._port: Any = None
        self._failures = 0
        self._next_attempt_s = 0.0
        self._opened_s = 0.0
        self._stop = threading.Event()
        self.reader = FrameReader()
        self.last_frame_s: float | None = None
        self.session = 0  # increases on every successful open; frames of old sessions are void
        self.connects = 0
        self.disconnects = 0
        self.port_name = ""

    @property
    def is_open(self) -> bool:
        return self._port is not None

    @property
    def is_connected(self) -> bool:
        """True while the port is open and a valid frame came within the silence timeout."""
        if self._port is None or self.last_frame_s is None or self.last_frame_s < self._opened_s:
            return False
        return self._clock() - self.last_frame_s <= self.silence_timeout_s

    def poll(self) -> list[Frame]:
        """Do one step of the link and return the valid frames that arrived."""
        if self._stop.is_set():
            return []
        if self._port is None:
            wait_s = self._next_attempt_s - self._clock()
            if wait_s > 0:
                self._stop.wait(min(wait_s, self.read_timeout_s))
                return []
            if not self._connect():
                return []
        try:
            data = self._port.read(max(1, self._port.in_waiting))
        except (serial.SerialException, OSError) as exc:
            self._drop(f"read failed: {exc}")
            return []
        frames = self.reader.feed(data) if data else []
        now_s = self._clock()
        if frames:
            self.last_frame_s = now_s
            self._failures = 0
        quiet_since_s = max(self._opened_s, self.last_frame_s or 0.0)
        if now_s - quiet_since_s > self.silence_timeout_s:
            self._drop(f"no valid frame for {now_s - quiet_since_s:.1f} s")
        return frames

    def _connect(self) -> bool:
        name = self.url or find_bridge(self.patterns)
        if name is None:
            self._schedule_retry("no bridge found at " + ", ".join(self.patterns))
            return False
        try:
            self._port = self._open_port(name, baudrate=self.baudrate, timeout=self.read_timeout_s)
        except (serial.SerialException, OSError, ValueError) as exc:
            self._schedule_retry(f"cannot open {name}: {exc}")
            return False
        self.port_name = name
        self._opened_s = self._clock()
        self.reader.reset()
        self.session += 1
        self.connects += 1
        _LOGGER.info("Opened pump bridge at %s", name)
        return True

    def _schedule_retry(self, why: str) -> None:
        delay_s = self.backoff.delay_s(self._failures)
        self._failures += 1
        self._next_attempt_s = self._clock() + delay_s
        _LOGGER.debug("Pump bridge not connected (%s); retry in %.2f s", why, delay_s)

    def _drop(self, why: str) -> None:
        _LOGGER.warning("Pump bridge at %s lost: %s", self.port_name or "?", why)
        self._close_port()
        self.disconnects += 1
        self._schedule_retry(why)

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError) as exc:
                _LOGGER.debug("Closing %s failed: %s", self.port_name, exc)

    def close(self) -> None:
        """Close the port and make further polls return nothing."""
        self._stop.set()
        self._close_port()

    def __enter__(self) -> "PumpBridge":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
