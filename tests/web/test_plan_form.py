"""The Plan form reads back exactly the plan it shows, and refuses what `hub plan check` refuses."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from hub.core.plan import CarePlan, Limits, load_plan
from hub.web.plan_form import FIELDS, SECTIONS, check, plan_values, read_form


def test_every_plan_field_has_an_input() -> None:
    keys = {f.key for f in FIELDS}
    assert {"name", "timezone", "travel_time_min", "bag_changes", "care_team.phone", "limits.humidity_max_pct",
            "daily_check.time", "alarms.voice_rearm_s"} <= keys
    for section in SECTIONS:
        assert {f"{section}.{f.name}" for f in fields(getattr(CarePlan(), section))} <= keys


def test_example_plan_round_trips_through_the_form() -> None:
    plan = load_plan("examples/care-plan.toml")
    raw, errors = read_form(plan_values(plan))
    same, problems = check(raw, plan.source)
    assert errors == {} and problems == {} and same == plan


@given(st.floats(min_value=-20, max_value=59, allow_nan=False), st.floats(min_value=30, max_value=100),
       st.lists(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)), max_size=5))
def test_any_valid_plan_round_trips(low: float, humidity: float, bags: list[datetime]) -> None:
    plan = CarePlan(limits=Limits(temperature_min_c=round(low, 1), temperature_max_c=60.0,
                                  humidity_max_pct=round(humidity, 1)),
                    bag_changes=tuple(sorted({b.replace(second=0, microsecond=0) for b in bags})), source="x")
    raw, errors = read_form(plan_values(plan))
    same, problems = check(raw, "x")
    assert errors == {} and problems == {} and same == plan


def test_wrong_values_get_one_line_each_beside_their_field() -> None:
    values = plan_values(CarePlan())
    values.update({"limits.humidity_max_pct": "very", "bag_changes": "2026-11-25 10:00\nnext tuesday",
                   "daily_check.remind_after_min": "half an hour"})
    _, errors = read_form(values)
    assert errors == {"limits.humidity_max_pct": "'very' is not a number",
                      "bag_changes": "line 2: 'next tuesday' is not a date and time like 2026-11-25 10:00",
                      "daily_check.remind_after_min": "'half an hour' is not a number"}


def test_misprinted_number_is_refused_beside_the_phone_field() -> None:
    values = plan_values(CarePlan())
    values["care_team.phone"] = "202-639-" + "2000"
    raw, _ = read_form(values)
    plan, errors = check(raw, "the form")
    assert plan is None and list(errors) == ["care_team.phone"] and "misprinted" in errors["care_team.phone"]


def test_every_bad_field_is_reported_at_once() -> None:
    values = plan_values(CarePlan())
    values.update({"care_team.phone": "call us", "limits.humidity_max_pct": "101", "alarms.urgent_repeat_s": "1",
                   "timezone": "Mars/Olympus"})
    raw, errors = read_form(values)
    plan, problems = check(raw, "the form", CarePlan())
    assert plan is None and errors == {}
    assert set(problems) == {"care_team.phone", "limits.humidity_max_pct", "alarms.urgent_repeat_s", "timezone"}
