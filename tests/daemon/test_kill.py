"""Kill test: SIGKILL the busy event log at random moments; nothing committed is lost.

Run as a script, this file is the child. Half the time it writes a hub's busiest mix
(readings, speech, alarms, acknowledgements, escalations) straight to the log; the other
half it runs the real daemon on a fast clock in a home where alarms start, repeat and
are acknowledged every few simulated seconds. Either way it prints a line only after
each alarm or acknowledgement commit has returned. The test kills it at random delays,
`KILLS` times on one file, then checks the file and every printed commit. No
wall-clock limit: a loaded machine is slower, not wrong.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# 40 kills (each kind of child, at startup and running, ten times) keep the suite fast;
# HUB_KILLS=1000 for a longer soak (bench/RESULTS.md).
KILLS = int(os.environ.get("HUB_KILLS", "40"))


def _child(path: str, seed: int) -> None:
    from hub.store.record import EventStore

    rng = random.Random(seed)
    at = datetime(2026, 11, 25, 9, 0) + timedelta(minutes=seed)
    with EventStore(path) as store:
        store.end_open_alarms(at)
        print("ready", flush=True)
        open_ids: list[int] = []
        while True:
            at += timedelta(seconds=5)
            store.add_reading(at, "temperature_c", 20.0 + rng.random(), True)
            store.add_utterance(at, "reply", "low", "Everything I can see looks right." * rng.randint(1, 20))
            choice = rng.random()
            if choice < 0.4 or not open_ids:
                alarm_id = store.open_alarm("pump.beeping", "high", "The pump is beeping.", at)
                open_ids.append(alarm_id)
                print(f"alarm {alarm_id}", flush=True)
            elif choice < 0.8:
                alarm_id = open_ids.pop(rng.randrange(len(open_ids)))
                store.acknowledge_alarm(alarm_id, at, "button")
                print(f"ack {alarm_id}", flush=True)
            else:
                store.escalate_alarm(open_ids[-1], at)
                store.end_alarm(open_ids[-1], at)


def _service_child(path: str, seed: int) -> None:
    """The real daemon on a fast manual clock, in a home where alarms come and go all the time."""
    import asyncio

    from hub.daemon.clock import ManualClock
    from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading
    from hub.core.plan import CarePlan
    from hub.daemon.service import FamilyInput, HubService, ServiceSettings
    from hub.store.record import EventStore

    class PrintingStore(EventStore):
        def open_alarm(self, *args):  # type: ignore[no-untyped-def]
            row = super().open_alarm(*args)
            print(f"alarm {row}", flush=True)
            return row

        def acknowledge_alarm(self, alarm_id, *args):  # type: ignore[no-untyped-def]
            super().acknowledge_alarm(alarm_id, *args)
            print(f"ack {alarm_id}", flush=True)

    class BusyHome:
        def __init__(self) -> None:
            self.ticks = 0

        async def read(self) -> HomeState:
            self.ticks += 1
            phase = self.ticks % 24
            env = Environment(Reading(22.0, 3.0), Reading(95.0 if phase < 16 else 40.0, 3.0), Reading(300.0, 3.0))
            pump = PumpState(True, PumpLight.GREEN_BLINKING, phase < 12, f"screen {self.ticks // 24}", 1.0)
            return HomeState(env, pump, InfusionState(True, None))

    class Mute:
        async def say(self, text, priority):  # type: ignore[no-untyped-def]
            return None

    async def run(service: HubService, clock: ManualClock) -> None:
        print("ready", flush=True)
        while True:
            if service.source.ticks % 7 == 3:  # type: ignore[attr-defined]
                service.hear(FamilyInput(is_button=True))
            await service.tick()
            clock.advance(5.0)

    clock = ManualClock(datetime(2026, 11, 25, 12, 0) + timedelta(hours=seed))
    with PrintingStore(path) as store:
        service = HubService(CarePlan(), clock=clock, source=BusyHome(), speaker=Mute(), store=store,
                             settings=ServiceSettings(tick_s=5.0, reading_every_s=5.0))
        asyncio.run(run(service, clock))


@pytest.mark.slow
def test_sigkill_at_random_points_keeps_every_committed_alarm_and_ack(tmp_path):
    path = tmp_path / "hub.db"
    rng = random.Random(20261125)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    committed_alarms: set[int] = set()
    committed_acks: set[int] = set()
    for seed in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, __file__, str(path), str(seed), "service" if seed % 4 >= 2 else "store"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert child.stdout is not None
        if seed % 2:
            # Half the kills land at startup (opening, migrating, recovering the WAL).
            time.sleep(rng.uniform(0.0, 0.15))
        else:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL
        for line in output.splitlines():
            kind, _, number = line.partition(" ")
            if kind == "alarm":
                committed_alarms.add(int(number))
            elif kind == "ack":
                committed_acks.add(int(number))

    from hub.store.record import EventStore

    with EventStore(path) as store:
        assert store.integrity_check() == "ok"
        logged_alarms = {a.alarm_id for a in store.alarms()}
        acked_in_alarms = {a.alarm_id for a in store.alarms() if a.acknowledged_at is not None}
        logged_acks = set(store.acknowledgement_ids())
    assert committed_alarms, "the child never got as far as committing an alarm"
    assert committed_acks, "the child never got as far as committing an acknowledgement"
    print(f"{len(committed_alarms)} alarms and {len(committed_acks)} acknowledgements committed and checked")
    assert committed_alarms <= logged_alarms
    assert committed_acks <= logged_acks
    assert committed_acks <= acked_in_alarms


if __name__ == "__main__":
    {"store": _child, "service": _service_child}[sys.argv[3]](sys.argv[1], int(sys.argv[2]))
