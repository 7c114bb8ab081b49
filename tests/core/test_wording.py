"""Words the hub may say: never the sheet's misprinted number, always the plan's."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hub.core import dialogue
from hub.core import phrasebook
from hub.core.plan import CarePlan

ROOT = Path(__file__).resolve().parents[2]
MISPRINT = re.compile(r"202[-. )]*639[-. ]*2000")


def test_no_user_facing_text_anywhere_contains_the_misprinted_number():
    texts = [*phrasebook.fixed_phrases(CarePlan()), *dialogue.fixed_phrases(CarePlan())]
    assert not [t for t in texts if "202-639" in t or MISPRINT.search(t)]
    for folder in ("hub", "examples", "firmware-config", "models"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".yaml", ".toml", ".json", ".ini", ".txt", ".md", ".ics"}:
                assert not MISPRINT.search(path.read_text(encoding="utf-8", errors="ignore")), path


def test_fixed_phrases_use_the_plans_number_only():
    plan = replace(CarePlan(), care_team=replace(CarePlan().care_team, phone="646-555-0100"))
    texts = phrasebook.fixed_phrases(plan)
    assert any("646-555-0100" in t for t in texts)
    assert not any("212-639-2000" in t for t in texts)
