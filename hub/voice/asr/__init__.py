"""Speech recognition: one interface (`Recognizer`), two engines, grammars from the templates.

`open_recognizer` picks the engine the care plan asks for: "auto" means Vosk when its
model is installed, else PocketSphinx, which needs nothing downloaded.
"""

from __future__ import annotations

import logging
from pathlib import Path

from hub.voice.asr.base import Recognizer, RecognizerError, RecognizerStream, Transcript
from hub.voice.asr.grammar import Grammar, GrammarBuilder

_LOGGER = logging.getLogger(__name__)

VOSK_MODEL_NAME = "vosk-small-en-us"

__all__ = ["Grammar", "GrammarBuilder", "Recognizer", "RecognizerError", "RecognizerStream",
           "Transcript", "open_recognizer"]


def open_recognizer(engine: str = "auto", *, models_dir: str | Path | None = None) -> Recognizer:
    """Return a loaded recognizer for `engine` ("auto", "vosk" or "pocketsphinx").

    Load once per process and keep it: models take a second or more to load.
    """
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
        raise RecognizerError(f"unknown ASR engine {engine!r}; use auto, vosk or pocketsphinx")
    from hub.voice.asr.pocketsphinx import PocketSphinxRecognizer

    _LOGGER.info("Using PocketSphinx (bundled US English model)")
    return PocketSphinxRecognizer()
