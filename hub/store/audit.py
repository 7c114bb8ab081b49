"""The console's audit trail: every login, plan change and acknowledgement, with who and when."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_REFUSED = "login refused"
    LOGOUT = "logout"
    PLAN_SAVED = "plan saved"
    PLAN_CONFLICT = "plan conflict"
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    action: str
    detail: str


class AuditLog:
    """Append-only rows in the log's `audit` table; times are the hub's wall clock."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, at: datetime, who: str, action: AuditAction, detail: str = "") -> None:
        self._db.execute("INSERT INTO audit (at, who, action, detail) VALUES (?, ?, ?, ?)",
                         (at.isoformat(timespec="seconds"), who, action.value, detail))

    def recent(self, limit: int = 200) -> tuple[AuditEntry, ...]:
        rows = self._db.execute("SELECT at, who, action, detail FROM audit ORDER BY id DESC LIMIT ?",
                                (limit,)).fetchall()
        return tuple(AuditEntry(datetime.fromisoformat(r[0]), r[1], r[2], r[3]) for r in rows)
