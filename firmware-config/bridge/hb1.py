# HB1 frame encoder for the pump-monitor bridge (MicroPython, also runs on CPython).
#
# Must produce byte-for-byte what hub/pump/protocol.py `encode_frame` produces;
# tests/pump/test_firmware.py checks that on CPython. See ../PROTOCOL.md.

VERSION = "HB1"


def crc16_ccitt(data):
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF. b"123456789" -> 0x29B1."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            if crc & 0x8000:
                crc = ((crc << 1) ^ 0x1021) & 0xFFFF
            else:
                crc = (crc << 1) & 0xFFFF
    return crc


class Encoder:
    """Numbers the frames (seq 0..65535, wrapping) and builds the lines."""

    def __init__(self):
        self.seq = 0

    def frame(self, t_ms, kind, fields):
        body = ",".join([VERSION, str(self.seq), str(t_ms), kind] + [str(f) for f in fields])
        self.seq = (self.seq + 1) & 0xFFFF
        raw = body.encode()
        return b"$" + raw + b"*" + ("%04X" % crc16_ccitt(raw)).encode() + b"\n"

    def hello(self, t_ms, firmware, light_period_ms):
        return self.frame(t_ms, "HELLO", [firmware, light_period_ms])

    def light(self, t_ms, red, green, blue, clear):
        return self.frame(t_ms, "LIGHT", [red, green, blue, clear])

    def beep(self, t_ms, freq_hz, duration_ms):
        return self.frame(t_ms, "BEEP", [freq_hz, duration_ms])

    def status(self, t_ms, is_light_ok, is_mic_ok):
        return self.frame(t_ms, "STATUS", [int(bool(is_light_ok)), int(bool(is_mic_ok))])
