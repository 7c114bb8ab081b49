"""Saving the care plan from the console: checked, atomic, versioned, and never over someone else's edit.

The daemon re-reads the plan file when it changes (hub.daemon.service), so the file is
replaced in one `os.replace`: the daemon reads either the old plan or the new one, never
half of each. A plan `hub plan check` would refuse is never written at all.
"""

from __future__ import annotations

import difflib
import logging
import os
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hub.core.plan import CarePlan, parse_plan
from hub.errors import PlanError
from hub.store.audit import AuditAction, AuditLog
from hub.store.plan_versions import PlanVersion, PlanVersions, text_sha

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conflict:
    """Someone saved the plan after this form was opened; `theirs` is what is in force now."""

    theirs: str
    saved_by: PlanVersion | None
    diff: str


@dataclass(frozen=True)
class Saved:
    version_id: int
    plan: CarePlan


def current_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def diff_text(old: str, new: str, old_name: str = "before", new_name: str = "after") -> str:
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        old_name, new_name))


def save_plan(path: Path, text: str, *, base_sha: str, who: str, at: datetime, versions: PlanVersions,
              audit: AuditLog) -> Saved | Conflict:
    """Replace the plan at `path` with `text` if nobody saved since the form's `base_sha`; keep the version.

    Raises `PlanError` (and writes nothing) if `text` is not a plan the hub accepts.
    """
    before = current_text(path)
    if text_sha(before) != base_sha:
        audit.add(at, who, AuditAction.PLAN_CONFLICT, "saved by someone else in between; not saved")
        return Conflict(before, versions.by_sha(text_sha(before)), diff_text(before, text, "in force", "yours"))
    try:
        plan = parse_plan(tomllib.loads(text), source=str(path), base_dir=path.parent)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(str(path), "file", f"is not valid TOML ({exc})") from None
    if not versions.all() and before:
        versions.add(at, "(file before the console)", before, "")
    _write_atomically(path, text)
    version_id = versions.add(at, who, text, diff_text(before, text))
    audit.add(at, who, AuditAction.PLAN_SAVED, f"version {version_id}")
    _LOGGER.warning("Care plan %s saved from the console by %s (version %d)", path, who, version_id)
    return Saved(version_id, plan)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
