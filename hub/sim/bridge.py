"""A simulated pump bridge on a pseudo-terminal, speaking the real protocol from a timeline.

The hub opens the pty's slave side exactly as it opens the real USB serial device,
and finds it through a by-id style symlink, so discovery, framing, unplug detection
and reconnects all run the production code. `unplug()` closes the pty (the hub's
next read fails like a pulled cable) and removes the link; `replug()` makes a new
pty, as a re-enumerated USB device would get, and the bridge restarts from t_ms 0.
"""

from __future__ import annotations

import logging
import os
import random
import tempfile
import threading
import time
import tty
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any

from hub.errors import ScenarioError

from hub.core.home import PumpLight
from hub.pump.classify import SampleColour
from hub.pump.protocol import Beep, Frame, Hello, LightSample, Payload, Status, encode_frame

_LOGGER = logging.getLogger(__name__)

BY_ID_NAME = "usb-MicroPython_Board_in_FS_mode_e6614c311b000001-if00"
BY_ID_PATTERN = "usb-MicroPython_Board_in_FS_mode_*-if00"
FIRMWARE = "sim-1.0"

# Raw TCS34725 counts for each colour, as the firmware would read them off the LED.
RGBC: dict[SampleColour, tuple[int, int, int, int]] = {
    SampleColour.GREEN: (300, 2000, 500, 2800),
    SampleColour.AMBER: (2000, 1100, 150, 3200),
    SampleColour.RED: (2500, 300, 250, 3000),
    SampleColour.BLUE: (200, 500, 2200, 2900),
    SampleColour.OFF: (20, 25, 18, 60),
    SampleColour.UNCLEAR: (1200, 400, 1300, 2900),  # purple: no colour the pump shows
}

# More than this many ticks behind, the simulated bridge slows down rather than burst
# more than the pty buffer holds.
MAX_CATCH_UP_TICKS = 10

FLASH_PERIOD_MS = 1500
FLASH_ON_MS = 300


def _flash(colour: SampleColour) -> Callable[[int], SampleColour]:
    return lambda t: colour if t % FLASH_PERIOD_MS < FLASH_ON_MS else SampleColour.OFF


