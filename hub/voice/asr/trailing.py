"""Words said after the sentence the grammar heard: "yes, it's wet" must not pass as "yes".

A grammar decoder explains every frame. What it cannot fit into a sentence's words it
files as silence or noise after the last word, so "Yes, it's wet." can come out as "yes"
with a confidence above the answer floor: the "yes" itself fits well, and the quiet
frames are few. The free phone loop that the confidence check runs anyway labels those
frames as phones, and they are as loud as the words. Both together mark speech the
sentence did not account for; a daily-check answer with a clause after it is then not
taken, and the hub asks again.

Measured (bench/words_after.py, 2026-11-27, piper voice, streamed as the daemon decodes,
answer floor 0.46): of 108 "yes, but something is wrong" answers ("Yes, it's wet.",
"Yep, it's torn.", "Sure, but the light is orange.") in a quiet room, 13-15 passed as a
plain "yes" without this check and 0-1 with it, and all 65 of 71 clean answers taken
before still were. In noise it helps less and asks again for 3-5 answers in 71.
Questions keep the measure (`Transcript.speech_after_ms`) but are not rejected on it:
"is my infusion pump running fine" is rightly heard as "... running" with "fine" after.
"""

from __future__ import annotations

import numpy as np

SAMPLES_PER_FRAME = 160  # PocketSphinx's 10 ms frame shift at 16 kHz
# Frames just after the last word that still belong to it (its release, a trailing "s").
MARGIN_FRAMES = 5
# A frame counts as speech when it is no more than this far below the utterance's loud
# frames (90th percentile of frame energy)...
BELOW_LOUD_DB = 15.0
# ...and at least this far above its quiet ones (10th percentile): in a loud room the
# noise itself is within 15 dB of the words.
ABOVE_QUIET_DB = 6.0
# This much speech after the sentence (100 ms) is a word or more, not a breath.
MIN_FRAMES = 10


def frame_energies_db(pcm16: bytes) -> np.ndarray:
    """Return the energy of each 10 ms frame of 16 kHz 16-bit audio, in dB."""
    samples = np.frombuffer(pcm16[: len(pcm16) - len(pcm16) % 2], "<i2").astype(np.float64)
    count = len(samples) // SAMPLES_PER_FRAME
    if count == 0:
        return np.zeros(0)
    frames = samples[: count * SAMPLES_PER_FRAME].reshape(count, SAMPLES_PER_FRAME)
    return 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-3)


def speech_frames_after(pcm16: bytes, last_word_frame: int, phones: list[tuple[str, int, int]]) -> int:
    """Return how many frames after `last_word_frame` hold speech, when that is at least
    `MIN_FRAMES`; 0 otherwise.

    `phones` is the phone loop's segmentation, (phone, first frame, last frame); a frame
    counts when the loop heard a phone there (not silence, not a noise filler such as
    "+NSN+") and the frame is loud as `BELOW_LOUD_DB` and `ABOVE_QUIET_DB` say."""
    energies = frame_energies_db(pcm16)
    if len(energies) == 0:
        return 0
    loud, quiet = np.percentile(energies, 90), np.percentile(energies, 10)
    threshold = max(loud - BELOW_LOUD_DB, quiet + ABOVE_QUIET_DB)
    is_phone = np.zeros(len(energies), dtype=bool)
    for phone, first, last in phones:
        if phone != "SIL" and not phone.startswith("+"):
            is_phone[max(first, 0) : max(last + 1, 0)] = True
    start = max(last_word_frame + MARGIN_FRAMES, 0)
    count = int(np.count_nonzero(is_phone[start:] & (energies[start:] >= threshold)))
    return count if count >= MIN_FRAMES else 0
