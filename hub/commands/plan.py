"""`hub plan check` and `hub plan show`: validate a care plan before the hub uses it."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.core import preview
from hub.core.plan import device_sections_note, load_plan
from hub.settings import settings_from_plan_file


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser("plan", help="check a care plan file",
                                 description="Check a care plan (TOML) the way the hub will read it.")
    sub = plan.add_subparsers(title="plan commands", metavar="ACTION")
    check = sub.add_parser("check", help="validate a plan, and preview what the hub will say with it",
                           description="Validate a plan (exit 2 with one line if it is wrong), list the next "
                                       "bag changes and other visits as the hub will say them, and print every "
                                       "sentence the hub can say with this plan, for the care team to read.")
    check.add_argument("file", type=Path)
    check.add_argument("--now", type=_local_time, default=None, metavar="YYYY-MM-DDTHH:MM",
                       help="the moment to list upcoming events from (default: now, in the plan's time zone)")
    check.add_argument("--brief", action="store_true", help="only the summary line and notes, no preview")
    check.set_defaults(func=run_check)
    plan.set_defaults(func=lambda args: (plan.print_help(), 0)[1])


def _local_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time like 2026-11-24T09:00") from None


def run_check(args: argparse.Namespace) -> int:
    plan = load_plan(args.file)
    now = args.now or datetime.now(ZoneInfo(plan.timezone)).replace(tzinfo=None, microsecond=0)
    who = plan.name or "(no name)"
    team = plan.care_team
    ask = f", ask for {team.ask_for}" if team.ask_for else " (no one named to ask for)"
    bags = preview.upcoming_bag_changes(plan, now)
    print(f"{args.file}: ok. {who}; call {team.phone}{ask}; "
          f"daily check at {plan.daily_check.time:%H:%M}; {len(plan.bag_changes)} bag changes"
          + (f", next {bags[0][0]:%a %d %b %H:%M}" if bags else ", none upcoming")
          + (f"; {len(plan.appointments)} other visits" if plan.appointments else ""))
    for line in plan.calendar_notes:
        print(f"note: {line}")
    note = device_sections_note(plan)
    if note:
        settings_from_plan_file(args.file)  # still read by the hub until moved: check them too
        print(f"note: {note}")
    if args.brief:
        return 0
    print(f"\nNext bag changes after {now:%a %d %b %H:%M}, as the hub will say them:")
    for at, said in bags:
        print(f"  {at:%a %d %b %H:%M}  {said}")
    if not bags:
        print("  (none)")
    visits = preview.upcoming_visits(plan, now)
    print("\nNext other visits (never called bag changes):")
    for at, said in visits:
        print(f"  {at:%a %d %b %H:%M}  {said}")
    if not visits:
        print("  (none)")
    print("\nEvery sentence the hub can say with this plan (read them before the family goes home):")
    for sentence in preview.sentences(plan, now):
        print(f"  - {sentence}")
    return 0
