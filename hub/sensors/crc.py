"""The CRC-8 that Sensirion sensors append to every 16-bit word they send."""

from __future__ import annotations

# Sensirion SHT3x/SHT4x datasheets: CRC-8, polynomial 0x31 (x^8 + x^5 + x^4 + 1),
# initial value 0xFF, no reflection, no final XOR. Check value: 0xBEEF -> 0x92.
SENSIRION_POLYNOMIAL = 0x31
SENSIRION_INIT = 0xFF


def crc8_sensirion(data: bytes) -> int:
    """Return the Sensirion CRC-8 of `data`; a word is trusted only if this matches."""
    crc = SENSIRION_INIT
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ SENSIRION_POLYNOMIAL) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def split_checked_words(payload: bytes) -> tuple[int, ...] | None:
    """Return the 16-bit words in a Sensirion reply of (msb, lsb, crc) triples.

    Returns None when the length is wrong or any word fails its CRC: one bad word
    makes the whole reply untrustworthy, since temperature and humidity travel together.
    """
    if len(payload) == 0 or len(payload) % 3:
        return None
    words = []
    for i in range(0, len(payload), 3):
        word = payload[i : i + 2]
        if crc8_sensirion(word) != payload[i + 2]:
            return None
        words.append((word[0] << 8) | word[1])
    return tuple(words)


def with_crc(word: int) -> bytes:
    """Return `word` as the three bytes a Sensirion sensor sends: msb, lsb, CRC."""
    raw = bytes(((word >> 8) & 0xFF, word & 0xFF))
    return raw + bytes((crc8_sensirion(raw),))
