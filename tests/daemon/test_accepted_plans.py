"""Whatever `hub plan check` accepts, `hub serve` runs: no accepted plan crashes the daemon.

Under systemd's Restart=always a plan that crashes the daemon is a crash loop, with
nothing watching the pump. So plans are generated (some wrong, some at the edges),
checked exactly as `hub plan check` checks them, and every accepted one runs the
daemon's first simulated hour on a ManualClock (no real waiting).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.core.alarms import Priority
from hub.core.plan import CarePlan, load_plan
from hub.daemon.clock import ManualClock
from hub.daemon.service import HubService, ServiceSettings
from hub.errors import PlanError
from hub.store.record import EventStore
from tests.builders import calm_home

ZONES = ["America/New_York", "America/Los_Angeles", "UTC", "Asia/Kolkata", "Pacific/Chatham", "Etc/GMT+12",
         "Europe/London", "Australia/Lord_Howe"]


class Home:
    def __init__(self, plan: CarePlan) -> None:
        self.home = calm_home(bag_changes=plan.bag_changes[:3])

    async def read(self):
        return self.home


class Speaker:
    def __init__(self) -> None:
        self.said: list[str] = []

    async def say(self, text: str, priority: Priority) -> None:
        self.said.append(text)


def _edge_datetimes() -> st.SearchStrategy[datetime]:
    return st.one_of(
        st.sampled_from([datetime(1, 1, 1, 0, 0), datetime(1, 1, 1, 12, 0), datetime(9999, 12, 31, 23, 59)]),
        st.datetimes(min_value=datetime(2026, 11, 20), max_value=datetime(2026, 12, 10)),
        st.datetimes(),
    )


def _times() -> st.SearchStrategy[object]:
    offsets = st.sampled_from(["", "+05:00", "-11:00", "Z", "+14:00"])
    text = st.builds(lambda t, off: t.strftime("%H:%M") + off, st.times(), offsets)
    return st.one_of(st.times(), text, st.times(timezones=st.just(timezone(timedelta(hours=5)))).map(str))


def _numbers(low: float, high: float) -> st.SearchStrategy[float]:
    """Mostly numbers within a field's range (so most plans are accepted), now and then any number."""
    wild = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, 1e308, -1.0, 1e-9]))
    return st.one_of(st.floats(low, high), st.sampled_from([low, high]), st.floats(low, high), wild)


_PLANS = st.fixed_dictionaries({}, optional={
    "timezone": st.sampled_from(ZONES),
    "travel_time_min": _numbers(0, 24 * 60),
    "bag_changes": st.lists(_edge_datetimes(), max_size=4),
    "daily_check": st.fixed_dictionaries({}, optional={
        "time": _times(), "remind_after_min": _numbers(0, 24 * 60), "missed_after_min": _numbers(0, 24 * 60)}),
    "limits": st.fixed_dictionaries({}, optional={
        "room_stale_after_s": _numbers(1, 3600), "pump_stale_after_s": _numbers(1, 3600)}),
    "alarms": st.fixed_dictionaries({}, optional={
        "urgent_repeat_s": _numbers(5, 60), "warning_repeat_s": _numbers(5, 300),
        "escalate_after_s": _numbers(10, 1800), "stopped_repeat_s": _numbers(60, 3600),
        "voice_rearm_s": _numbers(60, 1800)}),
})


def _checked(tmp: Path, raw: dict) -> CarePlan | None:
    """Check the plan as `hub plan check` does: written as TOML, loaded from the file."""
    path = tmp / "plan.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    try:
        return load_plan(path)
    except PlanError:
        return None


def _first_hour(plan: CarePlan, start: datetime) -> list[str]:
    clock = ManualClock(start)
    speaker = Speaker()
    with EventStore(":memory:") as store:
        service = HubService(plan, clock=clock, source=Home(plan), speaker=speaker, store=store,
                             settings=ServiceSettings(tick_s=60.0))

        async def hour() -> None:
            for _ in range(61):
                await service.tick()
                await clock.sleep(60.0)

        asyncio.run(hour())
    return speaker.said


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=_PLANS, offset_min=st.integers(-24 * 60, 24 * 60), data=st.data())
def test_every_plan_that_passes_the_check_runs_the_daemons_first_hour(tmp_path, raw, offset_min, data):
    plan = _checked(tmp_path, raw)
    if plan is None:
        return
    # Start near what the plan schedules, where the reminder arithmetic happens.
    usual = datetime.combine(datetime(2026, 11, 25).date(), plan.daily_check.time.replace(tzinfo=None))
    anchors = [at for at in plan.bag_changes if 2000 <= at.year <= 2199] + [usual]
    start = data.draw(st.sampled_from(anchors)) + timedelta(minutes=offset_min)
    said = _first_hour(plan, start)
    assert all(text for text in said)


@pytest.mark.parametrize("text", [
    '[daily_check]\ntime = "09:00+05:00"\n',
    "bag_changes = [0001-01-01T00:00:00]\n",
    "bag_changes = [9999-12-31T23:59:00]\n",
    "[daily_check]\nmissed_after_min = 1e300\n",
    "[daily_check]\nremind_after_min = -5.0\n",
])
def test_plans_that_crashed_the_daemon_are_refused_by_the_check(tmp_path, text):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        load_plan(path)
    assert str(path) in str(refused.value)


def test_a_scenario_appointment_in_year_one_does_not_crash_the_daemon():
    plan = CarePlan()
    clock = ManualClock(datetime(2026, 11, 25, 9, 0))
    home = Home(plan)
    home.home = calm_home(bag_changes=(datetime(1, 1, 1, 0, 0), datetime(9999, 12, 31, 23, 59)))
    with EventStore(":memory:") as store:
        service = HubService(plan, clock=clock, source=home, speaker=Speaker(), store=store)
        asyncio.run(service.tick())


def test_the_daily_check_time_is_the_homes_local_time(tmp_path):
    plan = _checked(tmp_path, {"daily_check": {"time": time(9, 30)}})
    assert plan is not None and plan.daily_check.time == time(9, 30)
