"""The hub daemon: one asyncio service that watches the home and speaks up first.

Each tick it reads the home, assesses it against the care plan, runs the alarm state
machine and the reminders, says what is due, and records it all. Every part it talks
to is a narrow protocol in hub.daemon.ports (`HomeSource`, `Speaker`, `Panel`, `Watchdog`), so tests and
the simulated week use small in-process fakes and `hub serve` wires the real ones.
Its parts live beside it: the hub's own alarms (hub.daemon.technical, worded in
hub.core.phrases), plan reload (hub.daemon.plan_watch) and the watch on bag-change
appointments (hub.daemon.appointment_watch).

Fail safe throughout: a source that fails, hangs or goes quiet is a technical alarm
and every reading becomes unknown; a speaker that fails is a technical alarm shown on
the panel; a log that cannot be written is a technical alarm, and speaking still
comes first. The hub never volunteers "everything is okay".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from hub.intents.assistant import Assistant
from hub.intents.understand import Understanding
from hub.core import alarms as alarm_rules
from hub.core import reminders as rules
from hub.core import phrases
from hub.core import reported
from hub.core.reported import OpenFinding
from hub.core.alarms import AlarmBoard, AlarmPolicy, Condition, Priority, Signal, SignalKind
from hub.daemon.clock import Clock
from hub.errors import HubError
from hub.core.home import HomeState
from hub.core.findings import Assessment
from hub.core.plan import CarePlan
from hub.core.replies import Reply
from hub.core.severity import Severity
from hub.core.wrong_number import guard_speech
from hub.daemon.appointment_watch import AppointmentWatch
from hub.daemon.plan_watch import PlanWatch
from hub.daemon.ports import (ConfirmingSpeaker, FamilyInput, HomeSource, LoudSpeaker, Panel, Responder, SiteSpeaker,
                              Speaker, TimeSync, Watchdog)
from hub.daemon.technical import (ACKNOWLEDGEMENT_REFUSED, ALARM_ANSWERS, ASSESSMENT_FAILED, AUDIO_FAILING,
                                  CLOCK_UNSET, MICROPHONE_FAILING, SOURCE_LOST, STORE_FAILING, site_silent,
                                  with_stop_time)
from hub.daemon.ports import Said as Said
from hub.daemon.ports import ServiceSettings as ServiceSettings
from hub.store.record import EventStore
from hub.core.codes import Code, Intent

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")

__all__ = ["ALARM_ANSWERS", "FamilyInput", "HubService", "Said", "ServiceSettings"]


@dataclass
class _Memory:
    """What the service remembers between ticks; all bounded (see the week's RSS check)."""

    board: AlarmBoard = field(default_factory=AlarmBoard)
    alarm_rows: dict[int, int] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    one_shot: list[Condition] = field(default_factory=list)
    pending_ack: str | None = None
    last_home: HomeState = field(default_factory=HomeState)
    audio_failed: bool = False
    store_failed: bool = False
    source_failed: bool = False
    microphone_failed: bool = False
    is_clock_known: bool = False
    last_reading_s: float | None = None
    pruned_on: date | None = None  # the day raw readings were last summed into hourly statistics
    check_answers_seen: int = 0
    last_heard_s: float | None = None
    home_severity: Severity = Severity.UNKNOWN
    just_reported: set[str] = field(default_factory=set)  # told by the family this tick: heard, not re-announced
    last_reminder_minute: datetime | None = None
    stored_reported: set[tuple[str, str]] = field(default_factory=set)  # open reports the record holds


class HubService:
    """The daemon. Call `tick()` to run one step, or `run(stop)` to run until `stop` is set."""

    def __init__(self, plan: CarePlan, *, clock: Clock, source: HomeSource, speaker: Speaker,
                 store: EventStore, panel: Panel | None = None, watchdog: Watchdog | None = None,
                 plan_path: Path | None = None, settings: ServiceSettings | None = None,
                 assess: Callable[[CarePlan, HomeState, datetime], Assessment] | None = None,
                 make_assistant: Callable[[CarePlan], Responder] | None = None,
                 on_said: Callable[[Said], None] | None = None, time_sync: TimeSync | None = None) -> None:
        from hub.core.assessment import assess as default_assess  # the core's one judge of "ok"

        self.plan = plan
        self.clock = clock
        self.source = source
        self.speaker = speaker
        self.store = store
        self.panel = panel
        self.watchdog = watchdog
        self.plan_path = plan_path
        # None: the clock is the hub's own (simulated or a test's), set by definition.
        self.time_sync = time_sync
        self.settings = settings or ServiceSettings()
        self._plan_watch = PlanWatch(plan_path, check_every_s=self.settings.plan_check_s)
        self._appointments = AppointmentWatch()
        self._assess = assess or default_assess
        self._make_assistant = make_assistant or _AssistantFactory()
        self.assistant = self._make_assistant(plan)
        self._on_said = on_said
        # True when `store` is a stand-in (the log file could not be opened): said as a technical alarm.
        self.is_store_degraded = False
        self._inbox: asyncio.Queue[FamilyInput] = asyncio.Queue()
        self._has_input = asyncio.Event()  # cuts the pause between ticks short, so answers come at once
        self._mem = _Memory()
        none: tuple[OpenFinding, ...] = ()
        self.assistant.open_findings = self._record_or(none, self._load_reported)
        self._mem.stored_reported = {(i.code, i.detail) for i in self.assistant.open_findings}
        self._policy = AlarmPolicy.from_plan(plan.alarms)
        self._mem.given = set(self._record_or(frozenset[str](), store.reminder_keys))
        self._last_good_s = clock.monotonic()
        closed = self._record_or(0, self._restore_latched, clock.monotonic(), clock.now())
        if closed:
            _LOGGER.info("Closed %d alarms left open by the previous run; live conditions are raised anew", closed)

    def _load_reported(self) -> tuple[OpenFinding, ...]:
        """Return the problems the family reported before a restart and nobody closed."""
        items = tuple(OpenFinding(Code(r.code), r.opened_at, r.detail) for r in self.store.reported_open())
        if items:
            _LOGGER.info("Still open from before the restart: %s", ", ".join(i.code for i in items))
        return items

    @property
    def open_findings(self) -> tuple[OpenFinding, ...]:
        """What the family reported and nobody has said is handled."""
        return self.assistant.open_findings

    def daily_check_status(self, day: date) -> str | None:
        """Return today's daily-check status as the record holds it ('done_with_problems', ...)."""
        return self._record_or(None, self.store.daily_check_status, day)

    def clear_reported(self, wall: datetime) -> None:
        """The care team cleared what the family reported (hub findings clear, the console)."""
        self._record(self.store.close_reported, wall, "care team")
        self.assistant.open_findings = ()

    def _take_care_team_clear(self, wall: datetime) -> None:
        """Take in a clear made outside the daemon (`hub findings clear`): the record decides."""
        kept = self._mem.stored_reported
        if not kept or not self.assistant.open_findings:
            return
        stored = self._record_or(None, self._load_reported)  # None: the record cannot say; keep them open
        if stored is None or {(i.code, i.detail) for i in stored} & kept:
            return
        # Only what was written to the record can be cleared there; a report the record
        # never took (a failing card) stays open.
        _LOGGER.info("The care team cleared what the family reported")
        self.assistant.open_findings = tuple(i for i in self.assistant.open_findings
                                             if (i.code, i.detail) not in kept)
        kept.clear()

    def _restore_latched(self, now_s: float, wall: datetime) -> int:
        """Carry over unacknowledged urgent alarms from the last run; close the other open ones."""
        latched = self.store.latched_alarms()
        board, restored = alarm_rules.restore(self._mem.board, [(a.code, a.speech) for a in latched], now_s)
        self._mem.board = board
        for alarm, record in zip(restored, latched, strict=True):
            self._mem.alarm_rows[alarm.alarm_id] = record.alarm_id
            _LOGGER.warning("Alarm %s from before the restart was never acknowledged: announcing it again",
                            record.code)
        return self.store.end_open_alarms(wall, keep=tuple(a.alarm_id for a in latched))

    @property
    def board(self) -> AlarmBoard:
        return self._mem.board

    @property
    def speaker(self) -> Speaker:
        """Where announcements are said. Whether it names silent rooms or confirms what it
        said is looked up once here, not on every tick: a protocol check costs more than
        the rest of a quiet tick."""
        return self._speaker

    @speaker.setter
    def speaker(self, speaker: Speaker) -> None:
        self._speaker = speaker
        self._site_speaker = speaker if isinstance(speaker, SiteSpeaker) else None
        self._confirming_speaker = speaker if isinstance(speaker, ConfirmingSpeaker) else None

    @property
    def awaited(self) -> frozenset[str] | None:
        """What the hub has just asked the family to say, if anything: the daily check's
        answers, or "okay, I heard you" to a sounding alarm. The microphone takes these
        right after the hub speaks, without the wake phrase (hub.voice.input)."""
        answers = self.assistant.expects
        if answers:
            return frozenset(answers)
        if self._mem.board.announcing():
            return ALARM_ANSWERS
        return None

    def hear(self, heard: FamilyInput) -> None:
        """Queue something the family said or pressed; handled at once, by an early tick.

        Call it on the event loop's thread (from another thread: `loop.call_soon_threadsafe`)."""
        self._inbox.put_nowait(heard)
        self._has_input.set()

    def refuse_acknowledgement(self, site_id: str) -> None:
        """Note an acknowledgement from a room that is not the hub's: nothing is silenced, and
        the family hears it on the hub's own speakers (a stranger on the network, or a
        satellite missing from the settings). Call it on the event loop's thread."""
        _LOGGER.warning("Refused an acknowledgement from unknown site %r; nothing was silenced", site_id)
        if ACKNOWLEDGEMENT_REFUSED not in self._mem.one_shot:  # a flood of them is one warning
            self._mem.one_shot.append(ACKNOWLEDGEMENT_REFUSED)
        self._has_input.set()

    def look_at_plan_now(self) -> None:
        """Take a just-saved plan file in at once, by an early tick (the care-team console's save)."""
        self._plan_watch.look_now()
        self._has_input.set()

    def report_microphone(self, trouble: str | None) -> None:
        """Note that the microphone fails (`trouble` says why) or, with None, works again.

        A hub that cannot hear is a technical alarm: the family must know that saying
        "okay, I heard you" no longer silences anything."""
        self._mem.microphone_failed = trouble is not None

    def note_reply(self, reply: Reply) -> None:
        """Record a reply given outside `hear`, as if heard here: daily-check answers, and "answering".

        Hermes (issue 6): the Rhasspy skill answers in its own sessions; the daemon still
        keeps the daily check's record and knows the family is answering.
        """
        self._mem.last_heard_s = self.clock.monotonic()
        self._record_check(reply, self.clock.now())
        self._record_reported(reply, self.clock.now())
        # The Rhasspy skill's assistant heard it; this daemon's must keep it open (or close it) too.
        items = () if reply.is_handled else self.assistant.open_findings
        for item in reply.opened:
            items = reported.add(items, item)
        self.assistant.open_findings = items
        if reply.is_handled:
            self._mem.board, _ = alarm_rules.handle(self._mem.board, self.clock.monotonic())

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until `stop` is set, telling systemd we are alive each time."""
        if self.watchdog:
            self.watchdog.ready()
        while not stop.is_set():
            await self.tick()
            await self._pause(self.settings.tick_s)

    async def _pause(self, seconds: float) -> None:
        """Wait `seconds` of the clock's time, or less when something is heard."""
        if self._has_input.is_set():
            return
        sleep = asyncio.ensure_future(self.clock.sleep(seconds))
        heard = asyncio.ensure_future(self._has_input.wait())
        try:
            await asyncio.wait((sleep, heard), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleep.cancel()
            heard.cancel()

    async def tick(self) -> None:
        """Run one step: plan, home, input, alarms, reminders, record, panel, watchdog."""
        now_s, wall = self.clock.monotonic(), self.clock.now()
        self._mem.is_clock_known = await self._is_clock_known(wall)
        self._maybe_reload_plan(now_s)
        home = await self._read_home(now_s)
        self._has_input.clear()
        while not self._inbox.empty():
            await self._handle_heard(self._inbox.get_nowait(), home, now_s, wall)
        self._take_care_team_clear(wall)
        conditions = self._conditions(home, now_s, wall)
        board, signals = alarm_rules.step(self._mem.board, conditions, now_s, self._policy)
        self._mem.board = board
        await self._give(signals, wall, by="")
        if self._mem.just_reported:
            # The family told the hub this themselves: the alarm is raised and recorded,
            # but not announced back at them; it reminds later until they say it is handled.
            board, signals = alarm_rules.acknowledge(self._mem.board, now_s, self._mem.just_reported)
            self._mem.board = board
            await self._give(signals, wall, by="report")
            self._mem.just_reported.clear()
        if self._mem.is_clock_known:
            # From a clock that may be years wrong, a reminder or a "missed" would be made up.
            await self._remind(home, wall)
        self._record_readings(home, now_s, wall)
        self._prune_daily(wall)
        if self.panel:
            # The buzzer is the last resort when the speaker has failed: it needs no audio.
            is_buzzing = board.is_escalated() or (self._is_audio_failing and bool(board.announcing()))
            self.panel.show(board.highest_announcing(), is_buzzing, self._mem.home_severity)
        if self.watchdog:
            # Only here, at the end of a whole tick: a loop stuck anywhere stops the pings,
            # and systemd restarts the hub (WatchdogSec in firmware-config/systemd).
            self.watchdog.ping()

    # --- the home -------------------------------------------------------------------

    async def _read_home(self, now_s: float) -> HomeState:
        """Return the home now; on failure, a home where nothing is known."""
        try:
            home = await asyncio.wait_for(self.source.read(), self.settings.read_timeout_s)
        except Exception as exc:  # noqa: BLE001 - a failing source is a lost source, never a dead daemon
            if not self._mem.source_failed:
                _LOGGER.error("Reading the home failed: %s; everything is unknown until it answers", exc)
            self._mem.source_failed = True
            return HomeState()
        if self._mem.source_failed:
            _LOGGER.info("The home source answers again")
        self._mem.source_failed = False
        self._last_good_s = now_s
        self._mem.last_home = home
        return home

    def _conditions(self, home: HomeState, now_s: float, wall: datetime) -> list[Condition]:
        plan = self.plan
        try:
            findings = self._assess(plan, home, wall).findings
        except Exception:  # a bug in judging must still be heard, not crash-loop silently
            _LOGGER.exception("Assessment failed; announcing that nothing can be checked")
            findings = ()
            self._mem.one_shot.append(ASSESSMENT_FAILED)
        severity = Severity.worst([Severity(f.severity) for f in findings])
        if self._mem.source_failed:
            severity = Severity.worst([severity, Severity.UNKNOWN])
        self._mem.home_severity = severity
        findings = (*findings, *(reported.finding_for(item, plan, wall) for item in self.assistant.open_findings))
        conditions = [with_stop_time(c, home, wall) for c in alarm_rules.conditions_from_findings(findings)]
        if rules.is_pump_away_expected(plan, self._appointments_now(home), wall):
            # At its bag change the pump is away with the family: no reading is expected.
            conditions = [c for c in conditions if c.code not in rules.AWAY_QUIET_CODES]
        technical = {
            SOURCE_LOST: self._mem.source_failed,
            AUDIO_FAILING: self._is_audio_failing,
            MICROPHONE_FAILING: self._mem.microphone_failed,
            STORE_FAILING: self._mem.store_failed or self.is_store_degraded,
            CLOCK_UNSET: not self._mem.is_clock_known,
        }
        conditions += [c for c, is_on in technical.items() if is_on]
        silent = tuple(self._site_speaker.silent_sites) if self._site_speaker is not None else ()
        if silent and not self._is_audio_failing:
            conditions.append(site_silent(silent))
        conditions += self._mem.one_shot
        self._mem.one_shot = []
        return conditions

    async def _is_clock_known(self, wall: datetime) -> bool:
        """True when the wall clock can be believed: synchronised (the Pi has no real-time
        clock) and after EARLIEST_PLAUSIBLE_YEAR. A failing check is an unknown clock."""
        if not rules.is_clock_plausible(wall):
            return False
        if self.time_sync is None:
            return True
        try:
            return await asyncio.wait_for(self.time_sync.is_synchronized(), self.settings.read_timeout_s)
        except Exception:  # noqa: BLE001 - an unknown clock, never a dead daemon
            _LOGGER.exception("Checking whether the clock is synchronised failed")
            return False

    @property
    def _is_audio_failing(self) -> bool:
        """True when the last announcement failed, or (said in the background) was heard nowhere."""
        speaker = self._confirming_speaker
        return self._mem.audio_failed or (speaker is not None and speaker.is_unheard)

    # --- input ----------------------------------------------------------------------

    async def _handle_heard(self, heard: FamilyInput, home: HomeState, now_s: float, wall: datetime) -> None:
        if heard.is_button or heard.is_spoken_acknowledgement:
            by = "voice" if heard.is_spoken_acknowledgement else "button"
            _LOGGER.info("Alarms acknowledged by %s", "voice on a satellite" if by == "voice" else "the button")
            board, signals = alarm_rules.acknowledge(self._mem.board, now_s, by_voice=by == "voice")
            self._mem.board = board
            await self._give(signals, wall, by=by)
            return
        self._mem.last_heard_s = now_s
        self._record(self.store.add_utterance, wall, "heard", "", heard.text)
        try:
            reply = self.assistant.ask(heard.text, home, wall, is_noisy=heard.is_noisy)
        except Exception:  # one bad answer must not stop the alarms
            _LOGGER.exception("The assistant failed on %r", heard.text)
            await self._say(phrases.ASSISTANT_FAILED, Priority.LOW, "reply", wall)
            return
        speech = reply.speech
        self._record_reported(reply, wall)
        if reply.is_handled:
            board, signals = alarm_rules.handle(self._mem.board, now_s)
            self._mem.board = board
            await self._give(signals, wall, by="handled")
            # What the family reported is closed now; a stop or a beeping pump the hub sees goes on.
            still = [a for a in board.alarms if a.is_handled and a.priority is Priority.HIGH
                     and not a.code.startswith("reported.")]
            if still:
                minutes = round(self._policy.handled_remind_s / 60)
                speech = speech.replace(phrases.HANDLED_NOTHING_OPEN, phrases.HANDLED).replace(
                    phrases.HANDLED, f"{phrases.HANDLED} {phrases.handled_reminding(minutes)}", 1)
        if reply.intent == Intent.ACKNOWLEDGE:
            board, signals = alarm_rules.acknowledge(self._mem.board, now_s, by_voice=True)
            self._mem.board = board
            await self._give(signals, wall, by="voice")
            if not signals:
                speech = phrases.NOTHING_TO_ACKNOWLEDGE  # do not claim to have silenced what was not sounding
            elif _comes_back(board, signals):
                speech = phrases.acknowledged_by_voice(self.plan)
        self._record_check(reply, wall)
        await self._say(speech, Priority.LOW, "reply", wall)

    def _record_reported(self, reply: Reply, wall: datetime) -> None:
        """Store what the family reported (durably) and close it when they say it is handled."""
        if reply.is_handled:
            self._record(self.store.close_reported, wall, "family")
            self._mem.stored_reported.clear()
        if not reply.opened:
            return
        none: tuple[OpenFinding, ...] = ()
        stored = {(i.code, i.detail) for i in self._record_or(none, self._load_reported)}
        for item in reply.opened:
            if (item.code, item.detail) not in stored:
                if self._record_or(0, self.store.open_reported, item.code.value, item.detail, item.at):
                    self._mem.stored_reported.add((item.code, item.detail))
                self._mem.just_reported.add(item.code.value)

    def _record_check(self, reply: Reply, wall: datetime) -> None:
        """Log new daily-check answers, and mark the check done when it closes with answers,
        unless it was stopped ("stop") or paused because the answers could not be heard."""
        records = reply.records
        for answer in records[self._mem.check_answers_seen:]:
            self._record(self.store.add_check_answer, wall.date(), answer.step, answer.answer, answer.at)
        self._mem.check_answers_seen = len(records) if reply.is_dialogue_open else 0
        if records and not reply.is_dialogue_open and reply.intent != Intent.STOP and not reply.is_check_paused:
            # A "no" or "not sure" is not a completed check: it is done, with problems.
            has_problems = any(r.answer != "yes" for r in records) or reply.severity not in (Severity.OK,
                                                                                             Severity.INFO)
            status = rules.CheckStatus.DONE_WITH_PROBLEMS if has_problems else rules.CheckStatus.DONE
            self._record(self.store.set_daily_check, wall.date(), status.value, wall)
            self._emit(Said(wall, "record", Priority.LOW, f"(daily check {status.value.replace('_', ' ')})"))

    # --- alarms ---------------------------------------------------------------------

    async def _give(self, signals: Iterable[Signal], wall: datetime, *, by: str) -> None:
        for signal in signals:
            await _SIGNAL_HANDLERS[signal.kind](self, signal, wall, by)

    async def _on_start(self, signal: Signal, wall: datetime, by: str) -> None:
        alarm = signal.alarm
        if alarm.alarm_id not in self._mem.alarm_rows:
            # Commit before speaking: an alarm the family heard is always in the record.
            row = self._record_or(0, self.store.open_alarm, alarm.code, alarm.priority.value, alarm.speech, wall)
            self._mem.alarm_rows[alarm.alarm_id] = row
        if alarm.code in self._mem.just_reported:
            return  # the family just told the hub; the reply to them already said what to do
        await self._say(alarm.words, alarm.priority, "alarm", wall)

    async def _on_repeat(self, signal: Signal, wall: datetime, by: str) -> None:
        await self._say(signal.alarm.words, signal.alarm.priority, signal.kind.value, wall,
                        is_loud=signal.alarm.is_escalated)

    async def _on_escalate(self, signal: Signal, wall: datetime, by: str) -> None:
        row = self._mem.alarm_rows.get(signal.alarm.alarm_id)
        if row:
            self._record(self.store.escalate_alarm, row, wall)
        _LOGGER.warning("Alarm %s unacknowledged: escalating", signal.alarm.code)
        await self._say(phrases.escalated(signal.alarm.speech), signal.alarm.priority, "escalate", wall,
                        is_loud=True)

    async def _on_acknowledged(self, signal: Signal, wall: datetime, by: str) -> None:
        row = self._mem.alarm_rows.get(signal.alarm.alarm_id)
        if row:
            self._record(self.store.acknowledge_alarm, row, wall, by or "voice")
        self._emit(Said(wall, f"ack:{by}", signal.alarm.priority, f"(acknowledged {signal.alarm.code})"))

    async def _on_end(self, signal: Signal, wall: datetime, by: str) -> None:
        row = self._mem.alarm_rows.pop(signal.alarm.alarm_id, 0)
        if row:
            self._record(self.store.end_alarm, row, wall)
        self._emit(Said(wall, "end", signal.alarm.priority, f"(ended {signal.alarm.code})"))

    # --- reminders ------------------------------------------------------------------

    async def _remind(self, home: HomeState, wall: datetime) -> None:
        plan, mem = self.plan, self._mem
        given = frozenset(mem.given)
        appointments = [a for a in self._appointments_now(home) if rules.is_schedulable(a)]
        minute = wall.replace(second=0, microsecond=0)
        for reminder in rules.bag_change_reminders(plan, appointments, wall, given):
            await self._give_reminder(reminder, wall)
            mem.last_reminder_minute = minute
        for missed in self._appointments.watch(plan, appointments, home, wall, frozenset(mem.given)):
            mem.one_shot.append(Condition(Code.APPOINTMENT_MISSED, missed.priority, missed.speech))
            self._mark_given(missed, wall)
        status_text = self._record_or(None, self.store.daily_check_status, wall.date())
        status = rules.CheckStatus(status_text) if status_text else None
        check = rules.daily_check_due(plan, wall, status, self._is_answering(self.clock.monotonic()))
        if check is not None and mem.last_reminder_minute == minute:
            check = None  # never in the same minute as a bag-change reminder: one thing at a time
        if check is not None and check.key not in given:
            await self._give_daily_check(check, home, wall)

    def _appointments_now(self, home: HomeState) -> list[datetime]:
        return sorted(set(self.plan.bag_changes) | set(home.bag_changes))

    def _is_answering(self, now_s: float) -> bool:
        """True while a dialogue is open and the family spoke within `answering_s`."""
        last = self._mem.last_heard_s
        return bool(self.assistant.expects) and last is not None \
            and now_s - last < self.settings.answering_s

    async def _give_reminder(self, reminder: rules.Reminder, wall: datetime) -> None:
        self._mark_given(reminder, wall)
        await self._say(reminder.speech, reminder.priority, reminder.kind.value, wall)

    async def _give_daily_check(self, reminder: rules.Reminder, home: HomeState, wall: datetime) -> None:
        self._mark_given(reminder, wall)
        status = rules.status_after(reminder)
        if status is not None:
            self._record(self.store.set_daily_check, wall.date(), status.value, wall)
        if reminder.kind is rules.ReminderKind.CHECK_MISSED:
            # Close the unanswered check, so a later "yes" is not taken as an answer to it.
            self._renew_assistant()
            await self._say(reminder.speech, reminder.priority, reminder.kind.value, wall)
            return
        reply = self.assistant.start_daily_check(home, wall)
        self._mem.check_answers_seen = 0
        await self._say(f"{reminder.speech} {reply.speech}", reminder.priority, reminder.kind.value, wall)

    def _mark_given(self, reminder: rules.Reminder, wall: datetime) -> None:
        self._mem.given.add(reminder.key)
        self._record(self.store.add_reminder, reminder.key, reminder.kind.value, wall, reminder.speech)

    # --- speaking, recording, plan ------------------------------------------------------

    async def _say(self, text: str, priority: Priority, kind: str, wall: datetime, *, is_loud: bool = False) -> None:
        """Say `text` (louder if escalated and the speaker can); a failing speaker becomes a technical alarm."""
        if not text:
            return
        text = guard_speech(text, phone=self.plan.care_team.phone)
        self._emit(Said(wall, kind, priority, text))
        self._record(self.store.add_utterance, wall, kind, priority.value, text)
        speaker = self._speaker
        try:
            if is_loud and isinstance(speaker, LoudSpeaker):
                spoken = speaker.say_loud(text, priority)
            else:
                spoken = speaker.say(text, priority)
            await asyncio.wait_for(spoken, self.settings.say_timeout_s)
        except Exception as exc:  # noqa: BLE001 - any audio failure: sound card gone, TTS crash, timeout
            if not self._mem.audio_failed:
                _LOGGER.error("Speaking failed (%s): %r", exc, text)
            self._mem.audio_failed = True
            return
        self._mem.audio_failed = False

    def _emit(self, said: Said) -> None:
        _LOGGER.info("%s [%s/%s] %s", said.at.isoformat(), said.kind, said.priority.value, said.text)
        if self._on_said:
            self._on_said(said)

    def _record(self, write: Callable[..., object], *args: object) -> None:
        self._record_or(None, write, *args)

    def _record_or(self, fallback: _T, write: Callable[..., _T], *args: object) -> _T:
        """Run a store call; on failure log it and raise the store alarm instead of crashing."""
        try:
            result = write(*args)
        except HubError as exc:
            if not self._mem.store_failed:
                _LOGGER.error("Event log write failed: %s", exc)
            self._mem.store_failed = True
            return fallback
        self._mem.store_failed = False
        return result

    def _record_readings(self, home: HomeState, now_s: float, wall: datetime) -> None:
        """Log the readings once every `reading_every_s` (downsampled); None stays None."""
        last = self._mem.last_reading_s
        if last is not None and now_s - last < self.settings.reading_every_s:
            return
        self._mem.last_reading_s = now_s
        env, pump = home.environment, home.pump
        bridge = None if pump.is_bridge_connected is None else float(pump.is_bridge_connected)
        readings = [(quantity, reading.value, reading.is_valid)
                    for quantity, reading in (("temperature_c", env.temperature_c),
                                              ("humidity_pct", env.humidity_pct), ("light_lux", env.light_lux))]
        self._record(self.store.add_readings, wall, [*readings, ("pump_bridge_connected", bridge, True)])

    def _prune_daily(self, wall: datetime) -> None:
        """Once a day, sum raw readings older than `keep_readings_s` into hourly statistics
        (hub.store.record), so the log does not fill the SD card. Never from a clock that
        cannot be right: a jump from 1970 would otherwise look like decades passing."""
        if self._mem.pruned_on == wall.date() or not rules.is_clock_plausible(wall):
            return
        self._mem.pruned_on = wall.date()
        self._record(self.store.prune_readings, wall - timedelta(seconds=self.settings.keep_readings_s))

    def _renew_assistant(self) -> None:
        """Start a fresh assistant; what the family reported stays open."""
        still_open = self.assistant.open_findings
        self.assistant = self._make_assistant(self.plan)
        self.assistant.open_findings = still_open

    def _maybe_reload_plan(self, now_s: float) -> None:
        """Take in the plan when its file changes (hub.daemon.plan_watch); a bad new plan is refused."""
        plan = self._plan_watch.poll(now_s, self.plan)
        if plan is None:
            return
        self.plan = plan
        self._policy = AlarmPolicy.from_plan(plan.alarms)
        if not self.assistant.expects:  # a daily check in progress finishes with the plan it began with
            self._renew_assistant()


_SIGNAL_HANDLERS = {
    SignalKind.START: HubService._on_start,
    SignalKind.REPEAT: HubService._on_repeat,
    SignalKind.REMIND: HubService._on_repeat,
    SignalKind.ESCALATE: HubService._on_escalate,
    SignalKind.ACKNOWLEDGED: HubService._on_acknowledged,
    SignalKind.END: HubService._on_end,
}


def _comes_back(board: AlarmBoard, signals: Iterable[Signal]) -> bool:
    """True when these signals acknowledged, by voice, an urgent alarm whose condition
    is still there: it will be said again unless the button is pressed."""
    acked = {s.alarm.alarm_id for s in signals if s.kind is SignalKind.ACKNOWLEDGED}
    return any(a.alarm_id in acked and a.is_acknowledged_by_voice and a.priority is Priority.HIGH
               for a in board.alarms)


class _AssistantFactory:
    """Makes a fresh assistant for each plan (a reload, a new day) on one loaded
    understanding: building it folds every template sentence, seconds on a Pi, and
    doing that on the daemon's loop would hold up the alarms."""

    def __init__(self) -> None:
        self._understanding: Understanding | None = None

    def __call__(self, plan: CarePlan) -> Responder:
        if self._understanding is None:
            self._understanding = Understanding()
        return Assistant(plan, understanding=self._understanding)
