"""How the daemon makes itself heard and seen: speakers, the front panel, systemd's watchdog.

Each implements a protocol of hub.daemon.ports. The printing speaker and the logging panel
serve a hub without sound card or GPIO (and the simulator); the piper speaker and the
GPIO panel are the Pi's.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hub.core.alarms import Priority
from hub.core.plan import CarePlan
from hub.core.severity import Severity
from hub.daemon.ports import LoudSpeaker, Speaker
from hub.settings import DeviceSettings

_LOGGER = logging.getLogger(__name__)


class PrintSpeaker:
    """A `Speaker` that prints; the voice helper's TTS replaces it on the Pi."""

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)


class VoiceSpeaker:
    """A `Speaker` with the piper voice: plays on the sound card, or writes WAVs to `wav_dir`.

    Fixed replies come from the phrase cache, which a background thread fills at start
    (the first start on a Pi takes minutes; later starts find them on disk); anything
    else is played sentence by sentence as it is synthesized, so the first words come
    at once. Escalated alarms play at full volume, other urgent ones a little softer and
    the rest softer still, so the priority can be heard. Any failure (no sound card, a
    voice that will not load) is raised, and the service turns it into the audio
    technical alarm.
    """

    def __init__(self, plan: CarePlan, *, settings: DeviceSettings | None = None, wav_dir: Path | None = None,
                 synthesizer: Any = None, cache_dir: Path | None = None, is_cache_warmed: bool = True,
                 player: Any = None) -> None:
        from hub.voice.phrase_cache import PhraseCache
        from hub.voice.tts import Synthesizer, voice_files
        from hub.voice.pipeline import default_cache_dir

        # One loaded voice per process: share the microphone pipeline's when there is one.
        self._synth = synthesizer or Synthesizer(voice_files(settings or DeviceSettings()))
        self._cache = PhraseCache(cache_dir or default_cache_dir(), synthesizer=self._synth)
        self._voice_lock = threading.Lock()  # one synthesis at a time: the warming thread and speech
        self._player = player
        self.wav_dir = wav_dir
        self._count = 0
        if wav_dir is not None:
            wav_dir.mkdir(parents=True, exist_ok=True)
        self.warming: threading.Thread | None = None
        self._stopping = threading.Event()
        if is_cache_warmed:
            self.warming = threading.Thread(target=self._warm, args=(plan,), name="phrase-cache", daemon=True)
            self.warming.start()

    def _warm(self, plan: CarePlan) -> None:
        from hub.core import phrasebook

        added = 0
        try:
            for text in phrasebook.fixed_phrases(plan):
                if self._stopping.is_set():
                    _LOGGER.info("Stopped filling the phrase cache after %d phrases", added)
                    return
                with self._voice_lock:  # speech waits for one phrase at most
                    added += self._cache.add(text)
        except Exception:  # noqa: BLE001 - a cache that cannot be filled only makes replies slower
            _LOGGER.exception("Filling the phrase cache failed after %d phrases", added)
            return
        _LOGGER.info("Phrase cache ready: %d fixed replies added", added)

    def close(self, timeout_s: float = 60.0) -> None:
        """Stop filling the phrase cache and wait for the phrase in hand.

        The filling thread runs piper (onnxruntime); left running while the interpreter
        exits, it aborted the process (SIGABRT) at every stop.
        """
        self._stopping.set()
        warming = self.warming
        if warming is not None and warming.is_alive():
            warming.join(timeout_s)
            if warming.is_alive():
                _LOGGER.error("The phrase cache is still being filled after %g s; stopping anyway", timeout_s)

    async def say(self, text: str, priority: Priority) -> None:
        print(f"hub ({priority.value}): {text}", flush=True)
        await asyncio.to_thread(self._say, text, priority, 0.8 if priority is Priority.HIGH else 0.6)

    async def say_loud(self, text: str, priority: Priority) -> None:
        """Say an escalated alarm at full volume."""
        print(f"hub ({priority.value}, LOUD): {text}", flush=True)
        await asyncio.to_thread(self._say, text, priority, 1.0)

    def _say(self, text: str, priority: Priority, gain: float) -> None:
        import numpy as np

        from hub.voice.wav import Audio, write_wav

        player = None if self.wav_dir is not None else self._sound_card()
        chunks: list[Audio] = []
        for chunk in self._chunks(text):  # the next sentence is synthesized while this one plays
            chunk = Audio(chunk.samples * gain, chunk.rate_hz)
            if player is not None:
                if chunks:
                    player.wait()
                player.play(chunk.samples, chunk.rate_hz)
            chunks.append(chunk)
        if player is not None:
            player.wait()
        elif chunks and self.wav_dir is not None:
            self._count += 1
            write_wav(self.wav_dir / f"{self._count:05d}-{priority.value}.wav",
                      Audio(np.concatenate([c.samples for c in chunks]), chunks[0].rate_hz))

    def _chunks(self, text: str) -> Iterator[Any]:
        """Yield `text` as audio: the cached phrase whole, else one sentence at a time."""
        speech = self._cache.speak(text)
        while True:
            with self._voice_lock:
                chunk = next(speech, None)
            if chunk is None:
                return
            yield chunk

    def _sound_card(self) -> Any:
        if self._player is None:
            import sounddevice

            self._player = sounddevice
        return self._player


class GatedSpeaker:
    """Wraps a `Speaker` so the microphone is deaf while it speaks (hub.voice.mic.SpeakingGate).

    Without it, the hub would hear its own "is the pump okay?" in a help message as
    a question, or its own alarm's "say okay, I heard you" as an acknowledgement.
    """

    def __init__(self, speaker: Speaker, gate: Any) -> None:
        self.speaker = speaker
        self.gate = gate

    async def say(self, text: str, priority: Priority) -> None:
        with self.gate.speaking():
            await self.speaker.say(text, priority)

    def close(self) -> None:
        close = getattr(self.speaker, "close", None)
        if close is not None:
            close()

    async def say_loud(self, text: str, priority: Priority) -> None:
        speaker = self.speaker
        with self.gate.speaking():
            if isinstance(speaker, LoudSpeaker):
                await speaker.say_loud(text, priority)
            else:
                await speaker.say(text, priority)


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
    """A `Panel` on the hub's GPIO front panel (hub.panel.controls.Panel); its button acknowledges.

    The acknowledge button runs on gpiozero's thread, so it is posted to the event loop.
    """

    def __init__(self, on_acknowledge: Callable[[], None], *, pin_factory: Any = None) -> None:
        from hub.panel.controls import Panel

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
