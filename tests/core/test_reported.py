"""Problems the family reported: how they are named, how serious they are, never all ok."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from hub.core.assessment import assess
from hub.core.codes import Code
from hub.core.plan import CarePlan
from hub.core.reported import KINDS, OpenFinding, add, finding_for, severity_of, with_reported
from hub.core.severity import Severity
from tests.builders import NOW, calm_home


def test_an_open_finding_says_when_and_what_and_asks_about_the_call():
    found = finding_for(OpenFinding(Code.REPORTED_DRESSING_WET, NOW.replace(hour=9, minute=5)), CarePlan(), NOW)
    assert found.says == "You told me at 9:05 AM that the dressing is wet."
    assert "Have you called the care team?" in found.speech and "212-639-2000" in found.speech


def test_yesterdays_report_says_yesterday():
    found = finding_for(OpenFinding(Code.REPORTED_PORT_PAIN, NOW - timedelta(days=1)), CarePlan(), NOW)
    assert found.says.startswith("You told me yesterday at")


def test_a_reported_blue_light_is_a_warning_like_a_seen_one_and_red_is_urgent():
    assert severity_of(OpenFinding(Code.REPORTED_PUMP_LIGHT, NOW, "blue")) is Severity.WARNING
    assert severity_of(OpenFinding(Code.REPORTED_PUMP_LIGHT, NOW, "red")) is Severity.URGENT
    assert severity_of(OpenFinding(Code.REPORTED_PUMP_LIGHT, NOW)) is Severity.URGENT


def test_the_same_problem_told_twice_keeps_its_first_time():
    first = OpenFinding(Code.REPORTED_LEAKING, NOW)
    assert add((first,), OpenFinding(Code.REPORTED_LEAKING, NOW + timedelta(hours=1))) == (first,)


@given(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=5))
def test_never_all_ok_while_anything_reported_is_open(codes):
    items = tuple(OpenFinding(code, datetime(2026, 11, 24, 8)) for code in codes)
    assessment = with_reported(assess(CarePlan(), calm_home(), NOW), items, CarePlan(), NOW)
    assert not assessment.is_all_ok and assessment.severity.rank >= Severity.WARNING.rank
