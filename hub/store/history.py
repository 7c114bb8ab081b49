"""What the console's History, Now and Report pages read: readings downsampled in SQL, the pump's
timeline, alarms, daily checks and missed bag changes over a period.

Why downsample in SQL: a month at one reading a minute is 43,200 rows per quantity; the
covering index `readings_for_charts` (migration 3) lets SQLite average them into a few
hundred buckets without reading the table, and the page ships only the buckets. A bucket
with no valid reading stays None, so the chart shows a gap (unknown), never a line
drawn across it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from hub.store.record import AlarmRecord

_EPOCH = datetime(1970, 1, 1)


def epoch_s(at: datetime) -> int:
    """Seconds of a naive local date-time counted as if it were UTC: the charts' x axis."""
    return int((at - _EPOCH).total_seconds())


@dataclass(frozen=True)
class Series:
    """One quantity's buckets: bucket start (epoch_s), mean, low and high; None where unknown."""

    quantity: str
    bucket_s: int
    times: tuple[int, ...]
    means: tuple[float | None, ...]
    lows: tuple[float | None, ...]
    highs: tuple[float | None, ...]


@dataclass(frozen=True)
class PumpChange:
    at: datetime
    light: str
    is_beeping: bool | None
    screen: str


@dataclass(frozen=True)
class DayCheck:
    """A day's daily check: 'done', 'problems' (done, with a no or not-sure answer), 'missed' or 'none'."""

    day: date
    outcome: str


@dataclass(frozen=True)
class LatestReading:
    at: datetime
    value: float | None
    is_valid: bool


