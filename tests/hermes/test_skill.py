"""The skill on a real broker: each intent gets its reply session, the daily check continues."""

from __future__ import annotations

import pytest

from hub.core import phrases
from hub.core.codes import ANSWER_INTENTS
from hub.core.dialogue import DONE_ALL_OK, STEPS
from hub.core.home import HomeState, PumpLight, PumpState
from hub.core.plan import CarePlan
from tests.builders import NOW, calm_home
from tests.hermes.conftest import CONTINUE, END, SAY, FakeRhasspy, Hub, ask, wait_for

INTENT_REPLIES = {
    "PumpStatus": ({}, "blinking"),
    "HomeStatus": ({}, phrases.ALL_OK),
    "RoomStatus": ({}, ""),
    "NextBagChange": ({}, ""),
    "WhoToCall": ({}, "212-639-2000"),
    "Bathing": ({}, ""),
    "Help": ({}, ""),
    "ReportProblem": ({"problem": "line_disconnected"}, "clamp"),
    "Acknowledge": ({}, phrases.ACKNOWLEDGED),
}


@pytest.mark.parametrize("intent", sorted(INTENT_REPLIES))
def test_each_intent_is_answered_by_ending_its_session(hub: Hub, rhasspy: FakeRhasspy, intent: str) -> None:
    slots, expected = INTENT_REPLIES[intent]
    reply = ask(rhasspy, intent, slots=slots)
    want = hub.skill.templates and _local_reply(hub, intent, slots)
    assert reply["text"] == want
    assert expected in reply["text"]


def _local_reply(hub: Hub, intent: str, slots: dict[str, str]) -> str:
    from hub.intents.assistant import Assistant

    return Assistant(CarePlan(), templates=hub.skill.templates).handle(intent, slots, hub.home, NOW).speech


def test_reported_problem_slot_from_rhasspy_maps_to_the_hubs_problem(hub: Hub, rhasspy: FakeRhasspy) -> None:
    reply = ask(rhasspy, "ReportProblem", slots={"problem": "line_disconnected"})
    assert "do not" in reply["text"].lower() and "212-639-2000" in reply["text"]


def test_unknown_problem_value_still_says_call_the_care_team(hub: Hub, rhasspy: FakeRhasspy) -> None:
    reply = ask(rhasspy, "ReportProblem", slots={"problem": "something_new"})
    assert "212-639-2000" in reply["text"]


def test_unknown_pump_is_never_said_to_be_okay(hub: Hub, rhasspy: FakeRhasspy) -> None:
    hub.home = HomeState()
    reply = ask(rhasspy, "PumpStatus")
    assert phrases.ALL_OK not in reply["text"]


def test_urgent_pump_is_reported_with_the_number(hub: Hub, rhasspy: FakeRhasspy) -> None:
    hub.home = calm_home(pump=PumpState(True, PumpLight.RED, True, "", 1.0))
    reply = ask(rhasspy, "RoomStatus")
    assert "212-639-2000" in reply["text"]


def test_acknowledge_is_passed_to_the_daemon_with_its_site(hub: Hub, rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "Acknowledge", site_id="kitchen")
    wait_for(lambda: hub.acknowledged == ["kitchen"], what="the acknowledgement")


def test_daily_check_runs_as_one_continued_session(hub: Hub, rhasspy: FakeRhasspy) -> None:
    session = "check-1"
    first = ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id=session, site_id="bedroom")
    assert STEPS[0].question in first["text"]
    assert first["intentFilter"] == list(ANSWER_INTENTS)
    assert first["sendIntentNotRecognized"] is True
    for step in STEPS[1:]:
        count = len(rhasspy.messages(CONTINUE))
        rhasspy.intent("Yes", session_id=session, site_id="bedroom")
        wait_for(lambda n=count: len(rhasspy.messages(CONTINUE)) > n, what=f"the question {step.key}")
        assert step.question in rhasspy.messages(CONTINUE)[-1]["text"]
        assert rhasspy.messages(CONTINUE)[-1]["sessionId"] == session
    rhasspy.intent("Yes", session_id=session, site_id="bedroom")
    done = rhasspy.wait_message(END, lambda m: m.get("sessionId") == session)
    assert DONE_ALL_OK in done["text"]


