"""The daemon over Hermes on a real broker: proactive alarms, acknowledgement, state, broker restart."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path

from hub.core.alarms import Priority
from hub.daemon.clock import ManualClock
from hub.core.dialogue import STEPS
from hub.hermes.link import HermesLink, LinkSettings, SnapshotSource
from hub.core.home import HomeState, PumpLight, PumpState
from hub.core.plan import CarePlan, DailyCheck
from hub.daemon.service import HubService, ServiceSettings
from hub.core.severity import Severity
from hub.store.record import EventStore
from tests.builders import calm_home
from tests.hermes.conftest import CONTINUE, END, SAY, Broker, FakeRhasspy, ask, wait_for

START = datetime(2026, 11, 25, 12, 0, 0)
BEEPING = calm_home(pump=PumpState(True, PumpLight.GREEN_BLINKING, True, "", 1.0))


class FakeHome:
    def __init__(self, home: HomeState) -> None:
        self.home = home

    async def read(self) -> HomeState:
        return self.home


class FakeBuzzer:
    def __init__(self) -> None:
        self.sounded: list[Severity] = []

    def sound(self, severity: Severity) -> None:
        self.sounded.append(severity)


class Rig:
    """A daemon wired as `hub serve` wires it when the settings' [mqtt] is enabled."""

    def __init__(self, broker: Broker, tmp_path: Path, home: HomeState, *, confirm_timeout_s: float = 20.0,
                 check_at: time = time(23, 0), announce_sites: tuple[str, ...] = (),
                 state_every_s: float = 0.2) -> None:
        self.plan = CarePlan(daily_check=DailyCheck(check_at, 30.0, 60.0))
        self.mqtt = replace(broker.settings, site_id="livingroom", announce_sites=announce_sites)
        self.clock = ManualClock(START)
        self.home = FakeHome(home)
        self.buzzer = FakeBuzzer()
        self.link = HermesLink(self.plan, mqtt=self.mqtt, source=self.home, now=self.clock.now, buzzer=self.buzzer,
                               settings=LinkSettings(confirm_timeout_s=confirm_timeout_s, state_every_s=state_every_s),
                               client_id=f"hub-{uuid.uuid4().hex[:6]}")
        self.store = EventStore(tmp_path / "hub.db")
        self.service = HubService(self.plan, clock=self.clock, source=self.link.source, speaker=self.link.speaker,
                                  store=self.store, settings=ServiceSettings(say_timeout_s=60.0),
                                  make_assistant=self.link.make_assistant)
        self.link.start()
        assert self.link.client.wait_connected(20)

    async def tick(self) -> None:
        """One tick of the daemon, then wait (outside the tick) until what it said is confirmed or given up."""
        await self.service.tick()
        await self.link.speaker.drain()

    def close(self) -> None:
        self.link.stop()
        self.store.close()


def alarm_codes(rig: Rig) -> set[str]:
    return {a.code for a in rig.service.board.alarms}


