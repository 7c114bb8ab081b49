"""How far the words stand above the room: a loud room is told apart from a quiet one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.voice.dsp import SPEECH_RATE, dither
from hub.voice.snr import NOISY_SNR_DB, snr_db, speech_over_room_db


def tone(rate: int, seconds: float = 0.5, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * hz * t)


@pytest.mark.parametrize("snr", [30.0, 15.0, 5.0, 0.0])
def test_how_far_words_stand_above_the_room_is_estimated(snr: float) -> None:
    rng = np.random.default_rng(4)
    room = rng.normal(0.0, 0.01, SPEECH_RATE)
    words = tone(SPEECH_RATE, seconds=1.0)
    words = words * np.sqrt(0.01**2 * 10 ** (snr / 10) / np.mean(words**2))
    samples = room + np.concatenate([np.zeros(4800), words[: SPEECH_RATE - 4800]])
    estimate = snr_db(samples, 4800)
    assert estimate == pytest.approx(snr, abs=1.0)
    assert (estimate < NOISY_SNR_DB) is (snr < NOISY_SNR_DB)  # 5 and 0 dB are a loud room, 15 and 30 not


def test_no_claim_about_the_room_without_100_ms_of_it() -> None:
    assert snr_db(np.ones(SPEECH_RATE), 800) is None and snr_db(np.ones(100), 4800) is None


def test_words_stand_far_above_a_quiet_room_and_less_above_a_noisy_one() -> None:
    rng = np.random.default_rng(3)
    words = np.concatenate([np.zeros(4800), 0.3 * np.sin(np.arange(16000) * 0.2), np.zeros(4800)])
    quiet = speech_over_room_db(dither(words.astype(np.float32)))
    noisy = speech_over_room_db((words + rng.normal(0, 0.02, len(words))).astype(np.float32))
    assert quiet is not None and noisy is not None
    assert quiet > 40 and noisy < 25
    assert speech_over_room_db(np.zeros(3199, dtype=np.float32)) is None  # under 200 ms: nothing claimed


@given(st.floats(min_value=0.01, max_value=100.0), st.integers(min_value=0, max_value=2**16))
def test_how_loud_the_microphone_is_set_does_not_change_how_quiet_the_room_is(gain: float, seed: int) -> None:
    samples = np.random.default_rng(seed).normal(0, 0.01, 8000) * np.repeat([1, 30, 1, 30], 2000)
    base, louder = speech_over_room_db(samples), speech_over_room_db(samples * gain)
    assert base is not None and louder is not None and abs(base - louder) < 1e-6
