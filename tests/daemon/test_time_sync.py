"""The Pi has no real-time clock: until the time is synchronised, times and schedules are unknown,
and nothing is reminded or declared missed from a clock that may be years wrong."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime, time

from hub.core.alarms import Priority
from hub.core.home import PumpLight, PumpState
from hub.core.plan import CarePlan, DailyCheck
from hub.daemon.clock import ManualClock
from hub.daemon.service import HubService, Said, ServiceSettings
from hub.daemon.time_sync import TimedatectlSync
from hub.store.record import EventStore
from tests.builders import calm_home

BAG_CHANGE = datetime(2026, 11, 25, 10, 0)
PLAN = CarePlan(daily_check=DailyCheck(time(9, 0), 30.0, 120.0), bag_changes=(BAG_CHANGE,), travel_time_min=30.0)
AT_HOME = calm_home(bag_changes=(), pump=PumpState(True, PumpLight.GREEN_BLINKING, False, "", 1.0))


class Sync:
    """timedatectl's answer, as the test sets it."""

    def __init__(self) -> None:
        self.is_set = False

    async def is_synchronized(self) -> bool:
        return self.is_set


class Home:
    async def read(self):
        return AT_HOME


class Speaker:
    async def say(self, text: str, priority: Priority) -> None:
        pass


class Pi:
    """The daemon on a Pi that booted without the time: the wall clock starts in 1970."""

    def __init__(self) -> None:
        self.clock = ManualClock(datetime(1970, 1, 1, 0, 0))
        self.sync = Sync()
        self.said: list[Said] = []
        self.store = EventStore(":memory:")
        self.service = HubService(PLAN, clock=self.clock, source=Home(), speaker=Speaker(), store=self.store,
                                  settings=ServiceSettings(tick_s=60.0), on_said=self.said.append,
                                  time_sync=self.sync)

    def run(self, minutes: int) -> None:
        async def go() -> None:
            for _ in range(minutes):
                await self.service.tick()
                await self.clock.sleep(60.0)

        asyncio.run(go())

    def kinds(self) -> list[str]:
        return [s.kind for s in self.said]

    def codes(self) -> set[str]:
        return {a.code for a in self.service.board.announcing()}


def test_a_pi_booted_in_1970_says_times_are_unknown_and_reminds_nothing():
    pi = Pi()
    pi.run(10)
    assert "hub.clock_unset" in pi.codes()
    unset = next(s.text for s in pi.said if s.kind == "alarm")
    assert "times and schedules are unknown" in unset
    assert not {"day_before", "hour_before", "leave", "check_start", "check_missed"} & set(pi.kinds())


def test_a_clock_that_jumps_to_a_plausible_time_is_still_unknown_until_synchronised():
    """The saved time of the last shutdown (fake-hwclock) looks plausible and is hours old."""
    pi = Pi()
    pi.run(2)
    pi.clock.jump_wall(datetime(2026, 11, 25, 9, 40) - pi.clock.now())  # in the hour before the bag change
    pi.run(50)  # through the appointment's window, with the pump at home the whole time
    assert "hub.clock_unset" in pi.codes()
    assert not {"hour_before", "leave", "check_start", "check_missed", "missed_appointment"} & set(pi.kinds())
    assert not any("may have been missed" in s.text for s in pi.said), "no miss declared from an unset clock"


def test_once_synchronised_the_schedule_is_known_and_reminders_resume():
    pi = Pi()
    pi.run(2)
    pi.clock.jump_wall(datetime(2026, 11, 25, 9, 25) - pi.clock.now())
    pi.run(2)
    pi.sync.is_set = True
    pi.run(3)
    assert "hub.clock_unset" not in {a.code for a in pi.service.board.alarms if a.is_condition_present}
    assert {"hour_before", "leave"} & set(pi.kinds()), "the 10:00 bag change is coming"
    assert "check_start" in pi.kinds()


def test_timedatectl_saying_yes_is_synchronised_and_anything_else_is_not():
    def command(answer: str) -> tuple[str, ...]:
        return (sys.executable, "-c", f"print({answer!r})")

    async def ask(sync: TimedatectlSync) -> bool:
        return await sync.is_synchronized()

    assert asyncio.run(ask(TimedatectlSync(command=command("yes"))))
    assert not asyncio.run(ask(TimedatectlSync(command=command("no"))))
    assert not asyncio.run(ask(TimedatectlSync(command=command(""))))
    assert not asyncio.run(ask(TimedatectlSync(command=("/nonexistent/timedatectl",))))


def test_a_timedatectl_that_hangs_is_an_unknown_clock():
    hang = TimedatectlSync(command=(sys.executable, "-c", "import time; time.sleep(60)"), timeout_s=0.5)
    assert not asyncio.run(hang.is_synchronized())


def test_timedatectl_is_asked_again_only_after_a_while_and_not_at_all_once_synchronised():
    now = [0.0]
    sync = TimedatectlSync(command=(sys.executable, "-c", "print('no')"), check_every_s=30.0,
                           monotonic=lambda: now[0])

    async def ask() -> bool:
        return await sync.is_synchronized()

    assert not asyncio.run(ask())
    sync.command = (sys.executable, "-c", "print('yes')")
    now[0] = 10.0
    assert not asyncio.run(ask()), "not asked again within 30 s"
    now[0] = 31.0
    assert asyncio.run(ask())
    sync.command = ("/nonexistent/timedatectl",)
    assert asyncio.run(ask()), "the kernel keeps time once set: it stays known"
