"""The audio front end: WAV files in and out, 16 kHz mono conversion, dither, endpointing.

Recognizers want 16 kHz mono 16-bit audio. Families will hand the hub whatever their
phone recorded, and the synthesizer makes 22.05 kHz, so every path goes through
`to_speech_rate` here. Synthetic audio often has runs of exact zeros, which make
the recognizers' log-energy features -inf; `dither` adds a trace of noise so that
cannot happen.
"""

from __future__ import annotations

import logging
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import webrtcvad

from hub.errors import HubError

_LOGGER = logging.getLogger(__name__)

SPEECH_RATE = 16000
# -60 dBFS, about a quiet room through a cheap microphone. Measured on PocketSphinx:
# at -84 dBFS the recognizer explained trailing near-silence as words ("yes it").
DITHER_LEVEL = 1.0e-3
_FORMAT_PCM = 1
_FORMAT_FLOAT = 3
_FORMAT_EXTENSIBLE = 0xFFFE


class AudioError(HubError, ValueError):
    """A sound file that cannot be read as audio."""


@dataclass(frozen=True, eq=False)
class Audio:
    """Mono float samples in [-1, 1] at `rate_hz`."""

    samples: np.ndarray
    rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz

    def to_pcm16(self) -> bytes:
        """Return the samples as little-endian 16-bit PCM, what both recognizers take."""
        clipped = np.clip(self.samples, -1.0, 1.0)
        return (clipped * 32767.0).round().astype("<i2").tobytes()


def read_wav(path: str | Path) -> Audio:
    """Return the audio in a WAV file (8/16/24/32-bit PCM or 32-bit float), mixed to mono.

    Parsed by hand rather than with `wave`, which refuses float WAVs.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_wav(data, source=str(path))


def parse_wav(data: bytes, source: str = "<bytes>") -> Audio:
    """Return the audio in WAV bytes, mixed to mono; raise `AudioError` naming the problem."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError(f"{source}: not a WAV file (no RIFF/WAVE header)")
    fmt: tuple[int, int, int, int] | None = None
    payload: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            if len(body) < 16:
                raise AudioError(f"{source}: WAV file is cut short (its fmt chunk has {len(body)} of 16 bytes)")
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _FORMAT_EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        raise AudioError(f"{source}: WAV file lacks a fmt or data chunk")
    tag, channels, rate, bits = fmt
    if channels < 1 or rate < 1000:
        raise AudioError(f"{source}: {channels} channels at {rate} Hz is not usable audio")
    samples = _decode(payload, tag, bits, source)
    frames = len(samples) // channels
    samples = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
    return Audio(samples=samples.astype(np.float32), rate_hz=rate)


