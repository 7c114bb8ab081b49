"""A reported problem is placed by the thing named and what is said of it, in any sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.intents.placing import place_problem
from hub.intents.understand import Understanding
from hub.intents.wording import words

PLACED = {
    "port_pain": (["it hurts where the tube goes in", "ow the place where my tube is hurts",
                   "he says the line site is hurting", "her port is really sore"]),
    "port_swelling": (["it's swollen around his tube", "the skin by the port is red and puffed up",
                       "there's a lump by her port"]),
    "dressing_wet": (["my sticker got wet in the sink", "he splashed water all over his bandage"]),
    "dressing_dirty": (["there's food on her bandage", "my sticker got mud on it", "there's a stain on the dressing"]),
    "dressing_torn": (["the edge of the dressing is loose", "her bandage is peeling at the corner"]),
    "line_disconnected": (["the tubing got unhooked somehow", "the line is come off from him",
                           "his tube popped out"]),
    "pump_light": (["the little light on my pump went yellow", "the pump light is red now"]),
    "pump_beeping": (["the beepy thing is going off", "the pump make beep beep sound"]),
    "leaking": (["there's liquid under the pump", "the inside of the backpack is all wet"]),
    "pump_stopped": (["the machine isn't doing anything anymore", "pump's off and won't come back on"]),
}


@pytest.mark.parametrize(("slot", "text"), [(slot, text) for slot, texts in PLACED.items() for text in texts])
def test_a_problem_in_words_no_template_holds_is_placed(slot, text):
    assert place_problem(words(text)) == slot


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding()


@pytest.mark.parametrize("text", ["the light in the hall is red", "the wifi router has a red light",
                                  "the garden hose came off the tap", "the fish tank tube popped off",
                                  "my sticker book ripped", "the clothes are still wet on the line",
                                  "the sticker came off my water bottle", "the smoke alarm is beeping"])
def test_something_else_in_the_home_is_never_placed_as_a_problem(understanding, text):
    assert understanding.understand(text).intent is None


@given(thing=st.sampled_from(["the pump", "her pump", "the backpack"]),
       negation=st.sampled_from(["is not", "isn't", "is no longer", "never"]),
       state=st.sampled_from(["beeping", "leaking", "making a noise", "wet"]))
def test_a_state_said_not_to_be_places_nothing(thing, negation, state):
    assert place_problem(words(f"{thing} {negation} {state}")) is None
