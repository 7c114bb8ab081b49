"""A second connection to the event log, for readers beside the daemon (the console, commands).

The daemon's `EventStore` holds its own connection; WAL mode lets another connection
read while it writes, so the console never waits on, or blocks, the daemon's commits.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hub.store.record import StoreError, migrate, prepare_private_file, tighten_sidecars


def connect(path: str | Path) -> sqlite3.Connection:
    """Return an autocommit connection to the log at `path`, migrated to the current schema."""
    try:
        if str(path) != ":memory:":  # the console may open the log first: private, as the daemon makes it
            prepare_private_file(Path(path))
        db = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA cache_size=-2048")
        migrate(db)
        if str(path) != ":memory:":
            tighten_sidecars(Path(path))
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{path}: cannot open the event log ({exc})") from exc
    return db
