"""PocketSphinx backend: the recognizer that works with nothing downloaded.

The PyPI wheel ships a US English acoustic model, dictionary and language model.
Each grammar is decoded as JSGF; beside it, a second decoder hears the same audio as a
free loop of phones, which fits any speech. The gap between the two scores is the confidence
(`hub.voice.asr.confidence`): speech outside the grammar is forced onto the nearest sentence
but scores far below the phone loop, and is rejected ("is the pump heavy" must not
become "is the pump okay"). How each setting was measured is in bench/RESULTS.md,
"PocketSphinx calibration history, moved from the code".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from hub.voice.asr.base import RecognizerError, Transcript
from hub.voice.asr.confidence import ConfidenceFloors, is_answer_grammar
from hub.voice.asr.grammar import Grammar
from hub.voice.asr.sphinx_decoder import SphinxDecoder, WarpState, config_of, load_decoder
from hub.voice.asr.sphinx_stream import ENGINE, GARBAGE_PREFIX, PHONE_LOOP, PocketSphinxStream
from hub.voice.snr import speech_over_room_db

_LOGGER = logging.getLogger(__name__)

# The 39 phones of the CMU dictionary the bundled model is trained on.
CMU_PHONES = (
    "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY",
    "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y",
    "Z", "ZH",
)
# Pronunciations for template words missing from cmudict-en-us.
EXTRA_PRONUNCIATIONS = {
    "pacc": "P AE K",
    "hows": "HH AW Z",
}

# Strict enough that no out-of-domain sentence and no non-answer was taken in calibration;
# answers stricter, since a false "yes" is the mistake that says all is well.
DEFAULT_FLOORS = ConfidenceFloors(command=0.40, answer=0.46)
# A child's formants sit about 1.3-1.5 times higher than the adult voices the model learned
# from: a question rejected as heard is decoded once more with the frequency axis compressed
# by this factor (PocketSphinx's inverse-linear vocal tract length warp). Only as a second
# pass: as the setting it costs the adult voice more than it wins.
CHILD_WARP = 1.3
# The warped pass runs only in a quiet room (the loud tenth of the recording this far over
# its quiet tenth, hub.voice.snr.speech_over_room_db): in noise it took other talk as questions.
QUIET_SNR_DB = 33.0
# What the warped pass hears must clear the question floor by this much: its near misses
# scored just over the floor.
WARPED_MARGIN = 0.05


@dataclass(frozen=True)
class PocketSphinxSettings:
    """How PocketSphinx decodes; the defaults are what the hub runs with.

    `floors` are the confidences below which an utterance is rejected (stricter for
    daily-check answers). `garbage_weight`, when set, adds a garbage loop of
    `garbage_phones` to each grammar with that JSGF weight against 1.0 for the grammar (off:
    it made decoding three to ten times slower). `beam` is PocketSphinx's default: narrower
    beams leave a short "yes" unfinished, and it is rejected. `wbeam` decides how many word
    ends go into the lattice for the best-path pass, most of the wait for an answer; 1e-22
    is as fast as it gets before short answers are heard differently. `bestpath=False`
    turns the best-path pass off for answers too, `question_bestpath=True` back on for
    questions (`PocketSphinxRecognizer.has_lattice_pass`). With no lattice to keep small,
    questions search with the wider `question_wbeam`, or with `wbeam` when it is None.
    `child_warp` None turns the child-warped second pass off. `max_decode_s` (plus the
    audio's duration) bounds decoding a whole recording.
    """

    model_dir: Path | None = None
    floors: ConfidenceFloors = DEFAULT_FLOORS
    garbage_weight: float | None = None
    garbage_phones: tuple[str, ...] = CMU_PHONES
    beam: float = 1e-40
    wbeam: float = 1e-22
    max_decode_s: float = 1.5
    bestpath: bool = True
    question_bestpath: bool = False
    question_wbeam: float | None = 1e-30
    child_warp: float | None = CHILD_WARP


DEFAULT_SETTINGS = PocketSphinxSettings()


class PocketSphinxRecognizer:
    """Recognizes speech with PocketSphinx against template grammars, rejecting the rest.

    The phone loop runs on a second decoder (the acoustic model without a dictionary), fed
    the same audio as it arrives, so after the end of speech only its last step is left. It
    starts each utterance from the grammar decoder's cepstral mean, so both score the same
    features. With an injected `decoder` and no `phone_decoder`, the phone loop runs on
    `decoder` after the grammar search.
    """

    name = ENGINE
    # PocketSphinx keeps the warp in C statics shared by every decoder in the process, so
    # every recognizer shares this one record of it.
    _warp: ClassVar[WarpState] = WarpState()

    def __init__(self, settings: PocketSphinxSettings = DEFAULT_SETTINGS, *, decoder: SphinxDecoder | None = None,
                 phone_decoder: SphinxDecoder | None = None) -> None:
        self._settings = settings
        if decoder is None:
            decoder = load_decoder(settings.model_dir, beam=settings.beam, wbeam=settings.wbeam, has_lm=False,
                                   bestpath=settings.bestpath)
            if phone_decoder is None:
                phone_decoder = load_decoder(settings.model_dir, beam=settings.beam, wbeam=settings.wbeam,
                                             has_lm=False, has_dict=False)
        self._decoder = decoder
        self._phones = phone_decoder
        self._dictation: SphinxDecoder | None = None
        self._current: PocketSphinxStream | None = None
        self._searches: dict[str, str] = {}
        for word, phones in EXTRA_PRONUNCIATIONS.items():
            if self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, phones, False)
        for phone in settings.garbage_phones:
            self._decoder.add_word(GARBAGE_PREFIX + phone.lower(), phone, False)
        # Uniform phone probabilities: with the bundled phone n-gram the gap stopped separating.
        self._decoder.add_allphone_file(PHONE_LOOP, None)
        if self._phones is not None:
            self._phones.add_allphone_file(PHONE_LOOP, None)
            self._phones.activate_search(PHONE_LOOP)

    @property
    def settings(self) -> PocketSphinxSettings:
        """How this recognizer decodes; fixed once its decoders are loaded."""
        return self._settings

    @property
    def floors(self) -> ConfidenceFloors:
        return self._settings.floors

    def stream(self, grammar: Grammar | None) -> PocketSphinxStream:
        """Start decoding one utterance. A stream left unfinished (its turn failed part
        way) is ended first: its utterance would otherwise stay open, and every later
        turn would fail ("Unable to set search"), leaving the hub deaf for good."""
        if self._current is not None and self._current.is_open:
            _LOGGER.warning("The last utterance was never finished; ending it")
            self._current.abandon()
        if grammar is None:
            self._current = PocketSphinxStream(self._dictation_decoder(), None, self.floors)
            return self._current
        self._decoder.activate_search(self._search_for(grammar))
        self._current = PocketSphinxStream(self._decoder, grammar, self.floors, self._phones)
        return self._current

    def _dictation_decoder(self) -> SphinxDecoder:
        """The bundled n-gram LM with default beams, loaded on first use: free dictation is
        only for comparison in the benchmark, never for answering."""
        if self._dictation is None:
            self._dictation = load_decoder(self._settings.model_dir, beam=1e-48, wbeam=7e-29, has_lm=True)
        return self._dictation

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        """Decode a whole utterance, starting from its own cepstral mean (a live stream
        adapts the mean from one utterance to the next), within a time budget of
        `max_decode_s` plus the audio's duration. A rejected question in a quiet room is
        decoded once more with the voice warped as a child's (`child_warp`).

        Not exactly repeatable: the running mean still carries a little of the utterance
        before, so a recording's confidence varies slightly with what was decoded first."""
        if len(pcm16) < 2:  # the binding fails on an empty buffer
            return Transcript.rejected(ENGINE, "", "no audio")
        transcript = self._decode_whole(pcm16, grammar)
        if transcript.is_rejected and grammar is not None and self._may_warp(grammar) and self._is_quiet(pcm16):
            warped = self._decode_warped(pcm16, grammar)
            if not warped.is_rejected and warped.confidence >= self.floors.floor_for(grammar.intents) + WARPED_MARGIN:
                _LOGGER.info("Heard %r only with the voice warped as a child's (%.2f)", warped.text,
                             warped.confidence)
                return warped
        return transcript

    def _decode_whole(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        stream = self.stream(grammar)
        stream.accept_whole(pcm16, budget_s=self._settings.max_decode_s + len(pcm16) / 32000.0)
        return stream.finish()

    def _may_warp(self, grammar: Grammar) -> bool:
        """A second, child-warped pass is for questions only: a daily-check answer or an
        acknowledgement rejected stays rejected, so there is no second chance for a false
        "yes" (the same rule as the daemon's whole-recording retry)."""
        return (self._settings.child_warp is not None and not is_answer_grammar(grammar.intents)
                and config_of(self._decoder) is not None)

    @staticmethod
    def _is_quiet(pcm16: bytes) -> bool:
        """True when the loud tenth of the recording stands `QUIET_SNR_DB` over its quiet tenth."""
        samples = np.frombuffer(pcm16[: len(pcm16) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
        snr = speech_over_room_db(samples)
        return snr is not None and snr >= QUIET_SNR_DB

    def _decode_warped(self, pcm16: bytes, grammar: Grammar) -> Transcript:
        """Decode with the vocal tract warped by `child_warp`, then put the features and
        the running cepstral mean back as they were, so the next live turn is unchanged."""
        decoders = [d for d in (self._decoder, self._phones) if d is not None]
        means = [d.get_cmn(False) for d in decoders]
        try:
            for decoder in decoders:
                self._warp.set(decoder, self._settings.child_warp)
            return self._decode_whole(pcm16, grammar)
        finally:
            for decoder, mean in zip(decoders, means, strict=True):
                self._warp.set(decoder, None)
                decoder.set_cmn(mean)

    def _search_for(self, grammar: Grammar) -> str:
        search = self._searches.get(grammar.name)
        if search is None:
            search = f"g{len(self._searches)}"
            self._add_words(grammar)
            jsgf = grammar.jsgf if self._settings.garbage_weight is None else self.jsgf_with_garbage(grammar)
            overrides: dict[str, Any] = {"bestpath": self.has_lattice_pass(grammar)}
            if self._settings.question_wbeam is not None and not is_answer_grammar(grammar.intents):
                overrides["wbeam"] = self._settings.question_wbeam
            self._add_search(search, jsgf, overrides)
            self._searches[grammar.name] = search
        return search

    def has_lattice_pass(self, grammar: Grammar) -> bool:
        """Whether this grammar's utterances end with PocketSphinx's best-path pass over
        the word lattice: for answers (a "yes", an acknowledgement), not for questions.

        The pass is most of the wait after the end of a question, and questions are heard
        as well without it. A bare "yes" needs it to score above the answer floor, and an
        answer grammar's lattice is small, so it is fast."""
        return self._settings.bestpath and (self._settings.question_bestpath or is_answer_grammar(grammar.intents))

    def _add_search(self, search: str, jsgf: str, overrides: dict[str, Any]) -> None:
        """Add the JSGF search with these decoder configuration `overrides`: PocketSphinx reads
        the best-path and word-beam settings from the configuration when a search is made."""
        config = config_of(self._decoder)
        if config is None:  # an injected stand-in decoder
            self._decoder.add_jsgf_string(search, jsgf)
            return
        before = {key: config[key] for key in overrides}
        for key, value in overrides.items():
            config[key] = value
        try:
            self._decoder.add_jsgf_string(search, jsgf)
        finally:
            for key, value in before.items():
                config[key] = value

    def _add_words(self, grammar: Grammar) -> None:
        missing = [w for w in grammar.words if self._decoder.lookup_word(w) is None]
        if missing:
            raise RecognizerError(f"grammar {grammar.name}: no pronunciation for {sorted(missing)}; "
                                  "add them to EXTRA_PRONUNCIATIONS")

    def jsgf_with_garbage(self, grammar: Grammar) -> str:
        """Return the grammar's JSGF with a garbage loop competing against every sentence."""
        fillers = [GARBAGE_PREFIX + p.lower() for p in self._settings.garbage_phones]
        body = grammar.jsgf.replace("public <command>", "<command>", 1)
        return (body
                + f"<garbage_unit> = {' | '.join(fillers)};\n"
                + "<garbage> = <garbage_unit>+;\n"
                + f"public <utterance> = /1.0/ <command> | /{self._settings.garbage_weight or 1e-3:g}/ <garbage>;\n")
