"""Tests for hub.core.alarms: what the family hears, when, and what silences it."""

from __future__ import annotations

import itertools

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.core.alarms import (
    AlarmBoard,
    AlarmPolicy,
    Condition,
    Priority,
    SignalKind,
    acknowledge,
    conditions_from_findings,
    pause,
    step,
)
from hub.core.severity import Severity

POLICY = AlarmPolicy()
BEEPING = Condition("pump.beeping", Priority.HIGH, "The pump is beeping. Call 212-639-2000.")
HOT = Condition("room.too_hot", Priority.MEDIUM, "The room is too hot for the pump.")
STOPPED = Condition("infusion.stopped", Priority.HIGH, "The infusion has stopped.")
INFO = Condition("room.note", Priority.LOW, "Just so you know.")
SPOKEN = {SignalKind.START, SignalKind.REPEAT, SignalKind.REMIND, SignalKind.ESCALATE}


def run(conditions_at, until_s, *, tick_s=1.0, board=None, start_s=0.0, acks=(), spoken_acks=()):
    """Drive the board each tick; return the board and (time, kind, code) for every signal.
    `acks` are presses of the button, `spoken_acks` acknowledgements heard by voice."""
    board = board or AlarmBoard()
    heard = []
    t = start_s
    while t <= until_s:
        if t in acks or t in spoken_acks:
            board, signals = acknowledge(board, t, by_voice=t in spoken_acks)
            heard += [(t, s.kind, s.alarm.code) for s in signals]
        board, signals = step(board, conditions_at(t), t, POLICY)
        heard += [(t, s.kind, s.alarm.code) for s in signals]
        t += tick_s
    return board, heard


def spoken_times(heard, code):
    return [t for t, kind, c in heard if c == code and kind in SPOKEN]


def test_beeping_pump_is_announced_at_once():
    _, heard = run(lambda t: [BEEPING], 0)
    assert heard == [(0, SignalKind.START, "pump.beeping")]


def test_urgent_alarm_repeats_every_minute_until_acknowledged():
    _, heard = run(lambda t: [BEEPING], 170)
    assert spoken_times(heard, "pump.beeping") == [0, 60, 120]


def test_acknowledged_alarm_falls_silent_while_condition_stays():
    _, heard = run(lambda t: [BEEPING], 600, acks={30})
    assert spoken_times(heard, "pump.beeping") == [0]
    assert (30, SignalKind.ACKNOWLEDGED, "pump.beeping") in heard


def test_hot_room_waits_its_condition_delay_then_repeats_at_five_then_ten_minutes():
    # A warning nags less the longer it lasts: 5, then 10, then 20 minutes (alarm fatigue).
    _, heard = run(lambda t: [HOT], 120 + 2400)
    assert spoken_times(heard, "room.too_hot") == [120, 420, 1020, 2220]


def test_brief_hot_spell_shorter_than_the_delay_is_never_announced():
    _, heard = run(lambda t: [HOT] if t < 100 else [], 400)
    assert heard == []


def test_urgent_alarm_latches_after_condition_clears_until_acknowledged():
    board, heard = run(lambda t: [BEEPING] if t < 10 else [], 400)
    assert SignalKind.END not in [k for _, k, _ in heard]
    assert spoken_times(heard, "pump.beeping")[-1] >= 300
    board, signals = acknowledge(board, 401)
    assert [s.kind for s in signals] == [SignalKind.ACKNOWLEDGED, SignalKind.END]
    assert board.alarms == ()


def test_warning_ends_on_its_own_when_the_room_cools():
    board, heard = run(lambda t: [HOT] if t < 200 else [], 300)
    assert (230, SignalKind.END, "room.too_hot") in heard
    assert board.alarms == ()


def test_acknowledging_silences_only_the_alarms_that_were_sounding():
    def conditions(t):
        return [BEEPING] + ([HOT] if t >= 50 else [])

    _, heard = run(conditions, 500, acks={100})
    assert spoken_times(heard, "pump.beeping") == [0, 60]
    # the hot room started at 170, after the acknowledgement, and keeps sounding
    assert spoken_times(heard, "room.too_hot") == [170, 470]


def test_unacknowledged_urgent_alarm_escalates_after_three_minutes():
    board, heard = run(lambda t: [BEEPING], 200)
    assert (180, SignalKind.ESCALATE, "pump.beeping") in heard
    assert board.is_escalated()


def test_escalation_stops_when_acknowledged():
    board, _ = run(lambda t: [BEEPING], 200)
    board, _ = acknowledge(board, 201)
    assert not board.is_escalated()
    assert board.highest_announcing() is None