def _decode(payload: bytes, tag: int, bits: int, source: str) -> np.ndarray:
    if tag == _FORMAT_FLOAT and bits in (32, 64):
        usable = len(payload) - len(payload) % (bits // 8)
        values = np.frombuffer(payload[:usable], dtype="<f4" if bits == 32 else "<f8").astype(np.float64)
        # NaN or infinite samples (a broken file) are silence, not numbers that poison the
        # resampler and every sample after them; loud ones are clipped as a sound card would.
        return np.clip(np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    if tag != _FORMAT_PCM:
        raise AudioError(f"{source}: WAV format {tag} is not PCM or float; re-save as PCM")
    if bits == 8:  # 8-bit WAV is unsigned
        return (np.frombuffer(payload, dtype=np.uint8).astype(np.float64) - 128.0) / 128.0
    if bits == 16:
        usable = len(payload) - len(payload) % 2
        return np.frombuffer(payload[:usable], dtype="<i2").astype(np.float64) / 32768.0
    if bits == 24:
        usable = len(payload) - len(payload) % 3
        raw = np.frombuffer(payload[:usable], dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float64) / float(1 << 23)
    if bits == 32:
        usable = len(payload) - len(payload) % 4
        return np.frombuffer(payload[:usable], dtype="<i4").astype(np.float64) / 2147483648.0
    raise AudioError(f"{source}: {bits}-bit PCM is not supported; use 8, 16, 24 or 32 bits")


def write_wav(path: str | Path, audio: Audio) -> None:
    """Write `audio` as a 16-bit mono WAV file, the format every player accepts."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.rate_hz)
        out.writeframes(audio.to_pcm16())


def resample(samples: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Return `samples` at `to_hz`, band-limited (FFT method), for whole utterances."""
    if from_hz == to_hz or len(samples) == 0:
        return np.asarray(samples, dtype=np.float32)
    count = round(len(samples) * to_hz / from_hz)
    spectrum = np.fft.rfft(samples)
    bins = count // 2 + 1
    out_spectrum = np.zeros(bins, dtype=complex)
    keep = min(bins, len(spectrum))
    out_spectrum[:keep] = spectrum[:keep]
    return (np.fft.irfft(out_spectrum, count) * (count / len(samples))).astype(np.float32)


def dither(samples: np.ndarray, level: float = DITHER_LEVEL, seed: int = 0) -> np.ndarray:
    """Return `samples` plus faint Gaussian noise, so digital silence cannot break decoding.

    Seeded, so a file always decodes the same way.
    """
    noise = np.random.default_rng(seed).normal(0.0, level, len(samples))
    return (samples + noise).astype(np.float32)


def to_speech_rate(audio: Audio, is_dithered: bool = True) -> Audio:
    """Return `audio` as 16 kHz mono, dithered: the one format the recognizers accept."""
    samples = resample(audio.samples, audio.rate_hz, SPEECH_RATE)
    if is_dithered:
        samples = dither(samples)
    return Audio(samples=samples, rate_hz=SPEECH_RATE)


@dataclass(frozen=True)
class Speech:
    """Where speech starts and ends in an utterance, in samples; `end` includes the tail.
    `start` keeps up to 300 ms of the room before `words_at`, the first voiced frame."""

    start: int
    end: int
    tail_ms: int
    words_at: int = 0


# An utterance whose words stand less than this far above the room before them, as
# `snr_db` estimates it, was said in a room too loud to hear well. The estimate counts
# the pauses between words as speech, so it reads about 4-5 dB below the SNR of the
# words alone: measured on piper sentences mixed at 20 dB (white, pink, babble, hum),
# it gave 11.9-18.8 (10th to 90th percentile); at 10 dB, 1.1-8.7; clean, 38-42.
NOISY_SNR_DB = 10.0


def snr_db(samples: np.ndarray, lead: int) -> float | None:
    """Estimate how far the words stand above the room, in dB: the first `lead` samples
    are the room before the words, the rest the words (with their pauses and tail).

    None when there is less than 100 ms of room to measure: then nothing is claimed."""
    if lead < SPEECH_RATE // 10 or len(samples) <= lead:
        return None
    room = float(np.mean(np.square(samples[:lead], dtype=np.float64)))
    words = float(np.mean(np.square(samples[lead:], dtype=np.float64)))
    floor = 1e-12
    return 10.0 * float(np.log10(max(words - room, floor) / max(room, floor)))


def speech_over_room_db(samples: np.ndarray) -> float | None:
    """Estimate how far the loud tenth of a recording stands above its quiet tenth, in dB
    (10 ms frames): the words over the room, with no need to know where the words are.

    A room with steady noise (a fan, a television's murmur) keeps even the quietest
    frames loud, so the figure falls with the noise. None for under 200 ms of audio."""
    frames = len(samples) // (SPEECH_RATE // 100)
    if frames < 20:
        return None
    power = np.mean(np.square(np.asarray(samples[: frames * (SPEECH_RATE // 100)], dtype=np.float64))
                    .reshape(frames, -1), axis=1)
    room, words = float(np.percentile(power, 10)), float(np.percentile(power, 90))
    floor = 1e-12
    return 10.0 * float(np.log10(max(words - room, floor) / max(room, floor)))


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
        start = max(0, (kept[0][0] - 10) * frame_samples)  # keep 300 ms lead-in
        end = (kept[-1][1] + 1 + gap_frames) * frame_samples
        return Speech(start=start, end=min(end, len(audio.samples)), tail_ms=self.tail_ms,
                      words_at=kept[0][0] * frame_samples)
