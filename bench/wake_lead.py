"""Experiment, not adopted: ignore a wake when the phrase ends a long run of speech.

    .venv/bin/python bench/wake_lead.py

People usually say the wake phrase after a pause; a television or a conversation says
phrases like it inside running speech. This counts false wakes on the benchmark's test
sentences back to back (clean, babble 10 dB, hum 20 dB, white 10 dB) and wake phrases
spotted (clean and in babble, each after another sentence), when a wake is kept only if
the speech run it ends (the hub's endpointer with a 210 ms tail) is at most 0.8-2.0 s.
Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from voice import SPEECH_RATE, SPEEDS, Audio, Synthesizer, Templates, dither, make_items, mix, resample  # noqa: E402

from hub.voice.endpoint import Endpointer  # noqa: E402
from hub.voice.wake import WakeWordSpotter  # noqa: E402


WAKE_TEXTS = ["Hey hub.", "Hey, hub!", "Hey hub, is the pump okay?", "Hey hub, who do I call?",
              "Hey hub, what's the temperature?", "Hey hub, the pump is beeping."]
BLOCK = 1920  # 60 ms


def wakes(pcm: bytes, spotter: WakeWordSpotter, max_run_s: float | None) -> int:
    """Return the wakes in `pcm` kept when the speech run they end is at most `max_run_s`."""
    runs = Endpointer(tail_ms=210)
    kept = 0
    for i in range(0, len(pcm), BLOCK):
        block = pcm[i : i + BLOCK]
        if runs.feed(block):
            runs.reset()
        if spotter.process(block):
            run_s = 0.0 if runs.start_frame is None else (runs._frames - runs.start_frame) * runs.FRAME_MS / 1000
            kept += max_run_s is None or run_s <= max_run_s
    return kept


def main() -> int:
    templates, synthesizer = Templates(), Synthesizer()
    items = make_items(templates, 4, random.Random(7))
    clean = []
    for i, item in enumerate(items):
        audio = synthesizer.synthesize(item.text, length_scale=SPEEDS[i % 3])
        clean.append(resample(audio.samples, audio.rate_hz, SPEECH_RATE).astype(np.float64))
    talk = np.concatenate([c for c, item in zip(clean, items, strict=True) if item.kind == "ood"][:12])
    third = len(talk) // 3
    babble = talk[:third] + np.roll(talk, third)[:third] + np.roll(talk, 2 * third)[:third]
    gap, rng = np.zeros(8000), np.random.default_rng(13)
    stream = np.concatenate([np.concatenate([s, gap]) for s in clean])
    passes = {"clean": stream, "babble 10 dB": mix(stream, 10, "babble", rng, babble),
              "hum 20 dB": mix(stream, 20, "hum", rng, babble), "white 10 dB": mix(stream, 10, "white", rng, babble)}
    pcms = {name: Audio(dither(x.astype(np.float32)), SPEECH_RATE).to_pcm16() for name, x in passes.items()}
    samples: dict[str, list[bytes]] = {"clean": [], "babble 10 dB": []}
    for speed in SPEEDS:
        for k, text in enumerate(WAKE_TEXTS):
            audio = synthesizer.synthesize(text, length_scale=speed)
            said = np.concatenate([clean[k * 7 % len(clean)], gap,
                                   resample(audio.samples, audio.rate_hz, SPEECH_RATE), gap])
            samples["clean"].append(Audio(dither(said.astype(np.float32)), SPEECH_RATE).to_pcm16())
            noisy = mix(said, 10, "babble", rng, babble).astype(np.float32)
            samples["babble 10 dB"].append(Audio(dither(noisy), SPEECH_RATE).to_pcm16())
    hours = sum(len(p) for p in pcms.values()) / 2 / SPEECH_RATE / 3600
    spotter = WakeWordSpotter("hey hub")
    print("| longest speech run before the wake | false wakes per hour | by stream | wake phrases spotted |")
    print("|---|---|---|---|")
    for max_run_s in (None, 2.0, 1.5, 1.2, 1.0, 0.8):
        false = {}
        for name, pcm in pcms.items():
            false[name] = wakes(pcm, spotter, max_run_s)
            spotter.reset()
        hits = {}
        for condition, wavs in samples.items():
            hits[condition] = 0
            for wav in wavs:
                hits[condition] += wakes(wav, spotter, max_run_s) > 0
                spotter.reset()
        print(f"| {'any' if max_run_s is None else f'{max_run_s} s'} | {sum(false.values()) / hours:.0f} | "
              f"{false} | {hits} (of {len(WAKE_TEXTS) * len(SPEEDS)}) |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
