"""Clinic calendars (.ics) read as a nurse means them: bag changes, other visits, and notes.

Recurrence (RRULE, RDATE, EXDATE, moved occurrences) and time zones are expanded by
`recurring-ical-events`, a maintained library on top of `icalendar`, not by hand. The
care plan says which events are bag changes (words in the summary or a category, see
`BagChangeRule`); every other timed event is kept as an appointment the family can ask
about, and is never called a bag change. An all-day event ("clinic closed") has no time
to be on time for: it is skipped with a note that `hub plan check` prints.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from hub.core.inputs import MAX_CALENDAR_BYTES, InputRefused, read_capped_bytes
from hub.core.visits import Appointment
from hub.errors import PlanError

_LOGGER = logging.getLogger(__name__)

# How many occurrences, and how far past the first event, a calendar is expanded: an
# endless weekly rule must not hang the Pi, and an infusion cycle lasts weeks, not years.
MAX_OCCURRENCES = 1000
HORIZON = timedelta(days=3 * 366)
# What a clinic's summary or category says when an event is a bag change, if the plan
# does not say otherwise. Compared case-insensitively, as words inside the text.
DEFAULT_BAG_CHANGE_WORDS = ("bag change", "bag exchange", "blinatumomab", "blincyto")


@dataclass(frozen=True)
class BagChangeRule:
    """Which calendar events are bag changes: any of `words` in the summary or a category."""

    words: tuple[str, ...] = DEFAULT_BAG_CHANGE_WORDS

    def matches(self, summary: str, categories: tuple[str, ...]) -> bool:
        texts = [summary.casefold(), *(c.casefold() for c in categories)]
        return any(word.casefold() in text for word in self.words for text in texts if word.strip())


@dataclass(frozen=True)
class CalendarRead:
    """What one calendar file holds for the hub."""

    bag_changes: tuple[datetime, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    notes: tuple[str, ...] = ()


def read_calendar(path: str | Path, *, zone: ZoneInfo, rule: BagChangeRule | None = None) -> CalendarRead:
    """Return the bag changes, other appointments and notes in the calendar at `path`.

    Times with a time zone are converted to the home's zone; floating times are taken
    as local. Cancelled occurrences are left out. Raises `PlanError` naming the file
    and the event for a file that is not a calendar or an event without a start.
    """
    source = str(path)
    return parse_calendar(_read(path, source), source=source, zone=zone, rule=rule)


def parse_bag_changes(data: bytes, *, source: str, zone: ZoneInfo,
                      rule: BagChangeRule | None = None) -> tuple[datetime, ...]:
    """Return the bag changes in the iCalendar text `data` (an upload, say), as `read_bag_changes` does."""
    return parse_calendar(data, source=source, zone=zone, rule=rule).bag_changes


def parse_calendar(data: bytes, *, source: str, zone: ZoneInfo, rule: BagChangeRule | None = None) -> CalendarRead:
    """Return what the iCalendar text `data` holds, as `read_calendar` does for a file."""
    rule = rule or BagChangeRule()
    calendar = _parse(data, source)
    events = list(calendar.walk("VEVENT"))
    starts = []
    for index, event in enumerate(events):
        starts.append(_start(event, source, f"VEVENT[{index}].DTSTART"))
    if not events:
        return CalendarRead()
    notes: list[str] = []
    earliest = min(_as_datetime(s, zone) for s in starts)
    occurrences = []
    for series in _series(calendar):
        try:
            found = [e for e in islice(recurring_ical_events.of(series).after(earliest), MAX_OCCURRENCES + 1)
                     if _as_datetime(e.get("DTSTART").dt, zone) < earliest + HORIZON]
        except (recurring_ical_events.InvalidCalendar, ValueError, TypeError, KeyError, OverflowError) as exc:
            raise PlanError(source, "file", f"has a repeat rule that cannot be read ({exc})") from None
        if len(found) > MAX_OCCURRENCES:
            notes.append(f"a repeating event has more than {MAX_OCCURRENCES} occurrences; "
                         f"only the first {MAX_OCCURRENCES} are used")
            found = found[:MAX_OCCURRENCES]
        occurrences += found

    bag: set[datetime] = set()
    others: set[Appointment] = set()
    for event in occurrences:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        summary = " ".join(str(event.get("SUMMARY", "")).split())
        start = event.get("DTSTART").dt
        if isinstance(start, date) and not isinstance(start, datetime):
            notes.append(f"skipped the all-day event {summary or '(no summary)'!r} on {start:%a %d %b %Y}: "
                         "it is a whole day, and a bag change or visit needs a time of day")
            continue
        at = _as_datetime(start, zone)
        if rule.matches(summary, _categories(event)):
            bag.add(at)
        else:
            others.add(Appointment(at, summary))
    _LOGGER.info("Read %d bag changes and %d other appointments from %s", len(bag), len(others), source)
    return CalendarRead(tuple(sorted(bag)), tuple(sorted(others, key=lambda a: (a.at, a.summary))),
                        tuple(dict.fromkeys(notes)))


def read_bag_changes(path: str | Path, *, zone: ZoneInfo, rule: BagChangeRule | None = None) -> tuple[datetime, ...]:
    """Return only the bag changes in the calendar at `path` (see `read_calendar`)."""
    return read_calendar(path, zone=zone, rule=rule).bag_changes


def _series(calendar: icalendar.Calendar) -> list[icalendar.Calendar]:
    """Return one calendar per event series (events sharing a UID: a rule and its moved
    occurrences), each with the time zones, so one endless series cannot crowd out the rest."""
    zones = list(calendar.walk("VTIMEZONE"))
    groups: dict[str, list[Any]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        groups.setdefault(str(event.get("UID", f"#{index}")), []).append(event)
    out = []
    for events in groups.values():
        series = icalendar.Calendar()
        for component in (*zones, *events):
            series.add_component(component)
        out.append(series)
    return out


def _read(path: str | Path, source: str) -> bytes:
    try:
        return read_capped_bytes(path, MAX_CALENDAR_BYTES)
    except FileNotFoundError:
        raise PlanError(source, "file", "not found") from None
    except InputRefused as exc:
        raise PlanError(source, "file", str(exc)) from None
    except OSError as exc:
        raise PlanError(source, "file", f"cannot be read ({exc.strerror})") from None


def _parse(data: bytes, source: str) -> icalendar.Calendar:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise PlanError(source, "file", f"is not a valid iCalendar file ({exc})") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise PlanError(source, "file", "is not a valid iCalendar file (no VCALENDAR)")
    return calendar


def _start(event: Any, source: str, where: str) -> date:
    prop = event.get("DTSTART")
    if prop is None:
        raise PlanError(source, where, "missing: every appointment needs a start time")
    try:
        start = prop.dt
    except (AttributeError, ValueError) as exc:
        raise PlanError(source, where, f"cannot be read ({exc})") from None
    if not isinstance(start, date):  # a duration (P1D) or a period
        raise PlanError(source, where, "is not a date and time")
    return start


def _as_datetime(start: date, zone: ZoneInfo) -> datetime:
    """Return a naive local date-time in `zone`; an all-day date counts from its midnight."""
    if not isinstance(start, datetime):
        return datetime.combine(start, datetime.min.time())
    if start.tzinfo is not None:
        return start.astimezone(zone).replace(tzinfo=None)
    return start


def _categories(event: Any) -> tuple[str, ...]:
    raw = event.get("CATEGORIES")
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    out: list[str] = []
    for item in items:
        cats = getattr(item, "cats", None)
        out.extend(str(c) for c in cats) if cats is not None else out.append(str(item))
    return tuple(out)
