"""Speaking first through Rhasspy: `tts/say` with an id, confirmed by `sayFinished`, else the buzzer.

`HermesSpeaker` is a `Speaker` as the daemon (hub.daemon.service) uses it: `await say(text,
priority)`. An alarm the family may not have heard is the failure that matters here,
so every say carries a fresh id and waits for Rhasspy's `hermes/tts/sayFinished` with
that id. If none comes within `confirm_timeout_s` (15 s by default) the hub sounds its
own buzzer, logs a technical alarm and sets `is_unheard`, which the daemon turns into
its audio technical alarm, so the gap is announced, never silent.

`say` never waits for that confirmation: it queues the announcement and returns, and
one background task says the queue in order (Rhasspy speaks one at a time anyway).
Waiting in the daemon's tick blocked it 15 s per unconfirmed announcement, past
systemd's watchdog with a few alarms and the broker down. `say_and_confirm` is the
waiting form, for one announcement on its own.

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

from hub.core.alarms import Priority
from hub.errors import HubError
from hub.hermes import messages
from hub.hermes.client import MqttClient, Ticket
from hub.hermes.messages import HermesPayloadError
from hub.core.severity import Severity

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
    """The panel's buzzer (hub.panel.controls.Panel): beeps in the rhythm for a severity."""

    def sound(self, severity: Severity) -> None: ...


class SayUnconfirmed(HubError, TimeoutError):
    """Rhasspy did not confirm an announcement in time; the buzzer was sounded instead."""


@dataclass(frozen=True)
class SpeakerSettings:
    """Where and how long: the sites that speak alarms, and the wait for sayFinished."""

    sites: tuple[str, ...] = ("default",)
    confirm_timeout_s: float = 15.0
    # An announcement that waited longer than this behind others is not said late as if
    # current: the buzzer sounds instead, and the daemon repeats alarms on its own schedule.
    stale_after_s: float = 60.0
    max_queued: int = 16  # a few alarms at once; more means Rhasspy is not keeping up

    def __post_init__(self) -> None:
        if not self.sites:
            raise ValueError("a speaker needs at least one site to speak on")


class HermesSpeaker:
    """Announces through Rhasspy's TTS on every site in `settings.sites`; falls back to `buzzer`.

    Each site gets its own say and must confirm it. When none does, nobody heard the
    announcement: the buzzer sounds and `say` raises `SayUnconfirmed` (the daemon's
    audio technical alarm). When only some do, the announcement was heard somewhere
    and `say` returns, but `silent_sites` names the rest, so the daemon can say which
    room is not hearing its alarms (a satellite unplugged in the child's bedroom must
    not go unnoticed). Each say updates `silent_sites`; one nobody heard empties it,
    since the daemon's speaker alarm then covers every room.
    """

    def __init__(self, client: MqttClient, *, settings: SpeakerSettings = SpeakerSettings(),
                 buzzer: Buzzer | None = None) -> None:
        self.client = client
        self.settings = settings
        self.buzzer = buzzer
        self.silent_sites: tuple[str, ...] = ()
        self.is_unheard = False  # the last announcement was confirmed nowhere (the daemon's speaker alarm)
        self._queue: asyncio.Queue[_Queued] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = {}
        self._lock = threading.Lock()
        client.subscribe(messages.SAY_FINISHED_TOPIC, self.receive)

    async def say(self, text: str, priority: Priority) -> None:
        """Queue `text` to be said on every site and return at once, without waiting for Rhasspy.

        The outcome arrives later: `is_unheard` and `silent_sites` are updated, and the
        buzzer sounds, when the announcement is confirmed nowhere."""
        loop = asyncio.get_running_loop()
        if self._queue is None or self._worker is None or self._worker.done() or self._worker.get_loop() is not loop:
            self._queue = asyncio.Queue(maxsize=self.settings.max_queued)
            self._worker = loop.create_task(self._say_queued(self._queue), name="hermes-speaker")
        try:
            self._queue.put_nowait(_Queued(text, priority, loop.time()))
        except asyncio.QueueFull:
            self._unheard(text, priority, f"{self.settings.max_queued} announcements already waiting for Rhasspy")

    @property
    def is_waiting(self) -> bool:
        """True while an announcement is queued or awaiting Rhasspy's confirmation."""
        with self._lock:
            if self._pending:
                return True
        return self._queue is not None and not self._queue.empty()

    async def drain(self) -> None:
        """Wait until every queued announcement has been confirmed or given up on."""
        if self._queue is not None and self._worker is not None and not self._worker.done():
            await self._queue.join()

    async def _say_queued(self, queue: asyncio.Queue[_Queued]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            item = await queue.get()
            try:
                waited_s = loop.time() - item.queued_s
                if waited_s > self.settings.stale_after_s:
                    self._unheard(item.text, item.priority, f"waited {waited_s:.0f} s behind other announcements")
                    continue
                await self.say_and_confirm(item.text, item.priority)
                self.is_unheard = False
            except SayUnconfirmed:
                self.is_unheard = True
            except Exception:  # noqa: BLE001 - the queue must keep going; the daemon hears of it
                _LOGGER.exception("Technical alarm: announcing failed: %s", item.text)
                self.is_unheard = True
            finally:
                queue.task_done()

    def _unheard(self, text: str, priority: Priority, reason: str) -> None:
        self.is_unheard = True
        self.silent_sites = ()
        self._fall_back(text, priority, reason)

    async def say_and_confirm(self, text: str, priority: Priority) -> None:
        """Say `text` on every site; return once at least one confirms it, else buzz and raise `SayUnconfirmed`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.confirm_timeout_s
        says = {site: (f"hub-{uuid.uuid4()}", loop.create_future()) for site in self.settings.sites}
        with self._lock:
            for say_id, done in says.values():
                self._pending[say_id] = (loop, done)
        tickets: dict[str, Ticket] = {}
        reason = "no connection to the MQTT broker"
        try:
            # Polled, not waited for in a thread: asyncio.run waits for its threads at exit,
            # and a SIGTERM must not wait 15 s for a broker that is down.
            while not self.client.is_connected and loop.time() < deadline:
                await asyncio.sleep(0.05)
            if self.client.is_connected and loop.time() < deadline:
                for site, (say_id, _) in says.items():
                    out = messages.say(text, site, say_id, volume=VOLUME[priority])
                    tickets[site] = self.client.publish(out.topic, out.payload)
                    _LOGGER.info("Said on %s (%s, id %s): %s", site, priority.value, say_id, text)
                # asyncio.wait leaves what is still pending at the deadline as it is.
                await asyncio.wait([done for _, done in says.values()], timeout=max(0.0, deadline - loop.time()))
                reason = f"no sayFinished within {self.settings.confirm_timeout_s:g} s"
        finally:
            with self._lock:
                for say_id, _ in says.values():
                    self._pending.pop(say_id, None)
        heard = [site for site, (_, done) in says.items() if done.done()]
        silent = tuple(site for site in self.settings.sites if site not in heard)
        for site in silent:
            if site in tickets:
                self.client.withdraw(tickets[site])  # still queued: never let it be said late
        self.silent_sites = silent if heard else ()
        if heard and silent:
            _LOGGER.error("Technical alarm: site %s did not confirm the announcement (%s): %s",
                          ", ".join(silent), reason, text)
        if heard:
            return
        self._fall_back(text, priority, reason)
        raise SayUnconfirmed(f"Rhasspy did not confirm an announcement on site "
                             f"{', '.join(self.settings.sites)}: {reason}")

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


@dataclass(frozen=True)
class _Queued:
    text: str
    priority: Priority
    queued_s: float  # the loop's clock when `say` was called


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)
