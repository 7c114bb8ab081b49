"""The safety core: from care plan, home state and time to findings. Pure, no I/O.

Rule of the whole module: a reading that is missing, stale, implausible or from a
disconnected device yields an `unknown` finding, never an `ok` one. Only a fresh,
plausible, in-range reading can be ok.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from hub.core import phrases
from hub.core.findings import Assessment, Finding
from hub.core.home import HomeState, InfusionState, PumpState, Reading
from hub.core.plan import CarePlan
from hub.core.pump_lights import light_severity, light_words
from hub.core.severity import Severity
from hub.core.codes import Code
from hub.core.local_time import is_plausible_date
from hub.core.wrong_number import guard_speech

# Plausible ranges for a room a child lives in; outside them the sensor is wrong, not the room.
PLAUSIBLE_TEMPERATURE_C = (-30.0, 70.0)
PLAUSIBLE_HUMIDITY_PCT = (0.0, 100.0)
PLAUSIBLE_LIGHT_LUX = (0.0, 200_000.0)
# A pump screen holds a short message; more than this is a garbled or hostile reading, and
# is cut rather than read out for minutes.
MAX_SCREEN_CHARS = 80
# Source: "If your infusion stops for more than 4 hours, we may admit you to the hospital".
STOPPED_ADMISSION_AFTER = timedelta(hours=4)



def assess(plan: CarePlan, home: HomeState, now: datetime) -> Assessment:
    """Return the findings for pump, infusion and room at `now`.

    This is the one place that decides whether something is ok; voice, daemon and
    MQTT only carry its words.
    """
    pump = _assess_pump(plan, home.pump)
    infusion = _assess_infusion(plan, home.infusion, now)
    return Assessment(tuple([*_assess_clock(plan, now), *_one_alarm_for_a_stop(plan, pump, infusion), *infusion,
                               *_assess_room(plan, home)]))


def _one_alarm_for_a_stop(plan: CarePlan, pump: list[Finding], infusion: list[Finding]) -> list[Finding]:
    """A stopped infusion and the pump light that shows it are one situation, one alarm.

    The urgent light finding is left out while the infusion is known to be stopped: the
    stop's own finding says to call and come in, and its clock runs (issue 17: two
    urgent alarms for one stop each said "call now")."""
    if not any(f.code in (Code.INFUSION_STOPPED, Code.INFUSION_STOPPED_LONG) for f in infusion):
        return pump
    return [f for f in pump if not (f.code is Code.PUMP_LIGHT and f.severity is Severity.URGENT)]


def is_fresh(age_s: float | None, limit_s: float) -> bool:
    """True only for a known, non-negative age no older than `limit_s`.

    A negative age means the clock or the device is confused: not fresh.
    """
    return age_s is not None and math.isfinite(age_s) and 0.0 <= age_s <= limit_s


def usable_value(reading: Reading, limit_s: float, plausible: tuple[float, float]) -> float | None:
    """Return the reading's value if it can be trusted now, else None (unknown)."""
    value = reading.value
    if not reading.is_valid or value is None or isinstance(value, bool):
        return None
    if not math.isfinite(value) or not plausible[0] <= value <= plausible[1]:
        return None
    if not is_fresh(reading.age_s, limit_s):
        return None
    return float(value)


def _finding(code: Code, topic: str, severity: Severity, says: str, plan: CarePlan,
             *, calls: bool = False, comes_in: bool = False, calm: str = "") -> Finding:
    phone = plan.care_team.phone
    says = guard_speech(says, phone=phone)
    parts = [says]
    if calls and severity is Severity.URGENT:
        parts.append(phrases.call_now(plan))
    elif calls or severity is Severity.WARNING:
        parts.append(phrases.call_to_ask(plan))
    if comes_in:
        parts.append(phrases.come_in(plan))
    return Finding(code, topic, severity, says, calls=calls, comes_in=comes_in,
                   speech=guard_speech(" ".join(parts), phone=phone), calm=calm or says)


def _assess_clock(plan: CarePlan, now: datetime) -> list[Finding]:
    """A date the clock cannot really be at (year 1, year 9999, 1970 before time sync) makes
    every time-based judgement unknown: it is said, and nothing is all clear."""
    if is_plausible_date(now):
        return []
    return [_finding(Code.HUB_CLOCK_UNSET, "hub", Severity.UNKNOWN, phrases.CLOCK_UNSET, plan)]


def screen_text(screen: str) -> str:
    """Return a pump screen's words as they may be read out: printable, one line, at most
    MAX_SCREEN_CHARS characters."""
    words = " ".join("".join(ch if ch.isprintable() else " " for ch in screen).split())
    if len(words) > MAX_SCREEN_CHARS:
        words = words[:MAX_SCREEN_CHARS].rsplit(" ", 1)[0].rstrip(" .,;:") + "..."
    return words


