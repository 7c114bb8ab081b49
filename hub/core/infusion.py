"""Whether the infusion is running, judged from what the pump bridge shows over time.

The pump has no data port, so on a real device the hub infers the infusion from the
pump's light: green and blinking means it is infusing. A red or dark light means it
has stopped. Once a stop is seen it stays a stop until a fresh green, blinking light
is seen again: losing sight of the pump does not make a stopped infusion look restarted.
Durations run on the monotonic clock, so a wall-clock jump cannot shorten a stop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.core.assessment import is_fresh
from hub.core.home import InfusionState, PumpLight, PumpState

_LOGGER = logging.getLogger(__name__)

# Lights that mean the pump is not delivering. Amber is an alert the pump may give
# while still running; it is urgent on its own (see assessment), but not a stop.
STOPPED_LIGHTS = frozenset({PumpLight.RED, PumpLight.OFF})


@dataclass
class InfusionTracker:
    """Feed it every pump reading; it returns the infusion state to assess."""

    pump_stale_after_s: float
    _stopped_at_mono_s: float | None = None
    _is_running_seen: bool = False

    def observe(self, pump: PumpState, now: datetime, mono_s: float) -> InfusionState:
        """Return the infusion state after this pump reading, taken at wall `now` and monotonic `mono_s`."""
        is_seen = (pump.is_bridge_connected is True
                   and is_fresh(pump.age_s, self.pump_stale_after_s))
        if is_seen and pump.light is PumpLight.GREEN_BLINKING:
            if self._stopped_at_mono_s is not None:
                _LOGGER.warning("Pump light green and blinking again: the infusion is running")
            self._stopped_at_mono_s, self._is_running_seen = None, True
        elif is_seen and pump.light in STOPPED_LIGHTS:
            if self._stopped_at_mono_s is None:
                _LOGGER.warning("Pump light %s: the infusion has stopped", pump.light.value)
                self._stopped_at_mono_s = mono_s - (pump.age_s or 0.0)
        elif not is_seen:
            # Without sight of the pump a running infusion is no longer known to run.
            self._is_running_seen = False
        if self._stopped_at_mono_s is not None:
            stopped_for = timedelta(seconds=max(0.0, mono_s - self._stopped_at_mono_s))
            return InfusionState(is_known=True, stopped_since=now - stopped_for)
        if is_seen and self._is_running_seen:
            return InfusionState(is_known=True, stopped_since=None)
        return InfusionState(is_known=False)
