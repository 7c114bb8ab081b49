"""The daemon's ports: what it reads from, speaks through and is told, as small protocols.

`hub.daemon.service.HubService` depends only on these, so tests and the simulated week plug in
in-process fakes, and `hub serve` plugs in the real drivers, voice and GPIO panel
(hub.daemon.sources, hub.daemon.annunciators). Values crossing these ports are frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from hub.core.alarms import Priority
from hub.core.home import HomeState
from hub.core.reported import OpenFinding
from hub.core.replies import Reply
from hub.core.severity import Severity
from hub.store.record import KEEP_READINGS


class HomeSource(Protocol):
    """Where the home state comes from: the real drivers, the simulator, or a test fake."""

    async def read(self) -> HomeState: ...


class Speaker(Protocol):
    """Says text out loud; raises (any exception) when the audio output fails."""

    async def say(self, text: str, priority: Priority) -> None: ...


@runtime_checkable
class LoudSpeaker(Speaker, Protocol):
    """A speaker that can also speak louder, for escalated alarms (optional: plain `say` otherwise)."""

    async def say_loud(self, text: str, priority: Priority) -> None: ...


@runtime_checkable
class SiteSpeaker(Speaker, Protocol):
    """A speaker that says each announcement in several places (Rhasspy satellites) and
    names those that did not confirm the last one (optional: the daemon then warns)."""

    silent_sites: tuple[str, ...]


@runtime_checkable
class ConfirmingSpeaker(Speaker, Protocol):
    """A speaker whose `say` returns before the announcement is heard (Rhasspy confirms it
    later, hub.hermes.speaker), so the daemon's tick never waits for it; `is_unheard`
    says the last one was confirmed nowhere (the daemon's speaker alarm)."""

    is_unheard: bool


class TimeSync(Protocol):
    """Whether the wall clock has been set from the network (hub.daemon.time_sync): the Pi has
    no real-time clock. Until it is, times and schedules are unknown."""

    async def is_synchronized(self) -> bool: ...


class Panel(Protocol):
    """The LED and buzzer.

    `priority` is the highest alarm wanting an answer (None: none), `is_escalated` asks
    for the buzzer (an urgent alarm unanswered, or any alarm while the speaker fails),
    and `home` is the assessment's overall severity (unknown when nothing could be read).
    """

    def show(self, priority: Priority | None, is_escalated: bool, home: Severity) -> None: ...


class Watchdog(Protocol):
    """systemd's watchdog: `ready` once, `ping` every tick."""

    def ready(self) -> None: ...

    def ping(self) -> None: ...


class Responder(Protocol):
    """The assistant as the daemon uses it (hub.intents.assistant.Assistant).

    `expects` is what an open dialogue (the daily check) waits for; None when any
    question is welcome."""

    open_findings: tuple[OpenFinding, ...]  # what the family reported, until handled (hub.core.reported)

    @property
    def expects(self) -> frozenset[str] | None: ...

    def ask(self, text: str, home: HomeState, now: datetime, *, is_noisy: bool = False) -> Reply: ...

    def start_daily_check(self, home: HomeState, now: datetime) -> Reply: ...


@dataclass(frozen=True)
class FamilyInput:
    """One input from the family: recognised speech, or a press of the acknowledge button.

    `text` is empty when speech was not understood; `is_noisy` then says the room was
    too loud to hear it (hub.voice.pipeline.Heard.is_noisy). `is_spoken_acknowledgement`:
    an alarm acknowledged by voice elsewhere (a Rhasspy satellite), which, being heard
    rather than pressed, silences an urgent alarm only for a while (hub.core.alarms)."""

    text: str = ""
    is_button: bool = False
    is_noisy: bool = False
    is_spoken_acknowledgement: bool = False


@dataclass(frozen=True)
class Said:
    """One thing the hub said, for the timeline."""

    at: datetime
    kind: str
    priority: Priority
    text: str


@dataclass(frozen=True)
class ServiceSettings:
    """How the loop runs, in seconds of monotonic time."""

    tick_s: float = 1.0
    read_timeout_s: float = 5.0
    say_timeout_s: float = 60.0
    plan_check_s: float = 5.0
    reading_every_s: float = 60.0
    keep_readings_s: float = KEEP_READINGS.total_seconds()  # raw; then hourly statistics
    answering_s: float = 300.0
