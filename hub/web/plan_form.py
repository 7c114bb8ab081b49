"""The Plan page's form: one input per care-plan field, read back into the plan's TOML shape.

The form only turns text into TOML values (a number, a list, a time); whether a value is
allowed is decided by `hub.core.plan.parse_plan`, the same code as `hub plan check`, so
the console can never accept a plan the daemon would refuse.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from datetime import datetime, time
from pathlib import Path
from typing import Any

import tomli_w

from hub.core.plan import DEVICE_SECTIONS, CarePlan, parse_plan
from hub.errors import PlanError

SECTIONS = ("care_team", "limits", "daily_check", "alarms")
_TOP = ("name", "timezone", "travel_time_min")
_HINTS = {
    "name": "first name or nickname the hub may say; empty: \"you\"",
    "timezone": "e.g. America/New_York",
    "bag_changes": "one local date and time a line, e.g. 2026-11-25 10:00",
    "care_team.phone": "the only number the hub ever speaks",
    "daily_check.time": "24-hour clock, e.g. 09:00",
}


@dataclass(frozen=True)
class FormField:
    """One input: `key` is the plan's dotted name (`limits.humidity_max_pct`), `kind` the input type."""

    key: str
    label: str
    kind: str  # "text", "number", "time", "checkbox", "list", "datetimes", "password"
    hint: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0] if "." in self.key else ""


def _kind(key: str, default: Any) -> str:
    if isinstance(default, bool):
        return "checkbox"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, time):
        return "time"
    if isinstance(default, tuple):
        return "list"
    return "text"


_LABELS = {"timezone": "Time zone"}


def _label(name: str) -> str:
    if name in _LABELS:
        return _LABELS[name]
    words = name.replace("_", " ")
    for unit, said in ((" min", " (minutes)"), (" s", " (seconds)"), (" c", " (°C)"), (" pct", " (%)"),
                       (" lux", " (lux)")):
        if words.endswith(unit):
            return words[: -len(unit)].capitalize() + said
    return words.capitalize()


def form_fields() -> tuple[FormField, ...]:
    """Return every field of the care plan, in the order of the example plan."""
    defaults = CarePlan()
    out = [FormField(k, _label(k), _kind(k, getattr(defaults, k)), _HINTS.get(k, "")) for k in _TOP]
    out.append(FormField("bag_changes", "Bag changes", "datetimes", _HINTS["bag_changes"]))
    for section in SECTIONS:
        block = getattr(defaults, section)
        for f in fields(block):
            key = f"{section}.{f.name}"
            out.append(FormField(key, _label(f.name), _kind(key, getattr(block, f.name)), _HINTS.get(key, "")))
    return tuple(out)


FIELDS = form_fields()


def plan_values(plan: CarePlan) -> dict[str, str]:
    """Return the form's text for every field of `plan`."""
    values: dict[str, str] = {}
    for fld in FIELDS:
        if fld.key == "bag_changes":
            values[fld.key] = "\n".join(f"{at:%Y-%m-%d %H:%M}" for at in plan.bag_changes)
            continue
        obj: Any = plan if not fld.section else getattr(plan, fld.section)
        value = getattr(obj, fld.key.rsplit(".", 1)[-1])
        if isinstance(value, bool):
            values[fld.key] = "on" if value else ""
        elif isinstance(value, time):
            values[fld.key] = f"{value:%H:%M}"
        elif isinstance(value, tuple):
            values[fld.key] = ", ".join(value)
        elif isinstance(value, float):
            values[fld.key] = f"{value:g}"
        else:
            values[fld.key] = str(value)
    return values


