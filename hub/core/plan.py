"""The care plan: what a care team tells the hub about one child's infusion.

A plan is a TOML file, loaded once and validated in full. Every field has a default
taken from the hospital's take-home instructions, so a plan may be almost empty; a
field that is present but wrong refuses the whole file with one line naming the file,
the field and the problem (see `PlanError`). Unknown fields are refused too: a typo
in a limit must not silently fall back to a default. Each limit's allowed range is
declared once, beside its default (hub.core.fields.bounded).

Device settings (voice, MQTT, web) are not part of the plan: they live in settings.toml
(hub.settings). An old plan that still has `[voice]` or `[mqtt]` loads, with a warning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.errors import PlanError
from hub.core.fields import Bounds, bounded, expect, number, parse_section, read_toml, refuse_unknown, text
from hub.core.local_time import parse_local_datetime
from hub.core.visits import Appointment
from hub.core.wrong_number import has_wrong_number

_LOGGER = logging.getLogger(__name__)

DEFAULT_PHONE = "212-639-2000"
# Appointments the daemon can schedule: far from datetime's limits, near enough to be real.
APPOINTMENT_YEARS = (2000, 2199)
_PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().-]{5,22}[0-9]$")
# Emergency numbers are short too (911, 112, 999).
_EMERGENCY_RE = re.compile(r"^\+?[0-9][0-9 ().-]{0,22}[0-9]$")


@dataclass(frozen=True)
class CareTeam:
    """Whom to call and where to go. Source: 'When to call your care team'.

    The defaults are the take-home sheet's hospital. They are used only by a plan for
    that hospital (its phone number): a plan that sets another hospital's number gets
    none of them, so the family is never sent to the PACC in Manhattan or told to ask
    for the pediatric fellow by another hospital's hub. What it leaves out is left out
    of the sentences (hub.core.phrases).
    """

    phone: str = DEFAULT_PHONE
    ask_for: str = "the pediatric fellow"
    hours: str = "24 hours a day, 7 days a week"
    place: str = "the Pediatric Ambulatory Care Center, the PACC"
    place_short: str = "the PACC"
    city: str = "Manhattan"
    # Set by the care team, if they want one: said for trouble breathing, a seizure or a
    # child who won't wake (hub.core.phrases.emergency). Empty: the hub says only `phone`.
    emergency_phone: str = ""


@dataclass(frozen=True)
class Limits:
    """When the room around the pump is unsafe, and when a reading is too old to trust.

    Temperatures come from the sheet (below 34 °F / 2 °C or above 104 °F / 40 °C).
    The sheet gives no numbers for humidity or sunlight; the defaults are justified
    in examples/care-plan.toml.
    """

    temperature_min_c: float = bounded(2.0, -20.0, 60.0, "°C")
    temperature_max_c: float = bounded(40.0, -20.0, 60.0, "°C")
    humidity_max_pct: float = bounded(85.0, 30.0, 100.0)
    sunlight_min_lux: float = bounded(20000.0, 1000.0, 150000.0, "lux")
    room_stale_after_s: float = bounded(120.0, 1.0, 3600.0, "seconds")
    pump_stale_after_s: float = bounded(30.0, 1.0, 3600.0, "seconds")


@dataclass(frozen=True)
class DailyCheck:
    """When the hub starts the spoken daily check, and how long it waits before reminding."""

    time: time = time(9, 0)
    # Within a day: the check is a daily one, and a wider window could not be scheduled.
    remind_after_min: float = bounded(30.0, 0.0, 24 * 60, "minutes")
    missed_after_min: float = bounded(120.0, 0.0, 24 * 60, "minutes")


@dataclass(frozen=True)
class Alarms:
    """How often unacknowledged alarms repeat, and when they escalate (IEC 60601-1-8 style)."""

    urgent_repeat_s: float = bounded(60.0, 5.0, 60.0, "seconds")
    warning_repeat_s: float = bounded(300.0, 5.0, 300.0, "seconds")
    escalate_after_s: float = bounded(180.0, 10.0, 1800.0, "seconds")
    stopped_repeat_s: float = bounded(900.0, 60.0, 3600.0, "seconds")
    voice_rearm_s: float = bounded(300.0, 60.0, 1800.0, "seconds")
    # After "we called" / "we are on our way": how often a still-present urgent alarm is
    # said again, without the call instruction (hub.core.alarms.handle).
    handled_remind_s: float = bounded(1800.0, 300.0, 3600.0, "seconds")


@dataclass(frozen=True)
class CarePlan:
    """One child's care plan, validated. Pass this object around; never a raw dict."""

    name: str = ""
    timezone: str = "America/New_York"
    care_team: CareTeam = field(default_factory=CareTeam)
    limits: Limits = field(default_factory=Limits)
    daily_check: DailyCheck = field(default_factory=DailyCheck)
    alarms: Alarms = field(default_factory=Alarms)
    travel_time_min: float = 60.0
    bag_changes: tuple[datetime, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    # What reading the plan's calendar left out, and why (all-day events): for `hub plan check`.
    calendar_notes: tuple[str, ...] = field(default=(), compare=False)
    # Words in a calendar event's summary or category that make it a bag change (hub.core.calendar).
    bag_change_words: tuple[str, ...] = ()
    source: str = "<defaults>"
    # Device sections an old single-file plan still holds ("voice", "mqtt"). The plan does not
    # use them; hub.settings reads them from the same file until they move to settings.toml.
    device_sections: tuple[str, ...] = ()

    def with_bag_changes(self, extra: tuple[datetime, ...]) -> "CarePlan":
        """Return a copy with `extra` appointments merged in, sorted, without duplicates."""
        return replace(self, bag_changes=tuple(sorted(set(self.bag_changes) | set(extra))))


_SECTIONS: dict[str, type] = {
    "care_team": CareTeam,
    "limits": Limits,
    "daily_check": DailyCheck,
    "alarms": Alarms,
}
# Sections that were in the care plan before device settings had a file of their own.
DEVICE_SECTIONS = ("voice", "mqtt")


def load_plan(path: str | Path) -> CarePlan:
    """Return the validated plan in `path`, or raise `PlanError` naming what is wrong.

    Appointments listed in an `.ics` file named by `bag_changes_ics` are merged in.
    """
    path = Path(path)
    raw = read_toml(path, PlanError)
    source = str(path)
    plan = parse_plan(raw, source=source, base_dir=path.parent)
    _LOGGER.info("Loaded care plan %s (%d bag changes)", source, len(plan.bag_changes))
    note = device_sections_note(plan)
    if note:
        _LOGGER.warning("%s", note)
    return plan


def device_sections_note(plan: CarePlan) -> str | None:
    """Return the note asking to move an old plan's `[voice]`/`[mqtt]` to settings.toml, if it has them."""
    if not plan.device_sections:
        return None
    sections = " and ".join(f"[{name}]" for name in plan.device_sections)
    are, them = ("are", "them") if len(plan.device_sections) > 1 else ("is", "it")
    return (f"{plan.source}: {sections} {are} device settings now, not part of the care plan; "
            f"move {them} to settings.toml (see examples/settings.toml) and pass --settings")


def parse_plan(raw: dict[str, Any], *, source: str = "<plan>", base_dir: Path | None = None) -> CarePlan:
    """Return a validated `CarePlan` from an already-parsed TOML mapping."""
    refuse_unknown(raw, {"name", "timezone", "travel_time_min", "bag_changes", "bag_changes_ics", "bag_change_words",
                         "appointments",
                         *_SECTIONS, *DEVICE_SECTIONS}, source, PlanError)

    name = text(raw.get("name", ""), source, "name", PlanError)
    if len(name) > 40:
        raise PlanError(source, "name", "longer than 40 characters; use a first name or nickname")
    tz_name = expect(raw.get("timezone", "America/New_York"), str, source, "timezone", PlanError)
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise PlanError(source, "timezone", f"unknown time zone {tz_name!r} (e.g. America/New_York)") from None

    sections = {key: parse_section(raw.get(key, {}), cls, source, key, PlanError) for key, cls in _SECTIONS.items()}
    sections["care_team"] = _own_hospital_only(sections["care_team"], raw.get("care_team", {}))
    for key in DEVICE_SECTIONS:  # read in full by hub.settings; here only their shape
        if key in raw and not isinstance(raw[key], dict):
            raise PlanError(source, key, "must be a table, e.g. [" + key + "]")
    travel = number(raw.get("travel_time_min", 60.0), source, "travel_time_min", PlanError,
                    bounds=Bounds(0, 24 * 60, "minutes"))

    bag_changes = _parse_bag_changes(raw.get("bag_changes", []), source)
    words = _parse_words(raw.get("bag_change_words"), source)
    appointments = _parse_appointments(raw.get("appointments", []), source)
    notes: tuple[str, ...] = ()
    if "bag_changes_ics" in raw:
        # Local import: only plans with a calendar pay for icalendar and recurrence.
        from hub.core.calendar import DEFAULT_BAG_CHANGE_WORDS, BagChangeRule, read_calendar

        ics_name = expect(raw["bag_changes_ics"], str, source, "bag_changes_ics", PlanError)
        ics_path = (base_dir or Path(".")) / ics_name
        read = read_calendar(ics_path, zone=zone, rule=BagChangeRule(words or DEFAULT_BAG_CHANGE_WORDS))
        bag_changes = bag_changes + read.bag_changes
        appointments = appointments + read.appointments
        notes = tuple(f"{ics_name}: {note}" for note in read.notes)
    _check_appointment_years(bag_changes, source)

    plan = CarePlan(
        name=name,
        timezone=tz_name,
        travel_time_min=travel,
        bag_changes=tuple(sorted(set(bag_changes))),
        appointments=tuple(sorted(set(appointments), key=lambda a: (a.at, a.summary))),
        calendar_notes=notes,
        bag_change_words=words,
        source=source,
        device_sections=tuple(key for key in DEVICE_SECTIONS if key in raw),
        **sections,
    )
    _check_consistency(plan)
    return plan


# The sheet's hospital-specific words; none of them may reach another hospital's family.
_HOSPITAL_WORDS = ("ask_for", "hours", "place", "place_short", "city")


def _own_hospital_only(team: CareTeam, raw: Any) -> CareTeam:
    """Blank the sheet's hospital words in a plan for another hospital, unless the plan sets them."""
    if team.phone == DEFAULT_PHONE:
        return team
    given = raw if isinstance(raw, dict) else {}
    return replace(team, **{name: getattr(team, name) if name in given else "" for name in _HOSPITAL_WORDS})


def _check_consistency(plan: CarePlan) -> None:
    src = plan.source
    phone = plan.care_team.phone
    if not _PHONE_RE.match(phone) or len(re.sub(r"\D", "", phone)) < 7:
        raise PlanError(src, "care_team.phone", f"{phone!r} is not a phone number (e.g. 212-639-2000)")
    # The take-home sheet misprints the care team's area code once (202 for 212). The hub
    # must never speak it, so a plan that carries it anywhere it is said is refused rather
    # than trusted (hub.core.wrong_number also guards every sentence on its way out).
    said = {"name": plan.name, **{f"care_team.{f.name}": getattr(plan.care_team, f.name)
                                  for f in fields(CareTeam)}}
    for where, value in said.items():
        if has_wrong_number(value):
            raise PlanError(src, where, "holds the sheet's misprinted number (202 area code); "
                                        "the care team's number is 212-639-2000")
    emergency = plan.care_team.emergency_phone
    if emergency and not _EMERGENCY_RE.match(emergency):
        raise PlanError(src, "care_team.emergency_phone", f"{emergency!r} is not an emergency number (e.g. 911)")
    check = plan.daily_check
    if not check.remind_after_min < check.missed_after_min:
        raise PlanError(src, "daily_check", "remind_after_min must be below missed_after_min "
                                            "(the reminder comes before the check is missed)")
    lim = plan.limits
    if not lim.temperature_min_c < lim.temperature_max_c:
        raise PlanError(src, "limits", "temperature_min_c must be below temperature_max_c")


def _parse_words(raw: Any, source: str) -> tuple[str, ...]:
    """Return the plan's bag-change words; none given means the calendar's default."""
    if raw is None or raw == []:
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise PlanError(source, "bag_change_words",
                        'must be a list of words, e.g. ["bag change", "blinatumomab"]')
    return tuple(w.strip() for w in raw)


def _parse_appointments(raw: Any, source: str) -> tuple[Appointment, ...]:
    """Return other clinic visits written in the plan: [{at = 2026-11-26T08:30:00, summary = "Lab draw"}]."""
    if not isinstance(raw, list):
        raise PlanError(source, "appointments", 'must be a list like [{at = 2026-11-26T08:30:00, summary = "Lab"}]')
    out = []
    for i, item in enumerate(raw):
        where = f"appointments[{i}]"
        if not isinstance(item, dict) or set(item) - {"at", "summary"} or "at" not in item:
            raise PlanError(source, where, 'must be a table with at and summary, e.g. {at = ..., summary = "Lab"}')
        summary = item.get("summary", "")
        if not isinstance(summary, str) or len(summary) > 200:
            raise PlanError(source, f"{where}.summary", "must be text of at most 200 characters")
        out.append(Appointment(parse_local_datetime(item["at"], source, f"{where}.at"), " ".join(summary.split())))
    return tuple(out)


def _check_appointment_years(bag_changes: list[datetime] | tuple[datetime, ...], source: str) -> None:
    """Refuse an appointment outside APPOINTMENT_YEARS: a typo, never a real bag change,
    and year 1 or 9999 would overflow the daemon's reminder arithmetic (a crash loop)."""
    low, high = APPOINTMENT_YEARS
    for at in sorted(bag_changes):
        if not low <= at.year <= high:
            raise PlanError(source, "bag_changes", f"{at.isoformat()} is not a plausible appointment "
                            f"(years {low} to {high}); check the date")


def _parse_bag_changes(raw: Any, source: str) -> tuple[datetime, ...]:
    if not isinstance(raw, list):
        raise PlanError(source, "bag_changes", "must be a list of local date-times, e.g. [2026-11-25T10:00:00]")
    out = []
    for i, item in enumerate(raw):
        where = f"bag_changes[{i}]"
        if isinstance(item, dict):
            item = item.get("at")
        item = parse_local_datetime(item, source, where)
        out.append(item)
    return tuple(out)
