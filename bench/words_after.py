"""Words said after the sentence the grammar heard: what checking for them gains and costs.

    .venv/bin/python -m bench words-after

Two checks use `hub.voice.asr.trailing` (speech after the sentence's last word): a daily-check
answer with more said after it is rejected, and a question with more said after it is
not answered when it follows a wake (a television goes on talking; `hub.voice.input`).

Answers first.
A daily-check answer can start like a yes and go on to say what is wrong ("Yes, it's
wet."). The grammar decoder files the rest as silence, and "yes" alone may score above
the answer floor. `hub.voice.asr.trailing` rejects an answer when the phone loop heard loud
phones after its last word. This decodes, streamed as the daemon does (after the hub's
endpointer), against the daily-check grammar with the floors in use:
- the 20 "yes, but" sentences the check was tuned on (`TUNED_ON`) and the benchmark's 16
  others (`bench/voice.py` YES_BUT), at three speeds each;
- every daily-check answer of the templates (71), one speed each;
- the benchmark's out-of-domain sentences and paraphrases, said instead of an answer;
at clean, 10 and 5 dB (white, pink, babble, hum in turn). An answer rejected by the
check ("... more was said after ...") is one that would have been taken without it, so
one decode gives both columns.

Then questions, against the full grammar: 5 template sentences per intent (another seed
than the benchmark's), the benchmark's 18 paraphrases and 40 out-of-domain sentences.
The transcript of an accepted question carries `speech_after_ms`; one with some would
get no reply after a wake. Results are in bench/RESULTS.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench.voice import ANSWERS, NOISES, OUT_OF_DOMAIN, PARAPHRASES, SPEEDS, YES_BUT, mix

from hub.voice.asr.base import Transcript
from hub.voice.asr.grammar import GrammarBuilder
from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer
from hub.voice.dsp import SPEECH_RATE, resample
from hub.voice.endpoint import Endpointer
from hub.voice.wav import Audio
from hub.intents.templates import Templates
from hub.voice.tts import Synthesizer

ROOT = Path(__file__).resolve().parent.parent

TUNED_ON = [
    "Yes, it's wet.", "Yes, it came apart.", "Yes, but the light is red.", "Yep, it's torn.", "Yeah, it's loose.",
    "Yes, it's not.", "Sure, it's leaking.", "Yes, it is not.", "Yes, but it hurts.", "Yes, the line is pulling.",
    "Yeah, but it's beeping.", "Yes, it's off.", "Yep, the dressing is wet.", "Yes, the light went out.",
    "It's fine, but the tape is loose.", "Yes, it was wet this morning.", "Yes, except the clamp.",
    "Looks good, but it's wet.", "Yes, no wait.", "Yes, it's dirty.",
]
SNRS = (None, 10, 5)


def streamed(recognizer: PocketSphinxRecognizer, endpointer: Endpointer, mixed: np.ndarray, grammar) -> Transcript:
    """Return what the hub hears in `mixed`: cut by its endpointer, streamed in 30 ms blocks."""
    found = endpointer.find_speech(Audio(mixed, SPEECH_RATE))
    pcm = Audio(mixed if found is None else mixed[found.start : found.end], SPEECH_RATE).to_pcm16()
    stream = recognizer.stream(grammar)
    for i in range(0, len(pcm), 960):
        stream.accept(pcm[i : i + 960])
    return stream.finish()


def main() -> int:
    templates = Templates()
    narrow = GrammarBuilder(templates).grammar(ANSWERS)
    synthesizer = Synthesizer()
    recognizer = PocketSphinxRecognizer()
    endpointer = Endpointer()
    answers = [(t, i) for i, said in sorted(templates.sample_sentences().items()) if i in ANSWERS for t in said]
    jobs = ([("tuned on", t, None, SPEEDS) for t in TUNED_ON] + [("benchmark", t, None, SPEEDS) for t in YES_BUT]
            + [("answer", t, i, (SPEEDS[k % 3],)) for k, (t, i) in enumerate(answers)]
            + [("not an answer", t, None, (SPEEDS[k % 3],))
               for k, t in enumerate(OUT_OF_DOMAIN + [p for p, _ in PARAPHRASES])])
    spoken = {}
    for _, text, _, speeds in jobs:
        for speed in speeds:
            audio = synthesizer.synthesize(text, length_scale=speed)
            spoken[(text, speed)] = resample(audio.samples, audio.rate_hz, SPEECH_RATE).astype(np.float64)
    babble = np.concatenate([spoken[(t, SPEEDS[k % 3])] for k, t in enumerate(OUT_OF_DOMAIN[:12])])
    rng = np.random.default_rng(5)
    print("| SNR | set | n | taken as yes, check on / off | answers right, check on / off | rejected by the check |")
    print("|---|---|---|---|---|---|")
    for snr in SNRS:
        counts: dict[str, list[int]] = {}
        for k, (group, text, intent, speeds) in enumerate(jobs):
            for speed in speeds:
                kind = "none" if snr is None else NOISES[k % len(NOISES)]
                mixed = mix(spoken[(text, speed)], snr, kind, rng, babble)
                transcript = streamed(recognizer, endpointer, mixed, narrow)
                by_check = "more was said" in transcript.reason
                said = transcript.text or (transcript.heard if by_check else "")
                match = templates.match(said, allowed=ANSWERS) if said else None
                name = match.name if match else None
                row = counts.setdefault(group, [0, 0, 0, 0, 0])  # n, yes on, yes off, right on, right off
                row[0] += 1
                row[1] += name == "Yes" and not by_check
                row[2] += name == "Yes"
                row[3] += intent is not None and name == intent and not by_check
                row[4] += intent is not None and name == intent
                if by_check:
                    print(f"  ({snr or 'clean'}, {kind}) {text!r} heard as {transcript.heard!r}: {transcript.reason}",
                          file=sys.stderr, flush=True)
        for group, (n, yes_on, yes_off, right_on, right_off) in counts.items():
            yes = f"{yes_on} / {yes_off}" if group != "answer" else "-"
            right = f"{right_on} / {right_off}" if group == "answer" else "-"
            rejected = (yes_off - yes_on) if group != "answer" else (right_off - right_on)
            print(f"| {snr or 'clean'} | {group} | {n} | {yes} | {right} | {rejected} |", flush=True)
    questions_after_a_wake(templates, synthesizer, recognizer, endpointer)
    return 0


def questions_after_a_wake(templates: Templates, synthesizer: Synthesizer, recognizer: PocketSphinxRecognizer,
                           endpointer: Endpointer) -> None:
    """Print, per SNR, questions right and out-of-domain accepted, with and without dropping
    those with speech after them (as the hub does after a wake)."""
    import random

    full = GrammarBuilder(templates).grammar()
    pick = random.Random(101)
    questions = [(t, i) for i, said in sorted(templates.sample_sentences().items()) if i not in ANSWERS
                 for t in pick.sample(said, min(5, len(said)))]
    jobs = ([("question", t, i) for t, i in questions] + [("paraphrase", t, i) for t, i in PARAPHRASES]
            + [("out-of-domain", t, None) for t in OUT_OF_DOMAIN])
    spoken = {}
    for k, (_, text, _) in enumerate(jobs):
        audio = synthesizer.synthesize(text, length_scale=SPEEDS[k % 3])
        spoken[text] = resample(audio.samples, audio.rate_hz, SPEECH_RATE).astype(np.float64)
    babble = np.concatenate([spoken[t] for t in OUT_OF_DOMAIN[:12]])
    rng = np.random.default_rng(23)
    print()
    print("| SNR | set | n | right (or accepted, out-of-domain): all / without speech after |")
    print("|---|---|---|---|")
    for snr in SNRS:
        counts: dict[str, list[int]] = {}
        for k, (group, text, intent) in enumerate(jobs):
            kind = "none" if snr is None else NOISES[k % len(NOISES)]
            transcript = streamed(recognizer, endpointer, mix(spoken[text], snr, kind, rng, babble), full)
            match = templates.match(transcript.text) if transcript.text else None
            counted = match is not None and (intent is None or match.name == intent)
            row = counts.setdefault(group, [0, 0, 0])
            row[0] += 1
            row[1] += counted
            row[2] += counted and not transcript.speech_after_ms
            if counted and transcript.speech_after_ms:
                print(f"  ({snr or 'clean'}, {kind}) {text!r} heard as {transcript.text!r}: "
                      f"{transcript.speech_after_ms} ms of speech after it", file=sys.stderr, flush=True)
        for group, (n, everything, strict) in counts.items():
            print(f"| {snr or 'clean'} | {group} | {n} | {everything} / {strict} |", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
