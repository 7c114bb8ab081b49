"""Tests for hub.daemon.sources: a home source reports what it read, and failure is never silence."""

from __future__ import annotations

import asyncio

import pytest

from hub.core.plan import CarePlan
from hub.core.scenario import load_scenario
from hub.daemon.clock import SystemClock
from hub.daemon.sources import HardwareHome, ScenarioHome

CALM = """now: 2026-11-24T10:00:00
environment: {temperature_c: 22.0, humidity_pct: 45, light_lux: 200, age_s: 5}
pump: {bridge_connected: true, light: green_blinking, beeping: false, age_s: 1}
"""


def test_changed_scenario_is_read_and_a_broken_one_refused(tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text(CALM)
    source = ScenarioHome(path, load_scenario(path))
    path.write_text(CALM.replace("beeping: false", "beeping: true"))
    assert asyncio.run(source.read()).pump.is_beeping is True
    path.write_text("pump: [not, a, mapping")
    assert asyncio.run(source.read()).pump.is_beeping is True


def test_missing_devices_make_every_read_fail_rather_than_report_a_calm_home(tmp_path):
    source = HardwareHome.open(CarePlan(), clock=SystemClock(), sensors=["sht3x@0x44"], bus_number=99,
                               bridge_url=str(tmp_path / "none"))
    with pytest.raises(OSError, match="i2c-99"):
        asyncio.run(source.read())
    source.close()


def test_a_stop_seen_on_the_pi_is_timed_on_the_plans_clock_whatever_the_system_zone(monkeypatch):
    """The Pi's system zone (here Los Angeles) differs from the plan's (New York): a stop
    seen just now is "stopped 0 minutes" on the daemon's clock, not hours off."""
    import time as system_time
    from datetime import datetime, timedelta

    from hub.core.home import PumpLight
    from hub.core.scenario import parse_scenario
    from hub.daemon.clock import ManualClock
    from hub.sim.home import SimulatedHome

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    system_time.tzset()
    try:
        home = parse_scenario({"pump": {"bridge_connected": True, "light": "red", "beeping": False, "age_s": 1},
                               "environment": {"temperature_c": 21, "humidity_pct": 40, "light_lux": 100,
                                               "age_s": 1}}).home
        clock = ManualClock(datetime(2026, 11, 24, 9, 0))
        with SimulatedHome(home) as sim:
            sim.read_home()
            source = HardwareHome(CarePlan(), clock=clock, room=sim.room, pump=sim.pump_monitor)
            state = asyncio.run(source.read())
        assert sim.home.pump.light is PumpLight.RED
        assert state.infusion.stopped_since is not None
        assert clock.now() - timedelta(minutes=1) <= state.infusion.stopped_since <= clock.now()
    finally:
        monkeypatch.delenv("TZ")
        system_time.tzset()
