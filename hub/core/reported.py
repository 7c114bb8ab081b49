"""Problems the family reported: open findings that stay until someone says they are handled.

A problem said once ("the dressing is wet", or a "no" in the daily check) must not be
forgotten by the next question. It is kept as an `OpenFinding` (stored by the daemon,
so it survives a restart), raised as an alarm of its clinical priority, and named in
every status answer, until the family says it is handled ("we called", "the nurse
changed it") or the care team clears it. Pure: plain values in, findings out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from hub.core import phrases
from hub.core.codes import Code
from hub.core.findings import Assessment, Finding
from hub.core.home import PumpLight
from hub.core.plan import CarePlan
from hub.core.pump_lights import light_severity
from hub.core.severity import Severity


@dataclass(frozen=True)
class OpenFinding:
    """One reported problem, open since `at`. `detail` narrows it (a light's colour)."""

    code: Code
    at: datetime
    detail: str = ""


@dataclass(frozen=True)
class _Kind:
    what: str  # finishes "You told me at 9:05 that ..."
    comes_in: bool = True


# Source, "When to call your care team": each of these is a reason to call; line, pump,
# port and dressing problems mean coming in ("You will need to come to the PACC").
KINDS: Mapping[Code, _Kind] = MappingProxyType({
    Code.REPORTED_LINE_DISCONNECTED: _Kind("the line came apart"),
    Code.REPORTED_LINE_LOOSE: _Kind("a connection on the line was not tight"),
    Code.REPORTED_PUMP_BEEPING: _Kind("the pump is beeping"),
    Code.REPORTED_PUMP_STOPPED: _Kind("the pump stopped"),
    Code.REPORTED_PUMP_LIGHT: _Kind("the pump light was not green and blinking"),
    Code.REPORTED_DRESSING_DIRTY: _Kind("the dressing is dirty"),
    Code.REPORTED_DRESSING_WET: _Kind("the dressing is wet"),
    Code.REPORTED_DRESSING_TORN: _Kind("the dressing is torn"),
    Code.REPORTED_DRESSING: _Kind("the dressing was not clean, dry and whole"),
    Code.REPORTED_PORT_PAIN: _Kind("the port hurts", comes_in=False),
    Code.REPORTED_PORT_SWELLING: _Kind("the port is swollen", comes_in=False),
    Code.REPORTED_LEAKING: _Kind("something is leaking", comes_in=False),
    Code.REPORTED_OTHER: _Kind("something is wrong", comes_in=False),
})

# A "no" in the daily check at a step whose "no" means calling opens one of these.
CHECK_STEP_CODES: Mapping[str, Code] = MappingProxyType({
    "line_connections": Code.REPORTED_LINE_LOOSE,
    "pump_light": Code.REPORTED_PUMP_LIGHT,
    "dressing": Code.REPORTED_DRESSING,
})


def severity_of(item: OpenFinding) -> Severity:
    """Return the clinical priority of a reported problem.

    A reported light follows the same table as a sensed one (hub.core.pump_lights); a
    light whose colour was not said is urgent, as the daily check treats it. Everything
    else on the sheet's list is a call right away: urgent.
    """
    if item.code is Code.REPORTED_PUMP_LIGHT and item.detail:
        severity = light_severity(PumpLight(item.detail))
        return Severity.URGENT if severity is Severity.UNKNOWN else severity
    return Severity.URGENT


def what_was_told(item: OpenFinding) -> str:
    """Return the problem in words that finish "You told me ... that ..."."""
    if item.code is Code.REPORTED_PUMP_LIGHT and item.detail:
        colour = item.detail.split("_")[0]
        return "the pump light is off" if colour == "off" else f"the pump light is {colour}"
    return KINDS.get(item.code, KINDS[Code.REPORTED_OTHER]).what


def told_at(at: datetime, now: datetime) -> str:
    """Say when it was told: "at 9:05", "yesterday at 9:05", "on Monday at 9:05"."""
    days = (now.date() - at.date()).days
    clock = phrases.spoken_clock(at)
    if days <= 0:
        return f"at {clock}"
    return f"yesterday at {clock}" if days == 1 else f"on {at:%A} at {clock}"


def finding_for(item: OpenFinding, plan: CarePlan, now: datetime) -> Finding:
    """Return the open finding as the replies and the alarms see it."""
    kind = KINDS.get(item.code, KINDS[Code.REPORTED_OTHER])
    severity = severity_of(item)
    says = phrases.told_me(told_at(item.at, now), what_was_told(item))
    speech_parts = [says, phrases.HAVE_YOU_CALLED,
                    phrases.call_now(plan) if severity is Severity.URGENT else phrases.call_to_ask(plan)]
    return Finding(item.code, "reported", severity, says, calls=True,
                   comes_in=kind.comes_in and severity is Severity.URGENT, speech=" ".join(speech_parts))


def with_reported(assessment: Assessment, items: Iterable[OpenFinding], plan: CarePlan,
                  now: datetime) -> Assessment:
    """Return `assessment` with the open reported problems added: never all ok while one is open."""
    extra = tuple(finding_for(item, plan, now) for item in items)
    return Assessment(assessment.findings + extra) if extra else assessment


def add(items: tuple[OpenFinding, ...], new: OpenFinding) -> tuple[OpenFinding, ...]:
    """Return the open findings with `new` added; a problem already open keeps its first time."""
    if any(item.code == new.code and item.detail == new.detail for item in items):
        return items
    return (*items, new)
