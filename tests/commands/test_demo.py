"""The README's main job: spoken questions answered from the simulated hardware."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_hears_every_question_and_answers_from_the_simulated_home(tmp_path):
    result = subprocess.run([sys.executable, "-m", "hub", "demo", "--json", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    got = [(a["scenario"], a["intent"], a["severity"]) for a in answers]
    assert got == [
        ("all-ok.yaml", "PumpStatus", "ok"),
        ("hot-window.yaml", "RoomStatus", "warning"),
        ("pump-beeping.yaml", "PumpStatus", "urgent"),
        ("bridge-unplugged.yaml", "HomeStatus", "unknown"),
        ("stopped-5h.yaml", "WhoToCall", "urgent"),
        ("all-ok.yaml", None, "info"),
        ("all-ok.yaml", "PumpStatus", "ok"),  # a child's voice
        ("stopped-5h.yaml", "WhoToCall", "urgent"),  # over a loud fan (espeak-ng's voice when installed)
    ]
    assert "didn't catch" in answers[5]["speech"]
    assert answers[6]["voice"] != "piper"
    for number in range(1, 9):
        assert (tmp_path / f"{number:02d}-answer.wav").stat().st_size > 10_000
