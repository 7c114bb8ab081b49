"""End-to-end: the simulated week through the real daemon; what the family hears and when."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hub.core.phrases import ALL_OK
from hub.store.record import EventStore
from hub.sim.week import WEEK_START, run_week


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    return run_week(7, db_path=tmp_path_factory.mktemp("week") / "week.db")


def at(day: int, hhmmss: str) -> datetime:
    h, m, s = (int(x) for x in (hhmmss + ":00")[:8].split(":"))
    return datetime.combine(WEEK_START.date() + timedelta(days=day), datetime.min.time()).replace(
        hour=h, minute=m, second=s)


def times(week, kind: str, contains: str = "") -> list[datetime]:
    return [s.at for s in week.timeline if s.kind == kind and contains in s.text]


pytestmark = pytest.mark.slow


def test_pump_alarm_is_announced_repeated_each_minute_escalated_then_acknowledged(week):
    assert times(week, "alarm", "beeping") == [at(0, "14:00")]
    assert times(week, "repeat", "beeping") == [at(0, "14:01"), at(0, "14:02")]
    assert times(week, "escalate", "beeping") == [at(0, "14:03")]
    assert at(0, "14:04") in times(week, "ack:voice")
    # Acknowledged by voice, and still beeping five minutes later: said again, until the button.
    assert times(week, "remind", "beeping") == [at(0, "14:09")]
    assert at(0, "14:09:30") in times(week, "ack:button")


def test_hot_afternoon_by_a_window_warns_after_two_minutes_and_repeats_at_five(week):
    assert times(week, "alarm", "too hot") == [at(1, "15:02")]
    assert times(week, "alarm", "sunlight") == [at(1, "15:02")]
    assert times(week, "repeat", "too hot") == [at(1, "15:07")]


def test_shower_steam_warns_less_often_the_longer_it_lasts_and_ends_when_it_clears(week):
    assert times(week, "alarm", "damp") == [at(2, "07:31")]
    # 5 then 10 minutes: not 4 times in 20 minutes (issue 17).
    assert times(week, "repeat", "damp") == [at(2, "07:36"), at(2, "07:46")]
    assert at(2, "07:50:30") in times(week, "end", "room.steam")


def test_unanswered_daily_check_is_reminded_then_recorded_missed(week):
    assert at(1, "09:00") in times(week, "check_start")
    assert times(week, "check_remind") == [at(1, "09:30")]
    assert times(week, "check_missed") == [at(1, "11:00")]
    with EventStore(week.db_path) as store:
        assert store.daily_check_status(at(1, "0:00").date()) == "missed"
        assert store.daily_check_status(at(0, "0:00").date()) == "done"


def test_both_bag_changes_get_evening_hour_and_leave_reminders(week):
    assert times(week, "day_before") == [at(1, "18:00"), at(3, "18:00")]
    assert times(week, "hour_before") == [at(2, "09:00"), at(4, "13:00")]
    assert times(week, "leave") == [at(2, "09:15"), at(4, "13:15")]


def test_missed_bag_change_is_reported_urgently_but_the_attended_one_is_not(week):
    missed = [s for s in week.timeline if s.kind == "alarm" and "may have been missed" in s.text]
    assert [s.at for s in missed] == [at(4, "14:15:05")]
    assert "2 PM" in missed[0].text and "212-639-2000" in missed[0].text


def test_unplugged_bridge_is_a_warning_within_a_minute_and_repeats(week):
    assert times(week, "alarm", "pump monitor") == [at(3, "13:00:30")]
    assert times(week, "repeat", "pump monitor") == [at(3, "13:05:30")]


def test_a_stopped_infusion_is_one_alarm_and_after_we_called_is_reminded_calmly_every_half_hour(week):
    stop = at(5, "10:00")
    sat = [s for s in week.timeline if stop <= s.at <= at(5, "15:05")]
    started = [s for s in sat if s.kind == "alarm"]
    assert [s.at for s in started] == [stop, at(5, "14:00:05")]  # the stop, then the 4-hour point
    assert "stopped for 0 minutes" not in started[0].text and "light is off" not in started[0].text
    handled = [s for s in sat if s.kind == "reply" and s.at == at(5, "10:04")]
    assert handled and "remind you every 30 minutes" in handled[0].text
    reminders = [s for s in sat if s.kind == "remind" and s.at < at(5, "14:00")]
    assert [s.at for s in reminders] == [at(5, "10:04") + timedelta(minutes=30 * n) for n in range(1, 8)]
    assert all("212-639-2000" not in s.text and "still stopped" in s.text for s in reminders)
    assert "more than 4 hours" in started[1].text and "212-639-2000" in started[1].text
    # Issue 17: 146 announcements in those 5 hours before; now a handful.
    assert len([s for s in sat if s.kind in ("alarm", "repeat", "remind", "escalate")]) <= 12


def test_no_stale_pump_alarm_while_the_pump_is_away_at_the_attended_bag_change(week):
    assert not [s for s in week.timeline if s.kind == "alarm" and at(2, "09:00") <= s.at <= at(2, "13:00")]


def test_the_daily_check_never_starts_in_the_same_minute_as_a_bag_change_reminder(week):
    reminders = {s.at.replace(second=0) for s in week.timeline if s.kind in ("day_before", "hour_before", "leave")}
    assert not [s for s in week.timeline if s.kind == "check_start" and s.at.replace(second=0) in reminders]
    assert at(2, "09:01") in times(week, "check_start")


def test_lost_room_sensor_is_said_as_unknown(week):
    assert times(week, "alarm", "can't read the temperature") == [at(6, "16:01")]


def test_nothing_is_ever_volunteered_as_all_okay(week):
    assert not [s for s in week.timeline if ALL_OK in s.text]
    assert not [s for s in week.timeline if s.kind not in ("reply",) and "okay" in s.text.lower()
                and "okay, i heard you" not in s.text.lower()]


def test_every_alarm_heard_is_in_the_record_with_its_acknowledgement(week):
    with EventStore(week.db_path) as store:
        assert store.integrity_check() == "ok"
        logged = store.alarms()
    assert len(logged) == len(times(week, "alarm"))
    assert all(a.ended_at is not None for a in logged)
    # urgent alarms latch: none ended without being acknowledged
    assert all(a.acknowledged_at is not None for a in logged if a.priority == "high")
    assert [a.code for a in logged if a.acknowledged_at is None] == ["room.steam"]


def test_memory_stays_flat_over_the_week(week):
    assert week.rss_end_kb - week.rss_after_day_kb < 2 * 1024


def test_a_check_with_a_not_sure_is_done_with_problems_in_the_record_and_the_timeline(week):
    thursday = [s for s in week.timeline if at(3, "09:05") <= s.at <= at(3, "09:07")]
    assert any("The pump monitor sees a green, blinking light." in s.text for s in thursday)
    assert any(s.kind == "record" and "done with problems" in s.text for s in thursday)
    with EventStore(week.db_path) as store:
        assert store.daily_check_status(at(3, "0:00").date()) == "done_with_problems"
        assert store.daily_check_status(at(2, "0:00").date()) == "done"