def _assess_pump(plan: CarePlan, pump: PumpState) -> list[Finding]:
    if pump.is_bridge_connected is None:
        return [_finding(Code.PUMP_UNKNOWN, "pump", Severity.UNKNOWN, phrases.PUMP_NO_BRIDGE, plan)]
    if not pump.is_bridge_connected:
        return [_finding(Code.BRIDGE_DISCONNECTED, "pump", Severity.UNKNOWN, phrases.PUMP_NO_BRIDGE, plan)]
    if not is_fresh(pump.age_s, plan.limits.pump_stale_after_s):
        return [_finding(Code.PUMP_STALE, "pump", Severity.UNKNOWN, phrases.PUMP_STALE, plan)]

    out: list[Finding] = []
    screen = phrases.pump_screen(screen_text(pump.screen)) if screen_text(pump.screen) else ""
    if pump.is_beeping is True:
        says = f"{phrases.PUMP_BEEPING} {screen}".strip()
        out.append(_finding(Code.PUMP_BEEPING, "pump", Severity.URGENT, says, plan, calls=True, comes_in=True))
    elif screen:
        # Words on the screen of a quiet pump are never an all-clear ("Low battery"): the
        # sheet says the screen shows information about a problem; read it to the care team.
        out.append(_finding(Code.PUMP_SCREEN, "pump", Severity.WARNING, f"{screen} {phrases.PUMP_SCREEN_READ}",
                            plan, calls=True))
    light = pump.light
    severity = light_severity(light)
    if severity is Severity.URGENT:
        out.append(_finding(Code.PUMP_LIGHT, "pump", Severity.URGENT, light_words(light),
                            plan, calls=True, comes_in=True))
    elif severity is Severity.WARNING:
        out.append(_finding(Code.PUMP_LIGHT, "pump", Severity.WARNING, light_words(light), plan, calls=True))
    elif severity is not Severity.OK:
        out.append(_finding(Code.PUMP_LIGHT_UNKNOWN, "pump", Severity.UNKNOWN, phrases.PUMP_LIGHT_UNKNOWN, plan))
    if pump.is_beeping is None and not any(f.severity is Severity.URGENT for f in out):
        out.append(_finding(Code.PUMP_BEEP_UNKNOWN, "pump", Severity.UNKNOWN, phrases.PUMP_BEEP_UNKNOWN, plan))
    if not out:
        out.append(_finding(Code.PUMP_OK, "pump", Severity.OK, phrases.PUMP_OK, plan))
    return out


def _assess_infusion(plan: CarePlan, infusion: InfusionState, now: datetime) -> list[Finding]:
    if not infusion.is_known:
        return [_finding(Code.INFUSION_UNKNOWN, "infusion", Severity.UNKNOWN, phrases.INFUSION_UNKNOWN, plan)]
    if infusion.stopped_since is None:
        return [_finding(Code.INFUSION_RUNNING, "infusion", Severity.OK, "", plan)]
    # A stop time in the future is a clock problem; the stop itself is still reported.
    if now - infusion.stopped_since > STOPPED_ADMISSION_AFTER:
        says = f"{phrases.INFUSION_STOPPED} {phrases.infusion_stopped_long(plan)}"
        return [_finding(Code.INFUSION_STOPPED_LONG, "infusion", Severity.URGENT, says, plan,
                         calls=True, comes_in=True, calm=phrases.INFUSION_STILL_STOPPED)]
    return [_finding(Code.INFUSION_STOPPED, "infusion", Severity.URGENT, phrases.INFUSION_STOPPED, plan,
                     calls=True, comes_in=True, calm=phrases.INFUSION_STILL_STOPPED)]


def _assess_room(plan: CarePlan, home: HomeState) -> list[Finding]:
    env, lim = home.environment, plan.limits
    stale = lim.room_stale_after_s
    out: list[Finding] = []

    temp = usable_value(env.temperature_c, stale, PLAUSIBLE_TEMPERATURE_C)
    if temp is None:
        out.append(_finding(Code.ROOM_TEMPERATURE_UNKNOWN, "room", Severity.UNKNOWN, phrases.TEMPERATURE_UNKNOWN, plan))
    elif temp > lim.temperature_max_c:
        out.append(_finding(Code.ROOM_TOO_HOT, "room", Severity.WARNING, phrases.room_too_hot(plan, temp), plan))
    elif temp < lim.temperature_min_c:
        out.append(_finding(Code.ROOM_TOO_COLD, "room", Severity.WARNING, phrases.room_too_cold(plan, temp), plan))
    else:
        out.append(_finding(Code.ROOM_TEMPERATURE, "room", Severity.OK, phrases.room_ok(temp), plan))

    humidity = usable_value(env.humidity_pct, stale, PLAUSIBLE_HUMIDITY_PCT)
    if humidity is None:
        out.append(_finding(Code.ROOM_HUMIDITY_UNKNOWN, "room", Severity.UNKNOWN, phrases.HUMIDITY_UNKNOWN, plan))
    elif humidity > lim.humidity_max_pct:
        out.append(_finding(Code.ROOM_STEAM, "room", Severity.WARNING, phrases.ROOM_STEAM, plan))
    else:
        out.append(_finding(Code.ROOM_HUMIDITY, "room", Severity.OK, phrases.ROOM_NOT_DAMP, plan))

    lux = usable_value(env.light_lux, stale, PLAUSIBLE_LIGHT_LUX)
    if lux is None:
        out.append(_finding(Code.ROOM_LIGHT_UNKNOWN, "room", Severity.UNKNOWN, phrases.LIGHT_UNKNOWN, plan))
    elif lux >= lim.sunlight_min_lux:
        out.append(_finding(Code.ROOM_SUNLIGHT, "room", Severity.WARNING, phrases.ROOM_SUN, plan))
    else:
        out.append(_finding(Code.ROOM_LIGHT, "room", Severity.OK, phrases.ROOM_NO_SUN, plan))
    return out
