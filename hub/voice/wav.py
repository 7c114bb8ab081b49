"""WAV files in and out, and `Audio`, the mono float samples every voice module passes around.

Families will hand the hub whatever their phone recorded, so any common WAV (8 to 32-bit
PCM, 32-bit float, any channel count) reads as mono; what the hub writes is 16-bit mono.
"""

from __future__ import annotations

import struct
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hub.errors import HubError

_FORMAT_PCM = 1
_FORMAT_FLOAT = 3
_FORMAT_EXTENSIBLE = 0xFFFE
# What a microphone, a phone or a sound card records; outside these a header is garbled
# (or hostile: a rate of 4 billion Hz sends the resampler into an error, not a sentence).
RATE_RANGE_HZ = (4000, 384000)
MAX_CHANNELS = 32
_BITS = {_FORMAT_PCM: (8, 16, 24, 32), _FORMAT_FLOAT: (32, 64)}


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
    check_format(tag, channels, rate, bits, source)
    samples = _decode(payload, tag, bits, source)
    frames = len(samples) // channels
    samples = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
    return Audio(samples=samples.astype(np.float32), rate_hz=rate)


def check_format(tag: int, channels: int, rate: int, bits: int, source: str = "<bytes>") -> None:
    """Raise `AudioError` unless the header describes audio the hub can read: PCM or float,
    1 to MAX_CHANNELS channels, a rate in RATE_RANGE_HZ and a bit depth of that format."""
    if tag not in _BITS:
        raise AudioError(f"{source}: WAV format {tag} is not PCM or float; re-save as PCM")
    if not 1 <= channels <= MAX_CHANNELS:
        raise AudioError(f"{source}: {channels} channels is not usable audio (1 to {MAX_CHANNELS})")
    low, high = RATE_RANGE_HZ
    if not low <= rate <= high:
        raise AudioError(f"{source}: a sample rate of {rate} Hz is not usable audio ({low} to {high} Hz)")
    if bits not in _BITS[tag]:
        kind = "PCM" if tag == _FORMAT_PCM else "float"
        raise AudioError(f"{source}: {bits}-bit {kind} is not supported; use "
                         f"{', '.join(str(b) for b in _BITS[tag])} bits")


def _decode(payload: bytes, tag: int, bits: int, source: str) -> np.ndarray:
    if tag == _FORMAT_FLOAT and bits in (32, 64):
        usable = len(payload) - len(payload) % (bits // 8)
        with np.errstate(invalid="ignore"):  # signalling NaNs in a broken file: made silence below
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
