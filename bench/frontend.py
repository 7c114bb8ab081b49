"""Front-end experiments for noisy rooms: noise suppression, and the room kept before the words.

    .venv/bin/python bench/frontend.py suppress white,babble 10,5 off,1,2,3
    .venv/bin/python bench/frontend.py suppress none clean off,2,3
    .venv/bin/python bench/frontend.py lead white 10 0.3,1.0,2.0

`suppress` runs WebRTC noise suppression (the `webrtc-noise-gain` package Home
Assistant's voice pipeline uses; not a dependency of the hub: `pip install
webrtc-noise-gain` first) at each level over the whole noisy recording before the
hub's endpointer, against no suppression ("off"). `lead` keeps that many seconds of the
room before the first word instead of the endpointer's cut. Both decode the benchmark's
in-domain sentences (68) and out-of-domain sentences (40) from bench/voice.py with
PocketSphinx at the floors in use, file mode, and print one line per condition:
sentences right, accepted, and out-of-domain accepted. Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voice import (ANSWERS, SPEECH_RATE, Audio, Endpointer, GrammarBuilder,  # noqa: E402
                   PocketSphinxRecognizer, Synthesizer, Templates, babble_of, dither, is_correct, make_items,
                   make_noise, mix, spoken)


def suppress(samples: np.ndarray, level: int) -> np.ndarray:
    """Return `samples` through WebRTC noise suppression at `level` (1-4), 10 ms at a time."""
    from webrtc_noise_gain import AudioProcessor

    processor = AudioProcessor(0, level)
    pcm = Audio(samples, SPEECH_RATE).to_pcm16()
    out = bytearray()
    for i in range(0, len(pcm) - 319, 320):
        out += processor.Process10ms(pcm[i : i + 320]).audio
    return np.frombuffer(bytes(out), "<i2").astype(np.float32) / 32768.0


def with_lead(speech: np.ndarray, lead_s: float, snr_db: float, kind: str, rng: np.random.Generator) -> np.ndarray:
    """Return speech after `lead_s` of room and before 0.8 s, noise at `snr_db` (as bench/voice.py mixes)."""
    padded = np.concatenate([np.zeros(int(lead_s * SPEECH_RATE)), speech, np.zeros(int(0.8 * SPEECH_RATE))])
    noise = make_noise(kind, len(padded), rng, speech)
    active = speech[np.abs(speech) > 0.01 * np.max(np.abs(speech))]
    noise *= np.sqrt(np.mean(active**2) / (10 ** (snr_db / 10)) / np.mean(noise**2))
    return dither((padded + noise).astype(np.float32))


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in ("suppress", "lead"):
        print(__doc__)
        return 2
    mode, kinds, snrs, variants = argv[0], argv[1].split(","), argv[2].split(","), argv[3].split(",")
    templates = Templates()
    grammars = GrammarBuilder(templates)
    full, narrow = grammars.grammar(), grammars.grammar(ANSWERS)
    synthesizer, recognizer = Synthesizer(), PocketSphinxRecognizer()
    items = [it for it in make_items(templates, 4, random.Random(7)) if it.kind in ("template", "answer", "ood")]
    clean = spoken(items, synthesizer)
    babble = babble_of(clean)
    endpointer = Endpointer(tail_ms=300)
    for snr_text in snrs:
        snr = None if snr_text == "clean" else float(snr_text)
        for kind in kinds:
            for variant in variants:
                rng = np.random.default_rng(11)
                right = accepted = ood = inside = outside = 0
                started = time.perf_counter()
                for item, speech in clean:
                    if mode == "lead":
                        mixed = with_lead(speech, float(variant), snr or 100.0, kind, rng)
                    else:
                        mixed = mix(speech, snr, kind, rng, babble)
                        if variant != "off":
                            mixed = suppress(mixed, int(variant))
                    found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
                    if found is None:
                        segment = mixed
                    else:  # lead: everything before the end; suppress: the endpointer's cut
                        segment = mixed[: found.end] if mode == "lead" else mixed[found.start : found.end]
                    is_answer = item.kind == "answer"
                    transcript = recognizer.recognize(Audio(segment, SPEECH_RATE).to_pcm16(),
                                                      narrow if is_answer else full)
                    took, was_right = is_correct(item, transcript.text, templates, ANSWERS if is_answer else None)
                    if item.kind == "ood":
                        outside += 1
                        ood += took
                    else:
                        inside += 1
                        right += was_right
                        accepted += took
                print(f"{snr_text} dB {kind} {mode}={variant}: right {right}/{inside}, accepted {accepted}, "
                      f"out-of-domain accepted {ood}/{outside} ({time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
