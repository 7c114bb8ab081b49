"""Tests for hub.daemon.service: the daemon speaks up first, repeats, escalates, listens and records."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.core.alarms import Priority
from hub.core.assessment import assess
from hub.daemon.clock import ManualClock
from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan, DailyCheck
from hub.daemon.service import FamilyInput, HubService, Said, ServiceSettings
from hub.core.severity import Severity
from hub.store.record import EventStore

START = datetime(2026, 11, 25, 12, 0, 0)
# The daily check is set late in the evening so it stays out of the way unless tested.
PLAN = CarePlan(daily_check=DailyCheck(time(23, 0), 30.0, 60.0))


def calm(**changes) -> HomeState:
    env = Environment(Reading(22.0, 5.0), Reading(45.0, 5.0), Reading(250.0, 5.0))
    pump = PumpState(True, PumpLight.GREEN_BLINKING, False, "", 1.0)
    values = {"environment": env, "pump": pump, "infusion": InfusionState(True, None)}
    values.update(changes)
    return HomeState(**values)


BEEPING = calm(pump=PumpState(True, PumpLight.GREEN_BLINKING, True, "", 1.0))


class FakeHome:
    def __init__(self, home: HomeState) -> None:
        self.home = home
        self.error: Exception | None = None

    async def read(self) -> HomeState:
        if self.error:
            raise self.error
        return self.home


class FakeSpeaker:
    def __init__(self) -> None:
        self.said: list[tuple[str, Priority]] = []
        self.is_broken = False
        self.silent_sites: tuple[str, ...] = ()  # as hub.hermes.speaker reports satellites that did not answer

    async def say(self, text: str, priority: Priority) -> None:
        if self.is_broken:
            raise OSError("no sound card")
        self.said.append((text, priority))


class FakePanel:
    def __init__(self) -> None:
        self.shown: tuple[Priority | None, bool] = (None, False)
        self.home = Severity.UNKNOWN

    def show(self, priority, is_escalated, home) -> None:
        self.shown = (priority, is_escalated)
        self.home = home


class Hub:
    """A service wired to fakes, driven one simulated second at a time."""

    def __init__(self, tmp_path, home: HomeState, plan: CarePlan = PLAN, start: datetime = START, **kw) -> None:
        self.clock = ManualClock(start)
        self.home = FakeHome(home)
        self.speaker = FakeSpeaker()
        self.panel = FakePanel()
        self.store = EventStore(tmp_path / "hub.db")
        self.timeline: list[tuple[float, Said]] = []
        self.t0 = self.clock.monotonic()
        self.service = HubService(plan, clock=self.clock, source=self.home, speaker=self.speaker,
                                  store=self.store, panel=self.panel, settings=ServiceSettings(tick_s=1.0),
                                  on_said=lambda s: self.timeline.append((self.clock.monotonic() - self.t0, s)),
                                  **kw)

    def run(self, seconds: float) -> None:
        async def go() -> None:
            for _ in range(int(seconds)):
                await self.service.tick()
                await self.clock.sleep(1.0)

        asyncio.run(go())

    def said_at(self, kind: str | None = None, contains: str = "") -> list[float]:
        return [t for t, s in self.timeline if (kind is None or s.kind == kind) and contains in s.text]


def test_beeping_pump_is_announced_at_once_repeated_each_minute_and_escalated(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(200)
    assert hub.said_at("alarm") == [0]
    assert hub.said_at("repeat") == [60, 120]
    assert hub.said_at("escalate") == [180]
    assert "212-639-2000" in hub.speaker.said[0][0]
    assert hub.panel.shown == (Priority.HIGH, True)
    (alarm,) = hub.store.alarms()
    assert alarm.code == "pump.beeping" and alarm.escalated_at is not None


def test_saying_okay_i_heard_you_silences_the_alarm_and_is_recorded(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.service.hear(FamilyInput("okay, I heard you"))
    hub.run(290)
    assert hub.said_at("repeat") == []
    assert hub.said_at("ack:voice") == [30]
    (alarm,) = hub.store.alarms()
    assert alarm.acknowledged_at == START + timedelta(seconds=30)
    assert hub.panel.shown == (None, False)


def test_an_urgent_alarm_acknowledged_by_voice_comes_back_while_still_wrong(tmp_path):
    """Speech is sometimes misheard as "okay, I heard you"; the button is sure."""
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.service.hear(FamilyInput("okay, I heard you"))
    hub.run(400)
    reply = next(s.text for _, s in hub.timeline if s.kind == "reply")
    assert "still a problem in 5 minutes" in reply and "press the button on the hub" in reply
    assert hub.said_at("remind") == [330]
    assert hub.said_at("repeat") == [390]
    assert hub.panel.shown[0] is Priority.HIGH


def test_the_button_after_a_spoken_acknowledgement_silences_the_alarm_for_good(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.service.hear(FamilyInput("okay, I heard you"))
    hub.run(30)
    hub.service.hear(FamilyInput(is_button=True))
    hub.run(900)
    assert hub.said_at("remind") == [] and hub.said_at("repeat") == []
    assert hub.said_at("ack:voice") == [30] and hub.said_at("ack:button") == [60]


def test_an_acknowledgement_heard_by_a_satellite_is_spoken_not_pressed(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.service.hear(FamilyInput(is_spoken_acknowledgement=True))
    hub.run(400)
    assert hub.said_at("ack:voice") == [30]
    assert hub.said_at("remind") == [330]


def test_a_warning_acknowledged_by_voice_stays_acknowledged(tmp_path):
    hot = calm(environment=Environment(Reading(41.0, 5.0), Reading(45.0, 5.0), Reading(250.0, 5.0)))
    hub = Hub(tmp_path, hot)
    hub.run(200)
    assert hub.said_at("alarm"), hub.timeline
    hub.service.hear(FamilyInput("okay, I heard you"))
    hub.run(1200)
    assert hub.said_at("remind") == [] and hub.said_at("repeat", "") == [t for t in hub.said_at("repeat") if t < 200]
    reply = [s.text for _, s in hub.timeline if s.kind == "reply"][-1]
    assert "acknowledge button" not in reply


def test_acknowledge_button_silences_only_what_was_sounding(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(10)
    hub.service.hear(FamilyInput(is_button=True))
    hub.run(5)
    hub.home.home = calm(pump=PumpState(True, PumpLight.RED, True, "", 1.0))
    hub.run(100)
    assert hub.said_at("ack:button") == [10]
    assert hub.said_at("alarm") == [0, 15 + 15]  # the red light waits its 15 s condition delay
    assert hub.said_at("repeat") == [90]


def test_calm_home_is_never_volunteered_as_okay(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.run(600)
    assert hub.speaker.said == []


def test_lost_home_source_is_an_alarm_not_silence(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.run(5)
    hub.home.error = OSError("bridge gone")
    hub.run(120)
    said = " ".join(text for text, _ in hub.speaker.said)
    assert "lost contact" in said
    assert "okay" not in said.lower()


def test_broken_speaker_raises_a_technical_alarm_on_the_panel(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.speaker.is_broken = True
    hub.home.home = BEEPING
    hub.run(5)
    assert hub.panel.shown[0] is Priority.HIGH
    assert {a.code for a in hub.store.alarms()} == {"pump.beeping", "hub.audio_failing"}


def test_a_satellite_that_did_not_say_an_alarm_is_named_until_it_answers_again(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.speaker.silent_sites = ("bedroom",)
    hub.run(3)
    (warning,) = [s for _, s in hub.timeline if s.kind == "alarm"]
    assert warning.priority is Priority.MEDIUM and "speaker bedroom did not say" in warning.text
    assert "hub.site_silent" in {a.code for a in hub.store.alarms()}
    hub.speaker.silent_sites = ()
    hub.run(40)  # gone for the clear delay (30 s): the warning ends without an answer
    assert "hub.site_silent" not in {a.code for a in hub.service.board.alarms}


def test_wall_clock_jump_back_neither_delays_nor_hides_the_repeat(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.clock.jump_wall(timedelta(hours=-3))
    hub.run(40)
    assert hub.said_at("repeat") == [60]


def test_changed_plan_is_reloaded_and_a_bad_one_refused(tmp_path, caplog):
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text('[daily_check]\ntime = "23:00"\n[alarms]\nurgent_repeat_s = 60.0\n')
    from hub.core.plan import load_plan

    hub = Hub(tmp_path, BEEPING, plan=load_plan(plan_path), plan_path=plan_path)
    hub.run(10)
    plan_path.write_text('[daily_check]\ntime = "23:00"\n[alarms]\nurgent_repeat_s = 20.0\n')
    hub.run(40)
    assert hub.service.plan.alarms.urgent_repeat_s == 20.0
    plan_path.write_text('[alarms]\nurgent_repeat_s = "often"\n')
    hub.run(10)
    assert hub.service.plan.alarms.urgent_repeat_s == 20.0
    assert any("Refused the changed care plan" in r.message for r in caplog.records)


def test_daily_check_starts_at_its_time_and_answers_are_recorded(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(9, 0), 30.0, 120.0))
    hub = Hub(tmp_path, calm(), plan=plan, start=datetime(2026, 11, 25, 8, 59, 50))
    hub.run(15)
    assert hub.said_at("check_start") == [10]
    for _ in range(5):
        hub.service.hear(FamilyInput("yes"))
        hub.run(2)
    assert hub.store.daily_check_status(datetime(2026, 11, 25).date()) == "done"
    assert len(hub.store.check_answers(datetime(2026, 11, 25).date())) == 5
    hub.run(3600)
    assert hub.said_at("check_remind") == []


def test_a_check_paused_because_answers_went_unheard_is_not_done_and_is_reminded(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(9, 0), 30.0, 120.0))
    hub = Hub(tmp_path, calm(), plan=plan, start=datetime(2026, 11, 25, 8, 59, 50))
    hub.run(15)
    hub.service.hear(FamilyInput("yes"))
    hub.run(2)
    for _ in range(3):
        hub.service.hear(FamilyInput(""))  # not understood
        hub.run(2)
    day = datetime(2026, 11, 25).date()
    assert any("paused the daily check" in s.text for _, s in hub.timeline)
    assert hub.store.daily_check_status(day) != "done"
    assert len(hub.store.check_answers(day)) == 1  # nothing recorded for the steps not heard
    hub.run(30 * 60)
    reminded = [s.text for _, s in hub.timeline if s.kind == "check_remind"]
    assert len(reminded) == 1 and "where we stopped" in reminded[0]


def test_a_check_stopped_part_way_is_reminded_and_carries_on_where_it_stopped(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(9, 0), 30.0, 120.0))
    hub = Hub(tmp_path, calm(), plan=plan, start=datetime(2026, 11, 25, 8, 59, 50))
    hub.run(15)
    for said in ("yes", "yes", "stop"):
        hub.service.hear(FamilyInput(said))
        hub.run(2)
    assert hub.store.daily_check_status(datetime(2026, 11, 25).date()) != "done"
    hub.run(30 * 60)
    reminded = [s.text for _, s in hub.timeline if s.kind == "check_remind"]
    assert len(reminded) == 1 and "where we stopped" in reminded[0] and "green and blinking" in reminded[0]
    for _ in range(3):
        hub.service.hear(FamilyInput("yes"))
        hub.run(2)
    day = datetime(2026, 11, 25).date()
    assert hub.store.daily_check_status(day) == "done"
    assert len(hub.store.check_answers(day)) == 5  # each step once: none recorded twice


def test_bag_change_reminder_is_not_repeated_after_a_restart(tmp_path):
    plan = CarePlan(daily_check=DailyCheck(time(23, 0), 30.0, 60.0), travel_time_min=30.0,
                    bag_changes=(datetime(2026, 11, 25, 13, 0),))
    hub = Hub(tmp_path, calm(), plan=plan)
    hub.run(5)
    assert hub.said_at("hour_before") == [0]
    hub.store.close()
    again = Hub(tmp_path, calm(), plan=plan, start=START + timedelta(seconds=10))
    again.run(5)
    assert again.said_at("hour_before") == []


def test_hub_serve_simulate_announces_a_beeping_pump_and_records_it(tmp_path, capsys):
    from hub.cli import main

    scenario = tmp_path / "beeping.yaml"
    scenario.write_text(
        "now: 2026-11-24T14:10:00\n"
        "environment: {temperature_c: 22.0, humidity_pct: 45, light_lux: 200, age_s: 5}\n"
        "pump: {bridge_connected: true, light: green_blinking, beeping: true, age_s: 1}\n"
        "infusion: {stopped_since: null}\n")
    db = tmp_path / "serve.db"
    # 300 simulated seconds (3 s here): the first repeat is due at 60 s, so even a loaded
    # machine that drops ticks hears the alarm said again.
    code = main(["serve", "--simulate", "--no-drivers", "--scenario", str(scenario), "--speed", "100",
                 "--for", "300", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("hub (high): The pump is beeping") >= 2
    with EventStore(db) as store:
        assert [a.code for a in store.alarms()] == ["pump.beeping"]


def test_hub_serve_with_a_bad_plan_is_one_error_line_and_keeps_the_log(tmp_path, capsys):
    from hub.cli import main

    db = tmp_path / "serve.db"
    with EventStore(db) as store:
        store.open_alarm("pump.beeping", "high", "x", START)
    bad = tmp_path / "plan.toml"
    bad.write_text("[alarms]\nurgent_repeat_s = 600\n")
    code = main(["serve", "--simulate", "--plan", str(bad), "--db", str(db), "--for", "1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and "urgent_repeat_s" in err[0]
    with EventStore(db) as store:
        assert len(store.alarms()) == 1


def test_wall_clock_jump_forward_neither_hurries_nor_hides_the_repeat(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(30)
    hub.clock.jump_wall(timedelta(hours=2))
    hub.run(40)
    assert hub.said_at("repeat") == [60]


readings = st.sampled_from([Reading(22.0, 5.0), Reading(None, None), Reading(22.0, None), Reading(22.0, 9999.0),
                            Reading(22.0, 5.0, False), Reading(float("nan"), 5.0)])
pumps = st.sampled_from([PumpState(True, PumpLight.GREEN_BLINKING, False, "", 1.0), PumpState(),
                         PumpState(False), PumpState(True, PumpLight.GREEN_BLINKING, False, "", None),
                         PumpState(True, PumpLight.UNKNOWN, False, "", 1.0),
                         PumpState(True, PumpLight.GREEN_BLINKING, None, "", 1.0)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(readings, readings, readings, pumps, st.booleans())
def test_missing_data_is_always_announced_and_never_called_okay(tmp_path_factory, temp, hum, lux, pump, is_known):
    home = HomeState(Environment(temp, hum, lux), pump, InfusionState(is_known, None))
    if not any(f.severity is Severity.UNKNOWN for f in assess(PLAN, home, START).findings):
        return
    hub = Hub(tmp_path_factory.mktemp("h"), home)
    hub.run(130)
    said = [s for _, s in hub.timeline]
    assert any(s.kind == "alarm" for s in said), "missing data went unannounced"
    assert not any("okay" in s.text.lower() for s in said if s.kind == "alarm")


@pytest.mark.slow
def test_hub_serve_simulate_reads_the_scenario_through_the_real_drivers(tmp_path, capsys):
    from hub.cli import main

    db = tmp_path / "serve.db"
    code = main(["serve", "--simulate", "--scenario",
                 str(Path(__file__).resolve().parents[2] / "examples/scenarios/pump-beeping.yaml"), "--speed", "5",
                 "--for", "60", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert "hub (high): The pump is beeping" in out
    assert "hub (high): The pump light is blinking amber" in out
    with EventStore(db) as store:
        assert {"pump.beeping", "pump.light"} <= {a.code for a in store.alarms()}


def test_a_crashing_source_or_assessment_is_announced_not_fatal(tmp_path):
    def broken_assess(plan, home, now):
        raise RuntimeError("bug")

    hub = Hub(tmp_path, calm(), assess=broken_assess)
    hub.home.error = RuntimeError("driver bug")
    hub.run(30)
    codes = {a.code for a in hub.store.alarms()}
    assert {"hub.assessment_failed", "hub.source_lost"} <= codes
    assert hub.panel.shown[0] is Priority.HIGH


@pytest.mark.slow
def test_hub_serve_speaks_urgent_alarms_with_the_piper_voice(tmp_path, capsys):
    from hub.cli import main

    wavs = tmp_path / "said"
    code = main(["serve", "--simulate", "--no-drivers", "--scenario",
                 str(Path(__file__).resolve().parents[2] / "examples/scenarios/pump-beeping.yaml"),
                 "--speed", "50", "--for", "20", "--db", str(tmp_path / "hub.db"), "--voice-wav", str(wavs)])
    assert code == 0
    spoken = sorted(p.name for p in wavs.iterdir())
    assert spoken and spoken[0].endswith("-high.wav")


def test_unacknowledged_urgent_alarm_survives_a_restart_and_is_said_again(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(10)
    hub.store.close()  # the hub dies; meanwhile the beeping stops
    again = Hub(tmp_path, calm(), start=START + timedelta(minutes=5))
    again.run(70)
    assert again.said_at("repeat", "beeping") == [0, 60]
    again.service.hear(FamilyInput("okay, I heard you"))
    again.run(2)
    (alarm,) = again.store.alarms()
    assert alarm.acknowledged_at is not None and alarm.ended_at is not None


def test_restart_closes_warnings_left_open_and_raises_them_anew_if_still_true(tmp_path):
    hot = calm(environment=Environment(Reading(41.0, 5.0), Reading(45.0, 5.0), Reading(250.0, 5.0)))
    hub = Hub(tmp_path, hot)
    hub.run(130)
    hub.store.close()
    again = Hub(tmp_path, hot, start=START + timedelta(minutes=5))
    again.run(130)
    first, second = again.store.alarms()
    assert first.code == second.code == "room.too_hot"
    assert first.ended_at is not None and second.ended_at is None


def test_panel_shows_the_home_as_unknown_when_the_source_is_lost(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.run(3)
    assert hub.panel.home is Severity.OK
    hub.home.error = OSError("gone")
    hub.run(3)
    assert hub.panel.home is Severity.UNKNOWN


def test_buzzer_sounds_at_once_when_the_speaker_fails_during_an_alarm(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.speaker.is_broken = True
    hub.run(3)
    assert hub.panel.shown == (Priority.HIGH, True)


def test_okay_i_heard_you_with_no_alarm_sounding_says_so(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.service.hear(FamilyInput("okay, I heard you"))
    hub.run(2)
    assert hub.speaker.said == [("There is no alarm sounding right now.", Priority.LOW)]


def test_unreadable_event_log_keeps_the_hub_watching_and_the_file_untouched(tmp_path, capsys):
    from hub.cli import main

    db = tmp_path / "hub.db"
    db.write_bytes(b"this is not a database" * 100)
    scenario = tmp_path / "beeping.yaml"
    scenario.write_text("now: 2026-11-24T14:10:00\n"
                        "pump: {bridge_connected: true, light: green_blinking, beeping: true, age_s: 1}\n")
    code = main(["serve", "--simulate", "--no-drivers", "--scenario", str(scenario), "--speed", "100",
                 "--for", "10", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert "The pump is beeping" in out and "cannot write its record" in out
    assert db.read_bytes() == b"this is not a database" * 100


def test_escalated_alarm_is_spoken_louder_when_the_speaker_can(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    loud: list[float] = []

    async def say_loud(text, priority):
        loud.append(hub.clock.monotonic() - hub.t0)

    hub.speaker.say_loud = say_loud  # type: ignore[attr-defined]
    hub.run(250)
    assert loud == [180, 240]
    assert [t for t, s in hub.timeline if s.kind in ("alarm", "repeat")] == [0, 60, 120, 240]


def test_a_lost_microphone_is_said_once_and_ends_when_it_works_again(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.service.report_microphone("microphone None: cannot open (Error querying device -1)")
    hub.run(900)
    assert len(hub.said_at(contains="cannot hear you")) == 1
    assert "button" in next(s.text for _, s in hub.timeline if "cannot hear you" in s.text)
    hub.service.report_microphone(None)
    hub.run(40)  # the alarm's clear delay
    assert [s.text for _, s in hub.timeline if s.kind == "end"] == ["(ended hub.microphone_failing)"]


TEN_MINUTES_S = 600.0


def test_what_is_heard_is_answered_at_once_not_at_the_next_tick(tmp_path):
    """A family waiting for an answer must not wait out the daemon's tick."""
    import time as wall_time

    from hub.daemon.clock import SystemClock

    speaker = FakeSpeaker()
    with EventStore(tmp_path / "hub.db") as store:
        service = HubService(PLAN, clock=SystemClock(), source=FakeHome(calm()), speaker=speaker, store=store,
                             settings=ServiceSettings(tick_s=TEN_MINUTES_S))

        async def go() -> float:
            stop = asyncio.Event()
            task = asyncio.create_task(service.run(stop))
            await asyncio.sleep(0.2)
            asked = wall_time.monotonic()
            service.hear(FamilyInput("who do I call"))
            while not any("fellow" in text for text, _ in speaker.said):
                await asyncio.sleep(0.01)
            answered = wall_time.monotonic() - asked
            stop.set()
            service.hear(FamilyInput(is_button=True))  # wake the loop so it sees the stop
            await task
            return answered

        # Woken by what it heard, not by its ten-minute tick: answered well inside half a tick,
        # however loaded the machine (how fast it answers: bench answer-latency).
        assert asyncio.run(asyncio.wait_for(go(), TEN_MINUTES_S / 2)) < TEN_MINUTES_S / 2


