"""Appointment watching: was the pump at home during a bag change it should have gone to?

Around each bag-change appointment the daemon notes, every tick, whether the pump was
seen at home (connected, its light read, the reading fresh). Once the window has passed,
a pump seen at home throughout means the appointment was probably missed, and the
family hears it with the care team's number (hub.core.reminders.missed_appointment).
Only positive evidence counts: a pump unseen even once claims nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hub.core import reminders as rules
from hub.core.home import HomeState, PumpLight
from hub.core.plan import CarePlan


class AppointmentWatch:
    """The sightings of the pump around each appointment; bounded to the appointments in their window."""

    def __init__(self) -> None:
        self.sightings: dict[datetime, rules.Sightings] = {}

    def watch(self, plan: CarePlan, appointments: Iterable[datetime], home: HomeState, wall: datetime,
              given: frozenset[str]) -> list[rules.Reminder]:
        """Note whether the pump is at home during each appointment; return the likely misses now due."""
        pump = home.pump
        is_seen = bool(pump.is_bridge_connected) and pump.light is not PumpLight.UNKNOWN \
            and pump.age_s is not None and pump.age_s <= plan.limits.pump_stale_after_s
        for at in appointments:
            if rules.is_in_missed_window(at, wall):
                self.sightings[at] = self.sightings.get(at, rules.Sightings()).add(is_seen)
        missed = []
        for at in list(self.sightings):
            reminder = rules.missed_appointment(plan, at, wall, self.sightings[at], given)
            if reminder is not None:
                missed.append(reminder)
                given = given | {reminder.key}
            if wall >= at + rules.MISSED_WINDOW or wall < at - rules.MISSED_WINDOW:
                del self.sightings[at]
        return missed
