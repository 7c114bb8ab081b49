"""The alarm state machine: conditions in, announcements out, modelled on IEC 60601-1-8.

Pure logic. `step` takes the board, the conditions true right now and a monotonic time
in seconds, and returns the new board and the signals to give (announce, repeat,
escalate, end). `acknowledge` and `pause` do the same for the family's input. Time is
always an argument, never read here, so a wall-clock jump cannot hide an alarm, and the
rules are tested at their edges without waiting.

The rules, and why:
- A condition must persist for its condition delay before it becomes an alarm, so a
  brief blip (a hand over the light sensor) does not wake the house. See docs/alarms.md.
- A new alarm is announced at once and repeats until acknowledged: high every
  `urgent_repeat_s`, medium every `warning_repeat_s`. Low (information) is said once.
- Acknowledging silences only the alarms that were announcing. A high alarm latches:
  it stays until acknowledged even if its condition clears, so an alarm nobody heard is
  never quietly withdrawn. Medium and low alarms end when their condition has been gone
  for `clear_delay_s`.
- A high alarm unacknowledged for `escalate_after_s` escalates (louder, buzzer, LED).
- A stopped infusion is re-armed `stopped_repeat_s` after each acknowledgement while it
  stays stopped: after 4 hours stopped the child may need admission (take-home sheet,
  "If your infusion stops for more than 4 hours"), so one "okay" must not silence it.
- A high alarm acknowledged by voice is re-armed `voice_rearm_s` after it while its
  condition stays; the button acknowledges for good. Speech is heard wrongly now and
  then: other talk was taken as an acknowledgement in 0 of 138 sentences in a quiet
  room and 1-3 of 138 in noise (bench/acknowledgements.py; 2 and 7-10 before the
  grammar was narrowed), and that must not silence an urgent alarm nobody heard for
  longer than `voice_rearm_s`.
- An alarm that gets worse, or a pump whose light or screen changes, is announced
  again as new, even if the earlier state was acknowledged.
- A pause holds back repeats only; a new alarm breaks through it. Escalation is not
  held back by a pause.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Protocol

from hub.core.plan import Alarms
from hub.core.severity import Severity
from hub.core.codes import Code

_LOGGER = logging.getLogger(__name__)


class Priority(str, Enum):
    """Alarm priority as IEC 60601-1-8 names it."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.LOW: 1, Priority.MEDIUM: 2, Priority.HIGH: 3}

# Not knowing is a technical alarm of medium priority: never silence, never "fine".
PRIORITY_BY_SEVERITY: Mapping[Severity, Priority] = MappingProxyType(
    {
        Severity.URGENT: Priority.HIGH,
        Severity.WARNING: Priority.MEDIUM,
        Severity.UNKNOWN: Priority.MEDIUM,
        Severity.INFO: Priority.LOW,
    }
)

# Condition delays in seconds, by finding code; see docs/alarms.md for the reasons.
# Every code that can become a condition is listed (tests/core/test_codes.py); a code
# not listed still gets no delay, so an unforeseen problem is announced at once.
CONDITION_DELAYS_S: Mapping[str, float] = MappingProxyType(
    {
        Code.PUMP_BEEPING: 0.0,
        Code.PUMP_LIGHT: 15.0,
        Code.PUMP_UNKNOWN: 30.0,
        Code.BRIDGE_DISCONNECTED: 30.0,
        Code.ROOM_TOO_HOT: 120.0,
        Code.ROOM_TOO_COLD: 120.0,
        Code.ROOM_SUNLIGHT: 120.0,
        Code.ROOM_STEAM: 60.0,
        Code.ROOM_TEMPERATURE_UNKNOWN: 60.0,
        Code.ROOM_HUMIDITY_UNKNOWN: 60.0,
        Code.ROOM_LIGHT_UNKNOWN: 60.0,
        Code.PUMP_STALE: 30.0,
        Code.PUMP_LIGHT_UNKNOWN: 30.0,
        Code.PUMP_BEEP_UNKNOWN: 30.0,
        Code.INFUSION_UNKNOWN: 60.0,
        Code.INFUSION_STOPPED: 0.0,
        Code.INFUSION_STOPPED_LONG: 0.0,
        Code.HUB_SOURCE_LOST: 15.0,
        Code.HUB_AUDIO_FAILING: 0.0,
        Code.HUB_CLOCK_UNSET: 0.0,
        Code.HUB_STORE_FAILING: 0.0,
        Code.HUB_ASSESSMENT_FAILED: 0.0,
        Code.HUB_MICROPHONE_FAILING: 0.0,
        Code.HUB_SITE_SILENT: 0.0,
        Code.HUB_ACKNOWLEDGEMENT_REFUSED: 0.0,
        Code.APPOINTMENT_MISSED: 0.0,
        # What the family reports is announced at once: they are there and saw it.
        **{code: 0.0 for code in Code if code.topic == "reported"},
    }
)

