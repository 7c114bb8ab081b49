"""A television in the room: how often the listening hub answers nobody.

    .venv/bin/python -m bench tv [--minutes 6] [--pauses 0.15,0.6] [--with-pump-talk] [--floor 0.44]

With `hub serve --listen`, the hub wakes on its wake phrase ("hey pump helper") and answers the question that
follows. The wake spotter also wakes on ordinary talk (bench/RESULTS.md), and what
follows a false wake is decoded like a question: if it passes the confidence floor, the
hub speaks an answer nobody asked for. This plays the benchmark's out-of-domain household
sentences (`bench/voice.py`, without its three about the pump unless `--with-pump-talk`),
spoken by piper at three speeds with `--pauses` between them, as a television's talk,
through the daemon's own microphone loop (`hub.voice.input.VoiceInput` with the real wake
spotter, endpointer and recognizer; no dialogue open) in 30 ms blocks, and counts the
wakes and the turns the hub would answer, per hour of television. Answered turns with
speech after the question's last word (`Transcript.speech_after_ms`) are counted apart:
dropping them after a wake was tried and not adopted (bench/RESULTS.md). `--floor` sets the question floor.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.voice import OUT_OF_DOMAIN, SPEEDS

from hub.voice.asr.confidence import ConfidenceFloors
from hub.voice.asr.pocketsphinx import DEFAULT_FLOORS, PocketSphinxRecognizer, PocketSphinxSettings
from hub.voice.dsp import SPEECH_RATE, dither, resample
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.mic import SpeakingGate
from hub.settings import DeviceSettings
from hub.voice.input import VoiceInput
from hub.voice.pipeline import VoicePipeline
from hub.voice.wake import WakeWordSpotter

ROOT = Path(__file__).resolve().parent.parent

BLOCK = 960  # 30 ms, as the microphone gives it


class CountingSpotter:
    """The real spotter, counting its wakes."""

    def __init__(self) -> None:
        self.spotter = WakeWordSpotter()
        self.wakes = 0

    def process(self, pcm16: bytes) -> bool:
        woke = self.spotter.process(pcm16)
        self.wakes += woke
        return woke

    def reset(self) -> None:
        self.spotter.reset()


# The benchmark's near misses about the pump ("is the pump clean") are left out unless
# --with-pump-talk: they are what people in the room might say to each other, not what a
# programme says.
TALK = [text for text in OUT_OF_DOMAIN if "pump" not in text]


def television(minutes: float, synthesize, rng: np.random.Generator, pauses: tuple[float, float],
               talk: list[str]) -> bytes:
    """Return `minutes` of `talk` with pauses between sentences (seconds, uniform in `pauses`), as 16 kHz PCM."""
    pieces, total = [], 0
    for k in range(10_000):
        text = talk[k % len(talk)]
        speech = synthesize(text, SPEEDS[(k // len(talk)) % len(SPEEDS)])
        pause = np.zeros(int(rng.uniform(*pauses) * SPEECH_RATE))
        pieces += [speech, pause]
        total += len(speech) + len(pause)
        if total >= minutes * 60 * SPEECH_RATE:
            break
    return Audio(dither(np.concatenate(pieces).astype(np.float32)), SPEECH_RATE).to_pcm16()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--floor", type=float, default=DEFAULT_FLOORS.command)
    parser.add_argument("--seed", type=int, default=3, help="pauses between the sentences")
    parser.add_argument("--with-pump-talk", action="store_true",
                        help="include the three near misses about the pump ('is the pump clean')")
    parser.add_argument("--pauses", default="0.15,0.6",
                        help="shortest and longest pause between sentences, seconds (0.15,0.6: a programme's "
                             "running talk; 0.5,1.5: people chatting)")
    args = parser.parse_args()
    pipeline = VoicePipeline.for_settings(DeviceSettings(), templates=Templates())
    floors = ConfidenceFloors(args.floor, max(args.floor, DEFAULT_FLOORS.answer))
    pipeline.recognizer = PocketSphinxRecognizer(PocketSphinxSettings(floors=floors))  # the floor under test
    cache: dict[tuple[str, float], np.ndarray] = {}

    def synthesize(text: str, speed: float) -> np.ndarray:
        if (text, speed) not in cache:
            audio = pipeline.synthesizer.synthesize(text, length_scale=speed)
            cache[(text, speed)] = resample(audio.samples, audio.rate_hz, SPEECH_RATE)
        return cache[(text, speed)]

    low, high = (float(x) for x in args.pauses.split(","))
    talk = OUT_OF_DOMAIN if args.with_pump_talk else TALK
    pcm = television(args.minutes, synthesize, np.random.default_rng(args.seed), (low, high), talk)
    hours = len(pcm) / 2 / SPEECH_RATE / 3600
    spotter = CountingSpotter()
    ears = VoiceInput(pipeline, expects=lambda: None, gate=SpeakingGate(), spotter=spotter)
    position = 0

    def blocks():
        nonlocal position
        while position < len(pcm):
            position += BLOCK
            yield pcm[position - BLOCK : position]

    stream = blocks()
    answered: list[str] = []
    dropped: list[str] = []  # answered, with speech after the question: what a stricter hub would drop
    while position < len(pcm):
        heard = ears.hear_turn(stream)
        if heard is not None and not heard.transcript.is_rejected:
            transcript = heard.transcript
            (dropped if transcript.speech_after_ms else answered).append(transcript.text)
            print(f"  answered nobody: {transcript.text!r} "
                  f"({transcript.confidence:.2f}; {transcript.speech_after_ms} ms of speech after it)", flush=True)
    print(f"{hours * 60:.1f} min of talk (pauses {low}-{high} s), question floor {args.floor}: {spotter.wakes} wakes "
          f"({spotter.wakes / hours:.0f} per hour); answered: {len(answered) + len(dropped)} "
          f"({(len(answered) + len(dropped)) / hours:.0f} per hour), of which {len(dropped)} with speech after "
          "the question")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
