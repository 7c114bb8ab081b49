"""The console's part of the record: accounts and sessions, history buckets, and the pump's changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from hub.store.accounts import Accounts, Role
from hub.store.connection import connect
from hub.store.history import History
from hub.store.record import EventStore

T0 = datetime(2026, 11, 23, 6, 0)


def test_session_cookie_is_stored_only_as_a_hash_and_expires(tmp_path: Path) -> None:
    db = connect(tmp_path / "hub.db")
    accounts = Accounts(db)
    user = accounts.add("nurse", Role.CARE_TEAM, "$argon2id$fake", T0)
    token, session = accounts.open_session(user, 1000.0, 60.0)
    assert db.execute("SELECT COUNT(*) FROM sessions WHERE token_sha = ?", (token,)).fetchone()[0] == 0
    assert accounts.session(token, 1059.0) == session
    assert accounts.session(token, 1061.0) is None
    accounts.set_password_hash("nurse", "$argon2id$other")
    assert accounts.session(token, 1001.0) is None  # a new password ends old sessions


def test_history_buckets_leave_gaps_where_readings_were_unknown(tmp_path: Path) -> None:
    with EventStore(tmp_path / "hub.db") as store:
        for minute in range(120):
            at = T0 + timedelta(minutes=minute)
            is_lost = 30 <= minute < 60
            store.add_reading(at, "temperature_c", None if is_lost else 20.0 + minute // 60, not is_lost)
    series = History(connect(tmp_path / "hub.db")).series("temperature_c", T0, T0 + timedelta(hours=2), 15 * 60)
    assert series.means == (20.0, 20.0, None, None, 21.0, 21.0, 21.0, 21.0)
    assert series.times[1] - series.times[0] == 900


def test_daily_check_calendar_marks_missed_days_and_problems(tmp_path: Path) -> None:
    with EventStore(tmp_path / "hub.db") as store:
        store.set_daily_check(date(2026, 11, 23), "done", T0)
        store.set_daily_check(date(2026, 11, 24), "done", T0)
        store.add_check_answer(date(2026, 11, 24), "dressing", "no", T0)
        store.set_daily_check(date(2026, 11, 26), "reminded", T0)
    days = History(connect(tmp_path / "hub.db")).daily_checks(date(2026, 11, 23), date(2026, 11, 27),
                                                              date(2026, 11, 27))
    assert [d.outcome for d in days] == ["done", "problems", "missed", "missed", "none"]


def test_long_periods_from_hourly_statistics_match_the_readings(tmp_path: Path) -> None:
    """Whole-hour buckets come from the hourly table for hours that are over and from the readings for
    the hour still running, and average exactly as the readings do."""
    with EventStore(tmp_path / "hub.db") as store:
        for minute in range(5 * 60 + 30):
            store.add_reading(T0 + timedelta(minutes=minute), "humidity_pct", float(minute), True)
        history = History(connect(tmp_path / "hub.db"))
        end = T0 + timedelta(hours=6)
        series = history.series("humidity_pct", T0, end, 7200)
        expected = [sum(range(a, min(b, 330))) / (min(b, 330) - a) for a, b in ((0, 120), (120, 240), (240, 360))]
        assert series.means == tuple(round(e, 2) for e in expected)
        assert series.lows == (0.0, 120.0, 240.0) and series.highs == (119.0, 239.0, 329.0)
        store.add_reading(T0 + timedelta(minutes=331), "humidity_pct", 1000.0, True)  # the hour still running
        assert history.series("humidity_pct", T0, end, 7200).highs[-1] == 1000.0
