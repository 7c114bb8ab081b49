"""A clinic visit that is not a bag change: kept apart so the plan and the calendar reader share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Appointment:
    """A clinic visit that is not a bag change ("Lab draw (CBC)"), at a naive local time.

    The family can ask when it is; the hub never calls it a bag change."""

    at: datetime
    summary: str
