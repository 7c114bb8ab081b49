"""Any audio to 16 kHz mono, keeping pitch and length; dither against digital silence."""

from __future__ import annotations

import numpy as np
import pytest

from hub.voice.dsp import SPEECH_RATE, dither, resample, to_speech_rate
from hub.voice.wav import Audio


def tone(rate: int, seconds: float = 0.5, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * hz * t)


def dominant_hz(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples))
    return float(np.argmax(spectrum) * audio.rate_hz / len(audio.samples))


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_any_rate_becomes_16k_keeping_pitch_and_length(rate: int) -> None:
    audio = to_speech_rate(Audio(tone(rate).astype(np.float32), rate))
    assert audio.rate_hz == SPEECH_RATE
    assert audio.duration_s == pytest.approx(0.5, abs=0.001)
    assert dominant_hz(audio) == pytest.approx(440.0, abs=4.0)


def test_resampling_removes_content_above_the_new_nyquist() -> None:
    high = resample(tone(48000, hz=12000.0), 48000, 16000)
    assert np.max(np.abs(high)) < 0.01


def test_dither_makes_digital_silence_nonzero_but_inaudible() -> None:
    quiet = dither(np.zeros(16000, dtype=np.float32))
    assert np.count_nonzero(quiet) > 15000
    assert np.max(np.abs(quiet)) < 1e-2  # below -40 dBFS at its very loudest
    assert np.array_equal(quiet, dither(np.zeros(16000, dtype=np.float32)))  # seeded: repeatable


def test_a_sliver_shorter_than_one_output_sample_resamples_to_nothing_not_an_error() -> None:
    # Found by fuzzing WAV files (bench fuzz): one sample at 44.1 kHz is no sample at 16 kHz.
    assert len(resample(np.ones(1, dtype=np.float32), 44100, 16000)) == 0
    assert len(resample(np.ones(2, dtype=np.float32), 384000, 16000)) == 0
