"""Questions decoded three ways on the same noisy audio: as in use (no lattice pass, word
beam 1e-30, floor 0.40), without the wider beam, and as before 2026-11-28 (the lattice
pass, word beam 1e-22, floor 0.44).

    .venv/bin/python bench/lattice_ab.py babble,white,pink 20,10

The benchmark's template questions (no daily-check answers) and out-of-domain
sentences, synthesized once, mixed with each noise at each SNR (same draws for the three
settings), cut by the endpointer, decoded as whole recordings against the full grammar.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from voice import ANSWERS, babble_of, is_correct, make_items, mix, spoken  # noqa: E402

from hub.voice.asr.confidence import ConfidenceFloors  # noqa: E402
from hub.voice.asr.grammar import GrammarBuilder  # noqa: E402
from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer, PocketSphinxSettings  # noqa: E402
from hub.voice.dsp import SPEECH_RATE  # noqa: E402
from hub.voice.endpoint import Endpointer  # noqa: E402
from hub.voice.wav import Audio  # noqa: E402
from hub.intents.templates import Templates  # noqa: E402
from hub.voice.tts import Synthesizer  # noqa: E402


def main(argv: list[str]) -> int:
    noises, snrs = argv[0].split(","), [int(s) for s in argv[1].split(",")]
    templates = Templates()
    full = GrammarBuilder(templates).grammar()
    synthesizer = Synthesizer()
    items = [it for it in make_items(templates, 4, random.Random(7))
             if it.kind == "ood" or (it.kind == "template" and it.intent not in ANSWERS)]
    clean = spoken(items, synthesizer)
    babble = babble_of(clean)
    settings = {
        "in use (no lattice pass, word beam 1e-30, floor 0.40)": PocketSphinxRecognizer(),
        "no lattice pass, word beam 1e-22, floor 0.40": PocketSphinxRecognizer(
            PocketSphinxSettings(question_wbeam=None)),
        "before (lattice pass, word beam 1e-22, floor 0.44)": PocketSphinxRecognizer(PocketSphinxSettings(
            question_bestpath=True, question_wbeam=None, floors=ConfidenceFloors(0.44, 0.46))),
    }
    endpointer = Endpointer()
    print("| condition | setting | questions right | out-of-domain accepted |\n|---|---|---|---|")
    for noise in noises:
        for snr in snrs:
            rng = np.random.default_rng(5)
            cut = []
            for item, speech in clean:
                mixed = mix(speech, snr, noise, rng, babble)
                found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
                cut.append((item, Audio(mixed if found is None else mixed[found.start : found.end],
                                        SPEECH_RATE).to_pcm16()))
            for name, recognizer in settings.items():
                right = accepted = 0
                for item, pcm in cut:
                    taken, is_right = is_correct(item, recognizer.recognize(pcm, full).text, templates, None)
                    right += item.kind == "template" and is_right
                    accepted += item.kind == "ood" and taken
                n_in = sum(item.kind == "template" for item, _ in cut)
                print(f"| {noise} {snr} dB | {name} | {right}/{n_in} | {accepted}/{len(cut) - n_in} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["babble,white,pink", "20,10"]))