# Codes that only ever say a part is fine; they never become a condition.
OK_CODES = frozenset({Code.PUMP_OK, Code.ROOM_TEMPERATURE, Code.ROOM_HUMIDITY, Code.ROOM_LIGHT,
                      Code.INFUSION_RUNNING})
# Codes whose acknowledged alarm is re-armed every `stopped_repeat_s` while present.
REARMING_CODES = frozenset({Code.INFUSION_STOPPED, Code.INFUSION_STOPPED_LONG})
# Codes whose words describe what the pump shows: when the light or the screen changes,
# the family hears it again even if they acknowledged the earlier state.
RESAY_ON_CHANGE_CODES = frozenset({Code.PUMP_LIGHT, Code.PUMP_BEEPING})


class FindingLike(Protocol):
    """What the alarms need from an assessment finding (hub.core.assessment.Finding)."""

    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> Severity: ...

    @property
    def speech(self) -> str: ...


@dataclass(frozen=True)
class Condition:
    """Something wrong right now: a finding, or a technical fault the service noticed."""

    code: str
    priority: Priority
    speech: str


_PLAN_DEFAULTS = Alarms()


@dataclass(frozen=True)
class AlarmPolicy:
    """Timings for the alarm rules, in seconds; `from_plan` takes them from the care plan."""

    urgent_repeat_s: float = _PLAN_DEFAULTS.urgent_repeat_s
    warning_repeat_s: float = _PLAN_DEFAULTS.warning_repeat_s
    escalate_after_s: float = _PLAN_DEFAULTS.escalate_after_s
    stopped_repeat_s: float = _PLAN_DEFAULTS.stopped_repeat_s
    voice_rearm_s: float = _PLAN_DEFAULTS.voice_rearm_s
    clear_delay_s: float = 30.0
    condition_delays_s: Mapping[str, float] = field(default_factory=lambda: CONDITION_DELAYS_S)

    @classmethod
    def from_plan(cls, alarms: Alarms) -> AlarmPolicy:
        """Return the policy for a plan's `[alarms]` section (hub.core.plan.Alarms)."""
        return cls(
            urgent_repeat_s=float(alarms.urgent_repeat_s),
            warning_repeat_s=float(alarms.warning_repeat_s),
            escalate_after_s=float(alarms.escalate_after_s),
            stopped_repeat_s=float(alarms.stopped_repeat_s),
            voice_rearm_s=float(alarms.voice_rearm_s),
        )

    def condition_delay_s(self, code: str) -> float:
        return self.condition_delays_s.get(code, 0.0)

    def rearm_s(self, alarm: Alarm) -> float | None:
        """Return how long after its acknowledgement `alarm` is re-armed while its
        condition stays; None: it stays acknowledged."""
        waits = []
        if alarm.code in REARMING_CODES:
            waits.append(self.stopped_repeat_s)
        if alarm.is_acknowledged_by_voice and alarm.priority is Priority.HIGH:
            waits.append(self.voice_rearm_s)
        return min(waits) if waits else None

    def repeat_s(self, priority: Priority) -> float | None:
        """Return how often an unacknowledged alarm repeats; None: said once."""
        return {Priority.HIGH: self.urgent_repeat_s, Priority.MEDIUM: self.warning_repeat_s}.get(priority)


@dataclass(frozen=True)
class Alarm:
    """One alarm, pending (condition delay running) or started (announced).

    Times are monotonic seconds. `armed_s` is when it last became unacknowledged, the
    base for escalation.
    """

    alarm_id: int
    code: str
    priority: Priority
    speech: str
    onset_s: float
    started_s: float | None = None
    armed_s: float | None = None
    last_announced_s: float | None = None
    acknowledged_s: float | None = None
    absent_since_s: float | None = None
    is_escalated: bool = False
    is_acknowledged_by_voice: bool = False

    @property
    def is_started(self) -> bool:
        return self.started_s is not None

    @property
    def is_announcing(self) -> bool:
        """True while it is started and not acknowledged: it repeats and wants an answer."""
        return self.started_s is not None and self.acknowledged_s is None

    @property
    def is_condition_present(self) -> bool:
        return self.absent_since_s is None


