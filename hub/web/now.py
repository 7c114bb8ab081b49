"""The Now page: the pump and the room with each reading's age, open alarms, today's check, next bag change.

Every value shown goes through the assessment's own test (`usable_value`, `assess`):
a reading that is missing, stale, implausible or failed its checks shows as unknown,
never as a number that looks fine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.core.assessment import (PLAUSIBLE_HUMIDITY_PCT, PLAUSIBLE_LIGHT_LUX, PLAUSIBLE_TEMPERATURE_C, assess,
                                 usable_value)
from hub.core.home import Environment, HomeState, PumpLight, PumpState, Reading
from hub.core.plan import CarePlan
from hub.store.audit import AuditAction
from hub.web.auth import checked_form, console_of, require
from hub.web.context import Console

_QUANTITIES = (
    ("temperature_c", "Room temperature", "°C", PLAUSIBLE_TEMPERATURE_C),
    ("humidity_pct", "Humidity", "%", PLAUSIBLE_HUMIDITY_PCT),
    ("light_lux", "Light", "lux", PLAUSIBLE_LIGHT_LUX),
)


@dataclass(frozen=True)
class Shown:
    """One line of the Now page: what, its value or 'unknown', its age, and why if unknown."""

    label: str
    value: str
    age: str
    is_known: bool
    why: str = ""


def age_text(age_s: float | None) -> str:
    if age_s is None:
        return "age not known"
    if age_s < 0:
        return "from the future (clock problem)"
    if age_s < 90:
        return f"{age_s:.0f} s ago"
    if age_s < 90 * 60:
        return f"{age_s / 60:.0f} min ago"
    if age_s < 48 * 3600:
        return f"{age_s / 3600:.1f} h ago"
    return f"{age_s / 86400:.1f} days ago"


def home_now(console: Console, now: datetime) -> HomeState:
    """Return the home with every age counted up to `now`: from the daemon's last read when the
    console runs inside it, else from the log (room only; the pump is then unknown)."""
    live = console.live_home()
    if live is not None:
        extra = (now - live.at).total_seconds()
        env = live.home.environment
        pump = live.home.pump
        return replace(live.home,
                       environment=Environment(*(_older(r, extra) for r in (env.temperature_c, env.humidity_pct,
                                                                            env.light_lux))),
                       pump=replace(pump, age_s=None if pump.age_s is None else pump.age_s + extra))
    readings = []
    for quantity, *_ in _QUANTITIES:
        latest = console.history.latest(quantity)
        readings.append(Reading() if latest is None else
                        Reading(latest.value, (now - latest.at).total_seconds(), latest.is_valid))
    return HomeState(Environment(*readings), PumpState())


def _older(reading: Reading, extra_s: float) -> Reading:
    return reading if reading.age_s is None else replace(reading, age_s=reading.age_s + extra_s)


def shown_room(plan: CarePlan, home: HomeState) -> list[Shown]:
    out = []
    for quantity, label, unit, plausible in _QUANTITIES:
        reading: Reading = getattr(home.environment, quantity)
        value = usable_value(reading, plan.limits.room_stale_after_s, plausible)
        if value is not None:
            out.append(Shown(label, f"{value:.1f} {unit}" if unit != "lux" else f"{value:.0f} lux",
                             age_text(reading.age_s), True))
            continue
        if reading.value is None:
            why = "no reading"
        elif not reading.is_valid:
            why = "the sensor's own checks failed"
        elif reading.age_s is None or reading.age_s > plan.limits.room_stale_after_s:
            why = f"too old to trust (limit {plan.limits.room_stale_after_s:g} s)"
        else:
            why = "not a believable value"
        out.append(Shown(label, "unknown", age_text(reading.age_s), False, why))
    return out


def shown_pump(plan: CarePlan, pump: PumpState) -> list[Shown]:
    age = age_text(pump.age_s)
    is_fresh = (bool(pump.is_bridge_connected) and pump.age_s is not None
                and 0 <= pump.age_s <= plan.limits.pump_stale_after_s)
    if pump.is_bridge_connected is None:
        why = "no report from the pump monitor"
    elif not pump.is_bridge_connected:
        why = "the pump monitor is not connected"
    elif not is_fresh:
        why = f"no report for too long (limit {plan.limits.pump_stale_after_s:g} s)"
    else:
        why = ""
    light = pump.light.value.replace("_", " ") if is_fresh and pump.light is not PumpLight.UNKNOWN else "unknown"
    beeping = ("beeping" if pump.is_beeping else "quiet") if is_fresh and pump.is_beeping is not None else "unknown"
    light_why = why or ("light not seen" if light == "unknown" else "")
    beep_why = why or ("not heard" if beeping == "unknown" else "")
    return [Shown("Pump light", light, age, light != "unknown", light_why),
            Shown("Pump beeping", beeping, age, beeping != "unknown", beep_why)]


async def now_page(request: Request) -> Response:
    session = require(request)
    console = console_of(request)
    plan, now = console.plan(), console.now()
    home = home_now(console, now)
    findings = assess(plan, home, now).findings
    upcoming = [at for at in plan.bag_changes if at >= now]
    context = {
        "user": session.user, "csrf": session.csrf, "now": now, "plan": plan,
        "pump": shown_pump(plan, home.pump), "room": shown_room(plan, home),
        "findings": [f for f in findings if not f.is_ok],
        "alarms": console.history.open_alarms(),
        "heard": console.history.reported_problems(now.replace(hour=0, minute=0, second=0), now, 10),
        "check_status": console.history.daily_check_status(now.date()) or "not started",
        "next_bag_change": upcoming[0] if upcoming else None,
        "can_acknowledge": console.acknowledge is not None,
        "acknowledged": request.query_params.get("acknowledged") == "1",
    }
    return request.app.state.templates.TemplateResponse(request, "now.html", context)


async def acknowledge(request: Request) -> Response:
    """Press the acknowledge button from the console, as the family would on the hub."""
    session = require(request)
    await checked_form(request, session)
    console = console_of(request)
    if console.acknowledge is None:
        return RedirectResponse("/", status_code=303)
    console.acknowledge()
    console.audit.add(console.now(), session.user.name, AuditAction.ACKNOWLEDGED,
                      f"{len(console.history.open_alarms())} open alarms")
    return RedirectResponse("/?acknowledged=1", status_code=303)
