"""Tests for hub.store.record: the event log keeps what it committed and migrates old files."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from hub.store.migrations import MIGRATIONS
from hub.store.record import EventStore, StoreError, migrate

T0 = datetime(2026, 11, 25, 9, 0, 0)


def test_new_log_is_at_latest_schema_in_wal_mode(tmp_path):
    with EventStore(tmp_path / "hub.db") as store:
        assert store.schema_version == len(MIGRATIONS)
        mode = store._db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_alarm_start_ack_escalation_and_end_are_all_kept_after_reopening(tmp_path):
    path = tmp_path / "hub.db"
    with EventStore(path) as store:
        alarm_id = store.open_alarm("pump.beeping", "high", "The pump is beeping.", T0)
        store.escalate_alarm(alarm_id, T0.replace(minute=3))
        store.acknowledge_alarm(alarm_id, T0.replace(minute=4), "voice")
        store.end_alarm(alarm_id, T0.replace(minute=5))
    with EventStore(path) as store:
        (alarm,) = store.alarms()
        assert store.acknowledgement_ids() == (alarm_id,)
    assert alarm.code == "pump.beeping"
    assert alarm.started_at == T0
    assert alarm.escalated_at == T0.replace(minute=3)
    assert alarm.acknowledged_at == T0.replace(minute=4)
    assert alarm.ended_at == T0.replace(minute=5)


def test_alarms_left_open_by_a_crash_are_closed_on_restart(tmp_path):
    path = tmp_path / "hub.db"
    with EventStore(path) as store:
        store.open_alarm("room.too_hot", "medium", "Too hot.", T0)
    with EventStore(path) as store:
        assert store.end_open_alarms(T0.replace(hour=10)) == 1
        assert store.alarms()[0].ended_at == T0.replace(hour=10)


def test_reminder_given_once_is_remembered_and_not_duplicated(tmp_path):
    with EventStore(tmp_path / "hub.db") as store:
        store.add_reminder("bag:2026-11-26T10:00:leave", "leave", T0, "Time to leave.")
        store.add_reminder("bag:2026-11-26T10:00:leave", "leave", T0, "Time to leave.")
        assert store.reminder_keys() == frozenset({"bag:2026-11-26T10:00:leave"})


def test_daily_check_status_and_answers_are_kept_per_day(tmp_path):
    day = date(2026, 11, 25)
    with EventStore(tmp_path / "hub.db") as store:
        assert store.daily_check_status(day) is None
        store.set_daily_check(day, "started", T0)
        store.add_check_answer(day, "light", "green blinking", T0)
        store.set_daily_check(day, "done", T0.replace(minute=5))
        assert store.daily_check_status(day) == "done"
        assert store.check_answers(day) == (("light", "green blinking"),)


def test_speech_and_unknown_readings_are_logged(tmp_path):
    with EventStore(tmp_path / "hub.db") as store:
        store.add_utterance(T0, "alarm", "high", "The pump is beeping.")
        store.add_reading(T0, "temperature_c", None, False)
        assert [u.text for u in store.utterances("alarm")] == ["The pump is beeping."]
        assert store.reading_count() == 1


def test_version_one_file_is_migrated_without_losing_alarms(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO alarms (code, priority, speech, started_at) VALUES ('pump.beeping', 'high', 'x', ?)",
               (T0.isoformat(),))
    db.close()
    with EventStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        (alarm,) = store.alarms()
        assert alarm.code == "pump.beeping" and alarm.escalated_at is None


def test_log_from_a_newer_hub_is_refused_not_overwritten(tmp_path):
    path = tmp_path / "new.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        EventStore(path)


def test_failed_migration_leaves_the_old_version(tmp_path):
    db = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    db.execute("CREATE TABLE alarms (id INTEGER PRIMARY KEY)")  # collides with migration 1
    with pytest.raises(sqlite3.Error):
        migrate(db)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0


def test_unwritable_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="event log"):
        EventStore(blocker / "hub.db")
