"""How sure a recognizer must be before the hub acts on what it heard.

A grammar recognizer always finds *some* grammar sentence; confidence says whether the
audio really sounded like it. PocketSphinx's measure is a likelihood ratio: the
acoustic score of the grammar's best sentence against the best free sequence of phones
over the same frames (which fits any speech). A grammar sentence that was really said
scores close to the free phones; a near miss forced onto a grammar sentence scores far
below them. Vosk reports per-word confidence itself.

The floor is stricter while the daily check waits for an answer: a misheard "yes" to
"is the dressing clean, dry and intact?" is the one mistake that tells a family all is
well when it may not be, while "I didn't catch that" only costs a repeat. The same
strict floor holds while an alarm waits for "okay, I heard you": a television's words
taken as an acknowledgement would silence an alarm nobody heard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hub.core.codes import ANSWER_INTENTS, Intent

# PocketSphinx scores are integers in log base 1.0001.
LOG_BASE = 1.0001
# Confidence falls to 1/e when the grammar path is this many log units per 10 ms frame
# below the free phone loop. Only the shape of the mapping; the floors below decide.
GAP_SCALE = 10.0


# What the hub asks the family to say: daily-check answers, and the acknowledgement of
# an alarm (hub.daemon.service.ALARM_ANSWERS). Heard wrongly, each tells the hub all is well.
CONFIRMATION_INTENTS: frozenset[str] = frozenset(ANSWER_INTENTS) | {Intent.ACKNOWLEDGE}


def is_answer_grammar(intents: frozenset[str]) -> bool:
    """Return True when only answers the hub asked for are expected: daily-check answers
    or an alarm's acknowledgement (the narrow grammars)."""
    return bool(intents) and intents <= CONFIRMATION_INTENTS


def gap_per_frame(grammar_ln: float, phones_ln: float, n_frames: int) -> float:
    """Return how far the grammar path scores below the free phone loop, in log units per frame.

    Arguments are natural logs of the two path scores. Zero or above means the grammar
    sentence fits the audio as well as anything could.
    """
    return (grammar_ln - phones_ln) / math.log(LOG_BASE) / max(n_frames, 1)


def confidence_from_gap(gap: float) -> float:
    """Return a confidence in [0, 1] from a per-frame score gap: 1 at or above zero gap."""
    if math.isnan(gap):
        return 0.0
    return math.exp(min(gap, 0.0) / GAP_SCALE)


@dataclass(frozen=True)
class ConfidenceFloors:
    """The lowest confidence accepted: `command` for questions, `answer` for daily-check answers."""

    command: float
    answer: float

    def __post_init__(self) -> None:
        for name, value in (("command", self.command), ("answer", self.answer)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"confidence floor {name}={value}: must be between 0 and 1")
        if self.answer < self.command:
            raise ValueError(f"confidence floor answer={self.answer} is below command={self.command}: "
                             "a yes or no must need at least as much certainty as a question")

    def floor_for(self, intents: frozenset[str]) -> float:
        """Return the floor for a grammar expecting `intents`."""
        return self.answer if is_answer_grammar(intents) else self.command

    def is_sure(self, confidence: float, intents: frozenset[str]) -> bool:
        """Return True when `confidence` is high enough to act on, for a grammar expecting `intents`."""
        return confidence >= self.floor_for(intents)
