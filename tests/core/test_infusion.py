"""Inferring the infusion from the pump light: a stop is never forgotten by losing sight."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hub.core.home import PumpLight, PumpState
from hub.core.infusion import InfusionTracker

T0 = datetime(2026, 11, 24, 9, 0)
RUNNING = PumpState(is_bridge_connected=True, light=PumpLight.GREEN_BLINKING, is_beeping=False, age_s=1)


def test_green_blinking_light_means_running():
    state = InfusionTracker(30).observe(RUNNING, T0, 100.0)
    assert state.is_known and state.stopped_since is None


def test_dark_light_starts_a_stop_and_its_duration_runs_on_the_monotonic_clock():
    tracker = InfusionTracker(30)
    tracker.observe(RUNNING, T0, 100.0)
    tracker.observe(replace(RUNNING, light=PumpLight.OFF, age_s=0), T0, 200.0)
    # The wall clock jumps back an hour; five monotonic hours still count as five hours.
    later = tracker.observe(replace(RUNNING, light=PumpLight.OFF), T0 - timedelta(hours=1), 200.0 + 5 * 3600 + 1)
    assert later.stopped_since is not None
    assert (T0 - timedelta(hours=1)) - later.stopped_since > timedelta(hours=5)


def test_losing_the_bridge_does_not_make_a_stop_look_restarted():
    tracker = InfusionTracker(30)
    tracker.observe(replace(RUNNING, light=PumpLight.RED), T0, 10.0)
    state = tracker.observe(replace(RUNNING, is_bridge_connected=False), T0, 20.0)
    assert state.is_known and state.stopped_since is not None


def test_without_sight_of_the_pump_running_is_not_known():
    tracker = InfusionTracker(30)
    tracker.observe(RUNNING, T0, 10.0)
    assert not tracker.observe(replace(RUNNING, age_s=120), T0, 20.0).is_known
    assert not tracker.observe(replace(RUNNING, is_bridge_connected=None), T0, 30.0).is_known


def test_fresh_green_light_ends_the_stop():
    tracker = InfusionTracker(30)
    tracker.observe(replace(RUNNING, light=PumpLight.OFF), T0, 10.0)
    assert tracker.observe(RUNNING, T0, 20.0).stopped_since is None


@given(st.lists(st.tuples(st.sampled_from(PumpLight), st.one_of(st.none(), st.booleans()),
                          st.one_of(st.none(), st.floats(-10, 100))), max_size=12))
def test_running_is_reported_only_right_after_a_fresh_green_blinking_light(readings):
    tracker = InfusionTracker(30)
    for i, (light, connected, age) in enumerate(readings):
        pump = PumpState(is_bridge_connected=connected, light=light, is_beeping=False, age_s=age)
        state = tracker.observe(pump, T0, float(i))
        if state.is_known and state.stopped_since is None:
            assert connected is True and age is not None and 0 <= age <= 30
            assert light not in {PumpLight.OFF, PumpLight.RED}
