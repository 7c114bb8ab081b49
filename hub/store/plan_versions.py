"""Every care plan the console saved: the text, who saved it, when, and the diff from the one before."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PlanVersion:
    version_id: int
    at: datetime
    who: str
    sha: str
    text: str
    diff: str


def text_sha(text: str) -> str:
    """Return the fingerprint a form carries to notice that someone else saved in between."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PlanVersions:
    """Rows of the log's `plan_versions` table, newest last."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, at: datetime, who: str, text: str, diff: str) -> int:
        cur = self._db.execute("INSERT INTO plan_versions (at, who, sha, text, diff) VALUES (?, ?, ?, ?, ?)",
                               (at.isoformat(timespec="seconds"), who, text_sha(text), text, diff))
        return int(cur.lastrowid or 0)

    def all(self) -> tuple[PlanVersion, ...]:
        rows = self._db.execute("SELECT id, at, who, sha, text, diff FROM plan_versions ORDER BY id DESC").fetchall()
        return tuple(PlanVersion(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5]) for r in rows)

    def by_sha(self, sha: str) -> PlanVersion | None:
        row = self._db.execute("SELECT id, at, who, sha, text, diff FROM plan_versions WHERE sha = ?"
                               " ORDER BY id DESC LIMIT 1", (sha,)).fetchone()
        return None if row is None else PlanVersion(row[0], datetime.fromisoformat(row[1]), *row[2:])
