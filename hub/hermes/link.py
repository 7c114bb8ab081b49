"""The daemon's Hermes link: one MQTT connection carrying the skill, the speaker and the hub state.

`HermesLink` is what `hub serve` builds when the device settings' `[mqtt]` is enabled. It adapts
the Hermes parts to the daemon (hub.daemon.service) without the daemon knowing about MQTT:
- `link.source` wraps the daemon's `HomeSource` and keeps the last home it read, so
  the skill answers from the same readings the alarms use. A snapshot older than
  `home_max_age_s` is given as `HomeState()`: all unknown, never an old "fine".
- `link.speaker` is a `Speaker` (tts/say, sayFinished, buzzer fallback).
- `link.make_assistant` is the daemon's assistant factory: the daemon and the skill
  share one assistant on the hub's own site, so a daily check the daemon starts by
  speaking first can be answered through Rhasspy.
- `await link.run(service, stop)` publishes the state every `state_every_s`, passes
  "okay, I heard you" from the hub's own sites to the daemon as an acknowledgement (from
  any other, the daemon says it was refused), and hands it
  every reply, so daily-check answers given through Rhasspy are recorded.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from hub.core.alarms import AlarmBoard, Priority
from hub.intents.assistant import Assistant
from hub.hermes.client import MqttClient
from hub.hermes.skill import HermesSkill
from hub.hermes.speaker import Buzzer, HermesSpeaker, SpeakerSettings
from hub.hermes.state import StatePublisher, StateTopics
from hub.core.home import HomeState
from hub.intents.templates import Templates
from hub.intents.understand import Understanding
from hub.core.plan import CarePlan
from hub.settings import Mqtt
from hub.core.replies import Reply
from hub.core.reported import OpenFinding, with_reported
from hub.core.severity import Severity
from hub.daemon.ports import FamilyInput

_LOGGER = logging.getLogger(__name__)


class HomeSource(Protocol):
    async def read(self) -> HomeState: ...


class Daemon(Protocol):
    """What the link needs of hub.daemon.service.HubService."""

    @property
    def board(self) -> AlarmBoard: ...

    def hear(self, heard: FamilyInput) -> None: ...

    def note_reply(self, reply: Reply) -> None: ...

    @property
    def open_findings(self) -> tuple[OpenFinding, ...]: ...

    def daily_check_status(self, day: date) -> str | None: ...

    def refuse_acknowledgement(self, site_id: str) -> None: ...


@dataclass(frozen=True)
class LinkSettings:
    """Timings of the link, in seconds."""

    confirm_timeout_s: float = 15.0
    state_every_s: float = 10.0
    home_max_age_s: float = 10.0


STATE_CHANGE_POLL_S = 0.5  # how often the alarms are compared with the last published state


def _alarm_summary(board: AlarmBoard) -> tuple[tuple[str, str, bool], ...]:
    """What of the alarms the published state shows: each announcing alarm's code,
    priority and whether it is escalated."""
    return tuple((a.code, a.priority.value, a.is_escalated) for a in board.announcing())


def acknowledgement_reply(board: AlarmBoard, plan: CarePlan) -> str | None:
    """What a satellite says to "okay, I heard you", as the hub's own microphone would
    (hub.daemon.service): that an urgent alarm comes back unless the button is pressed, or that
    nothing was sounding. None: the plain acknowledgement."""
    from hub.core import phrases

    announcing = board.announcing()
    if not announcing:
        return phrases.NOTHING_TO_ACKNOWLEDGE
    if any(a.priority is Priority.HIGH and a.is_condition_present for a in announcing):
        return phrases.acknowledged_by_voice(plan)
    return None


class SnapshotSource:
    """A `HomeSource` that passes reads through and remembers the last home and when it came."""

    def __init__(self, source: HomeSource, *, max_age_s: float,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.max_age_s = max_age_s
        self._monotonic = monotonic
        self._home: HomeState | None = None
        self._read_s = 0.0

    async def read(self) -> HomeState:
        home = await self.source.read()
        self._home, self._read_s = home, self._monotonic()
        return home

    def current(self) -> HomeState:
        """Return the last home if it is recent enough, else an all-unknown home."""
        home = self._home
        if home is None or self._monotonic() - self._read_s > self.max_age_s:
            return HomeState()
        return home

    def close(self) -> None:
        close = getattr(self.source, "close", None)
        if callable(close):
            close()


class SharedAssistant(Assistant):
    """An `Assistant` used from two threads (the daemon's loop and paho's): one turn at a time."""

    def __init__(self, plan: CarePlan, *, templates: Templates | None = None,
                 understanding: Understanding | None = None) -> None:
        super().__init__(plan, templates=templates, understanding=understanding)
        self._lock = threading.RLock()

    def handle(self, intent: str, slots: dict[str, str], home: HomeState, now: datetime) -> Reply:
        with self._lock:
            return super().handle(intent, slots, home, now)

    def ask(self, text: str, home: HomeState, now: datetime, *, is_noisy: bool = False) -> Reply:
        with self._lock:
            return super().ask(text, home, now, is_noisy=is_noisy)

    def start_daily_check(self, home: HomeState, now: datetime) -> Reply:
        with self._lock:
            return super().start_daily_check(home, now)


class LogBuzzer:
    """A `Buzzer` for a hub without a panel: the fallback is at least in the log, loudly."""

    def sound(self, severity: Severity) -> None:
        _LOGGER.critical("BUZZER (%s): an announcement was not confirmed and there is no panel buzzer",
                         severity.value)


class HermesLink:
    """Builds and runs the Hermes parts for one care plan and the device's `[mqtt]` settings."""

    def __init__(self, plan: CarePlan, *, mqtt: Mqtt, source: HomeSource, now: Callable[[], datetime],
                 buzzer: Buzzer | None = None, settings: LinkSettings = LinkSettings(),
                 client_id: str | None = None) -> None:
        self.plan = plan
        self.settings = settings
        self._now = now
        self.mqtt = mqtt
        self.topics = StateTopics.for_site(mqtt.site_id)
        self.client = MqttClient(mqtt, client_id=client_id or self.topics.node, will=self.topics.will())
        self.source = SnapshotSource(source, max_age_s=settings.home_max_age_s)
        self._acknowledge: Callable[[str], str | None] = lambda site: None
        self._note_reply: Callable[[Reply], None] = lambda reply: None
        self._refused: Callable[[str], None] = lambda site: None
        self.skill = HermesSkill(plan, home=self.source.current, clock=now,
                                 on_acknowledge=lambda site: self._acknowledge(site),
                                 on_reply=lambda site, reply: self._note_reply(reply),
                                 acknowledging_sites=mqtt.speaking_sites,
                                 on_refused=lambda site: self._refused(site))
        self.speaker = HermesSpeaker(
            self.client, buzzer=buzzer or LogBuzzer(),
            settings=SpeakerSettings(sites=mqtt.speaking_sites, confirm_timeout_s=settings.confirm_timeout_s))
        self.state = StatePublisher(self.client, plan, self.topics, every_s=settings.state_every_s,
                                    device_name=mqtt.device_name)
        self.skill.attach(self.client)

    def make_assistant(self, plan: CarePlan) -> SharedAssistant:
        """The daemon's assistant factory: a new assistant, also answering on the hub's site."""
        self.skill.plan = plan  # a reloaded plan: other sites take it from their next dialogue
        assistant = SharedAssistant(plan, understanding=self.skill.understanding)
        self.skill.adopt(self.mqtt.site_id, assistant)
        return assistant

    def start(self) -> None:
        self.client.start()

    def stop(self) -> None:
        """Say "offline" (retained) and disconnect."""
        self.client.stop(last_words=self.state.last_words())

    async def _until_next_state(self, service: Daemon, stop: asyncio.Event) -> None:
        """Wait `state_every_s`, or less: a home automation should hear of an alarm that
        starts, escalates or is silenced within a second, not at the next period."""
        alarms = _alarm_summary(service.board)
        deadline = asyncio.get_running_loop().time() + self.settings.state_every_s
        while not stop.is_set():
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0 or _alarm_summary(service.board) != alarms:
                return
            try:
                await asyncio.wait_for(stop.wait(), min(left, STATE_CHANGE_POLL_S))
            except asyncio.TimeoutError:
                pass

    async def run(self, service: Daemon, stop: asyncio.Event) -> None:
        """Publish the state until `stop`, and pass spoken acknowledgements to `service`."""
        from hub.core.assessment import assess

        loop = asyncio.get_running_loop()

        def acknowledge(site_id: str) -> str | None:
            _LOGGER.info("Acknowledged by voice on site %s", site_id)
            reply = acknowledgement_reply(service.board, self.plan)  # the board as it stands (paho's thread)
            loop.call_soon_threadsafe(service.hear, FamilyInput(is_spoken_acknowledgement=True))
            return reply

        def note_reply(reply: Reply) -> None:
            loop.call_soon_threadsafe(service.note_reply, reply)  # the daemon records replies given here too

        def refused(site_id: str) -> None:
            loop.call_soon_threadsafe(service.refuse_acknowledgement, site_id)

        self._acknowledge = acknowledge
        self._note_reply = note_reply
        self._refused = refused
        while not stop.is_set():
            home = self.source.current()
            try:
                now = self._now()
                # What the family reported and today's check are part of the state, never "all ok" past them.
                assessment = with_reported(assess(self.plan, home, now), service.open_findings, self.plan, now)
                self.state.publish(home, assessment, service.board,
                                   daily_check=service.daily_check_status(now.date()),
                                   reported=tuple(i.code.value for i in service.open_findings))
            except Exception:  # noqa: BLE001 - the state is a convenience; the daemon must go on
                _LOGGER.exception("Publishing the hub state failed")
            await self._until_next_state(service, stop)
