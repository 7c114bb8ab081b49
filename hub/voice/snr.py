"""How far the words stand above the room, in dB: is the room too loud to hear in?"""

from __future__ import annotations

import numpy as np

from hub.voice.dsp import SPEECH_RATE

# An utterance whose words stand less than this far above the room before them, as
# `snr_db` estimates it, was said in a room too loud to hear well. The estimate counts
# the pauses between words as speech, so it reads about 4-5 dB below the SNR of the
# words alone: measured on piper sentences mixed at 20 dB (white, pink, babble, hum),
# it gave 11.9-18.8 (10th to 90th percentile); at 10 dB, 1.1-8.7; clean, 38-42.
NOISY_SNR_DB = 10.0


def snr_db(samples: np.ndarray, lead: int) -> float | None:
    """Estimate how far the words stand above the room, in dB: the first `lead` samples
    are the room before the words, the rest the words (with their pauses and tail).

    None when there is less than 100 ms of room to measure: then nothing is claimed."""
    if lead < SPEECH_RATE // 10 or len(samples) <= lead:
        return None
    room = float(np.mean(np.square(samples[:lead], dtype=np.float64)))
    words = float(np.mean(np.square(samples[lead:], dtype=np.float64)))
    return _db_above(words, room)


def speech_over_room_db(samples: np.ndarray) -> float | None:
    """Estimate how far the loud tenth of a recording stands above its quiet tenth, in dB
    (10 ms frames): the words over the room, with no need to know where the words are.

    A room with steady noise (a fan, a television's murmur) keeps even the quietest
    frames loud, so the figure falls with the noise. None for under 200 ms of audio."""
    frames = len(samples) // (SPEECH_RATE // 100)
    if frames < 20:
        return None
    power = np.mean(np.square(np.asarray(samples[: frames * (SPEECH_RATE // 100)], dtype=np.float64))
                    .reshape(frames, -1), axis=1)
    room, words = float(np.percentile(power, 10)), float(np.percentile(power, 90))
    return _db_above(words, room)


def _db_above(words_power: float, room_power: float) -> float:
    """Return how far the words' own power (the room taken out) stands above the room's, in dB.

    Both estimates end here, so they agree on what a quiet room and digital silence read as."""
    floor = 1e-12
    return 10.0 * float(np.log10(max(words_power - room_power, floor) / max(room_power, floor)))
