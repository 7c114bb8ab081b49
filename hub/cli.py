"""The `hub` command: a thin entry point that loads settings once and hands off.

Each subcommand lives in hub/commands/<name>.py and exposes `register(subparsers)`;
its parser sets `func(args) -> int`. Bad input files end with one line on stderr and
exit status 2; a device that fails ends with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from hub import __version__
from hub.errors import HubError

COMMAND_MODULES = [
    "hub.commands.ask",
    "hub.commands.plan",
    "hub.commands.rhasspy",
    "hub.commands.demo",
    "hub.commands.voice",
    "hub.commands.sensors",
    "hub.commands.serve",
    "hub.commands.simulate",
    "hub.commands.users",
]

DESCRIPTION = """\
The hub: an offline voice assistant for families during a blinatumomab home infusion.
It answers "is the pump okay?" from live readings, leads the daily check, and says
whom to call when something is wrong. Nothing here needs the internet.
"""

EPILOG = """\
examples:
  hub ask "is the pump okay?" --scenario examples/scenarios/all-ok.yaml
  hub ask "the line came off" --plan examples/care-plan.toml --json
  hub chat --scenario examples/scenarios/all-ok.yaml
  hub plan check examples/care-plan.toml
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"hub {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="say more in the log (-v: what happened, -vv: debugging detail)")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return int(func(args))
    except HubError as exc:
        # Bad input (a plan, scenario, WAV or frame: the ValueError kinds) is exit 2, like a
        # usage error; a device or service that failed is exit 1.
        print(f"hub: error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ValueError) else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
