"""Tests for hub.daemon.sources: a home source reports what it read, and failure is never silence."""

from __future__ import annotations

import asyncio

import pytest

from hub.core.plan import CarePlan
from hub.core.scenario import load_scenario
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
    source = HardwareHome(CarePlan(), sensors=["sht3x@0x44"], bus_number=99, bridge_url=str(tmp_path / "none"))
    with pytest.raises(OSError, match="i2c-99"):
        asyncio.run(source.read())
    source.close()
