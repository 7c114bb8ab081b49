"""What the assessment found: one `Finding` per thing checked, plus the overall result."""

from __future__ import annotations

from dataclasses import dataclass

from hub.core.codes import Code
from hub.core.severity import Severity


@dataclass(frozen=True)
class Finding:
    """One checked thing, how serious it is, and the words for it.

    `code` is a stable id (`hub.core.codes.Code`) used by alarms and logs.
    `says` is what is wrong and what to do, without the phone call; `calls` marks
    findings where the source says to call the care team, and `comes_in` those where
    the family will need to come to the clinic. Replies add the call once, however
    many findings need it; `speech` is the finding on its own, call included, and `calm`
    the same after "we called" (hub.core.alarms.handle), without the call.
    """

    code: Code
    topic: str
    severity: Severity
    says: str
    calls: bool = False
    comes_in: bool = False
    speech: str = ""
    calm: str = ""  # what an alarm says once the family said it is handled: no call instruction

    @property
    def is_ok(self) -> bool:
        return self.severity is Severity.OK


@dataclass(frozen=True)
class Assessment:
    """All findings for one moment. `is_all_ok` is true only if every one is ok."""

    findings: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        return Severity.worst([f.severity for f in self.findings])

    @property
    def is_all_ok(self) -> bool:
        return bool(self.findings) and all(f.is_ok for f in self.findings)

    def about(self, *topics: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.topic in topics)

    def by_code(self, code: str) -> Finding | None:
        return next((f for f in self.findings if f.code == code), None)
