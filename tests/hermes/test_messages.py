"""Tests for hub.hermes.messages: what the hub publishes for Rhasspy to say."""

from __future__ import annotations

import json

import pytest

from hub.hermes import messages

WRONG = "202-639-2000"


@pytest.mark.parametrize("build", [
    lambda text: messages.say(text, "default", "id-1"),
    lambda text: messages.end_session("session-1", text),
    lambda text: messages.continue_session("session-1", text, ("Yes",)),
])
def test_nothing_published_for_speech_holds_the_misprinted_number(build):
    out = build(f"Call {WRONG} now.")
    text = json.loads(out.payload)["text"]
    assert "202" not in text and "the care team's number from the care plan" in text
