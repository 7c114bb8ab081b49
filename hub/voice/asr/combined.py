"""Two recognizers as one: PocketSphinx's grammar where it is sure and fast, whisper where it is not.

PocketSphinx streams: its answer is ready a few milliseconds after the end of speech,
and in a quiet room, with the voice it was tuned on, it is right and rejects other talk.
It fails on other voices and in noise, where whisper tiny.en holds up but costs
hundreds of milliseconds per utterance. So (bench/voices.py, bench/RESULTS.md):

- a question PocketSphinx accepts in a quiet room is taken at once;
- otherwise whisper hears it, and its free text is taken when the understanding layer
  can act on it (an intent, or after the language layer a worry); failing that,
  PocketSphinx's own accepted sentence, else the rejection;
- daily-check answers and alarm acknowledgements stay with PocketSphinx's narrow
  grammar: a misheard "yes" is the one mistake that says all is well.

`understands` is the one place where this module asks whether text means something;
the pipeline passes it (hub.voice.understood), so the language layer plugs in there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hub.voice.asr.base import Recognizer, RecognizerStream, Transcript
from hub.voice.asr.confidence import is_answer_grammar
from hub.voice.asr.grammar import Grammar
from hub.voice.snr import speech_over_room_db

_LOGGER = logging.getLogger(__name__)

ENGINE = "combined"

# Whether the understanding layer can act on `text` said while `expects` (None: anything).
Understands = Callable[[str, "frozenset[str] | None"], bool]


@dataclass(frozen=True)
class Routing:
    """When the combined recognizer asks whisper.

    `quiet_db`: PocketSphinx's accepted question is taken without whisper when the words
    stand at least this far over the room (hub.voice.snr.speech_over_room_db).
    `has_whisper_answers`: whether a daily-check answer PocketSphinx rejected may be
    heard by whisper (at whisper's stricter answer floor).
    """

    quiet_db: float = 33.0
    has_whisper_answers: bool = False


class CombinedRecognizer:
    """PocketSphinx (`grammar_engine`) first, whisper (`free_engine`) when it is not sure or the room is loud."""

    name = ENGINE

    def __init__(self, *, grammar_engine: Recognizer, free_engine: Recognizer, understands: Understands,
                 routing: Routing = Routing()) -> None:
        self.grammar_engine = grammar_engine
        self.free_engine = free_engine
        self.understands = understands
        self.routing = routing
        # The last utterance whisper heard, and what it heard: the microphone loop decodes a
        # rejected question once more as a whole recording, and whisper would hear the same.
        self._last_free: tuple[bytes, str, Transcript] | None = None

    def stream(self, grammar: Grammar | None) -> _CombinedStream:
        """Start an utterance: PocketSphinx decodes it as it comes; whisper, if needed, at the end."""
        return _CombinedStream(self, self.grammar_engine.stream(grammar), grammar)

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        """Return what a whole utterance said, by the routing rules above."""
        return self.decide(pcm16, grammar, self.grammar_engine.recognize(pcm16, grammar))

    def decide(self, pcm16: bytes, grammar: Grammar | None, first: Transcript) -> Transcript:
        """Return the transcript to act on, given PocketSphinx's `first` on the same audio."""
        if grammar is None:
            return self.free_engine.recognize(pcm16, None)
        intents = grammar.intents
        is_answer = is_answer_grammar(intents)
        if is_answer and not self.routing.has_whisper_answers:
            return first
        if is_answer and not first.is_rejected:
            return first
        level = speech_over_room_db(np.frombuffer(pcm16, dtype="<i2").astype(np.float64) / 32768.0)
        is_quiet = level is not None and level >= self.routing.quiet_db
        if not first.is_rejected and is_quiet:
            return first
        second = self._free(pcm16, grammar)
        if not second.is_rejected:
            if self.understands(second.text, intents if is_answer else None):
                _LOGGER.info("Whisper heard %r (PocketSphinx: %r%s); room %s dB", second.text, first.heard,
                             ", rejected" if first.is_rejected else "", "?" if level is None else f"{level:.0f}")
                return second
            second = Transcript.rejected(second.engine, second.heard, "not understood", second.confidence)
        if not first.is_rejected:
            return first
        # Both rejected: keep whisper's words for the logs, PocketSphinx's reason if whisper heard nothing.
        return second if second.heard else first

    def _free(self, pcm16: bytes, grammar: Grammar) -> Transcript:
        if self._last_free is not None and self._last_free[1] == grammar.name and self._last_free[0] == pcm16:
            return self._last_free[2]
        transcript = self.free_engine.recognize(pcm16, grammar)
        self._last_free = (pcm16, grammar.name, transcript)
        return transcript


class _CombinedStream:
    def __init__(self, owner: CombinedRecognizer, first: RecognizerStream, grammar: Grammar | None) -> None:
        self._owner = owner
        self._first = first
        self._grammar = grammar
        self._pcm = bytearray()

    def accept(self, pcm16: bytes) -> None:
        self._first.accept(pcm16)
        self._pcm += pcm16

    def abandon(self) -> None:
        """Drop the utterance (only a click or a cough) without asking whisper about it."""
        abandon = getattr(self._first, "abandon", None)
        if abandon is not None:
            abandon()
        else:
            self._first.finish()

    def finish(self) -> Transcript:
        return self._owner.decide(bytes(self._pcm), self._grammar, self._first.finish())
