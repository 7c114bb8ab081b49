"""The simulated home as a YAML scenario file: a moment in time and what the home looks like.

A missing section or key means "not known", and becomes unknown in the home state,
never a default that looks fine. A malformed file is refused like a bad plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from hub.errors import ScenarioError
from hub.core.inputs import MAX_SCENARIO_BYTES, InputRefused, load_yaml, read_capped
from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading
from hub.core.local_time import parse_local_datetime

_SECTIONS = {"now", "environment", "pump", "infusion", "schedule"}
_ENV_KEYS = {"temperature_c", "humidity_pct", "light_lux", "age_s"}
_PUMP_KEYS = {"bridge_connected", "light", "beeping", "screen", "age_s"}


@dataclass(frozen=True)
class Scenario:
    """A moment in the simulated home."""

    now: datetime
    home: HomeState
    source: str = "<scenario>"


def load_scenario(path: str | Path) -> Scenario:
    """Return the scenario in `path`, or raise `ScenarioError` naming file, field and problem."""
    source = str(path)
    try:
        text = read_capped(path, MAX_SCENARIO_BYTES)
    except FileNotFoundError:
        raise ScenarioError(source, "file", "not found") from None
    except InputRefused as exc:
        raise ScenarioError(source, "file", str(exc)) from None
    except UnicodeDecodeError:
        raise ScenarioError(source, "file", "is not UTF-8 text") from None
    except OSError as exc:
        raise ScenarioError(source, "file", f"cannot be read ({exc.strerror})") from None
    return parse_scenario_text(text, source=source)


def parse_scenario_text(text: str, *, source: str = "<scenario>") -> Scenario:
    """Return the scenario in YAML `text`, or raise `ScenarioError` as `load_scenario` does."""
    try:
        raw = load_yaml(text)
    except (yaml.YAMLError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "too deeply nested"
        raise ScenarioError(source, "file", f"is not valid YAML ({first[:120]})") from None
    return parse_scenario(raw, source=source)


def parse_scenario(raw: Any, *, source: str = "<scenario>", default_now: datetime | None = None) -> Scenario:
    """Return a `Scenario` from parsed YAML (a dict)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScenarioError(source, "file", "must be a mapping with sections like now, environment, pump")
    for key in raw:
        if key not in _SECTIONS:
            raise ScenarioError(source, str(key), f"unknown section (expected: {', '.join(sorted(_SECTIONS))})")
    if "now" in raw:
        now = _datetime(raw["now"], source, "now")
    elif default_now is not None:
        now = default_now
    else:
        now = datetime.now().replace(microsecond=0)
    home = HomeState(
        environment=_environment(_section(raw, "environment", source), source),
        pump=_pump(_section(raw, "pump", source), source),
        infusion=_infusion(raw, source),
        bag_changes=_bag_changes(raw, source),
    )
    return Scenario(now=now, home=home, source=source)


def _section(raw: dict[str, Any], name: str, source: str) -> dict[str, Any] | None:
    if name not in raw or raw[name] is None:
        return None
    value = raw[name]
    if not isinstance(value, dict):
        raise ScenarioError(source, name, "must be a mapping")
    return value


def _environment(env: dict[str, Any] | None, source: str) -> Environment:
    if env is None:
        return Environment()
    _known_keys(env, _ENV_KEYS, source, "environment")
    age = _optional_number(env.get("age_s"), source, "environment.age_s")

    def reading(key: str) -> Reading:
        return Reading(value=_optional_number(env.get(key), source, f"environment.{key}"), age_s=age)

    return Environment(temperature_c=reading("temperature_c"), humidity_pct=reading("humidity_pct"),
                       light_lux=reading("light_lux"))


def _pump(pump: dict[str, Any] | None, source: str) -> PumpState:
    if pump is None:
        return PumpState()
    _known_keys(pump, _PUMP_KEYS, source, "pump")
    connected = pump.get("bridge_connected")
    if connected is not None and not isinstance(connected, bool):
        raise ScenarioError(source, "pump.bridge_connected", "must be true, false or null")
    light_raw = pump.get("light", "unknown")
    try:
        light = PumpLight(light_raw if light_raw is not None else "unknown")
    except ValueError:
        choices = ", ".join(light.value for light in PumpLight)
        raise ScenarioError(source, "pump.light", f"{light_raw!r} is not one of: {choices}") from None
    beeping = pump.get("beeping")
    if beeping is not None and not isinstance(beeping, bool):
        raise ScenarioError(source, "pump.beeping", "must be true, false or null")
    screen = pump.get("screen") or ""
    if not isinstance(screen, str):
        raise ScenarioError(source, "pump.screen", "must be text")
    return PumpState(is_bridge_connected=connected, light=light, is_beeping=beeping, screen=screen,
                     age_s=_optional_number(pump.get("age_s"), source, "pump.age_s"))


def _infusion(raw: dict[str, Any], source: str) -> InfusionState:
    section = _section(raw, "infusion", source)
    if section is None or "stopped_since" not in section:
        return InfusionState(is_known=False)
    _known_keys(section, {"stopped_since"}, source, "infusion")
    value = section["stopped_since"]
    if value is None:
        return InfusionState(is_known=True, stopped_since=None)
    return InfusionState(is_known=True, stopped_since=_datetime(value, source, "infusion.stopped_since"))


def _bag_changes(raw: dict[str, Any], source: str) -> tuple[datetime, ...]:
    section = _section(raw, "schedule", source)
    if section is None:
        return ()
    _known_keys(section, {"bag_changes"}, source, "schedule")
    items = section.get("bag_changes") or []
    if not isinstance(items, list):
        raise ScenarioError(source, "schedule.bag_changes", "must be a list of date-times")
    return tuple(sorted(_datetime(item, source, f"schedule.bag_changes[{i}]") for i, item in enumerate(items)))


def _known_keys(section: dict[str, Any], allowed: set[str], source: str, name: str) -> None:
    for key in section:
        if key not in allowed:
            raise ScenarioError(source, f"{name}.{key}", f"unknown key (expected: {', '.join(sorted(allowed))})")


def _optional_number(value: Any, source: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(source, where, f"{value!r} is not a number")
    number = float(value)
    if math.isnan(number):
        raise ScenarioError(source, where, "is not a number (NaN)")
    return number


def _datetime(value: Any, source: str, where: str) -> datetime:
    return parse_local_datetime(value, source, where, error=ScenarioError)