def test_stopped_infusion_is_reannounced_after_acknowledgement_well_before_four_hours():
    _, heard = run(lambda t: [STOPPED], 4 * 3600, tick_s=5.0, acks={10.0, 915.0, 1820.0})
    reminders = [t for t, k, _ in heard if k is SignalKind.REMIND]
    assert reminders[:3] == [910.0, 1815.0, 2720.0]
    spoken = spoken_times(heard, "infusion.stopped")
    assert all(b - a <= POLICY.stopped_repeat_s + 60 for a, b in itertools.pairwise(spoken))


def test_urgent_alarm_acknowledged_by_voice_comes_back_while_its_condition_stays():
    _, heard = run(lambda t: [BEEPING], 700, spoken_acks={30})
    assert spoken_times(heard, "pump.beeping") == [0, 330, 390, 450, 510, 570, 630, 690]
    assert (330, SignalKind.REMIND, "pump.beeping") in heard
    assert (510, SignalKind.ESCALATE, "pump.beeping") in heard  # unanswered again: escalates again


def test_the_button_confirms_a_spoken_acknowledgement_for_good():
    _, heard = run(lambda t: [BEEPING], 1800, spoken_acks={30}, acks={100})
    assert spoken_times(heard, "pump.beeping") == [0]
    assert (100, SignalKind.ACKNOWLEDGED, "pump.beeping") in heard


def test_a_spoken_acknowledgement_of_a_stopped_infusion_comes_back_after_the_shorter_wait():
    _, heard = run(lambda t: [STOPPED], 1000, spoken_acks={10})
    assert [t for t, k, _ in heard if k is SignalKind.REMIND] == [10 + POLICY.voice_rearm_s]


def test_a_spoken_acknowledgement_keeps_a_warning_quiet():
    _, heard = run(lambda t: [HOT], 3000, spoken_acks={200})
    assert [t for t in spoken_times(heard, "room.too_hot") if t > 200] == []


def test_a_spoken_acknowledgement_ends_a_latched_alarm_whose_condition_has_cleared():
    board, heard = run(lambda t: [BEEPING] if t < 20 else [], 100, spoken_acks={90})
    assert (90, SignalKind.END, "pump.beeping") in heard
    assert not board.alarms


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=200))
def test_spoken_acknowledgements_never_keep_a_present_urgent_alarm_quiet_for_long(script):
    """Whatever is heard as "okay, I heard you", and however often, an urgent condition
    that stays is said again at most voice_rearm_s + urgent_repeat_s after the last time."""
    board = AlarmBoard()
    last = None
    for i, (is_heard, _) in enumerate(script):
        t = i * 7.0
        if is_heard:
            board, _ = acknowledge(board, t, by_voice=True)
        board, signals = step(board, [BEEPING], t, POLICY)
        if any(s.kind in SPOKEN for s in signals):
            last = t
        assert last is not None and t - last <= POLICY.voice_rearm_s + POLICY.urgent_repeat_s + 7.0


def test_new_alarm_breaks_through_a_pause_but_old_ones_wait():
    board, _ = run(lambda t: [HOT], 120)
    board = pause(board, 121, 600)
    board, heard = run(lambda t: [HOT, BEEPING], 500, board=board, start_s=122)
    assert (122, SignalKind.START, "pump.beeping") in heard
    assert spoken_times(heard, "room.too_hot") == []


def test_information_is_said_once_and_does_not_repeat():
    _, heard = run(lambda t: [INFO], 1000)
    assert spoken_times(heard, "room.note") == [0]


def test_alarm_that_gets_worse_is_announced_again_even_if_acknowledged():
    board, _ = run(lambda t: [HOT], 130, acks={125})
    worse = Condition("room.too_hot", Priority.HIGH, "Much too hot.")
    board, signals = step(board, [worse], 131, POLICY)
    assert [s.kind for s in signals] == [SignalKind.START]
    assert board.highest_announcing() is Priority.HIGH


def test_unknown_is_an_alarm_and_ok_is_not():
    @dataclass(frozen=True)
    class F:
        code: str
        severity: Severity
        speech: str

    conditions = conditions_from_findings(
        [F("room.unknown", Severity.UNKNOWN, "I can't read the room."), F("pump.ok", Severity.OK, "fine")]
    )
    assert conditions == (Condition("room.unknown", Priority.MEDIUM, "I can't read the room."),)


