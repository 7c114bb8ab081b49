"""The bridge firmware's pure parts (firmware-config/bridge), run on CPython against the hub's side."""

import importlib.util
import math
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hub.pump.protocol import Beep, Frame, FrameReader, Hello, LightSample, Status, encode_frame

BRIDGE = Path(__file__).resolve().parents[2] / "firmware-config" / "bridge"


def load(name):
    spec = importlib.util.spec_from_file_location(f"bridge_{name}", BRIDGE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hb1 = load("hb1")
tone = load("tone")


@given(
    st.integers(0, 65535),
    st.integers(0, 2**32 - 1),
    st.tuples(*(st.integers(0, 65535) for _ in range(4))),
    st.integers(0, 19999),
    st.integers(0, 59999),
    st.booleans(),
    st.booleans(),
)
def test_firmware_encoder_matches_the_hub_byte_for_byte(seq, t_ms, rgbc, freq, duration, light_ok, mic_ok):
    encoder = hb1.Encoder()
    encoder.seq = seq
    lines = [
        encoder.light(t_ms, *rgbc),
        encoder.beep(t_ms, freq, duration),
        encoder.status(t_ms, light_ok, mic_ok),
        encoder.hello(t_ms, "pico-1.0", 100),
    ]
    payloads = [LightSample(*rgbc), Beep(freq, duration), Status(light_ok, mic_ok), Hello("pico-1.0", 100)]
    for i, (line, payload) in enumerate(zip(lines, payloads, strict=True)):
        assert line == encode_frame(Frame((seq + i) % 65536, t_ms, payload))
    assert len(FrameReader().feed(b"".join(lines))) == 4


def test_firmware_crc_check_value():
    assert hb1.crc16_ccitt(b"123456789") == 0x29B1


def block(freq_hz=None, amplitude=8000, noise=200, seed=1):
    rng = random.Random(seed)
    out = []
    for n in range(tone.BLOCK):
        x = 32768 + rng.randint(-noise, noise)
        if freq_hz:
            x += amplitude * math.sin(2 * math.pi * freq_hz * n / tone.SAMPLE_RATE_HZ)
        out.append(int(x))
    return out


def test_tone_is_found():
    assert tone.analyse_block(block(2000)) == (True, 2000)
    assert tone.analyse_block(block(3000)) == (True, 3000)


def test_quiet_room_has_no_tone():
    assert tone.analyse_block(block(None)) == (True, 0)


def test_flat_or_railed_microphone_is_not_ok():
    assert tone.analyse_block([32768] * tone.BLOCK) == (False, 0)
    assert tone.analyse_block([65535 - (i % 100) for i in range(tone.BLOCK)])[0] is False


def test_loud_noise_is_not_a_beep():
    rng = random.Random(3)
    noisy = [32768 + rng.randint(-12000, 12000) for _ in range(tone.BLOCK)]
    assert tone.analyse_block(noisy) == (True, 0)


def test_beep_detector_reports_a_beep_when_it_ends():
    detector = tone.BeepDetector()
    assert [detector.feed(2000) for _ in range(6)] == [None] * 6
    assert detector.feed(0) == (2000, 150)
    assert detector.feed(0) is None


def test_a_click_is_not_a_beep():
    detector = tone.BeepDetector()
    assert detector.feed(2000) is None
    assert detector.feed(0) is None


def test_protocol_document_examples_are_valid_frames():
    text = (BRIDGE.parent / "PROTOCOL.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("$HB1,") and "<" not in line]
    assert len(lines) == 4
    reader = FrameReader()
    assert len(reader.feed("\n".join(lines).encode() + b"\n")) == 4
    assert not reader.rejected
