"""The phrase cache: fixed replies synthesized ahead of time, so they start playing at once.

On a Pi, piper runs near real time, so a ten-second escalation instruction would take
seconds before its first word. Every fixed reply (escalations, daily-check steps,
warnings: `hub.phrases.fixed_phrases`) is synthesized when the hub starts and kept
on disk as a WAV file named by a hash of voice and text. A reply that is not cached
is streamed sentence by sentence instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from hub.audio import Audio, read_wav, write_wav
from hub.tts import Synthesizer

_LOGGER = logging.getLogger(__name__)


class PhraseCache:
    """Spoken replies on disk, keyed by text and voice. Misses are synthesized on the fly."""

    def __init__(self, directory: str | Path, *, synthesizer: Synthesizer) -> None:
        self.directory = Path(directory)
        self.synthesizer = synthesizer
        self.directory.mkdir(parents=True, exist_ok=True)

    def path_for(self, text: str) -> Path:
        """Return where `text` in this voice is (or would be) cached."""
        key = hashlib.sha256(f"{self.synthesizer.voice_id}\n{text.strip()}".encode()).hexdigest()
        return self.directory / f"{key[:32]}.wav"

    def has(self, text: str) -> bool:
        return self.path_for(text).is_file()

    def get(self, text: str) -> Audio | None:
        """Return the cached audio for `text`, or None when it was never synthesized."""
        path = self.path_for(text)
        if not path.is_file():
            return None
        return read_wav(path)

    def warm(self, texts: Iterable[str]) -> int:
        """Synthesize every text not yet cached; return how many were added."""
        added = sum(self.add(text) for text in dict.fromkeys(t.strip() for t in texts if t.strip()))
        _LOGGER.info("Phrase cache in %s: %d phrases added", self.directory, added)
        return added

    def add(self, text: str) -> bool:
        """Synthesize and keep `text` unless it is cached already; return True when added."""
        text = text.strip()
        if not text or self.has(text):
            return False
        self._store(text, self.synthesizer.synthesize(text))
        return True

    def speak(self, text: str) -> Iterator[Audio]:
        """Yield `text` as audio: the cached phrase whole, else sentence by sentence as synthesized."""
        cached = self.get(text)
        if cached is not None:
            yield cached
            return
        yield from self.synthesizer.stream(text)

    def _store(self, text: str, audio: Audio) -> None:
        path = self.path_for(text)
        # Write then rename, so a power cut never leaves a half-written phrase behind.
        handle, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        os.close(handle)
        try:
            write_wav(tmp, audio)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
