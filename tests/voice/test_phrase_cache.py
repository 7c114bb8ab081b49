"""Fixed replies are synthesized ahead of time and start at once; others stream by sentence."""

from __future__ import annotations


import numpy as np
import pytest

from hub.core import phrasebook, phrases
from hub.voice.phrase_cache import PhraseCache
from hub.core.plan import CarePlan
from hub.voice.tts import Synthesizer, spoken_sentences


@pytest.fixture(scope="module")
def synthesizer() -> Synthesizer:
    return Synthesizer(noise_scale=0.0, noise_w_scale=0.0)  # repeatable speech


def test_warm_caches_each_phrase_once_on_disk(tmp_path, synthesizer: Synthesizer) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    texts = ["The pump is fine.", "Call now.", "The pump is fine."]
    assert cache.warm(texts) == 2
    assert cache.warm(texts) == 0
    assert len(list(tmp_path.glob("*.wav"))) == 2
    assert not list(tmp_path.glob("*.tmp"))


def test_cached_phrase_matches_fresh_synthesis(tmp_path, synthesizer: Synthesizer) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    cache.warm(["Call now."])
    cached = cache.get("Call now.")
    fresh = synthesizer.synthesize("Call now.")
    assert cached is not None and cached.rate_hz == fresh.rate_hz
    # Piper varies timing a little on each run (noise_scale), so compare lengths loosely.
    assert len(cached.samples) == pytest.approx(len(fresh.samples), rel=0.15)


def test_key_depends_on_text_and_voice(tmp_path, synthesizer: Synthesizer, monkeypatch) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    assert cache.path_for("a") != cache.path_for("b")
    before = cache.path_for("a")
    monkeypatch.setattr(synthesizer, "voice_id", "another-voice")
    assert cache.path_for("a") != before
    monkeypatch.undo()
    other = PhraseCache(tmp_path, synthesizer=synthesizer)
    assert other.path_for("a") == cache.path_for("a")


def test_cached_reply_starts_at_once_and_uncached_streams_by_sentence(tmp_path, synthesizer) -> None:
    # "At once": read from disk, nothing synthesized (how fast that is: bench answer-latency).
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    fixed = phrases.call_now(CarePlan())
    cache.warm([fixed])
    first, was_cached = next(cache.pieces(fixed))
    assert was_cached and first.duration_s > 3
    chunks = list(cache.speak("The room is 22 °C. The pump is fine."))
    assert len(chunks) == 2


@pytest.mark.slow
def test_every_fixed_reply_is_made_of_speakable_sentences() -> None:
    for text in phrasebook.fixed_phrases(CarePlan()):
        sentences = spoken_sentences(text)
        assert sentences and all(any(c.isalpha() for c in s) for s in sentences), text


def test_the_urgent_fixed_replies_are_cached_as_audible_speech(tmp_path, synthesizer) -> None:
    """The urgent instructions come first in the phrase book; piper really speaks them."""
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    urgent = phrasebook.fixed_phrases(CarePlan())[:8]
    cache.warm(urgent)
    for text in urgent:
        audio = cache.get(text)
        assert audio is not None and np.max(np.abs(audio.samples)) > 0.05, text


def test_a_reply_made_of_cached_sentences_plays_from_the_cache(tmp_path, synthesizer) -> None:
    # A daily-check turn after a miss: a sentence of one fixed reply, then a step's question.
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    cache.warm([phrases.NOT_UNDERSTOOD, "Is the light green and blinking?"])
    turn = "Sorry, I didn't catch that. Is the light green and blinking?"
    assert cache.has(turn)
    pieces = list(cache.pieces(turn))
    assert [was_cached for _, was_cached in pieces] == [True, True]
    whole = cache.get(turn)
    assert whole is not None
    assert len(whole.samples) == sum(len(a.samples) for a, _ in pieces)


def test_a_reading_between_cached_sentences_is_the_only_part_synthesized(tmp_path, synthesizer) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    cache.warm(["The pump is fine."])
    pieces = list(cache.pieces("The pump is fine. The room is 22 °C."))
    assert pieces[0][1] is True and all(not cached for _, cached in pieces[1:])
    assert not cache.has("The pump is fine. The room is 22 °C.")
    assert cache.get("The pump is fine. The room is 22 °C.") is None


def test_a_broken_cached_file_is_synthesized_again_not_left_unsaid(tmp_path, synthesizer, caplog) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    urgent = phrases.call_now(CarePlan())
    cache.warm([urgent])
    for path in tmp_path.glob("*.wav"):
        path.write_bytes(b"RIFF\x00\x00")  # a bad block, a truncated copy
    audio = [a for a, _ in cache.pieces(urgent)]
    assert sum(a.duration_s for a in audio) > 3
    assert "cannot be read" in caplog.text
    assert not list(tmp_path.glob("*.wav"))  # the broken copies are gone, to be cached again
    assert cache.warm([urgent]) == 1 and cache.has(urgent)


@pytest.mark.slow
def test_every_daily_check_turn_plays_from_the_cache() -> None:
    """Every turn of the check, in any order of answers, is made of fixed sentences only,
    so on a Pi none waits for piper."""
    from datetime import datetime

    from hub.core.dialogue import STEPS, DailyCheckDialogue

    plan = CarePlan()
    cached = {s for text in phrasebook.fixed_phrases(plan) for s in spoken_sentences(text)}
    now = datetime(2026, 11, 27, 9, 0)
    turns = []
    for answer in ("Yes", "No", "NotSure", None, "Repeat", "Stop"):
        for index in range(len(STEPS)):
            dialogue = DailyCheckDialogue(plan)
            turns.append(dialogue.start())
            for _ in range(index):
                dialogue.answer("Yes", now)
            turns.append(dialogue.answer(answer, now))
            turns.append(dialogue.answer(answer, now, is_noisy=True))
    missing = {t.speech for t in turns
               if not spoken_sentences(t.speech) or not set(spoken_sentences(t.speech)) <= cached}
    assert not missing
