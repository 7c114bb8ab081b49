"""Replies: what the hub says back, built from findings. Pure, no I/O.

A reply speaks what is wrong first, then what could not be checked, then what is
fine. It adds the care team's number once, however many findings need it. It says
"Everything looks okay" only when every finding is ok.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.core import phrases
from hub.core.dialogue import CheckAnswer
from hub.core.findings import Assessment, Finding
from hub.core.plan import CarePlan
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
    if unknowns:
        if problems or fine:
            parts.append(phrases.NOT_CHECKED_INTRO)
        parts.extend(f.says for f in unknowns)
    if not any(f.severity is Severity.URGENT for f in findings):
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

