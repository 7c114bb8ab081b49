"""The combined recognizer: PocketSphinx where it is sure in a quiet room, whisper otherwise,
and daily-check answers left to PocketSphinx's narrow grammar."""

from __future__ import annotations

import numpy as np
import pytest

from hub.voice.asr.base import Transcript
from hub.voice.asr.combined import CombinedRecognizer, Routing
from hub.voice.asr.grammar import Grammar
from hub.voice.asr.whisper import WhisperRecognizer
from hub.voice.dsp import SPEECH_RATE
from hub.voice.wav import Audio
from hub.voice.understood import understands_with

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})


class CountingWhisper:
    """The real whisper recognizer, counting how often it is asked."""

    name = "whisper"

    def __init__(self, whisper: WhisperRecognizer) -> None:
        self.whisper = whisper
        self.calls = 0

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        self.calls += 1
        return self.whisper.recognize(pcm16, grammar)

    def stream(self, grammar: Grammar | None):
        raise AssertionError("the combined recognizer asks whisper for whole utterances only")


@pytest.fixture(scope="session")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


@pytest.fixture
def counted(whisper) -> CountingWhisper:
    return CountingWhisper(whisper)


@pytest.fixture
def combined(sphinx, counted, templates) -> CombinedRecognizer:
    return CombinedRecognizer(grammar_engine=sphinx, free_engine=counted, understands=understands_with(templates))


def with_fan(pcm16: bytes, snr_db: float = 5.0) -> bytes:
    """Return the speech with half a second of room before and after and white noise at `snr_db`."""
    words = np.frombuffer(pcm16, dtype="<i2").astype(np.float64) / 32768.0
    padded = np.concatenate([np.zeros(SPEECH_RATE // 2), words, np.zeros(SPEECH_RATE // 2)])
    power = np.mean(words[np.abs(words) > 0.01] ** 2)
    fan = np.random.default_rng(2).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(padded))
    return Audio((padded + fan).astype(np.float32), SPEECH_RATE).to_pcm16()


def test_a_clear_question_in_a_quiet_room_is_taken_from_pocketsphinx_without_whisper(
        combined, counted, grammars, templates, speech) -> None:
    transcript = combined.recognize(speech("Is the pump okay?"), grammars.grammar())
    assert transcript.engine == "pocketsphinx" and not transcript.is_rejected
    assert templates.match(transcript.text).name == "PumpStatus"
    assert counted.calls == 0


def test_a_question_in_a_loud_room_is_heard_by_whisper(combined, counted, grammars, templates, speech) -> None:
    transcript = combined.recognize(with_fan(speech("Who should I call?")), grammars.grammar())
    assert counted.calls == 1
    assert not transcript.is_rejected and transcript.engine == "whisper"
    assert templates.match(transcript.text).name == "WhoToCall"


def test_talk_nobody_can_act_on_is_rejected_after_whisper_hears_it(combined, counted, grammars, speech) -> None:
    transcript = combined.recognize(speech("Play some music."), grammars.grammar())
    assert transcript.is_rejected and transcript.text == ""
    assert counted.calls == 1 and transcript.heard  # whisper's words kept for the log


def test_whisper_text_goes_through_the_understanding_call_site(sphinx, counted, grammars, speech) -> None:
    asked: list[tuple[str, frozenset[str] | None]] = []

    def understands(text: str, expects: frozenset[str] | None) -> bool:
        asked.append((text, expects))
        return True  # as the language layer would for a worry no template lists

    combined = CombinedRecognizer(grammar_engine=sphinx, free_engine=counted, understands=understands)
    transcript = combined.recognize(speech("My kid has a fever."), grammars.grammar())
    assert not transcript.is_rejected and "fever" in transcript.text.lower()
    assert asked and "fever" in asked[0][0].lower() and asked[0][1] is None


def test_daily_check_answers_stay_with_pocketsphinx_even_in_noise(combined, counted, grammars, templates,
                                                                  speech) -> None:
    narrow = grammars.grammar(ANSWERS)
    for said in ("Yes.", "Nah."):
        for pcm in (speech(said), with_fan(speech(said))):
            transcript = combined.recognize(pcm, narrow)
            assert transcript.engine == "pocketsphinx"
    assert counted.calls == 0


def test_whisper_answers_when_enabled_never_make_other_talk_a_yes(sphinx, counted, grammars, templates,
                                                                 speech) -> None:
    combined = CombinedRecognizer(grammar_engine=sphinx, free_engine=counted, understands=understands_with(templates),
                                  routing=Routing(has_whisper_answers=True))
    for said in ("Play some music.", "Nah.", "Yes, but the tape is coming off."):
        transcript = combined.recognize(with_fan(speech(said)), grammars.grammar(ANSWERS))
        found = templates.match(transcript.text, allowed=ANSWERS) if transcript.text else None
        assert found is None or found.name != "Yes", (said, transcript)


def test_a_stream_gives_what_a_whole_recording_gives_and_whisper_hears_it_once(
        combined, counted, grammars, speech) -> None:
    pcm = with_fan(speech("Who should I call?"))
    stream = combined.stream(grammars.grammar())
    for i in range(0, len(pcm), 1920):
        stream.accept(pcm[i : i + 1920])
    streamed = stream.finish()
    again = combined.recognize(pcm, grammars.grammar())  # the microphone loop's whole-recording retry
    assert streamed.engine == again.engine == "whisper" and streamed.text == again.text
    assert counted.calls == 1


def test_an_abandoned_stream_never_asks_whisper(combined, counted, grammars, speech) -> None:
    stream = combined.stream(grammars.grammar())
    stream.accept(speech("Is the"))
    stream.abandon()
    assert counted.calls == 0
    assert combined.recognize(speech("Is the pump okay?"), grammars.grammar()).engine == "pocketsphinx"


def test_the_default_engine_is_the_combination(tmp_path, monkeypatch) -> None:
    from hub.voice.asr import open_recognizer

    monkeypatch.setenv("HUB_MODELS_DIR", str(tmp_path))  # no Vosk model: PocketSphinx under it
    recognizer = open_recognizer("auto")
    assert isinstance(recognizer, CombinedRecognizer)
    assert recognizer.grammar_engine.name == "pocketsphinx" and recognizer.free_engine.name == "whisper"


def test_an_unknown_engine_is_a_clear_error() -> None:
    from hub.voice.asr import RecognizerError, open_recognizer

    with pytest.raises(RecognizerError, match="unknown ASR engine 'sphinx'.*whisper"):
        open_recognizer("sphinx")
