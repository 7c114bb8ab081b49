"""The MQTT client: credentials from the plan, duplicate filter, handlers that fail."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

from hub.hermes.client import MqttClient, SeenIds
from tests.hermes.conftest import Broker, FakeRhasspy, find_mosquitto, wait_for


def test_seen_ids_drop_repeats_and_stay_bounded() -> None:
    seen = SeenIds(size=3)
    assert seen.is_new("a") and not seen.is_new("a")
    for key in ("b", "c", "d"):
        assert seen.is_new(key)
    assert seen.is_new("a"), "the oldest id was forgotten, so memory stays bounded"


def test_user_and_password_come_from_the_plan(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    broker = Broker(find_mosquitto(), tmp_path, users={"hub": "s3cret"})
    broker.start()
    try:
        good = MqttClient(replace(broker.settings, username="hub", password="s3cret"), client_id="hub-good")
        bad = MqttClient(replace(broker.settings, username="hub", password="wrong"), client_id="hub-bad")
        good.start()
        bad.start()
        try:
            assert good.wait_connected(20)
            wait_for(lambda: any("refused" in r.getMessage() for r in caplog.records), what="the refusal log line")
            assert not bad.is_connected
        finally:
            good.stop()
            bad.stop()
    finally:
        broker.stop()


def test_a_failing_handler_is_logged_and_the_client_keeps_going(broker: Broker, rhasspy: FakeRhasspy,
                                                                 caplog) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    got: list[bytes] = []

    def explode(topic: str, payload: bytes) -> None:
        if payload == b"boom":
            raise RuntimeError("handler bug")
        got.append(payload)

    client = MqttClient(broker.settings, client_id=f"hub-{uuid.uuid4().hex[:6]}")
    client.subscribe("test/#", explode)
    client.start()
    try:
        assert client.wait_connected(20)
        rhasspy.publish("test/a", b"boom")
        rhasspy.publish("test/a", b"fine")
        wait_for(lambda: got == [b"fine"], what="the next message")
        assert any("failed" in r.getMessage() for r in caplog.records)
    finally:
        client.stop()


def test_publishing_from_callbacks_and_another_thread_at_once_never_deadlocks(broker: Broker) -> None:
    """paho 1.5 deadlocks if a callback publishes while another thread does; the outbox prevents it."""
    rhasspy = FakeRhasspy(broker, topics=("echoed/#", "hello/#"))
    client = MqttClient(broker.settings, client_id=f"hub-{uuid.uuid4().hex[:6]}")
    client.subscribe("echo/#", lambda topic, payload: client.publish("echoed/x", payload))
    client.on_connect(lambda: [client.publish("hello/x", str(i)) for i in range(50)])
    client.start()
    try:
        assert client.wait_connected(20)
        stop = threading.Event()

        def hammer() -> None:
            for _ in range(400):  # well under paho's queue limit, so nothing is refused
                if stop.is_set():
                    return
                client.publish("hammer/x", b"x")
                time.sleep(0.002)

        worker = threading.Thread(target=hammer, daemon=True)
        worker.start()
        for i in range(200):
            rhasspy.client.publish("echo/x", str(i), qos=1)
        wait_for(lambda: sum(t == "echoed/x" for t, _, _ in rhasspy.received) == 200, 60, "every echo")
        wait_for(lambda: sum(t == "hello/x" for t, _, _ in rhasspy.received) == 50, 60, "every hello")
        stop.set()
        worker.join(10)
        assert not worker.is_alive()
    finally:
        client.stop()
        rhasspy.close()