@pytest.mark.slow
def test_hub_serve_listens_the_daily_check_answered_aloud_is_recorded(tmp_path, capsys):
    """`hub serve --listen-wav`: the check is asked, answered by voice, and kept; the hub never
    hears itself (everything heard is one of the spoken answers, or a rejection)."""
    from hub.voice.wav import write_wav
    from hub.cli import main
    from hub.voice.tts import Synthesizer

    # "Yep": this test is about the daemon, not the recognizer; the test voice's bare "Yes."
    # scores 0.45-0.68 against the answer floor of 0.46, and is asked again when under it.
    yes = tmp_path / "yes.wav"
    write_wav(yes, Synthesizer(noise_scale=0.0, noise_w_scale=0.0).synthesize("Yep."))
    scenario = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "all-ok.yaml"
    db = tmp_path / "serve.db"
    # Five steps; two spare answers in case one is not caught (the hub then asks again).
    code = main(["serve", "--simulate", "--no-drivers", "--scenario", str(scenario), "--listen-wav",
                 *[str(yes)] * 7, "--answer-wait", "5", "--speed", "4", "--voice-wav", str(tmp_path / "said"),
                 "--for", "300", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert "That's the daily check done." in out
    with EventStore(db) as store:
        assert [answer for _, answer in store.check_answers(datetime(2026, 11, 24).date())] == ["yes"] * 5
        assert store.daily_check_status(datetime(2026, 11, 24).date()) == "done"
        heard = [u.text for u in store.utterances("heard")]
    assert len(heard) == 7 and set(heard) <= {"yep", ""}
    assert len(list((tmp_path / "said").glob("*.wav"))) == 8


def test_the_hub_awaits_an_acknowledgement_while_an_alarm_sounds_and_answers_during_the_check(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.run(2)
    assert hub.service.awaited is None  # nothing asked: speech needs the wake phrase
    hub.home.home = BEEPING
    hub.run(2)
    assert hub.service.awaited == frozenset({"Acknowledge"})
    hub.service.hear(FamilyInput("okay I heard you"))
    hub.run(2)
    assert hub.service.awaited is None
    hub.service.hear(FamilyInput("let's do the daily check"))
    hub.run(1)
    assert hub.service.awaited == frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})


def test_speech_lost_in_a_loud_room_is_answered_with_the_noise_not_a_guess(tmp_path):
    hub = Hub(tmp_path, calm())
    hub.service.hear(FamilyInput("", is_noisy=True))
    hub.run(2)
    replies = [s.text for _, s in hub.timeline if s.kind == "reply"]
    assert len(replies) == 1 and "over the noise" in replies[0]


def test_an_announcement_never_says_the_misprinted_number_whatever_put_it_there(tmp_path):
    # A satellite named like a phone number ends up in "the speaker ... did not say": the
    # daemon's own guard catches it where the sentence is made.
    hub = Hub(tmp_path, calm())
    hub.speaker.silent_sites = ("202 639 2000",)
    hub.run(3)
    said = " ".join(text for text, _ in hub.speaker.said)
    assert "did not say my last announcement" in said
    assert "202 639" not in said and "the care team's number, 212-639-2000" in said
    assert all("202 639" not in u.text for u in hub.store.utterances())


def test_the_daemon_sums_old_readings_into_hours_once_a_day(tmp_path):
    hub = Hub(tmp_path, calm())
    old = START - timedelta(days=20)
    hub.store.add_readings(old, [("temperature_c", 21.0, True)])
    hub.run(1)
    assert [h.hour for h in hub.store.reading_hours("temperature_c")] == [old]
    hub.store.add_readings(old + timedelta(hours=1), [("temperature_c", 22.0, True)])
    hub.run(600)  # the same day: pruned once, not every tick
    assert len(hub.store.reading_hours("temperature_c")) == 1
    hub.clock.advance(24 * 3600)
    hub.run(1)
    assert len(hub.store.reading_hours("temperature_c")) == 2
    assert all(r >= START - timedelta(days=14) for r in _reading_times(hub.store))


def test_the_daemon_never_prunes_from_a_clock_that_is_not_set(tmp_path):
    hub = Hub(tmp_path, calm(), start=datetime(1970, 1, 1, 0, 0, 5))
    hub.store.add_readings(datetime(1969, 12, 1), [("temperature_c", 21.0, True)])
    hub.run(3)
    assert hub.store.reading_hours("temperature_c") == ()


def _reading_times(store: EventStore) -> list[datetime]:
    return [datetime.fromisoformat(r[0]) for r in store._db.execute("SELECT at FROM readings")]


def test_acknowledgements_from_unknown_rooms_silence_nothing_and_are_said_once(tmp_path):
    hub = Hub(tmp_path, BEEPING)
    hub.run(5)
    for _ in range(500):  # a stranger on the broker, flooding
        hub.service.refuse_acknowledgement("garage")
    hub.run(5)
    refusals = [text for text, _ in hub.speaker.said if "An acknowledgement came from an unknown room" in text]
    assert len(refusals) == 1
    assert "pump.beeping" in {a.code for a in hub.service.board.announcing()}
