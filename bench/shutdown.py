"""How long `hub serve` takes to stop on SIGTERM with its stdin left open, as systemd stops it.

Runs `hub serve --simulate --no-drivers` N times, with a local Mosquitto and `[mqtt]` on
(so stopping includes publishing "offline"), waits for "online" on the broker, sends
SIGTERM, and times until the process has exited. Target (issue 19): within 5 s, exit 0,
"offline" retained.

    python -m bench shutdown [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one(work: Path, port: int) -> tuple[float, int, str]:
    settings = work / "settings.toml"
    settings.write_text(f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {port}\nsite_id = "bench"\n',
                        encoding="utf-8")
    seen: list[str] = []
    changed = threading.Event()
    watcher = mqtt.Client(client_id=f"bench-{time.monotonic_ns()}")
    watcher.on_connect = lambda c, *a: c.subscribe("hub/hub_bench/availability", qos=1)

    def on_message(client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        seen.append(message.payload.decode())
        changed.set()

    watcher.on_message = on_message
    watcher.connect("127.0.0.1", port)
    watcher.loop_start()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--simulate", "--no-drivers", "--settings", str(settings),
         "--scenario", str(ROOT / "examples/scenarios/all-ok.yaml"), "--db", str(work / "hub.db")],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while seen[-1:] != ["online"] and time.monotonic() < deadline:
        changed.wait(0.1)
        changed.clear()
    time.sleep(2.0)  # let it settle into its loop
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=60)
    took = time.monotonic() - start
    time.sleep(0.5)
    watcher.loop_stop()
    watcher.disconnect()
    assert proc.stdin is not None
    proc.stdin.close()
    return took, code, (seen or ["?"])[-1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench shutdown", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        port = _free_port()
        (work / "mosquitto.conf").write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n", encoding="utf-8")
        broker = subprocess.Popen([binary, "-c", str(work / "mosquitto.conf")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            results = [_one(work, port) for _ in range(args.runs)]
        finally:
            broker.terminate()
            broker.wait(10)
    for took, code, last in results:
        print(f"SIGTERM to exit: {took:.2f} s, exit {code}, last availability {last!r}")
    times = [took for took, _, _ in results]
    print(f"runs {len(times)}: median {statistics.median(times):.2f} s, max {max(times):.2f} s; "
          f"all exit 0: {all(code == 0 for _, code, _ in results)}; "
          f"all offline: {all(last == 'offline' for _, _, last in results)}")
    return 0
