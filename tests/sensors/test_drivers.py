import pytest

from hub.errors import DeviceError
from hub.sensors.bh1750 import BH1750
from hub.sensors.bme280 import BME280, compensate_temperature_c
from hub.sensors.quality import ReadPolicy
from hub.sensors.reading import Quantity, ReadingStatus, Unit
from hub.sensors.sht import SHT3x, SHT4x, sht3x_humidity_pct, sht3x_temperature_c
from hub.sim.i2c import TYPICAL_BME280, Fault, FakeBH1750, FakeBME280, FakeI2CBus, FakeSHT


def no_sleep(_s: float) -> None:
    pass


def values(readings):
    return {r.quantity: r for r in readings}


def test_sht31_reads_temperature_and_humidity_with_units():
    bus = FakeI2CBus({0x44: FakeSHT(23.5, 45.0)})
    with SHT3x(bus=bus, sleep=no_sleep) as sensor:
        got = values(sensor.read())
    assert got[Quantity.TEMPERATURE].value == pytest.approx(23.5, abs=0.05)
    assert got[Quantity.TEMPERATURE].unit is Unit.CELSIUS
    assert got[Quantity.HUMIDITY].value == pytest.approx(45.0, abs=0.05)
    assert got[Quantity.HUMIDITY].unit is Unit.PERCENT_RH
    assert all(r.status is ReadingStatus.OK for r in got.values())


def test_sht3x_formulas_at_the_ends():
    assert sht3x_temperature_c(0) == -45.0
    assert sht3x_temperature_c(0xFFFF) == 130.0
    assert sht3x_humidity_pct(0xFFFF) == 100.0


def test_sht4x_reads():
    bus = FakeI2CBus({0x44: FakeSHT(30.0, 70.0, family="sht4x")})
    got = values(SHT4x(bus=bus, sleep=no_sleep).read())
    assert got[Quantity.TEMPERATURE].value == pytest.approx(30.0, abs=0.05)
    assert got[Quantity.HUMIDITY].value == pytest.approx(70.0, abs=0.05)


def test_bad_crc_is_failed_and_has_no_value():
    chip = FakeSHT(22.0, 40.0)
    chip.fault = Fault.BAD_CRC
    readings = SHT3x(bus=FakeI2CBus({0x44: chip}), sleep=no_sleep).read()
    assert {r.status for r in readings} == {ReadingStatus.FAILED}
    assert all(r.value is None and not r.is_ok for r in readings)
    assert "CRC" in readings[0].detail


def test_silent_sensor_is_failed():
    chip = FakeSHT(22.0, 40.0)
    chip.fault = Fault.SILENT
    readings = SHT3x(bus=FakeI2CBus({0x44: chip}), sleep=no_sleep).read()
    assert {r.status for r in readings} == {ReadingStatus.FAILED}


def test_missing_chip_is_failed_not_raised():
    readings = SHT3x(bus=FakeI2CBus({}), sleep=no_sleep).read()
    assert {r.status for r in readings} == {ReadingStatus.FAILED}


def test_one_glitch_is_retried_and_the_reading_is_ok():
    class Flaky(FakeSHT):
        calls = 0

        def read(self, length):
            self.calls += 1
            if self.calls == 2:
                raise OSError(121, "glitch")
            return super().read(length)

    readings = SHT3x(bus=FakeI2CBus({0x44: Flaky(20.0, 50.0)}), sleep=no_sleep).read()
    assert all(r.is_ok for r in readings)


def test_stuck_sensor_becomes_stuck_not_its_value():
    chip = FakeSHT(22.0, 40.0)
    sensor = SHT3x(bus=FakeI2CBus({0x44: chip}), sleep=no_sleep, policy=ReadPolicy(stuck_reads=5))
    assert all(r.is_ok for r in sensor.read())
    chip.fault = Fault.STUCK
    statuses = [values(sensor.read())[Quantity.TEMPERATURE].status for _ in range(6)]
    assert statuses[:3] == [ReadingStatus.OK] * 3
    assert statuses[-1] is ReadingStatus.STUCK


