"""Hub state on the broker: retained with timestamps, never current once stale, last will, HA discovery."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import jinja2
import pytest

from hub.core.alarms import AlarmBoard, Condition, Priority
from hub.core.alarms import step as alarm_step
from hub.core.assessment import assess
from hub.hermes.client import MqttClient
from hub.hermes.state import (
    OFFLINE,
    ONLINE,
    StatePublisher,
    StateTopics,
    discovery_messages,
    read_state,
    state_payload,
)
from hub.core.home import Environment, HomeState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan
from tests.builders import NOW, calm_home
from tests.hermes.conftest import Broker, FakeRhasspy, wait_for

AT = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)
TOPICS = StateTopics.for_site("default")


def payload_for(home: HomeState, board: AlarmBoard | None = None, valid_for_s: float = 30.0) -> dict:
    plan = CarePlan()
    return state_payload(plan, home, assess(plan, home, NOW), board or AlarmBoard(), AT, valid_for_s)


def test_state_carries_its_time_and_how_long_it_is_valid() -> None:
    state = payload_for(calm_home())
    assert state["at"] == "2026-11-24T14:00:00+00:00"
    assert state["valid_until"] == "2026-11-24T14:00:30+00:00"
    assert state["severity"] == "ok" and state["all_ok"] is True
    assert state["pump"]["light"] == "green_blinking" and state["pump"]["beeping"] is False
    assert state["room"]["temperature_c"] == 22.0


def test_stale_or_invalid_readings_are_published_as_unknown() -> None:
    home = calm_home(
        environment=Environment(temperature_c=Reading(22.0, 9999), humidity_pct=Reading(45.0, 1, is_valid=False),
                                light_lux=Reading(None, 1)),
        pump=PumpState(True, PumpLight.GREEN_BLINKING, False, "", 9999))
    state = payload_for(home)
    assert state["room"] == {"severity": "unknown", "temperature_c": None, "humidity_pct": None,
                             "light_lux": None}
    assert state["pump"]["light"] == "unknown" and state["pump"]["beeping"] is None
    assert state["all_ok"] is False and state["severity"] != "ok"


def test_nothing_known_is_never_ok() -> None:
    state = payload_for(HomeState())
    assert state["severity"] == "unknown" and state["all_ok"] is False


def test_alarms_are_listed_with_the_highest_priority() -> None:
    board, _ = alarm_step(AlarmBoard(), [Condition("pump.beeping", Priority.HIGH, "The pump is beeping.")],
                          0.0, _policy())
    state = payload_for(calm_home(), board)
    assert state["alarms"]["count"] == 1 and state["alarms"]["highest"] == "high"
    assert state["alarms"]["active"][0]["code"] == "pump.beeping"


def _policy():
    from hub.core.alarms import AlarmPolicy

    return AlarmPolicy.from_plan(CarePlan().alarms)


def test_naive_timestamps_are_refused() -> None:
    plan = CarePlan()
    with pytest.raises(ValueError):
        state_payload(plan, HomeState(), assess(plan, HomeState(), NOW), AlarmBoard(), NOW, 30)


def test_read_state_refuses_stale_and_malformed_states() -> None:
    raw = json.dumps(payload_for(calm_home(), valid_for_s=30)).encode()
    assert read_state(raw, AT + timedelta(seconds=10)) is not None
    assert read_state(raw, AT + timedelta(seconds=31)) is None
    assert read_state(raw, AT - timedelta(hours=1)) is None  # from the future: a confused clock
    for bad in (b"", b"[]", b"{}", b'{"at": "yesterday", "valid_until": "x"}', b"\xff",
                b'{"at": "2026-11-24T14:00:00", "valid_until": "2026-11-24T14:00:30"}'):
        assert read_state(bad, AT) is None


# --- Home Assistant ------------------------------------------------------------------

def render(template: str, value_json: dict, now: datetime) -> str:
    """Render a value template roughly as Home Assistant does (as_timestamp, now)."""
    env = jinja2.Environment()

    def as_timestamp(value, default=None):
        try:
            return (value if isinstance(value, datetime) else datetime.fromisoformat(value)).timestamp()
        except (TypeError, ValueError):
            return default

    env.globals.update(as_timestamp=as_timestamp, now=lambda: now)
    return env.from_string(template).render(value_json=value_json).strip()


def test_discovery_makes_every_entity_unknown_once_the_state_is_stale() -> None:
    configs = {m.topic: json.loads(m.payload) for m in discovery_messages(TOPICS, expire_after_s=30)}
    state = payload_for(calm_home(pump=PumpState(True, PumpLight.RED, True, "", 1.0)))
    fresh = {t.split("/")[3]: render(c["value_template"], state, AT + timedelta(seconds=5))
             for t, c in configs.items() if "value_template" in c}
    assert fresh["temperature"] == "22.0" and fresh["pump_light"] == "red" and fresh["pump_beeping"] == "ON"
    assert fresh["status"] == "urgent"
    stale = {render(c["value_template"], state, AT + timedelta(seconds=31))
             for c in configs.values() if "value_template" in c}
    assert stale == {"None"}


def test_discovery_configs_follow_home_assistant_conventions() -> None:
    messages = discovery_messages(TOPICS, expire_after_s=30)
    assert all(m.retain for m in messages)
    ids = set()
    for m in messages:
        prefix, component, node, object_id, config = m.topic.split("/")
        assert (prefix, node, config) == ("homeassistant", "hub_default", "config")
        assert component in {"sensor", "binary_sensor"}
        body = json.loads(m.payload)
        assert body["unique_id"] not in ids
        ids.add(body["unique_id"])
        assert body["device"]["identifiers"] == ["hub_default"]
        if object_id != "online":
            assert body["availability_topic"] == TOPICS.availability and body["expire_after"] == 30


def test_unknown_beeping_is_unknown_in_home_assistant() -> None:
    configs = {m.topic.split("/")[3]: json.loads(m.payload) for m in discovery_messages(TOPICS, expire_after_s=30)}
    state = payload_for(HomeState())
    assert render(configs["pump_beeping"]["value_template"], state, AT) == "None"
    assert render(configs["temperature"]["value_template"], state, AT) == "None"


# --- on the broker ---------------------------------------------------------------------

def test_publisher_sends_discovery_online_and_retained_state(broker: Broker, rhasspy: FakeRhasspy) -> None:
    client = MqttClient(broker.settings, client_id="hub-state", will=TOPICS.will())
    publisher = StatePublisher(client, CarePlan(), TOPICS, every_s=10.0)
    client.start()
    try:
        assert client.wait_connected(20)
        home = calm_home()
        publisher.publish(home, assess(CarePlan(), home, NOW), AlarmBoard())
        rhasspy.wait_message(TOPICS.state)
        wait_for(lambda: [b for t, b, _ in rhasspy.received if t == TOPICS.availability] == [ONLINE],
                 what="online")
        wait_for(lambda: len([t for t, _, _ in rhasspy.received if t.startswith("homeassistant/")]) == 13,
                 what="discovery")
    finally:
        client.stop(last_words=publisher.last_words())
    wait_for(lambda: [b for t, b, _ in rhasspy.received if t == TOPICS.availability][-1] == OFFLINE,
             what="offline on a clean stop")
    # A newcomer gets the retained state, and can tell it is no longer current.
    late = FakeRhasspy(broker, topics=(TOPICS.state,))
    try:
        body = late.wait_message(TOPICS.state)
        assert late.received[0][2] is True, "the state is retained"
        raw = json.dumps(body).encode()
        assert read_state(raw, datetime.now(timezone.utc)) is not None
        assert read_state(raw, datetime.now(timezone.utc) + timedelta(seconds=31)) is None
    finally:
        late.close()


HUB_PROCESS = textwrap.dedent("""
    import sys, time
    from hub.hermes.client import MqttClient
    from hub.hermes.state import StatePublisher, StateTopics
    from hub.core.plan import CarePlan
    from hub.settings import Mqtt
    topics = StateTopics.for_site("default")
    client = MqttClient(Mqtt(enabled=True, port=int(sys.argv[1])), client_id="hub-killed", will=topics.will())
    StatePublisher(client, CarePlan(), topics)
    client.start()
    assert client.wait_connected(20)
    time.sleep(1)
    print("ready", flush=True)
    time.sleep(600)