def test_urgent_alarm_is_announced_on_the_site_and_confirmed(broker: Broker, rhasspy: FakeRhasspy,
                                                             tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    rig = Rig(broker, tmp_path, BEEPING)
    try:
        async def main() -> None:
            stop = asyncio.Event()
            publishing = asyncio.create_task(rig.link.run(rig.service, stop))
            await rig.tick()
            said = rhasspy.messages(SAY)
            assert len(said) == 1 and "beep" in said[0]["text"].lower()
            assert said[0]["siteId"] == "livingroom" and said[0]["id"]
            assert rig.buzzer.sounded == []
            alarmed = await asyncio.to_thread(
                rhasspy.wait_message, rig.link.topics.state, lambda m: m["alarms"]["highest"] == "high")
            assert alarmed["alarms"]["active"][0]["code"] == "pump.beeping"
            # The family answers through Rhasspy; the daemon takes it as an acknowledgement.
            reply = await asyncio.to_thread(ask, rhasspy, "Acknowledge", site_id="livingroom")
            assert reply["text"].startswith("Okay, I heard you.")
            assert "in 5 minutes, I will say it again" in reply["text"], "the satellite says the alarm comes back"
            await asyncio.sleep(0.1)
            rig.clock.advance(1.0)
            await rig.tick()
            assert not rig.service.board.announcing()
            state = await asyncio.to_thread(rhasspy.wait_message, rig.link.topics.state,
                                            lambda m: m["alarms"]["count"] == 0 and m["pump"]["beeping"] is True)
            assert state["severity"] == "urgent"
            # Heard, not pressed: while the pump still beeps, the alarm comes back.
            rig.clock.advance(300.0)
            await rig.tick()
            assert [a.code for a in rig.service.board.announcing()] == ["pump.beeping"]
            stop.set()
            await publishing

        asyncio.run(main())
    finally:
        rig.close()


def test_an_alarm_that_starts_is_in_the_published_state_at_once_not_at_the_next_period(
        broker: Broker, rhasspy: FakeRhasspy, tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    rig = Rig(broker, tmp_path, BEEPING, state_every_s=600.0)
    try:
        async def main() -> None:
            stop = asyncio.Event()
            publishing = asyncio.create_task(rig.link.run(rig.service, stop))
            await asyncio.to_thread(rhasspy.wait_message, rig.link.topics.state, lambda m: m["alarms"]["count"] == 0)
            await rig.tick()
            alarmed = await asyncio.to_thread(rhasspy.wait_message, rig.link.topics.state,
                                              lambda m: m["alarms"]["count"] == 1, 5.0)
            assert alarmed["alarms"]["active"][0]["code"] == "pump.beeping"
            stop.set()
            await publishing

        asyncio.run(main())
    finally:
        rig.close()


def test_unconfirmed_alarm_falls_back_to_the_buzzer_and_a_technical_alarm(broker: Broker, rhasspy: FakeRhasspy,
                                                                           tmp_path: Path) -> None:
    rig = Rig(broker, tmp_path, BEEPING, confirm_timeout_s=0.5)
    try:
        async def main() -> None:
            await rig.tick()
            assert rig.buzzer.sounded == [Severity.URGENT]
            rig.clock.advance(1.0)
            await rig.tick()
            assert "hub.audio_failing" in alarm_codes(rig)

        asyncio.run(main())
        assert len([m for m in rhasspy.messages(SAY) if "beep" in m["text"].lower()]) == 1
    finally:
        rig.close()


def test_a_satellite_acknowledgement_with_nothing_sounding_says_so(broker: Broker, rhasspy: FakeRhasspy,
                                                                     tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    rig = Rig(broker, tmp_path, calm_home())
    try:
        async def main() -> None:
            stop = asyncio.Event()
            linking = asyncio.create_task(rig.link.run(rig.service, stop))
            await rig.tick()
            reply = await asyncio.to_thread(ask, rhasspy, "Acknowledge", site_id="livingroom")
            assert reply["text"] == "There is no alarm sounding right now."
            stop.set()
            await linking

        asyncio.run(main())
    finally:
        rig.close()


def test_an_acknowledgement_from_an_unknown_room_is_refused_and_said_on_the_hub(
        broker: Broker, rhasspy: FakeRhasspy, tmp_path: Path, caplog) -> None:
    """Anyone on the broker can publish an intent with any siteId; only the hub's sites may silence."""
    rhasspy.is_confirming_says = True
    rig = Rig(broker, tmp_path, BEEPING, announce_sites=("bedroom",))
    try:
        async def main() -> None:
            stop = asyncio.Event()
            linking = asyncio.create_task(rig.link.run(rig.service, stop))
            await rig.tick()
            reply = await asyncio.to_thread(ask, rhasspy, "Acknowledge", site_id="garage")
            assert "unknown room" in reply["text"] and "Okay, I heard you" not in reply["text"]
            await asyncio.sleep(0.1)
            rig.clock.advance(1.0)
            await rig.tick()
            assert "pump.beeping" in {a.code for a in rig.service.board.announcing()}, "still sounding"
            refusals = [m for m in rhasspy.messages(SAY) if "An acknowledgement came from an unknown room" in m["text"]]
            assert {m["siteId"] for m in refusals} == {"livingroom", "bedroom"}, "said on the hub, not only to garage"
            # A satellite of the hub's own may still acknowledge.
            reply = await asyncio.to_thread(ask, rhasspy, "Acknowledge", site_id="bedroom")
            assert reply["text"].startswith("Okay, I heard you.")
            stop.set()
            await linking

        asyncio.run(main())
        assert any("unknown site 'garage'" in r.getMessage() for r in caplog.records)
    finally:
        rig.close()


def test_alarms_are_said_in_every_room_and_a_silent_satellite_is_announced(broker: Broker, rhasspy: FakeRhasspy,
                                                                           tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    rhasspy.silent_sites = {"bedroom"}  # the bedroom satellite is unplugged
    rig = Rig(broker, tmp_path, BEEPING, confirm_timeout_s=1.0, announce_sites=("livingroom", "bedroom"))
    try:
        async def main() -> None:
            await rig.tick()
            beeps = [m for m in rhasspy.messages(SAY) if "beep" in m["text"].lower()]
            assert sorted(m["siteId"] for m in beeps) == ["bedroom", "livingroom"]
            assert rig.buzzer.sounded == [] and "hub.audio_failing" not in alarm_codes(rig)
            rig.clock.advance(1.0)
            await rig.tick()
            warnings = [m for m in rhasspy.messages(SAY) if "speaker bedroom did not say" in m["text"]]
            assert {m["siteId"] for m in warnings} == {"livingroom", "bedroom"}, "said where it can be heard"
            assert "hub.site_silent" in alarm_codes(rig)
            # Plugged back in: the beeping alarm's next repeat reaches both rooms, and the warning ends.
            rhasspy.silent_sites = set()
            for _ in range(3):
                rig.clock.advance(60.0)
                await rig.tick()
            assert "hub.site_silent" not in alarm_codes(rig)

        asyncio.run(main())
    finally:
        rig.close()


def test_skill_answers_from_the_daemons_home_and_unknown_when_it_is_old(tmp_path: Path) -> None:
    now = [0.0]
    snapshot = SnapshotSource(FakeHome(BEEPING), max_age_s=10.0, monotonic=lambda: now[0])
    assert snapshot.current() == HomeState()
    asyncio.run(snapshot.read())
    assert snapshot.current() == BEEPING
    now[0] = 10.5
    assert snapshot.current() == HomeState()


def test_broker_restart_loses_nothing_and_doubles_nothing(broker: Broker, rhasspy: FakeRhasspy,
                                                          tmp_path: Path) -> None:
    rig = Rig(broker, tmp_path, calm_home())
    try:
        async def main() -> None:
            stop = asyncio.Event()
            publishing = asyncio.create_task(rig.link.run(rig.service, stop))
            await asyncio.to_thread(ask, rhasspy, "DailyCheck", topic=CONTINUE, session_id="check", site_id="den")
            await asyncio.to_thread(broker.stop)
            await asyncio.to_thread(wait_for, lambda: not rig.link.client.is_connected, 20, "the hub to notice")
            # An announcement due while the broker is down waits for it, within the deadline.
            rhasspy.is_confirming_says = True
            announcing = asyncio.create_task(
                rig.link.speaker.say_and_confirm("Bag change tomorrow at ten.", Priority.LOW))
            await asyncio.sleep(1.0)
            await asyncio.to_thread(broker.start)
            await announcing  # confirmed: no SayUnconfirmed, no buzzer
            assert rig.buzzer.sounded == []
            await asyncio.to_thread(rhasspy.wait_connected)
            await asyncio.to_thread(wait_for, lambda: rig.link.client.is_connected, 20, "the hub to reconnect")
            # The dialogue kept its place, and the skill answers on the new connection.
            count = len(rhasspy.messages(CONTINUE))
            rhasspy.intent("Yes", session_id="check", site_id="den")
            await asyncio.to_thread(wait_for, lambda: len(rhasspy.messages(CONTINUE)) > count, 20, "the next step")
            assert STEPS[1].question in rhasspy.messages(CONTINUE)[-1]["text"]
            reply = await asyncio.to_thread(ask, rhasspy, "WhoToCall", session_id="after")
            assert "212-639-2000" in reply["text"]
            # Online again, with fresh state, after the restart.
            await asyncio.to_thread(wait_for, lambda: [b for t, b, _ in rhasspy.received
                                                       if t == rig.link.topics.availability][-1:] == ["online"],
                                    20, "online after the restart")
            stop.set()
            await publishing

        asyncio.run(main())
        said = [m["text"] for m in rhasspy.messages(SAY)]
        assert said.count("Bag change tomorrow at ten.") == 1, said
        assert len([m for m in rhasspy.messages(END) if m["sessionId"] == "after"]) == 1
    finally:
        rig.close()


def test_daily_check_the_daemon_starts_is_answered_through_rhasspy_and_recorded(
        broker: Broker, rhasspy: FakeRhasspy, tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    rig = Rig(broker, tmp_path, calm_home(), check_at=START.time())
    try:
        async def main() -> None:
            stop = asyncio.Event()
            linking = asyncio.create_task(rig.link.run(rig.service, stop))
            await rig.tick()
            said = rhasspy.messages(SAY)
            assert said and STEPS[0].question in said[-1]["text"] and said[-1]["siteId"] == "livingroom"
            # The family wakes Rhasspy on the hub's site and answers: a new session, the same check.
            session = "answer"
            reply = await asyncio.to_thread(ask, rhasspy, "Yes", topic=CONTINUE, session_id=session,
                                            site_id="livingroom")
            assert STEPS[1].question in reply["text"]
            for step in STEPS[2:]:
                count = len(rhasspy.messages(CONTINUE))
                rhasspy.intent("Yes", session_id=session, site_id="livingroom")
                await asyncio.to_thread(wait_for, lambda n=count: len(rhasspy.messages(CONTINUE)) > n, 20, step.key)
                assert step.question in rhasspy.messages(CONTINUE)[-1]["text"]
            rhasspy.intent("Yes", session_id=session, site_id="livingroom")
            await asyncio.to_thread(rhasspy.wait_message, END, lambda m: m["sessionId"] == session)
            await asyncio.sleep(0.2)  # the reply reaches the daemon through its loop
            rig.clock.advance(1.0)
            await rig.tick()
            assert rig.store.daily_check_status(START.date()) == "done"
            assert len(rig.store.check_answers(START.date())) == len(STEPS)
            stop.set()
            await linking

        asyncio.run(main())
    finally:
        rig.close()


class FakeWatchdog:
    def __init__(self) -> None:
        self.pings = 0

    def ready(self) -> None:
        pass

    def ping(self) -> None:
        self.pings += 1


def test_unconfirmed_announcements_never_hold_up_the_tick_or_the_watchdog(broker: Broker, rhasspy: FakeRhasspy,
                                                                          tmp_path: Path) -> None:
    """Broker down, urgent alarms: each tick ends (and feeds the watchdog) while Rhasspy's answer is awaited."""
    rig = Rig(broker, tmp_path, BEEPING, confirm_timeout_s=15.0)
    rig.service.watchdog = watchdog = FakeWatchdog()
    try:
        async def main() -> None:
            await rig.service.tick()
            assert watchdog.pings == 1 and rig.link.speaker.is_waiting, "the tick did not wait for sayFinished"
            broker.stop()
            for second in range(1, 4):
                rig.clock.advance(60.0)  # the alarm repeats each minute, unconfirmed
                await rig.service.tick()
                assert watchdog.pings == 1 + second and rig.link.speaker.is_waiting

        asyncio.run(main())
    finally:
        rig.close()


def test_an_announcement_nobody_confirmed_is_still_the_speaker_alarm_and_the_buzzer(
        broker: Broker, rhasspy: FakeRhasspy, tmp_path: Path) -> None:
    rig = Rig(broker, tmp_path, BEEPING, confirm_timeout_s=0.5)
    try:
        async def main() -> None:
            await rig.service.tick()
            await rig.link.speaker.drain()
            assert rig.buzzer.sounded == [Severity.URGENT] and rig.link.speaker.is_unheard
            rig.clock.advance(1.0)
            await rig.service.tick()
            assert "hub.audio_failing" in alarm_codes(rig)
            rhasspy.is_confirming_says = True  # Rhasspy answers again: the next announcement clears it
            await rig.link.speaker.drain()
            rig.clock.advance(60.0)
            await rig.service.tick()
            await rig.link.speaker.drain()
            assert not rig.link.speaker.is_unheard

        asyncio.run(main())
    finally:
        rig.close()


def test_what_the_hub_leaves_on_the_broker_names_neither_the_child_nor_the_alarm(broker: Broker,
                                                                                rhasspy: FakeRhasspy,
                                                                                tmp_path: Path) -> None:
    """Retained discovery and state are readable by every client of the broker, for as long as it runs."""
    rhasspy.is_confirming_says = True
    plan = CarePlan(name="Samantha", daily_check=DailyCheck(time(23, 0), 30.0, 60.0))
    mqtt = replace(broker.settings, site_id="livingroom", device_name="Pump helper")
    link = HermesLink(plan, mqtt=mqtt, source=FakeHome(BEEPING), now=ManualClock(START).now,
                      settings=LinkSettings(state_every_s=0.2), client_id=f"hub-{uuid.uuid4().hex[:6]}")
    store = EventStore(tmp_path / "named.db")
    service = HubService(plan, clock=ManualClock(START), source=link.source, speaker=link.speaker, store=store,
                         make_assistant=link.make_assistant)
    link.start()
    try:
        async def main() -> None:
            stop = asyncio.Event()
            publishing = asyncio.create_task(link.run(service, stop))
            await service.tick()
            await link.speaker.drain()
            await asyncio.to_thread(rhasspy.wait_message, link.topics.state, lambda m: m["alarms"]["count"] >= 1)
            stop.set()
            await publishing

        asyncio.run(main())
        spoken = [m["text"] for m in rhasspy.messages(SAY)]
        assert spoken and "beep" in spoken[0].lower()
        left = [(t, b) for t, b, _ in list(rhasspy.received) if t.startswith(("hub/", "homeassistant/"))]
        assert any(t.startswith("homeassistant/") for t, _ in left)
        for topic, body in left:
            text = json.dumps(body)
            assert "Samantha" not in text, topic
            assert not any(said[:30] in text for said in spoken), f"{topic} carries what was said"
        devices = {json.dumps(b["device"]["name"]) for t, b in left if t.startswith("homeassistant/")}
        assert devices == {'"Pump helper"'}
    finally:
        link.stop()
        store.close()
