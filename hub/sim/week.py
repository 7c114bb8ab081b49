"""A scripted week in a simulated home, run through the real daemon on a manual clock.

This is how the daemon is tested end to end, and how a reviewer sees what a family
would hear: `hub simulate --days 7` prints every announcement, repeat, escalation and
reminder with its simulated time. The script holds the week's trouble (a beeping pump,
a hot afternoon by a window, shower steam, a missed daily check, two bag changes of
which one is missed, an unplugged bridge, a lost sensor, a 5-hour stop) and what the
family does about it (answer the check, acknowledge, say "we called", or not hear for
a while).
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import tempfile
import time as real_time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TextIO

from hub.core.alarms import Priority
from hub.daemon.clock import ManualClock
from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading
from hub.core.plan import Alarms, CarePlan, DailyCheck
from hub.daemon.recorded import RecordedHome
from hub.daemon.service import FamilyInput, HubService, Said, ServiceSettings
from hub.store.record import EventStore

_LOGGER = logging.getLogger(__name__)

WEEK_START = datetime(2026, 11, 23, 6, 0)  # a Monday morning
TICK_S = 5.0
# Two months: a whole blinatumomab cycle (28 days) with room either side.
MAX_DAYS = 60
ACK = "okay, I heard you"

WEEK_PLAN = CarePlan(
    name="Sam",
    travel_time_min=45.0,
    daily_check=DailyCheck(time(9, 0), 30.0, 120.0),
    alarms=Alarms(),
    bag_changes=(datetime(2026, 11, 25, 10, 0), datetime(2026, 11, 27, 14, 0)),
    source="<simulated week>",
)


@dataclass
class World:
    """The simulated home: what the sensors and the pump bridge would report."""

    temperature_c: float = 22.0
    humidity_pct: float = 45.0
    light_lux: float = 300.0
    is_temperature_lost: bool = False
    is_bridge_plugged: bool = True
    is_pump_home: bool = True
    light: PumpLight = PumpLight.GREEN_BLINKING
    is_beeping: bool = False
    screen: str = ""
    stopped_since: datetime | None = None
    # The family, not the home: when set, they answer each announcement this many seconds later.
    ack_after_s: float | None = None

    def home(self) -> HomeState:
        """Return the home as the drivers would see it now (fresh readings, a few seconds old)."""
        temperature = Reading(None, None, False) if self.is_temperature_lost else Reading(self.temperature_c, 3.0)
        env = Environment(temperature, Reading(self.humidity_pct, 3.0), Reading(self.light_lux, 3.0))
        if not self.is_bridge_plugged:
            pump = PumpState(is_bridge_connected=False)
        elif not self.is_pump_home:
            pump = PumpState(True, PumpLight.UNKNOWN, None, "", None)
        else:
            pump = PumpState(True, self.light, self.is_beeping, self.screen, 1.0)
        return HomeState(env, pump, InfusionState(True, self.stopped_since))


class ScriptedHome:
    """A `HomeSource` reading the `World`."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def read(self) -> HomeState:
        return self.world.home()


class SilentSpeaker:
    """A `Speaker` that only lets time pass; the timeline is printed instead."""

    async def say(self, text: str, priority: Priority) -> None:
        return None


# What happens in the week: (day from 0, "HH:MM[:SS]", action, argument).
Event = tuple[int, str, str, str]

