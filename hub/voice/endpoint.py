"""Endpointing: where speech starts and ends, live as it is heard or in a whole recording."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import webrtcvad

from hub.voice.dsp import SPEECH_RATE
from hub.voice.wav import Audio

_LOGGER = logging.getLogger(__name__)

# The room kept before the first word. The recognizers' confidence floors were calibrated
# on utterances cut this way, and the room it holds is what `snr_db` measures the words
# against, so the live path (hub.voice.input) keeps the same lead, and PocketSphinx
# averages its score gap from this far before the first word.
SPEECH_LEAD_MS = 300


@dataclass(frozen=True)
class Speech:
    """Where speech starts and ends in an utterance, in samples; `end` includes the tail.
    `start` keeps up to `SPEECH_LEAD_MS` of the room before `words_at`, the first voiced frame."""

    start: int
    end: int
    tail_ms: int
    words_at: int = 0


# The noise floor may rise 3 dB a second (per 30 ms frame), so it follows a fan switched
# on, yet stays below speech: words are rarely unbroken for more than a few seconds.
_NOISE_RISE_PER_FRAME = 10.0 ** (3.0 * 0.030 / 20.0)


class Endpointer:
    """Finds the end of speech with webrtcvad: speech, then `tail_ms` of non-speech.

    The tail is what a listener waits after the last word, so it is added to every
    reply's latency; it is configurable and reported apart from recognition.
    Feed 16 kHz 16-bit PCM in any block size; `feed` returns True once speech has ended.

    webrtcvad alone calls steady broadband noise speech (measured: piper speech
    followed by white noise at -40 dBFS, a fan in the room, never ended), so the
    question would run on until it is cut at the time limit. A frame therefore counts
    as speech only when webrtcvad says so *and* it stands `snr_db` above the room's
    noise floor (tracked as the running minimum of frame loudness, rising slowly) and
    within `floor_db` of the loudest speech so far. Measured on piper sentences in
    white noise from -50 to -20 dBFS: 2 dB ends every one within 0.1 s of the tail;
    4 dB and more cut some sentences short at a comma, and 0 dB never ends at -25 dBFS.
    """

    FRAME_MS = 30

    def __init__(
        self,
        *,
        tail_ms: int = 300,
        aggressiveness: int = 2,
        min_speech_ms: int = 120,
        floor_db: float = 35.0,
        snr_db: float = 2.0,
        vad: webrtcvad.Vad | None = None,
    ) -> None:
        self.tail_ms = tail_ms
        self.min_speech_ms = min_speech_ms
        self._floor_ratio = 10.0 ** (-floor_db / 20.0)
        self._snr_ratio = 10.0 ** (snr_db / 20.0)
        self._vad = vad if vad is not None else webrtcvad.Vad(aggressiveness)
        self._frame_bytes = SPEECH_RATE * self.FRAME_MS // 1000 * 2
        self.reset()

    def reset(self) -> None:
        """Forget the current utterance, ready for the next."""
        self._pending = b""
        self._frames = 0
        self._speech_frames = 0
        self._silent_frames = 0
        self._peak_rms = 0.0
        self._noise_rms: float | None = None
        self.start_frame: int | None = None
        self.end_frame: int | None = None

    @property
    def has_ended(self) -> bool:
        return self.end_frame is not None

    def feed(self, pcm16: bytes) -> bool:
        """Take more audio; return True once the utterance has ended."""
        self._pending += pcm16
        while len(self._pending) >= self._frame_bytes and not self.has_ended:
            frame, self._pending = self._pending[: self._frame_bytes], self._pending[self._frame_bytes :]
            self._step(self._is_speech(frame))
        return self.has_ended

    def _is_speech(self, frame: bytes) -> bool:
        rms = float(np.sqrt(np.mean(np.frombuffer(frame, dtype="<i2").astype(np.float64) ** 2)))
        noise = self._noise_rms = rms if self._noise_rms is None or rms < self._noise_rms \
            else self._noise_rms * _NOISE_RISE_PER_FRAME
        if not self._vad.is_speech(frame, SPEECH_RATE):
            return False
        if rms < self._peak_rms * self._floor_ratio or rms < noise * self._snr_ratio:
            return False
        self._peak_rms = max(self._peak_rms, rms)
        return True

    def _step(self, is_speech: bool) -> None:
        self._frames += 1
        if is_speech:
            if self.start_frame is None:
                self.start_frame = self._frames - 1
            self._speech_frames += 1
            self._silent_frames = 0
            return
        if self.start_frame is None:
            return
        self._silent_frames += 1
        if self._silent_frames * self.FRAME_MS >= self.tail_ms:
            if self._speech_frames * self.FRAME_MS >= self.min_speech_ms:
                self.end_frame = self._frames
            else:  # a click or a cough: start over
                self.start_frame = None
                self._speech_frames = 0
                self._silent_frames = 0

    def find_speech(self, audio: Audio) -> Speech | None:
        """Return where speech is in a whole 16 kHz recording, or None when there is none.

        From the first word to the last: a pause longer than the tail inside a recording
        ("yes, ... but the dressing is wet") must not drop what follows it. Bursts shorter
        than `min_speech_ms` with silence around them (a click, a cough) are not speech.
        """
        self.reset()
        pcm = audio.to_pcm16()
        size = self._frame_bytes
        flags = [self._is_speech(pcm[i : i + size]) for i in range(0, len(pcm) - size + 1, size)]
        gap_frames = max(1, self.tail_ms // self.FRAME_MS)
        min_frames = self.min_speech_ms / self.FRAME_MS
        kept: list[tuple[int, int]] = []  # (first, last) speech frame of each segment
        first = last = -1
        voiced = 0
        for index, is_speech in enumerate([*flags, False]):
            if is_speech:
                if first < 0 or index - last > gap_frames:
                    if first >= 0 and voiced >= min_frames:
                        kept.append((first, last))
                    first, voiced = index, 0
                last = index
                voiced += 1
        if first >= 0 and voiced >= min_frames:
            kept.append((first, last))
        if not kept:
            return None
        frame_samples = SPEECH_RATE * self.FRAME_MS // 1000
        start = max(0, (kept[0][0] - SPEECH_LEAD_MS // self.FRAME_MS) * frame_samples)
        end = (kept[-1][1] + 1 + gap_frames) * frame_samples
        return Speech(start=start, end=min(end, len(audio.samples)), tail_ms=self.tail_ms,
                      words_at=kept[0][0] * frame_samples)
