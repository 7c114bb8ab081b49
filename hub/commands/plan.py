"""`hub plan check` and `hub plan show`: validate a care plan before the hub uses it."""

from __future__ import annotations

import argparse
from pathlib import Path

from hub.core.plan import device_sections_note, load_plan
from hub.settings import settings_from_plan_file


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser("plan", help="check a care plan file",
                                 description="Check a care plan (TOML) the way the hub will read it.")
    sub = plan.add_subparsers(title="plan commands", metavar="ACTION")
    check = sub.add_parser("check", help="validate a plan; exit 2 with one line if it is wrong")
    check.add_argument("file", type=Path)
    check.set_defaults(func=run_check)
    plan.set_defaults(func=lambda args: (plan.print_help(), 0)[1])


def run_check(args: argparse.Namespace) -> int:
    plan = load_plan(args.file)
    who = plan.name or "(no name)"
    print(f"{args.file}: ok. {who}; call {plan.care_team.phone}, ask for {plan.care_team.ask_for}; "
          f"daily check at {plan.daily_check.time:%H:%M}; {len(plan.bag_changes)} bag changes"
          + (f", next {plan.bag_changes[0]:%a %d %b %H:%M}" if plan.bag_changes else ""))
    note = device_sections_note(plan)
    if note:
        settings_from_plan_file(args.file)  # still read by the hub until moved: check them too
        print(f"note: {note}")
    return 0
