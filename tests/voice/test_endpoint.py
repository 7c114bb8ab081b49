"""Endpointing real piper speech: the end comes the tail after the last word, in quiet and in noise."""

from __future__ import annotations

import numpy as np
import pytest

from hub.voice.dsp import SPEECH_RATE, dither, to_speech_rate
from hub.voice.endpoint import Endpointer
from hub.voice.wav import Audio


@pytest.fixture(scope="module")
def spoken() -> Audio:
    from hub.voice.tts import Synthesizer

    return to_speech_rate(Synthesizer(noise_scale=0.0, noise_w_scale=0.0).synthesize("Is the pump okay?"))


def padded(audio: Audio, before_s: float, after_s: float) -> Audio:
    silence = lambda s: dither(np.zeros(int(s * SPEECH_RATE), dtype=np.float32))  # noqa: E731
    return Audio(np.concatenate([silence(before_s), audio.samples, silence(after_s)]), SPEECH_RATE)


@pytest.mark.parametrize("tail_ms", [150, 300, 600])
def test_endpoint_comes_the_tail_after_speech_ends(spoken: Audio, tail_ms: int) -> None:
    audio = padded(spoken, 0.5, 2.0)
    speech = Endpointer(tail_ms=tail_ms).find_speech(audio)
    assert speech is not None
    speech_end = int((0.5 + spoken.duration_s) * SPEECH_RATE)
    assert speech.start < int(0.6 * SPEECH_RATE)
    # Ends the tail after the last voiced frame (piper's own trailing quiet is up to ~0.25 s).
    assert speech_end - 4800 < speech.end - tail_ms * 16 < speech_end + 1600


def test_streaming_endpointer_reports_the_end_once_the_tail_has_passed(spoken: Audio) -> None:
    pcm = padded(spoken, 0.3, 1.5).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    fed = 0
    while fed < len(pcm) and not endpointer.feed(pcm[fed : fed + 640]):
        fed += 640
    assert endpointer.has_ended
    assert fed / 2 / SPEECH_RATE < 0.3 + spoken.duration_s + 0.6


def test_silence_has_no_speech() -> None:
    audio = Audio(dither(np.zeros(SPEECH_RATE * 2, dtype=np.float32)), SPEECH_RATE)
    assert Endpointer().find_speech(audio) is None


@pytest.mark.parametrize("noise_dbfs", [-60.0, -40.0, -25.0])
def test_speech_ends_in_steady_room_noise(spoken: Audio, noise_dbfs: float) -> None:
    """A question asked over a fan must end the tail after its last word: neither run on
    until it is cut at the time limit, nor be cut before it is finished."""
    rng = np.random.default_rng(7)
    clean = np.concatenate([np.zeros(4800, np.float32), spoken.samples, np.zeros(4 * SPEECH_RATE, np.float32)])
    noisy = clean + rng.normal(0.0, 10 ** (noise_dbfs / 20), len(clean)).astype(np.float32)
    pcm = Audio(noisy, SPEECH_RATE).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    fed = 0
    while fed < len(pcm) and not endpointer.feed(pcm[fed : fed + 960]):
        fed += 960
    assert endpointer.has_ended
    spoken_end_s = 0.3 + spoken.duration_s
    assert spoken_end_s - 0.3 < fed / 2 / SPEECH_RATE < spoken_end_s + 0.6


def test_recording_then_quiet_room_ends(spoken: Audio) -> None:
    """A recording with its own digital quiet, then faint room noise (the simulated microphone)."""
    quiet = dither(np.zeros(3 * SPEECH_RATE, dtype=np.float32))
    pcm = Audio(np.concatenate([quiet[:4800], spoken.samples, quiet]), SPEECH_RATE).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    assert endpointer.feed(pcm)


def test_a_recording_keeps_words_after_a_long_pause(spoken: Audio) -> None:
    """'Yes ... but the dressing is wet': what follows a pause must reach the recognizer."""
    pause = dither(np.zeros(SPEECH_RATE, dtype=np.float32))
    audio = Audio(np.concatenate([pause[:8000], spoken.samples, pause, spoken.samples, pause]), SPEECH_RATE)
    speech = Endpointer(tail_ms=300).find_speech(audio)
    assert speech is not None
    assert speech.start < 8000 and speech.end > 8000 + 2 * len(spoken.samples) + SPEECH_RATE - 1600


def test_a_click_alone_is_not_speech() -> None:
    samples = dither(np.zeros(SPEECH_RATE, dtype=np.float32))
    samples[8000:8160] = 0.8 * np.sign(np.sin(np.arange(160)))  # 10 ms click
    assert Endpointer().find_speech(Audio(samples, SPEECH_RATE)) is None


def test_found_speech_says_where_the_words_begin(spoken: Audio) -> None:
    padded = Audio(np.concatenate([np.zeros(SPEECH_RATE, np.float32), spoken.samples]), SPEECH_RATE)
    found = Endpointer().find_speech(to_speech_rate(padded))
    assert found is not None and found.words_at - found.start == pytest.approx(4800, abs=480)
