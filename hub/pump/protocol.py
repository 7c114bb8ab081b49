"""The bridge's line protocol, version 1: framing, checksum, and a parser that never trusts input.

A frame is one ASCII line:

    $HB1,<seq>,<t_ms>,<TYPE>[,<field>...]*<CRC>\\n

`seq` counts frames (0..65535, wrapping), `t_ms` is the bridge's uptime in ms, and
CRC is CRC-16/CCITT-FALSE of the bytes between `$` and `*`, as four upper-case hex
digits. Numbers are plain decimals without sign or leading zeros, so every accepted
line is exactly `encode_frame` of what it parsed to. Full description:
firmware-config/PROTOCOL.md; the MicroPython side is firmware-config/bridge/main.py.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, Union

from hub.errors import FrameError

_LOGGER = logging.getLogger(__name__)

PROTOCOL_VERSION = "HB1"
MAX_FRAME_BYTES = 128  # including '$' and the line end; longer means garbage
SEQ_MODULO = 1 << 16
T_MS_MODULO = 1 << 32
_UINT = re.compile(r"^(0|[1-9][0-9]{0,9})$")
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{1,16}$")
_CRC = re.compile(r"^[0-9A-F]{4}$")


def crc16_ccitt(data: bytes) -> int:
    """Return CRC-16/CCITT-FALSE of `data` (poly 0x1021, init 0xFFFF); "123456789" gives 0x29B1."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


class Rejection(str, Enum):
    """Why a line was not accepted; each is counted, none is acted on."""

    GARBAGE = "garbage"  # bytes outside any frame
    TRUNCATED = "truncated"  # a frame cut off by the start of the next one
    TOO_LONG = "too_long"
    NOT_ASCII = "not_ascii"
    MALFORMED = "malformed"  # no '*', a bad CRC field, missing fields
    BAD_CHECKSUM = "bad_checksum"
    BAD_VERSION = "bad_version"
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELDS = "bad_fields"


class FrameRejected(FrameError):
    """A line that is not a valid frame; `reason` says which rule it broke."""

    def __init__(self, reason: Rejection, detail: str) -> None:
        self.reason = reason
        super().__init__(f"{reason.value}: {detail}")


def _uint(text: str, limit: int) -> int:
    if not _UINT.match(text) or int(text) >= limit:
        raise ValueError(f"{text!r} is not a number below {limit}")
    return int(text)


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError(f"{text!r} is not 0 or 1")
    return text == "1"


@dataclass(frozen=True)
class Hello:
    """Sent at boot and every 30 s: firmware version and the light sample period."""

    TYPE: ClassVar[str] = "HELLO"
    firmware: str
    light_period_ms: int

    @classmethod
    def from_fields(cls, fields: list[str]) -> "Hello":
        firmware, period = fields
        if not _TOKEN.match(firmware):
            raise ValueError(f"firmware {firmware!r}")
        return cls(firmware, _uint(period, 60_000))

    def to_fields(self) -> list[str]:
        return [self.firmware, str(self.light_period_ms)]


@dataclass(frozen=True)
class LightSample:
    """One raw colour-sensor sample over the pump's infusion light (TCS34725 counts)."""

    TYPE: ClassVar[str] = "LIGHT"
    red: int
    green: int
    blue: int
    clear: int

    @classmethod
    def from_fields(cls, fields: list[str]) -> "LightSample":
        red, green, blue, clear = (_uint(f, 1 << 16) for f in fields)
        return cls(red, green, blue, clear)

    def to_fields(self) -> list[str]:
        return [str(self.red), str(self.green), str(self.blue), str(self.clear)]


@dataclass(frozen=True)
class Beep:
    """One alarm beep the bridge heard: its pitch and length."""

    TYPE: ClassVar[str] = "BEEP"
    freq_hz: int
    duration_ms: int

    @classmethod
    def from_fields(cls, fields: list[str]) -> "Beep":
        freq, duration = fields
        return cls(_uint(freq, 20_000), _uint(duration, 60_000))

    def to_fields(self) -> list[str]:
        return [str(self.freq_hz), str(self.duration_ms)]


@dataclass(frozen=True)
class Status:
    """The heartbeat, every second: whether the colour sensor and microphone work."""

    TYPE: ClassVar[str] = "STATUS"
    is_light_ok: bool
    is_mic_ok: bool

    @classmethod
    def from_fields(cls, fields: list[str]) -> "Status":
        light, mic = fields
        return cls(_flag(light), _flag(mic))

    def to_fields(self) -> list[str]:
        return [str(int(self.is_light_ok)), str(int(self.is_mic_ok))]


Payload = Union[Hello, LightSample, Beep, Status]
PAYLOAD_TYPES: dict[str, Callable[[list[str]], Payload]] = {
    cls.TYPE: cls.from_fields for cls in (Hello, LightSample, Beep, Status)
}


@dataclass(frozen=True)
class Frame:
    """One valid frame: sequence number, bridge time, and what it carries."""

    seq: int
    t_ms: int
    payload: Payload


