"""What the confidence floors change: a benchmark run re-read as if every floor were 0.

    .venv/bin/python -m bench floors [bench/results/voice.json]

Each row of `bench/voice.py` keeps the raw hypothesis (`heard`) and its confidence even
when the floor rejected it, so the same decodes show what the recognizer would have
accepted without the confidence check. Prints a markdown table, with the floors on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from hub.intents.templates import Templates

ROOT = Path(__file__).resolve().parent.parent

ANSWERS = frozenset({"Yes", "No", "NotSure", "Repeat", "Stop"})


def matched(text: str, templates: Templates, allowed: frozenset[str] | None) -> tuple[str | None, tuple]:
    """Return the intent and slots `text` matches, or (None, ())."""
    found = templates.match(text, allowed=allowed) if text and "gb_" not in text else None
    return (found.name, tuple(sorted(found.slots.items()))) if found is not None else (None, ())


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f} %" if whole else "-"


def compare(rows: list[dict], templates: Templates) -> str:
    """Return a markdown table: accuracy, OOD false accepts and false yeses, floors on and off."""
    lines = ["| SNR | intent accuracy on / off | OOD false accepts on / off | OOD taken as an answer on / off "
             "| false yes on / off |", "|---|---|---|---|---|"]
    for snr in (None, 20, 10, 5):
        at = [r for r in rows if r["snr"] == snr]
        if not at:
            continue
        domain = [r for r in at if r["kind"] in ("template", "answer")]
        ood = [r for r in at if r["kind"] == "ood"]
        others = [r for r in at if r["kind"] in ("ood", "paraphrase")]
        right_off = 0
        false_yes_off = 0
        for r in domain:
            allowed = ANSWERS if r["kind"] == "answer" else None
            name, slots = matched(r["heard"], templates, allowed)
            expected_slots = tuple(sorted((k, v) for k, v in _slots(r, templates)))
            right_off += name == r["intent"] and slots == expected_slots
            false_yes_off += r["kind"] == "answer" and r["intent"] != "Yes" and name == "Yes"
        ood_off = sum(matched(r["heard"], templates, None)[0] is not None for r in ood)
        as_answer_off = [matched(r.get("answer_heard", ""), templates, ANSWERS)[0] for r in ood]
        yes_off = false_yes_off + sum(matched(r.get("answer_heard", ""), templates, ANSWERS)[0] == "Yes"
                                      for r in others)
        yes_on = (sum(r.get("heard_as") == "Yes" for r in others)
                  + sum(r.get("heard_as") == "Yes" and r["intent"] != "Yes" for r in domain if r["kind"] == "answer"))
        yes_of = len(others) + sum(r["kind"] == "answer" and r["intent"] != "Yes" for r in domain)
        key = "clean" if snr is None else f"{snr} dB"
        lines.append(
            f"| {key} | {pct(sum(r['right'] for r in domain), len(domain))} / {pct(right_off, len(domain))} "
            f"| {pct(sum(r['accepted'] for r in ood), len(ood))} / {pct(ood_off, len(ood))} "
            f"| {pct(sum(r.get('heard_as') is not None for r in ood), len(ood))} / "
            f"{pct(sum(a is not None for a in as_answer_off), len(ood))} "
            f"| {yes_on}/{yes_of} / {yes_off}/{yes_of} |")
    return "\n".join(lines) + "\n"


def _slots(row: dict, templates: Templates) -> list[tuple[str, str]]:
    """Return the slots of the sentence that was said (the label), from its text."""
    found = templates.match(row["text"], allowed=ANSWERS if row["kind"] == "answer" else None)
    return sorted(found.slots.items()) if found is not None else []


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "voice.json"
    results = json.loads(path.read_text())
    print(f"Floors {results.get('floors')} on / all floors 0 (off), same decodes ({path.name}):\n")
    print(compare(results["rows"], Templates()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
