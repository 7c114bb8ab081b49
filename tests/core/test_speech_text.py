"""Replies read aloud the way a person would say them."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from hub.core.speech_text import normalize_for_speech, ordinal


def test_phone_number_is_read_digit_by_digit_in_its_groups() -> None:
    assert normalize_for_speech("Call 212-639-2000 now.") == (
        "Call two one two, six three nine, two zero zero zero, now.")


def test_international_and_bracketed_numbers_keep_their_groups() -> None:
    assert normalize_for_speech("+1 (212) 639-2000") == "plus one, two one two, six three nine, two zero zero zero,"


def test_small_numbers_are_not_taken_for_phone_numbers() -> None:
    text = "They answer 24 hours a day, 7 days a week. Rooms 11 12 13."
    assert normalize_for_speech(text) == text


def test_temperatures_keep_their_unit() -> None:
    assert normalize_for_speech("It is 38.5 °C.") == "It is 38.5 degrees Celsius."
    assert normalize_for_speech("Above 104°F") == "Above 104 degrees Fahrenheit"
    assert normalize_for_speech("-2.0 °C") == "minus 2 degrees Celsius"


def test_times_are_said_as_people_say_them() -> None:
    assert normalize_for_speech("at 09:00") == "at 9 AM"
    assert normalize_for_speech("at 14:05") == "at 2 oh 5 PM"
    assert normalize_for_speech("at 3:30 pm") == "at 3 30 PM"
    assert normalize_for_speech("at 12:00 and 00:00") == "at noon and midnight"


def test_dates_and_days_are_said_in_full() -> None:
    assert normalize_for_speech("on 2026-11-25") == "on Wednesday, November 25th"
    assert normalize_for_speech("Mon and Thu.") == "Monday and Thursday"


def test_percent_and_the_pacc() -> None:
    assert normalize_for_speech("humidity 85% at the PACC") == "humidity 85 percent at the pack"


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]


@given(st.from_regex(r"\A[2-9]\d{2}-\d{3}-\d{4}\Z"))
def test_no_digit_of_a_phone_number_is_left_for_the_synthesizer_to_guess(number: str) -> None:
    spoken = normalize_for_speech(f"Call {number} now.")
    assert not re.search(r"\d", spoken)
    assert spoken.count(",") == 3


def test_the_sun_is_not_a_day_of_the_week():
    assert normalize_for_speech("Keep the pump out of the sun. Then sit.") == "Keep the pump out of the sun. Then sit."
    assert normalize_for_speech("We sat down on Wed.") == "We sat down on Wednesday"
