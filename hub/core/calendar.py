"""Bag-change appointments from an iCalendar (.ics) file, the format clinic calendars export."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from hub.core.inputs import MAX_CALENDAR_BYTES, InputRefused, read_capped_bytes
from hub.errors import PlanError

_LOGGER = logging.getLogger(__name__)


def read_bag_changes(path: str | Path, *, zone: ZoneInfo) -> tuple[datetime, ...]:
    """Return the start of every event in `path` as a naive local time in `zone`.

    Times with a time zone are converted to the home's zone; floating times are taken
    as local. All-day events are refused: a bag change happens at an exact time.
    """
    source = str(path)
    try:
        data = read_capped_bytes(path, MAX_CALENDAR_BYTES)
    except FileNotFoundError:
        raise PlanError(source, "file", "not found") from None
    except InputRefused as exc:
        raise PlanError(source, "file", str(exc)) from None
    except OSError as exc:
        raise PlanError(source, "file", f"cannot be read ({exc.strerror})") from None
    return parse_bag_changes(data, source=source, zone=zone)


def parse_bag_changes(data: bytes, *, source: str, zone: ZoneInfo) -> tuple[datetime, ...]:
    """Return the bag changes in the iCalendar text `data` (an upload, say), as `read_bag_changes` does."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise PlanError(source, "file", f"is not a valid iCalendar file ({exc})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise PlanError(source, "file", "is not a valid iCalendar file (no VCALENDAR)")

    starts: list[datetime] = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        where = f"VEVENT[{index}].DTSTART"
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        prop = event.get("DTSTART")
        if prop is None:
            raise PlanError(source, where, "missing: every appointment needs a start time")
        try:
            start = prop.dt
        except (AttributeError, ValueError) as exc:
            raise PlanError(source, where, f"cannot be read ({exc})") from None
        if isinstance(start, date) and not isinstance(start, datetime):
            raise PlanError(source, where, "is a whole day; a bag change needs an exact time")
        if not isinstance(start, datetime):  # a duration (P1D) or a period
            raise PlanError(source, where, "is not a date and time")
        if start.tzinfo is not None:
            start = start.astimezone(zone).replace(tzinfo=None)
        starts.append(start)
    _LOGGER.info("Read %d bag changes from %s", len(starts), source)
    return tuple(sorted(set(starts)))
