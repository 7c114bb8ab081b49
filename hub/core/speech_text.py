"""Text normalization for speech: how a person would read a reply aloud.

A parent writes the phone number down while listening, so it is read digit by digit
in its groups, with a pause between groups. Temperatures keep their unit, times and
dates are said the way people say them, not as the synthesizer would guess.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from hub.core.wrong_number import guard_speech

_LOGGER = logging.getLogger(__name__)

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "tues": "Tuesday", "wed": "Wednesday",
             "thu": "Thursday", "thur": "Thursday", "thurs": "Thursday", "fri": "Friday",
             "sat": "Saturday", "sun": "Sunday"}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Said as a word at the hospital ("the pack"), not spelled out.
SPOKEN_WORDS = {"PACC": "pack"}

_PHONE = re.compile(r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[ .-]\(?\d{2,4}\)?){1,4}(?![\w])")
_TEMPERATURE = re.compile(r"(-?\d+(?:\.\d+)?)\s*°\s*([CF])\b")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})(?:\s*([AaPp])\.?\s*[Mm]\.?)?(?!\d)")
# Capitalised only: "Sun." on a calendar is Sunday, but "out of the sun" is the sun (and
# "sat", "wed" are words too); matched without case, the hub said "out of the Sunday".
_DAY = re.compile(r"\b(" + "|".join(name.capitalize() for name in DAY_NAMES) + r")\b\.?")
_WORD = re.compile(r"\b(" + "|".join(SPOKEN_WORDS) + r")\b")


def normalize_for_speech(text: str) -> str:
    """Return `text` as it should be spoken: numbers, units, times and dates in words a person uses.

    Whatever the text, the sheet's misprinted number is not among the words (checked before
    and after the numbers become words)."""
    text = guard_speech(text)
    text = _WORD.sub(lambda m: SPOKEN_WORDS[m.group(1)], text)
    text = _ISO_DATE.sub(_say_date, text)
    text = _TIME.sub(_say_time, text)
    text = _PHONE.sub(_say_phone, text)
    text = _TEMPERATURE.sub(_say_temperature, text)
    text = _PERCENT.sub(lambda m: f"{m.group(1)} percent", text)
    text = _DAY.sub(lambda m: DAY_NAMES[m.group(1).lower()], text)
    return guard_speech(text)


def say_digits(digits: str) -> str:
    """Return each digit as a word: "212" -> "two one two"."""
    return " ".join(DIGIT_WORDS[int(d)] for d in digits if d.isdigit())


def _say_phone(match: re.Match[str]) -> str:
    raw = match.group(0)
    groups = [g for g in re.split(r"[^\d]+", raw) if g]
    # Not a phone number: "24 hours", "11 12 13". Phone numbers have 7+ digits in long groups.
    if sum(len(g) for g in groups) < 7 or sum(len(g) >= 3 for g in groups) < 2:
        return raw
    spoken = ", ".join(say_digits(g) for g in groups)
    return ("plus " if raw.startswith("+") else "") + spoken + ","


def _say_temperature(match: re.Match[str]) -> str:
    unit = "degrees Celsius" if match.group(2) == "C" else "degrees Fahrenheit"
    value = match.group(1)
    value = value.removesuffix(".0")
    if value.startswith("-"):
        value = "minus " + value[1:]
    return f"{value} {unit}"


def _say_time(match: re.Match[str]) -> str:
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if hour > 23 or minute > 59:
        return match.group(0)
    if half is None:
        if (hour, minute) == (0, 0):
            return "midnight"
        if (hour, minute) == (12, 0):
            return "noon"
        half = "p" if hour >= 12 else "a"
        hour = hour % 12 or 12
    suffix = "PM" if half.lower() == "p" else "AM"
    if minute == 0:
        return f"{hour} {suffix}"
    spoken_minute = f"oh {minute}" if minute < 10 else str(minute)
    return f"{hour} {spoken_minute} {suffix}"


def _say_date(match: re.Match[str]) -> str:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    return f"{day.strftime('%A')}, {MONTH_NAMES[day.month - 1]} {ordinal(day.day)}"


def ordinal(number: int) -> str:
    """Return 1 -> "1st", 22 -> "22nd", 13 -> "13th", as people say dates."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
