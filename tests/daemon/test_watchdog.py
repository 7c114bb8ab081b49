"""systemd's watchdog: fed only at the end of a whole tick, so a stuck loop gets the hub restarted."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path

from hub.core.alarms import Priority
from hub.core.home import HomeState, PumpLight, PumpState
from hub.core.plan import CarePlan
from hub.daemon.clock import ManualClock
from hub.daemon.service import HubService, ServiceSettings
from hub.store.record import EventStore
from tests.builders import calm_home

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "firmware-config" / "systemd" / "hub.service"
BEEPING = calm_home(pump=PumpState(True, PumpLight.GREEN_BLINKING, True, "", 1.0))


def unit_watchdog_s() -> float:
    return float(re.search(r"^WatchdogSec=(\d+)$", UNIT.read_text(encoding="utf-8"), re.M).group(1))


class Systemd:
    """systemd's watchdog, on the test's clock: it fires when WatchdogSec passes without WATCHDOG=1."""

    def __init__(self, clock: ManualClock, watchdog_s: float) -> None:
        self.clock = clock
        self.watchdog_s = watchdog_s
        self.last_s = clock.monotonic()
        self.longest_gap_s = 0.0

    def ready(self) -> None:
        self.last_s = self.clock.monotonic()

    def ping(self) -> None:
        now = self.clock.monotonic()
        self.longest_gap_s = max(self.longest_gap_s, now - self.last_s)
        self.last_s = now

    @property
    def has_fired(self) -> bool:
        return max(self.longest_gap_s, self.clock.monotonic() - self.last_s) > self.watchdog_s


class Home:
    async def read(self) -> HomeState:
        return BEEPING


class StuckSpeaker:
    """A speaker that holds the loop: each say takes `stuck_s` of the clock before returning."""

    def __init__(self, clock: ManualClock, stuck_s: float) -> None:
        self.clock = clock
        self.stuck_s = stuck_s

    async def say(self, text: str, priority: Priority) -> None:
        self.clock.advance(self.stuck_s)


def _run(speaker_stuck_s: float, ticks: int) -> Systemd:
    clock = ManualClock(datetime(2026, 11, 25, 12, 0))
    systemd = Systemd(clock, unit_watchdog_s())
    with EventStore(":memory:") as store:
        service = HubService(CarePlan(), clock=clock, source=Home(), speaker=StuckSpeaker(clock, speaker_stuck_s),
                             store=store, watchdog=systemd, settings=ServiceSettings(tick_s=1.0))

        async def run() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(service.run(stop))
            while clock.monotonic() < 1000.0 + ticks:
                await asyncio.sleep(0)
            stop.set()
            await task

        asyncio.run(run())
    return systemd


def test_a_loop_stuck_in_one_tick_starves_the_watchdog_and_systemd_fires():
    systemd = _run(speaker_stuck_s=unit_watchdog_s() + 10.0, ticks=5)
    assert systemd.has_fired


def test_a_loop_that_keeps_ticking_feeds_the_watchdog():
    systemd = _run(speaker_stuck_s=0.0, ticks=600)
    assert not systemd.has_fired and systemd.longest_gap_s <= 2.0


def test_the_units_watchdog_outlasts_one_announcement_and_the_speech_timeout_as_the_docs_say():
    docs = (ROOT / "docs" / "alarms.md").read_text(encoding="utf-8")
    documented = float(re.search(r"WatchdogSec=(\d+)", docs).group(1))
    assert unit_watchdog_s() == documented
    assert unit_watchdog_s() > ServiceSettings().say_timeout_s