WEEK: tuple[Event, ...] = (
    (0, "09:02", "answer_check", ""),
    (0, "14:00", "pump", "beeping:Downstream occlusion"),
    (0, "14:04", "say", ACK),  # after repeats and the 3-minute escalation
    (0, "14:09:30", "button", ""),  # said again at 14:09, still beeping: they press the button
    (0, "14:20", "pump", "fine"),
    # Tuesday: nobody answers the daily check; a hot afternoon by a window.
    (1, "15:00", "room", "temperature_c=41.5,light_lux=45000"),
    (1, "15:09", "say", ACK),
    (1, "17:30", "room", "temperature_c=23,light_lux=300"),
    # Wednesday: a long hot shower, then the first bag change (attended).
    (2, "07:30", "room", "humidity_pct=96"),
    (2, "07:50", "room", "humidity_pct=50"),
    (2, "09:02", "answer_check", ""),
    (2, "09:20", "pump_away", ""),
    (2, "09:22", "button", ""),
    (2, "12:30", "pump_home", ""),
    # Thursday: the bridge is unplugged for 40 minutes.
    (3, "09:05", "answer_check", "unsure_light"),  # not sure about the light: how to look, then noted
    (3, "13:00", "bridge", "unplugged"),
    (3, "13:12", "say", ACK),
    (3, "13:40", "bridge", "plugged"),
    # Friday: the second bag change is missed; the pump never leaves home.
    (4, "09:01", "answer_check", ""),
    (4, "14:17", "say", ACK),
    # Saturday: the infusion stops for 5 hours.
    (5, "09:03", "answer_check", ""),
    (5, "10:00", "stop", ""),
    (5, "10:02", "say", ACK),
    # They called at once and say so: the hub stops saying "call now" and reminds every
    # 30 minutes with the time stopped (hub.core.alarms.handle).
    (5, "10:04", "say", "we called the care team"),
    (5, "14:01", "say", ACK),  # the 4-hour point is announced as new ...
    (5, "14:03", "say", "we called the care team"),  # ... and they call again
    (5, "15:00", "restart", ""),
    # Sunday: the room temperature sensor stops answering for 10 minutes.
    (6, "09:04", "answer_check", ""),
    (6, "16:00", "sensor", "lost"),
    (6, "16:04", "say", ACK),
    (6, "16:10", "sensor", "back"),
)


def _act_pump(world: World, service: HubService, arg: str) -> None:
    state, _, screen = arg.partition(":")
    world.is_beeping = state == "beeping"
    world.screen = screen


def _act_room(world: World, service: HubService, arg: str) -> None:
    for pair in arg.split(","):
        name, _, value = pair.partition("=")
        setattr(world, name, float(value))


def _act_bridge(world: World, service: HubService, arg: str) -> None:
    world.is_bridge_plugged = arg == "plugged"


def _act_sensor(world: World, service: HubService, arg: str) -> None:
    world.is_temperature_lost = arg == "lost"


def _act_pump_away(world: World, service: HubService, arg: str) -> None:
    world.is_pump_home = False


def _act_pump_home(world: World, service: HubService, arg: str) -> None:
    world.is_pump_home = True


def _act_stop(world: World, service: HubService, arg: str) -> None:
    world.stopped_since = service.clock.now()
    world.light = PumpLight.OFF


def _act_restart(world: World, service: HubService, arg: str) -> None:
    world.stopped_since = None
    world.light = PumpLight.GREEN_BLINKING


def _act_say(world: World, service: HubService, arg: str) -> None:
    service.hear(FamilyInput(arg))


def _act_attentive(world: World, service: HubService, arg: str) -> None:
    world.ack_after_s = float(arg) or None


def _act_button(world: World, service: HubService, arg: str) -> None:
    service.hear(FamilyInput(is_button=True))


ACTIONS: dict[str, Callable[[World, HubService, str], None]] = {
    "pump": _act_pump,
    "room": _act_room,
    "bridge": _act_bridge,
    "sensor": _act_sensor,
    "pump_away": _act_pump_away,
    "pump_home": _act_pump_home,
    "stop": _act_stop,
    "restart": _act_restart,
    "say": _act_say,
    "button": _act_button,
    "attentive": _act_attentive,
}


# A daily check answered other than "yes" five times: "not sure" at the light gets how to
# look (with what the pump monitor sees), a second "not sure" is noted, and the check is
# recorded as done with problems.
ANSWERS = {"unsure_light": ["yes", "yes", "not sure", "not sure", "yes", "yes"]}


def expand(events: tuple[Event, ...], start: datetime, weeks: int = 1) -> list[tuple[datetime, str, str]]:
    """Return the events at their wall-clock times, each daily check's answers spelled out;
    with `weeks` above 1 the week's script repeats."""
    out = []
    for week in range(weeks):
        for day, hhmm, action, arg in events:
            at = datetime.combine(start.date() + timedelta(days=7 * week + day), time.fromisoformat(hhmm))
            if action == "answer_check":
                answers = ANSWERS.get(arg, ["yes"] * 5)
                out += [(at + timedelta(seconds=10 * i), "say", answer) for i, answer in enumerate(answers)]
            else:
                out.append((at, action, arg))
    return sorted(out, key=lambda e: e[0])


def repeated_plan(plan: CarePlan, weeks: int) -> CarePlan:
    """Return `plan` with its bag changes repeated every week for `weeks` weeks, as the
    script repeats: a whole infusion cycle of bag changes."""
    return plan.with_bag_changes(tuple(at + timedelta(days=7 * week)
                                       for week in range(1, weeks) for at in plan.bag_changes))


