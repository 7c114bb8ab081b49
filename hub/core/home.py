"""The state of the home as the hub last saw it: plain values, no hardware.

Drivers (hub.sensors, hub.pump) and the scenario loader (hub.core.scenario) both produce a
`HomeState`; the assessment consumes it. `None` always means "not known", and every
consumer must treat not known as unknown, never as fine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class PumpLight(str, Enum):
    """What the pump's infusion light is doing, as decided over a time window."""

    GREEN_BLINKING = "green_blinking"
    GREEN_STEADY = "green_steady"
    AMBER_BLINKING = "amber_blinking"
    AMBER_STEADY = "amber_steady"
    GREEN_AMBER_BLINKING = "green_amber_blinking"
    RED = "red"
    BLUE = "blue"
    OFF = "off"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reading:
    """One measured quantity as the assessment sees it.

    `value` is None when the sensor did not answer; `age_s` is None when nobody knows
    how old the value is; `is_valid` is False when a driver's own checks (CRC, stuck
    value, plausibility) failed. Any of those makes the quantity unknown.
    """

    value: float | None = None
    age_s: float | None = None
    is_valid: bool = True


@dataclass(frozen=True)
class Environment:
    """The room around the pump."""

    temperature_c: Reading = field(default_factory=Reading)
    humidity_pct: Reading = field(default_factory=Reading)
    light_lux: Reading = field(default_factory=Reading)


@dataclass(frozen=True)
class PumpState:
    """What the pump-monitor bridge reports about the pump.

    `is_bridge_connected` None or False, or `age_s` None, makes every pump field unknown.
    """

    is_bridge_connected: bool | None = None
    light: PumpLight = PumpLight.UNKNOWN
    is_beeping: bool | None = None
    screen: str = ""
    age_s: float | None = None


@dataclass(frozen=True)
class InfusionState:
    """Whether the infusion is running. `is_known` False means nobody has said."""

    is_known: bool = False
    stopped_since: datetime | None = None


@dataclass(frozen=True)
class HomeState:
    """Everything the hub knows about the home at one moment.

    `bag_changes` are the appointments known from the scenario or the bridge of the
    moment; the care plan's own appointments are merged in by the assessment.
    """

    environment: Environment = field(default_factory=Environment)
    pump: PumpState = field(default_factory=PumpState)
    infusion: InfusionState = field(default_factory=InfusionState)
    bag_changes: tuple[datetime, ...] = ()
