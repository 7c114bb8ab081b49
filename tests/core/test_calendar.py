"""Bag changes imported from clinic calendars (.ics)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hub.core.calendar import read_bag_changes
from hub.errors import PlanError

NY = ZoneInfo("America/New_York")

HEADER = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
FOOTER = "END:VCALENDAR\r\n"


def _event(lines: str) -> str:
    return "BEGIN:VEVENT\r\nUID:x@y\r\nDTSTAMP:20261120T120000Z\r\n" + lines + "END:VEVENT\r\n"


def _ics(tmp_path, body: str):
    path = tmp_path / "cal.ics"
    path.write_text(HEADER + body + FOOTER, encoding="utf-8")
    return path


def test_utc_floating_and_zoned_times_become_home_local_times(tmp_path):
    path = _ics(tmp_path, _event("DTSTART:20261204T150000Z\r\n")
                + _event("DTSTART:20261205T100000\r\n")
                + _event("DTSTART;TZID=Europe/London:20261206T150000\r\n"))
    assert read_bag_changes(path, zone=NY) == (
        datetime(2026, 12, 4, 10, 0), datetime(2026, 12, 5, 10, 0), datetime(2026, 12, 6, 10, 0))


def test_cancelled_appointments_are_left_out(tmp_path):
    path = _ics(tmp_path, _event("DTSTART:20261204T150000Z\r\nSTATUS:CANCELLED\r\n"))
    assert read_bag_changes(path, zone=NY) == ()


@pytest.mark.parametrize("body, field", [
    (_event("DTSTART;VALUE=DATE:20261204\r\n"), "VEVENT[0].DTSTART"),
    (_event("SUMMARY:no start\r\n"), "VEVENT[0].DTSTART"),
])
def test_bad_events_are_refused_naming_the_event(tmp_path, body, field):
    with pytest.raises(PlanError) as caught:
        read_bag_changes(_ics(tmp_path, body), zone=NY)
    assert caught.value.field == field


def test_a_file_that_is_not_a_calendar_is_refused(tmp_path):
    path = tmp_path / "cal.ics"
    path.write_text("hello, this is not a calendar", encoding="utf-8")
    with pytest.raises(PlanError, match="iCalendar"):
        read_bag_changes(path, zone=NY)
