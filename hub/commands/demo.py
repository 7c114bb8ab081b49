"""`hub demo`: the main job on the simulated home, voice end to end.

For each example moment, a question is spoken, heard by the recognizer, answered from
what the real drivers read off the simulated hardware, and spoken back. Most questions
are said by piper, the hub's own voice; one by a child's voice (piper raised by 1.45,
the benchmark's stand-in), and one by another synthesizer (espeak-ng, when installed,
else piper) over a loud fan (10 dB below the words), which whisper hears.
Both sides are written to WAV files, so it works without a sound card.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.intents.assistant import Assistant
from hub.commands.common import add_plan_option, add_settings_option, plan_from_args, settings_from_args
from hub.core.scenario import Scenario, load_scenario

_LOGGER = logging.getLogger(__name__)

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "scenarios"


@dataclass(frozen=True)
class Moment:
    """One scene of the demo: a scenario and the question asked in it."""

    scenario: str
    question: str
    voice: str = "piper"  # "piper", "child", or "espeak:<voice>" (piper when espeak-ng is missing)
    fan_snr_db: float | None = None  # white noise this far below the words


# How far a child's voice sits above piper's adult voice (bench/child_voice.py).
CHILD_SHIFT = 1.45

MOMENTS = (
    Moment("all-ok.yaml", "is the pump okay"),
    Moment("hot-window.yaml", "is it too hot in here"),
    Moment("pump-beeping.yaml", "is the pump okay"),
    Moment("bridge-unplugged.yaml", "is everything okay"),
    Moment("stopped-5h.yaml", "who do I call"),
    Moment("all-ok.yaml", "what is the capital of France"),
    Moment("all-ok.yaml", "is the pump okay", voice="child"),
    Moment("stopped-5h.yaml", "who do I call", voice="espeak:en-us", fan_snr_db=10.0),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help="run the hub on the simulated home: spoken questions in, spoken answers out",
        description="Speak example questions, hear them with the offline recognizer, answer from the "
                    "simulated hardware (fake I2C bus and pty pump bridge, read by the real drivers), and "
                    "speak the answers. WAV files go to --out.")
    demo.add_argument("--out", metavar="DIR", type=Path, default=Path("var/demo"),
                      help="folder for the question and answer WAV files (default: var/demo)")
    demo.add_argument("--json", action="store_true", help="print one JSON object per question")
    demo.add_argument("--scenarios", metavar="DIR", type=Path, default=EXAMPLES,
                      help="folder with the example scenarios")
    add_plan_option(demo)
    add_settings_option(demo)
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from hub.voice.wav import write_wav
    from hub.sim.home import SimulatedHome
    from hub.voice.ask import answer_wav
    from hub.voice.pipeline import VoicePipeline

    plan = plan_from_args(args)
    settings = settings_from_args(args, plan)
    args.out.mkdir(parents=True, exist_ok=True)
    assistant = Assistant(plan)
    print("Loading the speech models (once)...", flush=True)
    pipeline = VoicePipeline.for_settings(settings, templates=assistant.templates)
    for number, moment in enumerate(MOMENTS, start=1):
        scenario = load_scenario(args.scenarios / moment.scenario)
        with SimulatedHome(scenario.home, plan=plan) as sim:
            seen = sim.read_home()
        live = Scenario(now=scenario.now, home=seen, source=f"{scenario.source} via simulated hardware")
        question_wav = args.out / f"{number:02d}-question.wav"
        answer_path = args.out / f"{number:02d}-answer.wav"
        said, voice = _say(pipeline.synthesizer, moment)
        write_wav(question_wav, said)
        result = answer_wav(pipeline, question_wav, assistant, live, out=answer_path)
        if args.json:
            print(json.dumps({"scenario": moment.scenario, "question": moment.question, "voice": voice, **result},
                             ensure_ascii=False), flush=True)
        else:
            noise = "" if moment.fan_snr_db is None else f", over a fan at {moment.fan_snr_db:g} dB"
            print(f"\n[{moment.scenario}] asked ({voice}{noise}): {moment.question!r}\n"
                  f"  heard: {result['transcript']!r} by {result['asr']['engine']} -> {result['intent']} "
                  f"({result['severity']})\n"
                  f"  hub:   {result['speech']}\n"
                  f"  audio: {question_wav} -> {answer_path}", flush=True)
    return 0


def _say(synthesizer: Any, moment: Moment) -> tuple[Any, str]:
    """Return the moment's question as audio, and the name of the voice that said it."""
    import numpy as np

    from hub.voice.dsp import resample
    from hub.voice.wav import Audio, parse_wav

    voice = moment.voice
    if voice.startswith("espeak:") and shutil.which("espeak-ng") is None:
        voice = "piper"
    if voice.startswith("espeak:"):
        wav = subprocess.run(["espeak-ng", "-v", voice.removeprefix("espeak:"), "--stdout", moment.question],
                             capture_output=True, check=True, timeout=30).stdout
        audio = parse_wav(wav, "espeak-ng")
        voice = f"espeak-ng {voice.removeprefix('espeak:')}"
    elif voice == "child":
        # Said slower by the shift, then read as if recorded at the shift times its rate:
        # every frequency rises by the shift and the length comes back.
        adult = synthesizer.synthesize(moment.question, length_scale=CHILD_SHIFT)
        audio = Audio(resample(adult.samples, int(adult.rate_hz * CHILD_SHIFT), adult.rate_hz), adult.rate_hz)
        voice = "a child's voice (piper raised 1.45)"
    else:
        audio = synthesizer.synthesize(moment.question)
        voice = "piper"
    if moment.fan_snr_db is None:
        return audio, voice
    words = audio.samples.astype(np.float64)
    padded = np.concatenate([np.zeros(audio.rate_hz // 2), words, np.zeros(audio.rate_hz // 2)])
    power = float(np.mean(words[np.abs(words) > 0.01] ** 2))
    fan = np.random.default_rng(5).normal(0.0, np.sqrt(power / 10 ** (moment.fan_snr_db / 10)), len(padded))
    return Audio((padded + fan).astype(np.float32), audio.rate_hz), voice


__all__ = ["MOMENTS", "register"]
