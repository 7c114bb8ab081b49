"""`hub findings`: what the family reported and nobody has closed, and the care team's way to clear it."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from hub.core.codes import Code
from hub.core.reported import OpenFinding, what_was_told
from hub.store.record import EventStore


def register(subparsers: argparse._SubParsersAction) -> None:
    findings = subparsers.add_parser(
        "findings", help="list or clear the problems the family reported",
        description="A problem the family reports stays open, and is named in every answer, until they say it is "
                    "handled or the care team clears it here. The running hub takes a clear within a tick.")
    sub = findings.add_subparsers(title="findings commands", metavar="ACTION")
    for name, func, about in (("list", run_list, "list the open reported problems"),
                              ("clear", run_clear, "close every open reported problem (the care team has seen to it)")):
        cmd = sub.add_parser(name, help=about)
        cmd.add_argument("--db", type=Path, required=True, help="the hub's event log (hub serve --db)")
        cmd.set_defaults(func=func)
    findings.set_defaults(func=lambda args: (findings.print_help(), 0)[1])


def run_list(args: argparse.Namespace) -> int:
    with EventStore(args.db) as store:
        items = store.reported_open()
    for item in items:
        told = what_was_told(OpenFinding(Code(item.code), item.opened_at, item.detail))
        print(f"{item.opened_at:%a %d %b %H:%M}  {item.code}  {told}")
    if not items:
        print("nothing reported is open")
    return 0


def run_clear(args: argparse.Namespace) -> int:
    with EventStore(args.db) as store:
        closed = store.close_reported(datetime.now().replace(microsecond=0), "care team")
    print(f"closed {closed} reported problem{'s' if closed != 1 else ''}")
    return 0
