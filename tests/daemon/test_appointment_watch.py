"""Appointment watching: a pump seen at home through a bag change is reported once, with the number."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.core.home import HomeState, PumpLight, PumpState
from hub.core.plan import CarePlan
from hub.core.reminders import MISSED_WINDOW
from hub.daemon.appointment_watch import AppointmentWatch

PLAN = CarePlan()
AT = datetime(2026, 11, 25, 10, 0)
HOME = HomeState(pump=PumpState(True, PumpLight.GREEN_BLINKING, False, "", 1.0))


def _walk(watch: AppointmentWatch, home: HomeState, given: frozenset[str] = frozenset()) -> list:
    reported = []
    wall = AT - MISSED_WINDOW
    while wall <= AT + MISSED_WINDOW + timedelta(minutes=2):
        for reminder in watch.watch(PLAN, [AT], home, wall, given):
            reported.append(reminder)
            given = given | {reminder.key}
        wall += timedelta(minutes=1)
    return reported


def test_a_pump_at_home_all_through_a_bag_change_is_reported_once_with_the_number() -> None:
    watch = AppointmentWatch()
    reported = _walk(watch, HOME)
    assert len(reported) == 1 and "212-639-2000" in reported[0].speech and "10 AM" in reported[0].speech
    assert watch.sightings == {}  # forgotten once the window has passed


def test_a_pump_never_seen_claims_nothing() -> None:
    assert _walk(AppointmentWatch(), HomeState()) == []