events = st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(events)
def test_urgent_alarm_never_ends_unacknowledged_and_never_goes_quiet(script):
    """Whatever the condition and the family do, a started urgent alarm is either
    acknowledged, or still on the board and heard at least every urgent_repeat_s."""
    board = AlarmBoard()
    acked = set()
    last_spoken: dict[int, float] = {}
    for i, (is_beeping, is_ack, _) in enumerate(script):
        t = i * 7.0
        if is_ack:
            board, signals = acknowledge(board, t)
            acked |= {s.alarm.alarm_id for s in signals if s.kind is SignalKind.ACKNOWLEDGED}
            for s in signals:
                if s.kind is SignalKind.END:
                    assert s.alarm.alarm_id in acked
        board, signals = step(board, [BEEPING] if is_beeping else [], t, POLICY)
        for s in signals:
            if s.kind is SignalKind.END:
                assert s.alarm.alarm_id in acked
            if s.kind in SPOKEN:
                last_spoken[s.alarm.alarm_id] = t
        for alarm in board.announcing():
            assert t - last_spoken[alarm.alarm_id] <= POLICY.urgent_repeat_s + 7.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["pump.beeping", "room.too_hot", "bridge.disconnected", "x.new"]),
                min_size=1, max_size=4, unique=True))
def test_every_condition_that_outlasts_its_delay_is_announced(codes):
    conditions = [Condition(c, Priority.MEDIUM, c) for c in codes]
    board, _ = acknowledge(AlarmBoard(), 0)
    _, heard = run(lambda t: conditions, 200, tick_s=1.0, board=board)
    assert {c for _, k, c in heard if k is SignalKind.START} == set(codes)


def test_pump_screen_change_is_announced_again_after_acknowledgement():
    board, _ = run(lambda t: [BEEPING], 10, acks={5})
    changed = Condition("pump.beeping", Priority.HIGH, "The pump is beeping. The screen says: Low battery.")
    board, signals = step(board, [changed], 11, POLICY)
    assert [s.kind for s in signals] == [SignalKind.START]
    assert signals[0].alarm.speech.endswith("Low battery.")


def test_changing_room_temperature_words_do_not_reannounce():
    board, _ = run(lambda t: [HOT], 130, acks={125})
    warmer = Condition("room.too_hot", Priority.MEDIUM, "The room is 42 degrees.")
    _, signals = step(board, [warmer], 131, POLICY)
    assert signals == ()


# --- "we called", minimum interval (issue 17: alarm fatigue) -----------------------------

STOPPED_CALM = Condition("infusion.stopped", Priority.HIGH, "The infusion has stopped. Call 212-639-2000 now.",
                         "The infusion is still stopped.")
STOPPED_LONG = Condition("infusion.stopped_long", Priority.HIGH, "Stopped more than 4 hours. Call now.")


def _said(board_signals):
    return [(s.kind, s.alarm.words) for s in board_signals]


def test_after_we_called_a_stopped_infusion_is_said_calmly_every_half_hour_and_4_hours_is_new():
    from hub.core.alarms import handle

    board, _ = step(AlarmBoard(), [STOPPED_CALM], 0.0, POLICY)
    board, signals = handle(board, 30.0)
    assert [s.kind for s in signals] == [SignalKind.ACKNOWLEDGED]
    heard = []
    t = 31.0
    while t <= 4 * 3600:
        board, signals = step(board, [STOPPED_CALM], t, POLICY)
        heard += [(t, kind, words) for kind, words in _said(signals)]
        t += 1.0
    assert [t for t, _, _ in heard] == [30.0 + n * POLICY.handled_remind_s for n in range(1, 8)]
    assert all(kind is SignalKind.REMIND and "Call" not in words for _, kind, words in heard)
    board, signals = step(board, [STOPPED_LONG], 4 * 3600 + 1.0, POLICY)
    assert (SignalKind.START, STOPPED_LONG.speech) in _said(signals)


def test_we_called_does_not_silence_a_new_problem_that_comes_after():
    from hub.core.alarms import handle

    board, _ = step(AlarmBoard(), [STOPPED_CALM], 0.0, POLICY)
    board, _ = handle(board, 10.0)
    board, signals = step(board, [STOPPED_CALM, BEEPING], 20.0, POLICY)
    assert [(s.kind, s.alarm.code) for s in signals] == [(SignalKind.START, "pump.beeping")]


def test_a_warning_back_within_ten_minutes_of_ending_is_not_announced_again():
    steam = Condition("room.steam", Priority.MEDIUM, "Steamy.")
    present = lambda t: [steam] if t < 300 or 400 <= t < 700 else []  # noqa: E731
    _, heard = run(present, 1200)
    assert [t for t, kind, c in heard if kind is SignalKind.START] == [60]  # its condition delay


def test_an_urgent_alarm_back_soon_after_ending_is_announced_again():
    present = lambda t: [BEEPING] if t < 100 or 400 <= t else []  # noqa: E731
    _, heard = run(present, 500, acks=(50,))
    assert [t for t, kind, c in heard if kind is SignalKind.START] == [0, 400]
