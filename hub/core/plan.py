"""The care plan: what a care team tells the hub about one child's infusion.

A plan is a TOML file, loaded once and validated in full. Every field has a default
taken from the hospital's take-home instructions, so a plan may be almost empty; a
field that is present but wrong refuses the whole file with one line naming the file,
the field and the problem (see `PlanError`). Unknown fields are refused too: a typo
in a limit must not silently fall back to a default.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.errors import PlanError
from hub.core.local_time import parse_local_datetime

_LOGGER = logging.getLogger(__name__)

DEFAULT_PHONE = "212-639-2000"
# The take-home sheet misprints the care team's area code once (202 for 212). The hub
# must never speak it, so a plan that carries it is refused rather than trusted. Kept
# as two parts so that no file of the project spells the wrong number out.
_MISPRINTED_AREA, _MISPRINTED_LINE = "202", "6392000"
_PHONE_RE = re.compile(r"^\+?[0-9(][0-9 ().-]{5,22}[0-9]$")
# Each say waits for every site's confirmation; a home has a few rooms, not dozens.
MAX_ANNOUNCE_SITES = 8


@dataclass(frozen=True)
class CareTeam:
    """Whom to call and where to go. Source: 'When to call your care team'."""

    phone: str = DEFAULT_PHONE
    ask_for: str = "the pediatric fellow"
    hours: str = "24 hours a day, 7 days a week"
    place: str = "the Pediatric Ambulatory Care Center, the PACC"
    place_short: str = "the PACC"
    city: str = "Manhattan"


@dataclass(frozen=True)
class Limits:
    """When the room around the pump is unsafe, and when a reading is too old to trust.

    Temperatures come from the sheet (below 34 °F / 2 °C or above 104 °F / 40 °C).
    The sheet gives no numbers for humidity or sunlight; the defaults are justified
    in examples/care-plan.toml.
    """

    temperature_min_c: float = 2.0
    temperature_max_c: float = 40.0
    humidity_max_pct: float = 85.0
    sunlight_min_lux: float = 20000.0
    room_stale_after_s: float = 120.0
    pump_stale_after_s: float = 30.0


@dataclass(frozen=True)
class DailyCheck:
    """When the hub starts the spoken daily check, and how long it waits before reminding."""

    time: time = time(9, 0)
    remind_after_min: float = 30.0
    missed_after_min: float = 120.0


@dataclass(frozen=True)
class Alarms:
    """How often unacknowledged alarms repeat, and when they escalate (IEC 60601-1-8 style)."""

    urgent_repeat_s: float = 60.0
    warning_repeat_s: float = 300.0
    escalate_after_s: float = 180.0
    stopped_repeat_s: float = 900.0
    voice_rearm_s: float = 300.0


@dataclass(frozen=True)
class Voice:
    """Speech settings. An empty `piper_voice` means the bundled en_US-joe-medium voice."""

    piper_voice: str = ""
    wake_phrase: str = "hey pump helper"
    asr_engine: str = "auto"


@dataclass(frozen=True)
class Mqtt:
    """Broker settings for running as a Rhasspy (Hermes) skill. Off unless enabled."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = ""
    tls: bool = False
    site_id: str = "default"
    # Other Rhasspy sites that say the hub's announcements and alarms too (a satellite in
    # the child's bedroom, say). The hub's own `site_id` always does.
    announce_sites: tuple[str, ...] = ()

    @property
    def speaking_sites(self) -> tuple[str, ...]:
        """The sites that say announcements: the hub's own site first (the daily check the
        daemon starts is answered there), then `announce_sites`."""
        return (self.site_id, *(site for site in self.announce_sites if site != self.site_id))


@dataclass(frozen=True)
class CarePlan:
    """One child's care plan, validated. Pass this object around; never a raw dict."""

    name: str = ""
    timezone: str = "America/New_York"
    care_team: CareTeam = field(default_factory=CareTeam)
    limits: Limits = field(default_factory=Limits)
    daily_check: DailyCheck = field(default_factory=DailyCheck)
    alarms: Alarms = field(default_factory=Alarms)
    voice: Voice = field(default_factory=Voice)
    mqtt: Mqtt = field(default_factory=Mqtt)
    travel_time_min: float = 60.0
    bag_changes: tuple[datetime, ...] = ()
    source: str = "<defaults>"

    def with_bag_changes(self, extra: tuple[datetime, ...]) -> "CarePlan":
        """Return a copy with `extra` appointments merged in, sorted, without duplicates."""
        return replace(self, bag_changes=tuple(sorted(set(self.bag_changes) | set(extra))))


