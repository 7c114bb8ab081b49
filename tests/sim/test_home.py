"""Scenarios and home states played through the simulated hardware and read back by the real drivers."""

from pathlib import Path

import pytest

from hub.core.home import Environment, HomeState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan
from hub.sim.home import DEFAULT_HOME, SimulatedHome

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "examples" / "scenarios").glob("*.yaml"))


def play(home: HomeState, **kwargs) -> HomeState:
    with SimulatedHome(home, **kwargs) as sim:
        return sim.read_home()


def with_pump(**fields) -> HomeState:
    base = dict(is_bridge_connected=True, light=PumpLight.GREEN_BLINKING, is_beeping=False, age_s=1.0)
    base.update(fields)
    return HomeState(environment=DEFAULT_HOME.environment, pump=PumpState(**base))


def test_default_home_reads_back_through_the_drivers():
    home = play(DEFAULT_HOME)
    assert home.environment.temperature_c.value == pytest.approx(22.0, abs=0.05)
    assert home.environment.humidity_pct.value == pytest.approx(40.0, abs=0.05)
    assert home.environment.light_lux.value == pytest.approx(300.0, abs=3)
    assert home.pump == PumpState(True, PumpLight.GREEN_BLINKING, False, "", home.pump.age_s)
    assert home.pump.age_s < 1.0


@pytest.mark.parametrize("light", [light for light in PumpLight])
def test_every_light_reads_back_as_itself(light):
    assert play(with_pump(light=light)).pump.light is light


def test_beeping_reads_back():
    assert play(with_pump(is_beeping=True)).pump.is_beeping is True


def test_unknown_beeping_stays_unknown():
    assert play(with_pump(is_beeping=None)).pump.is_beeping is None


@pytest.mark.parametrize(
    "pump",
    [
        dict(is_bridge_connected=False),
        dict(is_bridge_connected=None),
        dict(age_s=None),
        dict(age_s=31.0),  # the plan allows 30 s
    ],
)
def test_lost_or_stale_bridge_is_unknown_never_ok(pump):
    state = play(with_pump(**pump)).pump
    assert state.is_bridge_connected is False
    assert state.light is PumpLight.UNKNOWN
    assert state.is_beeping is None


def test_room_ages_come_through():
    env = Environment(Reading(21.0, 50.0), Reading(45.0, 50.0), Reading(100.0, 5.0))
    home = play(HomeState(environment=env, pump=PumpState()))
    assert home.environment.temperature_c.age_s == pytest.approx(50.0, abs=0.5)
    assert home.environment.light_lux.age_s == pytest.approx(5.0, abs=0.5)
    assert home.environment.temperature_c.is_valid


def test_room_older_than_the_plan_allows_is_unknown():
    env = Environment(Reading(21.0, 121.0), Reading(45.0, 121.0), Reading(100.0, 121.0))
    home = play(HomeState(environment=env, pump=PumpState()), plan=CarePlan())
    for reading in (home.environment.temperature_c, home.environment.humidity_pct, home.environment.light_lux):
        assert reading.value is None and not reading.is_valid


@pytest.mark.parametrize(
    "temperature",
    [Reading(None, 1.0), Reading(21.0, None), Reading(21.0, 1.0, is_valid=False)],
)
def test_unknown_temperature_stays_unknown_and_humidity_survives(temperature):
    env = Environment(temperature, Reading(45.0, 1.0), Reading(100.0, 1.0))
    home = play(HomeState(environment=env, pump=PumpState()))
    assert home.environment.temperature_c.value is None
    assert not home.environment.temperature_c.is_valid
    assert home.environment.humidity_pct.value == pytest.approx(45.0, abs=0.05)


def test_nothing_known_is_nothing_known():
    home = play(HomeState())
    env = home.environment
    assert [r.value for r in (env.temperature_c, env.humidity_pct, env.light_lux)] == [None, None, None]
    assert home.pump.is_bridge_connected is False


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_played_through_hardware_matches_or_is_more_cautious(path):
    scenario = pytest.importorskip("hub.core.scenario").load_scenario(path)
    direct = scenario.home
    plan = CarePlan()
    with SimulatedHome.from_scenario(path, plan=plan) as sim:
        seen = sim.read_home()
    is_live = direct.pump.is_bridge_connected is True and direct.pump.age_s is not None and (
        direct.pump.age_s <= plan.limits.pump_stale_after_s
    )
    if is_live:
        assert seen.pump.is_bridge_connected is True
        assert seen.pump.light is direct.pump.light
        assert seen.pump.is_beeping is direct.pump.is_beeping
    else:
        assert seen.pump.is_bridge_connected is False and seen.pump.light is PumpLight.UNKNOWN
    for name in ("temperature_c", "humidity_pct", "light_lux"):
        want, got = getattr(direct.environment, name), getattr(seen.environment, name)
        if want.value is None or not want.is_valid or want.age_s is None:
            assert got.value is None
        elif want.age_s <= plan.limits.room_stale_after_s:
            assert got.value == pytest.approx(want.value, rel=0.01, abs=3)
    assert seen.infusion == direct.infusion and seen.bag_changes == direct.bag_changes
