"""Spoken input for the daemon: the microphone, woken by the wake phrase or the talk button.

`VoiceInput` runs on its own thread, because PortAudio and the decoders block, and
hands each utterance to a callback as text; a rejected one arrives as "" so the hub
says it did not catch that rather than guess. It never answers anything itself.

Three ways a turn starts:
- the wake phrase (settings voice.wake_phrase), spotted offline;
- the push-to-talk button, held down;
- a follow-up: for `follow_up_s` after the hub stops speaking, when it has just asked
  for something (a daily-check answer, or "okay, I heard you" to an alarm), that
  answer needs no wake phrase, and only that answer is listened for. Later than that,
  or when nothing was asked, stray speech (a television) is ignored.

What is not understood is answered ("I didn't catch that") only when someone surely
spoke to the hub: the button was held, or the daily check waits for an answer. After a
wake phrase it is dropped in silence, because the spotter also wakes on ordinary talk
(bench/RESULTS.md: hundreds of false wakes an hour), and a hub that said "I didn't catch
that" to every one would be switched off; so is unclear talk after an alarm.

The microphone is deaf while the hub speaks: the speaker holds the shared
`SpeakingGate` (hub.daemon.annunciators.GatedSpeaker), so the hub never answers itself.
A microphone that cannot be opened or goes silent is reported through `on_trouble`
(a technical alarm in the service) and retried; it never stops the daemon.
"""

from __future__ import annotations

import enum
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import numpy as np

from hub.voice.asr import RecognizerStream, Transcript
from hub.voice.dsp import SPEECH_RATE, dither
from hub.voice.endpoint import SPEECH_LEAD_MS, Endpointer
from hub.voice.snr import snr_db
from hub.voice.wav import Audio
from hub.errors import DeviceError
from hub.voice.mic import Microphone, SpeakingGate
from hub.voice.pipeline import Heard, VoicePipeline, doubt_a_loud_yes

_LOGGER = logging.getLogger(__name__)

QUESTION_START_S = 5.0  # after a wake or a press: how long the question may take to begin
QUESTION_MAX_S = 10.0  # the longest question; then it is cut and recognized as it is
FOLLOW_UP_S = 8.0  # after the hub asks: how long an answer needs no wake phrase
LEAD_BLOCKS = SPEECH_LEAD_MS // Endpointer.FRAME_MS  # the room kept before the first word, in 30 ms blocks
RETRY_S = 5.0  # between attempts to reopen a lost microphone
ANSWER_WAIT_S = 5.0  # the hub answers everything it hears; this long at most is waited for it
_BYTES_PER_S = SPEECH_RATE * 2
_FRAME_BYTES = SPEECH_RATE * Endpointer.FRAME_MS // 1000 * 2  # the endpointer's 30 ms frames
_SILENT_POWER = 8.0**2  # a block quieter than this (RMS of 8 in 16 bits, -72 dBFS) is digital silence


class Start(str, enum.Enum):
    """How a turn began."""

    WAKE = "wake"
    BUTTON = "button"
    FOLLOW_UP = "follow-up"


class Pressable(Protocol):
    """A push-to-talk button (hub.voice.wake.PushToTalk, or the simulated microphone's)."""

    @property
    def is_pressed(self) -> bool: ...


class Spotter(Protocol):
    """A wake phrase spotter (hub.voice.wake.WakeWordSpotter)."""

    def process(self, pcm16: bytes) -> bool: ...

    def reset(self) -> None: ...


