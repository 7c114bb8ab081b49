"""Tests for hub.core.reminders: the daily check and bag-change reminders come at the right times, once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hub.core.alarms import Priority
from hub.core.plan import CarePlan, DailyCheck
from hub.core.reminders import (
    CheckStatus,
    ReminderKind,
    Sightings,
    bag_change_reminders,
    daily_check_due,
    missed_appointment,
    status_after,
)

PLAN = CarePlan(travel_time_min=45.0, daily_check=DailyCheck(time(9, 0), 30.0, 120.0))
APPT = datetime(2026, 11, 26, 10, 0)


def kinds(now, given=frozenset(), plan=PLAN):
    return [r.kind for r in bag_change_reminders(plan, [APPT], now, given)]


def test_evening_before_the_bag_change_says_tomorrow_and_the_time():
    (reminder,) = bag_change_reminders(PLAN, [APPT], datetime(2026, 11, 25, 18, 0), frozenset())
    assert reminder.kind is ReminderKind.DAY_BEFORE
    assert "tomorrow at 10 AM" in reminder.speech


def test_hour_before_and_time_to_leave_use_the_travel_time():
    assert kinds(datetime(2026, 11, 26, 8, 59)) == []
    assert kinds(datetime(2026, 11, 26, 9, 0)) == [ReminderKind.HOUR_BEFORE]
    assert set(kinds(datetime(2026, 11, 26, 9, 15))) == {ReminderKind.HOUR_BEFORE, ReminderKind.LEAVE}
    leave = bag_change_reminders(PLAN, [APPT], datetime(2026, 11, 26, 9, 15), frozenset())
    assert any(r.kind is ReminderKind.LEAVE and r.priority is Priority.MEDIUM and "Time to leave" in r.speech
               for r in leave)


def test_a_reminder_given_is_not_given_again_after_a_restart():
    first = bag_change_reminders(PLAN, [APPT], datetime(2026, 11, 26, 9, 0), frozenset())
    given = frozenset(r.key for r in first)
    assert bag_change_reminders(PLAN, [APPT], datetime(2026, 11, 26, 9, 1), given) == ()


def test_no_time_to_leave_after_the_appointment_has_begun():
    assert kinds(datetime(2026, 11, 26, 10, 0)) == []


def test_hour_reminder_is_dropped_when_leaving_time_is_the_same():
    plan = CarePlan(travel_time_min=60.0)
    assert kinds(datetime(2026, 11, 26, 9, 0), plan=plan) == [ReminderKind.LEAVE]


def test_unset_clock_gives_no_wall_clock_reminders():
    assert bag_change_reminders(PLAN, [datetime(1970, 1, 2, 10)], datetime(1970, 1, 2, 9, 30), frozenset()) == ()
    assert daily_check_due(PLAN, datetime(1970, 1, 1, 9, 30), None, False) is None


def test_pump_seen_at_home_all_through_the_appointment_is_reported_missed_with_number():
    sightings = Sightings(seen=30)
    assert missed_appointment(PLAN, APPT, APPT + timedelta(minutes=14), sightings, frozenset()) is None
    reminder = missed_appointment(PLAN, APPT, APPT + timedelta(minutes=15), sightings, frozenset())
    assert reminder is not None and reminder.priority is Priority.HIGH
    assert "212-639-2000" in reminder.speech and "202" not in reminder.speech


def test_pump_away_or_unseen_during_the_appointment_is_not_called_missed():
    later = APPT + timedelta(minutes=20)
    assert missed_appointment(PLAN, APPT, later, Sightings(seen=29, not_seen=1), frozenset()) is None
    assert missed_appointment(PLAN, APPT, later, Sightings(), frozenset()) is None


def test_daily_check_starts_at_its_time_reminds_then_is_missed():
    day = datetime(2026, 11, 25)
    assert daily_check_due(PLAN, day.replace(hour=8, minute=59), None, False) is None
    start = daily_check_due(PLAN, day.replace(hour=9), None, False)
    assert start is not None and start.kind is ReminderKind.CHECK_START
    assert status_after(start) is CheckStatus.STARTED
    assert daily_check_due(PLAN, day.replace(hour=9, minute=29), CheckStatus.STARTED, False) is None
    remind = daily_check_due(PLAN, day.replace(hour=9, minute=30), CheckStatus.STARTED, False)
    assert remind is not None and remind.kind is ReminderKind.CHECK_REMIND
    assert daily_check_due(PLAN, day.replace(hour=10), CheckStatus.REMINDED, False) is None
    missed = daily_check_due(PLAN, day.replace(hour=11), CheckStatus.REMINDED, False)
    assert missed is not None and missed.kind is ReminderKind.CHECK_MISSED
    assert status_after(missed) is CheckStatus.MISSED


def test_daily_check_done_or_in_progress_is_left_alone():
    at = datetime(2026, 11, 25, 10, 0)
    assert daily_check_due(PLAN, at, CheckStatus.DONE, False) is None
    assert daily_check_due(PLAN, at, CheckStatus.STARTED, True) is None


def test_hub_started_late_in_the_morning_still_starts_the_check():
    reminder = daily_check_due(PLAN, datetime(2026, 11, 25, 10, 30), None, False)
    assert reminder is not None and reminder.kind is ReminderKind.CHECK_START


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)))
def test_no_bag_change_reminder_is_given_after_the_appointment(now):
    for reminder in bag_change_reminders(PLAN, [APPT], now, frozenset()):
        assert now < APPT
        assert reminder.key.startswith("bag:2026-11-26T10:00")


def test_hub_started_after_the_check_window_says_it_has_no_record_not_that_it_was_missed():
    reminder = daily_check_due(PLAN, datetime(2026, 11, 25, 15, 0), None, False)
    assert reminder is not None and reminder.kind is ReminderKind.CHECK_MISSED
    assert reminder.speech.startswith("I have no record")
