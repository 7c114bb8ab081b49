"""`hub serve`: the daemon as a family lives with it, on the simulated home for now.

The wiring lives here, not in hub.service: which home source, speaker, panel and
watchdog to use. With `--simulate` the home comes from a scenario file, played through
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
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Callable

from hub.alarms import Priority
from hub.clock import AcceleratedClock
from hub.commands.common import add_plan_option, plan_from_args
from hub.errors import ScenarioError
from hub.home import HomeState
from hub.severity import Severity
from hub.plan import CarePlan
from hub.scenario import Scenario, load_scenario, parse_scenario
from hub.service import Heard, HubService, ServiceSettings
from hub.store import EventStore

_LOGGER = logging.getLogger(__name__)

BUTTON = "!"


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the hub daemon (watch, speak up, remind, record)",
        description="Run the hub all day: watch the pump and the room, speak up first when something is "
                    "wrong, lead the daily check, remind of bag changes, and keep a record. Type what you "
                    "would say, one line at a time; a line with only '!' presses the acknowledge button.")
    add_plan_option(serve)
    serve.add_argument("--simulate", action="store_true", help="run on the simulated home (required for now)")
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
    serve.add_argument("--db", type=Path, default=Path("var/hub.db"), help="event log (default var/hub.db)")
    serve.set_defaults(func=run_serve)


class ScenarioHome:
    """A `HomeSource` playing a scenario file as the live home; a changed file is re-read.

    The file stands for drivers that keep answering, so its ages are used as written. A
    changed file that is broken is refused and the old home kept, with a log line.
    """

    def __init__(self, path: Path | None, scenario: Scenario) -> None:
        self.path = path
        self.scenario = scenario
        self._stamp = _stamp(path)

    async def read(self) -> HomeState:
        stamp = _stamp(self.path)
        if self.path is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self.scenario = load_scenario(self.path)
                _LOGGER.warning("Scenario reloaded from %s", self.path)
            except ScenarioError as exc:
                _LOGGER.error("Refused the changed scenario, keeping the old one: %s", exc)
        return self.scenario.home


class DriverHome:
    """A `HomeSource` reading the scenario back through the real drivers on simulated hardware.

    The scenario is played onto a fake I2C bus and a pty pump bridge (hub.sim.home), and
    the real `RoomMonitor` and `PumpMonitor` read it, so `hub serve --simulate` runs the
    code that runs on the Pi. Until the bridge has shown a whole light window, the pump
    is unknown; a changed scenario file replays the new home the same way.
    """

    def __init__(self, path: Path | None, scenario: Scenario, plan: CarePlan) -> None:
        self.path = path
        self.scenario = scenario
        self.plan = plan
        self._stamp = _stamp(path)
        self._sim: Any = None
        self._opening: asyncio.Task[Any] | None = None

    async def read(self) -> HomeState:
        stamp = _stamp(self.path)
        if self.path is not None and stamp != self._stamp and self._opening is None:
            self._stamp = stamp
            try:
                self.scenario = load_scenario(self.path)
            except ScenarioError as exc:
                _LOGGER.error("Refused the changed scenario, keeping the old one: %s", exc)
            else:
                _LOGGER.warning("Scenario changed: replaying %s through the drivers", self.path)
                await asyncio.to_thread(self.close)
        if self._sim is None:
            if self._opening is None:
                self._opening = asyncio.create_task(asyncio.to_thread(self._open, self.scenario.home))
            if not self._opening.done():
                return replace(HomeState(), infusion=self.scenario.home.infusion)  # pump and room not read yet
            opening, self._opening = self._opening, None
            self._sim = opening.result()  # a failure is raised to the service: source lost, retried next tick
        return await asyncio.to_thread(self._read)

    def _open(self, home: HomeState) -> Any:
        from hub.sim.home import SimulatedHome

        sim = SimulatedHome(home, plan=self.plan)
        sim.read_home()  # starts the pump monitor and waits for a first light window
        return sim

    def _read(self) -> HomeState:
        sim = self._sim
        sim.poll_room()
        return replace(self.scenario.home, environment=sim.environment(), pump=sim.pump_monitor.state())

    def close(self) -> None:
        if self._sim is not None:
            self._sim.close()
            self._sim = None


def has_simulated_hardware() -> bool:
    """True when the simulated hardware (hub.sim.home) is installed."""
    try:
        import hub.sim.home  # noqa: F401
    except ImportError:
        return False
    return True


class PrintSpeaker:
    """A `Speaker` that prints; the voice helper's TTS replaces it on the Pi."""

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)


class VoiceSpeaker:
    """A `Speaker` with the piper voice: plays on the sound card, or writes WAVs to `wav_dir`.

    Urgent alarms play at full volume and everything else a little softer, so the
    priority can be heard. Any failure (no sound card, a voice that will not load)
    is raised, and the service turns it into the audio technical alarm.
    """

    def __init__(self, plan: CarePlan, *, wav_dir: Path | None = None) -> None:
        from hub.phrase_cache import PhraseCache
        from hub.tts import Synthesizer, voice_for_plan
        from hub.voice_pipeline import default_cache_dir

        self._synth = Synthesizer(voice_for_plan(plan))
        self._cache = PhraseCache(default_cache_dir(), synthesizer=self._synth)
        self.wav_dir = wav_dir
        self._count = 0
        if wav_dir is not None:
            wav_dir.mkdir(parents=True, exist_ok=True)

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)
        await asyncio.to_thread(self._say, text, priority)

    def _say(self, text: str, priority: Priority) -> None:
        from hub.audio import Audio, write_wav

        audio = self._cache.get(text) or self._synth.synthesize(text)
        gain = 1.0 if priority is Priority.HIGH else 0.7
        audio = Audio(audio.samples * gain, audio.rate_hz)
        if self.wav_dir is not None:
            self._count += 1
            write_wav(self.wav_dir / f"{self._count:05d}-{priority.value}.wav", audio)
            return
        import sounddevice

        sounddevice.play(audio.samples, audio.rate_hz)
        sounddevice.wait()


