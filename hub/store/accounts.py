"""Console accounts and their sessions: who may log in, in which role, and who is logged in.

Passwords are stored only as argon2 hashes (made by the caller, see hub.web.passwords);
a session is stored as the SHA-256 of its cookie, so a copy of the file holds no live
session. Times of sessions are wall-clock seconds (time.time), not the daemon's clock:
a simulated day must not log anyone out.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hub.errors import HubError

_LOGGER = logging.getLogger(__name__)


class Role(StrEnum):
    """What an account may do: the family sees and acknowledges; the care team also edits the plan."""

    CARE_TEAM = "care-team"
    FAMILY = "family"


class AccountError(HubError, ValueError):
    """An account that cannot be added, changed or found."""


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    password_hash: str
    created_at: datetime

    @property
    def can_edit_plan(self) -> bool:
        return self.role is Role.CARE_TEAM


@dataclass(frozen=True)
class Session:
    """A logged-in browser: its user and the token its forms must carry (CSRF)."""

    user: User
    csrf: str
    expires_at: float


def check_name(name: str) -> str:
    """Return `name` if it can be an account name, else raise AccountError saying why."""
    if not 1 <= len(name) <= 40 or not all(c.isalnum() or c in "._-" for c in name):
        raise AccountError(f"account name {name!r}: use 1 to 40 letters, digits, '.', '_' or '-'")
    return name


class Accounts:
    """Accounts and sessions in the log's `users` and `sessions` tables."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, name: str, role: Role, password_hash: str, at: datetime) -> User:
        check_name(name)
        try:
            self._db.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                             (name, role.value, password_hash, at.isoformat(timespec="seconds")))
        except sqlite3.IntegrityError:
            raise AccountError(f"account {name!r} already exists; use `hub users passwd` to change it") from None
        _LOGGER.info("Added %s account %s", role.value, name)
        return User(name, role, password_hash, at)

    def get(self, name: str) -> User | None:
        row = self._db.execute("SELECT name, role, password_hash, created_at FROM users WHERE name = ?",
                               (name,)).fetchone()
        return None if row is None else User(row[0], Role(row[1]), row[2], datetime.fromisoformat(row[3]))

    def all(self) -> tuple[User, ...]:
        rows = self._db.execute("SELECT name, role, password_hash, created_at FROM users ORDER BY name").fetchall()
        return tuple(User(r[0], Role(r[1]), r[2], datetime.fromisoformat(r[3])) for r in rows)

    def remove(self, name: str) -> None:
        """Remove the account and end its sessions at once."""
        self._db.execute("DELETE FROM sessions WHERE username = ?", (name,))
        if self._db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
            raise AccountError(f"no account named {name!r} (see `hub users list`)")

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """Change the password; every session of the account ends, so an old browser must log in again."""
        if self._db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                            (password_hash, name)).rowcount == 0:
            raise AccountError(f"no account named {name!r} (see `hub users list`)")
        self._db.execute("DELETE FROM sessions WHERE username = ?", (name,))

    # --- sessions -------------------------------------------------------------------

    def open_session(self, user: User, now_s: float, lifetime_s: float) -> tuple[str, Session]:
        """Return a new cookie token and its session; only the token's hash is stored."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self._db.execute("DELETE FROM sessions WHERE expires_at < ?", (now_s,))
        self._db.execute("INSERT INTO sessions (token_sha, username, csrf, created_at, expires_at)"
                         " VALUES (?, ?, ?, ?, ?)", (_sha(token), user.name, csrf, now_s, now_s + lifetime_s))
        return token, Session(user, csrf, now_s + lifetime_s)

    def session(self, token: str, now_s: float) -> Session | None:
        """Return the live session of cookie `token`, or None when unknown or expired."""
        row = self._db.execute("SELECT username, csrf, expires_at FROM sessions WHERE token_sha = ?",
                               (_sha(token),)).fetchone()
        if row is None or row[2] < now_s:
            return None
        user = self.get(row[0])
        return None if user is None else Session(user, row[1], row[2])

    def close_session(self, token: str) -> None:
        self._db.execute("DELETE FROM sessions WHERE token_sha = ?", (_sha(token),))


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
