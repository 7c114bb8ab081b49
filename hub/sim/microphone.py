"""A simulated microphone: recordings said into the room, for `hub serve --listen-wav` and tests.

It stands in for the sounddevice module (its `RawInputStream`), so the real
`hub.voice.mic.Microphone`, endpointer and recognizer run on it unchanged. Like a person,
it waits for the hub's answer to what it said last, and for a moment of quiet after
it, then holds the talk button, says the next recording, lets go, and stays quiet (a
faint room noise) after the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hub.voice.dsp import SPEECH_RATE, dither, to_speech_rate
from hub.voice.wav import Audio, read_wav
from hub.voice.mic import SpeakingGate

_LOGGER = logging.getLogger(__name__)

PRESS_LEAD_S = 0.3  # the button goes down this long before the first word


class SimulatedMicrophone:
    """Says `recordings` one after another; a sounddevice stand-in with a talk button.

    `gate` is the hub's speaking gate (None: speak without waiting); `pause_s` the quiet
    after the hub's answer; `answer_wait_s` how long to wait for an answer that does not
    come; `pace_s` the real time per second of audio (1: real time, 0: flat out).
    """

    def __init__(self, recordings: Sequence[Audio], *, gate: SpeakingGate | None = None, pause_s: float = 1.0,
                 answer_wait_s: float = 15.0, pace_s: float = 1.0) -> None:
        self.recordings = [to_speech_rate(r, is_dithered=False).to_pcm16() for r in recordings]
        self.gate = gate
        self.pause_s = pause_s
        self.answer_wait_s = answer_wait_s
        self.pace_s = pace_s
        self.said = 0  # recordings said so far
        self.is_done = False  # all said, and the last one answered (or not answered in time)
        self._pressed = threading.Event()
        # Kept across streams: when the daemon reopens the microphone, the person goes on
        # from the recording it cut off, rather than starting over.
        self._pending = list(self.recordings)
        backend = self

        class RawInputStream:
            """The input stream as sounddevice makes it: blocks go to `callback` from a thread."""

            def __init__(self, *, samplerate: int, channels: int, dtype: str, blocksize: int,
                         device: Any, callback: Callable[..., None]) -> None:
                if (samplerate, channels, dtype) != (SPEECH_RATE, 1, "int16"):
                    raise ValueError("the simulated microphone gives 16 kHz mono int16 only")
                self.blocksize = blocksize
                self.callback = callback
                self._stop = threading.Event()
                self._thread = threading.Thread(target=backend._play, args=(self,), daemon=True,
                                                name="simulated-microphone")

            def start(self) -> None:
                self._thread.start()

            def stop(self) -> None:
                self._stop.set()
                self._thread.join(timeout=2)

            def close(self) -> None:
                self._stop.set()

        self.RawInputStream = RawInputStream

    @classmethod
    def from_files(cls, paths: Sequence[Path], **kwargs: Any) -> SimulatedMicrophone:
        """Return a microphone that says these WAV files (any rate, channels, bit depth)."""
        return cls([read_wav(p) for p in paths], **kwargs)

    @property
    def is_pressed(self) -> bool:
        """The talk button: held from just before a recording until its end."""
        return self._pressed.is_set()

    def _play(self, stream: Any) -> None:
        step = stream.blocksize * 2
        quiet = Audio(dither(np.zeros(SPEECH_RATE * 60, dtype=np.float32)), SPEECH_RATE).to_pcm16()
        position = 0
        quiet_s = 0.0
        waited_s = 0.0
        is_awaiting = False  # an answer to the last recording
        spoken = 0
        pending = self._pending

        def emit(block: bytes) -> None:
            stream.callback(block, len(block) // 2, None, None)
            if self.pace_s:
                time.sleep(len(block) / (SPEECH_RATE * 2) * self.pace_s)

        while not stream._stop.is_set():
            is_answered = not is_awaiting or self.gate is None or self.gate.times_spoken != spoken \
                or waited_s > self.answer_wait_s
            self.is_done = not pending and is_answered and quiet_s >= self.pause_s
            if pending and is_answered and quiet_s >= self.pause_s:
                if not self._say(pending[0], step, emit, stream._stop):
                    return  # the stream stopped mid-recording: said again on the next one
                pending.pop(0)
                quiet_s = waited_s = 0.0
                is_awaiting = True
                spoken = self.gate.times_spoken if self.gate else 0
                continue
            block = quiet[position : position + step]
            position = (position + step) % (len(quiet) - step)
            emit(block)
            block_s = len(block) / (SPEECH_RATE * 2)
            waited_s += block_s
            quiet_s = quiet_s + block_s if self.gate is None or not self.gate.is_speaking else 0.0

    def _say(self, pcm: bytes, step: int, emit: Callable[[bytes], None], stop: threading.Event) -> bool:
        """Hold the button and say `pcm`; False when the stream stopped before the end."""
        self._pressed.set()
        lead = Audio(dither(np.zeros(int(SPEECH_RATE * PRESS_LEAD_S), dtype=np.float32)), SPEECH_RATE).to_pcm16()
        spoken = lead + pcm
        try:
            for i in range(0, len(spoken) - step + 1, step):
                if stop.is_set():
                    _LOGGER.info("Simulated microphone was closed while saying recording %d", self.said + 1)
                    return False
                emit(spoken[i : i + step])
        finally:
            self._pressed.clear()
        self.said += 1
        _LOGGER.info("Simulated microphone said recording %d", self.said)
        return True
