"""When the hub speaks up unasked: the daily check and bag-change reminders.

Pure scheduling. Every function takes the plan, the local wall-clock time and what has
already been done, and returns what is due now, so a restart (or a late time sync)
neither repeats a reminder nor skips one that is still useful. The service records each
`Reminder.key` it gives in the event log and passes them back in as `given`.

Why these times (take-home sheet, "Make sure the infusion is not delayed or stopped":
"It is very important to be on time for these appointments"):
- the evening before, so the family can plan the day;
- an hour before, and when it is time to leave (the plan's `travel_time_min`); the hour
  reminder is dropped when leaving time is within 10 minutes of it, to say it once;
- after the appointment, if the pump was seen at home throughout it, the bag change was
  probably missed: that is reported, with the care team's number.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import Enum

from hub.core import local_time
from hub.core.alarms import Priority
from hub.core.codes import Code
from hub.core import phrases
from hub.core.phrases import spoken_clock
from hub.core.plan import APPOINTMENT_YEARS, CarePlan

_LOGGER = logging.getLogger(__name__)

DAY_BEFORE_AT = time(18, 0)
# The window around an appointment in which the pump being at home means it was missed.
MISSED_WINDOW = timedelta(minutes=15)
# Before this year the clock has not been set (no RTC, no time sync yet), after the last it
# is corrupt: wall-clock reminders would fire at the wrong moment, so none is given.
EARLIEST_PLAUSIBLE_YEAR, LATEST_PLAUSIBLE_YEAR = local_time.EARLIEST_PLAUSIBLE_YEAR, local_time.LATEST_PLAUSIBLE_YEAR


class ReminderKind(str, Enum):
    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"
    LEAVE = "leave"
    MISSED_APPOINTMENT = "missed_appointment"
    CHECK_START = "check_start"
    CHECK_REMIND = "check_remind"
    CHECK_MISSED = "check_missed"


class CheckStatus(str, Enum):
    """The daily check's state for one day, as the event log keeps it."""

    STARTED = "started"
    REMINDED = "reminded"
    DONE = "done"
    DONE_WITH_PROBLEMS = "done_with_problems"  # answered to the end, with a "no" or "not sure"
    MISSED = "missed"


@dataclass(frozen=True)
class Reminder:
    """Something to say now. `key` is unique per occasion, so it is said once."""

    key: str
    kind: ReminderKind
    speech: str
    priority: Priority = Priority.LOW


@dataclass(frozen=True)
class Sightings:
    """How often the pump was, and was not, seen at home during an appointment's window."""

    seen: int = 0
    not_seen: int = 0

    def add(self, is_seen: bool) -> Sightings:
        return Sightings(self.seen + is_seen, self.not_seen + (not is_seen))


def is_clock_plausible(now: datetime) -> bool:
    """Return False when the wall clock cannot be the real date (see EARLIEST_PLAUSIBLE_YEAR)."""
    return local_time.is_plausible_date(now)


def is_schedulable(at: datetime) -> bool:
    """True for an appointment the reminders can work with (see APPOINTMENT_YEARS); others,
    from a scenario or a calendar typo, would overflow date arithmetic and are left out."""
    low, high = APPOINTMENT_YEARS
    return low <= at.year <= high


def bag_change_reminders(plan: CarePlan, appointments: Iterable[datetime], now: datetime,
                         given: frozenset[str]) -> tuple[Reminder, ...]:
    """Return the bag-change reminders due at `now` that have not been given yet."""
    if not is_clock_plausible(now):
        return ()
    due = []
    travel = timedelta(minutes=plan.travel_time_min)
    for at in sorted(a for a in set(appointments) if is_schedulable(a)):
        if not at - timedelta(days=2) <= now < at:
            continue  # every window opens at most two days before and closes at the appointment
        leave_at = at - travel
        hour_at = at - timedelta(hours=1)
        windows = [
            (ReminderKind.DAY_BEFORE, datetime.combine(at.date() - timedelta(days=1), DAY_BEFORE_AT),
             at - timedelta(hours=3)),
            (ReminderKind.LEAVE, leave_at, at),
        ]
        if hour_at < leave_at - timedelta(minutes=10):
            windows.append((ReminderKind.HOUR_BEFORE, hour_at, at))
        for kind, start, end in windows:
            if not start <= now < end:
                continue
            key = f"bag:{at.isoformat(timespec='minutes')}:{kind.value}"
            if key not in given:
                due.append(Reminder(key, kind, BAG_SPEECH[kind](plan, at, now),
                                    Priority.MEDIUM if kind is ReminderKind.LEAVE else Priority.LOW))
    return tuple(due)


