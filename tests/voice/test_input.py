"""The daemon's microphone loop on a simulated microphone, with real PocketSphinx and piper."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from gpiozero.pins.mock import MockFactory

from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer
from hub.voice.dsp import SPEECH_RATE, dither
from hub.voice.wav import Audio
from hub.core.codes import ANSWER_INTENTS
from hub.intents.templates import Templates
from hub.voice.mic import SpeakingGate
from hub.sim.microphone import SimulatedMicrophone
from hub.voice.tts import Synthesizer
from hub.voice.input import Start, VoiceInput
from hub.voice.asr.base import Transcript
from hub.voice.pipeline import VoicePipeline, doubt_a_loud_yes
from hub.voice.snr import NOISY_SNR_DB, speech_over_room_db
from hub.voice.wake import PushToTalk, WakeWordSpotter

ANSWERS = frozenset(ANSWER_INTENTS)
BLOCK = SPEECH_RATE * 30 // 1000 * 2


@pytest.fixture(scope="module")
def synthesizer() -> Synthesizer:
    return Synthesizer(noise_scale=0.0, noise_w_scale=0.0)


@pytest.fixture(scope="module")
def pipeline(synthesizer: Synthesizer) -> VoicePipeline:
    return VoicePipeline(recognizer=PocketSphinxRecognizer(), synthesizer=synthesizer, templates=Templates())


def room(synthesizer: Synthesizer, *texts: str, quiet_s: float = 1.0) -> Iterator[bytes]:
    """Blocks of a quiet room in which `texts` are said, one after another."""
    quiet = dither(np.zeros(int(quiet_s * SPEECH_RATE), dtype=np.float32))
    parts = [quiet]
    for text in texts:
        audio = synthesizer.synthesize(text)
        from hub.voice.dsp import to_speech_rate

        parts += [to_speech_rate(audio, is_dithered=False).samples, quiet]
    pcm = Audio(np.concatenate(parts), SPEECH_RATE).to_pcm16()
    return iter([pcm[i : i + BLOCK] for i in range(0, len(pcm) - BLOCK + 1, BLOCK)])


def just_asked(gate: SpeakingGate) -> SpeakingGate:
    with gate.speaking():
        pass
    return gate


def test_an_answer_right_after_the_hubs_question_needs_no_wake_phrase(pipeline, synthesizer) -> None:
    gate = just_asked(SpeakingGate())
    ears = VoiceInput(pipeline, expects=lambda: ANSWERS, gate=gate)
    blocks = room(synthesizer, "Not sure.")
    assert ears.wait_for_turn(blocks)[0] is Start.FOLLOW_UP
    assert ears.listen_once(room(synthesizer, "Not sure.")) == "not sure"


def test_speech_is_ignored_without_wake_button_or_open_question(pipeline, synthesizer) -> None:
    """A television saying "is the pump okay" must not start a turn."""
    gate = just_asked(SpeakingGate())
    ears = VoiceInput(pipeline, expects=lambda: None, gate=gate)
    assert ears.listen_once(room(synthesizer, "Is the pump okay?")) is None


def test_an_answer_long_after_the_question_needs_the_wake_phrase(pipeline, synthesizer) -> None:
    clock = [100.0]
    gate = SpeakingGate(clock=lambda: clock[0])
    just_asked(gate)
    clock[0] += 60.0  # a minute later: the question is no longer "just asked"
    ears = VoiceInput(pipeline, expects=lambda: ANSWERS, gate=gate)
    assert ears.listen_once(room(synthesizer, "Yes.")) is None


def test_held_talk_button_starts_a_turn_with_the_full_grammar(pipeline, synthesizer) -> None:
    factory = MockFactory()
    with PushToTalk(17, pin_factory=factory) as button:
        factory.pin(17).drive_low()
        ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), button=button)
        assert ears.listen_once(room(synthesizer, "Who do I call?", quiet_s=0.5)) in (
            "who do i call", "who should i call")


def test_out_of_grammar_speech_after_a_press_is_not_understood_never_guessed(pipeline, synthesizer) -> None:
    factory = MockFactory()
    with PushToTalk(17, pin_factory=factory) as button:
        factory.pin(17).drive_low()
        ears = VoiceInput(pipeline, expects=lambda: ANSWERS, gate=SpeakingGate(), button=button)
        said = room(synthesizer, "The weather in Paris was lovely last summer, we walked everywhere.", quiet_s=0.5)
        assert ears.listen_once(said) == ""


def test_a_press_with_nothing_said_is_reported_as_not_understood(pipeline, synthesizer) -> None:
    factory = MockFactory()
    with PushToTalk(17, pin_factory=factory) as button:
        factory.pin(17).drive_low()
        ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), button=button)
        assert ears.listen_once(room(synthesizer, quiet_s=7.0)) == ""


def test_run_hears_the_simulated_microphone_and_waits_for_each_answer(synthesizer) -> None:
    """The loop on a live stream: each recording heard once, in order, through the real Microphone.

    A recognizer of its own: a stream starts from the loudness of the utterances before it,
    and a bare "yes" or "no" sits near the answer floor (rejected about one time in four
    after other speech, bench/RESULTS.md), so after other tests' speech this would test
    that, not the loop."""
    pipeline = VoicePipeline(recognizer=PocketSphinxRecognizer(), synthesizer=synthesizer, templates=Templates())
    gate = SpeakingGate()
    mic = SimulatedMicrophone([synthesizer.synthesize("Yes."), synthesizer.synthesize("No.")],
                              gate=gate, pause_s=0.5, pace_s=0.3)
    ears = VoiceInput(pipeline, expects=lambda: ANSWERS, gate=gate, button=mic, mic_backend=mic)
    heard: list[str] = []
    stop = threading.Event()

    def answer(text: str, is_noisy: bool) -> None:
        heard.append(text)
        with gate.speaking():  # the hub answers each one
            pass
        if len(heard) == 2:
            stop.set()

    thread = threading.Thread(target=ears.run, args=(answer, stop), daemon=True)
    thread.start()
    thread.join(timeout=60)
    matched = [Templates().match(text) for text in heard]
    assert [m.name if m else None for m in matched] == ["Yes", "No"]


class _Unplugged:
    """A sounddevice stand-in whose microphone is missing until `plug_in`."""

    def __init__(self, mic: SimulatedMicrophone) -> None:
        self.mic = mic
        self.is_plugged = False
        self.attempts = 0

    def RawInputStream(self, **kwargs):  # noqa: N802 - sounddevice's name
        self.attempts += 1
        if not self.is_plugged:
            raise OSError("Error querying device -1")
        return self.mic.RawInputStream(**kwargs)


def test_a_missing_microphone_is_reported_retried_and_cleared_once_audio_flows(pipeline, synthesizer) -> None:
    gate = SpeakingGate()
    backend = _Unplugged(SimulatedMicrophone([], pace_s=0.2))
    ears = VoiceInput(pipeline, expects=lambda: None, gate=gate, mic_backend=backend, retry_s=0.05)
    troubles: list[str | None] = []
    stop = threading.Event()

    def on_trouble(reason: str | None) -> None:
        troubles.append(reason)
        if reason is None:
            stop.set()
        elif backend.attempts >= 3:
            backend.is_plugged = True

    thread = threading.Thread(target=ears.run, args=(lambda text: None, stop, on_trouble), daemon=True)
    thread.start()
    for _ in range(100):
        if backend.attempts >= 3:
            backend.is_plugged = True
        if stop.wait(0.1):
            break
    stop.set()
    thread.join(timeout=10)
    assert troubles[0] is not None and "microphone" in troubles[0]
    assert troubles[-1] is None and len(troubles) == 2  # said once, cleared once: no flapping alarm


def test_okay_i_heard_you_right_after_an_alarm_needs_no_wake_phrase(pipeline, synthesizer) -> None:
    gate = just_asked(SpeakingGate())  # the hub has just announced an alarm
    ears = VoiceInput(pipeline, expects=lambda: None, awaited=lambda: frozenset({"Acknowledge"}), gate=gate)
    assert ears.listen_once(room(synthesizer, "Okay, I heard you.")) in ("okay i heard you", "ok i heard you")


def test_other_talk_right_after_an_alarm_is_neither_answered_nor_taken_as_acknowledging(
        pipeline, synthesizer) -> None:
    """Only the acknowledgement is listened for; unclear talk in the room gets no reply at all."""
    gate = just_asked(SpeakingGate())
    ears = VoiceInput(pipeline, expects=lambda: None, awaited=lambda: frozenset({"Acknowledge"}), gate=gate)
    assert ears.listen_once(room(synthesizer, "The weather in Paris was lovely last summer.")) is None


class _WokenBy:
    """A wake spotter stand-in that wakes on the first block: a false wake, as the real one
    has hundreds an hour on ordinary talk."""

    def process(self, pcm16: bytes) -> bool:
        return True

    def reset(self) -> None:
        pass


def test_unclear_talk_after_a_false_wake_gets_no_reply(pipeline, synthesizer) -> None:
    ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), spotter=_WokenBy())
    assert ears.listen_once(room(synthesizer, "The weather in Paris was lovely last summer.", quiet_s=0.3)) is None


def test_a_question_after_the_wake_phrase_is_heard(pipeline, synthesizer) -> None:
    ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), spotter=_WokenBy())
    assert ears.listen_once(room(synthesizer, "Is the pump okay?", quiet_s=0.3)) in ("is the pump okay",
                                                                                     "is the pump ok")


@pytest.mark.parametrize("said", [("Good morning.", "Hey pump helper, is the pump okay?"),
                                  ("Good morning.", "Hey pump helper.", "Is the pump okay?")])
def test_the_default_wake_phrase_then_a_question_is_heard(pipeline, synthesizer, said) -> None:
    """The real spotter on its default phrase, said in one breath with the question or before it."""
    ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), spotter=WakeWordSpotter())
    assert ears.listen_once(room(synthesizer, *said, quiet_s=0.5)) in ("is the pump okay", "is the pump ok")


def test_a_turn_lost_in_a_loud_room_says_so_and_a_quiet_one_does_not(pipeline, synthesizer) -> None:
    from hub.voice.dsp import to_speech_rate

    quiet = np.zeros(SPEECH_RATE, dtype=np.float32)

    def said(text: str) -> np.ndarray:
        words = to_speech_rate(synthesizer.synthesize(text), is_dithered=False).samples
        return np.concatenate([quiet, words, quiet])

    loud = said("Is the pump okay?")
    fan = np.random.default_rng(9).normal(0.0, np.sqrt(np.mean(loud.astype(np.float64) ** 2) * 3), len(loud))
    for samples, is_noisy in ((loud + fan, True), (dither(said("Play some music.")), False)):
        pcm = Audio(samples.astype(np.float32), SPEECH_RATE).to_pcm16()
        blocks = iter([pcm[i : i + BLOCK] for i in range(0, len(pcm) - BLOCK + 1, BLOCK)])
        factory = MockFactory()
        with PushToTalk(17, pin_factory=factory) as button:
            factory.pin(17).drive_low()
            heard = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), button=button).hear_turn(blocks)
        assert heard is not None and heard.transcript.is_rejected and heard.is_noisy is is_noisy, heard


def test_a_yes_heard_in_a_loud_room_is_asked_again_and_a_quiet_one_is_taken(pipeline, synthesizer) -> None:
    """The answer grammar took "not sure" as "looks good" at 5 dB (bench/voices.py): a yes
    the room nearly drowns is never a passed check step."""
    from hub.voice.dsp import to_speech_rate

    quiet = np.zeros(SPEECH_RATE, dtype=np.float32)
    words = to_speech_rate(synthesizer.synthesize("Yes."), is_dithered=False).samples
    clean = np.concatenate([quiet, words, quiet])
    power = np.mean(words.astype(np.float64) ** 2)
    hum = np.sin(2 * np.pi * 100 * np.arange(len(clean)) / SPEECH_RATE) * np.sqrt(2 * power / 10 ** 0.5)
    for samples, is_taken in ((dither(clean), True), (clean + hum, False)):
        pcm = Audio(samples.astype(np.float32), SPEECH_RATE).to_pcm16()
        blocks = iter([pcm[i : i + BLOCK] for i in range(0, len(pcm) - BLOCK + 1, BLOCK)])
        ears = VoiceInput(pipeline, expects=lambda: ANSWERS, gate=just_asked(SpeakingGate()))
        heard = ears.hear_turn(blocks)
        assert heard is not None and heard.snr_db is not None
        assert (not heard.transcript.is_rejected) is is_taken, heard
        assert heard.is_noisy is not is_taken  # the family is told it was the noise


@settings(max_examples=200, deadline=None)
@given(text=st.sampled_from(["yes", "yep it's fine", "yeah it all looks alright to me", "no", "not sure",
                             "say that again", "stop"]),
       words_over_room_db=st.one_of(st.none(), st.floats(-10, 50)), is_answer=st.booleans())
def test_only_a_yes_under_the_noise_floor_is_doubted(text, words_over_room_db, is_answer) -> None:
    rng = np.random.default_rng(3)
    room = rng.normal(0.0, 0.01, SPEECH_RATE)
    if words_over_room_db is None:
        samples = room[: SPEECH_RATE // 10]  # too short to measure
    else:
        words = rng.normal(0.0, 0.01 * 10 ** (words_over_room_db / 20), SPEECH_RATE)
        words += rng.normal(0.0, 0.01, SPEECH_RATE)
        samples = np.concatenate([room, words])
    measured = speech_over_room_db(samples)
    heard = Transcript(text=text, is_rejected=False, confidence=0.9, engine="pocketsphinx", heard=text)
    doubted = doubt_a_loud_yes(Templates(), heard, samples, ANSWERS if is_answer else None)
    is_yes = text.startswith("y")
    assert doubted.is_rejected is (is_answer and is_yes and measured is not None and measured < NOISY_SNR_DB)
