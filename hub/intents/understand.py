"""Understanding free text: any transcript in, the intent it asks for (or a worry) out.

Chat, the daemon, MQTT and every speech recognizer hand their text here. The hassil
templates stay the one list of sentences: text they match exactly is taken as it is;
other text is folded into plain words (hub.intents.wording) and compared with every
template sentence folded the same way (rapidfuzz), and is taken only when it is close
and names the same things ("is the dog okay" names no pump, so it is no pump question).
Whatever sounds like a problem or a worry is flagged (hub.intents.worries), so nothing
worrying ends at "I didn't catch that". The thresholds were chosen on the development
half of bench/corpus/understanding.csv (bench/understanding.py, bench/RESULTS.md).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Iterable

from rapidfuzz import fuzz, process

from hub.core.codes import Intent
from hub.intents.placing import place_problem
from hub.intents.templates import Templates
from hub.intents.wording import stem, words
from hub.intents.worries import ELSEWHERE, Worry, find_worry

_LOGGER = logging.getLogger(__name__)

# A near sentence is taken at this score (0-100, rapidfuzz token_sort_ratio), less
# UNKNOWN_WORD_COST for each word no template uses (chosen on the development half).
# A near sentence that names one of the same things (a "grounded" one) is taken at this
# score (0-100, rapidfuzz token_sort_ratio); one that names nothing ("are we good") only
# at ACCEPT_SCORE; each word no template uses costs UNKNOWN_WORD_COST. Chosen on the
# development half (bench/understanding.py, bench/RESULTS.md).
GROUNDED_SCORE = 70.0
ACCEPT_SCORE = 80.0
UNKNOWN_WORD_COST = 15.0
# Longer than this is rambling: no intent is guessed from it, though a worry still counts.
MAX_WORDS = 30
# Fewer than this share of letters in a-z: not English; no guess.
MIN_LATIN_SHARE = 0.6
# The things a sentence is about. A near sentence must name every thing the person named
# and every thing of its own must have been named (a pump light names the pump), or it
# is about something else: "is the dog okay" is no "is the pump okay".
THINGS = frozenset(stem(w) for w in (
    "pump", "line", "dressing", "port", "medicine", "light", "screen", "clamp", "bag", "bath", "shower",
    "swim", "swimming", "pool", "room", "temperature", "humidity", "number", "colour", "appointment",
    "hospital", "clinic", "doctor", "nurse", "night", "words", "message", "writing",
))
_IMPLIED = {stem("light"): stem("pump"), stem("screen"): stem("pump"), stem("clamp"): stem("line"),
            stem("words"): stem("screen"), stem("message"): stem("screen"), stem("writing"): stem("screen")}
# What is said about the things: a near sentence must hold every one the person said,
# and an urgent one (ReportProblem) must have had every one of its own said.
STATES = frozenset(stem(w) for w in (
    "check", "everything", "amber", "red", "green", "blue", "beeping", "hot", "cold", "steamy", "sun", "wet", "dirty",
    "torn", "swollen", "leaking", "hurts", "off", "long", "where",
))
ANCHORS = THINGS | STATES
# Answers in the daily check are taken from a near sentence only with their own words:
# a misheard "yes" would pass a check step.
_YES_WORDS = frozenset({"yes", "sure", "correct", "right", "good", "fine", "okay"})
_NEGATIONS = frozenset({"no", "not", "never", "nothing"})
# The infusion's parts on the child: a statement about one is never set aside unanswered.
_BODY_SIDE = frozenset({"line", "port", "dressing"})
# ... unless it only says all is well ("the dressing looks good"): no worry to call about.
_WELL_WORDS = frozenset({"good", "fine", "okay", "clean", "dry", "great", "perfect", "normal"})
_NEVER_NEAR = frozenset({Intent.ACKNOWLEDGE, Intent.REPEAT, Intent.STOP})
# Answers that can say all is well: never given to someone who just said something is wrong.
REASSURING = frozenset({Intent.PUMP_STATUS, Intent.HOME_STATUS, Intent.ROOM_STATUS, Intent.YES, Intent.ACKNOWLEDGE})
_QUESTION_WORDS = frozenset({"is", "are", "does", "do", "did", "how", "what", "can", "could", "should", "will",
                             "would", "where", "when", "who", "why", "which", "has", "have", "am"})


@dataclass(frozen=True)
class Understood:
    """What a transcript asks for: an intent with its slots, or none; and any worry in it.

    `how` says how it was found: "template" (an exact template sentence), "near" (the
    nearest template sentence), "placed" (a reported problem placed by the thing named
    and what is said of it, hub.intents.placing), or "none". `worry` holds the worrying words the intent
    does not already deal with; an emergency among them is `is_emergency`.
    """

    intent: str | None
    slots: dict[str, str] = field(default_factory=dict)
    how: str = "none"
    score: float = 0.0
    sentence: str = ""
    worry: Worry = field(default_factory=Worry)
    text: str = ""

    @property
    def is_worry(self) -> bool:
        return bool(self.worry)

    @property
    def is_emergency(self) -> bool:
        return self.worry.is_emergency


@dataclass(frozen=True)
class _Sentence:
    intent: str
    original: str
    words: frozenset[str]


class Understanding:
    """Understands any transcript against the templates. Build once and keep: folding
    every template sentence takes a moment."""

    def __init__(self, templates: Templates | None = None) -> None:
        self.templates = templates or Templates()
        self._is_folded = False
        self._folding = threading.Lock()  # the microphone thread and the daemon's loop may ask at once
        self._sentences: dict[str, _Sentence] = {}
        self._vocabulary: frozenset[str] = frozenset()
        self._by_intent: dict[frozenset[str], list[str]] = {}
        self._elsewhere: frozenset[str] = frozenset()

    def _fold(self) -> None:
        """Fold every template sentence, once, at the first transcript: a daemon that only
        watches the pump never pays for it."""
        for intent, sentences in self.templates.sample_sentences().items():
            for original in sentences:
                folded = [stem(w) for w in words(original)]
                key = " ".join(folded)
                if key and key not in self._sentences:
                    self._sentences[key] = _Sentence(intent, original, frozenset(folded))
        self._vocabulary = frozenset(w for s in self._sentences.values() for w in s.words)
        # Household things the templates never name ("phone" they do: the phone number).
        self._elsewhere = frozenset(ELSEWHERE - {w for s in self._sentences.values() for w in words(s.original)})
        self._is_folded = True
        _LOGGER.debug("Folded %d template sentences", len(self._sentences))

    def understand(self, text: str, expects: Iterable[str] | None = None) -> Understood:
        """Return what `text` asks for. `expects` lists the intents a dialogue waits for;
        they are tried first. Never raises on any text."""
        if not self._is_folded:
            with self._folding:
                if not self._is_folded:
                    self._fold()
        allowed = frozenset(expects) if expects is not None else None
        plain = words(text or "")
        worry = find_worry(plain)
        if not plain or not _is_latin(text) or len(plain) > MAX_WORDS:
            return Understood(None, worry=worry, text=" ".join(plain))
        is_question = text.rstrip().endswith("?") or plain[0] in _QUESTION_WORDS
        worried: Understood | None = None
        for subset in ([allowed] if allowed else []) + [None]:
            found = self._exact(text, subset) or self._near(plain, subset, is_worry=bool(worry))
            if found is None:
                continue
            result = self._with_worry(found, worry, plain, is_question=is_question)
            if result.intent is not None:
                return result
            # "Yeah, but the tape is coming off" is no yes; the whole templates may still
            # place the problem (a torn dressing), or it stays a worry.
            worried = worried or result
        if worry and (worried is None or worried.intent is None) and not self._is_elsewhere(plain):
            # No sentence placed it, but the thing named and what is said of it may.
            slot = place_problem(plain)
            if slot is not None:
                return Understood(Intent.REPORT_PROBLEM, {"problem": slot}, "placed", 0.0, "", worry,
                                  " ".join(plain))
        said = set(plain)
        is_all_well = bool(said & _WELL_WORDS) and not said & _NEGATIONS
        if worried is None and not worry and not is_question and said & _BODY_SIDE and not is_all_well:
            # "There's food on her bandage": something said about the line, the port or the
            # dressing that nothing placed is a concern the sheet says to call about.
            worry = Worry(tuple(sorted(set(plain) & _BODY_SIDE)))
        return worried or Understood(None, worry=worry, text=" ".join(plain))

    def _exact(self, text: str, allowed: frozenset[str] | None) -> Understood | None:
        match = self.templates.match(text, allowed=allowed)
        if match is None:
            return None
        return Understood(match.name, dict(match.slots), "template", 100.0, match.text)

    def _is_elsewhere(self, plain: list[str]) -> bool:
        """True when `plain` names something in the home that is not the infusion's (the
        oven, the dog, a bike pump), however close its other words come."""
        return bool(set(plain) & self._elsewhere) or any(w.startswith("other") for w in plain)

    def _near(self, plain: list[str], allowed: frozenset[str] | None, *, is_worry: bool) -> Understood | None:
        if set(plain) & self._elsewhere:
            return None  # the oven, the dog, the car: not the infusion, however close the words
        folded = [stem(w) for w in plain]
        query = " ".join(folded)
        said = set(folded)
        said |= {_IMPLIED[w] for w in said if w in _IMPLIED}
        unknown = sum(1 for w in set(folded) if w not in self._vocabulary)
        best: tuple[float, str] | None = None
        for key, score, _ in process.extract(query, self._choices(allowed), scorer=fuzz.token_sort_ratio, limit=40):
            sentence = self._sentences[key]
            if not self._is_plausible(sentence, said, len(folded)):
                continue
            if sentence.intent == Intent.REPORT_PROBLEM and not is_worry:
                continue  # a problem is reported in words that sound like one
            floor = GROUNDED_SCORE if sentence.words & THINGS & said else ACCEPT_SCORE
            margin = score - UNKNOWN_WORD_COST * unknown - floor
            if best is None or margin > best[0]:
                best = (margin, key)
        if best is None or best[0] < 0:
            return None
        sentence = self._sentences[best[1]]
        slots = {}
        if sentence.intent == Intent.REPORT_PROBLEM:
            match = self.templates.match(sentence.original, allowed=frozenset({sentence.intent}))
            slots = dict(match.slots) if match else {}
        return Understood(sentence.intent, slots, "near", best[0] + ACCEPT_SCORE, sentence.original)

    @staticmethod
    def _is_plausible(sentence: _Sentence, said: set[str], length: int) -> bool:
        if sentence.intent in _NEVER_NEAR or length < 2:
            return False
        if "not" in sentence.words and not said & _NEGATIONS:
            return False  # "is the infusion running" is not "the infusion is not running"
        if not said & ANCHORS <= sentence.words or not sentence.words & THINGS <= said:
            return False
        if sentence.intent == Intent.REPORT_PROBLEM and not sentence.words & STATES <= said:
            return False  # an urgent answer only for what was said: "turn on the lights" is no pump light
        if sentence.intent == Intent.YES:
            return bool(said & _YES_WORDS) and not said & _NEGATIONS
        if sentence.intent == Intent.NO:
            return bool(said & _NEGATIONS)
        return True

    def _choices(self, allowed: frozenset[str] | None) -> list[str]:
        key = allowed or frozenset()
        if key not in self._by_intent:
            self._by_intent[key] = [k for k, s in self._sentences.items() if allowed is None or s.intent in allowed]
        return self._by_intent[key]

    def _with_worry(self, found: Understood, worry: Worry, plain: list[str], *, is_question: bool) -> Understood:
        """Keep only the worrying words the chosen sentence does not already deal with.

        "Is the pump too hot?" is a question the readings answer; "the pump is hot", near
        the same sentence, reports a problem, and a reading may not answer it with an all-clear.
        """
        is_report = found.how == "near" and found.intent in REASSURING and not is_question
        sentence = set() if is_report else {stem(w) for w in words(found.sentence)}
        left = tuple(w for w in worry.words if not {stem(x) for x in w.split()} <= sentence)
        if left and found.intent in REASSURING:
            # "Is the pump okay? It's beeping": what the family reports is taken as true, so
            # it is a worry, and no reading may answer it with an all-clear.
            return Understood(None, {}, "none", found.score, found.sentence, Worry(left, worry.is_emergency),
                              " ".join(plain))
        return Understood(found.intent, found.slots, found.how, found.score, found.sentence,
                          Worry(left, worry.is_emergency and bool(left)), " ".join(plain))


def _is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return not letters or sum(c.isascii() for c in letters) / len(letters) >= MIN_LATIN_SHARE
