"""Proactive announcements: tts/say with an id, sayFinished confirms, else the buzzer and a technical alarm."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Iterator

import pytest

from hub.core.alarms import Priority
from hub.hermes.client import MqttClient
from hub.hermes.speaker import HermesSpeaker, SayUnconfirmed, SpeakerSettings
from hub.core.severity import Severity
from tests.hermes.conftest import SAY, Broker, FakeRhasspy, wait_for

URGENT = "The pump is beeping. Please look at the pump screen now."


class FakeBuzzer:
    def __init__(self) -> None:
        self.sounded: list[Severity] = []

    def sound(self, severity: Severity) -> None:
        self.sounded.append(severity)


@pytest.fixture
def buzzer() -> FakeBuzzer:
    return FakeBuzzer()


def make_speaker(broker: Broker, buzzer: FakeBuzzer, timeout_s: float,
                 sites: tuple[str, ...] = ("livingroom",)) -> HermesSpeaker:
    client = MqttClient(broker.settings, client_id=f"hub-speaker-{uuid.uuid4().hex[:6]}")
    speaker = HermesSpeaker(client, settings=SpeakerSettings(sites=sites, confirm_timeout_s=timeout_s),
                            buzzer=buzzer)
    client.start()
    assert client.wait_connected(20)
    return speaker


@pytest.fixture
def speaker(broker: Broker, buzzer: FakeBuzzer) -> Iterator[HermesSpeaker]:
    s = make_speaker(broker, buzzer, timeout_s=20.0)
    yield s
    s.client.stop()


@pytest.fixture
def quick_speaker(broker: Broker, buzzer: FakeBuzzer) -> Iterator[HermesSpeaker]:
    s = make_speaker(broker, buzzer, timeout_s=1.0)
    yield s
    s.client.stop()


def test_default_wait_for_confirmation_is_15_s() -> None:
    assert SpeakerSettings().confirm_timeout_s == 15.0


def test_urgent_alarm_is_said_with_an_id_and_confirmed(speaker: HermesSpeaker, rhasspy: FakeRhasspy,
                                                         buzzer: FakeBuzzer) -> None:
    rhasspy.is_confirming_says = True
    asyncio.run(speaker.say_and_confirm(URGENT, Priority.HIGH))
    said = rhasspy.messages(SAY)
    assert len(said) == 1
    assert said[0]["text"] == URGENT and said[0]["siteId"] == "livingroom" and said[0]["id"]
    assert said[0]["volume"] == 1.0
    assert buzzer.sounded == []


def test_unconfirmed_alarm_sounds_the_buzzer_and_raises(quick_speaker: HermesSpeaker, rhasspy: FakeRhasspy,
                                                          buzzer: FakeBuzzer, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    with pytest.raises(SayUnconfirmed):
        asyncio.run(quick_speaker.say_and_confirm(URGENT, Priority.HIGH))
    assert buzzer.sounded == [Severity.URGENT]
    assert any("Technical alarm" in r.getMessage() for r in caplog.records)
    assert len(rhasspy.wait_message(SAY)) and len(rhasspy.messages(SAY)) == 1, "said once, never resent"


@pytest.fixture
def two_rooms(broker: Broker, buzzer: FakeBuzzer) -> Iterator[HermesSpeaker]:
    s = make_speaker(broker, buzzer, timeout_s=2.0, sites=("livingroom", "bedroom"))
    yield s
    s.client.stop()


def test_an_alarm_is_said_in_every_room_each_with_its_own_confirmation(two_rooms: HermesSpeaker,
                                                                       rhasspy: FakeRhasspy,
                                                                       buzzer: FakeBuzzer) -> None:
    rhasspy.is_confirming_says = True
    asyncio.run(two_rooms.say_and_confirm(URGENT, Priority.HIGH))
    said = rhasspy.messages(SAY)
    assert sorted(m["siteId"] for m in said) == ["bedroom", "livingroom"]
    assert {m["text"] for m in said} == {URGENT} and len({m["id"] for m in said}) == 2
    assert two_rooms.silent_sites == () and buzzer.sounded == []


def test_a_silent_satellite_is_named_while_the_other_room_still_hears_the_alarm(
        two_rooms: HermesSpeaker, rhasspy: FakeRhasspy, buzzer: FakeBuzzer, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    rhasspy.is_confirming_says = True
    rhasspy.silent_sites = {"bedroom"}
    asyncio.run(two_rooms.say_and_confirm(URGENT, Priority.HIGH))  # heard in the living room: no exception
    assert two_rooms.silent_sites == ("bedroom",)
    assert buzzer.sounded == [], "the announcement was heard: the buzzer is for when nobody heard it"
    assert any("bedroom" in r.getMessage() and "Technical alarm" in r.getMessage() for r in caplog.records)
    rhasspy.silent_sites = set()  # plugged back in: the next say clears it
    asyncio.run(two_rooms.say_and_confirm("Second.", Priority.LOW))
    assert two_rooms.silent_sites == ()


def test_no_room_confirming_is_a_failed_announcement(two_rooms: HermesSpeaker, rhasspy: FakeRhasspy,
                                                     buzzer: FakeBuzzer) -> None:
    rhasspy.is_confirming_says = True
    rhasspy.silent_sites = {"bedroom", "livingroom"}
    with pytest.raises(SayUnconfirmed, match="livingroom, bedroom"):
        asyncio.run(two_rooms.say_and_confirm(URGENT, Priority.HIGH))
    assert buzzer.sounded == [Severity.URGENT]
    assert two_rooms.silent_sites == (), "nobody heard it: the daemon's speaker alarm, not a satellite warning"


def test_a_speaker_needs_a_site() -> None:
    with pytest.raises(ValueError, match="at least one site"):
        SpeakerSettings(sites=())


def test_low_priority_unconfirmed_still_beeps(quick_speaker: HermesSpeaker, buzzer: FakeBuzzer) -> None:
    with pytest.raises(SayUnconfirmed):
        asyncio.run(quick_speaker.say_and_confirm("Bag change tomorrow at ten.", Priority.LOW))
    assert buzzer.sounded == [Severity.UNKNOWN]


def test_confirmation_for_another_id_does_not_count(quick_speaker: HermesSpeaker, rhasspy: FakeRhasspy,
                                                      buzzer: FakeBuzzer) -> None:
    async def run() -> None:
        task = asyncio.create_task(quick_speaker.say_and_confirm(URGENT, Priority.HIGH))
        await asyncio.to_thread(rhasspy.wait_message, SAY)
        rhasspy.publish("hermes/tts/sayFinished", json.dumps({"id": "someone-else", "siteId": "livingroom"}))
        await task

    with pytest.raises(SayUnconfirmed):
        asyncio.run(run())
    assert buzzer.sounded == [Severity.URGENT]


def test_malformed_confirmations_are_logged_and_ignored(speaker: HermesSpeaker, rhasspy: FakeRhasspy,
                                                         buzzer: FakeBuzzer, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="hub.hermes")
    bad = [b"", b"nope", b"\xff", b"[]", b"{}", b'{"id": null}', b'{"id": 7}', b'{"id": ["x"]}',
           b'{"id": "x", "siteId": 3}', b'{"id": ""}']

    async def run() -> None:
        task = asyncio.create_task(speaker.say_and_confirm(URGENT, Priority.HIGH))
        said = await asyncio.to_thread(rhasspy.wait_message, SAY)
        for payload in bad:
            rhasspy.publish("hermes/tts/sayFinished", payload)
        rhasspy.publish("hermes/tts/sayFinished", json.dumps({"id": said["id"], "siteId": "livingroom"}))
        rhasspy.publish("hermes/tts/sayFinished", json.dumps({"id": said["id"], "siteId": "livingroom"}))
        await task

    asyncio.run(run())
    assert buzzer.sounded == []
    logged = [r for r in caplog.records if "Ignored a malformed Hermes message" in r.getMessage()]
    assert len(logged) == len(bad)


def test_without_a_broker_nothing_is_said_late(broker: Broker, buzzer: FakeBuzzer, rhasspy: FakeRhasspy) -> None:
    speaker = make_speaker(broker, buzzer, timeout_s=1.0)
    try:
        broker.stop()  # the client may or may not have noticed yet when the say starts: either way
        with pytest.raises(SayUnconfirmed, match="no connection|no sayFinished"):
            asyncio.run(speaker.say_and_confirm(URGENT, Priority.HIGH))
        assert buzzer.sounded == [Severity.URGENT]
        broker.start()
        rhasspy.wait_connected()
        assert speaker.client.wait_connected(20)
        rhasspy.is_confirming_says = True
        asyncio.run(speaker.say_and_confirm("Second.", Priority.LOW))
        assert [m["text"] for m in rhasspy.messages(SAY)] == ["Second."], "the timed-out say was sent late"
    finally:
        speaker.client.stop()


def test_a_say_caught_in_a_dead_connection_is_withdrawn_not_said_late(broker: Broker, buzzer: FakeBuzzer,
                                                                       rhasspy: FakeRhasspy) -> None:
    speaker = make_speaker(broker, buzzer, timeout_s=1.0)
    try:
        speaker.client.wait_connected(20)
        broker.stop()
        wait_for(lambda: not speaker.client.is_connected, what="the speaker to notice")
        # Pretend it has not noticed, as on a half-open connection: the say goes into paho's queue.
        speaker.client._connected.set()
        with pytest.raises(SayUnconfirmed, match="no sayFinished"):
            asyncio.run(speaker.say_and_confirm("Stale alarm.", Priority.HIGH))
        speaker.client._connected.clear()  # end the pretence: wait for the real reconnect
        broker.start()
        rhasspy.wait_connected()
        assert speaker.client.wait_connected(20)
        rhasspy.is_confirming_says = True
        asyncio.run(speaker.say_and_confirm("Fresh.", Priority.LOW))
        assert [m["text"] for m in rhasspy.messages(SAY)] == ["Fresh."]
    finally:
        speaker.client.stop()
