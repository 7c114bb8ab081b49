"""`hub say`, `hub listen` and `hub models`: the voice from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hub.commands.common import (add_plan_option, add_scenario_option, add_settings_option, plan_from_args,
                                 scenario_from_args, settings_from_args)


def register(subparsers: argparse._SubParsersAction) -> None:
    say = subparsers.add_parser(
        "say", help="speak text in the hub's voice (to a WAV file, or the sound card)",
        description="Synthesize TEXT with the settings' piper voice. Phone numbers, temperatures and times "
                    "are read the way a person says them. --warm-cache synthesizes every fixed reply "
                    "into the phrase cache instead.")
    say.add_argument("text", nargs="?", help='what to say, e.g. "Call 212-639-2000."')
    say.add_argument("--out", metavar="FILE.wav", type=Path, help="write the speech here instead of playing it")
    say.add_argument("--warm-cache", action="store_true", help="synthesize all fixed replies into the cache")
    add_plan_option(say)
    add_settings_option(say)
    say.set_defaults(func=run_say)

    listen = subparsers.add_parser(
        "listen", help="the microphone loop: wake phrase or button, question, spoken answer",
        description="Listen on a microphone (sounddevice). Say the wake phrase (settings voice.wake_phrase) or "
                    "hold the push-to-talk button, then ask. Each turn is printed as a JSON line. Answers "
                    "play on the sound card, or are written to --out-dir when there is none.")
    listen.add_argument("--device", default=None, help="input device (number or name; see `python -m sounddevice`)")
    listen.add_argument("--out-dir", type=Path, default=None, help="write answers as WAV files here, don't play")
    listen.add_argument("--button-pin", type=int, default=None, help="GPIO pin of a push-to-talk button")
    listen.add_argument("--tail-ms", type=int, default=300, help="silence that ends a question (default 300)")
    listen.add_argument("--turns", type=int, default=0, help="stop after this many questions (0: never)")
    add_plan_option(listen)
    add_settings_option(listen)
    add_scenario_option(listen)
    listen.set_defaults(func=run_listen)

    models = subparsers.add_parser("models", help="list or install speech models (the only network use)")
    models_sub = models.add_subparsers(title="actions", metavar="ACTION")
    listing = models_sub.add_parser("list", help="show the models in the manifest and which are installed")
    listing.add_argument("--dir", type=Path, default=None, help="models folder (default $HUB_MODELS_DIR)")
    listing.set_defaults(func=run_models_list)
    install = models_sub.add_parser("install", help="download, verify (SHA-256) and unpack a model")
    install.add_argument("name", help="model name from the manifest, e.g. vosk-small-en-us")
    install.add_argument("--dir", type=Path, default=None, help="models folder (default $HUB_MODELS_DIR)")
    install.set_defaults(func=run_models_install)
    models.set_defaults(func=lambda args: models.print_help() or 0)


def run_say(args: argparse.Namespace) -> int:
    from hub.core import phrasebook
    from hub.voice.phrase_cache import PhraseCache
    from hub.voice.tts import Synthesizer, voice_files
    from hub.voice.pipeline import default_cache_dir

    plan = plan_from_args(args)
    synthesizer = Synthesizer(voice_files(settings_from_args(args, plan)))
    if args.warm_cache:
        cache = PhraseCache(default_cache_dir(), synthesizer=synthesizer)
        added = cache.warm(phrasebook.fixed_phrases(plan))
        print(f"Phrase cache {cache.directory}: {added} phrases added")
        return 0
    if not (args.text or "").strip():
        print("hub say: error: give the TEXT to say (or --warm-cache)", file=sys.stderr)
        return 2
    audio = synthesizer.synthesize(args.text)
    if len(audio.samples) == 0:  # only punctuation: no WAV of nothing, and no silent success
        print(f"hub say: error: nothing to say in {args.text!r}; give words to say", file=sys.stderr)
        return 2
    if args.out is not None:
        from hub.voice.wav import write_wav

        write_wav(args.out, audio)
        return 0
    from hub.voice.mic import play

    play(audio)
    return 0


def run_listen(args: argparse.Namespace) -> int:
    from hub.intents.assistant import Assistant
    from hub.voice.listen import ListenLoop
    from hub.voice.pipeline import VoicePipeline

    plan = plan_from_args(args)
    scenario = scenario_from_args(args)
    settings = settings_from_args(args, plan)
    assistant = Assistant(plan)
    pipeline = VoicePipeline.for_settings(settings, templates=assistant.templates)
    device = int(args.device) if args.device is not None and str(args.device).isdigit() else args.device
    from hub.voice.wake import PushToTalk

    button = PushToTalk(args.button_pin) if args.button_pin is not None else None
    loop = ListenLoop(pipeline, assistant, scenario, wake_phrase=settings.voice.wake_phrase, device=device,
                      out_dir=args.out_dir, button=button, tail_ms=args.tail_ms)
    try:
        for turn in loop.run(max_turns=args.turns or None):
            print(json.dumps(turn, ensure_ascii=False), flush=True)
    finally:
        if button is not None:
            button.close()
    return 0


def run_models_list(args: argparse.Namespace) -> int:
    from hub.voice.model_store import ModelStore

    store = ModelStore(args.dir)
    for name, entry in sorted(store.manifest.items()):
        state = "installed" if store.is_installed(name) else "not installed"
        print(f"{name}\t{entry.size_bytes / 1e6:.0f} MB\t{entry.licence}\t{state}\t{store.path(name)}")
    return 0


def run_models_install(args: argparse.Namespace) -> int:
    from hub.voice.model_store import ModelStore

    path = ModelStore(args.dir).install(args.name, is_progress_shown=sys.stderr.isatty())
    print(f"Installed {args.name} in {path}")
    return 0
