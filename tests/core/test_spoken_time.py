"""Clock times and durations are said one way everywhere: "2:30 PM", "1 hour and 5 minutes"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hub.core import phrases
from hub.core.plan import CarePlan
from hub.core.reminders import bag_change_reminders


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1)))
def test_a_clock_time_is_said_as_a_person_says_it(at: datetime) -> None:
    said = phrases.spoken_clock(at)
    assert re.fullmatch(r"(1[0-2]|[1-9])(:[0-5][0-9])? (AM|PM)", said)
    assert said.endswith("AM") == (at.hour < 12)
    assert (":" in said) == (at.minute != 0)


def test_noon_midnight_and_half_past_are_said_plainly() -> None:
    assert phrases.spoken_clock(datetime(2026, 11, 25, 12, 0)) == "12 PM"
    assert phrases.spoken_clock(datetime(2026, 11, 25, 0, 0)) == "12 AM"
    assert phrases.spoken_clock(datetime(2026, 11, 25, 14, 30)) == "2:30 PM"
    assert phrases.spoken_clock(datetime(2026, 11, 25, 9, 5)) == "9:05 AM"


def test_durations_are_said_in_hours_and_minutes() -> None:
    assert phrases.spoken_duration(0) == "0 minutes"
    assert phrases.spoken_duration(1) == "1 minute"
    assert phrases.spoken_duration(60) == "1 hour"
    assert phrases.spoken_duration(125) == "2 hours and 5 minutes"
    assert phrases.stopped_for(61) == "It has been stopped for 1 hour and 1 minute."


def test_reminders_and_answers_say_the_same_clock_time() -> None:
    at = datetime(2026, 11, 25, 14, 30)
    now = at - timedelta(minutes=55)
    reminders = bag_change_reminders(CarePlan(travel_time_min=30), [at], now, frozenset())
    assert reminders and all("2:30 PM" in r.speech for r in reminders)
    assert "2:30 PM" in phrases.next_bag_change(at, now)
