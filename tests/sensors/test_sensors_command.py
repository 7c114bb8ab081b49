import argparse
import json

import pytest

from hub.commands import sensors as command
from hub.sensors.config import SensorSpec, SensorSpecError, open_sensor, parse_sensor_spec
from hub.sensors.sht import SHT3x
from hub.sim.i2c import FakeI2CBus, FakeSHT


def run(argv, capsys):
    parser = argparse.ArgumentParser()
    command.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    code = args.func(args)
    return code, capsys.readouterr().out


def test_simulated_read_prints_each_sensor_and_the_pump(capsys):
    code, out = run(["sensors", "read", "--simulate"], capsys)
    assert code == 0
    assert "sht3x@0x44" in out and "temperature_c" in out and "bh1750@0x23" in out
    assert "green_blinking" in out


def test_simulated_read_as_json(capsys):
    code, out = run(["sensors", "read", "--simulate", "--json"], capsys)
    data = json.loads(out)
    assert {r["quantity"] for r in data["readings"]} == {"temperature_c", "humidity_pct", "light_lux"}
    assert data["pump"]["light"] == "green_blinking"
    assert data["pump"]["bridge_connected"] is True


def test_scenario_with_unplugged_bridge_is_unknown_and_exits_1(tmp_path, capsys):
    pytest.importorskip("hub.core.scenario")
    path = tmp_path / "s.yaml"
    path.write_text(
        "environment: {temperature_c: 21.0, humidity_pct: 50, light_lux: 120, age_s: 4}\n"
        "pump: {bridge_connected: false, light: unknown, beeping: null, age_s: 900}\n"
    )
    code, out = run(["sensors", "read", "--scenario", str(path)], capsys)
    assert code == 1
    assert "disconnected" in out


def test_decode_prints_frames_and_rejections_as_json(monkeypatch, capsys):
    import io

    from hub.pump.protocol import Frame, LightSample, encode_frame

    good = encode_frame(Frame(3, 300, LightSample(300, 2000, 500, 2800)))
    stdin = io.TextIOWrapper(io.BytesIO(good + b"\n" + good[:-3] + b"XX\n"))
    monkeypatch.setattr("sys.stdin", stdin)
    code, out = run(["sensors", "decode"], capsys)
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"seq": 3, "t_ms": 300, "type": "LIGHT", "red": 300, "green": 2000, "blue": 500,
                     "clear": 2800, "colour": "green"}
    assert second["rejected"] == "malformed"
    assert code == 1


def test_room_only(capsys):
    code, out = run(["sensors", "read", "--simulate", "--no-pump"], capsys)
    assert code == 0 and "pump" not in out


@pytest.mark.parametrize(
    "text, spec",
    [
        ("sht3x@0x44", SensorSpec("sht3x", 0x44)),
        ("BME280@0x76", SensorSpec("bme280", 0x76)),
        ("ldr@18", SensorSpec("ldr", 18)),
    ],
)
def test_sensor_specs(text, spec):
    assert parse_sensor_spec(text) == spec


@pytest.mark.parametrize("text", ["sht3x", "foo@0x44", "sht3x@zz", "bh1750@0x80"])
def test_bad_sensor_specs_are_refused(text):
    with pytest.raises(SensorSpecError):
        parse_sensor_spec(text)


def test_open_sensor_on_a_given_bus():
    sensor = open_sensor(SensorSpec("sht3x", 0x44), bus=FakeI2CBus({0x44: FakeSHT()}))
    assert isinstance(sensor, SHT3x)
    assert all(r.is_ok for r in sensor.read())


def test_hardware_path_with_a_bridge_url(monkeypatch, capsys):
    from hub.sim.bridge import SimulatedBridge
    from hub.sim.i2c import FakeBH1750

    bus = FakeI2CBus({0x44: FakeSHT(21.0, 35.0), 0x23: FakeBH1750(500.0)})
    monkeypatch.setattr(command, "open_sensor", lambda spec, bus_number: open_sensor(spec, bus=bus))
    with SimulatedBridge(speed=20) as sim:
        code, out = run(["sensors", "read", "--bridge", sim.slave_path, "--pump-wait", "10", "--json"], capsys)
    data = json.loads(out)
    assert data["pump"]["light"] == "green_blinking" and data["pump"]["beeping"] is False
    assert data["environment"]["temperature_c"]["value"] == pytest.approx(21.0, abs=0.05)
    assert code == 0
