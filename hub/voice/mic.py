"""Microphone capture and playback with sounddevice; the microphone is deaf while the hub speaks.

The hub must not hear itself: its own "is the pump okay?" in a help message would
otherwise be taken as a question. `SpeakingGate` is held while audio plays and for
an echo tail after; `Microphone.blocks` drops everything captured meanwhile.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from hub.voice.dsp import SPEECH_RATE
from hub.voice.wav import Audio
from hub.errors import DeviceError

_LOGGER = logging.getLogger(__name__)


class SpeakingGate:
    """Says whether the hub is speaking (or just stopped: `echo_s` covers room echo)."""

    def __init__(self, *, echo_s: float = 0.3, clock: Any = time.monotonic) -> None:
        self.echo_s = echo_s
        self._clock = clock
        self._depth = 0
        self._until = 0.0
        self._ended_at: float | None = None
        self._times = 0
        self._lock = threading.Lock()

    @property
    def is_speaking(self) -> bool:
        with self._lock:
            return self._depth > 0 or self._clock() < self._until

    @property
    def times_spoken(self) -> int:
        """How many times the hub has started speaking: a change means it answered."""
        with self._lock:
            return self._times

    @property
    def quiet_for_s(self) -> float:
        """Seconds since the hub last stopped speaking (0 while it speaks, infinite if it never has).

        The daemon's microphone takes an answer without the wake phrase only shortly
        after the hub asked a question (hub.voice.input)."""
        with self._lock:
            if self._depth > 0:
                return 0.0
            if self._ended_at is None:
                return float("inf")
            return max(0.0, self._clock() - self._ended_at)

    @contextmanager
    def speaking(self) -> Iterator[None]:
        """Hold while audio plays."""
        with self._lock:
            self._depth += 1
            self._times += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                self._ended_at = self._clock()
                self._until = self._ended_at + self.echo_s


class Microphone:
    """16 kHz mono 16-bit audio in blocks of `block_ms` from a sounddevice input.

    `backend` is the sounddevice module (or a stand-in with `RawInputStream`), so tests
    run without a sound card. A context manager; `close()` stops the stream.
    """

    def __init__(self, device: int | str | None = None, *, block_ms: int = 30, backend: Any = None,
                 gate: SpeakingGate | None = None, timeout_s: float = 2.0) -> None:
        if backend is None:
            backend = _sounddevice("microphone")
        self.gate = gate or SpeakingGate()
        self.block_bytes = SPEECH_RATE * block_ms // 1000 * 2
        self.timeout_s = timeout_s
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=200)
        self.dropped_blocks = 0
        try:
            self._stream = backend.RawInputStream(samplerate=SPEECH_RATE, channels=1, dtype="int16",
                                                  blocksize=self.block_bytes // 2, device=device,
                                                  callback=self._callback)
            self._stream.start()
        except Exception as exc:  # noqa: BLE001 - PortAudio raises its own error types
            raise DeviceError(f"microphone {device!r}: cannot open ({exc})") from None
        _LOGGER.info("Microphone %r open at %d Hz", device, SPEECH_RATE)

    def _callback(self, data: Any, frames: int, time_info: Any, status: Any) -> None:
        if self.gate.is_speaking:
            self.dropped_blocks += 1
            return
        try:
            self._queue.put_nowait(bytes(data))
        except queue.Full:
            self.dropped_blocks += 1

    def blocks(self) -> Iterator[bytes]:
        """Yield captured blocks; raise `DeviceError` when none arrive within the timeout."""
        while True:
            try:
                yield self._queue.get(timeout=self.timeout_s)
            except queue.Empty:
                # Blocks are dropped while the hub speaks: count the silence from its last word,
                # or a long reply ending just before the timeout reads as a dead microphone.
                if self.gate.is_speaking or self.gate.quiet_for_s < self.timeout_s:
                    continue
                raise DeviceError(f"microphone: no audio for {self.timeout_s} s") from None

    def flush(self) -> None:
        """Drop what was captured so far (e.g. just after the hub spoke)."""
        while not self._queue.empty():
            self._queue.get_nowait()

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()

    def __enter__(self) -> Microphone:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def play(audio: Audio, *, gate: SpeakingGate | None = None, backend: Any = None) -> None:
    """Play `audio` on the default output, holding `gate` so the microphone ignores it."""
    if backend is None:
        backend = _sounddevice("speaker")
    with gate.speaking() if gate is not None else _nothing():
        try:
            backend.play(audio.samples, audio.rate_hz)
            backend.wait()
        except Exception as exc:  # noqa: BLE001 - PortAudio raises its own error types
            raise DeviceError(f"speaker: cannot play ({exc}); write a WAV with --out") from None


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _sounddevice(role: str) -> Any:
    """Import sounddevice, which fails with OSError when PortAudio is missing."""
    try:
        import sounddevice
    except OSError as exc:
        raise DeviceError(f"{role}: sounddevice cannot start ({exc}); write a WAV with --out") from None
    return sounddevice
