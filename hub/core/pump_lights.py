"""One table for the pump's infusion light: how serious each light is, and its words.

The same light means the same thing whether the pump-monitor bridge sees it or the
family tells the hub about it: a blue light must not be a warning when sensed and
urgent when reported (issue 17). Source: "Check the infusion light on the pump ...
It should be green and blinking"; any other light is a pump problem ("If there's a
problem with the pump ... call ... right away"), and where the sheet is silent on what
a light means, the answer is to call.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hub.core import phrases
from hub.core.home import PumpLight
from hub.core.severity import Severity

# Red, amber and off are what a stopped or failing pump shows: urgent, and come in.
# Steady green, blinking green-and-amber and blue are not the normal light either; they
# are warnings with a call, said the same way whichever way the hub learns of them.
LIGHT_SEVERITY: Mapping[PumpLight, Severity] = MappingProxyType({
    PumpLight.GREEN_BLINKING: Severity.OK,
    PumpLight.RED: Severity.URGENT,
    PumpLight.AMBER_BLINKING: Severity.URGENT,
    PumpLight.AMBER_STEADY: Severity.URGENT,
    PumpLight.OFF: Severity.URGENT,
    PumpLight.GREEN_STEADY: Severity.WARNING,
    PumpLight.GREEN_AMBER_BLINKING: Severity.WARNING,
    PumpLight.BLUE: Severity.WARNING,
    PumpLight.UNKNOWN: Severity.UNKNOWN,
})

# The light as the hub says it saw it ("The pump monitor sees a green, blinking light").
LIGHT_SEEN: Mapping[PumpLight, str] = MappingProxyType({
    PumpLight.GREEN_BLINKING: "a green, blinking light",
    PumpLight.GREEN_STEADY: "a steady green light, not blinking",
    PumpLight.AMBER_BLINKING: "a blinking amber light",
    PumpLight.AMBER_STEADY: "an amber light",
    PumpLight.GREEN_AMBER_BLINKING: "a light blinking green and amber",
    PumpLight.RED: "a red light",
    PumpLight.BLUE: "a blue light",
    PumpLight.OFF: "no light at all",
    PumpLight.UNKNOWN: "no light it can make out",
})

# What the family may say a light looks like ("the pump light is orange"), as a light.
REPORTED_COLOURS: Mapping[str, PumpLight] = MappingProxyType({
    "red": PumpLight.RED,
    "amber": PumpLight.AMBER_STEADY,
    "orange": PumpLight.AMBER_STEADY,
    "yellow": PumpLight.AMBER_STEADY,
    "blue": PumpLight.BLUE,
    "off": PumpLight.OFF,
})


def light_severity(light: PumpLight) -> Severity:
    """Return how serious `light` is; a light not in the table is unknown, never ok."""
    return LIGHT_SEVERITY.get(light, Severity.UNKNOWN)


def light_words(light: PumpLight) -> str:
    """Return what the hub says about `light` (empty for the normal light)."""
    if light_severity(light) is Severity.URGENT:
        return phrases.PUMP_LIGHT_URGENT[light.value]
    if light_severity(light) is Severity.WARNING:
        return phrases.PUMP_LIGHT_ODD[light.value]
    if light is PumpLight.GREEN_BLINKING:
        return ""
    return phrases.PUMP_LIGHT_UNKNOWN
