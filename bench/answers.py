"""How often a bare one-word answer in a quiet room is heard, streamed after other speech.

    .venv/bin/python -m bench answers            # bare words: yes, no, yep, nope
    .venv/bin/python -m bench answers --whole    # whole answers: "yes, it's fine", "no, it's not"...
    .venv/bin/python -m bench answers --no-bestpath --answer-floor 0.56   # another decoder setting

The daily check's most common answers are single words: "yes", "no", "yep", "nope".
Short words give the confidence check few frames to average over, so they sit nearest
the answer floor, and a stream starts from the loudness of the utterances before it. Each
of the four words (piper, three speeds, its random noise on) is streamed in 30 ms
blocks, as `hub serve --listen` does, right after one of six other utterances (questions,
answers, the daily check's own words said back), against the narrow daily-check grammar.
Prints one line per try and how many were accepted and right. A rejection makes the hub
ask again; a wrong word would be a wrong answer. Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from hub.voice.asr.confidence import ConfidenceFloors
from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.pocketsphinx import DEFAULT_FLOORS, PocketSphinxRecognizer, PocketSphinxSettings
from hub.voice.dsp import dither, to_speech_rate
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.tts import Synthesizer

ROOT = Path(__file__).resolve().parent.parent

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})
BEFORE = ["Is the pump okay?", "Who do I call?", "Yes.", "No.", "Let's do the daily check.",
          "Is the dressing clean, dry and intact?"]
WORDS = {"Yes.": "Yes", "No.": "No", "Yep.": "Yes", "Nope.": "No"}
WHOLE = {"Yes, it's fine.": "Yes", "No, it's not.": "No", "Yes, they are.": "Yes", "Not sure.": "NotSure"}
SPEEDS = (0.85, 1.0, 1.2)


def main(argv: list[str]) -> int:
    words = WHOLE if "--whole" in argv else WORDS
    templates = Templates()
    grammars = GrammarBuilder(templates)
    full, narrow = grammars.grammar(), grammars.grammar(ANSWERS)
    floors = DEFAULT_FLOORS
    if "--answer-floor" in argv:
        answer = float(argv[argv.index("--answer-floor") + 1])
        floors = ConfidenceFloors(min(DEFAULT_FLOORS.command, answer), answer)
    recognizer = PocketSphinxRecognizer(PocketSphinxSettings(floors=floors, bestpath="--no-bestpath" not in argv))
    synthesizer = Synthesizer()
    room = dither(np.zeros(4800, dtype=np.float32), seed=3)

    def spoken(text: str, length_scale: float) -> bytes:
        word = to_speech_rate(synthesizer.synthesize(text, length_scale=length_scale), is_dithered=False).samples
        return Audio(np.concatenate([room, word, room]), 16000).to_pcm16()

    def streamed(pcm: bytes, grammar):
        stream = recognizer.stream(grammar)
        for i in range(0, len(pcm), 960):
            stream.accept(pcm[i : i + 960])
        return stream.finish()

    accepted = right = tries = 0
    for before, word, speed in itertools.product(BEFORE, words, SPEEDS):
        streamed(spoken(before, 1.0), full if before.endswith("?") else narrow)
        transcript = streamed(spoken(word, speed), narrow)
        found = templates.match(transcript.text, allowed=ANSWERS) if transcript.text else None
        tries += 1
        accepted += not transcript.is_rejected
        right += found is not None and found.name == words[word]
        print(f"after {before!r:42} {word:16} x{speed}: {transcript.text or '(rejected)':10} "
              f"{transcript.confidence:.2f}  {transcript.heard!r} {transcript.reason}", flush=True)
    print(f"accepted {accepted} of {tries}, right {right}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
