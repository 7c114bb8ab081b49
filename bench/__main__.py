"""One entry point for the benchmarks: `python -m bench NAME [ARGS]`; `--help` lists them without running any.

Each benchmark is a module of this package with a `main`; results and the commands that
produced them are recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import importlib
import inspect
import sys

BENCHMARKS = {
    "understanding": ("bench.understanding", "free text on the paraphrase corpus, development and held-out halves"),
    "voice": ("bench.voice", "the spoken test set: intents, out-of-domain, latency and memory"),
    "calibrate": ("bench.calibrate", "choose PocketSphinx's confidence floors on the calibration set"),
    "floors": ("bench.floors", "a voice run re-read as if every floor were 0"),
    "answers": ("bench.answers", "bare one-word answers heard in a quiet room after other speech"),
    "answer-latency": ("bench.answer_latency", "what is left after the end of a daily-check answer"),
    "acknowledgements": ("bench.acknowledgements", "household talk taken as 'okay, I heard you'"),
    "words-after": ("bench.words_after", "'yes, but ...' answers not taken as a yes"),
    "child": ("bench.child_voice", "a child's voice approximated by shifting piper's voice up"),
    "wake": ("bench.wake_phrases", "wake phrases: spotted, and false wakes an hour in ordinary talk"),
    "alarm-rate": ("bench.alarm_rate", "alarm fatigue: announcements per hour in each situation of the scripted week"),
    "shutdown": ("bench.shutdown", "SIGTERM to exit of hub serve with stdin open, offline published"),
    "tv": ("bench.tv", "a television in the room: how often the listening hub answers nobody"),
    "voices": ("bench.voices", "many voices and noises: PocketSphinx, whisper and their combination, held out"),
    "fuzz": ("bench.fuzz", "every parser of outside input fuzzed at 100,000 cases each"),
    "record-writes": ("bench.record_writes", "event-log writes per day (SD-card wear) and its size with pruning"),
}


def usage() -> str:
    width = max(map(len, BENCHMARKS))
    rows = "\n".join(f"  {name:<{width}}  {about}" for name, (_, about) in BENCHMARKS.items())
    return (f"usage: python -m bench NAME [ARGS]   (python -m bench NAME --help for one)\n\n"
            f"benchmarks:\n{rows}\n\nResults and the commands behind them: bench/RESULTS.md")


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in BENCHMARKS:
        print(f"bench: error: no benchmark {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHMARKS[name][0])
    if rest and rest[0] in ("-h", "--help") and not _has_own_help(module):
        print((module.__doc__ or "").strip())
        return 0
    sys.argv = [f"python -m bench {name}", *rest]
    takes_argv = bool(inspect.signature(module.main).parameters)
    return int(module.main(rest) if takes_argv else module.main())


def _has_own_help(module: object) -> bool:
    return "argparse" in (inspect.getsource(module) if inspect.ismodule(module) else "")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
