"""`hub serve`: the daemon as a family lives with it, on the Pi's devices or a simulated home.

The wiring lives here, not in hub.daemon.service: which home source (hub.daemon.sources), speaker,
panel and watchdog (hub.daemon.annunciators) to use. With `--simulate` the home comes from a
scenario file, played through the real drivers on simulated hardware (a fake I2C bus, a pty pump bridge) and re-read
whenever it changes (edit it to make the pump beep); the family's words are typed on
stdin (a line with only "!" is the acknowledge button), and the hub's words are printed.

With `--listen` the family speaks instead (hub.voice.input on its own thread): the
wake phrase, the talk button (`--talk-pin`), or an answer right after the hub asks.
`--listen-wav` says recordings into a simulated microphone, for a run with no sound
card. The speaker then holds the microphone's gate, so the hub never hears itself.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.core.codes import ANSWER_INTENTS
from hub.daemon.annunciators import GatedSpeaker, GpioPanel, LogPanel, PrintSpeaker, SdNotifyWatchdog, VoiceSpeaker
from hub.daemon.clock import AcceleratedClock, Clock, SystemClock
from hub.daemon.time_sync import TimedatectlSync
from hub.commands.common import add_plan_option, add_settings_option, plan_from_args, settings_from_args
from hub.commands.console import add_web_options, console_task, web_settings
from hub.daemon.recorded import RecordedHome
from hub.intents.templates import Templates
from hub.core.plan import CarePlan
from hub.settings import DeviceSettings
from hub.daemon.ports import HomeSource
from hub.core.scenario import load_scenario, parse_scenario
from hub.daemon.service import ALARM_ANSWERS, FamilyInput, HubService, ServiceSettings
from hub.daemon.sources import HardwareHome, ScenarioHome
from hub.sim.source import DriverHome
from hub.errors import HubError
from hub.store.record import EventStore, StoreError
from hub.sensors.config import DEFAULT_SENSORS

_LOGGER = logging.getLogger(__name__)

BUTTON = "!"
MAX_LINE_BYTES = 4096  # a typed line; more is not something anyone said


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the hub daemon (watch, speak up, remind, record)",
        description="Run the hub all day: watch the pump and the room, speak up first when something is "
                    "wrong, lead the daily check, remind of bag changes, and keep a record. Speak to it with "
                    "--listen, or type what you would say, one line at a time; a line with only '!' presses "
                    "the acknowledge button.")
    add_plan_option(serve)
    add_settings_option(serve)
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
                       help="drive the GPIO front panel: LED, buzzer, talk and acknowledge buttons (on the Pi)")
    serve.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second (default 1)")
    serve.add_argument("--for", dest="for_s", type=float, default=None, metavar="SECONDS",
                       help="stop after this many simulated seconds (default: run until stopped)")
    serve.add_argument("--sensors", nargs="+", metavar="KIND@ADDR", default=None,
                       help="room sensors on the Pi, e.g. sht3x@0x44 bh1750@0x23 (the default)")
    serve.add_argument("--bus", type=int, default=1, help="I2C bus number of the room sensors (default 1)")
    serve.add_argument("--bridge", metavar="URL", default=None,
                       help="pump bridge serial port (default: found by its /dev/serial/by-id name)")
    voice = serve.add_argument_group("spoken input")
    voice.add_argument("--listen", action="store_true",
                       help="hear the family on the microphone: the wake phrase (settings voice.wake_phrase), the "
                            "talk button, or an answer right after the hub asks a question")
    voice.add_argument("--listen-wav", metavar="FILE", type=Path, nargs="+", default=None,
                       help="say these recordings into a simulated microphone, one after another, as if "
                            "holding the talk button (implies --listen; no sound card needed), at --speed times "
                            "real time; the run ends once the last one is answered")
    voice.add_argument("--answer-wait", type=float, default=15.0, metavar="SECONDS",
                       help="with --listen-wav: how long each recording waits for the hub's reply before the "
                            "next is said (default 15)")
    voice.add_argument("--device", default=None, help="microphone (number or name; see `python -m sounddevice`)")
    voice.add_argument("--talk-pin", type=int, default=None, metavar="PIN",
                       help="GPIO pin of a push-to-talk button (with --gpio, the panel's talk button is used)")
    voice.add_argument("--tail-ms", type=int, default=300, help="silence that ends what was said (default 300)")
    serve.add_argument("--db", type=Path, default=Path("var/hub.db"), help="event log (default var/hub.db)")
    add_web_options(serve)
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    if not args.speed > 0:
        print("hub serve: error: --speed must be above 0", file=sys.stderr)
        return 2
    if not args.answer_wait >= 0:
        print("hub serve: error: --answer-wait must be 0 or more seconds", file=sys.stderr)
        return 2
    if args.gpio and args.talk_pin is not None:
        print("hub serve: error: --talk-pin and --gpio: the front panel already has the talk button", file=sys.stderr)
        return 2
    if not args.simulate and (args.scenario is not None or args.speed != 1.0):
        print("hub serve: error: --scenario and --speed need --simulate", file=sys.stderr)
        return 2
    plan = plan_from_args(args)
    settings = settings_from_args(args, plan)
    try:
        web = web_settings(args, settings)
    except HubError as exc:
        print(f"hub serve: error: {exc}", file=sys.stderr)
        return 2
    # From here on SIGTERM stops the hub cleanly (saying "offline"), even before the loop runs.
    stopping = threading.Event()
    before = {signum: signal.signal(signum, lambda *_: stopping.set()) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        return _run(args, plan, settings, web, stopping)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _run(args: argparse.Namespace, plan: CarePlan, settings: DeviceSettings, web: Any,
         stopping: threading.Event) -> int:
    clock: Clock
    source: HomeSource
    time_sync: TimedatectlSync | None = None  # a simulated clock is set by definition
    if args.simulate:
        if args.scenario is not None:
            scenario = load_scenario(args.scenario)
        else:
            scenario = parse_scenario({}, source="<no scenario>", default_now=datetime.now().replace(microsecond=0))
        clock = AcceleratedClock(scenario.now, args.speed)
        if args.no_drivers:
            source = ScenarioHome(args.scenario, scenario)
        else:
            source = DriverHome(args.scenario, scenario, plan)
    else:
        clock = SystemClock(plan.timezone)
        time_sync = TimedatectlSync()  # the Pi has no real-time clock: wait for the network's time
        source = HardwareHome.open(plan, clock=clock, sensors=args.sensors or DEFAULT_SENSORS, bus_number=args.bus,
                              bridge_url=args.bridge)
    if (args.listen or args.listen_wav) and settings.mqtt.enabled:
        print(f"hub serve: error: --listen with [mqtt] enabled in {settings.source}: Rhasspy already listens for "
              "the hub; use one or the other", file=sys.stderr)
        return 2
    listening = _listening(args, settings) if args.listen or args.listen_wav else None
    speaker: Any = PrintSpeaker()
    if args.voice or args.voice_wav is not None:
        pipeline = listening.pipeline if listening else None
        # HUB_PHRASE_WARMUP=0 leaves the fixed replies to be synthesized when first said
        # (the test suite's many short serves): filling all of them takes a minute of CPU.
        speaker = VoiceSpeaker(plan, settings=settings, wav_dir=args.voice_wav,
                               synthesizer=pipeline.synthesizer if pipeline else None,
                               is_cache_warmed=os.environ.get("HUB_PHRASE_WARMUP", "1") != "0")
    if listening is not None:
        speaker = GatedSpeaker(speaker, listening.gate)
    store, problem = open_store(args.db)
    source = home = RecordedHome(source, store, clock.now)  # the pump's timeline, and the console's Now page
    link = None
    if settings.mqtt.enabled:  # Hermes (issue 6): answer, announce and publish state through Rhasspy's broker
        from hub.hermes.link import HermesLink

        link = HermesLink(plan, mqtt=settings.mqtt, source=source, now=clock.now)
        link.start()
    with store:
        service = HubService(plan, clock=clock, source=link.source if link else source,
                             speaker=link.speaker if link else speaker, store=store, panel=LogPanel(),
                             watchdog=SdNotifyWatchdog(), plan_path=args.plan, settings=ServiceSettings(tick_s=1.0),
                             make_assistant=link.make_assistant if link else None, time_sync=time_sync)
        service.is_store_degraded = problem is not None
        console = console_task(web, service, home, clock, args.db, args.plan) if problem is None else None
        try:
            asyncio.run(_serve(service, clock, args.for_s, link, use_gpio=args.gpio, listening=listening,
                               console=console, stopping=stopping))
        finally:
            if link is not None:
                link.stop()
            close_speaker = getattr(speaker, "close", None)
            if close_speaker is not None:
                close_speaker()  # stop piper before the interpreter exits (it aborted otherwise)
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


def _listening(args: argparse.Namespace, settings: DeviceSettings) -> Listening:
    """Load the microphone loop's parts: the voice pipeline, wake spotter and talk button."""
    from hub.voice.mic import SpeakingGate
    from hub.voice.pipeline import VoicePipeline

    gate = SpeakingGate()
    pipeline = VoicePipeline.for_settings(settings, templates=Templates())
    backend: Any = None
    button: Any = None
    if args.listen_wav:
        from hub.sim.microphone import SimulatedMicrophone

        backend = SimulatedMicrophone.from_files(args.listen_wav, gate=gate, answer_wait_s=args.answer_wait,
                                                 pace_s=1.0 / args.speed)
        button = backend
    elif args.talk_pin is not None:
        from hub.voice.wake import PushToTalk

        button = PushToTalk(args.talk_pin)
    from hub.voice.wake import WakeWordSpotter

    device = int(args.device) if args.device is not None and str(args.device).isdigit() else args.device
    return Listening(pipeline, gate, WakeWordSpotter(settings.voice.wake_phrase), button, device, backend, args.tail_ms)


