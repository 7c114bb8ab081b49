"""The shipped Mosquitto ACL on a real broker: only Rhasspy and its satellites can acknowledge."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from hub.core.plan import CarePlan
from hub.hermes.client import MqttClient
from hub.hermes.skill import HermesSkill
from tests.builders import NOW, calm_home
from tests.hermes.conftest import END, Broker, find_mosquitto, wait_for

ACL = Path(__file__).resolve().parents[2] / "firmware-config" / "mosquitto" / "acl"
USERS = {"hub": "hub-pw", "rhasspy": "rhasspy-pw", "satellite-bedroom": "bedroom-pw",
         "homeassistant": "ha-pw", "guest": "guest-pw"}


@pytest.fixture
def acl_broker(tmp_path: Path):
    broker = Broker(find_mosquitto(), tmp_path, users=USERS, acl_file=ACL)
    broker.start()
    yield broker
    broker.stop()


class Client:
    """A plain MQTT client logged in as `user`, recording what it receives."""

    def __init__(self, broker: Broker, user: str) -> None:
        self.user = user
        self.received: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(client_id=f"{user}-{uuid.uuid4().hex[:6]}", clean_session=True)
        self.client.username_pw_set(user, USERS[user])
        self.client.on_message = lambda c, u, m: self.received.append((m.topic, bytes(m.payload)))
        self.subscribed = threading.Event()
        self.client.on_subscribe = lambda *args: self.subscribed.set()
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()

    def subscribe(self, topic: str) -> None:
        self.subscribed.clear()
        wait_for(self.client.is_connected, what=f"{self.user} to connect")
        result, mid = self.client.subscribe(topic, qos=1)
        assert result == mqtt.MQTT_ERR_SUCCESS
        wait_for(self.subscribed.is_set, what=f"{self.user}'s subscription")

    def intent(self, name: str, site_id: str) -> str:
        from rhasspyhermes.intent import Intent
        from rhasspyhermes.nlu import NluIntent

        session = uuid.uuid4().hex
        message = NluIntent(input=name, intent=Intent(intent_name=name, confidence_score=1.0), site_id=site_id,
                            session_id=session, id=uuid.uuid4().hex)
        self.client.publish(NluIntent.topic(intent_name=name), message.payload(), qos=1).wait_for_publish()
        return session

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_only_rhasspy_and_its_satellites_may_publish_intents(acl_broker: Broker) -> None:
    acknowledged: list[str] = []
    skill = HermesSkill(CarePlan(), home=calm_home, clock=lambda: NOW, on_acknowledge=acknowledged.append,
                        acknowledging_sites=("default", "bedroom"))
    settings = replace(acl_broker.settings, username="hub", password=USERS["hub"])
    hub = MqttClient(settings, client_id=f"hub-{uuid.uuid4().hex[:6]}")
    skill.attach(hub)
    hub.start()
    clients = {user: Client(acl_broker, user) for user in ("guest", "homeassistant", "rhasspy", "satellite-bedroom")}
    try:
        assert hub.wait_connected(20), "the hub logs in and the ACL lets it subscribe to intents"
        clients["rhasspy"].subscribe(END)
        for client in clients.values():
            wait_for(client.client.is_connected, what=f"{client.user} to connect")
        # Strangers on the network, even naming the hub's own site, are dropped by the broker.
        clients["guest"].intent("Acknowledge", "default")
        clients["homeassistant"].intent("Acknowledge", "default")
        wait_for(lambda: acl_broker.log.read_text(errors="replace").count("Denied PUBLISH") >= 2,
                 what="the broker to deny both publishes")
        # Rhasspy's base and a satellite get through.
        for user, site in (("rhasspy", "default"), ("satellite-bedroom", "bedroom")):
            session = clients[user].intent("Acknowledge", site)
            wait_for(lambda s=session: any(s.encode() in body for _, body in clients["rhasspy"].received),
                     what=f"the hub's answer to {user}")
        assert acknowledged == ["default", "bedroom"]
    finally:
        for client in clients.values():
            client.close()
        hub.stop()


def test_a_stranger_cannot_fake_the_hubs_state_or_its_announcements(acl_broker: Broker) -> None:
    watcher = Client(acl_broker, "rhasspy")
    stranger = Client(acl_broker, "guest")
    try:
        watcher.subscribe("hermes/#")
        wait_for(stranger.client.is_connected, what="the stranger")
        stranger.client.publish("hermes/tts/sayFinished", b'{"id": "x", "siteId": "default"}', qos=1).wait_for_publish()
        wait_for(lambda: "Denied PUBLISH" in acl_broker.log.read_text(errors="replace"), what="the denial")
        assert not any(topic == "hermes/tts/sayFinished" for topic, _ in watcher.received)
    finally:
        watcher.close()
        stranger.close()
