"""Fixed replies are synthesized ahead of time and start at once; others stream by sentence."""

from __future__ import annotations

import time

import numpy as np
import pytest

from hub import phrases
from hub.phrase_cache import PhraseCache
from hub.plan import CarePlan
from hub.tts import Synthesizer


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
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    fixed = phrases.call_now(CarePlan())
    cache.warm([fixed])
    start = time.perf_counter()
    first = next(cache.speak(fixed))
    cached_ms = (time.perf_counter() - start) * 1000
    assert cached_ms < 50 and first.duration_s > 3
    chunks = list(cache.speak("The room is 22 °C. The pump is fine."))
    assert len(chunks) == 2


@pytest.mark.slow
def test_every_fixed_reply_can_be_cached(tmp_path, synthesizer) -> None:
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    texts = phrases.fixed_phrases(CarePlan())
    cache.warm(texts)
    for text in texts:
        audio = cache.get(text)
        assert audio is not None and np.max(np.abs(audio.samples)) > 0.05, text