class SignalKind(str, Enum):
    """What the service must do for one alarm."""

    START = "start"  # announce a new alarm now
    REPEAT = "repeat"  # say it again: not yet acknowledged
    REMIND = "remind"  # re-armed after an acknowledgement (stopped infusion, or acknowledged by voice)
    ESCALATE = "escalate"  # louder, buzzer, LED
    ACKNOWLEDGED = "acknowledged"  # silenced by the family
    END = "end"  # over; log its end


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    alarm: Alarm


@dataclass(frozen=True)
class AlarmBoard:
    """Every live alarm. Ended alarms leave the board (the event log keeps them)."""

    alarms: tuple[Alarm, ...] = ()
    next_id: int = 1
    paused_until_s: float | None = None

    def announcing(self) -> tuple[Alarm, ...]:
        return tuple(a for a in self.alarms if a.is_announcing)

    def highest_announcing(self) -> Priority | None:
        """Return the priority to show on the LED, or None when nothing wants an answer."""
        live = self.announcing()
        return max((a.priority for a in live), key=lambda p: p.rank) if live else None

    def is_escalated(self) -> bool:
        return any(a.is_escalated and a.is_announcing for a in self.alarms)


def conditions_from_findings(findings: Iterable[FindingLike]) -> tuple[Condition, ...]:
    """Return the alarm conditions among `findings`; an ok finding is no condition."""
    out = []
    for finding in findings:
        priority = PRIORITY_BY_SEVERITY.get(Severity(finding.severity))
        if priority is not None:
            out.append(Condition(finding.code, priority, finding.speech))
    return tuple(out)


def step(board: AlarmBoard, conditions: Iterable[Condition], now_s: float,
         policy: AlarmPolicy) -> tuple[AlarmBoard, tuple[Signal, ...]]:
    """Return the board at `now_s` given the conditions true now, and the signals to give."""
    present = _dedupe(conditions)
    signals: list[Signal] = []
    alarms: list[Alarm] = []
    next_id = board.next_id
    for alarm in board.alarms:
        observed = _observe(alarm, present.pop(alarm.code, None), now_s, signals)
        kept = _advance(observed, now_s, policy, board.paused_until_s, signals)
        if kept is not None:
            alarms.append(kept)
    for condition in present.values():
        new = Alarm(next_id, condition.code, condition.priority, condition.speech, onset_s=now_s)
        next_id += 1
        kept = _advance(new, now_s, policy, board.paused_until_s, signals)
        if kept is not None:
            alarms.append(kept)
    paused = board.paused_until_s if board.paused_until_s is not None and now_s < board.paused_until_s else None
    return AlarmBoard(tuple(alarms), next_id, paused), tuple(signals)


def acknowledge(board: AlarmBoard, now_s: float, codes: Iterable[str] | None = None, *,
                by_voice: bool = False) -> tuple[AlarmBoard, tuple[Signal, ...]]:
    """Silence the alarms announcing now (or only `codes`); return the board and signals.

    An alarm still in its condition delay has not been heard, so it is not silenced. A
    latched alarm whose condition has cleared ends here. `by_voice`: the acknowledgement
    was heard, not pressed, so high alarms are re-armed after `voice_rearm_s`. The button
    (not `by_voice`) also confirms alarms acknowledged by voice earlier, for good.
    """
    wanted = None if codes is None else frozenset(codes)
    signals: list[Signal] = []
    alarms: list[Alarm] = []
    for alarm in board.alarms:
        is_wanted = wanted is None or alarm.code in wanted
        if alarm.is_announcing and is_wanted:
            alarm = replace(alarm, acknowledged_s=now_s, is_escalated=False, is_acknowledged_by_voice=by_voice)
            signals.append(Signal(SignalKind.ACKNOWLEDGED, alarm))
            if not alarm.is_condition_present:
                signals.append(Signal(SignalKind.END, alarm))
                continue
        elif alarm.is_acknowledged_by_voice and is_wanted and not by_voice:
            alarm = replace(alarm, is_acknowledged_by_voice=False)
            signals.append(Signal(SignalKind.ACKNOWLEDGED, alarm))
        alarms.append(alarm)
    return replace(board, alarms=tuple(alarms)), tuple(signals)


