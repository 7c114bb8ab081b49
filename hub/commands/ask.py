"""`hub ask` (one question) and `hub chat` (a conversation in the terminal)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hub.intents.assistant import Assistant
from hub.commands.common import (add_plan_option, add_scenario_option, add_settings_option, plan_from_args,
                                 scenario_from_args, settings_from_args)


def register(subparsers: argparse._SubParsersAction) -> None:
    ask = subparsers.add_parser(
        "ask", help="answer one question, from text or a spoken WAV file",
        description="Answer one question as the hub would say it. With --json, print one JSON object: "
                    '{"intent", "speech", "severity", ...}.')
    ask.add_argument("text", nargs="?", help='the question, e.g. "is the pump okay?"')
    ask.add_argument("--wav", metavar="FILE", type=Path, help="a spoken question in a WAV file instead of text")
    ask.add_argument("--out", metavar="ANSWER.wav", type=Path, help="also write the spoken answer to this WAV file")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    add_plan_option(ask)
    add_settings_option(ask)
    add_scenario_option(ask)
    ask.set_defaults(func=run_ask)

    chat = subparsers.add_parser(
        "chat", help="talk with the hub in the terminal (questions and the daily check)",
        description="Type questions, or 'let's do the daily check', one per line. With --json each reply "
                    "is printed as a JSON line (handy for scripts). End with Ctrl-D.")
    chat.add_argument("--json", action="store_true", help="print each reply as one JSON line")
    add_plan_option(chat)
    add_scenario_option(chat)
    chat.set_defaults(func=run_chat)


def run_ask(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    scenario = scenario_from_args(args)
    assistant = Assistant(plan)
    if args.wav is not None:
        from hub.voice.ask import ask_wav  # speech models load only when speech is asked for

        result = ask_wav(args, settings_from_args(args, plan), assistant, scenario)
    elif args.text:
        reply = assistant.ask(args.text, scenario.home, scenario.now)
        result = reply.to_json()
        if args.out is not None:
            from hub.voice.ask import speak_to_wav

            speak_to_wav(settings_from_args(args, plan), reply.speech, args.out)
    else:
        print("hub ask: error: give a question as text, or --wav FILE", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(result["speech"])
    return 0


def run_chat(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    scenario = scenario_from_args(args)
    assistant = Assistant(plan)
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        print("Ask me something, or say: let's do the daily check. (Ctrl-D to leave)")
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        reply = assistant.ask(line, scenario.home, scenario.now)
        if args.json:
            out = reply.to_json()
            out["records"] = [{"step": r.step, "answer": r.answer, "at": r.at.isoformat()} for r in reply.records]
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            print(reply.speech, flush=True)
