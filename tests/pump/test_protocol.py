import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.errors import FrameError
from hub.pump.protocol import (
    Beep,
    Frame,
    FrameReader,
    FrameRejected,
    Hello,
    LightSample,
    Rejection,
    Status,
    crc16_ccitt,
    encode_frame,
    parse_frame,
)

GOOD = Frame(7, 123456, LightSample(300, 2000, 500, 2800))


def test_crc16_check_value():
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_encoded_frame_looks_like_the_documented_example():
    assert encode_frame(Frame(0, 0, Status(True, True))) == b"$HB1,0,0,STATUS,1,1*" + (
        f"{crc16_ccitt(b'HB1,0,0,STATUS,1,1'):04X}".encode() + b"\n"
    )


@pytest.mark.parametrize(
    "payload", [Hello("fw-1.2", 100), LightSample(0, 65535, 1, 2), Beep(2900, 150), Status(False, True)]
)
def test_every_type_round_trips(payload):
    frame = Frame(65535, 4294967295, payload)
    assert parse_frame(encode_frame(frame)) == frame


def test_crlf_line_end_is_accepted():
    assert parse_frame(encode_frame(GOOD)[:-1] + b"\r\n") == GOOD


def reason(line: bytes) -> Rejection:
    with pytest.raises(FrameRejected) as info:
        parse_frame(line)
    assert isinstance(info.value, FrameError)
    return info.value.reason


def with_crc(body: bytes) -> bytes:
    return b"$" + body + b"*" + f"{crc16_ccitt(body):04X}".encode() + b"\n"


def test_each_kind_of_corruption_is_rejected_for_its_reason():
    line = encode_frame(GOOD)
    wrong_crc = f"{(crc16_ccitt(line[1:-6]) + 1) % 65536:04X}".encode()
    assert reason(line[:-5] + wrong_crc + b"\n") is Rejection.BAD_CHECKSUM
    assert reason(line.replace(b"2000", b"2001")) is Rejection.BAD_CHECKSUM
    assert reason(line[:20]) is Rejection.MALFORMED  # truncated: no '*'
    assert reason(line.replace(b"*", b"#")) is Rejection.MALFORMED
    assert reason(line[:-2] + b"\n") is Rejection.MALFORMED  # three-digit CRC
    assert reason(line.lower()) is Rejection.MALFORMED  # lower-case hex is not ours
    assert reason(line[1:]) is Rejection.GARBAGE
    assert reason(b"$" + b"1" * 200 + b"\n") is Rejection.TOO_LONG
    assert reason(b"$HB1,\xff*0000\n") is Rejection.NOT_ASCII
    assert reason(with_crc(b"HB2,1,1,STATUS,1,1")) is Rejection.BAD_VERSION
    assert reason(with_crc(b"HB1,1,1,PUMP,1")) is Rejection.UNKNOWN_TYPE
    assert reason(with_crc(b"HB1,1,1,STATUS,1")) is Rejection.BAD_FIELDS  # missing field
    assert reason(with_crc(b"HB1,1,1,STATUS,1,1,1")) is Rejection.BAD_FIELDS  # extra field
    assert reason(with_crc(b"HB1,1,1,STATUS,1,2")) is Rejection.BAD_FIELDS
    assert reason(with_crc(b"HB1,01,1,STATUS,1,1")) is Rejection.BAD_FIELDS  # leading zero
    assert reason(with_crc(b"HB1,-1,1,STATUS,1,1")) is Rejection.BAD_FIELDS
    assert reason(with_crc(b"HB1,65536,1,STATUS,1,1")) is Rejection.BAD_FIELDS
    assert reason(with_crc(b"HB1,1,1,LIGHT,1,2,3,65536")) is Rejection.BAD_FIELDS
    assert reason(with_crc(b"HB1,1,1")) is Rejection.MALFORMED


def test_reader_splits_a_stream_and_counts_what_it_drops():
    reader = FrameReader()
    line = encode_frame(GOOD)
    stream = b"noise\n" + line[:15] + line + b"\x00\xff\n" + line[:-3] + b"00\n" + line
    frames = reader.feed(stream)
    assert frames == [GOOD, GOOD]
    assert reader.rejected[Rejection.GARBAGE] == 2
    assert reader.rejected[Rejection.TRUNCATED] == 1
    assert sum(reader.rejected.values()) == 4


def test_reader_handles_frames_split_across_reads():
    reader = FrameReader()
    line = encode_frame(GOOD)
    got = []
    for i in range(len(line)):
        got += reader.feed(line[i : i + 1])
    assert got == [GOOD]


def test_endless_line_is_dropped_and_reader_recovers():
    reader = FrameReader()
    assert reader.feed(b"$" + b"9" * 5000) == []
    assert reader.rejected[Rejection.TOO_LONG] == 1
    assert reader.feed(b"\n" + encode_frame(GOOD)) == [GOOD]


frames = st.builds(
    Frame,
    st.integers(0, 65535),
    st.integers(0, 2**32 - 1),
    st.one_of(
        st.builds(LightSample, *(st.integers(0, 65535) for _ in range(4))),
        st.builds(Beep, st.integers(0, 19999), st.integers(0, 59999)),
        st.builds(Status, st.booleans(), st.booleans()),
        st.builds(Hello, st.from_regex(r"[A-Za-z0-9._-]{1,16}", fullmatch=True), st.integers(0, 59999)),
    ),
)


@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_and_only_yield_checked_frames(data):
    reader = FrameReader()
    for frame in reader.feed(data):
        line = encode_frame(frame)
        assert line in data  # a frame is only ever exactly what was on the wire, CRC included


@given(frames)
def test_any_frame_round_trips(frame):
    assert parse_frame(encode_frame(frame)) == frame


@given(frames, st.data())
def test_any_single_byte_change_is_never_accepted_as_a_different_frame(frame, data):
    line = bytearray(encode_frame(frame))
    index = data.draw(st.integers(0, len(line) - 2))
    value = data.draw(st.integers(0, 255).filter(lambda b: b != line[index]))
    line[index] = value
    got = FrameReader().feed(bytes(line))
    assert got == []


@given(frames, st.integers(2, 60))
def test_any_truncation_is_rejected(frame, cut):
    line = encode_frame(frame)
    cut = min(cut, len(line) - 1)
    reader = FrameReader()
    assert reader.feed(line[:-cut] + b"\n") == []