def restore(board: AlarmBoard, latched: Iterable[tuple[str, str]],
            now_s: float) -> tuple[AlarmBoard, tuple[Alarm, ...]]:
    """Put back high alarms (code, speech) nobody acknowledged before a restart; return them too.

    They come back latched, with their condition not (yet) seen, and repeat at the next
    step: a crash or a power cut must not silently withdraw an alarm nobody heard.
    """
    restored = []
    next_id = board.next_id
    for code, speech in latched:
        restored.append(Alarm(next_id, code, Priority.HIGH, speech, onset_s=now_s, started_s=now_s, armed_s=now_s,
                              last_announced_s=float("-inf"), absent_since_s=now_s))
        next_id += 1
    return replace(board, alarms=board.alarms + tuple(restored), next_id=next_id), tuple(restored)


def pause(board: AlarmBoard, now_s: float, duration_s: float) -> AlarmBoard:
    """Hold back repeats of the current alarms for `duration_s`; new alarms still sound."""
    return replace(board, paused_until_s=now_s + max(0.0, duration_s))


def _dedupe(conditions: Iterable[Condition]) -> dict[str, Condition]:
    """Return one condition per code, the highest priority winning."""
    out: dict[str, Condition] = {}
    for condition in conditions:
        held = out.get(condition.code)
        if held is None or condition.priority.rank > held.priority.rank:
            out[condition.code] = condition
    return out


def _observe(alarm: Alarm, condition: Condition | None, now_s: float, signals: list[Signal]) -> Alarm:
    """Fold this moment's condition (or its absence) into `alarm`."""
    if condition is None:
        return alarm if alarm.absent_since_s is not None else replace(alarm, absent_since_s=now_s)
    is_changed = condition.speech != alarm.speech and alarm.code in RESAY_ON_CHANGE_CODES
    alarm = replace(alarm, speech=condition.speech, absent_since_s=None)
    if alarm.is_started and (condition.priority.rank > alarm.priority.rank or is_changed):
        # Worse than, or different from, what the family acknowledged: announce it as new.
        worst = max(condition.priority, alarm.priority, key=lambda p: p.rank)
        alarm = replace(alarm, priority=worst, acknowledged_s=None, armed_s=now_s,
                        last_announced_s=now_s, is_escalated=False)
        signals.append(Signal(SignalKind.START, alarm))
    elif condition.priority.rank > alarm.priority.rank:
        alarm = replace(alarm, priority=condition.priority)
    return alarm


def _advance(alarm: Alarm, now_s: float, policy: AlarmPolicy, paused_until_s: float | None,
             signals: list[Signal]) -> Alarm | None:
    """Apply the timing rules to one alarm; return None when it has ended."""
    if not alarm.is_started:
        if not alarm.is_condition_present:
            return None  # the condition did not last its delay: never an alarm
        if now_s - alarm.onset_s < policy.condition_delay_s(alarm.code):
            return alarm
        alarm = replace(alarm, started_s=now_s, armed_s=now_s, last_announced_s=now_s)
        _LOGGER.info("Alarm %d started: %s (%s)", alarm.alarm_id, alarm.code, alarm.priority.value)
        signals.append(Signal(SignalKind.START, alarm))
        return alarm
    if _has_cleared(alarm, now_s, policy):
        signals.append(Signal(SignalKind.END, alarm))
        return None
    if alarm.acknowledged_s is not None:
        rearm_s = policy.rearm_s(alarm)
        if rearm_s is not None and alarm.is_condition_present and now_s - alarm.acknowledged_s >= rearm_s:
            alarm = replace(alarm, acknowledged_s=None, armed_s=now_s, last_announced_s=now_s,
                            is_acknowledged_by_voice=False)
            signals.append(Signal(SignalKind.REMIND, alarm))
        return alarm
    is_paused = paused_until_s is not None and now_s < paused_until_s
    repeat_s = policy.repeat_s(alarm.priority)
    if alarm.priority is Priority.HIGH and not alarm.is_escalated and alarm.armed_s is not None \
            and now_s - alarm.armed_s >= policy.escalate_after_s:
        alarm = replace(alarm, is_escalated=True, last_announced_s=now_s)
        signals.append(Signal(SignalKind.ESCALATE, alarm))
    elif repeat_s is not None and not is_paused and alarm.last_announced_s is not None \
            and now_s - alarm.last_announced_s >= repeat_s:
        alarm = replace(alarm, last_announced_s=now_s)
        signals.append(Signal(SignalKind.REPEAT, alarm))
    return alarm


def _has_cleared(alarm: Alarm, now_s: float, policy: AlarmPolicy) -> bool:
    """True when a started alarm may end: its condition is gone long enough, and it is not latched."""
    if alarm.absent_since_s is None or now_s - alarm.absent_since_s < policy.clear_delay_s:
        return False
    is_latched = alarm.priority is Priority.HIGH and alarm.acknowledged_s is None
    return not is_latched