def _alternate(t: int) -> SampleColour:
    if t % FLASH_PERIOD_MS >= FLASH_ON_MS:
        return SampleColour.OFF
    return SampleColour.GREEN if (t // FLASH_PERIOD_MS) % 2 == 0 else SampleColour.AMBER


PATTERNS: dict[PumpLight, Callable[[int], SampleColour]] = {
    PumpLight.GREEN_BLINKING: _flash(SampleColour.GREEN),
    PumpLight.GREEN_STEADY: lambda t: SampleColour.GREEN,
    PumpLight.AMBER_BLINKING: _flash(SampleColour.AMBER),
    PumpLight.AMBER_STEADY: lambda t: SampleColour.AMBER,
    PumpLight.GREEN_AMBER_BLINKING: _alternate,
    PumpLight.RED: _flash(SampleColour.RED),
    PumpLight.BLUE: lambda t: SampleColour.BLUE,
    PumpLight.OFF: lambda t: SampleColour.OFF,
    PumpLight.UNKNOWN: lambda t: SampleColour.UNCLEAR,
}


class StepKind(str, Enum):
    """What the bridge does during one step of a timeline."""

    PLAY = "play"  # send light samples, beeps and heartbeats
    PAUSE = "pause"  # plugged in, sending nothing (a hung bridge)
    GARBAGE = "garbage"  # random bytes instead of frames
    CORRUPT = "corrupt"  # real frames with their checksums broken
    UNPLUG = "unplug"  # the cable is out


@dataclass(frozen=True)
class Step:
    """`seconds` of bridge time with the light showing `light` and beeping or not."""

    seconds: float
    light: PumpLight = PumpLight.GREEN_BLINKING
    is_beeping: bool = False
    kind: StepKind = StepKind.PLAY
    is_mic_ok: bool = True


def parse_steps(raw: Any, *, source: str = "<timeline>") -> tuple[Step, ...]:
    """Return timeline steps from parsed YAML/JSON, or raise `ScenarioError` naming the bad field.

    Each item is a mapping like `{seconds: 30, light: green_blinking, beeping: true}` or
    `{seconds: 5, kind: unplug}`; `mic_ok` defaults to true.
    """
    if not isinstance(raw, list):
        raise ScenarioError(source, "timeline", "must be a list of steps like {seconds: 30, light: green_blinking}")
    keys = {"seconds", "light", "beeping", "kind", "mic_ok"}
    steps = []
    for i, item in enumerate(raw):
        where = f"timeline[{i}]"
        if not isinstance(item, dict) or set(item) - keys:
            raise ScenarioError(source, where, f"must be a mapping with keys from: {', '.join(sorted(keys))}")
        seconds = item.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds <= 86400:
            raise ScenarioError(source, f"{where}.seconds", "must be a number of seconds above 0")
        try:
            light = PumpLight(item.get("light", "green_blinking"))
            kind = StepKind(item.get("kind", "play"))
        except ValueError as exc:
            raise ScenarioError(source, where, str(exc)) from None
        flags = {name: item.get(name, default) for name, default in (("beeping", False), ("mic_ok", True))}
        for name, value in flags.items():
            if not isinstance(value, bool):
                raise ScenarioError(source, f"{where}.{name}", "must be true or false")
        steps.append(Step(float(seconds), light, flags["beeping"], kind, flags["mic_ok"]))
    return tuple(steps)


class SimulatedBridge:
    """The bridge board on a pty: `with SimulatedBridge([Step(10)]) as sim: PumpBridge(patterns=(sim.pattern,))`.

    `speed` runs bridge time faster than real time (10 means 1 s of samples in 0.1 s).
    After the last step the last light is held; with no steps, `light`, `is_beeping`
    and `kind` can be set directly.
    """

    def __init__(
        self,
        steps: Sequence[Step] = (),
        *,
        directory: str | Path | None = None,
        speed: float = 1.0,
        light_period_ms: int = 100,
        status_period_ms: int = 1000,
        beep_period_ms: int = 2000,
        seed: int = 0,
    ) -> None:
        self.steps = tuple(steps)
        self._tempdir = tempfile.TemporaryDirectory(prefix="hub-by-id-") if directory is None else None
        self.directory = Path(directory) if directory is not None else Path(self._tempdir.name)  # type: ignore[union-attr]
        self.speed = speed
        self.light_period_ms = light_period_ms
        self.status_period_ms = status_period_ms
        self.beep_period_ms = beep_period_ms
        self.light = PumpLight.GREEN_BLINKING
        self.is_beeping = False
        self.is_mic_ok = True
        self.kind = StepKind.PLAY
        self._random = random.Random(seed)
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._master: int | None = None
        self._slave: int | None = None
        self.slave_path = ""
        self.elapsed_ms = 0  # timeline time, never reset
        self.t_ms = 0  # the bridge's uptime, reset when it loses power
        self.seq = 0
        self.sent_frames = 0
        self.dropped_bytes = 0
        self.plug_count = 0

    @property
    def link(self) -> Path:
        return self.directory / BY_ID_NAME

    @property
    def pattern(self) -> str:
        """The glob to give `PumpBridge(patterns=...)`, like /dev/serial/by-id/usb-..."""
        return str(self.directory / BY_ID_PATTERN)

    @property
    def is_plugged(self) -> bool:
        return self._master is not None

    def start(self) -> "SimulatedBridge":
        """Plug the bridge in and start sending; returns self."""
        self.replug()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sim-bridge", daemon=True)
            self._thread.start()
        return self

    def replug(self) -> None:
        """Make a fresh pty and by-id link; the bridge boots again (t_ms and seq from 0)."""
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            tty.setraw(slave)  # no echo or line editing before the hub sets its own modes
            os.set_blocking(master, False)
            self._master, self._slave = master, slave
            self.slave_path = os.ttyname(slave)
            self.t_ms = 0
            self.seq = 0
            self.plug_count += 1
            self.link.unlink(missing_ok=True)
            self.link.symlink_to(self.slave_path)
            self._send(Hello(FIRMWARE, self.light_period_ms))
        _LOGGER.debug("Simulated bridge plugged in at %s", self.slave_path)

    def unplug(self) -> None:
        """Pull the cable: the link disappears and the hub's next read fails."""
        with self._lock:
            self.link.unlink(missing_ok=True)
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None
        _LOGGER.debug("Simulated bridge unplugged")

    def send_raw(self, data: bytes) -> None:
        """Write `data` to the wire as is (garbage, truncated frames, anything)."""
        with self._lock:
            if self._master is None:
                return
            try:
                os.write(self._master, data)
            except BlockingIOError:
                self.dropped_bytes += len(data)  # the hub is not reading; a real CDC drops too
            except OSError as exc:
                _LOGGER.debug("Simulated bridge write failed: %s", exc)

    def _send(self, payload: Payload, *, corrupt: bool = False) -> None:
        line = encode_frame(Frame(self.seq, self.t_ms, payload))
        self.seq = (self.seq + 1) % (1 << 16)
        if corrupt:
            line = line[:-3] + (b"0" if line[-3:-2] != b"0" else b"1") + line[-2:]
        self.send_raw(line)
        self.sent_frames += 1

    def current_step(self) -> Step | None:
        """Return the timeline step at the current time, or None without a timeline."""
        if not self.steps:
            return None
        at_ms = 0.0
        for step in self.steps:
            at_ms += step.seconds * 1000
            if self.elapsed_ms < at_ms:
                return step
        return Step(0, self.steps[-1].light, self.steps[-1].is_beeping, StepKind.PLAY, self.steps[-1].is_mic_ok)

    def _run(self) -> None:
        # Keep bridge time in step with the wall clock (times `speed`) even when this
        # thread is starved on a busy machine: catch up a few ticks at a time, as a
        # real bridge's clock would keep running.
        period_s = self.light_period_ms / 1000 / self.speed
        started_s, done = time.monotonic(), 0
        while not self._stop.wait(period_s):
            due = int((time.monotonic() - started_s) / period_s)
            if due - done > MAX_CATCH_UP_TICKS:
                done = due - MAX_CATCH_UP_TICKS
            while done < due and not self._stop.is_set():
                self.tick()
                done += 1

    def tick(self) -> None:
        """Advance bridge time by one light period and send what the bridge would."""
        with self._lock:
            step = self.current_step()
            if step is not None:  # with a timeline, the timeline owns the cable too
                self.light, self.is_beeping, self.kind, self.is_mic_ok = (
                    step.light, step.is_beeping, step.kind, step.is_mic_ok
                )
                if self.kind is StepKind.UNPLUG:
                    self.unplug()
                elif not self.is_plugged:
                    self.replug()
            self.elapsed_ms += self.light_period_ms
            self.t_ms += self.light_period_ms
            if self.kind is StepKind.GARBAGE:
                self.send_raw(bytes(self._random.randrange(256) for _ in range(self._random.randint(1, 60))))
            elif self.kind in (StepKind.PLAY, StepKind.CORRUPT):
                self._emit(corrupt=self.kind is StepKind.CORRUPT)

    def _emit(self, *, corrupt: bool) -> None:
        self._send(LightSample(*RGBC[PATTERNS[self.light](self.t_ms)]), corrupt=corrupt)
        if self.t_ms % self.status_period_ms < self.light_period_ms:
            self._send(Status(is_light_ok=True, is_mic_ok=self.is_mic_ok), corrupt=corrupt)
        if self.is_beeping and self.t_ms % self.beep_period_ms < self.light_period_ms:
            self._send(Beep(freq_hz=2900, duration_ms=150), corrupt=corrupt)

    def close(self) -> None:
        """Stop sending, unplug, and remove the temporary by-id directory."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self.unplug()
        if self._tempdir is not None:
            self._tempdir.cleanup()

    def __enter__(self) -> "SimulatedBridge":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
