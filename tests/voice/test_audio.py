"""The audio front end: any WAV to 16 kHz mono, dither against digital silence, endpointing."""

from __future__ import annotations

import io
import struct
import wave

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.voice.audio import NOISY_SNR_DB, SPEECH_RATE, Audio, AudioError, Endpointer, dither, parse_wav, read_wav, \
    resample, snr_db, speech_over_room_db, to_speech_rate, write_wav


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


def dominant_hz(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples))
    return float(np.argmax(spectrum) * audio.rate_hz / len(audio.samples))


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


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_any_rate_becomes_16k_keeping_pitch_and_length(rate: int) -> None:
    audio = to_speech_rate(Audio(tone(rate).astype(np.float32), rate))
    assert audio.rate_hz == SPEECH_RATE
    assert audio.duration_s == pytest.approx(0.5, abs=0.001)
    assert dominant_hz(audio) == pytest.approx(440.0, abs=4.0)


def test_resampling_removes_content_above_the_new_nyquist() -> None:
    high = resample(tone(48000, hz=12000.0), 48000, 16000)
    assert np.max(np.abs(high)) < 0.01


def test_dither_makes_digital_silence_nonzero_but_inaudible() -> None:
    quiet = dither(np.zeros(16000, dtype=np.float32))
    assert np.count_nonzero(quiet) > 15000
    assert np.max(np.abs(quiet)) < 1e-2  # below -40 dBFS at its very loudest
    assert np.array_equal(quiet, dither(np.zeros(16000, dtype=np.float32)))  # seeded: repeatable


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


@pytest.fixture(scope="module")
def spoken() -> Audio:
    from hub.voice.tts import Synthesizer

    return to_speech_rate(Synthesizer(noise_scale=0.0, noise_w_scale=0.0).synthesize("Is the pump okay?"))


def padded(audio: Audio, before_s: float, after_s: float) -> Audio:
    silence = lambda s: dither(np.zeros(int(s * SPEECH_RATE), dtype=np.float32))  # noqa: E731
    return Audio(np.concatenate([silence(before_s), audio.samples, silence(after_s)]), SPEECH_RATE)


@pytest.mark.parametrize("tail_ms", [150, 300, 600])
def test_endpoint_comes_the_tail_after_speech_ends(spoken: Audio, tail_ms: int) -> None:
    audio = padded(spoken, 0.5, 2.0)
    speech = Endpointer(tail_ms=tail_ms).find_speech(audio)
    assert speech is not None
    speech_end = int((0.5 + spoken.duration_s) * SPEECH_RATE)
    assert speech.start < int(0.6 * SPEECH_RATE)
    # Ends the tail after the last voiced frame (piper's own trailing quiet is up to ~0.25 s).
    assert speech_end - 4800 < speech.end - tail_ms * 16 < speech_end + 1600


def test_streaming_endpointer_reports_the_end_once_the_tail_has_passed(spoken: Audio) -> None:
    pcm = padded(spoken, 0.3, 1.5).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    fed = 0
    while fed < len(pcm) and not endpointer.feed(pcm[fed : fed + 640]):
        fed += 640
    assert endpointer.has_ended
    assert fed / 2 / SPEECH_RATE < 0.3 + spoken.duration_s + 0.6


def test_silence_has_no_speech() -> None:
    audio = Audio(dither(np.zeros(SPEECH_RATE * 2, dtype=np.float32)), SPEECH_RATE)
    assert Endpointer().find_speech(audio) is None


@pytest.mark.parametrize("noise_dbfs", [-60.0, -40.0, -25.0])
def test_speech_ends_in_steady_room_noise(spoken: Audio, noise_dbfs: float) -> None:
    """A question asked over a fan must end the tail after its last word: neither run on
    until it is cut at the time limit, nor be cut before it is finished."""
    rng = np.random.default_rng(7)
    clean = np.concatenate([np.zeros(4800, np.float32), spoken.samples, np.zeros(4 * SPEECH_RATE, np.float32)])
    noisy = clean + rng.normal(0.0, 10 ** (noise_dbfs / 20), len(clean)).astype(np.float32)
    pcm = Audio(noisy, SPEECH_RATE).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    fed = 0
    while fed < len(pcm) and not endpointer.feed(pcm[fed : fed + 960]):
        fed += 960
    assert endpointer.has_ended
    spoken_end_s = 0.3 + spoken.duration_s
    assert spoken_end_s - 0.3 < fed / 2 / SPEECH_RATE < spoken_end_s + 0.6