""")


def test_last_will_tells_subscribers_the_hub_is_offline(broker: Broker, rhasspy: FakeRhasspy) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HUB_PROCESS, str(broker.port)], stdout=subprocess.PIPE,
                            text=True, cwd=os.getcwd())
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        wait_for(lambda: [b for t, b, _ in rhasspy.received if t == TOPICS.availability] == [ONLINE],
                 what="online")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # When the broker sends the will depends on its keep-alive check; the wait only keeps
        # a broken hub from hanging the suite.
        wait_for(lambda: [b for t, b, _ in rhasspy.received if t == TOPICS.availability][-1] == OFFLINE,
                 what="the last will")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_state_shows_a_check_done_with_problems_and_what_the_family_reported():
    from hub.core.codes import Code
    from hub.core.reported import OpenFinding, with_reported

    plan, home = CarePlan(), calm_home()
    items = (OpenFinding(Code.REPORTED_DRESSING_WET, NOW),)
    assessment = with_reported(assess(plan, home, NOW), items, plan, NOW)
    state = state_payload(plan, home, assessment, AlarmBoard(), AT, 30, daily_check="done_with_problems",
                          reported=("reported.dressing_wet",))
    assert state["daily_check"] == "done_with_problems" and state["reported"] == ["reported.dressing_wet"]
    assert state["all_ok"] is False and state["severity"] == "urgent"