# What the LED shows for the highest alarm wanting an answer.
SEVERITY_BY_PRIORITY = {Priority.HIGH: Severity.URGENT, Priority.MEDIUM: Severity.WARNING, Priority.LOW: Severity.INFO}


def panel_severity(priority: Priority | None, home: Severity) -> Severity:
    """Return what the LED shows: the worse of the sounding alarm and the home itself."""
    return Severity.worst([home] + ([SEVERITY_BY_PRIORITY[priority]] if priority else []))


class LogPanel:
    """A `Panel` that logs LED and buzzer changes, for a hub without GPIO."""

    def __init__(self) -> None:
        self._shown: tuple[Severity, bool] | None = None

    def show(self, priority: Priority | None, is_escalated: bool, home: Severity) -> None:
        shown = (panel_severity(priority, home), is_escalated)
        if shown != self._shown:
            self._shown = shown
            _LOGGER.warning("Panel: LED %s%s", shown[0].value, ", buzzer on" if is_escalated else "")


class GpioPanel:
    """A `Panel` on the hub's GPIO front panel (hub.panel.Panel); its button acknowledges.

    The acknowledge button runs on gpiozero's thread, so it is posted to the event loop.
    """

    def __init__(self, on_acknowledge: Callable[[], None], *, pin_factory: Any = None) -> None:
        from hub.panel import Panel

        loop = asyncio.get_running_loop()
        self._panel = Panel(pin_factory=pin_factory)

        def post() -> None:
            loop.call_soon_threadsafe(on_acknowledge)

        self._panel.when_acknowledge = post
        self._shown: tuple[Severity, bool] | None = None

    def show(self, priority: Priority | None, is_escalated: bool, home: Severity) -> None:
        shown = (panel_severity(priority, home), is_escalated)
        if shown[0] in (Severity.OK, Severity.INFO) or shown != self._shown:
            self._panel.show(shown[0])  # ok is re-confirmed every tick, or the LED falls back to unknown
        if shown[1] != (self._shown or (None, False))[1]:
            if is_escalated:
                self._panel.sound(Severity.URGENT)
            else:
                self._panel.silence()
        self._shown = shown

    def close(self) -> None:
        self._panel.close()


class SdNotifyWatchdog:
    """systemd's watchdog through sdnotify; silent when not run by systemd."""

    def __init__(self) -> None:
        import sdnotify

        self._notifier = sdnotify.SystemdNotifier()

    def ready(self) -> None:
        self._notifier.notify("READY=1")

    def ping(self) -> None:
        self._notifier.notify("WATCHDOG=1")


def run_serve(args: argparse.Namespace) -> int:
    if not args.simulate:
        print("hub serve: error: only --simulate is wired so far (real sensors and pump bridge come next)",
              file=sys.stderr)
        return 2
    if not args.speed > 0:
        print("hub serve: error: --speed must be above 0", file=sys.stderr)
        return 2
    plan = plan_from_args(args)
    if args.scenario is not None:
        scenario = load_scenario(args.scenario)
    else:
        scenario = parse_scenario({}, source="<no scenario>", default_now=datetime.now().replace(microsecond=0))
    clock = AcceleratedClock(scenario.now, args.speed)
    source: ScenarioHome | DriverHome
    if args.no_drivers or not has_simulated_hardware():
        source = ScenarioHome(args.scenario, scenario)
    else:
        source = DriverHome(args.scenario, scenario, plan)
    speaker: PrintSpeaker | VoiceSpeaker = PrintSpeaker()
    if args.voice or args.voice_wav is not None:
        speaker = VoiceSpeaker(plan, wav_dir=args.voice_wav)
    link = None
    if plan.mqtt.enabled:  # Hermes (issue 6): answer, announce and publish state through Rhasspy's broker
        from hub.hermes.link import HermesLink

        link = HermesLink(plan, source=source, now=clock.now)
        link.start()
    with EventStore(args.db) as store:
        service = HubService(plan, clock=clock, source=link.source if link else source,
                             speaker=link.speaker if link else speaker, store=store, panel=LogPanel(),
                             watchdog=SdNotifyWatchdog(), plan_path=args.plan, settings=ServiceSettings(tick_s=1.0),
                             make_assistant=link.make_assistant if link else None)
        try:
            asyncio.run(_serve(service, clock, args.for_s, link, use_gpio=args.gpio))
        finally:
            if link is not None:
                link.stop()
            if isinstance(source, DriverHome):
                source.close()
    return 0


async def _serve(service: HubService, clock: AcceleratedClock, for_s: float | None, link: Any = None,
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


async def _stop_after(stop: asyncio.Event, clock: AcceleratedClock, for_s: float) -> None:
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


def _stamp(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)