def test_recording_then_quiet_room_ends(spoken: Audio) -> None:
    """A recording with its own digital quiet, then faint room noise (the simulated microphone)."""
    quiet = dither(np.zeros(3 * SPEECH_RATE, dtype=np.float32))
    pcm = Audio(np.concatenate([quiet[:4800], spoken.samples, quiet]), SPEECH_RATE).to_pcm16()
    endpointer = Endpointer(tail_ms=300)
    assert endpointer.feed(pcm)


def test_a_recording_keeps_words_after_a_long_pause(spoken: Audio) -> None:
    """'Yes ... but the dressing is wet': what follows a pause must reach the recognizer."""
    pause = dither(np.zeros(SPEECH_RATE, dtype=np.float32))
    audio = Audio(np.concatenate([pause[:8000], spoken.samples, pause, spoken.samples, pause]), SPEECH_RATE)
    speech = Endpointer(tail_ms=300).find_speech(audio)
    assert speech is not None
    assert speech.start < 8000 and speech.end > 8000 + 2 * len(spoken.samples) + SPEECH_RATE - 1600


def test_a_click_alone_is_not_speech() -> None:
    samples = dither(np.zeros(SPEECH_RATE, dtype=np.float32))
    samples[8000:8160] = 0.8 * np.sign(np.sin(np.arange(160)))  # 10 ms click
    assert Endpointer().find_speech(Audio(samples, SPEECH_RATE)) is None


@pytest.mark.parametrize("snr", [30.0, 15.0, 5.0, 0.0])
def test_how_far_words_stand_above_the_room_is_estimated(snr: float) -> None:
    rng = np.random.default_rng(4)
    room = rng.normal(0.0, 0.01, SPEECH_RATE)
    words = tone(SPEECH_RATE, seconds=1.0)
    words = words * np.sqrt(0.01**2 * 10 ** (snr / 10) / np.mean(words**2))
    samples = room + np.concatenate([np.zeros(4800), words[: SPEECH_RATE - 4800]])
    estimate = snr_db(samples, 4800)
    assert estimate == pytest.approx(snr, abs=1.0)
    assert (estimate < NOISY_SNR_DB) is (snr < NOISY_SNR_DB)  # 5 and 0 dB are a loud room, 15 and 30 not


def test_no_claim_about_the_room_without_100_ms_of_it() -> None:
    assert snr_db(np.ones(SPEECH_RATE), 800) is None and snr_db(np.ones(100), 4800) is None


def test_found_speech_says_where_the_words_begin(spoken: Audio) -> None:
    padded = Audio(np.concatenate([np.zeros(SPEECH_RATE, np.float32), spoken.samples]), SPEECH_RATE)
    found = Endpointer().find_speech(to_speech_rate(padded))
    assert found is not None and found.words_at - found.start == pytest.approx(4800, abs=480)


def test_words_stand_far_above_a_quiet_room_and_less_above_a_noisy_one() -> None:
    rng = np.random.default_rng(3)
    words = np.concatenate([np.zeros(4800), 0.3 * np.sin(np.arange(16000) * 0.2), np.zeros(4800)])
    quiet = speech_over_room_db(dither(words.astype(np.float32)))
    noisy = speech_over_room_db((words + rng.normal(0, 0.02, len(words))).astype(np.float32))
    assert quiet is not None and noisy is not None
    assert quiet > 40 and noisy < 25
    assert speech_over_room_db(np.zeros(3199, dtype=np.float32)) is None  # under 200 ms: nothing claimed


@given(st.floats(min_value=0.01, max_value=100.0), st.integers(min_value=0, max_value=2**16))
def test_how_loud_the_microphone_is_set_does_not_change_how_quiet_the_room_is(gain: float, seed: int) -> None:
    samples = np.random.default_rng(seed).normal(0, 0.01, 8000) * np.repeat([1, 30, 1, 30], 2000)
    base, louder = speech_over_room_db(samples), speech_over_room_db(samples * gain)
    assert base is not None and louder is not None and abs(base - louder) < 1e-6