class Listening:
    """What `--listen` loaded, kept for the life of the process."""

    def __init__(self, pipeline: Any, gate: Any, spotter: Any, button: Any, device: Any, backend: Any,
                 tail_ms: int) -> None:
        self.pipeline, self.gate, self.spotter = pipeline, gate, spotter
        self.button, self.device, self.backend, self.tail_ms = button, device, backend, tail_ms

    def start(self, service: HubService, loop: asyncio.AbstractEventLoop) -> tuple[threading.Thread, threading.Event]:
        """Run the microphone loop on a thread, posting what it hears to `service` on `loop`."""
        from hub.voice.input import VoiceInput

        voice_input = VoiceInput(self.pipeline, expects=lambda: service.assistant.expects,
                                 awaited=lambda: service.awaited, gate=self.gate, spotter=self.spotter,
                                 button=self.button, device=self.device, tail_ms=self.tail_ms,
                                 mic_backend=self.backend)
        voice_input.warm_up(None, frozenset(ANSWER_INTENTS), ALARM_ANSWERS)
        stop = threading.Event()
        thread = threading.Thread(
            target=voice_input.run, name="microphone", daemon=True,
            args=(lambda text, is_noisy: loop.call_soon_threadsafe(
                      service.hear, FamilyInput(text, is_noisy=is_noisy)), stop,
                  lambda trouble: loop.call_soon_threadsafe(service.report_microphone, trouble)))
        thread.start()
        return thread, stop

    def close(self) -> None:
        close = getattr(self.button, "close", None)
        if close is not None:
            close()


