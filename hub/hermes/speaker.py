"""Speaking first through Rhasspy: `tts/say` with an id, confirmed by `sayFinished`, else the buzzer.

`HermesSpeaker` is a `Speaker` as the daemon (hub.service) uses it: `await say(text,
priority)`. An alarm the family may not have heard is the failure that matters here,
so every say carries a fresh id and waits for Rhasspy's `hermes/tts/sayFinished` with
that id. If none comes within `confirm_timeout_s` (15 s by default) the hub sounds its
own buzzer, logs a technical alarm and raises `SayUnconfirmed`, which the daemon turns
into its audio technical alarm, so the gap is announced, never silent.

While the broker is unreachable nothing is published: the say waits for the
connection within the same deadline. A say that times out while paho still holds it
(the connection died under it) is withdrawn from paho's queue. So an announcement is
never delivered minutes late as if it were current, and never twice (a timed-out say
is not sent again; the daemon repeats alarms on its own schedule).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from hub.alarms import Priority
from hub.errors import HubError
from hub.hermes import messages
from hub.hermes.client import MqttClient, Ticket
from hub.hermes.messages import HermesPayloadError
from hub.severity import Severity

_LOGGER = logging.getLogger(__name__)

# The buzzer rhythm for an unconfirmed announcement. A low-priority one still beeps
# (slowly): the family was told nothing, and the hub does not know why.
BUZZER_SEVERITY: Mapping[Priority, Severity] = MappingProxyType({
    Priority.HIGH: Severity.URGENT,
    Priority.MEDIUM: Severity.WARNING,
    Priority.LOW: Severity.UNKNOWN,
})
# Urgent alarms at full volume, the rest a little softer, so the priority can be heard.
VOLUME: Mapping[Priority, float] = MappingProxyType({Priority.HIGH: 1.0, Priority.MEDIUM: 0.8, Priority.LOW: 0.7})


class Buzzer(Protocol):
    """The panel's buzzer (hub.panel.Panel): beeps in the rhythm for a severity."""

    def sound(self, severity: Severity) -> None: ...


class SayUnconfirmed(HubError, TimeoutError):
    """Rhasspy did not confirm an announcement in time; the buzzer was sounded instead."""


@dataclass(frozen=True)
class SpeakerSettings:
    """Where and how long: the site that speaks alarms, and the wait for sayFinished."""

    site_id: str = "default"
    confirm_timeout_s: float = 15.0


class HermesSpeaker:
    """Announces through Rhasspy's TTS on one site; falls back to `buzzer`."""

    def __init__(self, client: MqttClient, *, settings: SpeakerSettings = SpeakerSettings(),
                 buzzer: Buzzer | None = None) -> None:
        self.client = client
        self.settings = settings
        self.buzzer = buzzer
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = {}
        self._lock = threading.Lock()
        client.subscribe(messages.SAY_FINISHED_TOPIC, self.receive)

    async def say(self, text: str, priority: Priority) -> None:
        """Say `text` on the site; return once Rhasspy confirms it, else buzz and raise `SayUnconfirmed`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.confirm_timeout_s
        say_id = f"hub-{uuid.uuid4()}"
        done: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._pending[say_id] = (loop, done)
        ticket: Ticket | None = None
        try:
            is_connected = await asyncio.to_thread(self.client.wait_connected, self.settings.confirm_timeout_s)
            if is_connected and loop.time() < deadline:
                out = messages.say(text, self.settings.site_id, say_id, volume=VOLUME[priority])
                ticket = self.client.publish(out.topic, out.payload)
                _LOGGER.info("Said on %s (%s, id %s): %s", self.settings.site_id, priority.value, say_id, text)
                await asyncio.wait_for(asyncio.shield(done), max(0.0, deadline - loop.time()))
                return
            reason = "no connection to the MQTT broker"
        except asyncio.TimeoutError:
            reason = f"no sayFinished within {self.settings.confirm_timeout_s:g} s"
        finally:
            with self._lock:
                self._pending.pop(say_id, None)
        if ticket is not None:
            self.client.withdraw(ticket)  # still queued: never let it be said late
        self._fall_back(text, priority, reason)
        raise SayUnconfirmed(f"Rhasspy did not confirm an announcement on site {self.settings.site_id}: {reason}")

    def receive(self, topic: str, payload: bytes) -> None:
        """Handle a hermes/tts/sayFinished message (paho's thread); others' ids are ignored."""
        try:
            finished = messages.parse_say_finished(topic, payload)
        except HermesPayloadError as exc:
            _LOGGER.warning("Ignored a malformed Hermes message: %s", exc)
            return
        with self._lock:
            waiting = self._pending.get(finished.say_id)
        if waiting is None:
            _LOGGER.debug("sayFinished for %s is not a say the hub is waiting for", finished.say_id)
            return
        loop, done = waiting
        loop.call_soon_threadsafe(_resolve, done)

    def _fall_back(self, text: str, priority: Priority, reason: str) -> None:
        _LOGGER.error("Technical alarm: announcement not confirmed by Rhasspy (%s); sounding the buzzer: %s",
                      reason, text)
        if self.buzzer is None:
            _LOGGER.error("Technical alarm: no buzzer to fall back to")
            return
        try:
            self.buzzer.sound(BUZZER_SEVERITY[priority])
        except Exception:  # noqa: BLE001 - the fallback failing must still reach the daemon's alarm
            _LOGGER.exception("Technical alarm: the buzzer failed too")


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)
