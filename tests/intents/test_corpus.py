"""The paraphrase corpus: families' own words, measured on a half that tuning never saw.

bench/understanding.py computes the figures; these tests hold them. Two held-out
targets (issue 16) are not met yet: the strict xfail records that, and fails as soon as
they are met, so the mark is taken off; the guards keep today's figures from getting
worse, on the held-out half and on the two batches written blind. No reported problem
ever gets an all-clear or goes without the number, in any half: that one holds outright.
The measured gap is in bench/RESULTS.md.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from hub.core.codes import Intent
from hub.intents.understand import Understanding

BENCH = Path(__file__).resolve().parents[2] / "bench" / "understanding.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_understanding", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(bench):
    return bench.read_corpus()


@pytest.fixture(scope="module")
def figures(bench, rows):
    understanding = Understanding()
    return {half: bench.measure([r for r in rows if r.half == half], understanding) for half in bench.HALVES}


def test_corpus_has_enough_of_both_kinds_on_every_intent_and_both_halves(rows):
    inside = [r for r in rows if r.is_in_domain]
    assert len(inside) >= 400 and len(rows) - len(inside) >= 300
    assert {r.half for r in rows} == {"dev", "heldout", "fresh", "blind2"}
    for half in ("dev", "heldout"):
        labelled = {r.intent for r in inside if r.half == half}
        assert {str(i) for i in Intent} <= labelled, f"{half} lacks {set(map(str, Intent)) - labelled}"
    assert len({r.text.lower() for r in rows}) == len(rows)


def test_development_half_meets_the_targets(figures):
    dev = figures["dev"]
    assert dev.right_pct >= 95.0 and dev.taken_pct <= 1.0 and dev.all_clear == 0, dev.misses


@pytest.mark.parametrize("half", ["heldout", "fresh", "blind2"])
def test_no_half_ever_gives_a_reported_problem_an_all_clear_or_leaves_out_the_number(figures, half):
    assert figures[half].all_clear == 0, figures[half].misses


@pytest.mark.xfail(strict=True, reason="held-out 2026-12-06: 91.3 % answered rightly, 1.8 % (3 of 163) of household "
                                       "talk taken as an intent (bench/RESULTS.md)")
def test_heldout_half_meets_the_targets(figures):
    held = figures["heldout"]
    assert held.right_pct >= 95.0 and held.taken_pct <= 1.0


def test_heldout_half_is_no_worse_than_measured(figures):
    held = figures["heldout"]
    assert held.right_pct >= 91.0 and held.taken <= 3


def test_blind_batches_are_no_worse_than_measured(figures):
    """Written blind by sessions that saw neither the corpus nor the code: what a new
    family's words get today (bench/RESULTS.md, "Understanding on blind batches")."""
    fresh, blind2 = figures["fresh"], figures["blind2"]
    assert fresh.right_pct >= 48.0 and fresh.taken <= 3
    assert blind2.right_pct >= 42.0 and blind2.taken <= 2
