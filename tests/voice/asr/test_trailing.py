"""Speech after the sentence the grammar heard is found, quiet and room noise are not."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from hub.voice.asr.trailing import MIN_FRAMES, frame_energies_db, speech_frames_after

RATE = 16000


def _pcm(*parts: tuple[float, float]) -> bytes:
    """Return 16-bit PCM of (seconds, amplitude) parts: a 200 Hz tone, or quiet noise at 0."""
    rng = np.random.default_rng(1)
    pieces = []
    for seconds, amplitude in parts:
        t = np.arange(int(seconds * RATE)) / RATE
        pieces.append(amplitude * np.sin(2 * np.pi * 200 * t) + rng.normal(0, 30, len(t)))
    return np.concatenate(pieces).astype("<i2").tobytes()


# Words from frame 30 to 79, then whatever follows from frame 80.
PHONES_AFTER = [("SIL", 0, 29), ("Y", 30, 49), ("EH", 50, 79), ("N", 80, 99), ("AA", 100, 119), ("T", 120, 139),
                ("SIL", 140, 179)]


def test_a_word_said_after_the_sentence_is_counted():
    pcm = _pcm((0.3, 0), (0.5, 8000), (0.6, 8000), (0.4, 0))
    assert speech_frames_after(pcm, 79, PHONES_AFTER) >= MIN_FRAMES


def test_quiet_after_the_sentence_is_not_speech_even_where_the_phone_loop_guessed_phones():
    pcm = _pcm((0.3, 0), (0.5, 8000), (1.0, 0))
    assert speech_frames_after(pcm, 79, PHONES_AFTER) == 0


def test_loud_speech_the_phone_loop_calls_silence_or_noise_is_not_counted():
    pcm = _pcm((0.3, 0), (0.5, 8000), (0.6, 8000), (0.4, 0))
    fillers = [("SIL", 0, 29), ("Y", 30, 79), ("+NSN+", 80, 139), ("SIL", 140, 179)]
    assert speech_frames_after(pcm, 79, fillers) == 0


def test_a_steady_loud_room_is_not_taken_for_more_words():
    # Noise as loud as the words everywhere: nothing after the words stands out.
    rng = np.random.default_rng(2)
    pcm = rng.normal(0, 3000, int(1.8 * RATE)).astype("<i2").tobytes()
    assert speech_frames_after(pcm, 79, PHONES_AFTER) == 0


def test_a_short_release_after_the_last_word_is_not_a_word():
    pcm = _pcm((0.3, 0), (0.5, 8000), (0.12, 8000), (0.9, 0))
    assert speech_frames_after(pcm, 79, PHONES_AFTER) == 0


@given(st.binary(max_size=8000), st.integers(-5, 400),
       st.lists(st.tuples(st.sampled_from(["SIL", "AA", "+NSN+", "T"]), st.integers(-5, 300),
                          st.integers(-5, 300)), max_size=20))
def test_any_audio_and_segmentation_give_a_count_never_an_error(pcm, last_word, phones):
    count = speech_frames_after(pcm, last_word, phones)
    assert count == 0 or MIN_FRAMES <= count <= len(frame_energies_db(pcm))
