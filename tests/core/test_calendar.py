"""Bag changes imported from clinic calendars (.ics)."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.core.calendar import MAX_OCCURRENCES, BagChangeRule, read_bag_changes, read_calendar
from hub.core.plan import Appointment
from hub.errors import PlanError

NY = ZoneInfo("America/New_York")

HEADER = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
FOOTER = "END:VCALENDAR\r\n"


def _event(lines: str, summary: str = "Blinatumomab bag change", uid: str = "") -> str:
    uid = uid or f"{zlib.crc32((lines + summary).encode())}@y"  # the same in every test worker
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T120000Z\r\nSUMMARY:{summary}\r\n"
            + lines + "END:VEVENT\r\n")


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
    (_event("", summary="no start"), "VEVENT[0].DTSTART"),
    (_event("DTSTART:20261204T150000Z\r\n") + _event("LOCATION:x\r\n"), "VEVENT[1].DTSTART"),
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


def test_a_weekly_rule_gives_every_occurrence_except_the_excluded_one(tmp_path):
    path = _ics(tmp_path, _event("DTSTART;TZID=America/New_York:20261201T093000\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
                                 "EXDATE;TZID=America/New_York:20261215T093000\r\n"))
    assert read_bag_changes(path, zone=NY) == tuple(
        datetime(2026, 12, 1, 9, 30) + timedelta(weeks=w) for w in (0, 1, 3, 4, 5))


def test_a_moved_occurrence_is_at_its_new_time(tmp_path):
    body = (_event("DTSTART:20261201T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\n", uid="s@y")
            + _event("RECURRENCE-ID:20261202T100000\r\nDTSTART:20261202T140000\r\n", uid="s@y"))
    assert read_bag_changes(_ics(tmp_path, body), zone=NY) == (
        datetime(2026, 12, 1, 10), datetime(2026, 12, 2, 14), datetime(2026, 12, 3, 10))


def test_other_appointments_are_kept_by_name_and_never_made_bag_changes(tmp_path):
    body = (_event("DTSTART:20261201T100000\r\n")
            + _event("DTSTART:20261202T090000\r\n", summary="Lab draw (CBC)")
            + _event("DTSTART:20261203T090000\r\nCATEGORIES:BAG CHANGE\r\n", summary="Pump visit"))
    read = read_calendar(_ics(tmp_path, body), zone=NY)
    assert read.bag_changes == (datetime(2026, 12, 1, 10), datetime(2026, 12, 3, 9))
    assert read.appointments == (Appointment(datetime(2026, 12, 2, 9), "Lab draw (CBC)"),)


def test_the_plan_names_which_events_are_bag_changes(tmp_path):
    body = _event("DTSTART:20261201T100000\r\n", summary="Infusion visit") + _event(
        "DTSTART:20261202T100000\r\n")
    read = read_calendar(_ics(tmp_path, body), zone=NY, rule=BagChangeRule(("infusion visit",)))
    assert read.bag_changes == (datetime(2026, 12, 1, 10),)
    assert [a.summary for a in read.appointments] == ["Blinatumomab bag change"]


def test_an_all_day_event_is_skipped_with_a_note_and_the_rest_is_read(tmp_path):
    body = _event("DTSTART;VALUE=DATE:20261225\r\n", summary="Clinic closed") + _event(
        "DTSTART:20261201T100000\r\n")
    read = read_calendar(_ics(tmp_path, body), zone=NY)
    assert read.bag_changes == (datetime(2026, 12, 1, 10),)
    assert len(read.notes) == 1 and "Clinic closed" in read.notes[0] and "all-day" in read.notes[0]


def test_an_endless_rule_cannot_crowd_out_the_other_events(tmp_path):
    body = (_event("DTSTART:20261201T000000\r\nRRULE:FREQ=MINUTELY\r\n", summary="noise")
            + _event("DTSTART:20261208T100000\r\n"))
    read = read_calendar(_ics(tmp_path, body), zone=NY)
    assert read.bag_changes == (datetime(2026, 12, 8, 10),)
    assert len(read.appointments) == MAX_OCCURRENCES and read.notes
