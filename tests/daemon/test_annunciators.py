"""Tests for hub.daemon.annunciators: the panel lights and buzzes as the alarms say, its button acknowledges."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hub.core.alarms import Priority
from hub.daemon.annunciators import LogPanel, panel_severity
from hub.daemon.ports import FamilyInput
from hub.core.severity import Severity


def test_gpio_panel_button_acknowledges_and_buzzer_follows_escalation(tmp_path):
    from gpiozero.pins.mock import MockFactory

    from hub.daemon.annunciators import GpioPanel

    async def go() -> tuple[list[FamilyInput], bool, bool]:
        pressed: list[FamilyInput] = []
        factory = MockFactory()
        panel = GpioPanel(lambda: pressed.append(FamilyInput(is_button=True)), pin_factory=factory)
        try:
            panel.show(Priority.HIGH, True, Severity.OK)
            buzzing = panel._panel.is_sounding
            pin = factory.pin(27)
            pin.drive_low()
            await asyncio.sleep(0.1)
            pin.drive_high()
            panel.show(None, False, Severity.OK)
            return pressed, buzzing, panel._panel.is_sounding
        finally:
            panel.close()

    pressed, was_buzzing, is_buzzing = asyncio.run(go())
    assert pressed == [FamilyInput(is_button=True)]
    assert was_buzzing and not is_buzzing


def test_led_shows_the_worse_of_the_alarm_and_the_home():
    assert panel_severity(None, Severity.OK) is Severity.OK
    assert panel_severity(None, Severity.UNKNOWN) is Severity.UNKNOWN
    assert panel_severity(Priority.MEDIUM, Severity.OK) is Severity.WARNING
    assert panel_severity(Priority.LOW, Severity.UNKNOWN) is Severity.UNKNOWN


def test_log_panel_logs_only_changes(caplog):
    panel = LogPanel()
    for _ in range(3):
        panel.show(Priority.HIGH, False, Severity.OK)
    panel.show(Priority.HIGH, True, Severity.OK)
    lines = [r.message for r in caplog.records if "Panel" in r.message]
    assert lines == ["Panel: LED urgent", "Panel: LED urgent, buzzer on"]


def test_the_microphone_does_not_hear_the_hub_speaking_through_a_gated_speaker():
    """The hub's own "is the pump okay?" from the loudspeaker must never reach the recognizer."""
    from hub.daemon.annunciators import GatedSpeaker
    from hub.voice.mic import Microphone, SpeakingGate
    from tests.voice.test_mic import FakeSoundDevice

    gate = SpeakingGate()
    backend = FakeSoundDevice()
    mic = Microphone(backend=backend, gate=gate)
    echo = mic._stream.callback  # what PortAudio calls with each captured block

    class EchoingSpeaker:
        async def say(self, text, priority):
            for _ in range(20):  # the room carries the hub's voice back to the microphone
                echo(b"\x10\x20" * 480, 480, None, None)

    asyncio.run(GatedSpeaker(EchoingSpeaker(), gate).say("Is the pump okay?", Priority.LOW))
    assert mic._queue.empty() and mic.dropped_blocks == 20
    assert gate.times_spoken == 1 and gate.quiet_for_s < float("inf")  # it spoke, and the gate knows when it stopped
    mic.close()


def test_the_panels_talk_button_is_the_microphones_push_to_talk():
    """`hub serve --gpio --listen`: holding the panel's talk button starts a spoken turn."""
    from gpiozero.pins.mock import MockFactory

    from hub.daemon.annunciators import GpioPanel
    from hub.panel.controls import TALK_PIN

    async def go() -> tuple[bool, bool]:
        factory = MockFactory()
        panel = GpioPanel(lambda: None, pin_factory=factory)
        try:
            before = panel.talk_button.is_pressed
            factory.pin(TALK_PIN).drive_low()
            return before, panel.talk_button.is_pressed
        finally:
            panel.close()

    assert asyncio.run(go()) == (False, True)


def test_talk_pin_with_the_front_panel_is_one_clear_error(capsys):
    from hub.cli import main

    assert main(["serve", "--simulate", "--gpio", "--listen", "--talk-pin", "17", "--for", "1"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_listening_while_rhasspy_listens_is_one_clear_error(tmp_path, capsys):
    from hub.cli import main

    plan = tmp_path / "plan.toml"
    plan.write_text('[care_team]\nphone = "212-639-2000"\n[mqtt]\nenabled = true\n')
    assert main(["serve", "--simulate", "--plan", str(plan), "--listen", "--for", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Rhasspy" in err


def test_voice_speaker_fills_the_phrase_cache_and_plays_other_text_sentence_by_sentence(tmp_path, monkeypatch):
    """Fixed replies are made ahead (then play whole and at once); anything else starts on its
    first sentence instead of waiting for the whole text."""
    from hub.core import phrasebook
    from hub.daemon.annunciators import VoiceSpeaker
    from hub.voice.phrase_cache import PhraseCache
    from hub.core.plan import CarePlan
    from hub.voice.tts import Synthesizer
    from tests.voice.test_mic import FakeSoundDevice

    fixed = ["Please call the care team now.", "Is the light green and blinking?"]
    monkeypatch.setattr(phrasebook, "fixed_phrases", lambda plan: fixed)
    synthesizer = Synthesizer(noise_scale=0.0, noise_w_scale=0.0)
    card = FakeSoundDevice()
    speaker = VoiceSpeaker(CarePlan(), synthesizer=synthesizer, cache_dir=tmp_path, player=card)
    speaker.warming.join(timeout=60)
    cache = PhraseCache(tmp_path, synthesizer=synthesizer)
    assert all(cache.has(text) for text in fixed)

    asyncio.run(speaker.say(fixed[0], Priority.HIGH))
    assert len(card.played) == 1
    card.played.clear()
    asyncio.run(speaker.say("The room is 24 degrees. The humidity is 45 percent.", Priority.LOW))
    assert len(card.played) == 2  # one sentence after the other
    assert not cache.has("The room is 24 degrees. The humidity is 45 percent.")


@pytest.mark.slow
def test_hub_serve_with_the_piper_voice_exits_cleanly_while_the_phrase_cache_fills(tmp_path):
    """Every stop with --voice-wav used to end in SIGABRT: piper was still filling the cache at exit."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "HUB_CACHE_DIR": str(tmp_path / "phrases"),  # empty: the cache is still filling
           "HUB_PHRASE_WARMUP": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "hub", "serve", "--simulate", "--no-drivers", "--scenario",
         str(root / "examples/scenarios/pump-beeping.yaml"), "--speed", "20", "--for", "40",
         "--db", str(tmp_path / "hub.db"), "--voice-wav", str(tmp_path / "said")],
        cwd=root, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert any(p.name.endswith("-high.wav") for p in (tmp_path / "said").iterdir()), "it spoke before stopping"
