"""The hub's state on the broker: retained, time-stamped, with a last will and Home Assistant discovery.

Pure payload builders (`state_payload`, `discovery_messages`, `read_state`) are kept
apart from `StatePublisher`, which only sends what they build.

Fail safe, both ways:
- Only what the assessment would trust is published as a value: a stale, invalid or
  implausible reading is published as null (unknown), never as its last number.
- Every state carries `at` and `valid_until`. A reader (`read_state`, or Home
  Assistant through the templates below) treats a state past `valid_until` as
  unknown, so a retained message left by a hub that stopped is never read as current.
- The last will sets the availability topic to "offline" when the hub vanishes;
  Home Assistant then shows every hub entity as unavailable, and a hub-online
  connectivity sensor as off. `expire_after` does the same if updates merely stop.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from hub import __version__
from hub.core.alarms import AlarmBoard
from hub.core.assessment import (
    PLAUSIBLE_HUMIDITY_PCT,
    PLAUSIBLE_LIGHT_LUX,
    PLAUSIBLE_TEMPERATURE_C,
    is_fresh,
    usable_value,
)
from hub.core.findings import Assessment
from hub.hermes.client import MqttClient, Will
from hub.hermes.messages import Outgoing
from hub.core.home import HomeState, PumpLight
from hub.core.plan import CarePlan
from hub.core.severity import Severity

_LOGGER = logging.getLogger(__name__)

ONLINE = "online"
OFFLINE = "offline"
DISCOVERY_PREFIX = "homeassistant"
_NODE_CHARS = re.compile(r"[^a-zA-Z0-9_-]+")


@dataclass(frozen=True)
class StateTopics:
    """Where one hub publishes: `hub/<node>/state` and `hub/<node>/availability`."""

    node: str

    @classmethod
    def for_site(cls, site_id: str) -> StateTopics:
        node = _NODE_CHARS.sub("_", site_id).strip("_") or "default"
        return cls(node=f"hub_{node}")

    @property
    def state(self) -> str:
        return f"hub/{self.node}/state"

    @property
    def availability(self) -> str:
        return f"hub/{self.node}/availability"

    def will(self) -> Will:
        return Will(self.availability, OFFLINE)


def state_payload(plan: CarePlan, home: HomeState, assessment: Assessment, board: AlarmBoard,
                  at: datetime, valid_for_s: float) -> dict[str, Any]:
    """Return the state as JSON-ready values; unknown is null, and it is valid for `valid_for_s`."""
    if at.tzinfo is None:
        raise ValueError("state timestamps must be timezone-aware")
    lim = plan.limits
    env, pump = home.environment, home.pump
    pump_known = bool(pump.is_bridge_connected) and is_fresh(pump.age_s, lim.pump_stale_after_s)
    announcing = board.announcing()
    highest = board.highest_announcing()
    return {
        "at": at.isoformat(timespec="seconds"),
        "valid_until": (at + timedelta(seconds=valid_for_s)).isoformat(timespec="seconds"),
        "severity": assessment.severity.value,
        "all_ok": assessment.is_all_ok,
        "pump": {
            "severity": _worst(assessment, "pump", "infusion"),
            "light": pump.light.value if pump_known else PumpLight.UNKNOWN.value,
            "beeping": pump.is_beeping if pump_known else None,
            "bridge_connected": pump.is_bridge_connected,
        },
        "room": {
            "severity": _worst(assessment, "room"),
            "temperature_c": usable_value(env.temperature_c, lim.room_stale_after_s, PLAUSIBLE_TEMPERATURE_C),
            "humidity_pct": usable_value(env.humidity_pct, lim.room_stale_after_s, PLAUSIBLE_HUMIDITY_PCT),
            "light_lux": usable_value(env.light_lux, lim.room_stale_after_s, PLAUSIBLE_LIGHT_LUX),
        },
        "alarms": {
            "count": len(announcing),
            "highest": highest.value if highest else None,
            "escalated": board.is_escalated(),
            # Codes only: the spoken text names the child and is retained for every client to read.
            "active": [{"code": a.code, "priority": a.priority.value} for a in announcing],
        },
    }


def read_state(payload: bytes, now: datetime) -> dict[str, Any] | None:
    """Return a published state if it is well formed and still valid at `now`, else None.

    None means unknown: a retained state from a hub that stopped publishing is old
    news, whatever it says.
    """
    try:
        data = json.loads(payload.decode("utf-8"))
        at = datetime.fromisoformat(data["at"])
        valid_until = datetime.fromisoformat(data["valid_until"])
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, RecursionError):
        _LOGGER.warning("Ignored a malformed hub state")
        return None
    if not isinstance(data, dict) or at.tzinfo is None or valid_until.tzinfo is None:
        return None
    if not at - timedelta(seconds=5) <= now <= valid_until:
        _LOGGER.info("Hub state from %s is not current at %s", data["at"], now.isoformat())
        return None
    return data


# --- Home Assistant MQTT discovery ---------------------------------------------------

@dataclass(frozen=True)
class _Entity:
    component: str
    object_id: str
    name: str
    value: str  # Jinja expression on value_json
    extra: tuple[tuple[str, Any], ...] = ()


_ENTITIES = (
    _Entity("sensor", "status", "Status", "value_json.severity", (("icon", "mdi:shield-check"),)),
    _Entity("sensor", "pump_status", "Pump status", "value_json.pump.severity", (("icon", "mdi:needle"),)),
    _Entity("sensor", "pump_light", "Pump light", "value_json.pump.light", (("icon", "mdi:led-on"),)),
    _Entity("binary_sensor", "pump_beeping", "Pump beeping",
            "('ON' if value_json.pump.beeping else 'OFF') if value_json.pump.beeping is not none else 'None'",
            (("device_class", "problem"),)),
    _Entity("sensor", "room_status", "Room status", "value_json.room.severity", (("icon", "mdi:home-thermometer"),)),
    _Entity("sensor", "temperature", "Room temperature", "value_json.room.temperature_c",
            (("device_class", "temperature"), ("unit_of_measurement", "°C"), ("state_class", "measurement"))),
    _Entity("sensor", "humidity", "Room humidity", "value_json.room.humidity_pct",
            (("device_class", "humidity"), ("unit_of_measurement", "%"), ("state_class", "measurement"))),
    _Entity("sensor", "light", "Light at the pump", "value_json.room.light_lux",
            (("device_class", "illuminance"), ("unit_of_measurement", "lx"), ("state_class", "measurement"))),
    _Entity("sensor", "alarm", "Alarm", "value_json.alarms.highest or 'none'", (("icon", "mdi:alarm-light"),)),
    _Entity("binary_sensor", "alarm_active", "Alarm active", "'ON' if value_json.alarms.count > 0 else 'OFF'",
            (("device_class", "problem"),)),
)


def _template(value: str) -> str:
    """A value template that renders None (unknown) once the state is past its valid_until."""
    return ("{% if as_timestamp(value_json.valid_until, 0) >= as_timestamp(now()) %}"
            f"{{{{ {value} }}}}"
            "{% else %}None{% endif %}")


def discovery_messages(topics: StateTopics, *, expire_after_s: int, device_name: str = "Hub") -> list[Outgoing]:
    """Return the retained discovery configs that make the hub appear in Home Assistant.

    The device is named by the settings' `device_name`, never by the care plan's child's
    name: retained topics are readable by every client of the broker."""
    device = {"identifiers": [topics.node], "name": device_name,
              "manufacturer": "the hub project", "model": "Infusion home hub", "sw_version": __version__}
    out = []
    for entity in _ENTITIES:
        config: dict[str, Any] = {
            "name": entity.name,
            "unique_id": f"{topics.node}_{entity.object_id}",
            "object_id": f"{topics.node}_{entity.object_id}",
            "state_topic": topics.state,
            "value_template": _template(entity.value),
            "availability_topic": topics.availability,
            "payload_available": ONLINE,
            "payload_not_available": OFFLINE,
            "expire_after": expire_after_s,
            "qos": 1,
            "device": device,
            **dict(entity.extra),
        }
        topic = f"{DISCOVERY_PREFIX}/{entity.component}/{topics.node}/{entity.object_id}/config"
        out.append(Outgoing(topic, json.dumps(config), retain=True))
    online = {
        "name": "Online", "unique_id": f"{topics.node}_online", "object_id": f"{topics.node}_online",
        "state_topic": topics.availability, "payload_on": ONLINE, "payload_off": OFFLINE,
        "device_class": "connectivity", "qos": 1, "device": device,
    }
    out.append(Outgoing(f"{DISCOVERY_PREFIX}/binary_sensor/{topics.node}/online/config", json.dumps(online),
                        retain=True))
    return out


def _worst(assessment: Assessment, *topics: str) -> str:
    return Severity.worst([f.severity for f in assessment.about(*topics)]).value


# --- publishing ------------------------------------------------------------------------

class StatePublisher:
    """Publishes discovery and "online" on every (re)connect, and the state when asked."""

    def __init__(self, client: MqttClient, plan: CarePlan, topics: StateTopics, *,
                 every_s: float = 10.0, clock: Callable[[], datetime] | None = None,
                 device_name: str = "Hub") -> None:
        self.client = client
        self.plan = plan
        self.topics = topics
        self.every_s = every_s
        self.device_name = device_name
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._last: Outgoing | None = None
        client.on_connect(self._announce)

    @property
    def valid_for_s(self) -> float:
        """How long one state stays current: three publishing periods, so one late tick is no gap."""
        return 3 * self.every_s

    def publish(self, home: HomeState, assessment: Assessment, board: AlarmBoard) -> None:
        """Publish the state now, retained, stamped with the real time."""
        payload = state_payload(self.plan, home, assessment, board, self._clock(), self.valid_for_s)
        self._last = Outgoing(self.topics.state, json.dumps(payload), retain=True)
        self.client.publish(self._last.topic, self._last.payload, retain=True)

    def last_words(self) -> tuple[str, str]:
        """What to publish on a clean stop: the same "offline" as the last will."""
        return (self.topics.availability, OFFLINE)

    def _announce(self) -> None:
        for out in discovery_messages(self.topics, expire_after_s=int(self.valid_for_s),
                                      device_name=self.device_name):
            self.client.publish(out.topic, out.payload, retain=True)
        self.client.publish(self.topics.availability, ONLINE, retain=True)
        _LOGGER.info("Published Home Assistant discovery and %s on %s", ONLINE, self.topics.availability)
