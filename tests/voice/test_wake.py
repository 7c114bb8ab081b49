"""Wake-up: the spotted phrase and the push-to-talk button (gpiozero, on its mock pins)."""

from __future__ import annotations

import numpy as np
import pytest
from gpiozero.pins.mock import MockFactory
from hypothesis import given
from hypothesis import strategies as st

from hub.voice.dsp import dither, to_speech_rate
from hub.voice.wav import Audio
from hub.voice.tts import Synthesizer
from hub.voice.wake import DEFAULT_PHRASE, PushToTalk, WakeWordSpotter, threshold_for


@pytest.fixture(scope="module")
def said():
    synthesizer = Synthesizer(noise_scale=0.0, noise_w_scale=0.0)
    pause = dither(np.zeros(8000, dtype=np.float32))

    def say(text: str) -> bytes:
        speech = to_speech_rate(synthesizer.synthesize(text))
        return Audio(np.concatenate([pause, speech.samples, pause]), 16000).to_pcm16()

    return say


@pytest.fixture
def spotter(said) -> WakeWordSpotter:
    spotter = WakeWordSpotter("hey hub")
    # A live microphone runs all the time, so the cepstral mean has settled by the time
    # anyone speaks; settle it here the same way before the audio under test.
    spots(spotter, said("Good morning, the weather is nice today."))
    return spotter


def spots(spotter: WakeWordSpotter, pcm: bytes) -> bool:
    try:
        return any(spotter.process(pcm[i : i + 960]) for i in range(0, len(pcm), 960))
    finally:
        spotter.reset()


@pytest.mark.parametrize("text", ["Hey, hub!", "Hey hub, is the pump okay?"])
def test_wake_phrase_is_spotted(spotter, said, text: str) -> None:
    assert spots(spotter, said(text))


@pytest.mark.parametrize("text", ["Play some music.", "Hey Bob.", "Hey, how are you?"])
def test_other_speech_does_not_wake(spotter, said, text: str) -> None:
    assert not spots(spotter, said(text))


def test_silence_does_not_wake(spotter) -> None:
    assert not spots(spotter, Audio(dither(np.zeros(48000, dtype=np.float32)), 16000).to_pcm16())


@pytest.fixture(scope="module")
def default_spotter(said) -> WakeWordSpotter:
    spotter = WakeWordSpotter()
    spots(spotter, said("Good morning, the weather is nice today."))
    return spotter


def test_the_default_phrase_is_hey_pump_helper_with_a_threshold_for_its_length(default_spotter) -> None:
    # "hey hub" at its 1e-30 woke about a thousand times an hour of ordinary talk (bench/RESULTS.md).
    assert DEFAULT_PHRASE == default_spotter.phrase == "hey pump helper"
    assert default_spotter.threshold == pytest.approx(1e-45)
    assert WakeWordSpotter("hey hub").threshold == pytest.approx(1e-30)
    assert WakeWordSpotter("hey hub", threshold=1e-20).threshold == 1e-20


@pytest.mark.parametrize("text", ["Hey pump helper!", "Hey pump helper, is the pump okay?",
                                  "Hey, pump helper, who do I call?"])
def test_the_default_phrase_is_spotted(default_spotter, said, text: str) -> None:
    assert spots(default_spotter, said(text))


@pytest.mark.parametrize("text", ["Is the pump okay?", "Hey, how are you?", "Hey hub.", "The pump is beeping.",
                                  "Can you help me with my homework?"])
def test_talk_about_the_pump_does_not_wake_the_default_phrase(default_spotter, said, text: str) -> None:
    assert not spots(default_spotter, said(text))


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=60))
def test_a_longer_phrase_never_gets_a_higher_threshold(shorter: int, longer: int) -> None:
    shorter, longer = sorted((shorter, longer))
    assert 1e-50 * 0.999 <= threshold_for(longer) <= threshold_for(shorter) <= 1e-20 * 1.001


def test_an_empty_wake_phrase_names_the_setting() -> None:
    with pytest.raises(ValueError, match="voice.wake_phrase"):
        WakeWordSpotter("  ")


def test_a_wake_phrase_without_pronunciation_names_the_setting() -> None:
    with pytest.raises(ValueError, match="voice.wake_phrase"):
        WakeWordSpotter("hey zzqxhub")


def test_push_to_talk_button_reads_the_pin() -> None:
    factory = MockFactory()
    with PushToTalk(17, pin_factory=factory) as button:
        pin = factory.pin(17)
        assert not button.is_pressed
        pin.drive_low()
        assert button.is_pressed
        pin.drive_high()
        assert not button.is_pressed