@dataclass
class WeekResult:
    """What the week produced: the timeline, memory use and the log file."""

    timeline: list[Said] = field(default_factory=list)
    rss_start_kb: int = 0
    rss_after_day_kb: int = 0
    rss_end_kb: int = 0
    db_path: str = ""
    elapsed_s: float = 0.0


def rss_kb() -> int:
    """Return this process's resident memory now, in KiB (peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def run_week(days: int = 7, *, speed: float | None = None, db_path: Path | None = None,
             out: TextIO | None = None, plan: CarePlan = WEEK_PLAN, quiet_step_s: float | None = None) -> WeekResult:
    """Run the daemon through `days` of the scripted week (repeated past 7, up to MAX_DAYS);
    return the timeline and RSS.

    `speed` None runs as fast as possible; otherwise simulated time runs `speed` times
    faster than real time. Lines are printed to `out` as they are said. With
    `quiet_step_s` (60: a minute), stretches with no alarm, dialogue or event due go that
    long per tick instead of TICK_S, landing on whole steps of the day (where the script's
    events and the plan's times fall), so two months run in minutes; the busy moments are
    ticked as usual.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    result = WeekResult()
    if db_path is None:
        db_path = Path(tempfile.mkdtemp(prefix="hub-week-")) / "week.db"
    result.db_path = str(db_path)
    weeks = -(-days // 7)
    asyncio.run(_run(days, speed, db_path, out, repeated_plan(plan, weeks), result, quiet_step_s))
    return result


async def _run(days: int, speed: float | None, db_path: Path, out: TextIO | None, plan: CarePlan,
               result: WeekResult, quiet_step_s: float | None = None) -> None:
    clock = ManualClock(WEEK_START)
    world = World()
    end = WEEK_START + timedelta(days=days)
    events = [e for e in expand(WEEK, WEEK_START, weeks=-(-days // 7)) if e[0] < end]

    pending_ack: list[datetime] = []

    def said(item: Said) -> None:
        result.timeline.append(item)
        if world.ack_after_s and item.kind in ANNOUNCING and not pending_ack:
            pending_ack.append(item.at + timedelta(seconds=world.ack_after_s))
        if out is not None:
            print(format_said(item), file=out, flush=True)

    started = real_time.monotonic()
    result.rss_start_kb = rss_kb()
    with EventStore(db_path) as store:
        home = RecordedHome(ScriptedHome(world), store, clock.now)  # logs the pump's light for the console
        service = HubService(plan, clock=clock, source=home, speaker=SilentSpeaker(), store=store,
                             settings=ServiceSettings(tick_s=TICK_S), on_said=said)
        day_mark = WEEK_START + timedelta(days=1)
        while clock.now() < end:
            while events and events[0][0] <= clock.now():
                _, action, arg = events.pop(0)
                ACTIONS[action](world, service, arg)
            if pending_ack and pending_ack[0] <= clock.now():
                pending_ack.clear()
                service.hear(FamilyInput(ACK))
            await service.tick()
            if result.rss_after_day_kb == 0 and clock.now() >= day_mark:
                result.rss_after_day_kb = rss_kb()
            step = TICK_S
            if quiet_step_s and not service.board.announcing() and service.awaited is None and not pending_ack:
                step = _to_next_step(clock.now(), quiet_step_s, events[0][0] if events else end)
            clock.advance(step)
            if speed is not None:
                await asyncio.sleep(step / speed)
    result.rss_end_kb = rss_kb()
    result.elapsed_s = real_time.monotonic() - started


def _to_next_step(now: datetime, step_s: float, next_event: datetime) -> float:
    """Seconds to the next whole `step_s` of the day, or to the next event if that comes first
    (at least one tick)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    into_day = (now - midnight).total_seconds()
    boundary = midnight + timedelta(seconds=(into_day // step_s + 1) * step_s)
    return max(TICK_S, (min(boundary, next_event) - now).total_seconds())


ANNOUNCING = frozenset({"alarm", "repeat", "remind", "escalate"})
_LEVEL = {Priority.HIGH: "URGENT ", Priority.MEDIUM: "WARNING", Priority.LOW: "info   "}


def format_said(item: Said) -> str:
    """Return one timeline line: day and time, priority, kind, words."""
    return f"{item.at:%a %H:%M:%S}  {_LEVEL[item.priority]}  {item.kind:<18} {item.text}"
