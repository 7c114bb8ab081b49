import pytest

from hub.sensors.bh1750 import BH1750
from hub.sensors.ldr import LdrLightSensor
from hub.sensors.monitor import RoomMonitor
from hub.sensors.reading import Quantity, ReadingStatus
from hub.sensors.sht import SHT3x
from hub.sensors.bme280 import BME280
from hub.sim.i2c import Fault, FakeBH1750, FakeBME280, FakeI2CBus, FakeSHT


class Clock:
    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


def no_sleep(_s: float) -> None:
    pass


def make(clock, stale_after_s=120.0, **chips):
    sht = chips.get("sht", FakeSHT(22.0, 40.0))
    light = chips.get("light", FakeBH1750(300.0))
    bus = FakeI2CBus({0x44: sht, 0x23: light})
    sensors = [SHT3x(bus=bus, sleep=no_sleep, clock=clock), BH1750(bus=bus, sleep=no_sleep, clock=clock)]
    return RoomMonitor(sensors, stale_after_s=stale_after_s, clock=clock), sht, light


def test_environment_has_values_and_ages():
    clock = Clock()
    monitor, _, _ = make(clock)
    monitor.poll()
    clock.now_s += 30
    env = monitor.environment()
    assert env.temperature_c.value == pytest.approx(22.0, abs=0.05)
    assert env.temperature_c.age_s == pytest.approx(30.0)
    assert env.temperature_c.is_valid
    assert env.light_lux.value == pytest.approx(300.0, abs=3)


def test_nothing_read_yet_is_unknown():
    monitor, _, _ = make(Clock())
    env = monitor.environment()
    assert env.temperature_c.value is None and not env.temperature_c.is_valid


def test_stale_reading_is_unknown_not_its_last_value():
    clock = Clock()
    monitor, _, _ = make(clock, stale_after_s=120.0)
    monitor.poll()
    clock.now_s += 120.0
    assert monitor.environment().temperature_c.is_valid
    clock.now_s += 0.5
    env = monitor.environment()
    assert env.temperature_c.value is None
    assert not env.temperature_c.is_valid
    assert monitor.current(Quantity.TEMPERATURE).status is ReadingStatus.STALE


def test_failed_read_after_a_good_one_is_unknown_at_once():
    clock = Clock()
    monitor, sht, _ = make(clock)
    monitor.poll()
    sht.fault = Fault.BAD_CRC
    clock.now_s += 1
    monitor.poll()
    env = monitor.environment()
    assert env.temperature_c.value is None and not env.temperature_c.is_valid
    assert env.humidity_pct.value is None
    assert env.light_lux.is_valid  # the other sensor is unaffected


def test_unplugged_sensor_is_unknown():
    clock = Clock()
    monitor, sht, _ = make(clock)
    monitor.poll()
    sht.fault = Fault.SILENT
    monitor.poll()
    assert not monitor.environment().temperature_c.is_valid


def test_second_sensor_covers_for_a_failed_one():
    clock = Clock()
    sht, bme = FakeSHT(22.0, 40.0), FakeBME280(23.0, 41.0)
    bus = FakeI2CBus({0x44: sht, 0x76: bme})
    monitor = RoomMonitor(
        [SHT3x(bus=bus, sleep=no_sleep, clock=clock), BME280(bus=bus, sleep=no_sleep, clock=clock)], clock=clock
    )
    sht.fault = Fault.SILENT
    monitor.poll()
    assert monitor.environment().temperature_c.value == pytest.approx(23.0, abs=0.1)


def test_context_manager_closes_sensors():
    monitor, _, _ = make(Clock())
    with monitor:
        pass
    assert all(sensor.closed for sensor in monitor.sensors)


def test_ldr_with_mock_pins_reads_lux():
    from gpiozero.pins.mock import MockChargingPin, MockFactory

    factory = MockFactory(pin_class=MockChargingPin)
    with LdrLightSensor(18, pin_factory=factory, lux_at_full_scale=1000.0, sleep=no_sleep) as ldr:
        factory.pin(18).charge_time = 0.001
        readings = ldr.read()
    assert readings[0].quantity is Quantity.LIGHT
    assert readings[0].is_ok
    assert 0 < readings[0].value <= 1000.0


def test_ldr_that_never_charges_is_failed_not_dark():
    from gpiozero.pins.mock import MockChargingPin, MockFactory

    factory = MockFactory(pin_class=MockChargingPin)
    with LdrLightSensor(18, pin_factory=factory, sleep=no_sleep, charge_time_limit_s=0.005) as ldr:
        factory.pin(18).charge_time = 0.3  # never within the 5 ms limit; a finite wait lets mock threads end
        readings = ldr.read()
    assert readings[0].status is ReadingStatus.FAILED
