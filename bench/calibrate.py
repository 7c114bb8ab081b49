"""Choose PocketSphinx's confidence floors on a calibration set apart from the benchmark's.

    .venv/bin/python -m bench calibrate                 # streamed, as hub serve --listen decodes
    .venv/bin/python -m bench calibrate --file-mode     # each utterance's own cepstral mean first (hub ask --wav)
    .venv/bin/python -m bench calibrate --no-bestpath   # streamed, without the lattice pass
    .venv/bin/python -m bench calibrate --wbeam 1e-22   # streamed, another word-exit beam
    .venv/bin/python -m bench calibrate --recordings DIR   # people's own recordings instead of piper

`--recordings DIR` reads `DIR/labels.csv` (columns `file,said` and optionally
`condition`, e.g. "quiet" or "tv on") and the WAV files it names, recorded on the
device's microphone by the people who will use it. What was said decides the role: a
daily-check answer (decoded against the answer grammar), a question (the full grammar,
and the answer grammar as a non-answer), or anything else (both grammars: counted as
out-of-domain and as a non-answer). The table then has one column per condition. This
is how the floors, chosen on piper's voice, should be checked on real voices.

Prints, for each candidate floor, how many questions and answers are right and how many
non-answers pass, and the lowest floors that meet the rules below.

The set is made like bench/voice.py's but with other template sentences (another seed,
more per intent), every daily-check answer, and other noise draws. Everything is decoded
streamed, as on the device, with the floors off; then each candidate floor is applied:
- the answer floor is the lowest one at which no non-answer (out-of-domain speech,
  paraphrases, questions, and No / NotSure / Repeat / Stop answers) is taken as a "yes",
  at clean, 10 and 5 dB, kept at or above the question floor;
- the question floor is the lowest at which at most one clean out-of-domain sentence in
  40 is accepted.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

from bench.voice import ANSWERS, NOISES, OUT_OF_DOMAIN, PARAPHRASES, SPEEDS, mix

from hub.voice.asr.confidence import ConfidenceFloors
from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.pocketsphinx import DEFAULT_SETTINGS, PocketSphinxRecognizer, PocketSphinxSettings
from hub.voice.dsp import SPEECH_RATE, resample
from hub.voice.endpoint import Endpointer
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.tts import Synthesizer

ROOT = Path(__file__).resolve().parent.parent

SNRS = (None, 10, 5)
FLOORS = [round(0.30 + 0.01 * i, 2) for i in range(31)]


def streamed(recognizer: PocketSphinxRecognizer, pcm: bytes, grammar) -> tuple[str, float]:
    if "--file-mode" in sys.argv:  # this utterance's own cepstral mean first, as `hub ask --wav`
        transcript = recognizer.recognize(pcm, grammar)
        return transcript.text, transcript.confidence
    stream = recognizer.stream(grammar)
    for i in range(0, len(pcm), 960):
        stream.accept(pcm[i : i + 960])
    transcript = stream.finish()
    return transcript.text, transcript.confidence


def main() -> int:
    templates = Templates()
    grammars = GrammarBuilder(templates)
    full, narrow = grammars.grammar(), grammars.grammar(ANSWERS)
    wbeam = float(sys.argv[sys.argv.index("--wbeam") + 1]) if "--wbeam" in sys.argv else DEFAULT_SETTINGS.wbeam
    recognizer = PocketSphinxRecognizer(PocketSphinxSettings(
        floors=ConfidenceFloors(0.0, 0.0), bestpath="--no-bestpath" not in sys.argv, wbeam=wbeam))
    if "--recordings" in sys.argv:
        return from_recordings(Path(sys.argv[sys.argv.index("--recordings") + 1]), recognizer, templates)
    synthesizer = Synthesizer()
    rng = random.Random(101)
    by_intent = templates.sample_sentences()
    questions = [(t, i) for i, s in sorted(by_intent.items()) if i not in ANSWERS
                 for t in rng.sample(s, min(5, len(s)))]
    answers = [(t, i) for i, s in sorted(by_intent.items()) if i in ANSWERS for t in s]
    non_answers = [(t, None) for t in OUT_OF_DOMAIN] + [(t, i) for t, i in PARAPHRASES] + questions[::3]
    print(f"{len(questions)} questions, {len(answers)} answers, {len(OUT_OF_DOMAIN)} out-of-domain", flush=True)
    nrng = np.random.default_rng(23)
    endpointer = Endpointer()
    rows = []  # (snr, role, intent, heard, confidence)
    spoken: dict[str, np.ndarray] = {}
    for k, (text, _) in enumerate(questions + answers + non_answers):
        if text not in spoken:
            audio = synthesizer.synthesize(text, length_scale=SPEEDS[k % len(SPEEDS)])
            spoken[text] = resample(audio.samples, audio.rate_hz, SPEECH_RATE).astype(np.float64)
    babble = np.concatenate([spoken[t] for t in OUT_OF_DOMAIN[:12]])
    for snr in SNRS:
        print(f"SNR {snr or 'clean'}...", flush=True)
        jobs = [("question", t, i, full) for t, i in questions] + [("ood", t, None, full) for t in OUT_OF_DOMAIN]
        jobs += [("answer", t, i, narrow) for t, i in answers] + [("non-answer", t, i, narrow) for t, i in non_answers]
        for k, (role, text, intent, grammar) in enumerate(jobs):
            mixed = mix(spoken[text], snr, NOISES[k % len(NOISES)], nrng, babble)
            found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
            segment = mixed if found is None else mixed[found.start : found.end]
            heard, confidence = streamed(recognizer, Audio(segment, SPEECH_RATE).to_pcm16(), grammar)
            rows.append((snr, role, intent, heard, confidence))
    report(rows, templates)
    return 0


def from_recordings(folder: Path, recognizer: PocketSphinxRecognizer, templates: Templates) -> int:
    """Decode people's recordings listed in `folder/labels.csv` and report every floor."""
    import csv

    from hub.voice.dsp import to_speech_rate
    from hub.voice.wav import AudioError, read_wav

    grammars = GrammarBuilder(templates)
    full, narrow = grammars.grammar(), grammars.grammar(ANSWERS)
    try:
        with open(folder / "labels.csv", newline="", encoding="utf-8") as handle:
            labels = list(csv.DictReader(handle))
    except OSError as exc:
        print(f"calibrate: error: {folder / 'labels.csv'}: {exc.strerror}", file=sys.stderr)
        return 2
    endpointer = Endpointer()
    rows = []
    for n, label in enumerate(labels, start=2):
        said, condition = (label.get("said") or "").strip(), (label.get("condition") or "recorded").strip()
        try:
            audio = to_speech_rate(read_wav(folder / (label.get("file") or "")))
        except AudioError as exc:
            print(f"calibrate: labels.csv line {n}: {exc}; skipped", file=sys.stderr)
            continue
        found = endpointer.find_speech(audio)
        pcm = Audio(audio.samples if found is None else audio.samples[found.start : found.end], SPEECH_RATE).to_pcm16()
        answer, question = templates.match(said, allowed=ANSWERS), templates.match(said)
        jobs = ([("answer", answer.name, narrow)] if answer is not None
                else [("question", question.name, full), ("non-answer", question.name, narrow)] if question is not None
                else [("ood", None, full), ("non-answer", None, narrow)])
        for role, intent, grammar in jobs:
            heard, confidence = streamed(recognizer, pcm, grammar)
            rows.append((condition, role, intent, heard, confidence))
    conditions = tuple(dict.fromkeys(r[0] for r in rows))
    print(f"{len(labels)} recordings; conditions: {', '.join(conditions) or 'none'}")
    report(rows, templates, conditions)
    return 0


