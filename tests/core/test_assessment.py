"""The safety core: every rule at its edges, and never okay with missing data."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.assessment import assess
from hub.core.home import Environment, InfusionState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan
from hub.core.replies import status_reply
from hub.core.severity import Severity
from tests.builders import NOW, calm_home

PLAN = CarePlan()


def _with_env(**readings):
    env = replace(calm_home().environment, **readings)
    return calm_home(environment=env)


def _with_pump(**fields):
    return calm_home(pump=replace(calm_home().pump, **fields))


def test_calm_home_is_all_ok_and_says_so():
    result = assess(PLAN, calm_home(), NOW)
    assert result.is_all_ok
    reply = status_reply(PLAN, result, "HomeStatus", focus=("pump", "infusion", "room"))
    assert reply.severity is Severity.OK
    assert "Everything looks okay" in reply.speech


@pytest.mark.parametrize("temp, code", [(40.0, "room.temperature"), (40.1, "room.too_hot"),
                                        (2.0, "room.temperature"), (1.9, "room.too_cold")])
def test_temperature_limits_at_their_edges(temp, code):
    result = assess(PLAN, _with_env(temperature_c=Reading(temp, 5)), NOW)
    finding = next(f for f in result.findings if f.code.startswith("room.t"))
    assert finding.code == code
    expected = Severity.OK if code == "room.temperature" else Severity.WARNING
    assert finding.severity is expected


def test_too_hot_says_to_move_the_pump_and_whom_to_call():
    finding = assess(PLAN, _with_env(temperature_c=Reading(40.1, 5)), NOW).by_code("room.too_hot")
    assert "40.1 °C" in finding.speech and "Move the pump" in finding.speech
    assert "212-639-2000" in finding.speech


@pytest.mark.parametrize("age, fresh", [(120, True), (121, False), (-1, False), (None, False)])
def test_room_reading_stale_by_one_second_is_unknown(age, fresh):
    result = assess(PLAN, _with_env(temperature_c=Reading(22.0, age)), NOW)
    codes = {f.code for f in result.findings}
    assert ("room.temperature" in codes) is fresh
    assert ("room.temperature_unknown" in codes) is (not fresh)


@pytest.mark.parametrize("age, fresh", [(30, True), (31, False)])
def test_pump_reading_stale_by_one_second_is_unknown(age, fresh):
    result = assess(PLAN, _with_pump(age_s=age), NOW)
    assert (result.by_code("pump.ok") is not None) is fresh
    assert (result.by_code("pump.stale") is not None) is (not fresh)


@pytest.mark.parametrize("value", [float("nan"), 150.0, -60.0, float("inf")])
def test_implausible_temperature_is_unknown_not_its_value(value):
    result = assess(PLAN, _with_env(temperature_c=Reading(value, 1)), NOW)
    assert result.by_code("room.temperature_unknown") is not None


def test_reading_flagged_invalid_by_driver_is_unknown():
    result = assess(PLAN, _with_env(humidity_pct=Reading(45.0, 1, is_valid=False)), NOW)
    assert result.by_code("room.humidity_unknown").severity is Severity.UNKNOWN


@pytest.mark.parametrize("humidity, steam", [(85.0, False), (85.1, True), (100.0, True)])
def test_steam_warning_at_humidity_limit(humidity, steam):
    finding = assess(PLAN, _with_env(humidity_pct=Reading(humidity, 1)), NOW).by_code("room.steam")
    assert (finding is not None) is steam
    if steam:
        assert "bathroom" in finding.speech and finding.severity is Severity.WARNING


@pytest.mark.parametrize("lux, sun", [(19999.0, False), (20000.0, True)])
def test_direct_sunlight_warning_at_lux_limit(lux, sun):
    finding = assess(PLAN, _with_env(light_lux=Reading(lux, 1)), NOW).by_code("room.sunlight")
    assert (finding is not None) is sun
    if sun:
        assert "shade" in finding.speech


@pytest.mark.parametrize("light", [PumpLight.RED, PumpLight.AMBER_BLINKING, PumpLight.AMBER_STEADY, PumpLight.OFF])
def test_alarm_lights_are_urgent_and_give_number_and_whom_to_ask(light):
    finding = assess(PLAN, _with_pump(light=light), NOW).by_code("pump.light")
    assert finding.severity is Severity.URGENT
    assert "212-639-2000" in finding.speech and "pediatric fellow" in finding.speech


@pytest.mark.parametrize("light", [PumpLight.GREEN_STEADY, PumpLight.GREEN_AMBER_BLINKING, PumpLight.BLUE])
def test_other_lights_are_not_ok_and_say_to_call(light):
    result = assess(PLAN, _with_pump(light=light), NOW)
    finding = result.by_code("pump.light")
    assert finding.severity is Severity.WARNING
    assert "212-639-2000" in finding.speech
    assert not result.is_all_ok


def test_beeping_pump_is_urgent_and_gives_number_and_screen_text():
    finding = assess(PLAN, _with_pump(is_beeping=True, screen="Low battery"), NOW).by_code("pump.beeping")
    assert finding.severity is Severity.URGENT
    assert "Low battery" in finding.speech and "212-639-2000" in finding.speech


def test_disconnected_bridge_is_unknown_and_says_how_to_check_by_eye():
    result = assess(PLAN, _with_pump(is_bridge_connected=False), NOW)
    finding = result.by_code("bridge.disconnected")
    assert finding.severity is Severity.UNKNOWN
    assert "green and blinking" in finding.says
    assert result.by_code("pump.ok") is None


def test_unknown_beeping_is_not_ok_even_with_green_light():
    result = assess(PLAN, _with_pump(is_beeping=None), NOW)
    assert result.by_code("pump.beep_unknown").severity is Severity.UNKNOWN
    assert not result.is_all_ok


def test_stopped_infusion_is_urgent_at_once_and_says_come_in():
    home = calm_home(infusion=InfusionState(True, NOW - timedelta(minutes=1)))
    finding = assess(PLAN, home, NOW).by_code("infusion.stopped")
    assert finding.severity is Severity.URGENT
    assert "PACC" in finding.speech and "several hours" in finding.speech
    assert "212-639-2000" in finding.speech and "admit" not in finding.speech


@pytest.mark.parametrize("hours, long", [(4.0, False), (4.0 + 1 / 3600, True), (5.0, True)])
def test_stopped_more_than_four_hours_may_mean_admission_and_why(hours, long):
    home = calm_home(infusion=InfusionState(True, NOW - timedelta(hours=hours)))
    result = assess(PLAN, home, NOW)
    finding = result.by_code("infusion.stopped_long" if long else "infusion.stopped")
    assert finding is not None
    assert ("admit" in finding.speech and "side effects" in finding.speech) is long


def test_unknown_infusion_is_not_ok():
    result = assess(PLAN, calm_home(infusion=InfusionState(False)), NOW)
    assert result.by_code("infusion.unknown").severity is Severity.UNKNOWN


def test_every_urgent_finding_gives_number_and_whom_to_ask():
    homes = [_with_pump(is_beeping=True), _with_pump(light=PumpLight.OFF),
             calm_home(infusion=InfusionState(True, NOW - timedelta(hours=6)))]
    for home in homes:
        for finding in assess(PLAN, home, NOW).findings:
            if finding.severity is Severity.URGENT:
                assert "212-639-2000" in finding.speech and "pediatric fellow" in finding.speech


def test_plan_number_is_the_one_spoken():
    plan = replace(PLAN, care_team=replace(PLAN.care_team, phone="646-555-0100"))
    finding = assess(plan, _with_pump(is_beeping=True), NOW).by_code("pump.beeping")
    assert "646-555-0100" in finding.speech and "212-639-2000" not in finding.speech


# --- Property: no home with a missing, stale or failed part is ever all okay. ---------

_BROKEN_READINGS = st.sampled_from([
    Reading(None, 1), Reading(22.0, None), Reading(22.0, 10_000), Reading(22.0, -5),
    Reading(22.0, 1, is_valid=False), Reading(float("nan"), 1), Reading(1e7, 1),
])
_BROKEN_PUMPS = st.sampled_from([
    dict(is_bridge_connected=None), dict(is_bridge_connected=False), dict(age_s=None),
    dict(age_s=31.0), dict(age_s=1e9), dict(light=PumpLight.UNKNOWN), dict(is_beeping=None),
])


@st.composite
def broken_homes(draw):
    """A calm home with at least one part missing, stale or failed, and maybe more."""
    home = calm_home()
    env_fields = {}
    pump_fields = {}
    infusion = home.infusion
    parts = draw(st.sets(st.sampled_from(["temperature_c", "humidity_pct", "light_lux", "pump", "infusion"]),
                         min_size=1))
    for part in parts:
        if part == "pump":
            pump_fields.update(draw(_BROKEN_PUMPS))
        elif part == "infusion":
            infusion = InfusionState(False)
        else:
            env_fields[part] = draw(_BROKEN_READINGS)
    return calm_home(environment=replace(home.environment, **env_fields),
                     pump=replace(home.pump, **pump_fields), infusion=infusion)


@settings(max_examples=400)
@given(broken_homes())
def test_no_home_with_a_missing_stale_or_failed_part_is_ever_all_okay(home):
    result = assess(PLAN, home, NOW)
    assert not result.is_all_ok
    assert result.severity is not Severity.OK
    for focus in [("pump", "infusion"), ("pump", "infusion", "room")]:
        reply = status_reply(PLAN, result, "PumpStatus", focus=focus)
        assert "Everything looks okay" not in reply.speech
        assert reply.severity is not Severity.OK


@given(st.builds(Environment, temperature_c=st.builds(Reading, st.one_of(st.none(), st.floats()),
                                                      st.one_of(st.none(), st.floats())),
                 humidity_pct=st.builds(Reading, st.one_of(st.none(), st.floats()), st.one_of(st.none(), st.floats())),
                 light_lux=st.builds(Reading, st.one_of(st.none(), st.floats()), st.one_of(st.none(), st.floats()))),
       st.builds(PumpState, st.one_of(st.none(), st.booleans()), st.sampled_from(PumpLight),
                 st.one_of(st.none(), st.booleans()), st.text(max_size=20), st.one_of(st.none(), st.floats())))
def test_any_home_gets_findings_for_every_part_and_ok_only_when_fresh(env, pump):
    home = calm_home(environment=env, pump=pump)
    result = assess(PLAN, home, NOW)
    assert {f.topic for f in result.findings} == {"pump", "infusion", "room"}
    if result.by_code("pump.ok") is not None:
        assert pump.is_bridge_connected is True and pump.is_beeping is False
        assert pump.light is PumpLight.GREEN_BLINKING and 0 <= pump.age_s <= PLAN.limits.pump_stale_after_s


@pytest.mark.parametrize("now", [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59), datetime(1970, 1, 1)])
def test_a_clock_in_year_1_or_9999_is_unknown_never_an_all_clear(now):
    result = assess(CarePlan(), calm_home(), now)
    assert not result.is_all_ok
    (clock,) = [f for f in result.findings if f.code == "hub.clock_unset"]
    assert clock.severity is Severity.UNKNOWN and "date and time" in clock.says
