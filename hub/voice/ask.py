"""`hub ask --wav`: a spoken question in a WAV file, answered as the hub would answer it.

The JSON is the core contract (`Reply.to_json`) plus "transcript", "asr" (engine,
whether rejected and why, the raw hypothesis, confidence, and "snr_db": how far the
words stood above the room, null when there was too little room before them to tell)
and "timings_ms" per stage. A rejected utterance is passed to the assistant as nothing
heard, so the answer is "I didn't catch that" (or, in a loud room, that the noise was
too loud) and never a pump answer.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

from hub.intents.assistant import Assistant
from hub.voice.wav import Audio, read_wav, write_wav
from hub.core.scenario import Scenario
from hub.voice.pipeline import VoicePipeline
from hub.settings import DeviceSettings

_LOGGER = logging.getLogger(__name__)


def ask_wav(args: argparse.Namespace, settings: DeviceSettings, assistant: Assistant,
            scenario: Scenario) -> dict[str, Any]:
    """Return the JSON answer to the question spoken in `args.wav`, writing speech to `args.out`."""
    wav = Path(args.wav)
    out = Path(args.out) if getattr(args, "out", None) else None
    audio = read_wav(wav)  # a bad file is refused before the speech models take seconds to load
    pipeline = VoicePipeline.for_settings(settings, templates=assistant.templates)
    return answer_wav(pipeline, wav, assistant, scenario, out=out, audio=audio)


def answer_wav(pipeline: VoicePipeline, wav: Path, assistant: Assistant, scenario: Scenario,
               *, out: Path | None = None, audio: Audio | None = None) -> dict[str, Any]:
    """Return the JSON answer to one spoken question (in `wav`, or already read as `audio`),
    through an already-loaded pipeline."""
    heard = pipeline.hear(audio if audio is not None else read_wav(wav), assistant.expects)
    transcript = heard.transcript
    timings = dict(heard.timings_ms)
    start = time.perf_counter()
    # Rejected speech goes in as nothing heard: the assistant says it didn't catch that,
    # or that the room was too loud to hear it.
    reply = assistant.ask("" if transcript.is_rejected else transcript.text, scenario.home, scenario.now,
                          is_noisy=heard.is_noisy)
    timings["understanding"] = round((time.perf_counter() - start) * 1000.0, 1)
    spoken = pipeline.speak_all(reply.speech)
    timings["synthesis_first_chunk"] = spoken.first_chunk_ms
    timings["synthesis_total"] = spoken.total_ms
    timings["end_of_speech_to_first_audio"] = round(
        timings["recognition"] + timings["understanding"] + spoken.first_chunk_ms, 1
    ) if "recognition" in timings else round(timings["understanding"] + spoken.first_chunk_ms, 1)
    if out is not None:
        write_wav(out, spoken.audio)
        _LOGGER.info("Wrote the spoken answer to %s", out)
    result = reply.to_json()
    result["transcript"] = transcript.text
    result["asr"] = {"engine": transcript.engine, "is_rejected": transcript.is_rejected,
                     "heard": transcript.heard, "reason": transcript.reason,
                     "confidence": round(transcript.confidence, 3),
                     "snr_db": None if heard.snr_db is None else round(heard.snr_db, 1)}
    result["is_cached_reply"] = spoken.is_cached
    result["timings_ms"] = timings
    return result


def speak_to_wav(settings: DeviceSettings, text: str, out: str | Path) -> None:
    """Write `text` spoken in the settings' voice to a WAV file (for `hub ask TEXT --out` and `hub say`)."""
    from hub.voice.tts import Synthesizer, voice_files

    write_wav(out, Synthesizer(voice_files(settings)).synthesize(text))
