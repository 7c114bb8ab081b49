"""A whole infusion cycle through the real daemon: the scripted week repeats, quiet minutes
are ticked once a minute, and nothing waits in real time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.commands.simulate import run_simulate
from hub.sim.week import MAX_DAYS, WEEK_START, run_week
from hub.store.record import KEEP_READINGS, EventStore

pytestmark = pytest.mark.slow

CYCLE_DAYS = 28  # one blinatumomab cycle


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    return run_week(CYCLE_DAYS, quiet_step_s=60.0, db_path=tmp_path_factory.mktemp("cycle") / "cycle.db")


def _days(cycle, kind: str, contains: str = "") -> list[int]:
    return sorted({(s.at.date() - WEEK_START.date()).days for s in cycle.timeline
                   if s.kind == kind and contains in s.text})


def test_every_week_of_the_cycle_repeats_the_scripted_trouble_and_its_reminders(cycle):
    assert _days(cycle, "check_start") == list(range(CYCLE_DAYS))
    assert _days(cycle, "check_missed") == [1, 8, 15, 22]  # nobody answers on Tuesdays
    assert _days(cycle, "alarm", "beeping") == [0, 7, 14, 21]
    # The plan's two bag changes repeat each week, with their reminders.
    assert _days(cycle, "leave") == [2, 4, 9, 11, 16, 18, 23, 25]
    assert _days(cycle, "alarm", "bag change") == [4, 11, 18, 25]  # the missed Friday one


def test_the_record_keeps_two_weeks_of_readings_and_hourly_statistics_before(cycle):
    end = WEEK_START + timedelta(days=CYCLE_DAYS)
    with EventStore(cycle.db_path) as store:
        oldest = min(r[0] for r in store._db.execute("SELECT at FROM readings"))
        hours = store.reading_hours("temperature_c")
        alarms = store.alarms()
    assert oldest >= (end - KEEP_READINGS - timedelta(days=1)).isoformat()
    assert hours and hours[0].hour == WEEK_START
    assert len(alarms) >= 4 * 9  # every alarm of every week is kept (9 a week since one stop is one alarm)


def test_memory_stays_flat_over_the_cycle(cycle):
    assert cycle.rss_end_kb - cycle.rss_after_day_kb < 8 * 1024


@pytest.mark.parametrize("days", [0, MAX_DAYS + 1])
def test_simulate_refuses_days_outside_one_to_sixty(days, capsys):
    from argparse import Namespace

    assert run_simulate(Namespace(days=days, speed=None, db=None)) == 2
    assert f"between 1 and {MAX_DAYS}" in capsys.readouterr().err