class VoiceInput:
    """The daemon's microphone loop; `run` blocks, so start it on a thread.

    `expects` returns what the dialogue waits for (None: any question), read at each
    turn so the grammar is as narrow as the moment allows. `awaited` returns what the
    hub has just asked for, heard without the wake phrase (default: `expects`).
    `mic_backend` is the sounddevice module or a stand-in (tests, `hub serve --listen-wav`).
    """

    def __init__(self, pipeline: VoicePipeline, *, expects: Callable[[], frozenset[str] | None],
                 gate: SpeakingGate, awaited: Callable[[], frozenset[str] | None] | None = None,
                 spotter: Spotter | None = None, button: Pressable | None = None,
                 device: int | str | None = None, tail_ms: int = 300, follow_up_s: float = FOLLOW_UP_S,
                 mic_backend: Any = None, retry_s: float = RETRY_S) -> None:
        self.pipeline = pipeline
        self.expects = expects
        self.awaited = awaited or expects
        self.gate = gate
        self.spotter = spotter
        self.button = button
        self.device = device
        self.tail_ms = tail_ms
        self.follow_up_s = follow_up_s
        self.retry_s = retry_s
        self.answer_wait_s = ANSWER_WAIT_S
        self._mic_backend = mic_backend

    def run(self, on_heard: Callable[[str, bool], None], stop: threading.Event,
            on_trouble: Callable[[str | None], None] = lambda reason: None) -> None:
        """Listen until `stop` is set: each utterance goes to `on_heard(text, is_noisy)` (its
        text, "" when not understood, and whether the room was too loud); microphone trouble (a reason,
        then None once it works again) to `on_trouble`."""
        is_troubled = False

        def flowing(blocks: Iterator[bytes]) -> Iterator[bytes]:
            """Pass blocks on; the trouble is over only once audio really flows again."""
            nonlocal is_troubled
            for block in blocks:
                if is_troubled:
                    is_troubled = False
                    _LOGGER.info("The microphone works again")
                    on_trouble(None)
                yield block

        while not stop.is_set():
            try:
                with Microphone(self.device, backend=self._mic_backend, gate=self.gate) as mic:
                    blocks = flowing(mic.blocks())
                    while not stop.is_set():
                        heard = self.hear_turn(blocks, stop)
                        if heard is not None:
                            spoken = self.gate.times_spoken
                            text = "" if heard.transcript.is_rejected else heard.transcript.text
                            on_heard(text, heard.is_noisy)
                            self._await_answer(spoken, stop)
            except DeviceError as exc:
                reason = str(exc)
            except Exception as exc:  # noqa: BLE001 - a bug in listening must not silence the daemon
                _LOGGER.exception("The microphone loop failed")
                reason = f"the microphone loop failed ({exc})"
            else:
                return
            if not is_troubled:
                _LOGGER.error("Cannot listen: %s; retrying every %.0f s", reason, self.retry_s)
                is_troubled = True
                on_trouble(reason)
            stop.wait(self.retry_s)

    def warm_up(self, *expectations: frozenset[str] | None) -> None:
        """Build and load the grammars for these expectations now, so the first answer is not slow."""
        quiet = Audio(dither(np.zeros(SPEECH_RATE // 2, dtype=np.float32)), SPEECH_RATE).to_pcm16()
        for expects in expectations:
            self.pipeline.recognizer.recognize(quiet, self.pipeline.grammars.grammar(expects))

    def listen_once(self, blocks: Iterator[bytes], stop: threading.Event | None = None) -> str | None:
        """Wait for a turn and return what was said ("" when not understood), or None when
        nobody spoke in a follow-up window or `stop` was set."""
        heard = self.hear_turn(blocks, stop)
        if heard is None:
            return None
        return "" if heard.transcript.is_rejected else heard.transcript.text

    def hear_turn(self, blocks: Iterator[bytes], stop: threading.Event | None = None) -> Heard | None:
        """Wait for a turn and return its transcript with timings (rejected when not understood),
        or None when nobody spoke in a follow-up window or `stop` was set."""
        started = self.wait_for_turn(blocks, stop)
        if started is None:
            return None
        how, first = started
        window_s = max(0.5, self.follow_up_s - self.gate.quiet_for_s) if how is Start.FOLLOW_UP \
            else QUESTION_START_S
        expects = self.expects()
        heard = self.stream_turn(blocks, first, self.awaited() if how is Start.FOLLOW_UP else expects,
                                 start_within_s=window_s)
        if heard is None:
            if how is not Start.BUTTON:
                return None
            _LOGGER.info("Talk button pressed, but nothing was said")
            return Heard(Transcript.rejected(self.pipeline.recognizer.name, "", "nothing said after the press"))
        transcript = heard.transcript
        _LOGGER.info("Turn (%s): %s, %.0f ms after the end of speech%s", how.value,
                     f"rejected ({transcript.reason})" if transcript.is_rejected else repr(transcript.text),
                     heard.timings_ms["recognition_after_speech"],
                     f"; {transcript.speech_after_ms} ms more was said after it" if transcript.speech_after_ms else "")
        if transcript.is_rejected and not (how is Start.BUTTON or (how is Start.FOLLOW_UP and expects)):
            return None  # not surely spoken to the hub (see the module docstring): no reply
        return heard

    def wait_for_turn(self, blocks: Iterator[bytes], stop: threading.Event | None = None
                      ) -> tuple[Start, bytes] | None:
        """Return how the next turn starts and the block that started it; None when stopped."""
        for block in blocks:
            if stop is not None and stop.is_set():
                return None
            if self._is_follow_up():
                self._reset_spotter()
                return Start.FOLLOW_UP, block
            if self.button is not None and self.button.is_pressed:
                self._reset_spotter()
                return Start.BUTTON, b""
            if self.spotter is not None and self.spotter.process(block):
                self._reset_spotter()
                return Start.WAKE, b""
        return None

    def stream_turn(self, blocks: Iterator[bytes], first: bytes, expects: frozenset[str] | None, *,
                    start_within_s: float) -> Heard | None:
        """Recognize one utterance while it is spoken, against the grammar for `expects`; return
        it once the endpointer says it ended, or None when no speech began within
        `start_within_s` (counted in audio, so a fast stand-in microphone agrees).

        Decoding as the words arrive (the confidence check's phone loop too) leaves only
        the search's last step for after the end of speech: 78-86 ms p50 after it
        (bench/RESULTS.md) against about 300 ms for the whole recording; on 51 piper
        questions decoded both ways, 46 against 47 right clean, 37 against 38 in pink
        noise at 10 dB, 49 and 49 in hum.

        A rejected question is decoded once more as a whole recording, normalized by its
        own loudness: the stream normalizes by the utterances before it, so the first of a
        session can fail on that alone (a clear "who do I call?" scored 0.33). Answers and
        acknowledgements get no second try: a second decode is a second chance for a false
        "yes" (bench/calibrate.py: file mode and streaming let different ones through)."""
        endpointer = Endpointer(tail_ms=self.tail_ms)
        grammar = self.pipeline.grammars.grammar(expects)
        lead: deque[bytes] = deque(maxlen=LEAD_BLOCKS)
        stream: RecognizerStream | None = None
        said = bytearray()
        heard_s = 0.0
        fed = room = 0  # bytes fed to the endpointer; of what is said, bytes of room before the words
        for block in itertools.chain([first] if first else [], blocks):
            block = _audible(block)
            heard_s += len(block) / _BYTES_PER_S
            fed += len(block)
            has_ended = endpointer.feed(block)
            if stream is None:
                lead.append(block)
                if endpointer.start_frame is not None:  # speech began: decode from just before it
                    kept = sum(len(b) for b in lead)
                    room = max(0, min(kept, endpointer.start_frame * _FRAME_BYTES - (fed - kept)))
                    stream = self.pipeline.recognizer.stream(grammar)
                    for earlier in lead:
                        stream.accept(earlier)
                        said += earlier
            elif endpointer.start_frame is None:  # only a click or a cough: wait for speech again
                getattr(stream, "abandon", stream.finish)()  # no decode (whisper's would cost ~0.5 s)
                stream = None
                said.clear()
                lead.clear()
            else:
                stream.accept(block)
                said += block
            if has_ended:
                break
            if stream is None and heard_s > start_within_s:
                return None
            if heard_s > start_within_s + QUESTION_MAX_S:
                _LOGGER.info("Cut what was said after %.0f s", heard_s)
                break
        if stream is None:
            return None
        started = time.perf_counter()
        transcript = stream.finish()
        if transcript.is_rejected and expects is None:  # a question, never a "yes" or an acknowledgement
            streamed = transcript
            transcript = self.pipeline.recognizer.recognize(bytes(said), grammar)
            _LOGGER.debug("Stream rejected %r (%s); as a whole recording: %r", streamed.heard, streamed.reason,
                          transcript.heard)
        samples = np.frombuffer(bytes(said), dtype="<i2").astype(np.float32) / 32768.0
        level = snr_db(samples, room // 2)
        transcript = doubt_a_loud_yes(self.pipeline.grammars.templates, transcript, samples, expects,
                                      lead_db=level)
        return Heard(transcript, {"endpoint_tail": float(self.tail_ms),
                                  "recognition_after_speech": round((time.perf_counter() - started) * 1000, 1)},
                     level)

    def _await_answer(self, spoken: int, stop: threading.Event) -> None:
        """Wait until the hub starts answering (or `answer_wait_s` passes), so the next turn
        sees what the dialogue expects after this answer, not before it."""
        deadline = time.monotonic() + self.answer_wait_s
        while self.gate.times_spoken == spoken and time.monotonic() < deadline and not stop.wait(0.02):
            pass

    def _is_follow_up(self) -> bool:
        return self.awaited() is not None and self.gate.quiet_for_s < self.follow_up_s

    def _reset_spotter(self) -> None:
        if self.spotter is not None:
            self.spotter.reset()


def _audible(block: bytes) -> bytes:
    """Return `block` with faint noise added when it is digital silence (a muted or gated
    input, the quiet in a recording): near-zero samples break the recognizer's feature
    normalization, and measured, a "yes" followed by them was heard as "yes it"."""
    samples = np.frombuffer(block, dtype="<i2")
    if np.mean(samples.astype(np.float32) ** 2) > _SILENT_POWER:
        return block
    return Audio(dither(samples.astype(np.float32) / 32768.0), SPEECH_RATE).to_pcm16()
