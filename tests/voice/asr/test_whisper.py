"""Whisper tiny.en hears real piper speech as free text, refuses a model that is not the one measured,
and rejects silence, noise and music instead of inventing words."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

import numpy as np
import pytest

from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.whisper import MODEL_NAME, WhisperRecognizer, WhisperSettings
from hub.voice.dsp import SPEECH_RATE
from hub.voice.wav import Audio
from hub.voice.model_store import MANIFEST_PATH
from hub.voice.packaged_model import ModelChecksumError, load_packaged

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})


@pytest.fixture(scope="session")
def whisper() -> WhisperRecognizer:
    return WhisperRecognizer()


@pytest.mark.parametrize(("said", "intent"), [
    ("Is the pump okay?", "PumpStatus"),
    ("Who should I call?", "WhoToCall"),
])
def test_a_spoken_question_is_transcribed_and_understood(whisper: WhisperRecognizer, grammars: GrammarBuilder,
                                                         templates, speech, said: str, intent: str) -> None:
    transcript = whisper.recognize(speech(said), grammars.grammar())
    assert not transcript.is_rejected, transcript
    assert transcript.engine == "whisper" and transcript.confidence > 0.5
    found = templates.match(transcript.text)
    assert found is not None and found.name == intent


def test_a_worry_in_words_no_template_lists_is_heard_word_for_word(whisper, grammars, speech) -> None:
    # Free text for the language layer: the grammar recognizers could only reject this.
    transcript = whisper.recognize(speech("My kid has a fever."), grammars.grammar())
    assert not transcript.is_rejected and "fever" in transcript.text.lower()


def _pcm(samples: np.ndarray) -> bytes:
    return Audio(samples.astype(np.float32), SPEECH_RATE).to_pcm16()


def _music(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * SPEECH_RATE)) / SPEECH_RATE
    melody = np.sin(2 * np.pi * np.where((t * 2).astype(int) % 2 == 0, 440.0, 660.0) * t)
    return 0.2 * (melody + 0.5 * np.sin(2 * np.pi * 220.0 * t))


@pytest.mark.parametrize("sound", ["empty", "click", "silence", "white noise", "music"])
def test_non_speech_is_rejected_not_a_crash(whisper, grammars, sound: str) -> None:
    samples = {"empty": np.zeros(0), "click": np.ones(40) * 0.5, "silence": np.zeros(2 * SPEECH_RATE),
               "white noise": np.random.default_rng(4).normal(0.0, 0.1, 2 * SPEECH_RATE),
               "music": _music(3.0)}[sound]
    for grammar in (grammars.grammar(), grammars.grammar(ANSWERS)):
        transcript = whisper.recognize(_pcm(samples), grammar)
        assert transcript.is_rejected and transcript.text == "", transcript
        assert transcript.reason


def _segment(text: str, avg_logprob: float, no_speech_prob: float = 0.05, compression_ratio: float = 1.0):
    return SimpleNamespace(text=text, avg_logprob=avg_logprob, no_speech_prob=no_speech_prob,
                           compression_ratio=compression_ratio, tokens=[1, 2, 3])


@pytest.mark.parametrize(("segment", "floor", "is_rejected"), [
    (_segment(" Yeah.", -0.6), -0.5, True),  # an unsure "yeah" is no answer to the daily check
    (_segment(" Yes.", -0.3), -0.5, False),
    (_segment(" Is the pump okay?", -0.6), -0.8, False),
    (_segment(" Thank you.", -0.3, no_speech_prob=0.9), -0.8, True),  # whisper's own "no speech here"
    (_segment(" [Music]", -0.2), -0.8, True),
    (_segment(" ♪♪", -0.2), -0.8, True),
    (_segment(" the pump the pump the pump the pump", -0.2, compression_ratio=3.1), -0.8, True),
])
def test_only_confident_words_are_accepted(whisper, segment, floor: float, is_rejected: bool) -> None:
    assert whisper.judge([segment], floor).is_rejected is is_rejected


def test_answers_need_more_certainty_than_questions() -> None:
    with pytest.raises(ValueError, match="answer_floor"):
        WhisperSettings(question_floor=-0.5, answer_floor=-0.8)


def test_a_model_whose_files_differ_from_the_manifest_is_refused(whisper, tmp_path) -> None:
    entry = load_packaged(MODEL_NAME)
    real = entry.default_path()
    copy = tmp_path / "model"
    copy.mkdir()
    for item in entry.files:
        (copy / item.name).symlink_to(real / item.name)
    (copy / "config.json").unlink()
    config = json.loads((real / "config.json").read_text(encoding="utf-8"))
    config["suppress_ids"] = []
    (copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelChecksumError, match="config.json"):
        WhisperRecognizer(model_path=copy)


def test_a_model_with_a_file_missing_is_refused(tmp_path) -> None:
    entry = load_packaged(MODEL_NAME)
    real = entry.default_path()
    for item in entry.files:
        if item.name != "model.bin":
            shutil.copy(real / item.name, tmp_path / item.name)
    with pytest.raises(ModelChecksumError, match="model.bin: missing"):
        WhisperRecognizer(model_path=tmp_path)


def test_a_digest_in_the_manifest_that_differs_refuses_the_installed_model(tmp_path) -> None:
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    for item in manifest["packaged"]:
        item["files"]["tokenizer.json"]["sha256"] = "0" * 64
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    entry = load_packaged(MODEL_NAME, path)
    with pytest.raises(ModelChecksumError, match="does not match the manifest"):
        entry.verify(entry.default_path())
