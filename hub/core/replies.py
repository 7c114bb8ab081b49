"""Replies: what the hub says back, built from findings. Pure, no I/O.

A reply speaks what is wrong first, then what could not be checked, then what is
fine. It adds the care team's number once, however many findings need it. It says
"Everything looks okay" only when every finding is ok.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from hub.core import phrases
from hub.core.dialogue import LINE_APART, CheckAnswer
from hub.core.findings import Assessment, Finding
from hub.core.plan import CarePlan
from hub.core.reported import OpenFinding
from hub.core.severity import Severity
from hub.core.wrong_number import guard_speech


@dataclass(frozen=True)
class Reply:
    """One answer. `expects` lists the intents a dialogue waits for next (empty: none)."""

    intent: str | None
    speech: str
    severity: Severity
    expects: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    records: tuple[CheckAnswer, ...] = ()  # the daily check's answers so far, for the record
    is_check_paused: bool = False  # the daily check stopped unheard: not done, to be finished later
    opened: tuple[OpenFinding, ...] = ()  # problems the family reported in this turn (hub.core.reported)
    is_handled: bool = False  # the family said it is handled ("we called"): close what is open
    more: str = ""  # the whole answer when `speech` is the short urgent form ("tell me more")

    def __post_init__(self) -> None:
        # Every answer passes here, whoever built it: the misprinted number never goes out.
        object.__setattr__(self, "speech", guard_speech(self.speech))

    @property
    def is_dialogue_open(self) -> bool:
        return bool(self.expects)

    def to_json(self) -> dict[str, Any]:
        """The stable contract of `hub ask --json`."""
        return {
            "intent": self.intent,
            "speech": self.speech,
            "severity": self.severity.value,
            "findings": list(self.findings),
            "expects": list(self.expects),
            "dialogue_open": self.is_dialogue_open,
        }


def status_reply(plan: CarePlan, assessment: Assessment, intent: str, *, focus: tuple[str, ...],
                 others_from: Severity = Severity.UNKNOWN, say_all_ok: bool = True) -> Reply:
    """Answer a status question about `focus` topics.

    Findings about other topics are added when at least `others_from` serious, so an
    urgent pump problem is never hidden behind a question about the room.
    """
    chosen = [f for f in assessment.findings
              if f.topic in focus or f.severity.rank >= others_from.rank]
    speech = compose(plan, chosen)
    if say_all_ok and assessment.is_all_ok:
        speech = f"{speech} {phrases.ALL_OK}".strip()
    return Reply(intent=intent, speech=speech, severity=Severity.worst([f.severity for f in chosen]),
                 findings=tuple(f.code for f in chosen))


def compose(plan: CarePlan, findings: list[Finding] | tuple[Finding, ...]) -> str:
    """Join findings into one spoken answer: problems, unknowns, fine things, then whom to call."""
    by_rank = sorted(findings, key=lambda f: -f.severity.rank)
    problems = [f for f in by_rank if f.severity in (Severity.URGENT, Severity.WARNING)]
    unknowns = [f for f in by_rank if f.severity is Severity.UNKNOWN]
    fine = [f for f in by_rank if f.severity in (Severity.OK, Severity.INFO)]

    parts = [f.says for f in problems]
    if any(f.topic == "reported" and f.says.startswith("You told me") for f in problems):
        parts.append(phrases.HAVE_YOU_CALLED)  # once, after every problem still open
    if unknowns:
        if problems or fine:
            parts.append(phrases.NOT_CHECKED_INTRO)
        parts.extend(f.says for f in unknowns)
    # Beside an urgent problem the hub sees, fine things are noise; beside a problem the
    # family reported earlier, "the pump itself looks fine" is still the answer asked for.
    if not any(f.severity is Severity.URGENT and f.topic != "reported" for f in findings):
        parts.extend(f.says for f in fine)
    if any(f.calls and f.severity is Severity.URGENT for f in findings):
        parts.append(phrases.call_now(plan))
    elif any(f.calls or f.severity is Severity.WARNING for f in findings):
        parts.append(phrases.call_to_ask(plan))
    if any(f.comes_in for f in findings):
        parts.append(phrases.come_in(plan))
    return " ".join(p for p in _unique(parts) if p)


def _unique(parts: list[str]) -> list[str]:
    return list(dict.fromkeys(parts))



# --- Short enough to act on -------------------------------------------------------------
# A frightened parent or a child needs the action first. An urgent reply starts with what
# to do now (at most 15 words), runs to about 40 words (some 15 seconds of speech), and
# "tell me more" or "repeat" gives the whole answer (issue 17: urgent replies ran to 148).
FIRST_SENTENCE_MAX_WORDS = 15
URGENT_MAX_WORDS = 40
MORE_HINT = "Say: tell me more."
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def sentences(text: str) -> list[str]:
    """Split spoken text into sentences (the hub's own words: no abbreviations with dots)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


_BEFORE_THE_CALL = frozenset(sentences(phrases.LINE_DISCONNECTED) + sentences(LINE_APART))


def word_count(text: str) -> int:
    return len(text.split())


def brief(plan: CarePlan, speech: str) -> str:
    """Return the short urgent form of `speech`: the action first, then what is wrong, within
    `URGENT_MAX_WORDS`, with a hint when something was left for "tell me more"."""
    said = list(dict.fromkeys(sentences(speech)))
    call = phrases.call_now_short(plan)
    if word_count(call) > FIRST_SENTENCE_MAX_WORDS:
        call = phrases.call_number_now(plan)
    first = [s for s in said if s in _BEFORE_THE_CALL]
    calling = set(sentences(phrases.call_now(plan))) | set(sentences(phrases.come_in(plan))) | {call}
    rest = [s for s in said if s not in calling and s not in first]
    out = [*first, call]
    budget = URGENT_MAX_WORDS - word_count(MORE_HINT)
    left_out = False
    asks = set(sentences(phrases.HAVE_YOU_CALLED))
    for sentence in rest:
        is_orphan = sentence in asks and not any(s.startswith("You told me") for s in out)
        if is_orphan or word_count(" ".join([*out, sentence])) > budget:
            left_out = True
            continue
        out.append(sentence)
    if left_out or any(s in said for s in sentences(phrases.come_in(plan))):
        out.append(MORE_HINT)
    return " ".join(out)


def shortened(plan: CarePlan, reply: Reply) -> Reply:
    """Return `reply` in its short urgent form, the whole answer kept in `more`; other
    replies, and urgent ones already short, are returned as they are."""
    if reply.severity is not Severity.URGENT or reply.more:
        return reply
    emergency = plan.care_team.emergency_phone
    if emergency and emergency in reply.speech:
        return reply  # the emergency number comes first, as written; never moved behind the care team's
    short = brief(plan, reply.speech)
    if short == reply.speech or word_count(reply.speech) <= URGENT_MAX_WORDS and \
            sentences(reply.speech)[0] == sentences(short)[0]:
        return reply
    return replace(reply, speech=short, more=reply.speech)
