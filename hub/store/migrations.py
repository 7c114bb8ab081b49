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
    # 3: the care-team console (issue 18): accounts, sessions, an audit trail, every saved
    # plan, the pump light as it changed, and indexes that let the history pages
    # downsample a month of readings in SQL without touching the table itself.
    (
        """CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE sessions (
            token_sha TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL
        )""",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
        """CREATE TABLE plan_versions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            sha TEXT NOT NULL,
            text TEXT NOT NULL,
            diff TEXT NOT NULL
        )""",
        """CREATE TABLE pump_states (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            light TEXT NOT NULL,
            is_beeping INTEGER,
            screen TEXT NOT NULL
        )""",
        "CREATE INDEX pump_states_by_time ON pump_states (at)",
        "CREATE INDEX readings_for_charts ON readings (quantity, at, value, is_valid)",
        "CREATE INDEX alarms_by_start ON alarms (started_at)",
        "CREATE INDEX utterances_by_kind ON utterances (kind, at)",
        # Hourly statistics of readings (as Home Assistant's recorder keeps them), filled by
        # the console for hours that are over; long periods are drawn from these.
        """CREATE TABLE reading_hours (
            quantity TEXT NOT NULL,
            hour TEXT NOT NULL,
            n INTEGER NOT NULL,
            total REAL NOT NULL,
            low REAL NOT NULL,
            high REAL NOT NULL,
            PRIMARY KEY (quantity, hour)
        ) WITHOUT ROWID""",
        """CREATE TABLE reading_hours_filled (
            quantity TEXT PRIMARY KEY,
            until TEXT NOT NULL
        )""",
    ),
    # 4: problems the family reported stay open until handled, across restarts (issue 17).
    (
        """CREATE TABLE reported_findings (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            opened_at TEXT NOT NULL,
            closed_at TEXT,
            closed_by TEXT
        )""",
    ),
    # 5: the (quantity, at) index goes. `readings_for_charts` (3) begins with the same columns
    # and serves the same lookups, and each minute's commit touched one page of each index
    # per quantity: most of what the log wrote to the SD card (bench/RESULTS.md, "Event log
    # writes"). Raw readings older than two weeks are summed into `reading_hours` by the
    # daemon (hub.store.record.EventStore.prune_readings), so the table stays small.
    (
        "DROP INDEX IF EXISTS readings_by_quantity",
    ),
)
