"""Vosk backend: the preferred recognizer on the device, once its model is installed.

Vosk decodes against the grammar's sentences plus "[unk]", which absorbs speech
outside them. An utterance with any [unk] word, or any word below the confidence
floor (stricter for daily-check answers), or a result that is not one whole grammar
sentence, is rejected.
Recognizers for each grammar are built once and reused (building one compiles the
grammar into a decoding graph).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from hub.voice.asr.base import RecognizerError, Transcript
from hub.voice.asr.confidence import ConfidenceFloors
from hub.voice.asr.grammar import Grammar

_LOGGER = logging.getLogger(__name__)

UNKNOWN = "[unk]"
ENGINE = "vosk"
SAMPLE_RATE = 16000
# Lowest per-word confidence (Kaldi's lattice posterior). 0.6 for questions as before;
# 0.9 for daily-check answers, where a misheard "yes" is the dangerous mistake. Not
# calibrated on English here (the model cannot be downloaded in this sandbox): words
# Vosk decodes correctly against a small grammar come back at or near 1.0 on the
# Korean model's tests, so 0.9 costs few true answers.
DEFAULT_FLOORS = ConfidenceFloors(command=0.6, answer=0.9)


class VoskRecognizer:
    """Recognizes speech with a Vosk (Kaldi) model against template grammars.

    Pass a loaded `vosk.Model` as `model` (tests share one), or a `model_path`.
    `floors` are the lowest per-word confidences accepted, for questions and for answers.
    """

    name = ENGINE

    def __init__(self, *, model: Any = None, model_path: str | Path | None = None,
                 floors: ConfidenceFloors = DEFAULT_FLOORS) -> None:
        import vosk

        vosk.SetLogLevel(-1)
        self._vosk = vosk
        if model is None:
            if model_path is None:
                raise RecognizerError("VoskRecognizer needs a model or a model_path")
            model = self._load(Path(model_path))
        self.model = model
        self.floors = floors
        self.has_unknown_word = self.model.vosk_model_find_word(UNKNOWN) >= 0
        if not self.has_unknown_word:
            _LOGGER.warning("Vosk model has no %s word; rejection relies on confidence alone", UNKNOWN)
        self._recognizers: dict[str, Any] = {}
        self._current: _VoskStream | None = None
        self._usable: dict[str, frozenset[str]] = {}

    def _load(self, path: Path) -> Any:
        if not (path / "am").is_dir() or not (path / "conf").is_dir():
            raise RecognizerError(f"{path}: not a Vosk model folder (no am/ and conf/); "
                                  "run: hub models install vosk-small-en-us")
        try:
            model = self._vosk.Model(str(path))  # a path only: never model_name, which downloads
        except Exception as exc:  # noqa: BLE001 - vosk raises bare Exception on a bad model
            raise RecognizerError(f"{path}: cannot load the Vosk model ({exc})") from None
        _LOGGER.info("Loaded Vosk model from %s", path)
        return model

    def knows(self, word: str) -> bool:
        """Return True when the model's vocabulary has `word`."""
        return bool(self.model.vosk_model_find_word(word) >= 0)

    def usable_sentences(self, grammar: Grammar) -> list[str]:
        """Return the grammar's sentences whose words the model knows.

        Vosk silently drops unknown words from a grammar, which would turn a sentence
        into a different, shorter one; such sentences are left out instead.
        """
        known = {w for w in grammar.words if self.knows(w)}
        missing = grammar.words - known
        if missing:
            _LOGGER.warning("Vosk model lacks %d grammar words (e.g. %s); their sentences are left out",
                            len(missing), sorted(missing)[:5])
        return [s for s in grammar.sentences if all(w in known for w in s.split())]

    def stream(self, grammar: Grammar | None) -> _VoskStream:
        """Start one utterance, first dropping one left unfinished."""
        if self._current is not None and self._current.is_open:
            _LOGGER.warning("The last utterance was never finished; dropping it")
            self._current.abandon()
        self._current = _VoskStream(self, self._recognizer_for(grammar), grammar)
        return self._current

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        stream = self.stream(grammar)
        stream.accept(pcm16)
        return stream.finish()

    def _recognizer_for(self, grammar: Grammar | None) -> Any:
        key = "" if grammar is None else grammar.name
        recognizer = self._recognizers.get(key)
        if recognizer is None:
            if grammar is None:
                recognizer = self._vosk.KaldiRecognizer(self.model, SAMPLE_RATE)
            else:
                sentences = self.usable_sentences(grammar)
                if not sentences:
                    raise RecognizerError(f"grammar {grammar.name}: no sentence uses only words this "
                                          "Vosk model knows; is it an English model?")
                if self.has_unknown_word:
                    sentences.append(UNKNOWN)
                # ensure_ascii=False: Vosk reads the JSON as UTF-8 and does not undo \u escapes.
                phrases = json.dumps(sentences, ensure_ascii=False)
                recognizer = self._vosk.KaldiRecognizer(self.model, SAMPLE_RATE, phrases)
                self._usable[key] = frozenset(s for s in sentences if s != UNKNOWN)
            recognizer.SetWords(True)
            self._recognizers[key] = recognizer
        else:
            recognizer.Reset()
        return recognizer

    def judge(self, result: dict[str, Any], grammar: Grammar | None) -> Transcript:
        """Return the transcript for a Vosk result: accepted only if it is one whole sentence,
        with no [unk] and every word at or above the confidence floor."""
        heard = str(result.get("text", "")).strip()
        words = result.get("result", [])
        confidence = min((float(w.get("conf", 0.0)) for w in words), default=0.0)
        if grammar is None:
            return Transcript(text=heard, is_rejected=not heard, confidence=confidence,
                              engine=ENGINE, heard=heard)
        if not heard:
            return Transcript.rejected(ENGINE, heard, "nothing decoded")
        if UNKNOWN in heard.split():
            return Transcript.rejected(ENGINE, heard, "unknown speech", confidence)
        floor = self.floors.floor_for(grammar.intents)
        if confidence < floor:
            return Transcript.rejected(ENGINE, heard, f"confidence {confidence:.2f} below floor {floor:.2f}",
                                       confidence)
        if heard not in self._usable.get(grammar.name, frozenset()):
            return Transcript.rejected(ENGINE, heard, "not a grammar sentence", confidence)
        return Transcript(text=heard, is_rejected=False, confidence=confidence, engine=ENGINE,
                          heard=heard)


