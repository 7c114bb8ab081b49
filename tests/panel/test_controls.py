"""The GPIO panel on gpiozero's MockFactory: buttons, status LED, buzzer."""

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from gpiozero.pins.mock import MockFactory  # noqa: E402

from hub.panel.controls import ACK_PIN, BUZZER_PIN, LED_PINS, TALK_PIN, Panel  # noqa: E402
from hub.core.severity import Severity  # noqa: E402


@pytest.fixture
def factory():
    return MockFactory()


@pytest.fixture
def panel(factory):
    with Panel(pin_factory=factory, bounce_time_s=None) as panel:
        yield panel


def rgb(factory):
    return tuple(int(factory.pin(pin).state) for pin in LED_PINS)


def seen_states(function, seconds=0.8, step=0.01):
    """The states an eye would see: a state is counted when it holds for two reads 2 ms
    apart. gpiozero writes an RGB colour one pin at a time, so between amber and off a
    read can catch green for the microseconds between two pin writes; no eye sees that."""
    states = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        first = function()
        time.sleep(0.002)
        if function() == first:
            states.add(first)
        time.sleep(step)
    return states


def press(factory, pin):
    factory.pin(pin).drive_low()
    time.sleep(0.02)
    factory.pin(pin).drive_high()


def test_buttons_call_their_handlers(factory, panel):
    talked, acked = [], []
    panel.when_talk = lambda: talked.append(1)
    panel.when_acknowledge = lambda: acked.append(1)
    press(factory, TALK_PIN)
    press(factory, ACK_PIN)
    deadline = time.monotonic() + 2
    while (not talked or not acked) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert talked == [1] and acked == [1]


def test_starts_showing_unknown_never_ok(factory, panel):
    assert panel.shown is Severity.UNKNOWN
    assert (0, 1, 0) not in seen_states(lambda: rgb(factory), seconds=0.6)


def test_ok_is_steady_green(factory, panel):
    panel.show(Severity.OK)
    assert rgb(factory) == (0, 1, 0)


def test_warning_is_steady_amber(factory, panel):
    panel.show(Severity.WARNING)
    assert rgb(factory) == (1, 1, 0)


def test_urgent_blinks_red(factory, panel):
    panel.show(Severity.URGENT)
    assert seen_states(lambda: rgb(factory)) == {(1, 0, 0), (0, 0, 0)}


def test_unknown_blinks_amber_and_never_green(factory, panel):
    panel.show(Severity.OK)
    panel.show(Severity.UNKNOWN)
    states = seen_states(lambda: rgb(factory), seconds=2.2)
    assert states == {(1, 1, 0), (0, 0, 0)}


def test_ok_not_confirmed_turns_to_unknown(factory):
    with Panel(pin_factory=factory, ok_expires_s=0.2) as panel:
        panel.show(Severity.OK)
        deadline = time.monotonic() + 5
        while panel.shown is not Severity.UNKNOWN and time.monotonic() < deadline:
            time.sleep(0.01)
        assert panel.shown is Severity.UNKNOWN
        assert (0, 1, 0) not in seen_states(lambda: rgb(factory), seconds=0.5)


def test_ok_confirmed_in_time_stays_ok(factory):
    with Panel(pin_factory=factory, ok_expires_s=1.5) as panel:
        for _ in range(5):
            panel.show(Severity.OK)
            time.sleep(0.5)
        assert panel.shown is Severity.OK


def test_buzzer_sounds_urgent_alarm_and_silences(factory, panel):
    buzzer = factory.pin(BUZZER_PIN)
    panel.sound(Severity.URGENT)
    assert panel.is_sounding
    assert seen_states(lambda: int(buzzer.state)) == {0, 1}
    panel.silence()
    time.sleep(0.05)
    assert not panel.is_sounding and buzzer.state == 0


def test_ok_does_not_sound(factory, panel):
    panel.sound(Severity.OK)
    assert not panel.is_sounding
    assert factory.pin(BUZZER_PIN).state == 0


def test_close_releases_pins(factory):
    panel = Panel(pin_factory=factory)
    panel.close()
    with Panel(pin_factory=factory) as again:  # the same pins can be claimed again
        assert again.shown is Severity.UNKNOWN
