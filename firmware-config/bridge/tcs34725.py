# TCS34725 colour sensor driver (MicroPython), just what the bridge needs.

TCS34725_ADDRESS = 0x29
_COMMAND = 0x80
_AUTO_INCREMENT = 0x20
_ENABLE, _ATIME, _CONTROL, _ID, _STATUS, _CDATA = 0x00, 0x01, 0x0F, 0x12, 0x13, 0x14
_PON, _AEN = 0x01, 0x02
VALID_IDS = (0x44, 0x4D)  # TCS34725, TCS34727


class TCS34725:
    """Raw clear/red/green/blue counts; raises OSError on any bus trouble."""

    def __init__(self, i2c, address=TCS34725_ADDRESS, atime=0xF6, gain=0x01):
        # atime 0xF6: 10 cycles, 24 ms, full scale 10240 counts; gain 0x01: 4x.
        self.i2c = i2c
        self.address = address
        chip = self._read(_ID, 1)[0]
        if chip not in VALID_IDS:
            raise OSError("TCS34725: unexpected id 0x%02x" % chip)
        self._write(_ATIME, atime)
        self._write(_CONTROL, gain)
        self._write(_ENABLE, _PON)
        self._write(_ENABLE, _PON | _AEN)

    def _write(self, register, value):
        self.i2c.writeto_mem(self.address, _COMMAND | register, bytes((value,)))

    def _read(self, register, length):
        return self.i2c.readfrom_mem(self.address, _COMMAND | _AUTO_INCREMENT | register, length)

    def read_rgbc(self):
        """Return (red, green, blue, clear); raises OSError if no valid conversion yet."""
        if not self._read(_STATUS, 1)[0] & 0x01:
            raise OSError("TCS34725: no valid conversion")
        d = self._read(_CDATA, 8)
        clear = d[0] | d[1] << 8
        red = d[2] | d[3] << 8
        green = d[4] | d[5] << 8
        blue = d[6] | d[7] << 8
        return red, green, blue, clear
