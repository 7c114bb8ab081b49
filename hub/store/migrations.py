"""The event log's schema, as an append-only list of migrations.

Never edit a migration that has shipped: a hub in a family's home may already hold a
file at that version. Add a new entry instead; `hub.store.record.migrate` applies each one in
its own transaction and records its number in SQLite's `user_version`.
"""

from __future__ import annotations

# Each migration is a tuple of statements; migration N brings the schema to version N.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first schema.
    (
        """CREATE TABLE alarms (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            priority TEXT NOT NULL,
            speech TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            acknowledged_at TEXT
        )""",
        """CREATE TABLE acknowledgements (
            id INTEGER PRIMARY KEY,
            alarm_id INTEGER NOT NULL REFERENCES alarms(id),
            at TEXT NOT NULL,
            by TEXT NOT NULL
        )""",
        """CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            quantity TEXT NOT NULL,
            value REAL,
            is_valid INTEGER NOT NULL
        )""",
        """CREATE TABLE utterances (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            priority TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
        """CREATE TABLE reminders (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
        """CREATE TABLE check_answers (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            step TEXT NOT NULL,
            answer TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
    # 2: escalation is recorded, the daily check's outcome per day, and readings are
    # looked up by quantity and time.
    (
        "ALTER TABLE alarms ADD COLUMN escalated_at TEXT",
        """CREATE TABLE daily_checks (
            day TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
        "CREATE INDEX readings_by_quantity ON readings (quantity, at)",
    ),
    # 3: hourly statistics of readings (as Home Assistant's recorder keeps them). Raw readings
    # older than the daemon keeps them (hub.store.record.EventStore.prune_readings) are summed
    # into these, so the log stops growing; the console draws long periods from the same
    # table (its own migration creates it too: hence IF NOT EXISTS, same columns).
    # The (quantity, at) index goes: each minute's commit touched one of its pages per
    # quantity: 30 of the 37 MiB a day the readings wrote to the SD card (bench record-writes);
    # with two weeks of raw readings kept, a scan is fast enough for the daily prune.
    (
        "DROP INDEX IF EXISTS readings_by_quantity",
        """CREATE TABLE IF NOT EXISTS reading_hours (
            quantity TEXT NOT NULL,
            hour TEXT NOT NULL,
            n INTEGER NOT NULL,
            total REAL NOT NULL,
            low REAL NOT NULL,
            high REAL NOT NULL,
            PRIMARY KEY (quantity, hour)
        ) WITHOUT ROWID""",
    ),
)
