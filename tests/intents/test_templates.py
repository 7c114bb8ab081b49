"""The templates understand the way parents and children talk, and guess nothing."""

from __future__ import annotations

import pytest

PHRASINGS = {
    "PumpStatus": ["Is the pump okay?", "is my pump working", "how's the pump doing", "is the medicine going in",
                   "is the pump light green", "check the pump please", "the pump light is green and blinking",
                   "the pump is green", "is the pump broken", "is my pump dead", "is the pump off"],
    "HomeStatus": ["is everything ok", "are we good", "status"],
    "RoomStatus": ["is it too hot in here", "what's the temperature", "is the pump in the sun",
                   "is the room okay", "is the pump too cold"],
    "NextBagChange": ["when is the next bag change", "when do we get a new bag", "when do we go back to the hospital",
                      "what time is the appointment"],
    "WhoToCall": ["who do I call", "what's the phone number", "I have a question", "I'm worried", "call the nurse",
                  "call the doctor"],
    "Bathing": ["can she take a bath", "how do we do a shower", "bath time"],
    "DailyCheck": ["let's do the daily check", "start daily check", "what do I need to check today"],
    "Help": ["help", "what can I ask you"],
    "Yes": ["yes", "yeah", "yep it is", "looks good"],
    "No": ["no", "nope", "it's not", "not really"],
    "NotSure": ["I'm not sure", "I don't know", "maybe"],
    "Repeat": ["say that again", "what did you say", "repeat"],
    "Stop": ["stop", "never mind", "cancel"],
    "Acknowledge": ["okay I heard you", "got it", "silence the alarm"],
}

PROBLEMS = {
    "line_disconnected": ["the line came off", "the tube came out", "oh no the line is disconnected"],
    "pump_beeping": ["the pump is beeping", "it's beeping", "the machine keeps beeping"],
    "pump_stopped": ["the pump stopped", "the infusion stopped", "the pump is broken"],
    "dressing_dirty": ["my bandage is dirty"],
    "dressing_wet": ["the dressing got wet", "my dressing is wet"],
    "dressing_torn": ["the dressing is torn", "my sticker is peeling"],
    "port_pain": ["my port hurts", "it hurts around my port"],
    "port_swelling": ["my port is swollen", "there's swelling around the port"],
    "leaking": ["something is leaking", "there's liquid coming out", "the tube is leaking"],
    "pump_light": ["the pump light is red", "the pump light is blue"],
}


@pytest.mark.parametrize("intent, text", [(i, t) for i, ts in PHRASINGS.items() for t in ts])
def test_each_intent_is_understood_in_several_phrasings(templates, intent, text):
    found = templates.match(text)
    assert found is not None and found.name == intent


@pytest.mark.parametrize("problem, text", [(p, t) for p, ts in PROBLEMS.items() for t in ts])
def test_reported_problems_are_understood_with_what_is_wrong(templates, problem, text):
    found = templates.match(text)
    assert found is not None and found.name == "ReportProblem" and found.slots["problem"] == problem


@pytest.mark.parametrize("text", ["what is the capital of france", "play some music", "pump up the volume now",
                                  "", "   ", "?!", "the weather tomorrow", "is the dog okay",
                                  "call", "call grandma", "we need more milk", "I need to call grandma"])
def test_unrelated_text_matches_nothing(templates, text):
    assert templates.match(text) is None


@pytest.mark.parametrize("text", ["I'm on it", "I heard that", "okay I heard it"])
def test_only_distinct_phrases_acknowledge_an_alarm(templates, text):
    # Near misses of household talk ("I'm hungry", babble) that would silence an alarm.
    found = templates.match(text)
    assert found is None or found.name != "Acknowledge"


@pytest.mark.parametrize("text", ["it is", "they are", "all good"])
def test_bare_forms_that_sound_like_a_no_are_not_taken_as_yes(templates, text):
    found = templates.match(text)
    assert found is None or found.name != "Yes"


def test_dialogue_narrowing_only_allows_answers(templates):
    answers = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})
    assert templates.match("is the pump okay", allowed=answers) is None
    assert templates.match("yes", allowed=answers).name == "Yes"


def test_sampled_sentences_cover_every_intent_and_match_back(templates):
    sentences = templates.sample_sentences()
    assert set(sentences) == set(templates.names)
    for intent, texts in sentences.items():
        for text in texts[:: max(1, len(texts) // 10)]:
            assert templates.match(text).name == intent
