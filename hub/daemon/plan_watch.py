"""Plan reload: the care plan file is watched while the hub runs, and a changed plan taken in.

A care team edits the plan on the hub itself (a new bag-change time, a limit). The
watcher looks at the file's stamp every `check_every_s`; a changed file is loaded and
validated in full. A broken new plan is refused with one log line and the plan in
force stays in force: a typo must never leave the hub without limits.
"""

from __future__ import annotations

import logging
from pathlib import Path

from hub.core.plan import CarePlan, load_plan
from hub.daemon.sources import file_stamp
from hub.errors import PlanError

_LOGGER = logging.getLogger(__name__)


class PlanWatch:
    """Watches one plan file; `poll` returns the new plan when the file changed and is valid."""

    def __init__(self, path: Path | None, *, check_every_s: float) -> None:
        self.path = Path(path) if path is not None else None
        self.check_every_s = check_every_s
        self._stamp = file_stamp(path)
        self._checked_s: float | None = None

    def look_now(self) -> None:
        """Look at the file on the next poll, however recently it was looked at (a save from the console)."""
        self._checked_s = None

    def poll(self, now_s: float, current: CarePlan) -> CarePlan | None:
        """Return the reloaded plan if the file changed since the last look and loads; else None.

        `now_s` is monotonic time; the file is looked at no more often than `check_every_s`."""
        if self.path is None or (self._checked_s is not None and now_s - self._checked_s < self.check_every_s):
            return None
        self._checked_s = now_s
        stamp = file_stamp(self.path)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        try:
            plan = load_plan(self.path)
        except PlanError as exc:
            _LOGGER.error("Refused the changed care plan, keeping the one in force (%s): %s", current.source, exc)
            return None
        _LOGGER.warning("Care plan reloaded from %s", plan.source)
        return plan
