"""How serious a finding is, and how severities combine."""

from __future__ import annotations

from enum import Enum


class Severity(str, Enum):
    """Severity of a finding or a reply, as it appears in JSON and logs.

    `unknown` ranks above `ok` and `info`: not knowing is never reassuring. It ranks
    below `warning` only for ordering replies; it is never treated as fine.
    """

    OK = "ok"
    INFO = "info"
    UNKNOWN = "unknown"
    WARNING = "warning"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def worst(cls, severities: "list[Severity] | tuple[Severity, ...]") -> "Severity":
        """Return the most serious of `severities`; an empty list is `unknown`, not `ok`."""
        if not severities:
            return cls.UNKNOWN
        return max(severities, key=lambda s: s.rank)


_RANK = {
    Severity.OK: 0,
    Severity.INFO: 1,
    Severity.UNKNOWN: 2,
    Severity.WARNING: 3,
    Severity.URGENT: 4,
}
