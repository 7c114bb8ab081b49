"""How well the hub understands what families say in their own words, on a hand-written corpus.

    .venv/bin/python bench/understanding.py              # figures on both halves
    .venv/bin/python bench/understanding.py --misses dev # and every miss on the development half

The corpus, bench/corpus/understanding.csv, holds utterances written the way caregivers
and children talk, none copied from the templates: in-domain ones labelled with their
intent (and problem slot), "Worry" where only a call to the care team fits, and
out-of-domain household talk, with near misses ("is the bike pump broken"). `worry` marks
what reports a problem or a worry. The `half` column is fixed in the file: thresholds are
tuned on `dev` only; `heldout` is for reporting.

Figures, per half:
- answered rightly: in-domain rows given their intent and slot; a "Worry" row is right
  when it gets the call line (an unplaced worry, WhoToCall or ReportProblem);
- out-of-domain taken as an intent: any intent at all given to household talk;
- out-of-domain given the call line: household talk that sounded worried (not an intent);
- all-clear given to a problem: a `worry` row whose reply, on a calm home, lacks the care
  team's number or says that all is well. Must be 0.
The same figures for exact template matching alone are the baseline.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.core import phrases  # noqa: E402
from hub.core.codes import ANSWER_INTENTS, Intent  # noqa: E402
from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading  # noqa: E402
from hub.core.plan import CarePlan  # noqa: E402
from hub.intents.assistant import Assistant  # noqa: E402
from hub.intents.understand import Understanding, Understood  # noqa: E402

CORPUS = ROOT / "bench" / "corpus" / "understanding.csv"
NOW = datetime(2026, 11, 24, 15, 0)
ALL_CLEAR = (phrases.ALL_OK, "That is how it should be", "That is fine")
CALL_INTENTS = frozenset({Intent.WHO_TO_CALL, Intent.REPORT_PROBLEM})
# dev: tuned on. heldout: written with dev; its figure (never its misses) was seen while
# tuning. fresh: written blind later by someone who saw neither the corpus nor the code;
# its misses were then read and mended. blind2: a second blind batch, measured once after.
HALVES = ("dev", "heldout", "fresh", "blind2")


@dataclass(frozen=True)
class Row:
    text: str
    intent: str
    slots: dict[str, str]
    is_worry: bool
    is_in_domain: bool
    half: str


@dataclass
class Figures:
    """Counts on one half; `misses` names every row that was not answered rightly."""

    in_domain: int = 0
    right: int = 0
    out_of_domain: int = 0
    taken: int = 0
    called: int = 0
    problems: int = 0
    all_clear: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def right_pct(self) -> float:
        return 100.0 * self.right / max(1, self.in_domain)

    @property
    def taken_pct(self) -> float:
        return 100.0 * self.taken / max(1, self.out_of_domain)

    @property
    def called_pct(self) -> float:
        return 100.0 * self.called / max(1, self.out_of_domain)


def read_corpus(path: Path = CORPUS) -> list[Row]:
    """Return the corpus rows."""
    with path.open(newline="", encoding="utf-8") as f:
        return [Row(r["text"], r["intent"], dict(p.split("=", 1) for p in r["slots"].split(";") if p),
                    r["worry"] == "1", r["domain"] == "in", r["half"]) for r in csv.DictReader(f)]


def calm_home() -> HomeState:
    """A home where every reading is fresh and fine, so only words can make a reply worried."""
    env = Environment(temperature_c=Reading(22.0, 10), humidity_pct=Reading(45.0, 10), light_lux=Reading(250.0, 10))
    pump = PumpState(is_bridge_connected=True, light=PumpLight.GREEN_BLINKING, is_beeping=False, screen="", age_s=2)
    return HomeState(environment=env, pump=pump, infusion=InfusionState(True, None),
                     bag_changes=(datetime(2026, 11, 25, 10, 0),))


def is_right(row: Row, found: Understood) -> bool:
    """Whether `found` is the answer `row` should get."""
    if not row.is_in_domain:
        return found.intent is None and found.is_worry == row.is_worry
    if row.intent == "Worry":
        return (found.intent is None and found.is_worry) or found.intent in CALL_INTENTS
    return found.intent == row.intent and all(found.slots.get(k) == v for k, v in row.slots.items())


def measure(rows: list[Row], understanding: Understanding, *, exact_only: bool = False) -> Figures:
    """Return the figures for `rows`; `exact_only` scores template matching alone."""
    plan = CarePlan()
    figures = Figures()
    for row in rows:
        expects = ANSWER_INTENTS if row.intent in ANSWER_INTENTS else None
        found = understanding.understand(row.text, expects=expects)
        if exact_only and found.how != "template":
            found = Understood(None, text=found.text)
        if row.is_in_domain:
            figures.in_domain += 1
        else:
            figures.out_of_domain += 1
            figures.taken += found.intent is not None
            figures.called += found.intent is None and found.is_worry
        if is_right(row, found):
            figures.right += row.is_in_domain
        else:
            figures.misses.append(f"{row.text!r}: wanted {row.intent or 'nothing'} {row.slots or ''}"
                                  f"{' (worry)' if row.is_worry else ''}, got {found.intent or 'nothing'} "
                                  f"{found.slots or ''} via {found.how} {found.score:.0f} [{found.sentence}]"
                                  f"{' worry=' + ','.join(found.worry.words) if found.is_worry else ''}")
        if row.is_worry and not exact_only:
            figures.problems += 1
            speech = Assistant(plan, understanding=understanding).ask(row.text, calm_home(), NOW).speech
            if plan.care_team.phone not in speech or any(words in speech for words in ALL_CLEAR):
                figures.all_clear += 1
                figures.misses.append(f"{row.text!r}: ALL-CLEAR or no number: {speech}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=HALVES, help="list the rows not answered rightly")
    args = parser.parse_args()
    rows = read_corpus()
    understanding = Understanding()
    print("| half | in-domain | answered rightly | out-of-domain | taken as an intent | given the call line "
          "| problems | all-clear to a problem | exact templates alone: rightly / taken |")
    print("|---|---|---|---|---|---|---|---|---|")
    for half in HALVES:
        subset = [r for r in rows if r.half == half]
        fig = measure(subset, understanding)
        base = measure(subset, understanding, exact_only=True)
        print(f"| {half} | {fig.in_domain} | {fig.right_pct:.1f} % | {fig.out_of_domain} | {fig.taken_pct:.1f} % "
              f"({fig.taken}) | {fig.called_pct:.1f} % ({fig.called}) | {fig.problems} | {fig.all_clear} "
              f"| {base.right_pct:.1f} % / {base.taken_pct:.1f} % |")
        if args.misses == half:
            print("\n".join(f"  - {miss}" for miss in fig.misses), file=sys.stderr)
    times_ms = []
    for row in rows:
        start = time.perf_counter()
        understanding.understand(row.text)
        times_ms.append(1000 * (time.perf_counter() - start))
    times_ms.sort()
    print(f"\nunderstand(): median {times_ms[len(times_ms) // 2]:.1f} ms, "
          f"p95 {times_ms[int(len(times_ms) * 0.95)]:.1f} ms, max {times_ms[-1]:.1f} ms over {len(rows)} utterances")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
