"""Turns the bridge's frames into the `hub.core.home.PumpState` the assessment reads.

Everything the bridge said is kept per connection ("session"): after an unplug, a
bridge reboot or a gap, the window starts empty and the light is unknown until a
whole new window has been seen. Liveness is judged on the hub's monotonic clock,
patterns on the bridge's own `t_ms`, so USB latency cannot fake a blink.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from hub.core.home import PumpLight, PumpState
from hub.pump.bridge import PumpBridge
from hub.pump.classify import ColourThresholds, SampleColour, WindowRules, classify_window, colour_of, is_beeping
from hub.pump.protocol import SEQ_MODULO, Beep, Frame, Hello, LightSample, Payload, Status

_LOGGER = logging.getLogger(__name__)

# Light samples come every 100 ms; a second without one means the colour sensor or
# the link stalled, whatever the heartbeat says.
LIGHT_STALE_S = 1.0
# The bridge sends a STATUS every second. Without any valid frame for this long, a beep
# could have been lost among garbage, so "not beeping" can no longer be said.
FRAME_STALE_S = 2.5
MAX_SAMPLES = 600


@dataclass
class _Session:
    """What one connection to the bridge has told us so far."""

    number: int
    first_t_ms: int | None = None
    last_t_ms: int | None = None
    last_seq: int | None = None
    last_light_s: float | None = None
    is_light_ok: bool | None = None
    is_mic_ok: bool | None = None
    mic_ok_since_ms: int | None = None
    firmware: str = ""

    def __post_init__(self) -> None:
        self.samples: deque[tuple[int, SampleColour]] = deque(maxlen=MAX_SAMPLES)
        self.beeps: deque[int] = deque(maxlen=64)


class PumpMonitor:
    """Reads a `PumpBridge` on a background thread and answers `state()` at any time.

    `stale_after_s` is the care plan's `limits.pump_stale_after_s`: silence longer
    than that makes the bridge disconnected, whatever the port says.
    """

    def __init__(
        self,
        bridge: PumpBridge,
        *,
        stale_after_s: float = 30.0,
        rules: WindowRules | None = None,
        thresholds: ColourThresholds | None = None,
        beep_hold_ms: int = 15_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bridge = bridge
        self.stale_after_s = stale_after_s
        self.rules = rules or WindowRules()
        self.thresholds = thresholds or ColourThresholds()
        self.beep_hold_ms = beep_hold_ms
        self._clock = clock
        self._lock = threading.Lock()
        self._session = _Session(0)
        self._last_frame_s: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.lost_frames = 0
        self.bridge_restarts = 0
        self._handlers: dict[type, Callable[[_Session, Payload, int, float], None]] = {
            LightSample: self._on_light,
            Beep: self._on_beep,
            Status: self._on_status,
            Hello: self._on_hello,
        }

    def start(self) -> "PumpMonitor":
        """Start reading the bridge on a daemon thread; returns self for chaining."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pump-bridge", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the thread must outlive any one bad step; silence then shows as stale
                _LOGGER.exception("Pump monitor step failed")
                self._stop.wait(0.5)

    def run_once(self) -> None:
        """Poll the bridge once and take in its frames (for tests and single-threaded use)."""
        frames = self.bridge.poll()
        if frames:
            self.handle(frames, session=self.bridge.session)

    def handle(self, frames: list[Frame], *, session: int) -> None:
        """Take in frames that arrived on connection number `session`."""
        now_s = self._clock()
        with self._lock:
            if session != self._session.number:
                _LOGGER.info("Pump bridge connection %d: starting a fresh window", session)
                self._session = _Session(session)
            for frame in frames:
                self._take(frame, now_s)
            self._last_frame_s = now_s

    def _take(self, frame: Frame, now_s: float) -> None:
        s = self._session
        if s.last_t_ms is not None and frame.t_ms < s.last_t_ms:
            # The bridge's clock went back: it rebooted (or its 49-day counter wrapped).
            _LOGGER.warning("Pump bridge restarted (t_ms %d after %d)", frame.t_ms, s.last_t_ms)
            self.bridge_restarts += 1
            s = self._session = _Session(s.number)
        if s.last_seq is not None:
            if frame.seq == s.last_seq:
                return  # a repeated frame says nothing new
            missing = (frame.seq - s.last_seq - 1) % SEQ_MODULO
            if missing:
                self.lost_frames += missing
                _LOGGER.debug("Pump bridge: %d frames lost before seq %d", missing, frame.seq)
        s.last_seq = frame.seq
        s.last_t_ms = frame.t_ms
        if s.first_t_ms is None:
            s.first_t_ms = frame.t_ms
        self._handlers[type(frame.payload)](s, frame.payload, frame.t_ms, now_s)

    def _on_light(self, s: _Session, payload: Payload, t_ms: int, now_s: float) -> None:
        assert isinstance(payload, LightSample)
        colour = colour_of(payload.red, payload.green, payload.blue, payload.clear, self.thresholds)
        s.samples.append((t_ms, colour))
        s.last_light_s = now_s

    def _on_beep(self, s: _Session, payload: Payload, t_ms: int, now_s: float) -> None:
        s.beeps.append(t_ms)

    def _on_status(self, s: _Session, payload: Payload, t_ms: int, now_s: float) -> None:
        assert isinstance(payload, Status)
        s.is_light_ok = payload.is_light_ok
        if not payload.is_mic_ok:
            s.mic_ok_since_ms = None
        elif not s.is_mic_ok:
            s.mic_ok_since_ms = t_ms  # "not beeping" needs a full hold time of listening
        s.is_mic_ok = payload.is_mic_ok

    def _on_hello(self, s: _Session, payload: Payload, t_ms: int, now_s: float) -> None:
        assert isinstance(payload, Hello)
        s.firmware = payload.firmware
        _LOGGER.info("Pump bridge firmware %s, light every %d ms", payload.firmware, payload.light_period_ms)

    def observed_ms(self) -> int:
        """Return how much bridge time the current connection has covered, in ms."""
        with self._lock:
            s = self._session
            if s.first_t_ms is None or s.last_t_ms is None or s.number != self.bridge.session:
                return 0
            return s.last_t_ms - s.first_t_ms

    def state(self) -> PumpState:
        """Return the pump as the assessment sees it now; anything in doubt is unknown."""
        now_s = self._clock()
        with self._lock:
            s = self._session
            last_s = self._last_frame_s
            age_s = None if last_s is None else max(0.0, now_s - last_s)
            is_live = (
                self.bridge.is_connected
                and s.number == self.bridge.session
                and age_s is not None
                and age_s <= self.stale_after_s
                and s.last_t_ms is not None
            )
            if not is_live:
                return PumpState(is_bridge_connected=False, light=PumpLight.UNKNOWN, is_beeping=None, age_s=age_s)
            assert s.last_t_ms is not None and age_s is not None
            light = PumpLight.UNKNOWN
            if s.is_light_ok and s.last_light_s is not None and now_s - s.last_light_s <= LIGHT_STALE_S:
                light = classify_window(list(s.samples), now_ms=s.last_t_ms, rules=self.rules)
            # A beep heard counts even if the microphone was then reported broken.
            beeping = is_beeping(
                list(s.beeps), now_ms=s.last_t_ms, listening_since_ms=s.mic_ok_since_ms, hold_ms=self.beep_hold_ms
            )
            if beeping is False and age_s > FRAME_STALE_S:
                beeping = None
            return PumpState(is_bridge_connected=True, light=light, is_beeping=beeping, screen="", age_s=age_s)

    def close(self) -> None:
        """Stop the thread and close the bridge."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self.bridge.close()

    def __enter__(self) -> "PumpMonitor":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
