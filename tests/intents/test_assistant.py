"""The assistant end to end on text: every intent answered, never a guess."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from hub.intents.assistant import Assistant
from hub.core.home import InfusionState, PumpLight
from hub.core.plan import CarePlan
from hub.core.severity import Severity
from tests.builders import NOW, calm_home


@pytest.fixture
def assistant(templates):
    return Assistant(CarePlan(), templates=templates)


def test_is_the_pump_okay_on_a_calm_home_is_ok(assistant):
    reply = assistant.ask("Is the pump okay?", calm_home(), NOW)
    assert reply.intent == "PumpStatus" and reply.severity is Severity.OK
    assert "green and blinking" in reply.speech and "Everything looks okay" in reply.speech


def test_room_question_never_hides_an_urgent_pump(assistant):
    home = calm_home(pump=replace(calm_home().pump, is_beeping=True))
    reply = assistant.ask("is it too hot in here", home, NOW)
    assert reply.severity is Severity.URGENT and "beeping" in reply.speech and "212-639-2000" in reply.speech


def test_bag_change_side_question_still_says_the_infusion_stopped(assistant):
    home = calm_home(infusion=InfusionState(True, NOW - timedelta(hours=1)))
    reply = assistant.ask("when is the next bag change", home, NOW)
    assert reply.severity is Severity.URGENT and "stopped" in reply.speech and "tomorrow" in reply.speech


def test_who_to_call_also_says_the_urgent_problem_it_sees(assistant):
    home = calm_home(infusion=InfusionState(True, NOW - timedelta(hours=5)))
    reply = assistant.ask("who do I call", home, NOW)
    assert reply.severity is Severity.URGENT and "admit" in reply.speech


def test_who_to_call_during_an_urgent_problem_says_the_number_once(assistant):
    home = calm_home(infusion=InfusionState(True, NOW - timedelta(hours=5)))
    reply = assistant.ask("who do I call", home, NOW)
    assert reply.speech.count("212-639-2000") == 1
    assert "now" in reply.speech and "pediatric fellow" in reply.speech and "24 hours" in reply.speech


def test_next_bag_change_is_spoken_as_a_person_says_it(assistant):
    reply = assistant.ask("when is the next bag change", calm_home(), NOW)
    assert "tomorrow, Wednesday, at 10 AM" in reply.speech


def test_no_bag_change_known_says_to_call(assistant):
    reply = assistant.ask("when is the next bag change", calm_home(bag_changes=()), NOW)
    assert "don't have a bag change" in reply.speech


def test_disconnected_line_says_clamp_first_then_number(assistant):
    reply = assistant.ask("the line came off", calm_home(), NOW)
    assert reply.severity is Severity.URGENT
    assert reply.speech.index("clamp") < reply.speech.index("212-639-2000")
    assert "Do not put the line back together" in reply.speech and "pediatric fellow" in reply.speech


@pytest.mark.parametrize("text", ["my dressing is wet", "my port hurts", "something is leaking",
                                  "the pump is beeping", "the pump light is red", "my port is swollen"])
def test_every_reported_problem_is_urgent_with_number_and_whom_to_ask(assistant, text):
    reply = assistant.ask(text, calm_home(), NOW)
    assert reply.intent == "ReportProblem" and reply.severity is Severity.URGENT
    assert "212-639-2000" in reply.speech and "pediatric fellow" in reply.speech


def test_who_to_call_bathing_and_help(assistant):
    assert "212-639-2000" in assistant.ask("who do I call", calm_home(), NOW).speech
    assert "waterproof" in assistant.ask("can he take a shower", calm_home(), NOW).speech
    assert "daily check" in assistant.ask("help", calm_home(), NOW).speech


def test_unmatched_text_gets_a_hint_not_a_guess(assistant):
    reply = assistant.ask("what's the weather like on mars", calm_home(), NOW)
    assert reply.intent is None and "didn't catch" in reply.speech and reply.severity is not Severity.OK


def test_daily_check_runs_as_a_dialogue_and_survives_a_side_question(assistant):
    home = calm_home()
    first = assistant.ask("let's do the daily check", home, NOW)
    assert first.is_dialogue_open and set(first.expects) >= {"Yes", "No", "NotSure", "Repeat", "Stop"}
    assistant.ask("yes", home, NOW)
    side = assistant.ask("is the pump okay", home, NOW)
    assert "green and blinking" in side.speech and side.is_dialogue_open
    for _ in range(4):
        last = assistant.ask("yes", home, NOW)
    assert not last.is_dialogue_open and len(last.records) == 5


def test_asking_for_the_daily_check_after_a_stop_carries_on_where_it_stopped(assistant):
    home = calm_home()
    assistant.ask("let's do the daily check", home, NOW)
    assistant.ask("yes", home, NOW)
    assert "stopped" in assistant.ask("stop", home, NOW).speech
    again = assistant.ask("let's do the daily check", home, NOW + timedelta(hours=1))
    assert again.is_dialogue_open and "where we stopped" in again.speech and "backpack" in again.speech
    assistant.ask("stop", home, NOW + timedelta(hours=1))
    tomorrow = assistant.ask("let's do the daily check", home, NOW + timedelta(days=1))
    assert "connections" in tomorrow.speech and "where we stopped" not in tomorrow.speech  # a new day's check


def test_yes_outside_a_dialogue_is_not_taken_as_an_answer(assistant):
    reply = assistant.ask("yes", calm_home(), NOW)
    assert "wasn't asking" in reply.speech


def test_repeat_outside_a_dialogue_says_the_last_answer_again(assistant):
    said = assistant.ask("who do I call", calm_home(), NOW).speech
    assert assistant.ask("say that again", calm_home(), NOW).speech == said


def test_red_light_in_the_room_answer_comes_first(assistant):
    home = calm_home(pump=replace(calm_home().pump, light=PumpLight.RED))
    reply = assistant.ask("is everything okay", home, NOW)
    assert reply.speech.startswith("The pump light is red")


def test_speech_lost_in_a_loud_room_is_blamed_on_the_noise_with_what_to_do(assistant):
    reply = assistant.ask("", calm_home(), NOW, is_noisy=True)
    assert reply.intent is None and "over the noise" in reply.speech and "closer" in reply.speech
    assert "didn't catch" in assistant.ask("", calm_home(), NOW).speech  # a quiet room: not the noise


def test_an_answer_lost_in_a_loud_room_during_the_check_asks_the_step_again(assistant):
    assistant.ask("let's do the daily check", calm_home(), NOW)
    reply = assistant.ask("", calm_home(), NOW, is_noisy=True)
    assert "over the noise" in reply.speech and "connections" in reply.speech and reply.is_dialogue_open


def test_with_the_clock_not_set_the_next_bag_change_is_unknown_not_guessed():
    from datetime import datetime

    booted = datetime(1970, 1, 1, 0, 5)  # a Pi without a real-time clock, before the network's time
    reply = Assistant(CarePlan()).handle("NextBagChange", {}, calm_home(), booted)
    assert "don't know the date and time" in reply.speech and "212-639-2000" in reply.speech
    assert "Thursday" not in reply.speech and "tomorrow" not in reply.speech
    assert reply.severity is Severity.UNKNOWN
    known = Assistant(CarePlan()).handle("NextBagChange", {}, calm_home(), NOW)
    assert "next bag change is" in known.speech
