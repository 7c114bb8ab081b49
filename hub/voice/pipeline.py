"""The voice path: audio in, transcript out, reply spoken; each stage timed.

One `VoicePipeline` holds the loaded recognizer, grammars, synthesizer and phrase
cache for the life of the process. It never decides what to answer: a transcript goes
to the `Assistant` like typed text, and a rejected one goes in as nothing heard, so
the reply is "I didn't catch that", never a guess about the pump.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hub.core.codes import Intent
from hub.voice.asr import GrammarBuilder, Recognizer, Transcript, open_recognizer
from hub.voice.dsp import to_speech_rate
from hub.voice.endpoint import Endpointer
from hub.voice.snr import NOISY_SNR_DB, snr_db, speech_over_room_db
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.phrase_cache import PhraseCache
from hub.settings import DeviceSettings
from hub.voice.tts import Synthesizer, voice_files
from hub.voice.understood import understands_with

_LOGGER = logging.getLogger(__name__)

DEFAULT_TAIL_MS = 300


def default_cache_dir() -> Path:
    """Return where spoken phrases are cached: $HUB_CACHE_DIR, else ~/.cache/hub/phrases."""
    env = os.environ.get("HUB_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "hub" / "phrases"


@dataclass(frozen=True)
class Heard:
    """A transcribed utterance, how long each stage took (milliseconds), and how far the
    words stood above the room (`snr_db`, None when it could not be measured)."""

    transcript: Transcript
    timings_ms: dict[str, float] = field(default_factory=dict)
    snr_db: float | None = None

    @property
    def is_noisy(self) -> bool:
        """True when the utterance was not understood and the room was loud: then the
        family is told it was the noise, so they come closer or quieten the room rather
        than repeat the same words into it."""
        return self.transcript.is_rejected and self.snr_db is not None and self.snr_db < NOISY_SNR_DB


@dataclass(frozen=True)
class Spoken:
    """A reply spoken: its audio, whether all of it came from the phrase cache, and its timings."""

    audio: Audio
    is_cached: bool
    first_chunk_ms: float
    total_ms: float


def doubt_a_loud_yes(templates: Templates, transcript: Transcript, samples: np.ndarray,
                     expects: frozenset[str] | None, *, lead_db: float | None = None) -> Transcript:
    """Return `transcript`, or a rejection when it is a daily-check "yes" whose words stand
    less than `NOISY_SNR_DB` over the room: the lower of `lead_db` (words against the room
    before them, `snr_db`) and `speech_over_room_db` of the utterance's `samples` (which
    needs no quiet lead, but reads a short word's peaks high).

    A misheard "yes" is the one answer that says all is well, and in a loud room the
    answer grammar took "not sure" as "looks good" and "yes, but the tape is coming off"
    as "yes they are" (bench/voices.py, 5 dB). Asked again over the noise, the family
    loses a few seconds; a wrong "yes" would pass a check step. Free words no answer
    template holds (whisper's, when it hears answers) are doubted like a yes. Under 200 ms
    of audio cannot be measured, and is left as heard."""
    if expects is None or transcript.is_rejected:
        return transcript
    found = templates.match(transcript.text, allowed=expects)
    if found is not None and found.name != Intent.YES:
        return transcript  # a "no" or "not sure" heard wrongly only asks for a closer look
    levels = [db for db in (lead_db, speech_over_room_db(samples)) if db is not None]
    level_db = min(levels) if levels else None
    if level_db is None or level_db >= NOISY_SNR_DB:
        return transcript
    return Transcript.rejected(transcript.engine, transcript.heard,
                               f"a yes only {level_db:.0f} dB over the room is asked again", transcript.confidence)


class VoicePipeline:
    """Loaded speech engines for one process: build once, then `hear` and `speak` many times."""

    def __init__(
        self,
        *,
        recognizer: Recognizer,
        synthesizer: Synthesizer,
        templates: Templates,
        cache: PhraseCache | None = None,
        tail_ms: int = DEFAULT_TAIL_MS,
    ) -> None:
        self.recognizer = recognizer
        self.synthesizer = synthesizer
        self.grammars = GrammarBuilder(templates)
        self.cache = cache
        self.tail_ms = tail_ms
        self.endpointer = Endpointer(tail_ms=tail_ms)

    @classmethod
    def for_settings(cls, settings: DeviceSettings, *, templates: Templates | None = None,
                 cache_dir: str | Path | None = None, models_dir: str | Path | None = None) -> VoicePipeline:
        """Return a pipeline with the settings' recognizer and voice, loaded."""
        templates = templates or Templates()
        # The recognizer first: whisper's model briefly takes about 100 MB more while it is
        # converted to int8 at load, and the process's peak is lower before piper is loaded.
        recognizer = open_recognizer(settings.voice.asr_engine, models_dir=models_dir,
                                     understands=understands_with(templates))
        synthesizer = Synthesizer(voice_files(settings))
        return cls(recognizer=recognizer, synthesizer=synthesizer, templates=templates,
                   cache=PhraseCache(cache_dir or default_cache_dir(), synthesizer=synthesizer))

    def hear(self, audio: Audio, expects: frozenset[str] | None = None) -> Heard:
        """Return what was said in a recorded utterance, against the grammar for `expects`."""
        timings: dict[str, float] = {}
        start = time.perf_counter()
        speech_audio = to_speech_rate(audio)
        speech = self.endpointer.find_speech(speech_audio)
        timings["endpointing"] = _ms_since(start)
        timings["endpoint_tail"] = float(self.tail_ms)
        if speech is None:
            return Heard(Transcript.rejected(self.recognizer.name, "", "no speech found"), timings)
        said = speech_audio.samples[speech.start : speech.end]
        pcm = Audio(said, speech_audio.rate_hz).to_pcm16()
        start = time.perf_counter()
        grammar = self.grammars.grammar(expects)
        transcript = self.recognizer.recognize(pcm, grammar)
        timings["recognition"] = _ms_since(start)
        level = snr_db(said, speech.words_at - speech.start)
        transcript = doubt_a_loud_yes(self.grammars.templates, transcript, said, expects, lead_db=level)
        _LOGGER.info("Heard %r (%s%s; words %s dB above the room)", transcript.heard,
                     "rejected: " if transcript.is_rejected else "accepted", transcript.reason,
                     "?" if level is None else f"{level:.0f}")
        return Heard(transcript, timings, level)

    def speak(self, text: str) -> Iterator[tuple[Audio, bool]]:
        """Yield `text` as audio chunks with whether each came from the phrase cache."""
        if self.cache is not None:
            yield from self.cache.pieces(text)
            return
        for chunk in self.synthesizer.stream(text):
            yield chunk, False

    def speak_all(self, text: str) -> Spoken:
        """Return all of `text` spoken, timing the first chunk (when playback could start)."""
        start = time.perf_counter()
        chunks: list[Audio] = []
        first_ms = 0.0
        is_cached = True
        for chunk, was_cached in self.speak(text):
            if not chunks:
                first_ms = _ms_since(start)
            chunks.append(chunk)
            is_cached = is_cached and was_cached
        rate = chunks[0].rate_hz if chunks else self.synthesizer.rate_hz
        samples = np.concatenate([c.samples for c in chunks]) if chunks else np.zeros(0, np.float32)
        return Spoken(Audio(samples, rate), is_cached and bool(chunks), first_ms, _ms_since(start))


def _ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000.0, 1)
