"""The hub's durable record: an SQLite event log of readings, alarms, checks and speech.

Why SQLite with WAL: one file, no server, and a commit survives a power cut or a
SIGKILL. Alarm and acknowledgement commits run with `synchronous=FULL` so a committed
alarm is on the card before the hub speaks of it; routine readings use NORMAL, which
in WAL mode can lose the last moments on power loss but never corrupts the file.

Every write is one short transaction; nothing is held open between calls, so a kill
at any moment leaves the previous commits intact (see tests/daemon/test_kill.py).

The log says what happened in a child's home: its folder is created 0700 and the file,
with SQLite's -wal and -shm beside it, 0600 (an older, world-readable file is tightened).
Raw readings are kept for `KEEP_READINGS` and then summed into hourly statistics
(`prune_readings`, run daily by the daemon), so the file stops growing on the SD card;
alarms, acknowledgements, reminders, daily checks and their answers are never pruned.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Self

from hub.errors import HubError
from hub.store.migrations import MIGRATIONS

_LOGGER = logging.getLogger(__name__)

# Raw readings (one a minute) are kept this long: two weeks of detail for the care team,
# then hourly statistics. A month of raw readings was 16-33 MB of a small SD card.
KEEP_READINGS = timedelta(days=14)


class StoreError(HubError, OSError):
    """The event log cannot be opened or written."""


@dataclass(frozen=True)
class AlarmRecord:
    """One alarm as the log holds it; times are local wall-clock date-times."""

    alarm_id: int
    code: str
    priority: str
    speech: str
    started_at: datetime
    ended_at: datetime | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None


@dataclass(frozen=True)
class ReportedRecord:
    """One open problem the family reported, as the log holds it."""

    record_id: int
    code: str
    detail: str
    opened_at: datetime


@dataclass(frozen=True)
class Utterance:
    """Something the hub said (or heard), as logged."""

    at: datetime
    kind: str
    priority: str
    text: str


@dataclass(frozen=True)
class HourStatistics:
    """One hour of one quantity's valid readings, once the raw readings are pruned."""

    hour: datetime
    count: int
    mean: float
    low: float
    high: float


