"""The microphone loop behind `hub listen`: wake, hear one question, answer it aloud.

Wake comes from the spotted wake phrase or the push-to-talk button. The question is
cut by the endpointer, recognized against the grammar the dialogue expects, and the
reply is played (or written to WAV) with the microphone gated off meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub.assistant import Assistant
from hub.audio import SPEECH_RATE, Audio, Endpointer, dither, write_wav
from hub.mic import Microphone, SpeakingGate, play
from hub.scenario import Scenario
from hub.voice_pipeline import VoicePipeline
from hub.wake import PushToTalk, WakeWordSpotter

_LOGGER = logging.getLogger(__name__)

QUESTION_TIMEOUT_S = 8.0


class ListenLoop:
    """Runs turns on a microphone until stopped. The microphone is opened by `run` and closed
    after; the optional push-to-talk `button` belongs to the caller."""

    def __init__(self, pipeline: VoicePipeline, assistant: Assistant, scenario: Scenario, *,
                 wake_phrase: str = "hey hub", device: int | str | None = None, out_dir: Path | None = None,
                 button: PushToTalk | None = None, tail_ms: int = 300, mic_backend: Any = None,
                 player: Any = None) -> None:
        self.pipeline = pipeline
        self.assistant = assistant
        self.scenario = scenario
        self.wake = WakeWordSpotter(wake_phrase)
        self.device = device
        self.out_dir = out_dir
        self.button = button
        self.tail_ms = tail_ms
        self.gate = SpeakingGate()
        self._mic_backend = mic_backend
        self._player = player
        self._answers = 0

    def run(self, max_turns: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield one JSON-able dict per answered question."""
        with Microphone(self.device, backend=self._mic_backend, gate=self.gate) as mic:
            blocks = mic.blocks()
            turns = 0
            while max_turns is None or turns < max_turns:
                self._wait_for_wake(blocks, self.button)
                yield self._turn(blocks)
                mic.flush()
                turns += 1

    def _wait_for_wake(self, blocks: Iterator[bytes], button: PushToTalk | None) -> None:
        for block in blocks:
            if (button is not None and button.is_pressed) or self.wake.process(block):
                self.wake.reset()
                return

    def _turn(self, blocks: Iterator[bytes]) -> dict[str, Any]:
        endpointer = Endpointer(tail_ms=self.tail_ms)
        captured = bytearray()
        started = time.monotonic()
        for block in blocks:
            captured += block
            if endpointer.feed(block) or time.monotonic() - started > QUESTION_TIMEOUT_S:
                break
        import numpy as np

        samples = np.frombuffer(bytes(captured), dtype="<i2").astype(np.float32) / 32768.0
        heard = self.pipeline.hear(Audio(dither(samples), SPEECH_RATE), self.assistant.expects)
        text = "" if heard.transcript.is_rejected else heard.transcript.text
        reply = self.assistant.ask(text, self.scenario.home, self.scenario.now)
        spoken = self.pipeline.speak_all(reply.speech)
        self._output(spoken.audio)
        result = reply.to_json()
        result["transcript"] = text
        result["timings_ms"] = {**heard.timings_ms, "synthesis_first_chunk": spoken.first_chunk_ms}
        return result

    def _output(self, audio: Audio) -> None:
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            self._answers += 1
            write_wav(self.out_dir / f"answer-{self._answers:04d}.wav", audio)
            return
        play(audio, gate=self.gate, backend=self._player)
