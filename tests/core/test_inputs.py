"""Hostile files get one clear line, never a hang, a traceback or gigabytes of memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.cli import main
from hub.core.inputs import InputRefused, check_nesting, load_yaml
from hub.core.plan import load_plan
from hub.core.scenario import load_scenario
from hub.errors import PlanError, ScenarioError

BILLION_LAUGHS = "\n".join(
    ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
)


def test_yaml_aliases_are_refused_so_a_billion_laughs_cannot_hang_the_hub(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(ScenarioError, match="aliases"):
        load_scenario(path)


def test_deeply_nested_yaml_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("pump: " + "[" * 1000 + "]" * 1000)
    with pytest.raises(ScenarioError, match="nested"):
        load_scenario(path)


def test_a_scenario_that_is_not_a_regular_file_is_refused():
    with pytest.raises(ScenarioError, match="regular file"):
        load_scenario("/dev/zero")


def test_a_calendar_that_never_ends_is_refused(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('bag_changes_ics = "/dev/zero"\n')
    with pytest.raises(PlanError, match="regular file"):
        load_plan(plan)


def test_a_huge_plan_is_refused_before_it_is_parsed(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('timezone = "' + "A" * (1024 * 1024) + '"\n')
    with pytest.raises(PlanError, match="larger than"):
        load_plan(plan)


def test_a_plan_nested_a_thousand_deep_is_one_error(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(PlanError):
        load_plan(plan)


def test_a_five_thousand_digit_number_is_one_error(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text("travel_time_min = " + "9" * 5000 + "\n")
    with pytest.raises(PlanError):
        load_plan(plan)


@pytest.mark.parametrize("dtstart", ["DTSTART;VALUE=DURATION:P1D", "DTSTART;VALUE=PERIOD:20261201T100000Z/PT1H"])
def test_an_appointment_start_that_is_not_a_time_is_one_error(tmp_path, dtstart):
    (tmp_path / "c.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\n" + dtstart + "\r\nSUMMARY:Bag\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n")
    (tmp_path / "plan.toml").write_text('bag_changes_ics = "c.ics"\n')
    with pytest.raises(PlanError):
        load_plan(tmp_path / "plan.toml")


def test_the_cli_says_one_line_and_exits_2_for_a_hostile_scenario(tmp_path, capsys):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS)
    assert main(["ask", "is the pump okay", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0]


@settings(max_examples=50, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=30))
def test_parsed_data_within_the_nesting_limit_passes_and_deeper_is_refused(value):
    try:
        check_nesting(value)
    except InputRefused:
        pytest.fail("shallow data refused")
    wrapped = value
    for _ in range(40):
        wrapped = [wrapped]
    with pytest.raises(InputRefused):
        check_nesting(wrapped)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_yaml_text_parses_or_raises_a_yaml_error(text):
    import yaml

    try:
        load_yaml(text)
    except yaml.YAMLError:
        pass


def test_a_long_time_zone_is_one_short_error_line(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('timezone = "' + "A" * 200_000 + '"\n')
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    assert len(str(caught.value)) < 1000 and "\n" not in str(caught.value)