class _VoskStream:
    def __init__(self, owner: VoskRecognizer, recognizer: Any, grammar: Grammar | None) -> None:
        self._owner = owner
        self._recognizer = recognizer
        self._grammar = grammar
        self._results: list[dict[str, Any]] = []
        self.is_open = True

    def abandon(self) -> None:
        """Drop what was heard (a turn that failed part way). The recognizer is kept per
        grammar, and its audio would otherwise be heard as the start of the next turn, a
        half "yes" joined to the next words. (`Reset` does not drop it in vosk 0.3.45;
        a final result does.)"""
        if self.is_open:
            self.is_open = False
            self._recognizer.FinalResult()

    def accept(self, pcm16: bytes) -> None:
        # Vosk ends a segment by itself on a long pause; keep each segment's result.
        if self._recognizer.AcceptWaveform(pcm16):
            self._results.append(json.loads(self._recognizer.Result()))

    def partial(self) -> str:
        """Return the words heard so far in this segment (for display and debugging)."""
        return str(json.loads(self._recognizer.PartialResult()).get("partial", ""))

    def finish(self) -> Transcript:
        self.is_open = False
        self._results.append(json.loads(self._recognizer.FinalResult()))
        filled = [r for r in self._results if str(r.get("text", "")).strip()]
        merged = {"text": " ".join(str(r["text"]).strip() for r in filled),
                  "result": [w for r in filled for w in r.get("result", [])]}
        return self._owner.judge(merged, self._grammar)
