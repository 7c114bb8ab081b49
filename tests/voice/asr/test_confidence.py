"""The confidence floors: when a heard sentence is sure enough to act on."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.voice.asr.confidence import ConfidenceFloors, confidence_from_gap, gap_per_frame, is_answer_grammar

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})
FLOORS = ConfidenceFloors(command=0.4, answer=0.6)
intent_sets = st.frozensets(st.sampled_from(sorted(ANSWERS | {"PumpStatus", "WhoToCall", "RoomStatus"})),
                            min_size=1)
gaps = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(gaps)
def test_confidence_is_between_zero_and_one(gap: float) -> None:
    assert 0.0 <= confidence_from_gap(gap) <= 1.0


@given(gaps, gaps)
def test_a_sentence_further_below_the_phone_loop_is_never_more_confident(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert confidence_from_gap(low) <= confidence_from_gap(high)


def test_a_sentence_that_fits_as_well_as_free_phones_is_fully_confident() -> None:
    assert confidence_from_gap(0.0) == confidence_from_gap(3.0) == 1.0
    assert confidence_from_gap(math.nan) == 0.0


def test_gap_is_per_frame_in_log_units() -> None:
    one_unit = math.log(1.0001)
    assert gap_per_frame(-200 * one_unit, 0.0, 100) == pytest.approx(-2.0)


@given(intent_sets, st.floats(min_value=0, max_value=1))
def test_whatever_is_sure_enough_for_an_answer_is_sure_enough_for_a_question(intents, confidence) -> None:
    if FLOORS.is_sure(confidence, ANSWERS & intents or frozenset({"Yes"})):
        assert FLOORS.is_sure(confidence, intents)


@pytest.mark.parametrize(("intents", "is_answer"), [
    (frozenset({"Yes", "No"}), True),
    (ANSWERS, True),
    (ANSWERS | {"PumpStatus"}, False),
    (frozenset({"PumpStatus"}), False),
    (frozenset(), False),
    (frozenset({"Acknowledge"}), True),
    (frozenset({"Acknowledge", "PumpStatus"}), False),
])
def test_only_answers_the_hub_asked_for_get_the_strict_floor(intents, is_answer) -> None:
    assert is_answer_grammar(intents) is is_answer
    assert FLOORS.floor_for(intents) == (FLOORS.answer if is_answer else FLOORS.command)


@pytest.mark.parametrize(("confidence", "is_question_sure", "is_answer_sure"), [
    (0.39, False, False), (0.4, True, False), (0.59, True, False), (0.6, True, True), (1.0, True, True),
])
def test_floors_at_their_edges(confidence: float, is_question_sure: bool, is_answer_sure: bool) -> None:
    assert FLOORS.is_sure(confidence, frozenset({"PumpStatus"})) is is_question_sure
    assert FLOORS.is_sure(confidence, frozenset({"Yes", "No"})) is is_answer_sure


def test_an_answer_floor_below_the_question_floor_is_refused() -> None:
    with pytest.raises(ValueError, match="answer"):
        ConfidenceFloors(command=0.6, answer=0.4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        ConfidenceFloors(command=0.4, answer=1.5)


def test_an_alarms_acknowledgement_gets_the_strict_floor() -> None:
    from hub.daemon.service import ALARM_ANSWERS

    assert FLOORS.floor_for(ALARM_ANSWERS) == FLOORS.answer
