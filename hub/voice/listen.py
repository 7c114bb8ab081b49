"""The microphone loop behind `hub listen`: wake, hear one question, answer it aloud.

Wake comes from the spotted wake phrase, the push-to-talk button, or (right after the
hub asked something) the answer itself: hub.voice.input, as in `hub serve --listen`.
The question is recognized against the grammar the dialogue expects, and the reply is
played (or written to WAV) with the microphone gated off meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub.intents.assistant import Assistant
from hub.voice.wav import Audio, write_wav
from hub.voice.mic import Microphone, SpeakingGate, play
from hub.core.scenario import Scenario
from hub.voice.input import VoiceInput
from hub.voice.pipeline import Heard, VoicePipeline
from hub.voice.wake import DEFAULT_PHRASE, PushToTalk, WakeWordSpotter

_LOGGER = logging.getLogger(__name__)


class ListenLoop:
    """Runs turns on a microphone until stopped. The microphone is opened by `run` and closed
    after; the optional push-to-talk `button` belongs to the caller."""

    def __init__(self, pipeline: VoicePipeline, assistant: Assistant, scenario: Scenario, *,
                 wake_phrase: str = DEFAULT_PHRASE, device: int | str | None = None, out_dir: Path | None = None,
                 button: PushToTalk | None = None, tail_ms: int = 300, mic_backend: Any = None,
                 player: Any = None) -> None:
        self.pipeline = pipeline
        self.assistant = assistant
        self.scenario = scenario
        self.device = device
        self.out_dir = out_dir
        self.gate = SpeakingGate()
        self.ears = VoiceInput(pipeline, expects=lambda: self.assistant.expects, gate=self.gate,
                               spotter=WakeWordSpotter(wake_phrase), button=button, device=device,
                               tail_ms=tail_ms, mic_backend=mic_backend)
        self._mic_backend = mic_backend
        self._player = player
        self._answers = 0

    def run(self, max_turns: int | None = None) -> Iterator[dict[str, Any]]:
        """Yield one JSON-able dict per answered question."""
        with Microphone(self.device, backend=self._mic_backend, gate=self.gate) as mic:
            blocks = mic.blocks()
            turns = 0
            while max_turns is None or turns < max_turns:
                heard = self.ears.hear_turn(blocks)
                if heard is None:
                    continue
                yield self._answer(heard)
                mic.flush()
                turns += 1

    def _answer(self, heard: Heard) -> dict[str, Any]:
        text = "" if heard.transcript.is_rejected else heard.transcript.text
        reply = self.assistant.ask(text, self.scenario.home, self.scenario.now, is_noisy=heard.is_noisy)
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
            with self.gate.speaking():  # as if it had been played: an answer may follow at once
                return
        play(audio, gate=self.gate, backend=self._player)
