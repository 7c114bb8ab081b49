"""Wake-up: a spotted wake phrase ("hey pump helper", settings voice.wake_phrase) or a push-to-talk button.

The phrase is spotted offline with PocketSphinx's keyphrase search. The threshold
trades missed wakes against false wakes; the benchmark measures false wakes per
hour on speech that is not the phrase. The button is always there for when the
phrase is not heard.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from hub.errors import DeviceError

_LOGGER = logging.getLogger(__name__)

# "hey pump helper", not "hey hub": a keyphrase of five phones woke on ordinary speech
# about a thousand times an hour of talk, one of eleven phones not once in the same 12.9
# minutes, and was spotted in 18 of 18 clean tries as well (bench/wake_phrases.py,
# bench/RESULTS.md). Words a child can say, all in the bundled dictionary.
DEFAULT_PHRASE = "hey pump helper"

# The keyphrase search compares the phrase's score, which falls with every phone, to a
# threshold, so a longer phrase needs a lower one. Measured on piper speech: "hey hub"
# (5 phones) at 1e-30 (1e-35 woke on "hey, how are you", 1e-25 missed most wake
# phrases); "hey pump helper" (11 phones) at 1e-45 (0 false wakes, 18/18 clean, 11/18 in
# babble at 10 dB; at 1e-40 8/18 in babble). A straight line in log10 through those two
# points, kept within PocketSphinx's useful range.
THRESHOLD_LOG10_AT_5_PHONES = -30.0
THRESHOLD_LOG10_PER_PHONE = -2.5
THRESHOLD_LOG10_RANGE = (-50.0, -20.0)


def threshold_for(n_phones: int) -> float:
    """Return the default keyphrase threshold for a phrase of `n_phones` phones."""
    log10 = THRESHOLD_LOG10_AT_5_PHONES + THRESHOLD_LOG10_PER_PHONE * (n_phones - 5)
    low, high = THRESHOLD_LOG10_RANGE
    return 10.0 ** min(high, max(low, log10))


class WakeWordSpotter:
    """Spots the wake phrase in a stream of 16 kHz 16-bit audio. Load once and keep.

    Without a `threshold`, the threshold follows the phrase's length (`threshold_for`)."""

    def __init__(self, phrase: str = DEFAULT_PHRASE, *, threshold: float | None = None,
                 decoder: Any = None) -> None:
        self.phrase = " ".join(phrase.lower().split())
        if not self.phrase:
            raise ValueError("voice.wake_phrase: empty; say which words wake the hub (e.g. \"hey pump helper\")")
        if decoder is None:
            from pocketsphinx import Decoder, get_model_path

            base = os.path.join(get_model_path(), "en-us")
            decoder = Decoder(hmm=os.path.join(base, "en-us"), dict=os.path.join(base, "cmudict-en-us.dict"),
                              lm=None, logfn=os.devnull)
        self._decoder = decoder
        pronunciations = {w: self._decoder.lookup_word(w) for w in self.phrase.split()}
        missing = [w for w, phones in pronunciations.items() if phones is None]
        if missing:
            raise ValueError(f"voice.wake_phrase: no pronunciation for {missing}; choose common words")
        n_phones = sum(len(phones.split()) for phones in pronunciations.values())
        self.threshold = threshold if threshold is not None else threshold_for(n_phones)
        self._decoder.config["kws_threshold"] = self.threshold  # read when the search is added
        self._decoder.add_keyphrase("wake", self.phrase)
        self._decoder.activate_search("wake")
        self._is_started = False
        _LOGGER.info("Wake phrase %r (%d phones), threshold %g", self.phrase, n_phones, self.threshold)

    def process(self, pcm16: bytes) -> bool:
        """Take more audio; return True when the wake phrase was just heard (then start afresh)."""
        if not self._is_started:
            self._decoder.start_utt()
            self._is_started = True
        self._decoder.process_raw(pcm16, False, False)
        if self._decoder.hyp() is None:
            return False
        _LOGGER.info("Heard the wake phrase %r", self.phrase)
        self.reset()
        return True

    def reset(self) -> None:
        """Forget audio so far (after a wake, or while the hub speaks)."""
        if self._is_started:
            self._decoder.end_utt()
            self._is_started = False


class PushToTalk:
    """A push-to-talk button on a GPIO pin (gpiozero `Button`); `pin_factory` as in gpiozero."""

    def __init__(self, pin: int, *, pin_factory: Any = None, bounce_time_s: float = 0.05) -> None:
        from gpiozero import Button
        from gpiozero.exc import GPIOZeroError

        try:
            self._button = Button(pin, pin_factory=pin_factory, bounce_time=bounce_time_s)
        except GPIOZeroError as exc:
            raise DeviceError(f"push-to-talk button on GPIO{pin}: {exc}") from None

    @property
    def is_pressed(self) -> bool:
        return bool(self._button.is_pressed)

    def close(self) -> None:
        self._button.close()

    def __enter__(self) -> PushToTalk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
