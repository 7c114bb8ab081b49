"""The event log on the Pi's SD card: private to the hub, and it stops growing after two weeks."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, timedelta

import pytest

from hub.store.record import KEEP_READINGS, EventStore

T0 = datetime(2026, 11, 1, 0, 0, 0)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_log_and_its_folders_are_private_to_the_hub(tmp_path):
    path = tmp_path / "var" / "lib" / "hub.db"
    old = os.umask(0o022)  # the usual umask, which would give 0644 and 0755
    try:
        with EventStore(path) as store:
            store.add_reading(T0, "temperature_c", 21.0, True)
            assert mode(path) == 0o600
            assert mode(str(path) + "-wal") == 0o600 and mode(str(path) + "-shm") == 0o600
    finally:
        os.umask(old)
    assert mode(tmp_path / "var") == 0o700 and mode(tmp_path / "var" / "lib") == 0o700


def test_an_older_world_readable_log_is_made_private_when_opened(tmp_path):
    path = tmp_path / "hub.db"
    with EventStore(path) as store:
        store.add_reading(T0, "temperature_c", 21.0, True)
    for name in (path, str(path) + "-wal", str(path) + "-shm"):
        if os.path.exists(name):
            os.chmod(name, 0o644)
    with EventStore(path) as store:
        assert store.reading_count() == 1
        assert mode(path) == 0o600 and mode(str(path) + "-wal") == 0o600


def _fill(store: EventStore, days: int) -> None:
    """A reading a minute for `days` days, as the daemon logs them; one hour of it invalid."""
    at = T0
    while at < T0 + timedelta(days=days):
        is_broken = at.date() == date(2026, 11, 2) and at.hour == 5
        store.add_readings(at, [("temperature_c", None if is_broken else 20.0 + (at.minute % 10) / 10, not is_broken),
                                ("pump_bridge_connected", 1.0, True)])
        at += timedelta(minutes=1)


def test_readings_past_two_weeks_become_hourly_statistics_and_nothing_else_is_removed(tmp_path):
    with EventStore(tmp_path / "hub.db") as store:
        _fill(store, days=20)
        alarm = store.open_alarm("pump.beeping", "high", "The pump is beeping.", T0 + timedelta(hours=1))
        store.acknowledge_alarm(alarm, T0 + timedelta(hours=1, minutes=1), "voice")
        store.set_daily_check(T0.date(), "done", T0 + timedelta(hours=9))
        store.add_check_answer(T0.date(), "line", "yes", T0 + timedelta(hours=9))
        store.add_reminder("check:2026-11-01:start", "check_start", T0 + timedelta(hours=9), "Daily check.")
        store.add_utterance(T0 + timedelta(hours=1), "alarm", "high", "The pump is beeping.")
        now = T0 + timedelta(days=20, hours=0, minutes=30)

        removed = store.prune_readings(now - KEEP_READINGS)

        cutoff = datetime(2026, 11, 7, 0, 0)  # whole hours only: 14 days before 00:30 on day 20
        assert removed == 2 * 6 * 24 * 60
        assert store.reading_count() == 2 * 20 * 24 * 60 - removed
        hours = store.reading_hours("temperature_c")
        assert len(hours) == 6 * 24 - 1  # the invalid hour stays unknown: no made-up number
        assert hours[0].hour == T0 and hours[-1].hour == cutoff - timedelta(hours=1)
        first = hours[0]
        assert (first.count, first.low, first.high) == (60, 20.0, 20.9)
        assert first.mean == pytest.approx(20.45)
        assert datetime(2026, 11, 2, 5) not in {h.hour for h in hours}
        # What the family and the hub did is never pruned.
        (kept,) = store.alarms()
        assert kept.acknowledged_at is not None and store.acknowledgement_ids() == (alarm,)
        assert store.daily_check_status(T0.date()) == "done"
        assert store.check_answers(T0.date()) == (("line", "yes"),)
        assert store.reminder_keys() == frozenset({"check:2026-11-01:start"})
        assert len(store.utterances()) == 1
        # Pruning again changes nothing.
        assert store.prune_readings(now - KEEP_READINGS) == 0
        assert store.reading_hours("temperature_c") == hours