def report(rows: list, templates: Templates, conditions: tuple = SNRS) -> None:
    def intent_of(heard: str, allowed=None):
        found = templates.match(heard, allowed=allowed) if heard else None
        return found.name if found else None

    names = " / ".join("clean" if c is None else f"{c} dB" if isinstance(c, int) else str(c) for c in conditions)
    print(f"| floor | questions right {names} | OOD accepted {names} "
          f"| answers right {names} | non-answers taken as yes (all) |")
    print("|---|---|---|---|---|")
    chosen_q = chosen_a = None
    for floor in FLOORS:
        cells = []
        for role in ("question", "ood", "answer"):
            parts = []
            for snr in conditions:
                at = [r for r in rows if r[0] == snr and r[1] == role]
                ok = [r for r in at if r[4] >= floor and (
                    intent_of(r[3]) is not None if role == "ood" else intent_of(r[3], ANSWERS if role == "answer"
                                                                                else None) == r[2])]
                parts.append(f"{len(ok)}/{len(at)}")
            cells.append(" / ".join(parts))
        false_yes = sum(1 for r in rows if r[1] in ("non-answer", "answer") and r[2] != "Yes" and r[4] >= floor
                        and intent_of(r[3], ANSWERS) == "Yes")
        ood_clean = sum(1 for r in rows if r[0] == conditions[0] and r[1] == "ood" and r[4] >= floor
                        and intent_of(r[3]))
        if chosen_q is None and ood_clean <= 1:
            chosen_q = floor
        if chosen_a is None and false_yes == 0:
            chosen_a = floor
        print(f"| {floor:.2f} | {cells[0]} | {cells[1]} | {cells[2]} | {false_yes} |")
    if chosen_q is not None and chosen_a is not None:
        chosen_a = max(chosen_a, chosen_q)
    print(f"\nChosen: questions {chosen_q}, answers {chosen_a}")


if __name__ == "__main__":
    raise SystemExit(main())
