"""`hub listen` end to end on a stand-in microphone: button, question, answer written as WAV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from gpiozero.pins.mock import MockFactory

from hub.intents.assistant import Assistant
from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer
from hub.voice.dsp import dither, to_speech_rate
from hub.voice.wav import Audio, read_wav
from hub.intents.templates import Templates
from hub.voice.listen import ListenLoop
from hub.core.plan import CarePlan
from hub.core.scenario import load_scenario
from hub.voice.tts import Synthesizer
from hub.voice.pipeline import VoicePipeline
from hub.voice.wake import PushToTalk
from tests.voice.test_mic import FakeSoundDevice

ALL_OK = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / "all-ok.yaml"


@pytest.mark.slow
def test_button_then_question_gets_a_spoken_answer(tmp_path) -> None:
    synthesizer = Synthesizer(noise_scale=0.0, noise_w_scale=0.0)
    question = to_speech_rate(synthesizer.synthesize("Is the pump okay?")).samples
    pause = dither(np.zeros(16000, dtype=np.float32))
    mic = FakeSoundDevice(Audio(np.concatenate([pause[:4800], question, pause, pause]), 16000).to_pcm16())
    factory = MockFactory()
    templates = Templates()
    pipeline = VoicePipeline(recognizer=PocketSphinxRecognizer(), synthesizer=synthesizer, templates=templates)
    with PushToTalk(27, pin_factory=factory) as button:
        loop = ListenLoop(pipeline, Assistant(CarePlan(), templates=templates), load_scenario(ALL_OK),
                          out_dir=tmp_path, button=button, mic_backend=mic)
        factory.pin(27).drive_low()  # held down: push to talk
        turns = list(loop.run(max_turns=1))
    assert turns[0]["intent"] == "PumpStatus" and turns[0]["transcript"].startswith("is the pump")
    assert read_wav(tmp_path / "answer-0001.wav").duration_s > 2
