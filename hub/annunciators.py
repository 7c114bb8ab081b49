"""How the daemon makes itself heard and seen: speakers, the front panel, systemd's watchdog.

Each implements a protocol of hub.ports. The printing speaker and the logging panel
serve a hub without sound card or GPIO (and the simulator); the piper speaker and the
GPIO panel are the Pi's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.alarms import Priority
from hub.plan import CarePlan
from hub.severity import Severity

_LOGGER = logging.getLogger(__name__)


class PrintSpeaker:
    """A `Speaker` that prints; the voice helper's TTS replaces it on the Pi."""

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)


class VoiceSpeaker:
    """A `Speaker` with the piper voice: plays on the sound card, or writes WAVs to `wav_dir`.

    Escalated alarms play at full volume, other urgent ones a little softer and the
    rest softer still, so the priority can be heard. Any failure (no sound card, a voice that will not load)
    is raised, and the service turns it into the audio technical alarm.
    """

    def __init__(self, plan: CarePlan, *, wav_dir: Path | None = None, synthesizer: Any = None) -> None:
        from hub.phrase_cache import PhraseCache
        from hub.tts import Synthesizer, voice_for_plan
        from hub.voice_pipeline import default_cache_dir

        # One loaded voice per process: share the microphone pipeline's when there is one.
        self._synth = synthesizer or Synthesizer(voice_for_plan(plan))
        self._cache = PhraseCache(default_cache_dir(), synthesizer=self._synth)
        self.wav_dir = wav_dir
        self._count = 0
        if wav_dir is not None:
            wav_dir.mkdir(parents=True, exist_ok=True)

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)
        await asyncio.to_thread(self._say, text, priority, 0.8 if priority is Priority.HIGH else 0.6)

    async def say_loud(self, text: str, priority: Priority) -> None:
        """Say an escalated alarm at full volume."""
        print(f"hub ({priority.value}, LOUD): {text}", flush=True)
        await asyncio.to_thread(self._say, text, priority, 1.0)

    def _say(self, text: str, priority: Priority, gain: float) -> None:
        from hub.audio import Audio, write_wav

        audio = self._cache.get(text) or self._synth.synthesize(text)
        audio = Audio(audio.samples * gain, audio.rate_hz)
        if self.wav_dir is not None:
            self._count += 1
            write_wav(self.wav_dir / f"{self._count:05d}-{priority.value}.wav", audio)
            return
        import sounddevice

        sounddevice.play(audio.samples, audio.rate_hz)
        sounddevice.wait()


class GatedSpeaker:
    """Wraps a `Speaker` so the microphone is deaf while it speaks (hub.mic.SpeakingGate).

    Without it, the hub would hear its own "is the pump okay?" in a help message as
    a question, or its own alarm's "say okay, I heard you" as an acknowledgement.
    """

    def __init__(self, speaker: Any, gate: Any) -> None:
        self.speaker = speaker
        self.gate = gate

    async def say(self, text: str, priority: Priority) -> None:
        with self.gate.speaking():
            await self.speaker.say(text, priority)

    async def say_loud(self, text: str, priority: Priority) -> None:
        say_loud = getattr(self.speaker, "say_loud", None)
        with self.gate.speaking():
            await (say_loud(text, priority) if say_loud else self.speaker.say(text, priority))


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

    @property
    def talk_button(self) -> Any:
        """The panel's push-to-talk button (a gpiozero `Button`), for the microphone loop."""
        return self._panel.talk_button

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
