"""Which wake phrase: false wakes per hour and phrases spotted, for several candidate phrases.

    .venv/bin/python -m bench wake                       # the candidates below
    .venv/bin/python -m bench wake "hey hub,hey computer" 1e-30,1e-20

"hey hub", the default, is two short syllables, and the spotter wakes on ordinary speech
hundreds of times an hour (bench/RESULTS.md). A longer phrase gives the keyphrase search
more to match. Each phrase is measured as bench/voice.py measures the default: the same
12.9 minutes of the benchmark's non-wake sentences back to back (clean, babble at 10 dB,
hum at 20 dB), and the phrase said 18 ways (6 sentences x 3 speeds, each after another
sentence), clean and in babble at 10 dB, at each threshold. Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import random
import sys

from bench.voice import SPEEDS, Synthesizer, Templates, babble_of, make_items, measure_wake, spoken

CANDIDATES = ("hey hub", "hello hub", "hey home hub", "hey hub helper", "hey computer", "okay pump helper")
THRESHOLDS = (1e-40, 1e-30, 1e-20)


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    phrases = tuple(argv[0].split(",")) if argv else CANDIDATES
    thresholds = tuple(float(t) for t in argv[1].split(",")) if len(argv) > 1 else THRESHOLDS
    items = make_items(Templates(), 4, random.Random(7))
    said = spoken(items, Synthesizer())
    clean = [(item, SPEEDS[i % len(SPEEDS)], speech) for i, (item, speech) in enumerate(said)]
    babble = babble_of(said)
    print("| phrase | threshold | false wakes per hour | clean / babble / hum | spotted clean / babble |")
    print("|---|---|---|---|---|", flush=True)
    for phrase in phrases:
        found = measure_wake(clean, babble, 12.0, thresholds, phrase=phrase, with_default=False)
        for row in found["sweep"]:
            by = " / ".join(str(n) for n in row["false_wakes_by_condition"].values())
            spotted = " / ".join(f"{n}/{found['wake_tried']}" for n in row["wake_detected"].values())
            print(f"| {phrase} | {row['threshold']:g} | {row['false_wakes_per_hour']} | {by} | {spotted} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
