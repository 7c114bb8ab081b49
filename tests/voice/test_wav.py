"""WAV files in and out: any common WAV reads as mono, anything else is one clear error."""

from __future__ import annotations

import io
import struct
import wave

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.voice.wav import Audio, AudioError, parse_wav, read_wav, write_wav


def tone(rate: int, seconds: float = 0.5, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * hz * t)


def wav_bytes(samples: np.ndarray, rate: int, bits: int, channels: int = 1) -> bytes:
    interleaved = np.repeat(samples, channels)
    if bits == 8:
        raw = (interleaved * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 16:
        raw = (interleaved * 32767).astype("<i2").tobytes()
    elif bits == 24:
        ints = (interleaved * (2**23 - 1)).astype("<i4")
        raw = b"".join(struct.pack("<i", int(v))[:3] for v in ints)
    else:
        raw = (interleaved * (2**31 - 1)).astype("<i4").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(bits // 8)
        out.setframerate(rate)
        out.writeframes(raw)
    return buffer.getvalue()


def float_wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    data = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
@pytest.mark.parametrize("channels", [1, 2])
def test_pcm_wavs_of_any_width_and_channels_read_as_mono(bits: int, channels: int) -> None:
    audio = parse_wav(wav_bytes(tone(8000), 8000, bits, channels))
    assert audio.rate_hz == 8000 and audio.samples.ndim == 1
    assert len(audio.samples) == 4000
    assert np.max(np.abs(audio.samples)) == pytest.approx(0.5, abs=0.02)


def test_float_wav_is_read() -> None:
    audio = parse_wav(float_wav_bytes(tone(22050), 22050))
    assert audio.rate_hz == 22050 and np.max(np.abs(audio.samples)) == pytest.approx(0.5, abs=1e-3)


def test_write_then_read_round_trips(tmp_path) -> None:
    path = tmp_path / "tone.wav"
    write_wav(path, Audio(tone(16000).astype(np.float32), 16000))
    back = read_wav(path)
    assert back.rate_hz == 16000 and np.allclose(back.samples, tone(16000), atol=1e-3)


def test_non_wav_file_is_refused_by_name(tmp_path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("hello")
    with pytest.raises(AudioError, match="notes.wav: not a WAV file"):
        read_wav(path)


def test_missing_file_is_refused_by_name(tmp_path) -> None:
    with pytest.raises(AudioError, match="gone.wav"):
        read_wav(tmp_path / "gone.wav")


@settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=200), st.binary(max_size=200).map(lambda b: b"RIFF\0\0\0\0WAVE" + b)))
def test_any_bytes_are_audio_or_one_clear_error(data: bytes) -> None:
    try:
        audio = parse_wav(data, source="x.wav")
    except AudioError as exc:
        assert str(exc).startswith("x.wav: ")
    else:
        assert audio.samples.ndim == 1 and np.all(np.isfinite(audio.samples))


@pytest.mark.parametrize("make", [lambda: wav_bytes(tone(8000), 8000, 24, 2),
                                  lambda: float_wav_bytes(tone(8000), 8000)])
def test_a_wav_cut_short_anywhere_is_audio_or_one_clear_error(make) -> None:
    whole = make()
    for end in range(len(whole) // 4):  # every cut in the header and the first samples
        try:
            parse_wav(whole[:end], source="cut.wav")
        except AudioError as exc:
            assert str(exc).startswith("cut.wav: ")


def test_nan_and_infinite_float_samples_are_read_as_silence_and_full_scale() -> None:
    audio = parse_wav(float_wav_bytes(np.array([np.nan, np.inf, -np.inf, 3.0, 0.25]), 8000))
    assert audio.samples.tolist() == [0.0, 1.0, -1.0, 1.0, 0.25]


def test_unsupported_format_names_the_fix() -> None:
    data = bytearray(float_wav_bytes(tone(8000), 8000))
    data[20:22] = struct.pack("<H", 6)  # A-law
    with pytest.raises(AudioError, match="not PCM or float"):
        parse_wav(bytes(data))


def header_wav(tag: int, channels: int, rate: int, bits: int, payload: bytes) -> bytes:
    """A WAV with whatever its header claims, however implausible."""
    fmt = struct.pack("<HHIIHH", tag, channels, rate, (rate * channels * bits // 8) & 0xFFFFFFFF,
                      (channels * bits // 8) & 0xFFFF, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize("tag, channels, rate, bits, problem", [
    (1, 1, 0xFFFFFFFF, 16, "sample rate of 4294967295 Hz"),
    (1, 1, 0, 16, "sample rate of 0 Hz"),
    (1, 0xFFFF, 16000, 16, "65535 channels"),
    (1, 1, 16000, 12, "12-bit PCM"),
    (3, 1, 16000, 16, "16-bit float"),
])
def test_an_implausible_header_is_refused_with_its_own_error(tag, channels, rate, bits, problem) -> None:
    with pytest.raises(AudioError, match=problem):
        parse_wav(header_wav(tag, channels, rate, bits, b"\0" * 64), source="bad.wav")


@settings(max_examples=300, deadline=None)
@given(tag=st.sampled_from([0, 1, 2, 3, 6, 0xFFFE, 0xFFFF]), channels=st.integers(0, 0xFFFF),
       rate=st.one_of(st.integers(0, 0xFFFFFFFF), st.sampled_from([8000, 16000, 44100, 48000])),
       bits=st.sampled_from([0, 1, 8, 12, 16, 24, 32, 64, 0xFFFF]), payload=st.binary(max_size=256))
def test_any_wav_header_is_audio_the_voice_can_take_or_one_clear_error(tag, channels, rate, bits, payload) -> None:
    from hub.voice.dsp import to_speech_rate

    try:
        audio = parse_wav(header_wav(tag, channels, rate, bits, payload), source="x.wav")
    except AudioError as exc:
        assert str(exc).startswith("x.wav: ") and "\n" not in str(exc)
        return
    speech = to_speech_rate(audio)  # what every question goes through first
    assert np.all(np.isfinite(speech.samples)) and speech.rate_hz == 16000
