"""What every console page works from: the record, the plan in force, the hub's clock and live home.

Passed as one object (no module-level state); `hub serve --web` fills it from the running
daemon, tests fill it with a fake home or none at all.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hub.core.home import HomeState
from hub.core.plan import CarePlan
from hub.store.accounts import Accounts
from hub.store.audit import AuditLog
from hub.store.history import History
from hub.store.plan_versions import PlanVersions
from hub.web.limits import LoginLimit, LoginLimiter

# Uploads (.ics exports, forms) above this are refused before they are read: a clinic's
# calendar export for one infusion is a few kilobytes.
MAX_BODY_BYTES = 256 * 1024
SESSION_LIFETIME_S = 12 * 3600.0


@dataclass(frozen=True)
class LiveHome:
    """The home as the daemon last read it, and when (the hub's wall clock)."""

    home: HomeState
    at: datetime


@dataclass
class Console:
    """The console's dependencies. `plan` returns the plan the daemon is using now."""

    db: sqlite3.Connection
    plan: Callable[[], CarePlan]
    now: Callable[[], datetime]
    plan_path: Path | None = None
    live_home: Callable[[], LiveHome | None] = lambda: None
    acknowledge: Callable[[], None] | None = None
    # Called after a plan is saved, so the daemon takes it at once rather than at its next look.
    plan_saved: Callable[[], None] = lambda: None
    is_tls: bool = False
    wall_s: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    login_limit: LoginLimit = field(default_factory=LoginLimit)
    max_body_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        self.accounts = Accounts(self.db)
        self.audit = AuditLog(self.db)
        self.history = History(self.db)
        self.versions = PlanVersions(self.db)
        self.limiter = LoginLimiter(self.login_limit, self.monotonic)
