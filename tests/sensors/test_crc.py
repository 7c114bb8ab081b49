from hypothesis import given
from hypothesis import strategies as st

from hub.sensors.crc import crc8_sensirion, split_checked_words, with_crc


def test_datasheet_vector_beef_gives_92():
    assert crc8_sensirion(b"\xbe\xef") == 0x92


def test_more_known_vectors():
    # Sensirion application note values.
    assert crc8_sensirion(b"\x00\x00") == 0x81
    assert crc8_sensirion(b"") == 0xFF
    assert with_crc(0xBEEF) == b"\xbe\xef\x92"


def test_one_bad_crc_refuses_the_whole_reply():
    good = with_crc(0x6666) + with_crc(0x7777)
    assert split_checked_words(good) == (0x6666, 0x7777)
    bad = good[:5] + bytes((good[5] ^ 1,))
    assert split_checked_words(bad) is None


def test_wrong_length_is_refused():
    assert split_checked_words(b"") is None
    assert split_checked_words(with_crc(1)[:2]) is None


@given(st.integers(0, 0xFFFF))
def test_every_word_round_trips(word):
    assert split_checked_words(with_crc(word)) == (word,)


@given(st.integers(0, 0xFFFF), st.integers(0, 2), st.integers(0, 7))
def test_any_single_bit_flip_is_caught(word, index, bit):
    frame = bytearray(with_crc(word))
    frame[index] ^= 1 << bit
    assert split_checked_words(bytes(frame)) is None
