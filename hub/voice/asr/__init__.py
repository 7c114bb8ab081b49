"""Speech recognition: one interface (`Recognizer`), three engines, grammars from the templates.

`open_recognizer` picks the engine the care plan asks for: "auto" means the combination
measured best (hub.voice.asr.combined: the grammar engine first, whisper when it is not
sure or the room is loud); the grammar engine is Vosk when its model is installed, else
PocketSphinx, which needs nothing downloaded. "whisper" alone is free dictation.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path

from hub.voice.asr.base import Recognizer, RecognizerError, RecognizerStream, Transcript
from hub.voice.asr.grammar import Grammar, GrammarBuilder

_LOGGER = logging.getLogger(__name__)

VOSK_MODEL_NAME = "vosk-small-en-us"

__all__ = ["Grammar", "GrammarBuilder", "Recognizer", "RecognizerError", "RecognizerStream",
           "Transcript", "open_recognizer"]


ENGINES = ("auto", "combined", "whisper", "vosk", "pocketsphinx")


def open_recognizer(engine: str = "auto", *, models_dir: str | Path | None = None,
                    understands: Callable[[str, frozenset[str] | None], bool] | None = None) -> Recognizer:
    """Return a loaded recognizer for `engine` (one of `ENGINES`).

    Load once per process and keep it: models take a second or more to load.
    `understands` tells the combined recognizer whether whisper's free text means
    something (hub.voice.understood); by default, an exact template match.
    """
    if engine in ("auto", "combined", "whisper"):
        return _open_with_whisper(engine, models_dir, understands)
    return _open_grammar_engine(engine, models_dir)


def _open_with_whisper(engine: str, models_dir: str | Path | None,
                       understands: Callable[[str, frozenset[str] | None], bool] | None) -> Recognizer:
    from hub.voice.asr.whisper import WhisperRecognizer

    if engine == "auto" and importlib.util.find_spec("faster_whisper") is None:
        _LOGGER.warning("faster-whisper is not installed; using the grammar recognizer alone")
        return _open_grammar_engine("auto", models_dir)
    whisper = WhisperRecognizer()  # a model that fails its SHA-256 check raises, even for "auto"
    if engine == "whisper":
        return whisper
    from hub.voice.asr.combined import CombinedRecognizer

    if understands is None:
        from hub.intents.templates import Templates
        from hub.voice.understood import understands_with

        understands = understands_with(Templates())
    return CombinedRecognizer(grammar_engine=_open_grammar_engine("auto", models_dir), free_engine=whisper,
                              understands=understands)


def _open_grammar_engine(engine: str, models_dir: str | Path | None) -> Recognizer:
    from hub.voice.model_store import ModelStore

    store = ModelStore(models_dir)
    vosk_path = store.path(VOSK_MODEL_NAME)
    has_vosk = store.is_installed(VOSK_MODEL_NAME)
    if engine == "vosk" or (engine == "auto" and has_vosk):
        if not has_vosk:
            raise RecognizerError(f"{vosk_path}: Vosk model not installed; run: hub models install "
                                  f"{VOSK_MODEL_NAME} (or set voice.asr_engine = \"pocketsphinx\")")
        from hub.voice.asr.vosk import VoskRecognizer

        _LOGGER.info("Using Vosk with %s", vosk_path)
        return VoskRecognizer(model_path=vosk_path)
    if engine not in ("auto", "pocketsphinx"):
        raise RecognizerError(f"unknown ASR engine {engine!r}; use {', '.join(ENGINES)}")
    from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer

    _LOGGER.info("Using PocketSphinx (bundled US English model)")
    return PocketSphinxRecognizer()
