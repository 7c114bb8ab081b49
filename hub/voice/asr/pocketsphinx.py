"""PocketSphinx backend: the recognizer that works with nothing downloaded.

The PyPI wheel ships a US English acoustic model, dictionary and language model.
Each grammar is decoded as JSGF; beside it, a second decoder hears the same audio as a
free loop of phones, which fits any speech. The gap between the two scores is the confidence
(`hub.voice.asr.confidence`): speech outside the grammar is forced onto the nearest sentence
but scores far below the phone loop, and is rejected ("is the pump heavy" must not
become "is the pump okay"). An optional garbage loop inside the grammar is kept for
comparison; it is off by default because it made decoding three to ten times slower.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from hub.voice.asr.base import RecognizerError, Transcript
from hub.voice.asr.confidence import ConfidenceFloors, confidence_from_gap, gap_per_frame, is_answer_grammar
from hub.voice.asr.grammar import Grammar
from hub.voice.asr.trailing import speech_frames_after
from hub.voice.snr import speech_over_room_db

_LOGGER = logging.getLogger(__name__)

# The 39 phones of the CMU dictionary the bundled model is trained on.
CMU_PHONES = (
    "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY",
    "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y",
    "Z", "ZH",
)
GARBAGE_PREFIX = "gb_"
# Pronunciations for template words missing from cmudict-en-us.
EXTRA_PRONUNCIATIONS = {
    "pacc": "P AE K",
    "hows": "HH AW Z",
}
ENGINE = "pocketsphinx"
NBEST_LIMIT = 20  # how far down the n-best list to look for a whole sentence
PHONE_LOOP = "phone_loop"
LEAD_FRAMES = 30  # the endpointer's 300 ms before the first word, as the floors were calibrated

# Floors, calibrated on piper speech (en_US-joe-medium, random noise on, three speeds),
# cut by webrtcvad as in use. Confidence 0.44 is a gap of 8.2 log units per frame below
# the phone loop, 0.46 of 7.8 (hub.voice.asr.confidence). Measured 2026-11-27 on a calibration
# set (other seeds and sentences than bench/voice.py's):
# - questions, full grammar (24 template sentences, 40 out-of-domain household
#   sentences): at a gap floor of -8, 83 % of clean questions accepted and right and 0
#   of 40 out-of-domain accepted; at -9, 88 % and 2 of 40: "is the pump broken" heard as
#   "is the pump working" at 0.420 and "is the pump dead" as "is the pump good" at
#   0.422 (0.425 and 0.433 in a benchmark run; 0.477 for "dead" in another, which got
#   through: one word apart, they score where real questions do). With no floor, 22 of
#   40 were accepted. At 10 dB, -8: 42 % right, 3 of 40 out-of-domain.
# - answers, narrow grammar (all 74 Yes/No/NotSure/Repeat/Stop sentences, and 70
#   out-of-domain sentences, paraphrases and questions said instead of an answer), clean,
#   10 and 5 dB: between -7 and -8, 89-90 / 49 / 39-41 % of answers right, and none of
#   the 210 non-answers and no "no" taken as a "yes"; with no floor, 30 of the 210 were
#   taken as a "yes" ("is the pump broken" as "it looks good"); at -10 one got through at
#   5 dB. A floor of 0.50 (gap -6.9) rejects a clear "yes" (piper's "Yes." scores 0.48).
# A grammar decoded with language weight 1.0 instead of the default 6.5 took more clean
# questions (96 % at 5 % out-of-domain) but let "can my son have a bath" at 10 dB through
# as "sure" with a score above the phone loop: not used.
# Questions, recalibrated 2026-11-28 once they were decoded without the lattice pass
# and with the wider word beam (bench/calibrate.py, streamed and --file-mode; "is the
# pump broken / dead" had become questions of the grammar, and the near misses "is the
# bike pump broken" and "is the pump clean" had taken their place): the Viterbi path
# scores a little lower than the lattice's best path ("who do i call", piper with its
# noise off, 0.44 against 0.53). The rule above chose 0.39 streamed and 0.38 in file
# mode; at 0.40, 50/50, 24/50 and 14/50 questions right streamed at clean, 10 and 5 dB
# (22 and 13 in file mode) and 0 of 40 out-of-domain accepted (1 of 40 at 5 dB in file
# mode). Answers are decoded as before and keep their floor.
DEFAULT_FLOORS = ConfidenceFloors(command=0.40, answer=0.46)
# A child's voice: its formants sit about 1.3-1.5 times higher than the adult voices the
# bundled model learned from. A question rejected as heard is decoded once more with the
# frequency axis compressed by this factor (PocketSphinx's inverse-linear vocal tract
# length warp). Measured on piper's voice shifted up as a stand-in for a child
# (bench/child_voice.py, 2026-11-28): shifted by 1.45, 40 of 68 in-domain sentences
# right unwarped and 56 with this warp; for the adult voice the warp alone costs 65 ->
# 57 of 68, which is why it is a second pass for rejected questions, not the setting.
# In noise the second pass took other talk as questions (white, pink and babble at
# 10 dB, babble at 20 dB: 1-3 more out-of-domain accepts, paraphrases heard as other
# intents or wrong intents per condition, of 106 sentences), so it runs only
# in a quiet room: when the loud tenth of the recording stands `QUIET_SNR_DB` over its
# quiet tenth (hub.voice.snr.speech_over_room_db). Measured on the benchmark's sentences as
# the endpointer cuts them: quiet room 38.7-49.1 dB, babble at 20 dB 17.9-31.4 dB, white,
# pink and hum at 20 dB 17.2-26.5 dB.
# What the warped pass hears must clear the question floor by `WARPED_MARGIN`: near
# misses it took for the adult voice in a quiet room scored 0.41-0.43 ("is the pump
# clean", "is the bike pump broken"), while 10 of the 13 questions it won back for the
# shifted voice scored 0.45 or more.
CHILD_WARP = 1.3
QUIET_SNR_DB = 33.0
WARPED_MARGIN = 0.05


class PocketSphinxRecognizer:
    """Recognizes speech with PocketSphinx against template grammars, rejecting the rest.

    `floors` are the confidences below which an utterance is rejected (stricter for
    daily-check answers). `garbage_weight`, when set, adds a garbage loop to each
    grammar with that JSGF weight against 1.0 for the grammar. Beams are PocketSphinx's
    defaults: narrower beams decode faster but leave short answers ("yes") as unfinished
    partial paths, which are rejected, so they cost accuracy. The word-exit beam
    `wbeam` is narrowed from 1e-25 to 1e-22: it decides how many word ends go into the
    lattice that the best-path pass searches after the end of speech, the largest part
    of the wait for an answer (about 110 ms p50 at 1e-25, 65 ms at 1e-22; measured
    2026-11-27, bench/RESULTS.md). Narrower still is faster (24 ms at 1e-15) but changes
    what short answers are heard as: piper's "No." became "no" at 0.30 instead of "nope"
    at 0.66, depending on what was decoded before it. At 1e-22 the calibration set
    (bench/calibrate.py --wbeam 1e-22) scored as at 1e-25, within run-to-run spread.
    Questions skip the best-path pass altogether (`has_lattice_pass`); `bestpath=False`
    turns it off for answers too, `question_bestpath=True` back on for questions. With
    no lattice to keep small, questions search with a wider word beam, `question_wbeam`
    (1e-30): at 1e-22 and 1e-25 the word end of "let's" was pruned before "start", and
    "let's start the check" decoded to nothing in most tries (4 of 4 right at 1e-30).

    The phone loop runs on a second decoder (the acoustic model without a dictionary,
    about 6 MB) fed the same audio as it arrives, so after the end of speech only its
    last step is left: about 1 ms instead of the 47 ms p50 of decoding the utterance
    again (bench/RESULTS.md). It starts each utterance from the grammar decoder's
    cepstral mean, so both score the same features. With an injected `decoder` and no
    `phone_decoder`, the phone loop runs on `decoder` after the grammar search.
    """

    name = ENGINE

    def __init__(
        self,
        *,
        decoder: Any = None,
        model_dir: str | Path | None = None,
        floors: ConfidenceFloors = DEFAULT_FLOORS,
        garbage_weight: float | None = None,
        garbage_phones: tuple[str, ...] = CMU_PHONES,
        beam: float = 1e-40,
        wbeam: float = 1e-22,
        max_decode_s: float = 1.5,
        phone_decoder: Any = None,
        bestpath: bool = True,
        question_bestpath: bool = False,
        question_wbeam: float | None = 1e-30,
        child_warp: float | None = CHILD_WARP,
    ) -> None:
        self.floors = floors
        self.child_warp = child_warp
        self.bestpath = bestpath
        self.question_bestpath = question_bestpath
        self.question_wbeam = question_wbeam
        self.garbage_weight = garbage_weight
        self.garbage_phones = garbage_phones
        self.max_decode_s = max_decode_s
        self._model_dir = model_dir
        if decoder is None:
            decoder = self._load(model_dir, beam=beam, wbeam=wbeam, has_lm=False, bestpath=bestpath)
            if phone_decoder is None:
                phone_decoder = self._load(model_dir, beam=beam, wbeam=wbeam, has_lm=False, has_dict=False)
        self._decoder = decoder
        self._phones = phone_decoder
        self._dictation: Any = None
        self._current: _PocketSphinxStream | None = None
        self._searches: dict[str, str] = {}
        for word, phones in EXTRA_PRONUNCIATIONS.items():
            if self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, phones, False)
        for phone in self.garbage_phones:
            self._decoder.add_word(GARBAGE_PREFIX + phone.lower(), phone, False)
        # Uniform phone probabilities: the bundled phone n-gram made the loop fit
        # grammar sentences *worse* than the grammar did, so the gap stopped separating.
        self._decoder.add_allphone_file(PHONE_LOOP, None)
        if self._phones is not None:
            self._phones.add_allphone_file(PHONE_LOOP, None)
            self._phones.activate_search(PHONE_LOOP)

    @staticmethod
    def _load(model_dir: str | Path | None, *, beam: float, wbeam: float, has_lm: bool,
              silprob: float = 0.1, has_dict: bool = True, bestpath: bool = True) -> Any:
        """Load a decoder. Grammar decoding runs without the n-gram LM: loading it costs
        memory and, measured, makes forced matches of out-of-grammar speech more likely.
        `silprob` is raised from 0.005 so pauses are heard as silence, not short words.
        The phone loop needs no dictionary (`has_dict=False`): 6 MB instead of 28."""
        try:
            from pocketsphinx import Decoder, get_model_path
        except ImportError as exc:
            raise RecognizerError(f"pocketsphinx is not installed ({exc}); pip install pocketsphinx") from None
        base = Path(model_dir) if model_dir else Path(get_model_path()) / "en-us"
        try:
            decoder = Decoder(hmm=str(base / "en-us"),
                              dict=str(base / "cmudict-en-us.dict") if has_dict else None,
                              lm=str(base / "en-us.lm.bin") if has_lm else None,
                              beam=beam, wbeam=wbeam, pbeam=beam, silprob=silprob,
                              bestpath=bestpath, logfn="/dev/null")
        except (RuntimeError, ValueError) as exc:
            raise RecognizerError(f"{base}: cannot load the PocketSphinx model ({exc})") from None
        _LOGGER.info("Loaded PocketSphinx model from %s", base)
        return decoder

    def stream(self, grammar: Grammar | None) -> _PocketSphinxStream:
        """Start decoding one utterance. A stream left unfinished (its turn failed part
        way) is ended first: its utterance would otherwise stay open, and every later
        turn would fail ("Unable to set search"), leaving the hub deaf for good."""
        if self._current is not None and self._current.is_open:
            _LOGGER.warning("The last utterance was never finished; ending it")
            self._current.abandon()
        if grammar is None:
            self._current = _PocketSphinxStream(self._dictation_decoder(), None, self.floors)
            return self._current
        self._decoder.activate_search(self._search_for(grammar))
        self._current = _PocketSphinxStream(self._decoder, grammar, self.floors, self._phones)
        return self._current

    def _dictation_decoder(self) -> Any:
        """The bundled n-gram LM with default beams, loaded on first use: free dictation is
        only for comparison in the benchmark, never for answering."""
        if self._dictation is None:
            self._dictation = self._load(self._model_dir, beam=1e-48, wbeam=7e-29, has_lm=True)
        return self._dictation

    def recognize(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        """Decode a whole utterance, starting from its own cepstral mean (a live stream
        adapts the mean from one utterance to the next), within a time budget of
        `max_decode_s` plus the audio's duration. A rejected question in a quiet room is
        decoded once more with the voice warped as a child's (`CHILD_WARP`).

        Not exactly repeatable: the same recording scored 0.83, then 0.80 after another
        utterance was decoded (the live mean update still carries a little of the last
        one), so tests compare decisions and a tolerance, not exact confidences."""
        if len(pcm16) < 2:  # the binding fails on an empty buffer
            return Transcript.rejected(ENGINE, "", "no audio")
        transcript = self._decode_whole(pcm16, grammar)
        if transcript.is_rejected and self._may_warp(grammar) and self._is_quiet(pcm16):
            warped = self._decode_warped(pcm16, grammar)
            if not warped.is_rejected and warped.confidence >= self.floors.floor_for(grammar.intents) + WARPED_MARGIN:
                _LOGGER.info("Heard %r only with the voice warped as a child's (%.2f)", warped.text,
                             warped.confidence)
                return warped
        return transcript

    def _decode_whole(self, pcm16: bytes, grammar: Grammar | None) -> Transcript:
        stream = self.stream(grammar)
        stream.accept_whole(pcm16, budget_s=self.max_decode_s + len(pcm16) / 32000.0)
        return stream.finish()

    def _may_warp(self, grammar: Grammar | None) -> bool:
        """A second, child-warped pass is for questions only: a daily-check answer or an
        acknowledgement rejected stays rejected, so there is no second chance for a false
        "yes" (the same rule as the daemon's whole-recording retry)."""
        return (self.child_warp is not None and grammar is not None and not is_answer_grammar(grammar.intents)
                and getattr(self._decoder, "config", None) is not None)

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
                _set_warp(decoder, self.child_warp)
            return self._decode_whole(pcm16, grammar)
        finally:
            for decoder, mean in zip(decoders, means, strict=True):
                _set_warp(decoder, None)
                decoder.set_cmn(mean)

    def _search_for(self, grammar: Grammar) -> str:
        search = self._searches.get(grammar.name)
        if search is None:
            search = f"g{len(self._searches)}"
            self._add_words(grammar)
            jsgf = grammar.jsgf if self.garbage_weight is None else self.jsgf_with_garbage(grammar)
            settings: dict[str, Any] = {"bestpath": self.has_lattice_pass(grammar)}
            if self.question_wbeam is not None and not is_answer_grammar(grammar.intents):
                settings["wbeam"] = self.question_wbeam
            self._with_settings(settings, self._decoder.add_jsgf_string, search, jsgf)
            self._searches[grammar.name] = search
        return search

    def has_lattice_pass(self, grammar: Grammar) -> bool:
        """Whether this grammar's utterances end with PocketSphinx's best-path pass over
        the word lattice: for answers (a "yes", an acknowledgement), not for questions.

        The pass is most of the wait after the end of a question (the full grammar's
        lattice is large: 85 ms p50, 175 ms p95 in the 00:03 run), and questions do as
        well without it (bench/calibrate.py, 2026-11-27: at the question floor, 50/50,
        23/50 and 14/50 right at clean, 10 and 5 dB without it against 49, 23 and 13 with
        it; out-of-domain accepted 3, 1 and 1 of 40 against 2, 5 and 2). Answers keep it:
        without it piper's bare "Yes." scored 0.30 and no answer floor up to 0.60 kept
        every non-answer from passing as a "yes". Their lattice is small, so it is fast."""
        return self.bestpath and (self.question_bestpath or is_answer_grammar(grammar.intents))

    def _with_settings(self, settings: dict[str, Any], add: Any, *args: Any) -> None:
        """Call `add` (which creates a search) with these decoder `settings`: PocketSphinx
        reads the best-path and word-beam settings from the configuration when a search is made."""
        config = getattr(self._decoder, "config", None)
        if config is None:  # an injected stand-in decoder
            add(*args)
            return
        before = {key: config[key] for key in settings}
        for key, value in settings.items():
            config[key] = value
        try:
            add(*args)
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
        fillers = [GARBAGE_PREFIX + p.lower() for p in self.garbage_phones]
        body = grammar.jsgf.replace("public <command>", "<command>", 1)
        return (body
                + f"<garbage_unit> = {' | '.join(fillers)};\n"
                + "<garbage> = <garbage_unit>+;\n"
                + f"public <utterance> = /1.0/ <command> | /{self.garbage_weight or 1e-3:g}/ <garbage>;\n")


def _set_warp(decoder: Any, warp: float | None) -> None:
    """Warp the decoder's frequency axis by `warp` (None: no warp); 0.1 ms, models untouched.

    PocketSphinx keeps the warp's parameters in C statics shared by every decoder in the
    process, and skips a parameter string equal to the last one it parsed, even when a
    decoder made since (the wake spotter, a new recognizer) switched warping off: the
    same "1.3" a second time was silently ignored (measured). So each call spells the
    number differently from the last ("1.300", then "1.3000"), and "no warp" is a warp
    of 1.0, which decodes exactly as the unwarped default (measured)."""
    digits = 3 + next(_WARP_SPELLINGS) % 2
    decoder.config["warp_type"] = "inverse_linear"
    decoder.config["warp_params"] = f"{1.0 if warp is None else warp:.{digits}f}"
    decoder.reinit_feat()


_WARP_SPELLINGS = itertools.count()


class _PocketSphinxStream:
    """One utterance: the grammar search and, beside it on `phones`, the phone loop.

    Streamed audio goes to both decoders as it arrives. A whole recording
    (`accept_whole`) is decoded with its own cepstral mean, and the phone loop then runs
    over it after the grammar search, as the floors were calibrated in file mode."""

    def __init__(self, decoder: Any, grammar: Grammar | None, floors: ConfidenceFloors,
                 phones: Any = None) -> None:
        self._decoder = decoder
        self._grammar = grammar
        self._floors = floors
        self._is_over_budget = False
        self.confidence_ms = 0.0  # phone-loop time after the end of speech, for the benchmark
        self._pcm = bytearray()
        self._cmn = decoder.get_cmn(False)
        self._phones = phones if grammar is not None else None
        self._is_phone_streamed = False
        self._streamed_phones: Any = None
        self._phone_segments: list[tuple[str, int, int]] = []
        self._decoder.start_utt()
        self.is_open = True
        if self._phones is not None:
            self._phones.set_cmn(self._cmn)
            self._phones.start_utt()
            self._is_phone_streamed = True

    def abandon(self) -> None:
        """End the utterance without a result (a turn that failed part way)."""
        if self.is_open:
            self.is_open = False
            self._decoder.end_utt()
            if self._is_phone_streamed:
                self._is_phone_streamed = False
                self._phones.end_utt()

    def accept(self, pcm16: bytes) -> None:
        self._pcm += pcm16
        self._decoder.process_raw(pcm16, False, False)
        if self._is_phone_streamed:
            self._phones.process_raw(pcm16, False, False)

    def accept_whole(self, pcm16: bytes, budget_s: float) -> None:
        """Decode a whole utterance, giving up (rejecting) when it takes longer than `budget_s`.

        In loud broadband noise a search can grow to seconds; a family waiting that long
        is worse than being asked to repeat."""
        start = time.perf_counter()
        self._pcm += pcm16
        if self._is_phone_streamed:  # the phone loop runs after the search, on this mean
            self._phones.end_utt()
            self._is_phone_streamed = False
        # Cepstral mean of this utterance first (features only, no search: milliseconds),
        # so a recording decodes the same way whatever was heard before it.
        self._decoder.end_utt()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm16, True, True)
        self._decoder.end_utt()
        self._cmn = self._decoder.get_cmn(False)
        self._decoder.set_cmn(self._cmn)
        self._decoder.start_utt()
        step = 3200  # 100 ms
        for i in range(0, len(pcm16), step):
            self._decoder.process_raw(pcm16[i : i + step], False, False)
            if time.perf_counter() - start > budget_s:
                self._is_over_budget = True
                _LOGGER.info("Decoding gave up after %.1f s", time.perf_counter() - start)
                return

    def finish(self) -> Transcript:
        self.is_open = False
        self._decoder.end_utt()
        self._streamed_phones = None
        if self._is_phone_streamed:
            start = time.perf_counter()
            self._phones.end_utt()
            self._is_phone_streamed = False
            self._streamed_phones = self._phones.hyp()
            self.confidence_ms = (time.perf_counter() - start) * 1000.0
        hyp = self._decoder.hyp()
        heard = hyp.hypstr if hyp is not None else ""
        if self._is_over_budget:
            return Transcript.rejected(ENGINE, heard, "decoding took too long (noise?)")
        if self._grammar is None:
            return Transcript(text=heard, is_rejected=not heard, confidence=hyp.prob if hyp else 0.0,
                              engine=ENGINE, heard=heard)
        if not heard:
            return Transcript.rejected(ENGINE, heard, "nothing decoded")
        if any(w.startswith(GARBAGE_PREFIX) for w in heard.split()):
            return Transcript.rejected(ENGINE, heard, "garbage path won")
        score = hyp.best_score
        if heard not in self._grammar:
            complete = self._best_complete_sentence(heard)
            if complete is None:
                return Transcript.rejected(ENGINE, heard, "not a grammar sentence")
            _LOGGER.debug("Best path %r ends inside a sentence; best complete one: %r", heard, complete[0])
            heard, score = complete
        word_ends = self._word_ends()
        confidence = self._confidence(score, self._scored_frames())
        floor = self._floors.floor_for(self._grammar.intents)
        if confidence < floor:
            return Transcript.rejected(ENGINE, heard, f"confidence {confidence:.2f} below floor {floor:.2f}",
                                       confidence)
        more = 0
        if word_ends:
            end = word_ends[min(len(heard.split()), len(word_ends)) - 1]
            more = speech_frames_after(self._pcm, end, self._phone_segments)
        if more and is_answer_grammar(self._grammar.intents):
            return Transcript.rejected(ENGINE, heard, f"{more * 10} ms more was said after {heard!r}", confidence)
        return Transcript(text=heard, is_rejected=False, confidence=confidence, engine=ENGINE, heard=heard,
                          speech_after_ms=more * 10)

    def _word_ends(self) -> list[int]:
        """Return the last frame of each grammar word on the best path (not silences or noises)."""
        if self._grammar is None:
            return []
        words = self._grammar.words
        return [seg.end_frame for seg in (self._decoder.seg() or []) if seg.word.split("(")[0] in words]

    def _best_complete_sentence(self, heard: str) -> tuple[str, float] | None:
        """Return the whole grammar sentence that `heard` (a path ending inside a longer
        sentence) starts with, from the utterance's n-best list, with its score.

        After a bare "yes", the quiet that follows can score as the "it" of "yes it is"
        (measured: 4 of 7 piper "yes" in a quiet room), while "yes" itself is next in the
        n-best list. Only a sentence the best path begins with is taken: taking any whole
        sentence from the list let near misses through (benchmark: out-of-domain speech
        taken as a daily-check answer at 10 dB rose from 17.5 % to 32.5 %)."""
        words = heard.split()
        if self._grammar is None:
            return None
        try:
            for rank, candidate in enumerate(self._decoder.nbest()):
                if rank >= NBEST_LIMIT:
                    break
                text = getattr(candidate, "hypstr", None)  # the binding yields None for some entries
                said = text.split() if text else []
                if said and said == words[: len(said)] and text in self._grammar:
                    return text, candidate.score
        except RuntimeError:  # no lattice (e.g. nothing decoded)
            return None
        return None

    def _scored_frames(self) -> int:
        """Return how many frames the score gap is averaged over: from `LEAD_FRAMES`
        before the first word to the end, not from the start of the recording.

        Quiet before the words scores about alike on both paths, so averaged over it a
        near miss looks closer than it is, and a recording with a long pause before the
        words would slip past the floors, which were calibrated with the endpointer's
        300 ms before the first word. Measured on piper sentences at 10 dB with 1 s of
        room before the first word, averaged over all frames: out-of-domain accepts in
        pink noise 4 of 40 against 2 with 0.3 s (9 with 2 s), and in white noise 31 of
        68 sentences accepted against 14. Averaged from the margin: 2 of 40 and 12 of
        68. (Counting only to a margin after the last word as well rejected far more
        real questions, 31 of 68 right in pink noise against 49: the floors were
        calibrated with the tail as the endpointer leaves it, which this keeps.)"""
        n_frames = self._decoder.n_frames()
        if self._grammar is None:
            return n_frames
        words = self._grammar.words
        first = next((seg.start_frame for seg in self._decoder.seg() if seg.word.split("(")[0] in words), 0)
        return n_frames - max(0, first - LEAD_FRAMES)

    def _confidence(self, grammar_score: float, n_frames: int) -> float:
        """Return the grammar path's confidence against the free phone loop over the same audio.

        The Python binding gives path scores as probabilities (exp of the log score); a
        score too poor to represent comes back as 0.0 and gives confidence 0."""
        phones = self._streamed_phones if self._streamed_phones is not None else self._phone_loop_after()
        decoder = self._phones if self._phones is not None else self._decoder
        self._phone_segments = [(seg.word, seg.start_frame, seg.end_frame) for seg in (decoder.seg() or [])] \
            if phones is not None else []
        if phones is None or phones.best_score <= 0.0 or grammar_score <= 0.0:
            return 0.0
        gap = gap_per_frame(math.log(grammar_score), math.log(phones.best_score), n_frames)
        _LOGGER.debug("Score gap %.1f per frame over %d frames", gap, n_frames)
        return confidence_from_gap(gap)

    def _phone_loop_after(self) -> Any:
        """Decode the whole utterance as a phone loop after the grammar search, on its
        cepstral mean: for a whole recording, and when no second decoder streams it."""
        decoder = self._phones if self._phones is not None else self._decoder
        grammar_search = decoder.current_search()
        start = time.perf_counter()
        try:
            decoder.set_cmn(self._cmn)
            decoder.activate_search(PHONE_LOOP)
            decoder.start_utt()
            decoder.process_raw(bytes(self._pcm), False, True)
            decoder.end_utt()
            return decoder.hyp()
        finally:
            decoder.activate_search(grammar_search)
            self.confidence_ms = (time.perf_counter() - start) * 1000.0
