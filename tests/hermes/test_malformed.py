"""Malformed payloads on every topic the hub listens on: each is logged and ignored, no crash."""

from __future__ import annotations

import json
import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.hermes import messages
from hub.hermes.messages import HermesPayloadError
from hub.hermes.skill import HermesSkill
from hub.core.plan import CarePlan
from tests.builders import NOW, calm_home
from tests.hermes.conftest import END, FakeRhasspy, Hub, ask, wait_for

GOOD_INTENT = {"input": "help", "intent": {"intentName": "Help", "confidenceScore": 1.0},
               "siteId": "default", "sessionId": "x", "slots": []}

# Malformed for every topic: not JSON, not an object, or ids and sites of the wrong type.
EVERYWHERE: list[bytes] = [
    b"",
    b"not json",
    b"\xff\xfe\x00garbage",
    b"[]",
    b"null",
    b"42",
    b'"a string"',
    b"{",
    b"[" * 5000 + b"]" * 5000,
    b"{}",
    json.dumps({**GOOD_INTENT, "siteId": 12}).encode(),
    json.dumps({**GOOD_INTENT, "siteId": ""}).encode(),
    json.dumps({**GOOD_INTENT, "sessionId": ["x"], "id": 5}).encode(),
    b"{" + b" " * (messages.MAX_PAYLOAD_BYTES + 1) + b"}",
]
INTENT_SHAPED: list[bytes] = [
    json.dumps({**GOOD_INTENT, "intent": "Help"}).encode(),
    json.dumps({**GOOD_INTENT, "intent": {"intentName": 7}}).encode(),
    json.dumps({**GOOD_INTENT, "intent": {"intentName": "PumpStatus"}}).encode(),  # topic says Help
    json.dumps({**GOOD_INTENT, "slots": "problem"}).encode(),
    json.dumps({**GOOD_INTENT, "slots": [{"slotName": "problem"}]}).encode(),
    json.dumps({**GOOD_INTENT, "slots": [{"slotName": "problem", "value": {"value": 3}}]}).encode(),
    json.dumps({**GOOD_INTENT, "slots": [None]}).encode(),
    json.dumps({**GOOD_INTENT, "input": {"text": "help"}}).encode(),
]
MALFORMED_BY_TOPIC: dict[str, list[bytes]] = {
    "hermes/intent/Help": EVERYWHERE + INTENT_SHAPED,
    "hermes/intent/ReportProblem": EVERYWHERE + INTENT_SHAPED,
    messages.SESSION_ENDED_TOPIC: EVERYWHERE + INTENT_SHAPED + [
        json.dumps({"sessionId": "x", "siteId": "default", "termination": "timeout"}).encode(),
        json.dumps({"sessionId": "x", "siteId": "default", "termination": {"reason": None}}).encode()],
    messages.NOT_RECOGNIZED_TOPIC: EVERYWHERE + [
        json.dumps({"sessionId": None, "siteId": "default"}).encode(),
        json.dumps({"sessionId": "x", "siteId": "default", "input": 12}).encode()],
}
TOPICS = tuple(MALFORMED_BY_TOPIC)


def test_malformed_payloads_on_every_topic_are_logged_and_ignored(hub: Hub, rhasspy: FakeRhasspy,
                                                                   caplog) -> None:
    caplog.set_level(logging.WARNING, logger="hub.hermes")
    ask(rhasspy, "DailyCheck", topic="hermes/dialogueManager/continueSession", session_id="x")
    before = len(rhasspy.received)
    for topic, payloads in MALFORMED_BY_TOPIC.items():
        for payload in payloads:
            rhasspy.publish(topic, payload)
    reply = ask(rhasspy, "WhoToCall", session_id="after")  # still alive and answering
    assert "212-639-2000" in reply["text"]
    hub_says = (END, "hermes/dialogueManager/continueSession", "hermes/dialogueManager/startSession",
                "hermes/tts/say")
    answered = [t for t, _, _ in rhasspy.received[before:] if t in hub_says]
    assert answered == [END], "a malformed message was acted on"
    expected = sum(len(p) for p in MALFORMED_BY_TOPIC.values())
    logged = [r for r in caplog.records if "Ignored a malformed Hermes message" in r.getMessage()]
    assert len(logged) == expected


def test_retained_intent_is_old_and_never_answered(broker, rhasspy: FakeRhasspy, understanding, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="hub.hermes")
    rhasspy.publish("hermes/intent/PumpStatus", json.dumps({**GOOD_INTENT, "sessionId": "stale",
                    "intent": {"intentName": "PumpStatus", "confidenceScore": 1}}), retain=True)
    hub = Hub(broker, understanding)
    try:
        ask(rhasspy, "Help", session_id="fresh")
        wait_for(lambda: any("retained" in r.getMessage() for r in caplog.records), what="the retained log line")
        assert not [m for m in rhasspy.messages(END) if m["sessionId"] == "stale"]
    finally:
        hub.client.stop()


@settings(max_examples=300, deadline=None)
@given(topic=st.sampled_from(TOPICS + ("hermes/intent/", "hermes/intent/a/b")), payload=st.binary(max_size=300))
def test_skill_never_raises_on_arbitrary_bytes(understanding, topic: str, payload: bytes) -> None:
    skill = HermesSkill(CarePlan(), home=calm_home, clock=lambda: NOW, understanding=understanding)
    assert skill.receive(topic, payload) == [] or payload.startswith(b"{")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                                      max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["input", "intent", "siteId", "sessionId", "slots", "id",
                                             "termination", "intentName"]), json_values, max_size=7))
def test_parsers_either_parse_or_raise_the_typed_error(data: dict) -> None:
    payload = json.dumps(data).encode()
    for parse, topic in ((messages.parse_intent, "hermes/intent/Help"),
                         (messages.parse_session_ended, messages.SESSION_ENDED_TOPIC),
                         (messages.parse_not_recognized, messages.NOT_RECOGNIZED_TOPIC),
                         (messages.parse_say_finished, messages.SAY_FINISHED_TOPIC)):
        try:
            parse(topic, payload)
        except HermesPayloadError:
            pass
