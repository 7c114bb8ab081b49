"""Local date-times as care plans and scenarios write them: "2026-11-25T10:00:00", no offset."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from hub.errors import PlanError


# Before this year the clock has not been set (no real-time clock, no time sync yet); after
# the last one it is corrupt. Either way nothing timed can be judged from it.
EARLIEST_PLAUSIBLE_YEAR = 2025
LATEST_PLAUSIBLE_YEAR = 2100


def is_plausible_date(now: datetime) -> bool:
    """Return False when the wall clock cannot be showing the real date."""
    return EARLIEST_PLAUSIBLE_YEAR <= now.year <= LATEST_PLAUSIBLE_YEAR


def parse_local_datetime(value: Any, source: str, where: str, *, error: type[PlanError] = PlanError) -> datetime:
    """Return `value` (TOML/YAML date-time or ISO text) as a naive local date-time.

    A date without a time is refused (a bag change happens at an exact time), and so
    is a UTC offset: the home's own clock is the only time the family hears.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise error(source, where, f"{value!r} is not a date-time like 2026-11-25T10:00:00") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        raise error(source, where, "needs a time of day too, e.g. 2026-11-25T10:00:00")
    if not isinstance(value, datetime):
        raise error(source, where, "must be a local date-time, e.g. 2026-11-25T10:00:00")
    if value.tzinfo is not None:
        raise error(source, where, "write local time without a UTC offset")
    return value