def encode_frame(frame: Frame) -> bytes:
    """Return the line the bridge sends for `frame`, checksum and newline included."""
    body = ",".join([PROTOCOL_VERSION, str(frame.seq), str(frame.t_ms), frame.payload.TYPE, *frame.payload.to_fields()])
    raw = body.encode("ascii")
    return b"$" + raw + b"*" + f"{crc16_ccitt(raw):04X}".encode("ascii") + b"\n"


def parse_frame(line: bytes) -> Frame:
    """Return the frame in one line (with or without its line end), or raise `FrameRejected`."""
    line = line.rstrip(b"\r\n")
    if len(line) + 1 > MAX_FRAME_BYTES:
        raise FrameRejected(Rejection.TOO_LONG, f"{len(line)} bytes")
    if not line.startswith(b"$"):
        raise FrameRejected(Rejection.GARBAGE, "no '$' at the start")
    try:
        text = line.decode("ascii")
    except UnicodeDecodeError:
        raise FrameRejected(Rejection.NOT_ASCII, repr(line[:20])) from None
    if not text.isprintable():
        raise FrameRejected(Rejection.NOT_ASCII, repr(text[:20]))
    body, star, crc_text = text[1:].rpartition("*")
    if not star or not _CRC.match(crc_text):
        raise FrameRejected(Rejection.MALFORMED, "no '*' followed by four hex digits")
    if crc16_ccitt(body.encode("ascii")) != int(crc_text, 16):
        raise FrameRejected(Rejection.BAD_CHECKSUM, f"{crc_text} does not match")
    fields = body.split(",")
    if len(fields) < 4:
        raise FrameRejected(Rejection.MALFORMED, "fewer than four fields")
    version, seq_text, t_text, kind, *rest = fields
    if version != PROTOCOL_VERSION:
        raise FrameRejected(Rejection.BAD_VERSION, f"{version!r}, this hub speaks {PROTOCOL_VERSION}")
    decode = PAYLOAD_TYPES.get(kind)
    if decode is None:
        raise FrameRejected(Rejection.UNKNOWN_TYPE, repr(kind))
    try:
        return Frame(_uint(seq_text, SEQ_MODULO), _uint(t_text, T_MS_MODULO), decode(rest))
    except ValueError as exc:  # also wrong field counts from tuple unpacking
        raise FrameRejected(Rejection.BAD_FIELDS, f"{kind}: {exc}") from None


class FrameReader:
    """Splits a byte stream into frames, rejecting and counting everything else.

    `feed(data)` returns the valid frames completed by `data`. A '$' always starts a
    new frame, so a frame cut short by a glitch costs only itself. `rejected` counts
    each `Rejection`.
    """

    def __init__(self) -> None:
        self.rejected: Counter[Rejection] = Counter()
        self.accepted = 0
        self._buffer = bytearray()
        self._in_frame = False
        self._overflow = False

    def reset(self) -> None:
        """Forget any partial frame (after a reconnect, the old bytes mean nothing)."""
        if self._buffer.strip():
            self._reject(Rejection.TRUNCATED if self._in_frame else Rejection.GARBAGE, "dropped on reset")
        self._buffer.clear()
        self._in_frame = False
        self._overflow = False

    def feed(self, data: bytes) -> list[Frame]:
        frames: list[Frame] = []
        for byte in data:
            if byte == 0x24:  # '$'
                if self._in_frame and not self._overflow:
                    self._reject(Rejection.TRUNCATED, bytes(self._buffer[:20]).hex())
                elif self._buffer.strip() and not self._overflow:
                    self._reject(Rejection.GARBAGE, f"{len(self._buffer)} bytes")
                self._buffer = bytearray(b"$")
                self._in_frame = True
                self._overflow = False
            elif byte == 0x0A:  # '\n'
                self._end_line(frames)
            elif self._overflow:
                continue
            else:
                self._buffer.append(byte)
                if len(self._buffer) >= MAX_FRAME_BYTES:
                    self._reject(Rejection.TOO_LONG if self._in_frame else Rejection.GARBAGE, "no line end")
                    self._buffer.clear()
                    self._overflow = True
        return frames

    def _end_line(self, frames: list[Frame]) -> None:
        line = bytes(self._buffer)
        was_frame, overflow = self._in_frame, self._overflow
        self._buffer.clear()
        self._in_frame = False
        self._overflow = False
        if overflow or not line.strip():
            return
        if not was_frame:
            self._reject(Rejection.GARBAGE, f"{len(line)} bytes")
            return
        try:
            frame = parse_frame(line)
        except FrameRejected as exc:
            self._reject(exc.reason, str(exc))
            return
        self.accepted += 1
        frames.append(frame)

    def _reject(self, reason: Rejection, detail: str) -> None:
        self.rejected[reason] += 1
        _LOGGER.debug("Rejected bridge data (%s): %s", reason.value, detail)
