"""Fuzz every parser of outside input at 100,000 cases each (the suite runs 300: tests/test_fuzz.py).

The targets and what must hold for each case are in tests/fuzzing.py: a plan, a scenario,
a calendar, a bridge line, an MQTT payload or a WAV file is either used or refused with its
own typed error, and what is used never makes the hub say the misprinted number or an
all-clear it cannot know. Prints, per target, how many cases ran, how many were accepted
and refused, and how long it took; a failing case stops the run with Hypothesis's report.

    python -m bench fuzz [--cases 100000] [--only NAME ...] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import TARGETS


# Hypothesis keeps a tree of what it tried; runs of this many cases keep its memory small
# (one run of 100,000 grew past 300 MB) and let progress be seen.
BATCH = 10_000


def fuzz(name: str, cases: int, *, progress: bool = True) -> dict[str, object]:
    """Run one target for `cases` generated inputs, in runs of BATCH with fresh seeds;
    return the counts."""
    target = TARGETS[name]
    outcomes: Counter[str] = Counter()
    started = time.monotonic()
    for first in range(0, cases, BATCH):

        @settings(max_examples=min(BATCH, cases - first), deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(target.strategy)
        def run(case: object) -> None:
            outcomes[target.check(case)] += 1

        run()
        if progress:
            counts = ", ".join(f"{n} {label}" for label, n in sorted(outcomes.items()))
            print(f"  {name}: {sum(outcomes.values())} cases ({counts}), {time.monotonic() - started:.0f} s",
                  file=sys.stderr, flush=True)
    return {"target": name, "cases": sum(outcomes.values()), **dict(outcomes),
            "seconds": round(time.monotonic() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases per target (default 100000)")
    parser.add_argument("--only", nargs="+", choices=sorted(TARGETS), help="fuzz only these targets")
    parser.add_argument("--json", action="store_true", help="print one JSON line per target")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # refusals are logged as warnings, a hundred thousand times
    for name in args.only or sorted(TARGETS):
        row = fuzz(name, args.cases)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{name:<15} {row['cases']:>7} cases  {row.get('accepted', 0):>7} accepted  "
                  f"{row.get('refused', 0):>7} refused  {row['seconds']:>7} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
