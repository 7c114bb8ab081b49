"""Alarm fatigue: announcements per hour in each situation of the scripted week.

Runs `hub simulate`'s week (hub.sim.week) through the real daemon and counts what the
hub said unasked (alarms, repeats, reminders, escalations and the daily check's own
reminders) inside each scripted situation's window. Replies to the family are not
counted: they were asked for. Results and the command go in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timedelta

from hub.sim.week import WEEK_START, run_week

# (name, day, start HH:MM, end HH:MM): the windows of the scripted week (hub.sim.week.WEEK).
SITUATIONS = (
    ("beeping pump (Mon)", 0, "14:00", "14:25"),
    ("hot afternoon by a window (Tue)", 1, "15:00", "17:35"),
    ("shower steam (Wed)", 2, "07:30", "07:55"),
    ("bag change, pump away (Wed)", 2, "09:15", "12:35"),
    ("bridge unplugged (Thu)", 3, "13:00", "13:45"),
    ("missed bag change (Fri)", 4, "14:00", "14:30"),
    ("infusion stopped 5 h (Sat)", 5, "10:00", "15:15"),
    ("sensor lost (Sun)", 6, "16:00", "16:15"),
)
UNASKED = frozenset({"alarm", "repeat", "remind", "escalate", "check_remind", "check_missed", "check_start",
                     "day_before", "hour_before", "leave"})


def _window(day: int, start: str, end: str) -> tuple[datetime, datetime]:
    base = WEEK_START.date() + timedelta(days=day)
    return (datetime.combine(base, datetime.strptime(start, "%H:%M").time()),
            datetime.combine(base, datetime.strptime(end, "%H:%M").time()))


def measure() -> dict[str, object]:
    """Return announcements (count, per hour) in each situation, and the week's totals."""
    result = run_week(7)
    unasked = [s for s in result.timeline if s.kind in UNASKED]
    rows = []
    for name, day, start, end in SITUATIONS:
        since, until = _window(day, start, end)
        count = sum(1 for s in unasked if since <= s.at < until)
        hours = (until - since).total_seconds() / 3600
        rows.append({"situation": name, "window": f"{start}-{end}", "announcements": count,
                     "per_hour": round(count / hours, 1)})
    spoken = [s for s in result.timeline if not s.kind.startswith(("ack", "end", "record"))]
    return {"situations": rows, "unasked_total": len(unasked), "said_total": len(spoken)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench alarm-rate", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure()
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("| situation | window | announcements | per hour |\n|---|---|---:|---:|")
    for row in figures["situations"]:  # type: ignore[union-attr]
        print(f"| {row['situation']} | {row['window']} | {row['announcements']} | {row['per_hour']} |")
    print(f"\nunasked announcements in the week: {figures['unasked_total']}; "
          f"everything said: {figures['said_total']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
