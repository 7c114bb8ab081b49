"""The phrase cache: fixed replies synthesized ahead of time, so they start playing at once.

On a Pi, piper runs near real time, so a ten-second escalation instruction would take
seconds before its first word. Every fixed reply (escalations, daily-check steps,
warnings: `hub.core.phrasebook.fixed_phrases`) is synthesized when the hub starts and kept
on disk, one WAV file per sentence, named by a hash of voice and sentence.

Sentences, not whole replies, are the unit because most replies are put together from
fixed sentences: a daily-check turn is "Sorry, I didn't catch that." plus the step's
question, a pump answer is a finding or two. Each sentence of a reply that is in the
cache plays from it; any other sentence (a reading, a time) is synthesized when its
turn comes. Piper synthesizes sentence by sentence anyway, so the joined pieces sound
as the whole reply would.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from hub.voice.wav import Audio, read_wav, write_wav
from hub.errors import HubError
from hub.voice.tts import Synthesizer, spoken_sentences

_LOGGER = logging.getLogger(__name__)


class PhraseCache:
    """Spoken sentences on disk, keyed by sentence and voice. Misses are synthesized on the fly."""

    def __init__(self, directory: str | Path, *, synthesizer: Synthesizer) -> None:
        self.directory = Path(directory)
        self.synthesizer = synthesizer
        self.directory.mkdir(parents=True, exist_ok=True)

    def path_for(self, sentence: str) -> Path:
        """Return where one sentence (as `spoken_sentences` writes it) in this voice is kept."""
        key = hashlib.sha256(f"{self.synthesizer.voice_id}\n{sentence.strip()}".encode()).hexdigest()
        return self.directory / f"{key[:32]}.wav"

    def has(self, text: str) -> bool:
        """Return True when every sentence of `text` can be played from the cache."""
        sentences = spoken_sentences(text)
        return bool(sentences) and all(self.path_for(s).is_file() for s in sentences)

    def get(self, text: str) -> Audio | None:
        """Return all of `text` from the cache, or None when any sentence is not cached."""
        pieces = [self._read(s) for s in spoken_sentences(text)]
        found = [p for p in pieces if p is not None]
        if not pieces or len(found) < len(pieces):
            return None
        return Audio(np.concatenate([p.samples for p in found]), found[0].rate_hz)

    def warm(self, texts: Iterable[str]) -> int:
        """Synthesize every text not yet cached; return how many texts needed synthesis."""
        added = sum(self.add(text) for text in dict.fromkeys(t.strip() for t in texts if t.strip()))
        _LOGGER.info("Phrase cache in %s: %d phrases added", self.directory, added)
        return added

    def add(self, text: str) -> bool:
        """Synthesize and keep each sentence of `text` not cached yet; return True when any was."""
        added = False
        for sentence in spoken_sentences(text):
            if not self.path_for(sentence).is_file():
                chunks = [c.samples for c in self.synthesizer.stream_sentence(sentence)]
                samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
                self._store(sentence, Audio(samples, self.synthesizer.rate_hz))
                added = True
        return added

    def speak(self, text: str) -> Iterator[Audio]:
        """Yield `text` as audio, one sentence at a time: from the cache where it can."""
        for audio, _ in self.pieces(text):
            yield audio

    def pieces(self, text: str) -> Iterator[tuple[Audio, bool]]:
        """Yield `text` as audio chunks, each with whether it came from the cache.

        A sentence is synthesized only when the one before it has been taken, so a
        caller playing each piece as it comes gets the next one ready during playback."""
        for sentence in spoken_sentences(text):
            cached = self._read(sentence)
            if cached is not None:
                yield cached, True
                continue
            for chunk in self.synthesizer.stream_sentence(sentence):
                yield chunk, False

    def _read(self, sentence: str) -> Audio | None:
        """Return a cached sentence, or None. A file that cannot be read (a bad disk
        block, a truncated copy) is removed and the sentence synthesized again instead:
        an urgent instruction must never go unsaid because its cached copy broke."""
        path = self.path_for(sentence)
        if not path.is_file():
            return None
        try:
            return read_wav(path)
        except (HubError, OSError, ValueError, EOFError) as exc:
            _LOGGER.warning("Cached phrase %s cannot be read (%s); synthesizing it instead", path.name, exc)
            try:
                path.unlink()
            except OSError:
                pass
            return None

    def _store(self, sentence: str, audio: Audio) -> None:
        path = self.path_for(sentence)
        # Write then rename, so a power cut never leaves a half-written phrase behind.
        handle, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(handle)
        try:
            write_wav(tmp, audio)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
