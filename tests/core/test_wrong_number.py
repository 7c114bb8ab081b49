"""The sheet's misprinted number (202 for 212) is never said, whatever its source or spacing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.assessment import MAX_SCREEN_CHARS, assess
from hub.core.home import PumpLight, PumpState
from hub.core.plan import parse_plan
from hub.core.replies import Reply
from hub.core.severity import Severity
from hub.core.speech_text import normalize_for_speech
from hub.core.wrong_number import SAFE_WORDS, guard_speech, has_wrong_number
from hub.errors import PlanError
from tests.builders import NOW, calm_home

WRONG = "202-639-2000"  # tests may spell it; nothing outside tests/ does
WRONG_DIGITS = "2026392000"
WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
         "7": "seven", "8": "eight", "9": "nine"}


def digits_said(text: str) -> str:
    """Every digit in `text`, written or spoken, in order, with everything else dropped."""
    spoken = re.sub(r"\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\b",
                    lambda m: {"oh": "0", **{w: d for d, w in WORDS.items()}}[m.group(1).lower()], text,
                    flags=re.IGNORECASE)
    return "".join(ch for ch in spoken if ch.isdigit())


@pytest.mark.parametrize("phone", ["202-639-2000 1", "0 202 639 2000 0", "+1 (202) 639-2000", "1-202-639-2000"])
def test_plan_with_the_misprint_inside_a_longer_phone_is_refused(phone):
    with pytest.raises(PlanError, match="care_team.phone.*misprinted"):
        parse_plan({"care_team": {"phone": phone}})


@pytest.mark.parametrize("field", ["ask_for", "place", "hours", "place_short", "city"])
def test_plan_with_the_misprint_written_into_a_spoken_field_is_refused(field):
    with pytest.raises(PlanError, match=f"care_team.{field}.*misprinted"):
        parse_plan({"care_team": {field: f"the fellow on call, at {WRONG}"}})


def test_plan_with_the_right_number_loads():
    plan = parse_plan({"care_team": {"phone": "212-639-2000", "ask_for": "the fellow (ext 2000)"}})
    assert plan.care_team.phone == "212-639-2000"


def test_pump_screen_showing_the_misprint_is_read_without_it_and_names_the_plan_number():
    home = calm_home(pump=PumpState(True, PumpLight.GREEN_BLINKING, True, f"CALL {WRONG}", 1.0))
    (finding,) = [f for f in assess(parse_plan({}), home, NOW).findings if f.code == "pump.beeping"]
    assert WRONG_DIGITS not in digits_said(finding.speech)
    assert "The pump screen says: CALL the care team's number, 212-639-2000" in finding.speech


def test_pump_screen_is_read_out_at_most_80_characters_on_one_line():
    screen = "OCCLUSION\x1b[2J\x07 " + "DOWNSTREAM " * 40
    home = calm_home(pump=PumpState(True, PumpLight.GREEN_BLINKING, True, screen, 1.0))
    (finding,) = [f for f in assess(parse_plan({}), home, NOW).findings if f.code == "pump.beeping"]
    read = finding.says.split("The pump screen says: ", 1)[1].removesuffix(".")
    assert len(read) <= MAX_SCREEN_CHARS + 3 and read.endswith("...")
    assert read.startswith("OCCLUSION [2J DOWNSTREAM") and read.isprintable()


def test_any_reply_is_guarded_whoever_built_it():
    reply = Reply("WhoToCall", f"Call {WRONG.replace('-', ' ')} now.", Severity.INFO)
    assert WRONG_DIGITS not in digits_said(reply.speech)
    assert SAFE_WORDS in reply.speech


def test_spoken_text_never_holds_the_misprint_even_when_handed_in_directly():
    spoken = normalize_for_speech(f"Call ({WRONG[:3]}) {WRONG[4:]} now.")
    assert WRONG_DIGITS not in digits_said(spoken)
    assert SAFE_WORDS in spoken


def test_misprint_in_words_is_found_too():
    assert has_wrong_number("two zero two, six three nine, two zero zero zero")
    assert not has_wrong_number("two one two, six three nine, two zero zero zero")


def test_other_numbers_are_left_alone():
    text = "Call 212-639-2000 now. It is 20.2 °C (68.4 °F). Next bag change: 2026-11-25 at 10:00."
    assert guard_speech(text) == text


separators = st.text(alphabet=" -.()/,_\u2010\u00a0+", max_size=3)
surround = st.text(alphabet=st.characters(categories=["L", "Zs", "Po"]), max_size=30)


@st.composite
def misprint_in_any_spacing(draw: st.DrawFn) -> str:
    """The misprint with any separators between any digits, maybe more digits around it, in words or not."""
    before = draw(st.text(alphabet="0123456789", max_size=3))
    after = draw(st.text(alphabet="0123456789", max_size=3))
    out = []
    for digit in before + WRONG_DIGITS + after:
        out.append(WORDS[digit] if draw(st.booleans()) and draw(st.booleans()) else digit)
        out.append(draw(separators))
    return "".join(out).strip()


@settings(max_examples=300, deadline=None)
@given(prefix=surround, number=misprint_in_any_spacing(), suffix=surround)
def test_no_spacing_or_punctuation_lets_the_misprint_through(prefix, number, suffix):
    text = f"{prefix} {number} {suffix}"
    assert has_wrong_number(text)
    for out in (guard_speech(text), guard_speech(text, phone="212-639-2000"), normalize_for_speech(text),
                Reply(None, text, Severity.INFO).speech):
        assert WRONG_DIGITS[:6] not in digits_said(out)
        assert not has_wrong_number(out)
