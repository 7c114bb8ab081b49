"""`hub simulate`: run the daemon through the scripted week and print what the hub said."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hub.sim.week import MAX_DAYS, format_said, run_week


def register(subparsers: argparse._SubParsersAction) -> None:
    sim = subparsers.add_parser(
        "simulate", help="run the daemon through a scripted week and print its timeline",
        description="Run the real daemon on an accelerated clock through a scripted week (a beeping pump, "
                    "a hot afternoon, shower steam, a missed daily check, two bag changes, an unplugged "
                    "bridge, a 5-hour stop) and print every announcement, reminder, repeat and escalation.")
    sim.add_argument("--days", type=int, default=7,
                     help=f"how many days to run (1-{MAX_DAYS}, default 7); past 7 the week repeats, and quiet "
                          "minutes are ticked once a minute, so a whole infusion cycle runs in minutes")
    sim.add_argument("--speed", type=float, default=None,
                     help="simulated seconds per real second (default: as fast as possible)")
    sim.add_argument("--db", type=Path, default=None, help="event log to write (default: a temporary file)")
    sim.set_defaults(func=run_simulate)


def run_simulate(args: argparse.Namespace) -> int:
    if not 1 <= args.days <= MAX_DAYS:
        print(f"hub simulate: error: --days must be between 1 and {MAX_DAYS}", file=sys.stderr)
        return 2
    if args.speed is not None and not args.speed > 0:
        print("hub simulate: error: --speed must be above 0", file=sys.stderr)
        return 2
    result = run_week(args.days, speed=args.speed, db_path=args.db, out=sys.stdout,
                      quiet_step_s=60.0 if args.days > 7 else None)
    spoken = [s for s in result.timeline if not s.kind.startswith(("ack", "end", "record"))]
    print(f"--- {len(spoken)} things said, {len(result.timeline) - len(spoken)} acknowledgements and ends; "
          f"event log {result.db_path}")
    print(f"--- RSS start {result.rss_start_kb} KiB, after day 1 {result.rss_after_day_kb} KiB, "
          f"end {result.rss_end_kb} KiB; ran in {result.elapsed_s:.1f} s")
    return 0


__all__ = ["format_said", "register"]
