"""How hard the hub's words are to follow: grade-level figures of its replies, and words
a child or a frightened parent would not know said without their meaning.

The figures are Flesch-Kincaid grade levels (textstat 0.7.8) over the 98 texts the hub
can say with the default plan (hub.core.preview.sentences). Measured 2026-12-06 on this
code: median 1.6, maximum 9.9 ("You will need to come to the Pediatric Ambulatory Care
Center, the PACC, in Manhattan.": the place's full name, said so "PACC" is explained).
The limits hold the wording near there; a change that makes replies harder fails here.
"""

from __future__ import annotations

import re
import statistics

import pytest
import textstat

from hub.core.plan import CarePlan
from hub.core.preview import sentences as plan_sentences
from tests.builders import NOW

MEDIAN_GRADE_MAX = 3.0
WORST_GRADE_MAX = 10.5
# Words that need a plain explanation beside them, and the explanation that must be near.
JARGON = {
    "PACC": "Pediatric Ambulatory Care Center",
    "blinatumomab": "medicine",
    "acknowledge button": "button on the hub",
}


@pytest.fixture(scope="module")
def said():
    return plan_sentences(CarePlan(), NOW)


def test_replies_stay_at_a_young_readers_grade_level(said):
    textstat.set_lang("en_US")
    grades = [textstat.flesch_kincaid_grade(s) for s in said]
    assert statistics.median(grades) <= MEDIAN_GRADE_MAX
    assert max(grades) <= WORST_GRADE_MAX, max(zip(grades, said, strict=True))


@pytest.mark.parametrize("word, plain", JARGON.items())
def test_jargon_is_never_said_without_its_plain_meaning(said, word, plain):
    for text in said:
        if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE):
            assert plain.lower() in text.lower(), text
