"""A child's voice, approximated: questions, answers and the wake phrase with the voice shifted up.

    .venv/bin/python -m bench child                 # shifts 1.0, 1.15, 1.3, 1.45
    .venv/bin/python -m bench child 1.0,1.3
    .venv/bin/python -m bench child 1.0,1.45 --no-warp

The mission names a child of seven asking "is the pump okay?", and the only voice here
is piper's adult male joe. A child's vocal tract is shorter, so its formants (and its
pitch) sit higher: by roughly 1.3-1.5 times an adult man's at seven. The usual stand-in
in speech-recognition work is vocal tract length perturbation; here the crudest form of
it: piper speaks slower by the shift, and the audio is then read as if recorded at the
shift times its rate, which scales every frequency up by the shift and brings the
duration back. That is a proxy, not a child: it moves pitch and formants together and
keeps an adult's timing and articulation. Recordings of children
(`bench/calibrate.py --recordings DIR`) are what settles it.

For each shift, the benchmark's in-domain sentences (bench/voice.py's set: template
questions and daily-check answers, three speeds) and its 40 out-of-domain sentences are
decoded as `hub ask --wav` does (so with the warped second pass for rejected questions
in a quiet room, hub/asr/pocketsphinx.py), clean and in pink noise at 10 dB (the noise
the adult voice copes with), plus the wake phrase said 18 ways, clean. `--no-warp`
decodes without that pass. One line per shift and condition: in-domain right, rejected
and wrong; daily-check answers taken as a "yes" that were not one; out-of-domain
accepted; wake phrases spotted. Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import sys

import numpy as np

from bench.voice import (ANSWERS, DEFAULT_WAKE_PHRASE, SPEECH_RATE, SPEEDS, Audio, Endpointer,
                   GrammarBuilder, PocketSphinxRecognizer, Synthesizer, Templates, WakeWordSpotter, dither,
                   heard_as, is_correct, make_items, mix, resample, wake_texts)
from hub.voice.asr.pocketsphinx import PocketSphinxSettings

SHIFTS = (1.0, 1.15, 1.3, 1.45)
CONDITIONS = ((None, "none"), (10, "pink"))


def shifted(synthesizer: Synthesizer, text: str, speed: float, shift: float) -> np.ndarray:
    """Return `text` said at `speed` with every frequency raised by `shift`, at 16 kHz."""
    audio = synthesizer.synthesize(text, length_scale=speed * shift)
    return resample(audio.samples, audio.rate_hz * shift, SPEECH_RATE).astype(np.float64)


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    is_warping = "--no-warp" not in argv
    argv = [a for a in argv if a != "--no-warp"]
    shifts = tuple(float(s) for s in argv[0].split(",")) if argv else SHIFTS
    templates = Templates()
    grammars = GrammarBuilder(templates)
    full, narrow = grammars.grammar(), grammars.grammar(ANSWERS)
    synthesizer = Synthesizer()
    recognizer = PocketSphinxRecognizer(PocketSphinxSettings() if is_warping else PocketSphinxSettings(child_warp=None))
    endpointer = Endpointer(tail_ms=300)
    items = [i for i in make_items(templates, 4, random.Random(7)) if i.kind in ("template", "answer", "ood")]
    n_in = sum(i.kind != "ood" for i in items)
    n_ood = len(items) - n_in
    n_not_yes = sum(i.kind == "answer" and i.intent != "Yes" for i in items)
    print(f"{n_in} in-domain and {n_ood} out-of-domain sentences, wake phrase {DEFAULT_WAKE_PHRASE!r}, "
          f"warped second pass {'on' if is_warping else 'off'}", flush=True)
    print("| shift | condition | right | rejected | wrong intent | not a yes, taken as yes | out-of-domain accepted "
          "| wake phrases spotted (clean) |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for shift in shifts:
        rng = np.random.default_rng(11)
        said = [shifted(synthesizer, item.text, SPEEDS[i % len(SPEEDS)], shift) for i, item in enumerate(items)]
        spotted = 0
        spotter = WakeWordSpotter(DEFAULT_WAKE_PHRASE)
        gap = np.zeros(8000)
        for j, text in enumerate(t for speed in SPEEDS for t in wake_texts(DEFAULT_WAKE_PHRASE)):
            lead = said[j % n_in]
            speech = shifted(synthesizer, text, SPEEDS[j // 6], shift)
            pcm = Audio(dither(np.concatenate([lead, gap, speech, gap]).astype(np.float32)), SPEECH_RATE).to_pcm16()
            spotted += any(spotter.process(pcm[k : k + 1920]) for k in range(0, len(pcm), 1920))
            spotter.reset()
        for snr, noise in CONDITIONS:
            right = rejected = wrong = false_yes = ood = 0
            for item, speech in zip(items, said, strict=True):
                mixed = mix(speech, snr, noise, rng, np.zeros(1))
                found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
                segment = mixed if found is None else mixed[found.start : found.end]
                is_answer = item.kind == "answer"
                transcript = recognizer.recognize(Audio(segment, SPEECH_RATE).to_pcm16(),
                                                  narrow if is_answer else full)
                accepted, is_right = is_correct(item, transcript.text, templates, ANSWERS if is_answer else None)
                if item.kind == "ood":
                    ood += accepted
                    continue
                right += is_right
                rejected += not accepted
                wrong += accepted and not is_right
                if is_answer and item.intent != "Yes" and heard_as(transcript.text, templates) == "Yes":
                    false_yes += 1
                    print(f"    {item.text!r} heard as {transcript.text!r} ({transcript.confidence:.2f})", flush=True)
            where = "clean" if snr is None else f"{noise} {snr} dB"
            print(f"| {shift:g} | {where} | {right}/{n_in} | {rejected}/{n_in} | {wrong}/{n_in} "
                  f"| {false_yes}/{n_not_yes} | {ood}/{n_ood} | {spotted}/18 |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
