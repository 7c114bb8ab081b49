"""`hub demo`: the main job on the simulated home, voice end to end.

For each example moment, a question is spoken (piper), heard by the recognizer,
answered from what the real drivers read off the simulated hardware, and spoken back.
Both sides are written to WAV files, so it works without a sound card.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import dataclass
from pathlib import Path

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


MOMENTS = (
    Moment("all-ok.yaml", "is the pump okay"),
    Moment("hot-window.yaml", "is it too hot in here"),
    Moment("pump-beeping.yaml", "is the pump okay"),
    Moment("bridge-unplugged.yaml", "is everything okay"),
    Moment("stopped-5h.yaml", "who do I call"),
    Moment("all-ok.yaml", "what is the capital of France"),
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
        write_wav(question_wav, pipeline.synthesizer.synthesize(moment.question))
        result = answer_wav(pipeline, question_wav, assistant, live, out=answer_path)
        if args.json:
            print(json.dumps({"scenario": moment.scenario, "question": moment.question, **result},
                             ensure_ascii=False), flush=True)
        else:
            print(f"\n[{moment.scenario}] asked: {moment.question!r}\n"
                  f"  heard: {result['transcript']!r} -> {result['intent']} ({result['severity']})\n"
                  f"  hub:   {result['speech']}\n"
                  f"  audio: {question_wav} -> {answer_path}", flush=True)
    return 0


__all__ = ["MOMENTS", "register"]
