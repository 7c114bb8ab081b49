"""Issue 17 through the daemon: a reported problem is recorded, reminded and survives a
restart; a check with a "no" is done with problems; no stale-pump alarm at a bag change;
one thing said at a time."""

from __future__ import annotations

from datetime import time, timedelta

from hub.core.home import PumpLight, PumpState
from hub.core.plan import CarePlan, DailyCheck
from hub.daemon.service import FamilyInput
from tests.daemon.test_service import PLAN, START, Hub, calm


def test_a_reported_wet_dressing_is_stored_reminded_and_survives_a_restart(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.service.hear(FamilyInput("the dressing is wet"))
    hub.run(5)
    (reply,) = [s for _, s in hub.timeline if s.kind == "reply"]
    assert reply.text.startswith("Call 212-639-2000 now") and "wet" in reply.text
    # Raised as an urgent alarm and recorded, but not said back at the family who just told it.
    assert [a.code for a in hub.store.alarms()] == ["reported.dressing_wet"]
    assert hub.said_at("alarm") == []
    hub.run(hub.service.plan.alarms.stopped_repeat_s)
    (remind,) = [s for _, s in hub.timeline if s.kind == "remind"]
    assert "You told me at 12 PM that the dressing is wet. Have you called the care team?" in remind.text
    hub.store.close()

    again = Hub(tmp_path, calm(), start=START + timedelta(hours=1))
    assert [i.code for i in again.service.open_findings] == ["reported.dressing_wet"]
    again.service.hear(FamilyInput("is everything okay"))
    again.run(2)
    answer = [s.text for _, s in again.timeline if s.kind == "reply"][0]
    assert "dressing is wet" in answer and "Everything looks okay" not in answer

    again.service.hear(FamilyInput("we called the care team"))
    again.run(40)
    assert again.service.open_findings == () and again.store.reported_open() == ()
    again.service.hear(FamilyInput("is everything okay"))
    again.run(2)
    assert "Everything looks okay" in [s.text for _, s in again.timeline if s.kind == "reply"][-1]


def test_a_daily_check_with_a_no_is_recorded_as_done_with_problems(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(12, 0), 30.0, 120.0))
    hub = Hub(tmp_path, calm(), plan=plan)
    hub.run(2)
    for answer in ["yes", "no", "yes", "yes", "yes"]:
        hub.service.hear(FamilyInput(answer))
        hub.run(2)
    assert hub.store.daily_check_status(START.date()) == "done_with_problems"
    assert hub.said_at("record", "daily check done with problems")
    assert hub.said_at("check_remind") == [] and hub.said_at("check_missed") == []


def test_no_stale_pump_alarm_while_the_pump_is_away_at_its_bag_change(tmp_path):
    plan = CarePlan(daily_check=PLAN.daily_check, travel_time_min=30, bag_changes=(START + timedelta(minutes=40),))
    away = calm(pump=PumpState(True, PumpLight.UNKNOWN, None, "", None))
    hub = Hub(tmp_path, away, plan=plan)
    hub.run(600)
    assert [a.code for a in hub.store.alarms()] == []


def test_a_pump_unseen_far_from_any_bag_change_is_still_an_alarm(tmp_path):
    away = calm(pump=PumpState(True, PumpLight.UNKNOWN, None, "", None))
    hub = Hub(tmp_path, away)
    hub.run(60)
    assert "pump.stale" in [a.code for a in hub.store.alarms()]


def test_the_daily_check_waits_a_minute_when_a_bag_change_reminder_is_due(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(12, 0), 30.0, 120.0), travel_time_min=30,
                    bag_changes=(START + timedelta(hours=1),))
    hub = Hub(tmp_path, calm(), plan=plan)
    hub.run(90)
    (hour,) = hub.said_at("hour_before")
    (check,) = hub.said_at("check_start")
    assert hour == 0 and check >= 60


def test_the_first_stopped_announcement_never_says_zero_minutes(tmp_path):
    from hub.core.home import InfusionState

    stopped = calm(infusion=InfusionState(True, START), pump=PumpState(True, PumpLight.OFF, False, "", 1.0))
    hub = Hub(tmp_path, stopped)
    hub.run(70)
    said = [s for _, s in hub.timeline if s.kind in ("alarm", "repeat")]
    assert "0 minutes" not in said[0].text
    # One alarm for one situation: the light that is off is part of the stop.
    assert [a.code for a in hub.store.alarms()] == ["infusion.stopped"]
    assert "stopped for 1 minute" in said[-1].text


def test_the_care_team_clears_a_reported_problem_from_the_record(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.service.hear(FamilyInput("the port is swollen"))
    hub.run(3)
    assert hub.service.open_findings
    hub.store.close_reported(START, "care team")  # as `hub findings clear --db` does
    hub.run(40)
    assert hub.service.open_findings == ()
    hub.service.hear(FamilyInput("is everything okay"))
    hub.run(2)
    assert "Everything looks okay" in [s.text for _, s in hub.timeline if s.kind == "reply"][-1]