_SECTIONS: dict[str, type] = {
    "care_team": CareTeam,
    "limits": Limits,
    "daily_check": DailyCheck,
    "alarms": Alarms,
    "voice": Voice,
    "mqtt": Mqtt,
}


def load_plan(path: str | Path) -> CarePlan:
    """Return the validated plan in `path`, or raise `PlanError` naming what is wrong.

    Appointments listed in an `.ics` file named by `bag_changes_ics` are merged in.
    """
    path = Path(path)
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(source, "file", "not found") from None
    except UnicodeDecodeError:
        raise PlanError(source, "file", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(source, "file", f"is not valid TOML ({exc})") from None
    except OSError as exc:
        raise PlanError(source, "file", f"cannot be read ({exc.strerror})") from None
    plan = parse_plan(raw, source=source, base_dir=path.parent)
    _LOGGER.info("Loaded care plan %s (%d bag changes)", source, len(plan.bag_changes))
    return plan


def parse_plan(raw: dict[str, Any], *, source: str = "<plan>", base_dir: Path | None = None) -> CarePlan:
    """Return a validated `CarePlan` from an already-parsed TOML mapping."""
    allowed = {"name", "timezone", "travel_time_min", "bag_changes", "bag_changes_ics", *_SECTIONS}
    for key in raw:
        if key not in allowed:
            raise PlanError(source, key, f"unknown field (expected one of: {', '.join(sorted(allowed))})")

    name = _expect(raw.get("name", ""), str, source, "name").strip()
    if len(name) > 40:
        raise PlanError(source, "name", "longer than 40 characters; use a first name or nickname")
    tz_name = _expect(raw.get("timezone", "America/New_York"), str, source, "timezone")
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PlanError(source, "timezone", f"unknown time zone {tz_name!r} (e.g. America/New_York)") from None

    sections = {key: _parse_section(raw.get(key, {}), cls, source, key) for key, cls in _SECTIONS.items()}
    travel = _number(raw.get("travel_time_min", 60.0), source, "travel_time_min", low=0, high=24 * 60)

    bag_changes = _parse_bag_changes(raw.get("bag_changes", []), source)
    if "bag_changes_ics" in raw:
        from hub.core.calendar import read_bag_changes  # local import: only plans that use it pay for icalendar

        ics_name = _expect(raw["bag_changes_ics"], str, source, "bag_changes_ics")
        ics_path = (base_dir or Path(".")) / ics_name
        bag_changes = bag_changes + read_bag_changes(ics_path, zone=zone)

    plan = CarePlan(
        name=name,
        timezone=tz_name,
        travel_time_min=travel,
        bag_changes=tuple(sorted(set(bag_changes))),
        source=source,
        **sections,
    )
    _check_consistency(plan)
    return plan


def _parse_section(raw: Any, cls: type, source: str, section: str) -> Any:
    if not isinstance(raw, dict):
        raise PlanError(source, section, "must be a table, e.g. [" + section + "]")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{section}.{key}"
        if key not in known:
            raise PlanError(source, where, f"unknown field (expected one of: {', '.join(known)})")
        default = getattr(cls(), key)
        if isinstance(default, bool):
            values[key] = _expect(value, bool, source, where)
        elif isinstance(default, int) and not isinstance(default, bool) and key == "port":
            values[key] = int(_number(value, source, where, low=1, high=65535))
        elif isinstance(default, float):
            values[key] = _number(value, source, where, low=-1e6, high=1e7)
        elif isinstance(default, time):
            values[key] = _time_of_day(value, source, where)
        elif isinstance(default, tuple):
            values[key] = _names(value, source, where)
        else:
            values[key] = _expect(value, str, source, where).strip()
    return cls(**values)


def _check_consistency(plan: CarePlan) -> None:
    src = plan.source
    phone = plan.care_team.phone
    if not _PHONE_RE.match(phone) or len(re.sub(r"\D", "", phone)) < 7:
        raise PlanError(src, "care_team.phone", f"{phone!r} is not a phone number (e.g. 212-639-2000)")
    digits = re.sub(r"\D", "", phone)
    if digits[-10:-7] == _MISPRINTED_AREA and digits[-7:] == _MISPRINTED_LINE:
        raise PlanError(src, "care_team.phone",
                        "202 is the sheet's misprinted area code; the care team's number is 212-639-2000")
    if not plan.care_team.ask_for:
        raise PlanError(src, "care_team.ask_for", "must not be empty (e.g. the pediatric fellow)")
    lim = plan.limits
    if not -20.0 <= lim.temperature_min_c < lim.temperature_max_c <= 60.0:
        raise PlanError(src, "limits", "temperature_min_c must be below temperature_max_c, both between -20 and 60")
    if not 30.0 <= lim.humidity_max_pct <= 100.0:
        raise PlanError(src, "limits.humidity_max_pct", "must be between 30 and 100")
    if not 1000.0 <= lim.sunlight_min_lux <= 150000.0:
        raise PlanError(src, "limits.sunlight_min_lux", "must be between 1000 and 150000 lux")
    for name in ("room_stale_after_s", "pump_stale_after_s"):
        if not 1.0 <= getattr(lim, name) <= 3600.0:
            raise PlanError(src, f"limits.{name}", "must be between 1 and 3600 seconds")
    al = plan.alarms
    if not 5.0 <= al.urgent_repeat_s <= 60.0:
        raise PlanError(src, "alarms.urgent_repeat_s", "must be between 5 and 60 seconds")
    if not 5.0 <= al.warning_repeat_s <= 300.0:
        raise PlanError(src, "alarms.warning_repeat_s", "must be between 5 and 300 seconds")
    if not 10.0 <= al.escalate_after_s <= 1800.0:
        raise PlanError(src, "alarms.escalate_after_s", "must be between 10 and 1800 seconds")
    if not 60.0 <= al.stopped_repeat_s <= 3600.0:
        raise PlanError(src, "alarms.stopped_repeat_s", "must be between 60 and 3600 seconds")
    if not 60.0 <= al.voice_rearm_s <= 1800.0:
        raise PlanError(src, "alarms.voice_rearm_s", "must be between 60 and 1800 seconds")
    if plan.voice.asr_engine not in {"auto", "combined", "whisper", "vosk", "pocketsphinx"}:
        raise PlanError(src, "voice.asr_engine", "must be auto, combined, whisper, vosk or pocketsphinx")


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


def _names(value: Any, source: str, where: str) -> tuple[str, ...]:
    """Return a list of names (Rhasspy siteIds), each non-empty and listed once."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanError(source, where, f"must be a list of names, e.g. [\"default\", \"bedroom\"], not {value!r}")
    names = tuple(v.strip() for v in value)
    if any(not name for name in names):
        raise PlanError(source, where, "has an empty name")
    if any(not name.isprintable() or len(name) > 64 for name in names):
        raise PlanError(source, where, "has a name with control characters or over 64 characters")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise PlanError(source, where, f"lists {', '.join(twice)} more than once")
    if len(names) > MAX_ANNOUNCE_SITES:
        raise PlanError(source, where, f"lists {len(names)} sites; at most {MAX_ANNOUNCE_SITES}")
    return names


def _time_of_day(value: Any, source: str, where: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise PlanError(source, where, f"{value!r} is not a time of day like \"09:00\"")


def _number(value: Any, source: str, where: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PlanError(source, where, f"{value!r} is not a number")
    number = float(value)
    if not low <= number <= high:  # also refuses NaN
        raise PlanError(source, where, f"{value!r} is out of range")
    return number


def _expect(value: Any, kind: type, source: str, where: str) -> Any:
    if not isinstance(value, kind):
        raise PlanError(source, where, f"must be {'true or false' if kind is bool else 'text'}, not {value!r}")
    return value