class History:
    """Read-only queries over the event log for one period at a time."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def series(self, quantity: str, start: datetime, end: datetime, bucket_s: int) -> Series:
        """Return `quantity` between `start` and `end` averaged into buckets of `bucket_s` seconds.

        Buckets of whole hours are summed from the hourly statistics for hours that are
        over, and from the raw readings only for the hour still running.
        """
        sums: dict[int, list[float]] = {}
        raw_from = start
        if bucket_s % 3600 == 0:
            until = self._fill_hours(quantity, end)
            if until > start:
                rows = self._db.execute(
                    "SELECT unixepoch(hour || ':00:00') / ?1 AS k, SUM(n), SUM(total), MIN(low), MAX(high)"
                    " FROM reading_hours WHERE quantity = ?2 AND hour >= ?3 AND hour < ?4 GROUP BY k",
                    (bucket_s, quantity, _hour(start), _hour(until))).fetchall()
                _add(sums, rows)
                raw_from = max(start, until)
        rows = self._db.execute(
            "SELECT unixepoch(at) / ?1 AS k, COUNT(*), SUM(value), MIN(value), MAX(value)"
            " FROM readings INDEXED BY readings_for_charts"
            " WHERE quantity = ?2 AND at >= ?3 AND at < ?4 AND is_valid = 1 AND value IS NOT NULL"
            " GROUP BY k", (bucket_s, quantity, _iso(raw_from), _iso(end))).fetchall()
        _add(sums, rows)
        first, last = epoch_s(start) // bucket_s, (epoch_s(end) - 1) // bucket_s
        keys = range(first, last + 1)
        stats = [sums.get(k) for k in keys]
        return Series(quantity, bucket_s, tuple(k * bucket_s for k in keys),
                      tuple(None if s is None else round(s[1] / s[0], 2) for s in stats),
                      tuple(None if s is None else round(s[2], 2) for s in stats),
                      tuple(None if s is None else round(s[3], 2) for s in stats))

    def _fill_hours(self, quantity: str, end: datetime) -> datetime:
        """Add hourly statistics for every hour that is over (before `end` and before the newest
        reading's hour); return where they stop."""
        newest = self._db.execute("SELECT MAX(at) FROM readings INDEXED BY readings_for_charts WHERE quantity = ?",
                                  (quantity,)).fetchone()[0]
        if newest is None:
            return datetime.min
        until = min(_floor_hour(end), _floor_hour(datetime.fromisoformat(newest)))
        row = self._db.execute("SELECT until FROM reading_hours_filled WHERE quantity = ?", (quantity,)).fetchone()
        done = datetime.fromisoformat(row[0]) if row else datetime.min
        if done >= until:
            return done
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO reading_hours (quantity, hour, n, total, low, high)"
                " SELECT quantity, substr(at, 1, 13), COUNT(*), SUM(value), MIN(value), MAX(value)"
                " FROM readings INDEXED BY readings_for_charts"
                " WHERE quantity = ? AND at >= ? AND at < ? AND is_valid = 1 AND value IS NOT NULL"
                " GROUP BY substr(at, 1, 13)", (quantity, _iso(done) if row else "", _iso(until)))
            self._db.execute("INSERT OR REPLACE INTO reading_hours_filled (quantity, until) VALUES (?, ?)",
                             (quantity, _iso(until)))
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return until

    def latest(self, quantity: str) -> LatestReading | None:
        """Return the newest logged reading of `quantity` (valid or not), or None if never logged."""
        row = self._db.execute("SELECT at, value, is_valid FROM readings INDEXED BY readings_for_charts"
                               " WHERE quantity = ? ORDER BY at DESC LIMIT 1", (quantity,)).fetchone()
        return None if row is None else LatestReading(datetime.fromisoformat(row[0]), row[1], bool(row[2]))

    def first_reading_at(self) -> datetime | None:
        """Return when the log's first reading was taken: the start of "the whole infusion"."""
        row = self._db.execute("SELECT MIN(at) FROM readings").fetchone()
        return None if row is None or row[0] is None else datetime.fromisoformat(row[0])

    def pump_changes(self, start: datetime, end: datetime) -> tuple[PumpChange, ...]:
        """Return the pump's changes in the period, led by the state in force at `start` (if any)."""
        before = self._db.execute("SELECT at, light, is_beeping, screen FROM pump_states WHERE at < ?"
                                  " ORDER BY at DESC, id DESC LIMIT 1", (_iso(start),)).fetchall()
        during = self._db.execute("SELECT at, light, is_beeping, screen FROM pump_states WHERE at >= ? AND at < ?"
                                  " ORDER BY at, id", (_iso(start), _iso(end))).fetchall()
        out = [PumpChange(max(start, datetime.fromisoformat(r[0])), r[1], None if r[2] is None else bool(r[2]), r[3])
               for r in (*before, *during)]
        return tuple(out)

    def alarms(self, start: datetime, end: datetime) -> tuple[AlarmRecord, ...]:
        """Return alarms that were open at any moment of the period, oldest first."""
        rows = self._db.execute(
            "SELECT id, code, priority, speech, started_at, ended_at, acknowledged_at, escalated_at FROM alarms"
            " WHERE started_at < ? AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at, id",
            (_iso(end), _iso(start))).fetchall()
        return tuple(_alarm(r) for r in rows)

    def open_alarms(self) -> tuple[AlarmRecord, ...]:
        rows = self._db.execute(
            "SELECT id, code, priority, speech, started_at, ended_at, acknowledged_at, escalated_at FROM alarms"
            " WHERE ended_at IS NULL ORDER BY started_at, id").fetchall()
        return tuple(_alarm(r) for r in rows)

    def daily_checks(self, first: date, last: date, today: date) -> tuple[DayCheck, ...]:
        """Return one outcome per day from `first` to `last`; a past day with no check is 'missed'."""
        status = dict(self._db.execute("SELECT day, status FROM daily_checks WHERE day >= ? AND day <= ?",
                                       (first.isoformat(), last.isoformat())).fetchall())
        worried = {r[0] for r in self._db.execute(
            "SELECT DISTINCT day FROM check_answers WHERE day >= ? AND day <= ? AND answer != 'yes'",
            (first.isoformat(), last.isoformat()))}
        out = []
        day = first
        while day <= last:
            key = day.isoformat()
            state = status.get(key)
            if state == "done":
                outcome = "problems" if key in worried else "done"
            elif state == "missed" or (day < today and state != "done"):
                outcome = "missed"
            else:
                outcome = "none"
            out.append(DayCheck(day, outcome))
            day += timedelta(days=1)
        return tuple(out)

    def daily_check_status(self, day: date) -> str | None:
        row = self._db.execute("SELECT status FROM daily_checks WHERE day = ?", (day.isoformat(),)).fetchone()
        return None if row is None else str(row[0])

    def missed_bag_changes(self) -> frozenset[str]:
        """Return the appointment times (ISO, to the minute) the hub reported as missed."""
        rows = self._db.execute("SELECT key FROM reminders WHERE kind = 'missed_appointment'").fetchall()
        return frozenset(r[0].split(":", 1)[1].rsplit(":", 1)[0] for r in rows)

    def reported_problems(self, start: datetime, end: datetime, limit: int = 50) -> tuple[tuple[datetime, str], ...]:
        """Return what the family told the hub in the period (the 'heard' log), newest first."""
        rows = self._db.execute("SELECT at, text FROM utterances INDEXED BY utterances_by_kind"
                                " WHERE kind = 'heard' AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?",
                                (_iso(start), _iso(end), limit)).fetchall()
        return tuple((datetime.fromisoformat(r[0]), r[1]) for r in rows)


def _alarm(row: tuple[Any, ...]) -> AlarmRecord:
    def when(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text)

    return AlarmRecord(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), when(row[5]), when(row[6]),
                       when(row[7]))


def _add(sums: dict[int, list[float]], rows: list[Any]) -> None:
    """Merge (bucket, count, sum, low, high) rows into `sums`."""
    for key, n, total, low, high in rows:
        if not n:
            continue
        known = sums.get(int(key))
        if known is None:
            sums[int(key)] = [n, total, low, high]
        else:
            known[0] += n
            known[1] += total
            known[2] = min(known[2], low)
            known[3] = max(known[3], high)


def _floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _hour(at: datetime) -> str:
    return at.isoformat(timespec="hours")


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")