def test_unrecognised_answer_in_the_check_asks_again(hub: Hub, rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="c2")
    rhasspy.publish("hermes/dialogueManager/intentNotRecognized",
                    '{"sessionId": "c2", "siteId": "default", "input": "banana"}')
    wait_for(lambda: len(rhasspy.messages(CONTINUE)) == 2, what="the question asked again")
    assert STEPS[0].question in rhasspy.messages(CONTINUE)[-1]["text"]


def test_answers_rhasspy_never_recognised_pause_the_check_and_end_the_session(hub: Hub,
                                                                              rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="c3")
    for said in ("banana", "mumble", "grapefruit"):  # ("what" would be heard as "repeat")
        rhasspy.publish("hermes/dialogueManager/intentNotRecognized",
                        f'{{"sessionId": "c3", "siteId": "default", "input": "{said}"}}')
    ended = rhasspy.wait_message(END, lambda m: m.get("sessionId") == "c3")
    assert "paused the daily check" in ended["text"] and STEPS[0].look in ended["text"]
    assert len(rhasspy.messages(CONTINUE)) == 3  # the question, then asked again twice


def test_sites_keep_their_own_dialogues(hub: Hub, rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="k", site_id="kitchen")
    reply = ask(rhasspy, "Yes", session_id="b", site_id="bedroom")
    assert reply["text"].startswith("I wasn't asking")
    rhasspy.intent("Yes", session_id="k", site_id="kitchen")
    wait_for(lambda: STEPS[1].question in rhasspy.messages(CONTINUE)[-1]["text"], what="kitchen's second step")


def test_yes_in_a_new_session_is_not_an_answer_to_an_old_question(hub: Hub, rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="old")
    rhasspy.publish("hermes/dialogueManager/sessionEnded",
                    '{"sessionId": "old", "siteId": "default", "termination": {"reason": "timeout"}}')
    reply = ask(rhasspy, "Yes", session_id="new")
    assert reply["text"].startswith("I wasn't asking")


def test_intent_without_a_session_is_said_on_its_site(hub: Hub, rhasspy: FakeRhasspy) -> None:
    rhasspy.intent("WhoToCall", session_id=None, site_id="satellite2")
    said = rhasspy.wait_message(SAY, lambda m: m.get("siteId") == "satellite2")
    assert "212-639-2000" in said["text"] and said["id"]


def test_other_skills_intents_are_left_alone(hub: Hub, rhasspy: FakeRhasspy) -> None:
    rhasspy.intent("GetTime", session_id="other")
    ask(rhasspy, "Help", session_id="after")  # answered, so the hub saw GetTime first
    assert not [m for m in rhasspy.messages(END) if m.get("sessionId") == "other"]


def test_a_repeat_delivery_of_the_same_intent_is_answered_once(hub: Hub, rhasspy: FakeRhasspy) -> None:
    ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="dup")
    rhasspy.intent("Yes", session_id="dup", request_id="same-id")
    rhasspy.intent("Yes", session_id="dup", request_id="same-id")
    ask(rhasspy, "Help", session_id="marker")
    continued = [m for m in rhasspy.messages(CONTINUE) if m["sessionId"] == "dup"]
    assert len(continued) == 2 and STEPS[1].question in continued[-1]["text"]


def test_a_reloaded_plan_applies_from_the_next_question(understanding) -> None:
    import json
    from dataclasses import replace

    from hub.hermes.skill import HermesSkill
    from hub.core.plan import CareTeam

    skill = HermesSkill(CarePlan(), home=calm_home, clock=lambda: NOW, understanding=understanding)
    payload = json.dumps({"input": "who do I call", "intent": {"intentName": "WhoToCall", "confidenceScore": 1},
                          "siteId": "kitchen", "sessionId": "a"}).encode()
    assert "212-639-2000" in skill.receive("hermes/intent/WhoToCall", payload)[0].payload
    skill.plan = replace(CarePlan(), care_team=CareTeam(phone="212-555-0100"))
    assert "212-555-0100" in skill.receive("hermes/intent/WhoToCall", payload.replace(b'"a"', b'"b"'))[0].payload
