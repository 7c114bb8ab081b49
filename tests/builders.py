"""Small builders for test homes: a calm home, and the fixed moment tests run at."""

from __future__ import annotations

from datetime import datetime

from hub.core.home import Environment, HomeState, InfusionState, PumpLight, PumpState, Reading

NOW = datetime(2026, 11, 24, 9, 0, 0)


def calm_home(**overrides) -> HomeState:
    """A home where everything is fresh and fine; override parts to break it."""
    env = Environment(temperature_c=Reading(22.0, 10), humidity_pct=Reading(45.0, 10),
                      light_lux=Reading(250.0, 10))
    pump = PumpState(is_bridge_connected=True, light=PumpLight.GREEN_BLINKING, is_beeping=False,
                     screen="", age_s=2)
    values = dict(environment=env, pump=pump, infusion=InfusionState(True, None),
                  bag_changes=(datetime(2026, 11, 25, 10, 0),))
    values.update(overrides)
    return HomeState(**values)
