"""Issue 17 through the assistant, as a family hears it: a reported problem stays said,
the light follows one table, screen words are never an all-clear, clinic visits are asked
about by name, and urgent answers start with what to do."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core import phrases
from hub.core.home import PumpLight
from hub.core.plan import Appointment, CarePlan, CareTeam
from hub.core.replies import FIRST_SENTENCE_MAX_WORDS, URGENT_MAX_WORDS, sentences, word_count
from hub.core.severity import Severity
from hub.intents.assistant import Assistant
from tests.builders import NOW, calm_home


@pytest.fixture
def assistant(templates):
    return Assistant(CarePlan(), templates=templates)


def test_a_wet_dressing_is_named_in_every_status_answer_until_we_called(assistant):
    home = calm_home()
    assistant.ask("the dressing is wet", home, NOW.replace(hour=9, minute=5))
    later = NOW.replace(hour=11)
    for question in ("is the pump okay", "is everything okay", "is the room okay", "when is the next bag change"):
        reply = assistant.ask(question, home, later)
        assert reply.severity is Severity.URGENT, question
        assert "at 9:05 AM that the dressing is wet" in (reply.more or reply.speech), question
        assert phrases.ALL_OK not in reply.speech + reply.more, question
    assistant.ask("we called the care team", home, later)
    reply = assistant.ask("is everything okay", home, later)
    assert "dressing" not in reply.speech and phrases.ALL_OK in reply.speech


def test_is_the_pump_okay_says_the_pump_is_fine_and_what_else_is_open(assistant):
    assistant.ask("the port hurts", calm_home(), NOW)
    reply = assistant.ask("is the pump okay", calm_home(), NOW + timedelta(minutes=5))
    whole = reply.more or reply.speech
    assert "the port hurts" in whole and "green and blinking" in whole
    assert phrases.ALL_OK not in whole


def test_a_no_in_the_daily_check_stays_open_afterwards(assistant):
    home = calm_home()
    assistant.ask("let's do the daily check", home, NOW)
    for answer in ["yes", "yes", "yes", "yes", "no"]:
        last = assistant.ask(answer, home, NOW)
    assert last.opened and last.severity is Severity.URGENT
    reply = assistant.ask("is everything okay", home, NOW + timedelta(hours=1))
    assert "the dressing was not clean, dry and whole" in (reply.more or reply.speech)


@pytest.mark.parametrize("said, sensed", [
    ("the pump light is blue", PumpLight.BLUE),
    ("the pump light is red", PumpLight.RED),
    ("the pump light is off", PumpLight.OFF),
])
def test_a_light_is_as_serious_told_as_seen(assistant, templates, said, sensed):
    told = assistant.ask(said, calm_home(), NOW)
    seen = Assistant(CarePlan(), templates=templates).ask(
        "is the pump okay", calm_home(pump=replace(calm_home().pump, light=sensed)), NOW)
    assert told.severity is seen.severity


def test_words_on_a_quiet_pump_screen_are_never_an_all_clear(assistant):
    home = calm_home(pump=replace(calm_home().pump, screen="Low battery"))
    reply = assistant.ask("is the pump okay", home, NOW)
    assert phrases.ALL_OK not in reply.speech and reply.severity is not Severity.OK
    assert "Low battery" in reply.speech and "Read them to the care team" in reply.speech
    assert "212-639-2000" in reply.speech


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip() and t.isprintable()))
def test_any_screen_text_is_read_out_at_most_80_characters_and_never_ok(text):
    said = phrases.pump_screen(text)
    quoted = said.removeprefix("The pump screen says: ").removesuffix(".")
    assert len(quoted) <= phrases.SCREEN_MAX_CHARS


def test_hospital_visits_are_asked_about_by_name_and_never_called_bag_changes(templates):
    plan = CarePlan(bag_changes=(datetime(2026, 11, 26, 10, 0),),
                    appointments=(Appointment(datetime(2026, 11, 25, 8, 30), "Lab draw (CBC)"),))
    assistant = Assistant(plan, templates=templates)
    reply = assistant.ask("what time do we have to be at the hospital tomorrow", calm_home(bag_changes=()), NOW)
    assert reply.intent == "NextAppointment" and reply.speech == "Tomorrow you have Lab draw (CBC) at 8:30 AM."
    reply = assistant.ask("when is the next bag change", calm_home(bag_changes=()), NOW)
    assert "bag change is on Thursday at 10 AM" in reply.speech
    assert "The next visit on my schedule is Lab draw (CBC), tomorrow" in reply.speech
    assert "Lab draw (CBC) bag change" not in reply.speech


def test_another_hospitals_plan_never_sends_the_family_to_the_pacc(templates):
    plan = CarePlan(care_team=CareTeam(phone="617-555-0100", ask_for="", hours="", place="", place_short="", city=""))
    assistant = Assistant(plan, templates=templates)
    for question in ("the line came apart", "tell me more", "who do I call", "the dressing is wet"):
        speech = assistant.ask(question, calm_home(), NOW).speech
        assert "617-555-0100" in speech or question == "tell me more"
        for word in ("PACC", "Manhattan", "fellow", "24 hours", "212-639-2000"):
            assert word not in speech, (question, word)


URGENT_QUESTIONS = [
    ("the line came apart", {}),
    ("the pump is beeping", {}),
    ("is the pump okay", {"is_beeping": True, "screen": "Downstream occlusion"}),
    ("is everything okay", {"light": PumpLight.RED}),
    ("the dressing is torn", {}),
]


@pytest.mark.parametrize("question, pump", URGENT_QUESTIONS)
def test_an_urgent_answer_starts_with_what_to_do_and_is_short(assistant, question, pump):
    home = calm_home(pump=replace(calm_home().pump, **pump))
    reply = assistant.ask(question, home, NOW)
    assert reply.severity is Severity.URGENT
    first = sentences(reply.speech)[0]
    assert word_count(first) <= FIRST_SENTENCE_MAX_WORDS
    assert first.startswith(("Call ", "Do not")), first
    assert word_count(reply.speech) <= URGENT_MAX_WORDS, reply.speech


def test_tell_me_more_and_repeat_give_the_rest(assistant):
    short = assistant.ask("the dressing is wet", calm_home(), NOW)
    more = assistant.ask("tell me more", calm_home(), NOW)
    assert word_count(more.speech) > word_count(short.speech)
    assert "Pediatric Ambulatory Care Center" in more.speech
    assert assistant.ask("repeat", calm_home(), NOW).speech == more.speech
