"""Wake-up: a spotted wake phrase ("hey hub", plan.voice.wake_phrase) or a push-to-talk button.

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

# Chosen on piper speech (bench/voice.py): 1e-35 woke on "hey, how are you", 1e-25 missed
# most wake phrases. Words containing "hub" still wake it; the button is the sure path.
DEFAULT_THRESHOLD = 1e-30


class WakeWordSpotter:
    """Spots the wake phrase in a stream of 16 kHz 16-bit audio. Load once and keep."""

    def __init__(self, phrase: str = "hey hub", *, threshold: float = DEFAULT_THRESHOLD,
                 decoder: Any = None) -> None:
        self.phrase = " ".join(phrase.lower().split())
        self.threshold = threshold
        if decoder is None:
            from pocketsphinx import Decoder, get_model_path

            base = os.path.join(get_model_path(), "en-us")
            decoder = Decoder(hmm=os.path.join(base, "en-us"), dict=os.path.join(base, "cmudict-en-us.dict"),
                              lm=None, logfn=os.devnull)
        self._decoder = decoder
        missing = [w for w in self.phrase.split() if self._decoder.lookup_word(w) is None]
        if missing:
            raise ValueError(f"voice.wake_phrase: no pronunciation for {missing}; choose common words")
        self._decoder.config["kws_threshold"] = threshold  # read when the search is added
        self._decoder.add_keyphrase("wake", self.phrase)
        self._decoder.activate_search("wake")
        self._is_started = False

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
