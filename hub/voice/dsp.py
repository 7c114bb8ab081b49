"""Sample-rate conversion and dither: any audio to the 16 kHz mono the recognizers take.

The synthesizer makes 22.05 kHz and phones record at 44.1 or 48 kHz, so every path goes
through `to_speech_rate`. Synthetic audio often has runs of exact zeros, which make the
recognizers' log-energy features -inf; `dither` adds a trace of noise so that cannot happen.
"""

from __future__ import annotations

import numpy as np

from hub.voice.wav import Audio

SPEECH_RATE = 16000
# -60 dBFS, about a quiet room through a cheap microphone. Measured on PocketSphinx:
# at -84 dBFS the recognizer explained trailing near-silence as words ("yes it").
DITHER_LEVEL = 1.0e-3


def resample(samples: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Return `samples` at `to_hz`, band-limited (FFT method), for whole utterances."""
    if from_hz == to_hz or len(samples) == 0:
        return np.asarray(samples, dtype=np.float32)
    count = round(len(samples) * to_hz / from_hz)
    if count == 0:  # a sliver shorter than one sample at the new rate (one sample at 44.1 kHz)
        return np.zeros(0, dtype=np.float32)
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
