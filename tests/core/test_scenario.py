"""Scenario files: missing means unknown, malformed is refused with one line."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hub.core.assessment import assess
from hub.errors import ScenarioError
from hub.core.home import PumpLight
from hub.core.plan import CarePlan
from hub.core.scenario import load_scenario, parse_scenario

FULL = """
now: 2026-11-24T09:00:00
environment: {temperature_c: 22.0, humidity_pct: 45, light_lux: 250, age_s: 10}
pump: {bridge_connected: true, light: green_blinking, beeping: false, screen: "", age_s: 2}
infusion: {stopped_since: null}
schedule: {bag_changes: [2026-11-25T10:00:00]}
"""


def test_full_scenario_reads_every_field():
    scenario = parse_scenario(yaml.safe_load(FULL))
    assert scenario.now == datetime(2026, 11, 24, 9, 0)
    assert scenario.home.environment.temperature_c.value == 22.0
    assert scenario.home.environment.light_lux.age_s == 10
    assert scenario.home.pump.light is PumpLight.GREEN_BLINKING and scenario.home.pump.is_beeping is False
    assert scenario.home.infusion.is_known and scenario.home.infusion.stopped_since is None
    assert scenario.home.bag_changes == (datetime(2026, 11, 25, 10, 0),)
    assert assess(CarePlan(), scenario.home, scenario.now).is_all_ok


@pytest.mark.parametrize("drop", ["environment", "pump", "infusion"])
def test_missing_section_is_unknown_never_fine(drop):
    raw = yaml.safe_load(FULL)
    del raw[drop]
    scenario = parse_scenario(raw)
    result = assess(CarePlan(), scenario.home, scenario.now)
    assert not result.is_all_ok
    assert any(f.severity.value == "unknown" for f in result.findings)


@pytest.mark.parametrize("section, key", [("environment", "age_s"), ("environment", "humidity_pct"),
                                          ("pump", "beeping"), ("pump", "light"), ("pump", "age_s"),
                                          ("pump", "bridge_connected"), ("infusion", "stopped_since")])
def test_missing_key_is_unknown_never_fine(section, key):
    raw = yaml.safe_load(FULL)
    del raw[section][key]
    scenario = parse_scenario(raw)
    assert not assess(CarePlan(), scenario.home, scenario.now).is_all_ok


@pytest.mark.parametrize("text, field", [
    ("pump: {light: purple}", "pump.light"),
    ("pump: {beeping: sometimes}", "pump.beeping"),
    ("environment: {temperature_c: warm}", "environment.temperature_c"),
    ("environment: {temprature_c: 20}", "environment.temprature_c"),
    ("now: yesterday", "now"),
    ("weather: sunny", "weather"),
    ("- just\n- a list", "file"),
    ("pump: [1, 2", "file"),
])
def test_malformed_scenario_is_refused_naming_the_field(tmp_path, text, field):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.field == field and "\n" not in str(caught.value)


def test_malformed_scenario_on_command_line_exits_2(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("pump: {light: purple}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "hub", "ask", "is the pump okay", "--scenario", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "pump.light" in result.stderr


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
                    st.lists(st.integers(), max_size=2))


@given(st.dictionaries(st.sampled_from(["now", "environment", "pump", "infusion", "schedule", "x"]),
                       st.one_of(_VALUES, st.dictionaries(st.sampled_from(
                           ["temperature_c", "age_s", "light", "beeping", "bridge_connected", "stopped_since",
                            "bag_changes", "screen"]), _VALUES, max_size=3)), max_size=4))
def test_any_yaml_gives_a_scenario_or_one_line_error(raw):
    try:
        scenario = parse_scenario(raw, default_now=datetime(2026, 1, 1))
    except ScenarioError as exc:
        assert "\n" not in str(exc)
    else:
        assess(CarePlan(), scenario.home, scenario.now)