def test_a_noisy_healthy_sensor_is_never_called_stuck():
    sensor = SHT3x(bus=FakeI2CBus({0x44: FakeSHT(22.0, 40.0)}), sleep=no_sleep)
    assert all(r.is_ok for _ in range(60) for r in sensor.read())


@pytest.mark.parametrize("temperature", [-45.0, 75.0, 129.9])
def test_out_of_range_temperature_is_implausible(temperature):
    got = values(SHT3x(bus=FakeI2CBus({0x44: FakeSHT(temperature, 40.0)}), sleep=no_sleep).read())
    assert got[Quantity.TEMPERATURE].status is ReadingStatus.IMPLAUSIBLE
    assert got[Quantity.TEMPERATURE].value is None


def test_zero_humidity_is_implausible():
    got = values(SHT3x(bus=FakeI2CBus({0x44: FakeSHT(22.0, 0.0, noise_lsb=0)}), sleep=no_sleep).read())
    assert got[Quantity.HUMIDITY].status is ReadingStatus.IMPLAUSIBLE


def test_temperature_at_the_plausible_edges_is_kept():
    for temperature in (-19.9, 69.9):
        got = values(SHT3x(bus=FakeI2CBus({0x44: FakeSHT(temperature, 40.0, noise_lsb=0)}), sleep=no_sleep).read())
        assert got[Quantity.TEMPERATURE].is_ok


def test_saturated_humidity_is_not_stuck():
    chip = FakeSHT(22.0, 100.0, noise_lsb=0)
    sensor = SHT3x(bus=FakeI2CBus({0x44: chip}), sleep=no_sleep, policy=ReadPolicy(stuck_reads=3))
    humidity = [values(sensor.read())[Quantity.HUMIDITY] for _ in range(10)]
    assert all(r.is_ok and r.value == 100.0 for r in humidity)


def test_bh1750_reads_lux():
    got = BH1750(bus=FakeI2CBus({0x23: FakeBH1750(25000.0)}), sleep=no_sleep).read()
    assert got[0].value == pytest.approx(25000.0, rel=0.001)
    assert got[0].unit is Unit.LUX


def test_dark_room_is_not_stuck():
    sensor = BH1750(bus=FakeI2CBus({0x23: FakeBH1750(0.0)}), sleep=no_sleep, policy=ReadPolicy(stuck_reads=3))
    assert all(sensor.read()[0].is_ok for _ in range(10))


def test_stuck_bh1750_in_daylight_becomes_stuck():
    chip = FakeBH1750(800.0)
    sensor = BH1750(bus=FakeI2CBus({0x23: chip}), sleep=no_sleep, policy=ReadPolicy(stuck_reads=3))
    chip.fault = Fault.STUCK
    assert [sensor.read()[0].status for _ in range(4)][-1] is ReadingStatus.STUCK


def test_bmp280_datasheet_temperature_vector():
    # BMP280 datasheet 3.12: same trimming scheme as the BME280.
    assert compensate_temperature_c(TYPICAL_BME280, 519888) == pytest.approx(25.08, abs=0.01)


def test_bme280_reads_through_calibration():
    got = values(BME280(bus=FakeI2CBus({0x76: FakeBME280(31.0, 62.0)}), sleep=no_sleep).read())
    assert got[Quantity.TEMPERATURE].value == pytest.approx(31.0, abs=0.05)
    assert got[Quantity.HUMIDITY].value == pytest.approx(62.0, abs=0.2)


def test_bme280_with_wrong_chip_id_is_refused():
    bus = FakeI2CBus({0x76: FakeBME280(22.0, 40.0, chip_id=0x58)})
    readings = BME280(bus=bus, sleep=no_sleep).read()
    assert {r.status for r in readings} == {ReadingStatus.FAILED}
    assert "chip id 0x58" in readings[0].detail


def test_measure_raises_device_error_on_bad_chip_id():
    bus = FakeI2CBus({0x76: FakeBME280(22.0, 40.0, chip_id=0x00)})
    with pytest.raises(DeviceError):
        BME280(bus=bus, sleep=no_sleep).measure()


def test_read_after_close_raises():
    sensor = SHT3x(bus=FakeI2CBus({0x44: FakeSHT()}), sleep=no_sleep)
    sensor.close()
    with pytest.raises(DeviceError):
        sensor.read()