def read_form(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the plan's TOML mapping from the form's text, and one error line per field that is not even
    the right kind of value (text in a number field, a date that is not a date)."""
    raw: dict[str, Any] = {section: {} for section in SECTIONS}
    errors: dict[str, str] = {}
    for fld in FIELDS:
        text = values.get(fld.key, "")
        if fld.kind != "password":
            text = text.strip()
        try:
            value = _convert(fld, text)
        except ValueError as exc:
            errors[fld.key] = str(exc)
            continue
        if fld.section:
            raw[fld.section][fld.key.split(".", 1)[1]] = value
        else:
            raw[fld.key] = value
    return raw, errors


def _convert(fld: FormField, text: str) -> Any:
    if fld.kind == "checkbox":
        return text == "on"
    if fld.kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if fld.kind == "list":
        return [part.strip() for part in text.split(",")] if text else []
    if fld.kind == "datetimes":
        out = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append(datetime.fromisoformat(line.strip().replace(" ", "T", 1)).replace(second=0))
            except ValueError:
                raise ValueError(f"line {number}: {line.strip()!r} is not a date and time like 2026-11-25 10:00") \
                    from None
            if out[-1].tzinfo is not None:
                raise ValueError(f"line {number}: give the home's local time, without a time zone")
        return sorted(set(out))
    return text


def check(raw: dict[str, Any], source: str, fallback: CarePlan | None = None) -> tuple[CarePlan | None,
                                                                                      dict[str, str]]:
    """Return the plan `raw` makes, validated by `hub plan check`'s code, or its errors keyed by form field.

    The plan's validation stops at the first problem; to show every bad field at once,
    each one found is set back to its value in `fallback` (the plan in use) and the rest
    is checked again.
    """
    errors: dict[str, str] = {}
    known = plan_values(fallback or CarePlan())
    raw = {key: dict(value) if isinstance(value, dict) else value for key, value in raw.items()}
    for _ in range(len(FIELDS)):
        try:
            plan = parse_plan(raw, source=source)
        except PlanError as exc:
            key = field_of(exc.field)
            if key in errors or not key:
                errors.setdefault(key, exc.problem)
                return None, errors
            errors[key] = exc.problem
            fld = next(f for f in FIELDS if f.key == key)
            value = _convert(fld, known[key])
            if fld.section:
                raw[fld.section][key.split(".", 1)[1]] = value
            else:
                raw[key] = value
            continue
        return (plan, {}) if not errors else (None, errors)
    return None, errors


def field_of(plan_field: str) -> str:
    """Return the form field a `PlanError` names (`bag_changes[2]` → `bag_changes`, `limits` → its first)."""
    name = plan_field.split("[", 1)[0]
    keys = [fld.key for fld in FIELDS]
    if name in keys:
        return name
    return next((key for key in keys if key.startswith(name + ".")), "")


def to_toml(raw: dict[str, Any], *, who: str, at: datetime) -> str:
    """Return the plan file's text: a short header, then the plan in TOML."""
    header = (f"# Care plan for the hub, saved from the care-team console by {who} at {at:%Y-%m-%d %H:%M}.\n"
              "# Check it with: hub plan check FILE. Earlier versions are kept in the hub's record.\n\n")
    return header + tomli_w.dumps(raw)


def raw_from_text(text: str, base_dir: Path) -> dict[str, Any]:
    """Return the TOML mapping of a plan file's text with any .ics calendar merged into `bag_changes`,
    so a save from the form keeps every appointment the daemon knows."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError("the plan file", "file", f"is not valid TOML ({exc})") from None
    plan = parse_plan(raw, source="the plan file", base_dir=base_dir)
    raw.pop("bag_changes_ics", None)
    raw["bag_changes"] = list(plan.bag_changes)
    return raw


def with_device_tables(raw: dict[str, Any], text: str) -> dict[str, Any]:
    """Return `raw` with the `[voice]` and `[mqtt]` tables an older plan file still holds, so that a
    save from the form does not drop device settings the hub reads from that file (hub.settings)."""
    try:
        old = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return raw
    return {**raw, **{key: old[key] for key in DEVICE_SECTIONS if isinstance(old.get(key), dict)}}