async def _serve(service: HubService, clock: Clock, for_s: float | None, link: Any = None,
                 *, use_gpio: bool = False, listening: Listening | None = None, console: Any = None,
                 stopping: threading.Event | None = None) -> None:
    stop = asyncio.Event()
    gpio = None
    if use_gpio:
        gpio = GpioPanel(lambda: service.hear(FamilyInput(is_button=True)))
        service.panel = gpio
        if listening is not None and listening.button is None:
            listening.button = gpio.talk_button
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if stopping is not None and stopping.is_set():
        stop.set()  # asked to stop while starting up
    tasks = [asyncio.create_task(service.run(stop))]
    _read_stdin(service, loop)
    ears = listening.start(service, loop) if listening is not None else None
    if link is not None:  # Hermes (issue 6)
        tasks.append(asyncio.create_task(link.run(service, stop)))
    if console is not None:  # the care-team console (issue 18)
        tasks.append(asyncio.create_task(console(stop)))
    if for_s is not None:
        tasks.append(asyncio.create_task(_stop_after(stop, clock, for_s)))
    if listening is not None and listening.backend is not None:
        tasks.append(asyncio.create_task(_stop_when_said(stop, listening.backend)))
    try:
        await tasks[0]
    finally:
        for task in tasks[1:]:
            task.cancel()
        if gpio is not None:
            gpio.close()
        if ears is not None and listening is not None:
            ears[1].set()
            await asyncio.to_thread(ears[0].join, 3.0)
            listening.close()


async def _stop_after(stop: asyncio.Event, clock: Clock, for_s: float) -> None:
    await clock.sleep(for_s)
    stop.set()


async def _stop_when_said(stop: asyncio.Event, microphone: Any) -> None:
    """End a `--listen-wav` run once every recording was said and answered."""
    while not microphone.is_done:
        await asyncio.sleep(0.1)
    _LOGGER.info("All recordings said and answered; stopping")
    stop.set()


def _read_stdin(service: HubService, loop: asyncio.AbstractEventLoop) -> threading.Thread:
    """Feed typed lines to the service as heard speech ('!' is the acknowledge button), from a daemon thread.

    Not `asyncio.to_thread`: asyncio.run waits for its executor's threads at the end, so a
    SIGTERM with stdin open would wait for a line nobody types, while "online" stays
    retained. Not `sys.stdin` either: a daemon thread blocked holding its buffer's lock
    can abort the interpreter at exit. A raw read of fd 0 holds nothing.
    """
    def hear(text: str) -> None:
        if text == BUTTON:
            service.hear(FamilyInput(is_button=True))
        elif text:
            service.hear(FamilyInput(text))

    def read() -> None:
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError):
            return  # no stdin at all (closed, or replaced by something without a file)
        pending = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError as exc:
                _LOGGER.warning("Stopped reading stdin: %s", exc)
                return
            if not chunk:
                return  # end of input: keep serving, nobody is typing
            pending += chunk
            *lines, pending = pending.split(b"\n")
            pending = pending[-MAX_LINE_BYTES:]
            for line in lines:
                text = line[:MAX_LINE_BYTES].decode("utf-8", errors="replace").strip()
                try:
                    loop.call_soon_threadsafe(hear, text)
                except RuntimeError:
                    return  # the loop has closed: the hub is stopping

    thread = threading.Thread(target=read, name="stdin", daemon=True)
    thread.start()
    return thread