class EventStore:
    """The event log in one SQLite file; use as a context manager, or call `close()`.

    `path` may be ":memory:" for tests. Opening applies any pending migrations.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                prepare_private_file(Path(self.path))
            # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction
            # never stays open behind our back between calls.
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            # The log is written far more than read; a small page cache keeps the daemon's
            # memory flat over weeks (SQLite's default grows to 2 MiB).
            self._db.execute("PRAGMA cache_size=-512")
            migrate(self._db)
            if self.path != ":memory:":
                tighten_sidecars(Path(self.path))
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the event log ({exc})") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self, *, is_durable: bool = False) -> Iterator[sqlite3.Connection]:
        """Run one write transaction; `is_durable` commits with synchronous=FULL."""
        try:
            if is_durable:
                self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot write the event log ({exc})") from exc
        finally:
            if is_durable:
                try:
                    self._db.execute("PRAGMA synchronous=NORMAL")
                except sqlite3.Error:
                    pass

    # --- alarms -----------------------------------------------------------------

    def open_alarm(self, code: str, priority: str, speech: str, started_at: datetime) -> int:
        """Record a new alarm durably and return its id; call before announcing it."""
        with self._transaction(is_durable=True) as db:
            cur = db.execute(
                "INSERT INTO alarms (code, priority, speech, started_at) VALUES (?, ?, ?, ?)",
                (code, priority, speech, _iso(started_at)),
            )
            return int(cur.lastrowid or 0)

    def acknowledge_alarm(self, alarm_id: int, at: datetime, by: str) -> None:
        """Record durably that the family acknowledged alarm `alarm_id` (by 'voice' or 'button')."""
        with self._transaction(is_durable=True) as db:
            db.execute("INSERT INTO acknowledgements (alarm_id, at, by) VALUES (?, ?, ?)", (alarm_id, _iso(at), by))
            db.execute(
                "UPDATE alarms SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
                (_iso(at), alarm_id),
            )

    def escalate_alarm(self, alarm_id: int, at: datetime) -> None:
        """Record durably that alarm `alarm_id` escalated (louder, buzzer, LED)."""
        with self._transaction(is_durable=True) as db:
            db.execute("UPDATE alarms SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL", (_iso(at), alarm_id))

    def end_alarm(self, alarm_id: int, at: datetime) -> None:
        """Record durably that alarm `alarm_id` ended (condition gone, or acknowledged after clearing)."""
        with self._transaction(is_durable=True) as db:
            db.execute("UPDATE alarms SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (_iso(at), alarm_id))

    def end_open_alarms(self, at: datetime, *, keep: tuple[int, ...] = ()) -> int:
        """Close alarms left open by a previous run (crash, restart), except `keep`; return how many.

        The new run re-raises any condition still present as a new alarm, so nothing is
        hidden by closing the old rows; latched alarms it carries over are kept open.
        """
        marks = ",".join("?" * len(keep))
        sql = "UPDATE alarms SET ended_at = ? WHERE ended_at IS NULL" + (f" AND id NOT IN ({marks})" if keep else "")
        with self._transaction(is_durable=True) as db:
            return db.execute(sql, (_iso(at), *keep)).rowcount

    def latched_alarms(self) -> tuple[AlarmRecord, ...]:
        """Return open, unacknowledged high-priority alarms: a restart must not drop them."""
        return tuple(a for a in self.alarms()
                     if a.priority == "high" and a.ended_at is None and a.acknowledged_at is None)

    def alarms(self) -> tuple[AlarmRecord, ...]:
        """Return every logged alarm, oldest first."""
        rows = self._db.execute(
            "SELECT id, code, priority, speech, started_at, ended_at, acknowledged_at, escalated_at"
            " FROM alarms ORDER BY id"
        ).fetchall()
        return tuple(
            AlarmRecord(r[0], r[1], r[2], r[3], _dt(r[4]), _opt_dt(r[5]), _opt_dt(r[6]), _opt_dt(r[7])) for r in rows
        )

    def acknowledgement_ids(self) -> tuple[int, ...]:
        """Return the alarm id of every logged acknowledgement, in order."""
        return tuple(r[0] for r in self._db.execute("SELECT alarm_id FROM acknowledgements ORDER BY id"))

    # --- readings, speech, reminders, checks ---------------------------------------

    def add_reading(self, at: datetime, quantity: str, value: float | None, is_valid: bool) -> None:
        """Record one (already downsampled) reading; None means not known."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO readings (at, quantity, value, is_valid) VALUES (?, ?, ?, ?)",
                (_iso(at), quantity, value, int(is_valid)),
            )

    def add_readings(self, at: datetime, readings: Iterable[tuple[str, float | None, bool]]) -> None:
        """Record several readings taken at `at` as (quantity, value, is_valid), in one commit:
        one write to the SD card instead of one per quantity."""
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO readings (at, quantity, value, is_valid) VALUES (?, ?, ?, ?)",
                [(_iso(at), quantity, value, int(is_valid)) for quantity, value, is_valid in readings],
            )

    def add_pump_state(self, at: datetime, light: str, is_beeping: bool | None, screen: str) -> None:
        """Record that the pump's light, beeping or screen changed (the history's pump timeline)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO pump_states (at, light, is_beeping, screen) VALUES (?, ?, ?, ?)",
                (_iso(at), light, None if is_beeping is None else int(is_beeping), screen),
            )

    def reading_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM readings").fetchone()[0])

    def prune_readings(self, before: datetime) -> int:
        """Sum raw readings of the whole hours before `before` into hourly statistics and remove
        them; return how many were removed.

        Only valid readings with a value count; an hour without one has no statistics, so it
        stays unknown (a gap), never a made-up number. Nothing but raw readings is removed.
        """
        cutoff = _iso(before.replace(minute=0, second=0, microsecond=0))
        with self._transaction() as db:
            # One row per hour and quantity, as the console's own statistics (hub.store.history
            # on the web branch) are computed: an hour's row is its readings' sum, count, range.
            db.execute(
                "INSERT OR REPLACE INTO reading_hours (quantity, hour, n, total, low, high)"
                " SELECT quantity, substr(at, 1, 13), COUNT(*), SUM(value), MIN(value), MAX(value)"
                " FROM readings WHERE at < ? AND is_valid = 1 AND value IS NOT NULL"
                " GROUP BY quantity, substr(at, 1, 13)", (cutoff,))
            removed = db.execute("DELETE FROM readings WHERE at < ?", (cutoff,)).rowcount
        if removed:
            _LOGGER.info("Summed %d readings from before %s into hourly statistics", removed, cutoff)
        return int(removed)

    def reading_hours(self, quantity: str) -> tuple[HourStatistics, ...]:
        """Return the hourly statistics of `quantity`, oldest first."""
        rows = self._db.execute("SELECT hour, n, total, low, high FROM reading_hours WHERE quantity = ?"
                                " ORDER BY hour", (quantity,)).fetchall()
        return tuple(HourStatistics(datetime.fromisoformat(r[0] + ":00:00"), r[1], r[2] / r[1], r[3], r[4])
                     for r in rows)

    def add_utterance(self, at: datetime, kind: str, priority: str, text: str) -> None:
        """Record what the hub said (kind 'alarm', 'reminder', 'reply', ...) or heard ('heard')."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO utterances (at, kind, priority, text) VALUES (?, ?, ?, ?)",
                (_iso(at), kind, priority, text),
            )

    def utterances(self, kind: str | None = None) -> tuple[Utterance, ...]:
        sql = "SELECT at, kind, priority, text FROM utterances"
        args: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            args = (kind,)
        rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return tuple(Utterance(_dt(r[0]), r[1], r[2], r[3]) for r in rows)

    def add_reminder(self, key: str, kind: str, at: datetime, text: str) -> None:
        """Record that reminder `key` was given, so a restart does not give it again."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO reminders (key, kind, at, text) VALUES (?, ?, ?, ?)",
                (key, kind, _iso(at), text),
            )

    def reminder_keys(self) -> frozenset[str]:
        return frozenset(r[0] for r in self._db.execute("SELECT key FROM reminders"))

    def add_check_answer(self, day: date, step: str, answer: str, at: datetime) -> None:
        """Record one answer given during the daily check."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO check_answers (day, step, answer, at) VALUES (?, ?, ?, ?)",
                (day.isoformat(), step, answer, _iso(at)),
            )

    def check_answers(self, day: date) -> tuple[tuple[str, str], ...]:
        rows = self._db.execute(
            "SELECT step, answer FROM check_answers WHERE day = ? ORDER BY id", (day.isoformat(),)
        ).fetchall()
        return tuple((r[0], r[1]) for r in rows)

    def set_daily_check(self, day: date, status: str, at: datetime) -> None:
        """Record the daily check's status for `day`: 'started', 'reminded', 'done' or 'missed'."""
        with self._transaction(is_durable=True) as db:
            db.execute(
                "INSERT INTO daily_checks (day, status, at) VALUES (?, ?, ?)"
                " ON CONFLICT(day) DO UPDATE SET status = excluded.status, at = excluded.at",
                (day.isoformat(), status, _iso(at)),
            )

    def daily_check_status(self, day: date) -> str | None:
        row = self._db.execute("SELECT status FROM daily_checks WHERE day = ?", (day.isoformat(),)).fetchone()
        return None if row is None else str(row[0])

    # --- problems the family reported ------------------------------------------------

    def open_reported(self, code: str, detail: str, at: datetime) -> int:
        """Record durably a problem the family reported (hub.core.reported); return its id."""
        with self._transaction(is_durable=True) as db:
            cur = db.execute("INSERT INTO reported_findings (code, detail, opened_at) VALUES (?, ?, ?)",
                             (code, detail, _iso(at)))
            return int(cur.lastrowid or 0)

    def close_reported(self, at: datetime, by: str) -> int:
        """Close every open reported problem: the family said it is handled, or the care
        team cleared it (`by`: 'family' or 'care team'); return how many were closed."""
        with self._transaction(is_durable=True) as db:
            return db.execute("UPDATE reported_findings SET closed_at = ?, closed_by = ? WHERE closed_at IS NULL",
                              (_iso(at), by)).rowcount

    def reported_open(self) -> tuple[ReportedRecord, ...]:
        """Return the reported problems nobody has closed, oldest first."""
        rows = self._db.execute("SELECT id, code, detail, opened_at FROM reported_findings"
                                " WHERE closed_at IS NULL ORDER BY id").fetchall()
        return tuple(ReportedRecord(r[0], r[1], r[2], _dt(r[3])) for r in rows)

    def integrity_check(self) -> str:
        """Return SQLite's verdict on the file: 'ok' when it is sound."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])


def prepare_private_file(path: Path) -> None:
    """Create `path`'s missing folders 0700 and the file itself 0600 before SQLite opens it;
    an existing file readable by others is made 0600 (SQLite gives its -wal and -shm the
    file's own permissions)."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    handle = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(handle)
    _make_private(path)


def tighten_sidecars(path: Path) -> None:
    """Make SQLite's -wal and -shm files beside `path` 0600 (an older hub left them 0644)."""
    for suffix in ("-wal", "-shm"):
        _make_private(Path(str(path) + suffix))


def _make_private(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        os.chmod(path, mode & 0o700)
        _LOGGER.warning("%s was readable by other users (%o); made it private (%o)", path, mode, mode & 0o700)


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date, one migration per transaction; return the new version.

    The version lives in SQLite's own `user_version`, written in the same transaction
    as the migration, so a kill mid-migration leaves the old version and the old schema.
    A file from a newer hub is refused rather than written with an older schema.
    """
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise sqlite3.DatabaseError(
            f"schema version {version} is newer than this hub understands ({len(MIGRATIONS)}); upgrade the hub"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in script:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        _LOGGER.info("Migrated event log to schema version %d", number)
    return len(MIGRATIONS)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
