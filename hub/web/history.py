"""The History and Report pages: plots of the room with the plan's limits, the pump's timeline,
alarms, the daily-check calendar and bag changes, for a period.

The charts are drawn in the browser by uPlot (vendored in hub/web/static) from buckets
averaged in SQL (hub.store.history); a page carries a few hundred points per plot,
whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from hub.core.plan import CarePlan
from hub.store.history import History, epoch_s
from hub.store.record import AlarmRecord
from hub.web.auth import console_of, require

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
POINTS = 600
# The pump's light as a level on the timeline's y axis, in the order they are drawn.
PUMP_LEVELS = ("no_bridge", "unknown", "off", "red", "amber_steady", "amber_blinking", "green_amber_blinking",
               "blue", "green_steady", "green_blinking")


def bucket_for(span: timedelta) -> int:
    """Return a bucket size giving at most about POINTS points over `span`: whole minutes up to a
    week, whole hours beyond (drawn from the hourly statistics)."""
    if span > timedelta(days=7):
        return max(1, -(-int(span.total_seconds()) // (POINTS * 3600))) * 3600
    return max(1, -(-int(span.total_seconds()) // (POINTS * 60))) * 60


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    label: str


def chart_data(history: History, plan: CarePlan, period: Period) -> dict[str, Any]:
    """Return what charts.js draws: each quantity's buckets with the plan's limits, and the pump's steps."""
    bucket_s = bucket_for(period.end - period.start)
    lim = plan.limits
    plots = []
    for quantity, title, unit, limits in (
            ("temperature_c", "Room temperature", "°C", [("too cold below", lim.temperature_min_c),
                                                         ("too hot above", lim.temperature_max_c)]),
            ("humidity_pct", "Humidity", "%", [("steam above", lim.humidity_max_pct)]),
            ("light_lux", "Light", "lux", [("direct sun above", lim.sunlight_min_lux)])):
        series = history.series(quantity, period.start, period.end, bucket_s)
        plots.append({"id": quantity, "title": title, "unit": unit, "x": series.times, "mean": series.means,
                      "low": series.lows, "high": series.highs,
                      "limits": [{"label": label, "value": value} for label, value in limits]})
    changes = history.pump_changes(period.start, period.end)
    steps_x = [epoch_s(c.at) for c in changes]
    light = [PUMP_LEVELS.index(c.light) if c.light in PUMP_LEVELS else 1 for c in changes]
    beeping = [None if c.is_beeping is None else int(c.is_beeping) for c in changes]
    if changes:  # carry the last state to the end of the period
        steps_x.append(epoch_s(period.end))
        light.append(light[-1])
        beeping.append(beeping[-1])
    return {"plots": plots, "start": epoch_s(period.start), "end": epoch_s(period.end),
            "pump": {"x": steps_x, "light": light, "beeping": beeping,
                     "levels": [level.replace("_", " ") for level in PUMP_LEVELS]}}


@dataclass(frozen=True)
class AlarmRow:
    record: AlarmRecord
    state: str


def alarm_rows(alarms: tuple[AlarmRecord, ...]) -> list[AlarmRow]:
    out = []
    for alarm in alarms:
        if alarm.ended_at is not None:
            state = "cleared"
        elif alarm.acknowledged_at is not None:
            state = "acknowledged, still on"
        else:
            state = "open"
        out.append(AlarmRow(alarm, state))
    return out


def bag_change_rows(plan: CarePlan, history: History, period: Period, now: datetime) -> list[tuple[datetime, str]]:
    missed = history.missed_bag_changes()
    out = []
    for at in plan.bag_changes:
        if not period.start <= at < period.end + timedelta(days=14):
            continue
        if at > now:
            state = "coming"
        elif at.isoformat(timespec="minutes") in missed:
            state = "missed: the hub saw the pump stay home"
        else:
            state = "past"
        out.append((at, state))
    return out


def weeks(days: tuple[Any, ...]) -> list[list[Any]]:
    """Return the daily checks laid out Monday to Sunday, one list per week, None for padding."""
    if not days:
        return []
    cells: list[Any] = [None] * days[0].day.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def period_context(request: Request, period: Period) -> dict[str, Any]:
    session = require(request)
    console = console_of(request)
    plan, now = console.plan(), console.now()
    history = console.history
    today = now.date()
    first_day: date = period.start.date()
    return {
        "user": session.user, "csrf": session.csrf, "plan": plan, "now": now, "period": period,
        "charts": chart_data(history, plan, period),
        "alarms": alarm_rows(history.alarms(period.start, period.end)),
        "calendar": weeks(history.daily_checks(first_day, (min(period.end, now) - timedelta(seconds=1)).date(),
                                               today)),
        "bag_changes": bag_change_rows(plan, history, period, now),
        "heard": history.reported_problems(period.start, period.end, 12),
    }


async def history_page(request: Request) -> Response:
    console = console_of(request)
    require(request)
    now = console.now()
    span = request.query_params.get("range", "24h")
    if span == "all":
        first = console.history.first_reading_at() or now - timedelta(hours=24)
        period = Period(min(first, now - timedelta(hours=1)), now, "the whole infusion")
    else:
        span = span if span in RANGES else "24h"
        period = Period(now - RANGES[span], now, {"24h": "the last 24 hours", "7d": "the last 7 days"}[span])
    context = period_context(request, period)
    context["range"] = span
    return request.app.state.templates.TemplateResponse(request, "history.html", context)


async def report_page(request: Request) -> Response:
    """A printable summary of a chosen period (days, inclusive) for a clinic visit."""
    console = console_of(request)
    require(request)
    now = console.now()
    errors = {}
    try:
        last = date.fromisoformat(request.query_params.get("to", now.date().isoformat()))
    except ValueError:
        errors["to"] = "not a date like 2026-11-30"
        last = now.date()
    try:
        first = date.fromisoformat(request.query_params.get("from", (last - timedelta(days=6)).isoformat()))
    except ValueError:
        errors["from"] = "not a date like 2026-11-23"
        first = last - timedelta(days=6)
    if first > last:
        errors["from"] = "must not be after the last day"
        first = last
    if (last - first).days > 62:
        errors["from"] = "a report covers at most 62 days"
        first = last - timedelta(days=62)
    start = datetime.combine(first, datetime.min.time())
    end = min(datetime.combine(last + timedelta(days=1), datetime.min.time()), max(now, start + timedelta(hours=1)))
    context = period_context(request, Period(start, end, f"{first:%a %d %b %Y} to {last:%a %d %b %Y}"))
    alarms = context["alarms"]
    context.update({"first": first, "last": last, "errors": errors,
                    "urgent_count": sum(1 for a in alarms if a.record.priority == "high"),
                    "days": [d for week in context["calendar"] for d in week if d is not None]})
    return request.app.state.templates.TemplateResponse(request, "report.html", context)
