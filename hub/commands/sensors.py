"""`hub sensors read`: one reading of each room sensor and the pump, through the real drivers.

With `--simulate` (or `--scenario FILE`) the drivers read the simulated home: a fake
I2C bus and a bridge on a pty, so the output is what the hardware layer would give.
Exit status 0 means every value is known and ok; 1 means something is unknown.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

from hub.commands.common import add_plan_option, plan_from_args
from hub.core.home import Environment, PumpLight, PumpState
from hub.core.plan import CarePlan
from hub.pump.bridge import PumpBridge
from hub.pump.classify import colour_of
from hub.pump.monitor import PumpMonitor
from hub.pump.protocol import FrameRejected, LightSample, parse_frame
from hub.sensors.config import DEFAULT_SENSORS, open_sensor, parse_sensor_spec
from hub.sensors.monitor import RoomMonitor
from hub.sensors.reading import SensorReading

_LOGGER = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    sensors = subparsers.add_parser("sensors", help="read the room sensors and the pump bridge",
                                    description="Read the room sensors and the pump bridge through the real drivers.")
    sub = sensors.add_subparsers(title="sensors commands", metavar="ACTION")
    read = sub.add_parser("read", help="print one reading of each configured sensor and the pump status",
                          description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    read.add_argument("--simulate", action="store_true", help="read the simulated home instead of real hardware")
    read.add_argument("--scenario", metavar="FILE", type=Path, default=None,
                      help="simulated home (YAML) to play through the drivers; implies --simulate")
    read.add_argument("--json", action="store_true", help="print JSON instead of text")
    read.add_argument("--sensor", dest="sensors", action="append", metavar="KIND@ADDR", default=None,
                      help=f"a sensor to read (repeatable; default {' '.join(DEFAULT_SENSORS)})")
    read.add_argument("--bus", type=int, default=1, help="I2C bus number (default 1)")
    read.add_argument("--bridge", metavar="URL", default=None,
                      help="serial port of the pump bridge (default: found by its /dev/serial/by-id name)")
    read.add_argument("--pump-wait", type=float, default=17.0, metavar="S",
                      help="seconds to watch the pump at most (default 17: a 6 s light window, and 15 s of "
                           "listening before 'not beeping' can be said)")
    read.add_argument("--no-pump", action="store_true", help="read the room sensors only")
    add_plan_option(read)
    read.set_defaults(func=run_read)
    decode = sub.add_parser("decode", help="decode pump-bridge lines from stdin into JSON, one per line",
                            description="Read HB1 lines (e.g. `cat /dev/hub-bridge | hub sensors decode`) and "
                                        "print each as JSON: the frame and the light colour the hub sees in "
                                        "it, or why it was rejected.")
    decode.set_defaults(func=run_decode)
    sensors.set_defaults(func=lambda args: (sensors.print_help(), 0)[1])


def run_read(args: argparse.Namespace) -> int:
    plan = plan_from_args(args)
    if args.simulate or args.scenario is not None:
        readings, env, pump, rejected = _read_simulated(args, plan)
    else:
        readings, env, pump, rejected = _read_hardware(args, plan)
    all_ok = all(r.is_ok for r in readings) and (pump is None or _pump_ok(pump))
    if args.json:
        print(json.dumps(_as_json(readings, env, pump, rejected), indent=2))
    else:
        for reading in readings:
            value = "-" if reading.value is None else f"{reading.value:.2f}"
            detail = f"  ({reading.detail})" if reading.detail else ""
            print(f"{reading.sensor:<14} {reading.quantity.value:<14} {value:>9} {reading.unit.value:<5} "
                  f"{reading.status.value}{detail}")
        if pump is not None:
            print(_pump_line(pump))
    return 0 if all_ok else 1


def run_decode(args: argparse.Namespace) -> int:
    """Print one JSON object per input line; exit 1 if any line was rejected."""
    is_all_valid = True
    for raw in sys.stdin.buffer:
        if not raw.strip():
            continue
        try:
            frame = parse_frame(raw)
        except FrameRejected as exc:
            is_all_valid = False
            print(json.dumps({"rejected": exc.reason.value, "detail": str(exc)}), flush=True)
            continue
        out: dict[str, object] = {"seq": frame.seq, "t_ms": frame.t_ms, "type": frame.payload.TYPE}
        out.update(asdict(frame.payload))
        if isinstance(frame.payload, LightSample):
            p = frame.payload
            out["colour"] = colour_of(p.red, p.green, p.blue, p.clear).value
        print(json.dumps(out), flush=True)
    return 0 if is_all_valid else 1


def _read_simulated(args: argparse.Namespace, plan: CarePlan) -> tuple:
    from hub.sim.home import DEFAULT_HOME, SimulatedHome  # local import: only simulations need the simulator

    if args.scenario:
        sim = SimulatedHome.from_scenario(args.scenario, plan=plan)
    else:
        sim = SimulatedHome(DEFAULT_HOME, plan=plan)
    with sim:
        readings = sim.poll_room()
        env = sim.environment()
        pump = None if args.no_pump else sim.read_pump()
        rejected = dict(sim.pump_monitor.bridge.reader.rejected) if sim.pump_monitor else {}
    return readings, env, pump, rejected


def _read_hardware(args: argparse.Namespace, plan: CarePlan) -> tuple:
    specs = [parse_sensor_spec(text) for text in (args.sensors or DEFAULT_SENSORS)]
    sensors = [open_sensor(spec, bus_number=args.bus) for spec in specs]
    with RoomMonitor(sensors, stale_after_s=plan.limits.room_stale_after_s) as room:
        readings = room.poll()
        env = room.environment()
    if args.no_pump:
        return readings, env, None, {}
    with PumpMonitor(PumpBridge(args.bridge), stale_after_s=plan.limits.pump_stale_after_s).start() as pump_monitor:
        deadline = time.monotonic() + max(0.0, args.pump_wait)
        needed_ms = max(pump_monitor.rules.window_ms, pump_monitor.beep_hold_ms) + 1000
        while time.monotonic() < deadline and pump_monitor.observed_ms() < needed_ms:
            time.sleep(0.1)
        pump = pump_monitor.state()
        rejected = dict(pump_monitor.bridge.reader.rejected)
    return readings, env, pump, rejected


def _pump_ok(pump: PumpState) -> bool:
    return bool(pump.is_bridge_connected) and pump.light is PumpLight.GREEN_BLINKING and pump.is_beeping is False


def _pump_line(pump: PumpState) -> str:
    if not pump.is_bridge_connected:
        return "pump bridge    disconnected: pump status unknown"
    beeping = {True: "yes", False: "no", None: "unknown"}[pump.is_beeping]
    age = "-" if pump.age_s is None else f"{pump.age_s:.1f} s"
    return f"pump bridge    connected     light {pump.light.value}, beeping {beeping}, age {age}"


def _as_json(readings: tuple[SensorReading, ...], env: Environment, pump: PumpState | None, rejected: dict) -> dict:
    def reading(r: object) -> dict:
        return {"value": r.value, "age_s": r.age_s, "is_valid": r.is_valid}  # type: ignore[attr-defined]

    out: dict[str, object] = {
        "readings": [r.to_json() for r in readings],
        "environment": {name: reading(getattr(env, name)) for name in ("temperature_c", "humidity_pct", "light_lux")},
    }
    if pump is not None:
        out["pump"] = {
            "bridge_connected": pump.is_bridge_connected,
            "light": pump.light.value,
            "beeping": pump.is_beeping,
            "screen": pump.screen,
            "age_s": pump.age_s,
        }
        out["rejected_frames"] = {reason.value: count for reason, count in rejected.items()}
    return out
