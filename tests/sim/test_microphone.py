"""The simulated microphone says its recordings like a person: once each, in order, even across reopened streams."""

from __future__ import annotations

import time

import numpy as np

from hub.voice.dsp import SPEECH_RATE
from hub.voice.wav import Audio
from hub.sim.microphone import SimulatedMicrophone


def _levels(blocks: list[bytes]) -> list[int]:
    """The loud stretches heard, as their sample value (recording 1 is 1000, recording 2 is 2000)."""
    levels: list[int] = []
    for block in blocks:
        loudest = int(np.abs(np.frombuffer(block, dtype=np.int16)).max())
        level = 1000 * round(loudest / 1000) if loudest > 500 else 0
        if level and (not levels or levels[-1] != level):
            levels.append(level)
        elif not level and levels and levels[-1] != 0:
            levels.append(0)
    return [level for level in levels if level]


def _open(mic: SimulatedMicrophone, on_block) -> object:
    stream = mic.RawInputStream(samplerate=SPEECH_RATE, channels=1, dtype="int16", blocksize=480, device=None,
                                callback=lambda data, frames, info, status: on_block(stream, data))
    stream.start()
    return stream


def test_a_microphone_reopened_mid_recording_says_that_recording_again_and_goes_on() -> None:
    recordings = [Audio(np.full(SPEECH_RATE, level / 32767, dtype=np.float32), SPEECH_RATE) for level in (1000, 2000)]
    mic = SimulatedMicrophone(recordings, pause_s=0.1, pace_s=0.0)
    first: list[bytes] = []

    def cut_off(stream, data: bytes) -> None:
        first.append(bytes(data))
        if _levels(first) == [1000] and len(first) > 30:
            stream.close()  # the daemon gives up on the stream halfway through recording 1

    one = _open(mic, cut_off)
    one._thread.join(timeout=5)
    assert mic.said == 0 and not mic.is_pressed

    second: list[bytes] = []
    two = _open(mic, lambda stream, data: second.append(bytes(data)))
    deadline = time.monotonic() + 5
    while not mic.is_done and time.monotonic() < deadline:
        time.sleep(0.01)
    two.stop()
    assert mic.said == 2
    assert _levels(second) == [1000, 2000]  # recording 1 whole, then 2; never from the start again
