"""The Rhasspy export: up to date, loadable by Rhasspy's own NLU, and equal to the hub's NLU."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from hub.hermes.rhasspy_export import DEFAULT_DIR, ExportError, export, write_export
from hub.intents.templates import Templates

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / DEFAULT_DIR


def rhasspy_recognize(folder: Path, sentences: list[str]) -> list[list]:
    return rhasspy_recognizing(folder, sentences)()


def rhasspy_recognizing(folder: Path, sentences: list[str]) -> Callable[[], list[list]]:
    """Start Rhasspy's parser on `sentences` in a subprocess; return a call that waits for its results."""
    if importlib.util.find_spec("rhasspynlu") is None:
        pytest.fail("rhasspy-nlu is not installed: pip install -e '.[test]' (it checks the export as Rhasspy "
                    "loads it)", pytrace=False)
    request = tempfile.TemporaryFile("w+", encoding="utf-8")
    json.dump({"dir": str(folder), "sentences": sentences}, request)
    request.seek(0)
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("rhasspy_nlu_check.py"))],
                               stdin=request, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def results() -> list[list]:
        with request:
            out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        return json.loads(out)

    return results


def test_committed_export_matches_the_templates(templates: Templates) -> None:
    for item in export(templates):
        path = COMMITTED / item.path
        assert path.is_file(), f"{path} is missing: run `hub rhasspy export`"
        assert path.read_text(encoding="utf-8") == item.text, f"{path} is stale: run `hub rhasspy export`"


def test_rhasspy_understands_every_template_sentence_as_the_hub_does(templates: Templates) -> None:
    samples = sorted({s for sentences in templates.sample_sentences().values() for s in sentences})
    recognized = rhasspy_recognizing(COMMITTED, samples)  # Rhasspy parses while the hub matches
    expected = [(hub.name, hub.slots) if hub else (None, {}) for hub in map(templates.match, samples)]
    wrong = []
    for sentence, (intent, slots), hubs in zip(samples, recognized(), expected, strict=True):
        if (intent, slots) != hubs:
            wrong.append((sentence, (intent, slots), hubs))
    assert not wrong, f"{len(wrong)} sentences differ, e.g. {wrong[:5]}"


def test_problem_slot_values_are_the_hubs_values(templates: Templates) -> None:
    results = rhasspy_recognize(COMMITTED, ["the line came off", "oh no the pump is beeping", "my port hurts"])
    assert results == [["ReportProblem", {"problem": "line_disconnected"}],
                       ["ReportProblem", {"problem": "pump_beeping"}],
                       ["ReportProblem", {"problem": "port_pain"}]]


def test_words_outside_the_templates_are_not_recognised(templates: Templates) -> None:
    assert rhasspy_recognize(COMMITTED, ["order a pizza"]) == [[None, {}]]


def test_write_export_removes_stale_slot_files(tmp_path: Path, templates: Templates) -> None:
    (tmp_path / "slots").mkdir()
    (tmp_path / "slots" / "old_list").write_text("(gone):gone\n")
    written = write_export(templates, tmp_path)
    assert not (tmp_path / "slots" / "old_list").exists()
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {"sentences.ini", "slots/day", "slots/problem"}


def test_syntax_characters_in_a_template_are_refused(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        'language: en\nintents:\n  Odd:\n    data:\n      - sentences:\n          - "cost is 5$"\n', encoding="utf-8")
    with pytest.raises(ExportError, match="syntax"):
        export(Templates(tmp_path))
