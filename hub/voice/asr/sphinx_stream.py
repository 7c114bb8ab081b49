"""One utterance decoded by PocketSphinx: the grammar search, the phone loop beside it, and the verdict.

The verdict is a `Transcript`: the grammar sentence heard, or a rejection with its reason
(nothing decoded, below the confidence floor, more said after an answer). The
measurements behind each choice are in bench/RESULTS.md, "PocketSphinx calibration
history, moved from the code".
"""

from __future__ import annotations

import logging
import math
import time

from hub.voice.asr.base import Transcript
from hub.voice.asr.confidence import ConfidenceFloors, confidence_from_gap, gap_per_frame, is_answer_grammar
from hub.voice.asr.grammar import Grammar
from hub.voice.asr.sphinx_decoder import SphinxDecoder, SphinxHypothesis
from hub.voice.asr.trailing import speech_frames_after
from hub.voice.endpoint import SPEECH_LEAD_MS

_LOGGER = logging.getLogger(__name__)

ENGINE = "pocketsphinx"
GARBAGE_PREFIX = "gb_"  # words of the optional garbage loop
PHONE_LOOP = "phone_loop"  # the phone-loop search's name on every decoder
NBEST_LIMIT = 20  # how far down the n-best list to look for a whole sentence
FRAME_MS = 10  # PocketSphinx's frame shift
# The floors were calibrated with the endpointer's lead of room before the first word.
LEAD_FRAMES = SPEECH_LEAD_MS // FRAME_MS


class PocketSphinxStream:
    """One utterance: the grammar search and, beside it on `phones`, the phone loop.

    Streamed audio goes to both decoders as it arrives. A whole recording
    (`accept_whole`) is decoded with its own cepstral mean, and the phone loop then runs
    over it after the grammar search, as the floors were calibrated in file mode."""

    def __init__(self, decoder: SphinxDecoder, grammar: Grammar | None, floors: ConfidenceFloors,
                 phones: SphinxDecoder | None = None) -> None:
        self._decoder = decoder
        self._grammar = grammar
        self._floors = floors
        self._is_over_budget = False
        self.confidence_ms = 0.0  # phone-loop time after the end of speech, for the benchmark
        self._pcm = bytearray()
        self._cmn = decoder.get_cmn(False)
        self._phones = phones if grammar is not None else None
        # The phone decoder while it hears the utterance as it arrives; None once it stops.
        self._streaming_phones: SphinxDecoder | None = None
        self._streamed_phones: SphinxHypothesis | None = None
        self._phone_segments: list[tuple[str, int, int]] = []
        self._decoder.start_utt()
        self.is_open = True
        if self._phones is not None:
            self._phones.set_cmn(self._cmn)
            self._phones.start_utt()
            self._streaming_phones = self._phones

    def abandon(self) -> None:
        """End the utterance without a result (a turn that failed part way)."""
        if self.is_open:
            self.is_open = False
            self._decoder.end_utt()
            self._stop_phone_stream()

    def _stop_phone_stream(self) -> SphinxDecoder | None:
        """End the phone loop's streamed utterance, if one is running; return its decoder."""
        phones, self._streaming_phones = self._streaming_phones, None
        if phones is not None:
            phones.end_utt()
        return phones

    def accept(self, pcm16: bytes) -> None:
        self._pcm += pcm16
        self._decoder.process_raw(pcm16, False, False)
        if self._streaming_phones is not None:
            self._streaming_phones.process_raw(pcm16, False, False)

    def accept_whole(self, pcm16: bytes, budget_s: float) -> None:
        """Decode a whole utterance, giving up (rejecting) when it takes longer than `budget_s`.

        In loud broadband noise a search can grow to seconds; a family waiting that long
        is worse than being asked to repeat. The budget counts this thread's CPU time: a
        search that grows is work done, while time spent waiting for a CPU that other
        programs hold (a loaded test machine) is not the noise's fault. On the Pi, where
        the hub runs alone, the two are nearly the same."""
        start = time.thread_time()
        self._pcm += pcm16
        self._stop_phone_stream()  # the phone loop runs after the search, on this mean
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
            if time.thread_time() - start > budget_s:
                self._is_over_budget = True
                _LOGGER.info("Decoding gave up after %.1f s of CPU", time.thread_time() - start)
                return

    def finish(self) -> Transcript:
        self.is_open = False
        self._decoder.end_utt()
        self._streamed_phones = None
        start = time.perf_counter()
        phones = self._stop_phone_stream()
        if phones is not None:
            self._streamed_phones = phones.hyp()
            self.confidence_ms = (time.perf_counter() - start) * 1000.0
        hyp = self._decoder.hyp()
        heard = hyp.hypstr or "" if hyp is not None else ""
        if self._is_over_budget:
            return Transcript.rejected(ENGINE, heard, "decoding took too long (noise?)")
        if self._grammar is None:
            return Transcript(text=heard, is_rejected=not heard, confidence=hyp.prob if hyp else 0.0,
                              engine=ENGINE, heard=heard)
        if not heard or hyp is None:
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
            more = speech_frames_after(bytes(self._pcm), end, self._phone_segments)
        if more and is_answer_grammar(self._grammar.intents):
            return Transcript.rejected(ENGINE, heard, f"{more * FRAME_MS} ms more was said after {heard!r}",
                                       confidence)
        return Transcript(text=heard, is_rejected=False, confidence=confidence, engine=ENGINE, heard=heard,
                          speech_after_ms=more * FRAME_MS)

    def _word_ends(self) -> list[int]:
        """Return the last frame of each grammar word on the best path (not silences or noises)."""
        if self._grammar is None:
            return []
        words = self._grammar.words
        return [seg.end_frame for seg in (self._decoder.seg() or []) if seg.word.split("(")[0] in words]

    def _best_complete_sentence(self, heard: str) -> tuple[str, float] | None:
        """Return the whole grammar sentence that `heard` (a path ending inside a longer
        sentence) starts with, from the utterance's n-best list, with its score.

        After a bare "yes", the quiet that follows can score as the "it" of "yes it is",
        while "yes" itself is next in the n-best list. Only a sentence the best path begins
        with is taken: taking any whole sentence from the list let near misses through."""
        words = heard.split()
        if self._grammar is None:
            return None
        try:
            for rank, candidate in enumerate(self._decoder.nbest()):
                if rank >= NBEST_LIMIT:
                    break
                text = candidate.hypstr  # the binding yields None for some entries
                said = text.split() if text else []
                if text and said and said == words[: len(said)] and text in self._grammar:
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
        lead before the first word and its tail after the last."""
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

    def _phone_loop_after(self) -> SphinxHypothesis | None:
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
