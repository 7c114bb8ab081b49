"""The daily check: one step at a time, right instruction on a no, a record of answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.core.dialogue import STEPS, DailyCheckDialogue, check_hints
from hub.core.home import PumpState
from hub.core.plan import CarePlan
from hub.core.severity import Severity
from tests.builders import calm_home

T0 = datetime(2026, 11, 24, 9, 0)


def _run(answers):
    dialogue = DailyCheckDialogue(CarePlan())
    turns = [dialogue.start()]
    for i, intent in enumerate(answers):
        turns.append(dialogue.answer(intent, T0 + timedelta(seconds=10 * (i + 1))))
    return dialogue, turns


def test_steps_follow_the_sheets_daily_checks_in_order():
    keys = [s.key for s in STEPS]
    assert keys == ["line_connections", "line_not_pulled", "pump_light", "pump_position", "dressing"]
    _, turns = _run([])
    assert "connections" in turns[0].speech


def test_all_yes_finishes_with_a_record_of_each_answer_and_time():
    dialogue, turns = _run(["Yes"] * 5)
    last = turns[-1]
    assert not last.is_open and "daily check done" in last.speech
    assert [a.step for a in last.answers] == [s.key for s in STEPS]
    assert all(a.answer == "yes" for a in last.answers)
    assert last.answers[0].at == T0 + timedelta(seconds=10)


def test_no_to_connections_says_do_not_reconnect_clamp_and_call_now():
    _, turns = _run(["No"])
    speech = turns[-1].speech
    assert "do not put it back together" in speech and "clamp" in speech
    assert "212-639-2000" in speech and "pediatric fellow" in speech
    assert turns[-1].severity is Severity.URGENT and not turns[-1].is_open


def test_no_to_dressing_says_call_and_come_to_the_pacc():
    _, turns = _run(["Yes", "Yes", "Yes", "Yes", "No"])
    speech = turns[-1].speech
    assert "212-639-2000" in speech and "PACC" in speech and turns[-1].severity is Severity.URGENT


def test_no_to_pulling_gives_the_instruction_and_goes_on():
    _, turns = _run(["Yes", "No"])
    assert "backpack close" in turns[-1].speech and turns[-1].is_open
    assert "green and blinking" in turns[-1].speech  # the next step is asked at once
    assert turns[-1].severity is Severity.WARNING


def test_not_sure_first_gets_how_to_look_with_what_the_hub_sees_and_no_phone_number():
    dialogue = DailyCheckDialogue(CarePlan())
    dialogue.start()
    for i in range(2):
        dialogue.answer("Yes", T0 + timedelta(seconds=i))
    hints = check_hints(CarePlan(), calm_home())
    turn = dialogue.answer("NotSure", T0 + timedelta(seconds=5), hints=hints)
    assert "how to look" in turn.speech and "green and blinking" in turn.speech
    assert "The pump monitor sees a green, blinking light." in turn.speech
    assert "212-639-2000" not in turn.speech and turn.is_open and turn.answers[-1].step == "line_not_pulled"


def test_the_monitor_that_cannot_see_the_light_says_so_never_fine():
    hints = check_hints(CarePlan(), calm_home(pump=PumpState(is_bridge_connected=False)))
    assert hints["pump_light"] == "The pump monitor can't see the light right now."


def test_not_sure_twice_is_recorded_and_the_number_is_said_once_at_the_end():
    _, turns = _run(["Yes", "Yes", "NotSure", "NotSure", "NotSure", "NotSure", "Yes"])
    assert [a.answer for a in turns[-1].answers] == ["yes", "yes", "not_sure", "not_sure", "yes"]
    said = " ".join(t.speech for t in turns)
    assert said.count("212-639-2000") == 1 and "212-639-2000" in turns[-1].speech
    assert "with something to ask the care team about" in turns[-1].speech


def test_repeat_asks_the_same_step_again():
    _, turns = _run(["Yes", "Repeat"])
    assert turns[-1].speech == STEPS[1].question and turns[-1].is_open


def test_stop_ends_the_check_and_keeps_what_was_answered():
    _, turns = _run(["Yes", "Stop"])
    assert not turns[-1].is_open and "stopped" in turns[-1].speech
    assert [a.step for a in turns[-1].answers] == ["line_connections"]


def test_unclear_answer_asks_again_without_moving_on():
    _, turns = _run([None])
    assert "didn't catch" in turns[-1].speech and STEPS[0].question in turns[-1].speech
    assert turns[-1].is_open and turns[-1].answers == ()


def test_answers_never_heard_pause_the_check_and_say_what_to_check_by_eye():
    dialogue, turns = _run(["Yes", "Yes", None, None, None])
    assert [t.is_open for t in turns[3:]] == [True, True, False]
    paused = turns[-1]
    assert paused.is_paused and "paused the daily check" in paused.speech
    # The steps not answered are said as what to look for, the ones answered are not.
    assert [s.look in paused.speech for s in STEPS] == [False, False, True, True, True]
    assert CarePlan().care_team.phone in paused.speech and "finish the check later" in paused.speech
    assert paused.severity is Severity.UNKNOWN  # an unchecked step is never "all fine"
    resumed = dialogue.resume()
    assert STEPS[2].question in resumed.speech


def test_the_pause_for_a_loud_room_says_so_and_a_line_left_unchecked_gets_its_first_aid():
    _, turns = _run([None, None])
    assert turns[-1].is_open  # two misses: still asking
    dialogue = DailyCheckDialogue(CarePlan())
    dialogue.start()
    paused = [dialogue.answer(None, T0, is_noisy=True) for _ in range(3)][-1]
    assert "too loud" in paused.speech and "do not put it back together" in paused.speech
    assert all(step.look in paused.speech for step in STEPS)


def test_misses_count_in_a_row_an_answer_heard_starts_the_count_again():
    _, turns = _run([None, None, "Repeat", None, None, "Yes", None, None])
    assert all(t.is_open for t in turns)
    assert not any(t.is_paused for t in turns)


def test_a_stopped_check_resumes_the_same_day_at_the_step_it_stopped_on():
    dialogue, turns = _run(["Yes", "Yes", "Stop"])
    assert "finish it later" in turns[-1].speech
    assert dialogue.can_resume(T0 + timedelta(hours=1))
    resumed = dialogue.resume()
    assert resumed.is_open and STEPS[2].question in resumed.speech and "where we stopped" in resumed.speech
    last = [dialogue.answer("Yes", T0 + timedelta(hours=1, seconds=s)) for s in (10, 20, 30)][-1]
    assert not last.is_open and "daily check done" in last.speech
    # The first two answers were handed over before the stop; only the new ones come now.
    assert [a.step for a in last.answers] == ["pump_light", "pump_position", "dressing"]


def test_a_check_stopped_long_ago_or_before_any_answer_starts_over():
    dialogue, _ = _run(["Yes", "Stop"])
    assert not dialogue.can_resume(T0 + timedelta(days=1))
    assert not dialogue.can_resume(T0 + timedelta(hours=3))  # the earlier answers may no longer hold
    fresh, _ = _run(["Stop"])
    assert not fresh.can_resume(T0)


def test_after_an_urgent_no_the_check_resumes_by_asking_that_step_again():
    dialogue, turns = _run(["Yes", "Yes", "No"])  # the pump light is not green and blinking
    assert "finish the check afterwards" in turns[-1].speech
    resumed = dialogue.resume()
    assert STEPS[2].question in resumed.speech
    done = [dialogue.answer("Yes", T0 + timedelta(hours=1, seconds=s)) for s in (10, 20, 30)][-1]
    # The earlier "no" still counts: the check does not end with "everything looks right".
    assert "Everything you checked looks right" not in done.speech and "daily check done" in done.speech


def test_a_finished_check_is_not_resumed():
    dialogue, _ = _run(["Yes"] * 5)
    assert not dialogue.can_resume(T0)