def missed_appointment(plan: CarePlan, at: datetime, now: datetime, sightings: Sightings,
                       given: frozenset[str]) -> Reminder | None:
    """Return the missed-appointment report for `at`, once its window has passed.

    Only positive evidence counts: the pump seen at home at every look in the window. If
    it was away or unseen even once, the family may have gone, and nothing is claimed.
    """
    key = f"bag:{at.isoformat(timespec='minutes')}:{ReminderKind.MISSED_APPOINTMENT.value}"
    if key in given or now < at + MISSED_WINDOW or sightings.seen == 0 or sightings.not_seen:
        return None
    speech = (f"The pump was here at home during the {spoken_clock(at)} bag change, so it may have been missed. "
              f"{phrases.call_now(plan)}")
    return Reminder(key, ReminderKind.MISSED_APPOINTMENT, speech, Priority.HIGH)


# While the pump is away at its bag change, the hub expects no reading from it: these
# alarms would only say what the family already knows (the pump is with them).
AWAY_QUIET_CODES = frozenset({Code.PUMP_STALE, Code.PUMP_UNKNOWN, Code.PUMP_LIGHT_UNKNOWN, Code.PUMP_BEEP_UNKNOWN})
# How long after the appointment the pump may still be away: the visit itself, and the
# way home (the plan's travel time is added).
AWAY_AFTER = timedelta(hours=2)
AWAY_BEFORE_LEAVING = timedelta(minutes=30)


def is_pump_away_expected(plan: CarePlan, appointments: Iterable[datetime], now: datetime) -> bool:
    """True while a scheduled bag change may have the pump away from home: from a little
    before leaving time until the visit and the way home are over."""
    travel = timedelta(minutes=plan.travel_time_min)
    return any(at - travel - AWAY_BEFORE_LEAVING <= now <= at + AWAY_AFTER + travel
               for at in appointments if is_schedulable(at))


def is_in_missed_window(at: datetime, now: datetime) -> bool:
    """True while `now` is within the window where the pump's presence is watched for `at`."""
    return at - MISSED_WINDOW <= now < at + MISSED_WINDOW


def daily_check_due(plan: CarePlan, now: datetime, status: CheckStatus | None,
                    is_in_progress: bool) -> Reminder | None:
    """Return what the daily check needs now: start it, remind, or record it missed.

    While the family is answering (`is_in_progress`) nothing interrupts them.
    """
    if not is_clock_plausible(now) or is_in_progress \
            or status in (CheckStatus.DONE, CheckStatus.DONE_WITH_PROBLEMS, CheckStatus.MISSED):
        return None
    start = datetime.combine(now.date(), plan.daily_check.time)
    if now < start:
        return None
    day = now.date().isoformat()
    if now >= start + timedelta(minutes=plan.daily_check.missed_after_min):
        # A hub started after the check's window cannot know it was missed, only unrecorded.
        opening = "Today's daily check was missed." if status else "I have no record of today's daily check."
        return Reminder(f"check:{day}:missed", ReminderKind.CHECK_MISSED,
                        f"{opening} When you can, check that the pump light is green and "
                        "blinking and that the line connections are secure.", Priority.MEDIUM)
    if status is None:
        return Reminder(f"check:{day}:start", ReminderKind.CHECK_START, "It's time for the daily check.")
    if status is CheckStatus.STARTED and now >= start + timedelta(minutes=plan.daily_check.remind_after_min):
        return Reminder(f"check:{day}:remind", ReminderKind.CHECK_REMIND,
                        "The daily check is still waiting.", Priority.MEDIUM)
    return None


def status_after(reminder: Reminder) -> CheckStatus | None:
    """Return the daily-check status to record once `reminder` has been given."""
    return {
        ReminderKind.CHECK_START: CheckStatus.STARTED,
        ReminderKind.CHECK_REMIND: CheckStatus.REMINDED,
        ReminderKind.CHECK_MISSED: CheckStatus.MISSED,
    }.get(reminder.kind)


def _day_word(at: datetime, now: datetime) -> str:
    days = (at.date() - now.date()).days
    return {0: "today", 1: "tomorrow"}.get(days, f"on {at:%A}")


def _day_before(plan: CarePlan, at: datetime, now: datetime) -> str:
    return (f"Reminder: the bag change for the medicine pump is {_day_word(at, now)} at {spoken_clock(at)} "
            f"at {phrases.place(plan)}. Please be on time.")


def _hour_before(plan: CarePlan, at: datetime, now: datetime) -> str:
    return f"The bag change is in about an hour, at {spoken_clock(at)}."


def _leave(plan: CarePlan, at: datetime, now: datetime) -> str:
    return (f"Time to leave for the {spoken_clock(at)} bag change at {phrases.place(plan)}. "
            "Take the pump backpack.")


BAG_SPEECH = {
    ReminderKind.DAY_BEFORE: _day_before,
    ReminderKind.HOUR_BEFORE: _hour_before,
    ReminderKind.LEAVE: _leave,
}
