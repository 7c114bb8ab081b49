"""Bad input to the `hub` command: one clear line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import struct

import pytest

from hub.cli import main


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_a_wav_with_a_sample_rate_of_4_billion_is_one_line_and_exit_2(tmp_path, capsys):
    payload = b"\0" * 3200
    fmt = struct.pack("<HHIIHH", 1, 1, 0xFFFFFFFF, 0xFFFFFFFF, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    wav = tmp_path / "question.wav"
    wav.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    assert main(["ask", "--wav", str(wav)]) == 2
    assert "sample rate of 4294967295 Hz" in _one_error_line(capsys)


@pytest.mark.parametrize("data", [b"", b"RIFF\0\0\0\0WAVEjunk", b"not a wav at all"])
def test_a_broken_wav_is_one_line_and_exit_2(tmp_path, capsys, data):
    wav = tmp_path / "question.wav"
    wav.write_bytes(data)
    assert main(["ask", "--wav", str(wav)]) == 2
    assert "question.wav" in _one_error_line(capsys)


def test_a_plan_name_with_an_escape_sequence_is_one_line_and_exit_2(tmp_path, capsys):
    plan = tmp_path / "plan.toml"
    plan.write_text('name = "Ava\\u001b[2J"\n', encoding="utf-8")
    assert main(["plan", "check", str(plan)]) == 2
    line = _one_error_line(capsys)
    assert "name: has a control character" in line and "\x1b" not in line


def test_a_settings_site_id_that_is_an_mqtt_wildcard_is_one_line_and_exit_2(tmp_path, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text('[mqtt]\nsite_id = "+/#"\n', encoding="utf-8")
    assert main(["ask", "is the pump okay?", "--settings", str(settings), "--out", str(tmp_path / "a.wav")]) == 2
    assert "mqtt.site_id" in _one_error_line(capsys)


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_a_scenario_clock_in_year_1_or_9999_is_never_an_all_clear(tmp_path, capsys, now):
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(f"now: {now}\nenvironment: {{temperature_c: 22, humidity_pct: 45, light_lux: 250, age_s: 5}}\n"
                        "pump: {bridge_connected: true, light: green_blinking, beeping: false, age_s: 1}\n"
                        "infusion: {stopped_since: null}\nschedule: {bag_changes: [2026-11-25T10:00:00]}\n",
                        encoding="utf-8")
    for question in ("is everything okay?", "when is the next bag change?"):
        assert main(["ask", question, "--scenario", str(scenario), "--json"]) == 0
        out = capsys.readouterr().out
        assert '"severity": "unknown"' in out and "Everything looks okay" not in out
        assert "date" in out


@pytest.mark.parametrize("args, words", [(["--answer-wait", "-1"], "--answer-wait must be 0 or more"),
                                         (["--answer-wait", "nan"], "--answer-wait must be 0 or more"),
                                         (["--speed", "0"], "--speed must be above 0")])
def test_a_serve_timing_out_of_range_is_one_line_and_exit_2(tmp_path, capsys, args, words):
    assert main(["serve", "--simulate", "--no-drivers", "--db", str(tmp_path / "hub.db"), *args]) == 2
    assert words in _one_error_line(capsys)
