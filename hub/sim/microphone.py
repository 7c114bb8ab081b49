"""A simulated microphone: recordings said into the room, for `hub serve --listen-wav` and tests.

It stands in for the sounddevice module (its `RawInputStream`), so the real
`hub.mic.Microphone`, endpointer and recognizer run on it unchanged. Like a person,
it waits until the hub has been quiet for a moment, holds the talk button, says the
next recording, lets go, and stays quiet (a faint room noise) after the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hub.audio import SPEECH_RATE, Audio, dither, read_wav, to_speech_rate

_LOGGER = logging.getLogger(__name__)

PRESS_LEAD_S = 0.3  # the button goes down this long before the first word


class SimulatedMicrophone:
    """Says `recordings` one after another; a sounddevice stand-in with a talk button.

    `is_quiet` says when the hub is not speaking (e.g. `lambda: gate.quiet_for_s > 1`);
    `pace_s` is the real time per second of audio (1: real time, 0: as fast as possible).
    """

    def __init__(self, recordings: Sequence[Audio], *, is_quiet: Callable[[], bool] = lambda: True,
                 pause_s: float = 1.0, pace_s: float = 1.0) -> None:
        self.recordings = [to_speech_rate(r, is_dithered=False).to_pcm16() for r in recordings]
        self.is_quiet = is_quiet
        self.pause_s = pause_s
        self.pace_s = pace_s
        self.said = 0  # recordings said so far
        self._pressed = threading.Event()
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
        pending = list(self.recordings)

        def emit(block: bytes) -> None:
            stream.callback(block, len(block) // 2, None, None)
            if self.pace_s:
                time.sleep(len(block) / (SPEECH_RATE * 2) * self.pace_s)

        while not stream._stop.is_set():
            if pending and quiet_s >= self.pause_s and self.is_quiet():
                self._say(pending.pop(0), step, emit)
                quiet_s = 0.0
                continue
            block = quiet[position : position + step]
            position = (position + step) % (len(quiet) - step)
            emit(block)
            quiet_s = quiet_s + len(block) / (SPEECH_RATE * 2) if self.is_quiet() else 0.0

    def _say(self, pcm: bytes, step: int, emit: Callable[[bytes], None]) -> None:
        self._pressed.set()
        lead = Audio(dither(np.zeros(int(SPEECH_RATE * PRESS_LEAD_S), dtype=np.float32)), SPEECH_RATE).to_pcm16()
        spoken = lead + pcm
        for i in range(0, len(spoken) - step + 1, step):
            emit(spoken[i : i + step])
        self._pressed.clear()
        self.said += 1
        _LOGGER.info("Simulated microphone said recording %d", self.said)
