import errno

import pytest
from smbus2 import i2c_msg

from hub.sensors.crc import split_checked_words
from hub.sim.i2c import Fault, FakeBH1750, FakeBME280, FakeI2CBus, FakeSHT


def sht_reply(bus, address=0x44):
    bus.i2c_rdwr(i2c_msg.write(address, [0x24, 0x00]))
    msg = i2c_msg.read(address, 6)
    bus.i2c_rdwr(msg)
    return bytes(msg)


def test_sht31_answers_with_correct_crcs():
    words = split_checked_words(sht_reply(FakeI2CBus({0x44: FakeSHT(25.0, 50.0, noise_lsb=0)})))
    assert words == (round(70 * 65535 / 175), round(0.5 * 65535))


def test_bad_crc_fault_breaks_the_crc():
    chip = FakeSHT()
    chip.fault = Fault.BAD_CRC
    assert split_checked_words(sht_reply(FakeI2CBus({0x44: chip}))) is None


def test_stuck_fault_repeats_bit_for_bit():
    chip = FakeSHT()
    bus = FakeI2CBus({0x44: chip})
    first = sht_reply(bus)
    chip.fault = Fault.STUCK
    chip.temperature_c = 35.0
    assert {sht_reply(bus) for _ in range(5)} == {first}


def test_silent_chip_and_empty_address_do_not_acknowledge():
    chip = FakeSHT()
    chip.fault = Fault.SILENT
    bus = FakeI2CBus({0x44: chip})
    for address in (0x44, 0x45):
        with pytest.raises(OSError) as info:
            sht_reply(bus, address)
        assert info.value.errno == errno.EREMOTEIO


def test_reading_before_measuring_is_nacked():
    bus = FakeI2CBus({0x44: FakeSHT()})
    with pytest.raises(OSError):
        bus.i2c_rdwr(i2c_msg.read(0x44, 6))


def test_bh1750_through_the_smbus_helpers():
    bus = FakeI2CBus({0x23: FakeBH1750(1000.0, noise_lsb=0)})
    bus.write_byte(0x23, 0x01)
    bus.write_byte(0x23, 0x20)
    msg = i2c_msg.read(0x23, 2)
    bus.i2c_rdwr(msg)
    assert int.from_bytes(bytes(msg), "big") == 1200


def test_bme280_register_reads():
    bus = FakeI2CBus({0x76: FakeBME280(chip_id=0x60)})
    assert bus.read_byte_data(0x76, 0xD0) == 0x60
    assert len(bus.read_i2c_block_data(0x76, 0x88, 26)) == 26


def test_closed_bus_refuses():
    bus = FakeI2CBus({0x44: FakeSHT()})
    bus.close()
    with pytest.raises(OSError):
        sht_reply(bus)
