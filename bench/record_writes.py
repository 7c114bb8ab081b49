"""How much the event log writes to the Pi's SD card per day, and how big it grows.

An SD card wears out by the bytes written to it, and fills up by what is kept. Three
measurements, each on a real SQLite file on disk:

1. store: one simulated day of readings as the daemon logs them (4 quantities each
   minute), written one commit per quantity (how the daemon did it before) and in one
   commit per minute (how it does now);
2. week: the scripted week through the real daemon (hub.sim.week, quiet minutes ticked
   once a minute), everything it writes: readings, alarms, speech, reminders, checks;
3. growth: `--days` days of readings (default 60), the file's size at each fortnight with
   the daemon's pruning (raw readings for 14 days, then hourly statistics) and without.

Bytes are this process's own I/O counters (/proc/self/io): `wchar` is what was handed to
write(), `write_bytes` what went to the block device, `syscw` the number of write calls.

    python -m bench record-writes [--days 60] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hub.sim.week import run_week
from hub.store.record import KEEP_READINGS, EventStore

START = datetime(2026, 11, 1, 0, 0)
QUANTITIES = ("temperature_c", "humidity_pct", "light_lux", "pump_bridge_connected")


def io_counters() -> dict[str, int]:
    """Return this process's I/O counters (Linux)."""
    with open("/proc/self/io", encoding="ascii") as handle:
        return {key: int(value) for key, value in (line.split(": ") for line in handle)}


def _delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {key: after[key] - before[key] for key in ("wchar", "syscw", "write_bytes")}


def _files_size(path: Path) -> int:
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if p.exists())


def store_day(folder: Path, *, is_batched: bool) -> dict[str, Any]:
    """One day of per-minute readings; return bytes and calls written."""
    path = folder / ("batched.db" if is_batched else "per-reading.db")
    with EventStore(path) as store:
        before = io_counters()
        for minute in range(24 * 60):
            at = START + timedelta(minutes=minute)
            readings = [(q, 20.0 + minute % 7, True) for q in QUANTITIES]
            if is_batched:
                store.add_readings(at, readings)
            else:
                for quantity, value, is_valid in readings:
                    store.add_reading(at, quantity, value, is_valid)
        after = io_counters()
    return {"commits": 24 * 60 * (1 if is_batched else len(QUANTITIES)), **_delta(before, after)}


def week(folder: Path) -> dict[str, Any]:
    """The scripted week through the daemon; return what it wrote per day."""
    path = folder / "week.db"
    before = io_counters()
    result = run_week(7, db_path=path, quiet_step_s=60.0)
    after = io_counters()
    per_day = {key: value // 7 for key, value in _delta(before, after).items()}
    return {"days": 7, "said": len(result.timeline), "file_bytes": _files_size(path), "per_day": per_day}


def growth(folder: Path, days: int, *, is_pruned: bool) -> list[tuple[int, int]]:
    """`days` of readings with a daily prune (or none); return (day, file bytes) every 14 days."""
    path = folder / ("pruned.db" if is_pruned else "unpruned.db")
    sizes = []
    with EventStore(path) as store:
        for day in range(1, days + 1):
            for minute in range(24 * 60):
                at = START + timedelta(days=day - 1, minutes=minute)
                store.add_readings(at, [(q, 20.0 + minute % 7, True) for q in QUANTITIES])
            if is_pruned:
                store.prune_readings(START + timedelta(days=day) - KEEP_READINGS)
            if day % 14 == 0 or day == days:
                store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                sizes.append((day, _files_size(path)))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench record-writes", description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60, help="days of readings for the growth figure (default 60)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hub-writes-", dir=os.environ.get("BENCH_DIR", "/var/tmp")) as tmp:
        folder = Path(tmp)
        out = {
            "store_day_per_reading": store_day(folder, is_batched=False),
            "store_day_batched": store_day(folder, is_batched=True),
            "week": week(folder),
            "growth_pruned": growth(folder, args.days, is_pruned=True),
            "growth_unpruned": growth(folder, args.days, is_pruned=False),
        }
    out["elapsed_s"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(out))
        return 0
    mib = 1024 * 1024
    for name in ("store_day_per_reading", "store_day_batched"):
        row = out[name]
        print(f"{name:<22} commits {row['commits']:>6}  wchar {row['wchar'] / mib:6.1f} MiB  "
              f"write_bytes {row['write_bytes'] / mib:6.1f} MiB  write calls {row['syscw']}")
    week_row = out["week"]["per_day"]
    print(f"{'week, per day':<22} said {out['week']['said'] // 7:>5}   wchar {week_row['wchar'] / mib:6.1f} MiB  "
          f"write_bytes {week_row['write_bytes'] / mib:6.1f} MiB  write calls {week_row['syscw']}")
    for name in ("growth_pruned", "growth_unpruned"):
        print(f"{name:<22} " + "  ".join(f"day {d}: {b / mib:.1f} MiB" for d, b in out[name]))
    print(f"ran in {out['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
