"""A real Mosquitto broker on loopback, and a Rhasspy-shaped client that talks to it.

The broker runs from a temporary config on a free port, with persistence on as
Debian's packaged broker has it, and can be restarted mid-test on the same port.
Nothing is skipped: a machine without mosquitto fails loudly (CI installs it).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from hub.hermes.client import MqttClient
from hub.hermes.skill import HermesSkill
from hub.core.plan import CarePlan
from hub.settings import Mqtt
from tests.builders import NOW, calm_home

WAIT_S = 20.0  # generous: the test machine may be a loaded 2-core box


def find_mosquitto() -> str:
    for candidate in (shutil.which("mosquitto"), "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("mosquitto is not installed: the MQTT tests need a real broker. "
                "Install it with: apt-get install -y mosquitto (CI's .ci/run does this).", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], Any], timeout_s: float = WAIT_S, what: str = "condition") -> Any:
    """Poll `predicate` until it returns something truthy; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


class Broker:
    """One mosquitto process; `restart` keeps its port and its persistence file."""

    def __init__(self, binary: str, workdir: Path, users: dict[str, str] | None = None,
                 acl_file: Path | None = None, listener_extra: str = "") -> None:
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.config = workdir / "mosquitto.conf"
        self.log = workdir / "mosquitto.log"
        access = "allow_anonymous true\n"
        if users:
            passwords = workdir / "passwords"
            passwords.touch()
            tool = shutil.which("mosquitto_passwd") or pytest.fail(
                "mosquitto_passwd is missing: it comes with the mosquitto package", pytrace=False)
            for user, password in users.items():
                subprocess.run([tool, "-b", str(passwords), user, password], check=True, capture_output=True)
            access = f"allow_anonymous false\npassword_file {passwords}\n"
        if acl_file is not None:
            access += f"acl_file {acl_file}\n"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            f"{listener_extra}"
            f"{access}"
            "persistence true\n"
            f"persistence_location {workdir}/\n"
            f"log_dest file {self.log}\n"
            "log_type all\n"
            "user root\n",
            encoding="utf-8")
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def settings(self) -> Mqtt:
        return Mqtt(enabled=True, host="127.0.0.1", port=self.port, site_id="default")

    def start(self) -> None:
        self._proc = subprocess.Popen([self.binary, "-c", str(self.config)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                log = self.log.read_text(errors="replace") if self.log.exists() else ""
                pytest.fail(f"mosquitto exited at start ({self._proc.returncode}): {err}\n{log}", pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"mosquitto did not listen on port {self.port}", pytrace=False)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._proc = None

    def restart(self, down_s: float = 0.5) -> None:
        self.stop()
        time.sleep(down_s)
        self.start()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(find_mosquitto(), tmp_path)
    b.start()
    yield b
    b.stop()


class FakeRhasspy:
    """Acts as Rhasspy's services would: publishes intents, records what the hub sends.

    Uses a persistent session and reconnects, as Rhasspy's own services do, so it
    survives a broker restart with its subscriptions intact.
    """

    def __init__(self, broker: Broker, topics: tuple[str, ...] = ("hermes/#", "hub/#", "homeassistant/#")) -> None:
        self.received: list[tuple[str, dict[str, Any] | str, bool]] = []
        self.is_confirming_says = False  # answer each tts/say with sayFinished, as Rhasspy's TTS does
        self.silent_sites: set[str] = set()  # satellites that are off: their says are never confirmed
        self._lock = threading.Lock()
        self._topics = topics
        self._connected = threading.Event()
        self.client = mqtt.Client(client_id=f"fake-rhasspy-{uuid.uuid4().hex[:8]}", clean_session=False)
        self.client.reconnect_delay_set(min_delay=1, max_delay=2)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *a: self._connected.clear()
        self.client.on_message = self._on_message
        self.client.connect_async("127.0.0.1", broker.port)
        self.client.loop_start()
        wait_for(self._connected.is_set, what="the fake Rhasspy to connect")

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: int) -> None:
        for topic in self._topics:
            client.subscribe(topic, qos=1)
        self._connected.set()

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            body: dict[str, Any] | str = json.loads(message.payload.decode())
        except ValueError:
            body = message.payload.decode(errors="replace")
        with self._lock:
            self.received.append((message.topic, body, bool(message.retain)))
        if message.topic == "hermes/tts/say" and self.is_confirming_says and isinstance(body, dict) \
                and body.get("siteId") not in self.silent_sites:
            from rhasspyhermes.tts import TtsSayFinished

            done = TtsSayFinished(site_id=body.get("siteId", "default"), id=body.get("id"))
            client.publish(TtsSayFinished.topic(), done.payload(), qos=1)

    def wait_connected(self) -> None:
        wait_for(self._connected.is_set, what="the fake Rhasspy to reconnect")

    def publish(self, topic: str, payload: str | bytes, retain: bool = False) -> None:
        self.client.publish(topic, payload, qos=1, retain=retain).wait_for_publish()

    def intent(self, name: str, *, session_id: str | None = "s1", site_id: str = "default",
               slots: dict[str, str] | None = None, text: str = "", request_id: str | None = None) -> None:
        """Publish an NluIntent as Rhasspy's NLU would, through rhasspy-hermes itself."""
        from rhasspyhermes.intent import Intent, Slot
        from rhasspyhermes.nlu import NluIntent

        message = NluIntent(
            input=text or name, intent=Intent(intent_name=name, confidence_score=1.0), site_id=site_id,
            session_id=session_id, id=request_id or uuid.uuid4().hex,
            slots=[Slot(entity=k, slot_name=k, value={"kind": "Unknown", "value": v}, raw_value=v,
                        confidence=1.0) for k, v in (slots or {}).items()])
        self.publish(NluIntent.topic(intent_name=name), message.payload())

    def messages(self, topic: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for t, body, _ in self.received if t == topic and isinstance(body, dict)]

    def wait_message(self, topic: str, where: Callable[[dict[str, Any]], bool] = lambda m: True,
                     timeout_s: float = WAIT_S) -> dict[str, Any]:
        return wait_for(lambda: next((m for m in self.messages(topic) if where(m)), None),
                        timeout_s, what=f"a message on {topic}")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def rhasspy(broker: Broker) -> Iterator[FakeRhasspy]:
    fake = FakeRhasspy(broker)
    yield fake
    fake.close()

END = "hermes/dialogueManager/endSession"
CONTINUE = "hermes/dialogueManager/continueSession"
SAY = "hermes/tts/say"


class Hub:
    """The skill connected to the broker, with a home the test can change."""

    def __init__(self, broker: Broker, understanding) -> None:
        self.home = calm_home()
        self.acknowledged: list[str] = []
        self.skill = HermesSkill(CarePlan(), home=lambda: self.home, clock=lambda: NOW, understanding=understanding,
                                 on_acknowledge=self.acknowledged.append)
        self.client = MqttClient(broker.settings, client_id=f"hub-test-{uuid.uuid4().hex[:6]}")
        self.skill.attach(self.client)
        self.client.start()
        assert self.client.wait_connected(20), "the hub did not connect to the broker"


@pytest.fixture
def hub(broker: Broker, understanding) -> Iterator[Hub]:
    h = Hub(broker, understanding)
    yield h
    h.client.stop()


def ask(rhasspy: FakeRhasspy, name: str, *, topic: str = END, **kwargs) -> dict:
    session = kwargs.pop("session_id", None) or uuid.uuid4().hex
    rhasspy.intent(name, session_id=session, **kwargs)
    return rhasspy.wait_message(topic, lambda m: m.get("sessionId") == session)


