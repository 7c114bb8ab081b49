"""Care plans: defaults from the sheet, and bad files refused with one clear line."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.errors import PlanError
from hub.core.plan import CarePlan, load_plan, parse_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "care-plan.toml"


def test_empty_plan_uses_the_sheets_defaults():
    plan = parse_plan({})
    assert plan.care_team.phone == "212-639-2000"
    assert plan.care_team.ask_for == "the pediatric fellow"
    assert "24 hours a day, 7 days a week" in plan.care_team.hours
    assert "PACC" in plan.care_team.place and plan.care_team.city == "Manhattan"
    assert (plan.limits.temperature_min_c, plan.limits.temperature_max_c) == (2.0, 40.0)


def test_shipped_example_plan_loads_with_calendar_appointments():
    plan = load_plan(EXAMPLE)
    assert plan.name == "Sam"
    assert plan.daily_check.time == time(9, 0)
    assert datetime(2026, 11, 25, 10, 0) in plan.bag_changes
    assert datetime(2026, 12, 1, 9, 30) in plan.bag_changes  # from appointments.ics, New York time
    assert datetime(2026, 12, 4, 10, 0) in plan.bag_changes  # 15:00 UTC is 10:00 in New York
    assert list(plan.bag_changes) == sorted(plan.bag_changes)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, field", [
    ('[limits]\ntemperature_max_c = "hot"\n', "limits.temperature_max_c"),
    ("[limits]\ntemperatur_max_c = 40\n", "limits.temperatur_max_c"),
    ('[care_team]\nphone = "202-639-2000"\n', "care_team.phone"),
    ('[care_team]\nphone = "call us"\n', "care_team.phone"),
    ("[limits]\ntemperature_min_c = 45.0\n", "limits"),
    ('[daily_check]\ntime = "nine"\n', "daily_check.time"),
    ("bag_changes = [2026-11-25]\n", "bag_changes[0]"),
    ('bag_changes = ["soon"]\n', "bag_changes[0]"),
    ("[alarms]\nurgent_repeat_s = 600.0\n", "alarms.urgent_repeat_s"),
    ("name = 5\n", "name"),
    ('timezone = "Mars/Olympus"\n', "timezone"),
    ("this is = not toml [\n", "file"),
    ('bag_changes_ics = "missing.ics"\n', "file"),
])
def test_bad_plan_is_refused_naming_file_and_field(tmp_path, text, field):
    path = _write(tmp_path, text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.field == field
    assert message.startswith(str(path) if field != "file" or "ics" not in text else str(tmp_path))


def test_misprinted_area_code_is_refused_with_the_right_number_in_the_message(tmp_path):
    path = _write(tmp_path, '[care_team]\nphone = "(202) 639-2000"\n')
    with pytest.raises(PlanError, match="212-639-2000"):
        load_plan(path)


def test_bad_plan_on_the_command_line_exits_2_with_one_line(tmp_path):
    path = _write(tmp_path, "[limits]\nhumidity_max_pct = 300\n")
    result = subprocess.run([sys.executable, "-m", "hub", "plan", "check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "limits.humidity_max_pct" in lines[0] and str(path) in lines[0]


def test_good_plan_check_says_ok():
    result = subprocess.run([sys.executable, "-m", "hub", "plan", "check", str(EXAMPLE)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "ok" in result.stdout and "212-639-2000" in result.stdout


@given(st.dictionaries(st.text(max_size=12), st.one_of(st.none(), st.booleans(), st.integers(),
                                                       st.floats(), st.text(max_size=12)), max_size=4))
def test_any_top_level_mapping_gives_a_plan_or_a_plan_error(raw):
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        plan = parse_plan(raw)
    except PlanError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(plan, CarePlan)


def test_a_limit_out_of_its_range_names_the_range(tmp_path):
    with pytest.raises(PlanError, match="between 30 and 100") as caught:
        load_plan(_write(tmp_path, "[limits]\nhumidity_max_pct = 300\n"))
    assert caught.value.field == "limits.humidity_max_pct"
    with pytest.raises(PlanError, match="between 60 and 1800 seconds"):
        load_plan(_write(tmp_path, "[alarms]\nvoice_rearm_s = 30\n"))


def test_an_old_plan_with_device_sections_loads_and_says_to_move_them(tmp_path, caplog):
    path = _write(tmp_path, '[voice]\nwake_phrase = "hey pump helper"\n[mqtt]\nenabled = false\n')
    plan = load_plan(path)
    assert plan.device_sections == ("voice", "mqtt")
    assert "settings.toml" in caplog.text and "[voice] and [mqtt]" in caplog.text
    result = subprocess.run([sys.executable, "-m", "hub", "plan", "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "ok" in result.stdout
    assert "note:" in result.stdout and "move them to settings.toml" in result.stdout


def test_plan_check_refuses_an_old_plans_bad_device_section_with_one_line(tmp_path):
    path = _write(tmp_path, '[mqtt]\nport = 70000\n')
    result = subprocess.run([sys.executable, "-m", "hub", "plan", "check", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "mqtt.port" in errors[0] and str(path) in errors[0]


@pytest.mark.parametrize("raw, where", [
    ({"name": "Ava\x1b[2J"}, "name"),
    ({"name": "Ava\x07"}, "name"),
    ({"care_team": {"ask_for": "the fellow\x1b]0;pwned\x07"}}, "care_team.ask_for"),
    ({"care_team": {"place_short": "the PACC\u202e"}}, "care_team.place_short"),
])
def test_escape_and_bell_characters_in_names_are_refused(raw, where):
    with pytest.raises(PlanError, match=f"{where}: has a control character"):
        parse_plan(raw)


@pytest.mark.parametrize("check, problem", [
    ({"remind_after_min": -5}, "remind_after_min: must be between"),
    ({"missed_after_min": -1}, "missed_after_min: must be between"),
    ({"remind_after_min": 200, "missed_after_min": 100}, "remind_after_min must be below missed_after_min"),
])
def test_negative_or_backwards_daily_check_times_are_refused(check, problem):
    with pytest.raises(PlanError, match=problem):
        parse_plan({"daily_check": check})


def test_emergency_number_is_empty_unless_the_care_team_sets_one():
    assert parse_plan({}).care_team.emergency_phone == ""
    assert parse_plan({"care_team": {"emergency_phone": "911"}}).care_team.emergency_phone == "911"


@pytest.mark.parametrize("number", ["call 911", "9", "202-639-2000"])
def test_a_bad_emergency_number_is_refused_naming_the_field(number):
    with pytest.raises(PlanError, match="care_team.emergency_phone"):
        parse_plan({"care_team": {"emergency_phone": number}})
