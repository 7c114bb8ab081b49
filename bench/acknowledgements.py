"""Household talk taken as "okay, I heard you" while an alarm waits for an acknowledgement.

    .venv/bin/python -m bench acknowledgements > bench/results/acknowledgements.log

While an alarm sounds, the hub listens for an acknowledgement without the wake phrase,
against the acknowledgement grammar alone. A sentence that is not one, taken as one,
silences an alarm (for `alarms.voice_rearm_s` if urgent, hub/alarms.py). This decodes
every benchmark sentence (bench/voice.py: templates, answers, paraphrases, out-of-domain,
"yes, but"; one piper take each at the benchmark's speeds) against that grammar, clean
and at 20, 10 and 5 dB, white, pink, babble and hum in turn, at the floors in use, and
prints those accepted, and how many of the real acknowledgements were heard.
"""

from __future__ import annotations

import random

import numpy as np

from bench.voice import (SPEECH_RATE, Audio, Endpointer, GrammarBuilder, PocketSphinxRecognizer,
                   Synthesizer, Templates, babble_of, make_items, mix, spoken)

NOISES = ("white", "pink", "babble", "hum")


def main() -> int:
    templates = Templates()
    grammar = GrammarBuilder(templates).grammar(frozenset({"Acknowledge"}))
    said = spoken(make_items(templates, 4, random.Random(7)), Synthesizer())
    babble = babble_of(said)
    recognizer, endpointer = PocketSphinxRecognizer(), Endpointer(tail_ms=300)
    rng = np.random.default_rng(11)
    for snr in (None, 20, 10, 5):
        others = taken = acknowledgements = heard = 0
        for i, (item, speech) in enumerate(said):
            kind = NOISES[i % len(NOISES)]
            mixed = mix(speech, snr, kind, rng, babble)
            found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
            segment = mixed if found is None else mixed[found.start : found.end]
            transcript = recognizer.recognize(Audio(segment, SPEECH_RATE).to_pcm16(), grammar)
            if item.intent == "Acknowledge":
                acknowledgements += 1
                heard += not transcript.is_rejected
                continue
            others += 1
            if not transcript.is_rejected:
                taken += 1
                print(f"  {snr or 'clean'} {'' if snr is None else kind}: {item.text!r} -> {transcript.text!r} "
                      f"{transcript.confidence:.2f}", flush=True)
        print(f"{snr or 'clean'}{'' if snr is None else ' dB'}: other speech taken as an acknowledgement "
              f"{taken}/{others}; acknowledgements heard {heard}/{acknowledgements}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
