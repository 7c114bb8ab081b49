"""Console page times over 30 days of one-a-minute readings, and the memory the console adds.

Fills a fresh event log with 30 days of readings (temperature, humidity, light, bridge:
172,800 rows), pump changes, alarms and daily checks; serves the console on a free port
in this process (uvicorn on its own thread and loop, as inside `hub serve --web`); logs in
over HTTP and fetches each page N times in turn. Prints a Markdown table of p50/p95/max
page times and the resident memory before the console was imported and after it served.

    .venv/bin/python bench/console.py [--rounds 40] [--db /tmp/console-bench.db]
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub.core.plan import CarePlan  # noqa: E402
from hub.store.connection import connect  # noqa: E402

DAYS = 30
START = datetime(2026, 11, 1, 0, 0)
PAGES = ["/", "/history?range=24h", "/history?range=7d", "/history?range=all", "/report?from=2026-11-01&to=2026-11-30",
         "/plan"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fill(db_path: Path) -> int:
    db = connect(db_path)
    rng = random.Random(18)
    rows = []
    for minute in range(DAYS * 24 * 60):
        at = (START + timedelta(minutes=minute)).isoformat(timespec="seconds")
        hour = (minute // 60) % 24
        is_lost = rng.random() < 0.002
        rows += [(at, "temperature_c", None if is_lost else 21 + 3 * (12 <= hour < 18) + rng.gauss(0, 0.3),
                  int(not is_lost)),
                 (at, "humidity_pct", 45 + rng.gauss(0, 2), 1),
                 (at, "light_lux", 300 + 2000 * (10 <= hour < 16) + rng.gauss(0, 20), 1),
                 (at, "pump_bridge_connected", 1.0, 1)]
    db.execute("BEGIN")
    db.executemany("INSERT INTO readings (at, quantity, value, is_valid) VALUES (?, ?, ?, ?)", rows)
    for day in range(DAYS):
        base = START + timedelta(days=day)
        db.execute("INSERT INTO daily_checks (day, status, at) VALUES (?, ?, ?)",
                   (base.date().isoformat(), "missed" if day % 9 == 4 else "done", base.isoformat()))
        for hour, light in ((14, "red"), (14.3, "green_blinking")):
            db.execute("INSERT INTO pump_states (at, light, is_beeping, screen) VALUES (?, ?, ?, '')",
                       ((base + timedelta(hours=hour)).isoformat(timespec="seconds"), light, int(light == "red")))
        start = base + timedelta(hours=14)
        db.execute("INSERT INTO alarms (code, priority, speech, started_at, ended_at, acknowledged_at)"
                   " VALUES ('pump.light', 'high', 'The pump light is red.', ?, ?, ?)",
                   (start.isoformat(), (start + timedelta(minutes=18)).isoformat(),
                    (start + timedelta(minutes=3)).isoformat()))
    db.execute("COMMIT")
    db.close()
    return len(rows)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.mkdtemp(prefix="console-bench-")) / "hub.db"
    started = time.perf_counter()
    count = fill(db_path)
    print(f"filled {db_path} with {count} readings in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    # The account is made as `hub users add` makes it: in another process, so its hash is not counted here.
    subprocess.run([sys.executable, "-m", "hub", "users", "add", "nurse", "--role", "care-team", "--db", str(db_path),
                    "--password-stdin"], input="bench password\n", text=True, check=True,
                   cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL)
    rss_before = rss_mb()
    from hub.web.context import Console
    from hub.web.server import WebSettings, serve_console

    rss_imported = rss_mb()
    now = START + timedelta(days=DAYS) - timedelta(minutes=1)
    port = free_port()
    loop = asyncio.new_event_loop()
    stop_holder: list[asyncio.Event] = []

    async def serve() -> None:
        stop_holder.append(asyncio.Event())
        console = Console(db=connect(db_path), plan=CarePlan, now=lambda: now)
        await serve_console(console, WebSettings("127.0.0.1", port), stop_holder[0])

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    for _ in range(100):
        try:
            page = opener.open(base + "/login").read().decode()
            break
        except OSError:
            time.sleep(0.05)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    opener.open(base + "/login", urllib.parse.urlencode({"csrf": csrf, "username": "nurse",
                                                         "password": "bench password"}).encode()).read()
    rss_logged_in = rss_mb()
    times: dict[str, list[float]] = {path: [] for path in PAGES}
    sizes: dict[str, int] = {}
    for _ in range(args.rounds):
        for path in PAGES:
            t0 = time.perf_counter()
            with opener.open(base + path) as answer:
                body = answer.read()
                assert answer.status == 200, path
            times[path].append((time.perf_counter() - t0) * 1000)
            sizes[path] = len(body)
    rss_after = rss_mb()
    loop.call_soon_threadsafe(stop_holder[0].set)
    thread.join(10)

    print("| page | p50 ms | p95 ms | max ms | size KB |\n|---|---|---|---|---|")
    for path, values in times.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"| `{path}` | {values[len(values) // 2]:.0f} | {p95:.0f} | {values[-1]:.0f} "
              f"| {sizes[path] / 1024:.0f} |")
    print(f"\nresident memory: {rss_before:.0f} MB before the console was imported, {rss_imported:.0f} MB with it "
          f"imported, {rss_logged_in:.0f} MB after logging in (one argon2 check), "
          f"{rss_after:.0f} MB after {args.rounds * len(PAGES)} pages: the console added "
          f"{rss_after - rss_before:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
