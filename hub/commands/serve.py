"""`hub serve`: the daemon as a family lives with it, on the Pi's devices or a simulated home.

The wiring lives here, not in hub.service: which home source (hub.sources), speaker,
panel and watchdog (hub.annunciators) to use. With `--simulate` the home comes from a scenario file, played through
the real drivers on simulated hardware (a fake I2C bus, a pty pump bridge) and re-read
whenever it changes (edit it to make the pump beep); the family's words are typed on
stdin (a line with only "!" is the acknowledge button), and the hub's words are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.annunciators import GpioPanel, LogPanel, PrintSpeaker, SdNotifyWatchdog, VoiceSpeaker
from hub.clock import AcceleratedClock, Clock, SystemClock
from hub.commands.common import add_plan_option, plan_from_args
from hub.ports import HomeSource
from hub.scenario import load_scenario, parse_scenario
from hub.service import Heard, HubService, ServiceSettings
from hub.sources import DriverHome, HardwareHome, ScenarioHome, has_simulated_hardware
from hub.store import EventStore, StoreError
from hub.sensors.config import DEFAULT_SENSORS

_LOGGER = logging.getLogger(__name__)

BUTTON = "!"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the hub daemon (watch, speak up, remind, record)",
        description="Run the hub all day: watch the pump and the room, speak up first when something is "
                    "wrong, lead the daily check, remind of bag changes, and keep a record. Type what you "
                    "would say, one line at a time; a line with only '!' presses the acknowledge button.")
    add_plan_option(serve)
    serve.add_argument("--simulate", action="store_true",
                       help="run on the simulated home (a scenario file) instead of the Pi's devices")
    serve.add_argument("--scenario", metavar="FILE", type=Path, default=None,
                       help="simulated home (YAML), re-read when it changes; default: nothing known")
    serve.add_argument("--no-drivers", action="store_true",
                       help="use the scenario as the home directly, without playing it through the drivers")
    serve.add_argument("--voice", action="store_true", help="speak with the piper voice on the sound card")
    serve.add_argument("--voice-wav", metavar="DIR", type=Path, default=None,
                       help="speak with the piper voice into numbered WAV files in DIR instead")
    serve.add_argument("--gpio", action="store_true",
                       help="drive the GPIO front panel: LED, buzzer, acknowledge button (on the Pi)")
    serve.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second (default 1)")
    serve.add_argument("--for", dest="for_s", type=float, default=None, metavar="SECONDS",
                       help="stop after this many simulated seconds (default: run until stopped)")
    serve.add_argument("--sensors", nargs="+", metavar="KIND@ADDR", default=None,
                       help="room sensors on the Pi, e.g. sht3x@0x44 bh1750@0x23 (the default)")
    serve.add_argument("--bus", type=int, default=1, help="I2C bus number of the room sensors (default 1)")
    serve.add_argument("--bridge", metavar="URL", default=None,
                       help="pump bridge serial port (default: found by its /dev/serial/by-id name)")
    serve.add_argument("--db", type=Path, default=Path("var/hub.db"), help="event log (default var/hub.db)")
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    if not args.speed > 0:
        print("hub serve: error: --speed must be above 0", file=sys.stderr)
        return 2
    if not args.simulate and (args.scenario is not None or args.speed != 1.0):
        print("hub serve: error: --scenario and --speed need --simulate", file=sys.stderr)
        return 2
    plan = plan_from_args(args)
    clock: Clock
    source: HomeSource
    if args.simulate:
        if args.scenario is not None:
            scenario = load_scenario(args.scenario)
        else:
            scenario = parse_scenario({}, source="<no scenario>", default_now=datetime.now().replace(microsecond=0))
        clock = AcceleratedClock(scenario.now, args.speed)
        if args.no_drivers or not has_simulated_hardware():
            source = ScenarioHome(args.scenario, scenario)
        else:
            source = DriverHome(args.scenario, scenario, plan)
    else:
        clock = SystemClock(plan.timezone)
        source = HardwareHome(plan, sensors=args.sensors or DEFAULT_SENSORS, bus_number=args.bus,
                              bridge_url=args.bridge)
    speaker: PrintSpeaker | VoiceSpeaker = PrintSpeaker()
    if args.voice or args.voice_wav is not None:
        speaker = VoiceSpeaker(plan, wav_dir=args.voice_wav)
    link = None
    if plan.mqtt.enabled:  # Hermes (issue 6): answer, announce and publish state through Rhasspy's broker
        from hub.hermes.link import HermesLink

        link = HermesLink(plan, source=source, now=clock.now)
        link.start()
    store, problem = open_store(args.db)
    with store:
        service = HubService(plan, clock=clock, source=link.source if link else source,
                             speaker=link.speaker if link else speaker, store=store, panel=LogPanel(),
                             watchdog=SdNotifyWatchdog(), plan_path=args.plan, settings=ServiceSettings(tick_s=1.0),
                             make_assistant=link.make_assistant if link else None)
        service.is_store_degraded = problem is not None
        try:
            asyncio.run(_serve(service, clock, args.for_s, link, use_gpio=args.gpio))
        finally:
            if link is not None:
                link.stop()
            close = getattr(source, "close", None)
            if close is not None:
                close()
    return 0


def open_store(path: Path) -> tuple[EventStore, str | None]:
    """Return the event log at `path`, or an in-memory stand-in and why, if it cannot be opened.

    A hub that refuses to start over its log would stop watching the pump, so it runs
    on (the family hears a technical alarm) and the file is left untouched for repair.
    """
    try:
        return EventStore(path), None
    except StoreError as exc:
        _LOGGER.error("%s; running without a record until it is repaired", exc)
        return EventStore(":memory:"), str(exc)


async def _serve(service: HubService, clock: Clock, for_s: float | None, link: Any = None,
                 *, use_gpio: bool = False) -> None:
    stop = asyncio.Event()
    gpio = None
    if use_gpio:
        gpio = GpioPanel(lambda: service.hear(Heard(is_button=True)))
        service.panel = gpio
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    tasks = [asyncio.create_task(service.run(stop)), asyncio.create_task(_read_stdin(service))]
    if link is not None:  # Hermes (issue 6)
        tasks.append(asyncio.create_task(link.run(service, stop)))
    if for_s is not None:
        tasks.append(asyncio.create_task(_stop_after(stop, clock, for_s)))
    try:
        await tasks[0]
    finally:
        for task in tasks[1:]:
            task.cancel()
        if gpio is not None:
            gpio.close()


async def _stop_after(stop: asyncio.Event, clock: Clock, for_s: float) -> None:
    await clock.sleep(for_s)
    stop.set()


async def _read_stdin(service: HubService) -> None:
    """Feed typed lines to the service as heard speech; '!' is the acknowledge button."""
    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return  # end of input: keep serving, nobody is typing
        text = line.strip()
        if text == BUTTON:
            service.hear(Heard(is_button=True))
        elif text:
            service.hear(Heard(text))
