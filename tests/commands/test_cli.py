"""The `hub` command as other parts and outside checks drive it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "examples" / "scenarios"


def _hub(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hub", *args], capture_output=True, text=True, input=stdin,
                          cwd=ROOT, timeout=60)


def test_help_lists_the_commands():
    out = _hub("--help").stdout
    for word in ("ask", "chat", "plan", "demo", "say", "listen", "models", "sensors", "serve", "simulate", "rhasspy"):
        assert word in out


@pytest.mark.parametrize("scenario, text, severity", [
    ("all-ok.yaml", "is the pump okay?", "ok"),
    ("pump-beeping.yaml", "is the pump okay?", "urgent"),
    ("hot-window.yaml", "is the room okay?", "warning"),
    ("bridge-unplugged.yaml", "is the pump okay?", "unknown"),
    ("stopped-5h.yaml", "is everything okay", "urgent"),
])
def test_ask_json_contract(scenario, text, severity):
    result = _hub("ask", text, "--scenario", str(SCENARIOS / scenario), "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["severity"] == severity and answer["intent"] in {"PumpStatus", "RoomStatus", "HomeStatus"}
    assert isinstance(answer["speech"], str) and answer["speech"]
    if severity == "urgent":
        assert "212-639-2000" in answer["speech"]


def test_ask_without_scenario_knows_nothing_and_says_so():
    answer = json.loads(_hub("ask", "is the pump okay", "--json").stdout)
    assert answer["severity"] == "unknown" and "Everything looks okay" not in answer["speech"]


def test_plan_number_is_spoken_as_written_in_the_plan(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text('[care_team]\nphone = "(646) 555-0100"\n', encoding="utf-8")
    answer = json.loads(_hub("ask", "who do I call", "--plan", str(plan), "--json").stdout)
    assert "(646) 555-0100" in answer["speech"] and "212" not in answer["speech"]


def test_chat_runs_the_daily_check_from_stdin():
    lines = "let's do the daily check\nyes\nyes\nyes\nyes\nyes\n"
    result = _hub("chat", "--scenario", str(SCENARIOS / "all-ok.yaml"), "--json", stdin=lines)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 6 and replies[0]["dialogue_open"] and not replies[-1]["dialogue_open"]
    assert [r["step"] for r in replies[-1]["records"]][0] == "line_connections"


def test_say_writes_the_text_as_speech_to_a_wav(tmp_path):
    from hub.voice.wav import read_wav

    out = tmp_path / "said.wav"
    result = _hub("say", "Call 212-639-2000.", "--out", str(out))
    assert result.returncode == 0, result.stderr
    audio = read_wav(out)
    assert len(audio.samples) / audio.rate_hz > 1.0 and max(abs(audio.samples)) > 0.05  # real speech


@pytest.mark.parametrize("text", ["   ", "..."])
def test_say_with_nothing_to_say_is_one_clear_error_and_writes_no_file(tmp_path, text):
    out = tmp_path / "said.wav"
    result = _hub("say", text, "--out", str(out))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "error" in result.stderr
    assert not out.exists()
