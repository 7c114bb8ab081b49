"""The one recognizer interface both speech engines implement.

A recognizer turns 16 kHz mono 16-bit PCM into a `Transcript`. It decodes against a
`Grammar` (or free dictation, for comparison) and must reject what is outside it:
a rejected transcript carries no text, so nothing downstream can answer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hub.voice.asr.grammar import Grammar
from hub.errors import HubError


class RecognizerError(HubError, RuntimeError):
    """A speech engine or its model that cannot be loaded or used."""


@dataclass(frozen=True)
class Transcript:
    """What was heard. `text` is empty when the utterance was rejected; `heard` keeps the raw
    hypothesis (with [unk] or garbage words) for logs and the benchmark."""

    text: str
    is_rejected: bool
    confidence: float
    engine: str
    heard: str = ""
    reason: str = ""
    # Speech heard after the sentence's last word, in ms (hub.voice.asr.trailing; 0 when none
    # or not measured). An answer with more said after it is rejected by the backend; a
    # question keeps it: "what number do I call for help" is heard as "what number do I
    # call" with the rest after it, and is rightly answered (bench/words_after.py).
    speech_after_ms: int = 0

    @classmethod
    def rejected(cls, engine: str, heard: str, reason: str, confidence: float = 0.0) -> Transcript:
        return cls(text="", is_rejected=True, confidence=confidence, engine=engine, heard=heard,
                   reason=reason)


class RecognizerStream(Protocol):
    """One utterance being decoded while it is spoken."""

    def accept(self, pcm16: bytes) -> None:
        """Decode more audio."""

    def finish(self) -> Transcript:
        """End the utterance and return what was heard, or a rejection."""


class Recognizer(Protocol):
    """A speech engine, loaded once and kept. One stream at a time per recognizer."""

    name: str

    def stream(self, grammar: Grammar | None) -> RecognizerStream:
        """Start an utterance against `grammar`; None means free dictation (benchmark only)."""

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        """Decode a whole utterance at once."""


def recognize_all(recognizer: Recognizer, pcm16: bytes, grammar: Grammar | None) -> Transcript:
    """Return the transcript of a whole utterance through `recognizer`'s streaming interface."""
    stream = recognizer.stream(grammar)
    stream.accept(pcm16)
    return stream.finish()
