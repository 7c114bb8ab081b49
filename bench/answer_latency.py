"""What is left after the end of a daily-check answer: answers keep the lattice pass.

    .venv/bin/python -m bench answer-latency

Every daily-check answer of the templates, spoken by piper at three speeds, streamed in
30 ms blocks as the microphone gives them (0.3 s of room before, the endpointer's 300 ms
after); only the last block and `finish` are timed, as `bench/voice.py` times questions.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer
from hub.voice.dsp import SPEECH_RATE, dither, to_speech_rate
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.tts import Synthesizer

ROOT = Path(__file__).resolve().parent.parent

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})
BLOCK = 960


def main() -> int:
    templates = Templates()
    grammar = GrammarBuilder(templates).grammar(ANSWERS)
    recognizer = PocketSphinxRecognizer()
    synthesizer = Synthesizer()
    said = [t for intent, texts in sorted(templates.sample_sentences().items()) if intent in ANSWERS for t in texts]
    after: list[float] = []
    for k, text in enumerate(said * 3):
        speech = to_speech_rate(synthesizer.synthesize(text, length_scale=(0.85, 1.0, 1.2)[k // len(said)]),
                                is_dithered=False).samples
        samples = np.concatenate([np.zeros(4800), speech, np.zeros(4800)]).astype(np.float32)
        pcm = Audio(dither(samples), SPEECH_RATE).to_pcm16()
        blocks = [pcm[i : i + BLOCK] for i in range(0, len(pcm), BLOCK)]
        stream = recognizer.stream(grammar)
        for block in blocks[:-1]:
            stream.accept(block)
        start = time.perf_counter()
        stream.accept(blocks[-1])
        stream.finish()
        after.append((time.perf_counter() - start) * 1000)
    after.sort()
    print(f"{len(after)} answers: recognition after the end of speech p50 {statistics.median(after):.1f} ms, "
          f"p95 {after[int(0.95 * (len(after) - 1))]:.1f} ms, max {after[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
