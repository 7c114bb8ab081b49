"""`hub rhasspy export`: write Rhasspy's sentences.ini and slot files from the hub's templates."""

from __future__ import annotations

import argparse
from pathlib import Path

from hub.hermes.rhasspy_export import DEFAULT_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    rhasspy = subparsers.add_parser(
        "rhasspy", help="set up a Rhasspy 2.5 base or satellite to talk to the hub",
        description="Generate what Rhasspy needs to recognise the hub's intents. See docs/rhasspy.md.")
    sub = rhasspy.add_subparsers(title="rhasspy commands", metavar="ACTION")
    export = sub.add_parser(
        "export", help="write sentences.ini and slots/ generated from the hub's templates",
        description="Write Rhasspy's sentences.ini and slot files, generated from hub/intents/*.yaml, so "
                    "Rhasspy recognises exactly the hub's sentences with the hub's intent and slot names. "
                    "Copy them into the Rhasspy profile (e.g. ~/.config/rhasspy/profiles/en/) and train.")
    export.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help=f"where to write (default {DEFAULT_DIR})")
    export.set_defaults(func=run_export)
    rhasspy.set_defaults(func=lambda args: (rhasspy.print_help(), 0)[1])


def run_export(args: argparse.Namespace) -> int:
    from hub.hermes.rhasspy_export import write_export
    from hub.intents.templates import Templates

    for path in write_export(Templates(), args.dir):
        print(path)
    return 0
