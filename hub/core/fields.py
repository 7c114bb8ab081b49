"""Strict readers for the hub's TOML files: one table of sections, each field typed and bounded.

The care plan (hub.core.plan) and the device settings (hub.settings) are read the same
way: an unknown field is refused (a typo must not fall back to a default), a wrong type
or a value out of range is refused with one line naming the file, the field and the fix.
A field's allowed range is declared once, next to its default, with `bounded`.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any

from hub.core.inputs import MAX_PLAN_BYTES, InputRefused, check_nesting, read_capped
from hub.errors import FieldError

# Numbers without a declared range still have one: a float from a typo (1e300) is refused.
_ANY_NUMBER = (-1e6, 1e7)


@dataclass(frozen=True)
class Bounds:
    """The values a number field accepts, and the unit its error message names."""

    low: float
    high: float
    unit: str = ""

    def problem(self) -> str:
        return f"must be between {self.low:g} and {self.high:g}{' ' + self.unit if self.unit else ''}"


def bounded(default: float, low: float, high: float, unit: str = "") -> Any:
    """Return a dataclass field with `default` that `parse_section` keeps within [low, high]."""
    return field(default=default, metadata={"bounds": Bounds(low, high, unit)})


def bounds_of(cls: type, name: str) -> Bounds | None:
    """Return the declared range of field `name` of section class `cls`, if it has one."""
    for item in fields(cls):
        if item.name == name:
            found = item.metadata.get("bounds")
            return found if isinstance(found, Bounds) else None
    return None


def read_toml(path: Path, error: type[FieldError], *, max_bytes: int = MAX_PLAN_BYTES) -> dict[str, Any]:
    """Return the parsed TOML at `path`, or raise `error` naming the file and what is wrong with it.

    Only a regular file of at most `max_bytes`, nested at most MAX_NESTING deep, is read
    (hub.core.inputs): a hostile file gets one line, not a hung hub."""
    source = str(path)
    try:
        text = read_capped(path, max_bytes)
    except FileNotFoundError:
        raise error(source, "file", "not found") from None
    except UnicodeDecodeError:
        raise error(source, "file", "is not UTF-8 text") from None
    except InputRefused as exc:
        raise error(source, "file", str(exc)) from None
    except OSError as exc:
        raise error(source, "file", f"cannot be read ({exc.strerror})") from None
    return parse_toml(text, source, error)


def parse_toml(text: str, source: str, error: type[FieldError]) -> dict[str, Any]:
    """Return the parsed TOML `text`, or raise `error` naming `source` and what is wrong with it."""
    try:
        raw = tomllib.loads(text)
        check_nesting(raw)
    except InputRefused as exc:
        raise error(source, "file", str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise error(source, "file", f"is not valid TOML ({str(exc)[:160]})") from None
    except RecursionError:
        raise error(source, "file", "is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise error(source, "file", f"has a value that cannot be read ({str(exc)[:120]})") from None
    return raw


def refuse_unknown(raw: dict[str, Any], allowed: set[str], source: str, error: type[FieldError]) -> None:
    """Raise `error` for the first top-level key of `raw` that is not in `allowed`."""
    for key in raw:
        if key not in allowed:
            raise error(source, key, f"unknown field (expected one of: {', '.join(sorted(allowed))})")


def parse_section(raw: Any, cls: type, source: str, section: str, error: type[FieldError]) -> Any:
    """Return an instance of the section dataclass `cls` from the TOML table `raw`, each field checked
    against the type of its default (and its `bounded` range)."""
    if not isinstance(raw, dict):
        raise error(source, section, "must be a table, e.g. [" + section + "]")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{section}.{key}"
        if key not in known:
            raise error(source, where, f"unknown field (expected one of: {', '.join(known)})")
        default = getattr(cls(), key)
        bounds = known[key].metadata.get("bounds")
        if isinstance(default, bool):
            values[key] = expect(value, bool, source, where, error)
        elif isinstance(default, int):
            if isinstance(value, float):  # a port of 1883.0 or 1883.5: whole numbers are written whole
                raise error(source, where, f"{value!r} is not a whole number (write it without a point)")
            values[key] = int(number(value, source, where, error, bounds=bounds, is_whole=True))
        elif isinstance(default, float):
            values[key] = number(value, source, where, error, bounds=bounds)
        elif isinstance(default, time):
            values[key] = time_of_day(value, source, where, error)
        elif isinstance(default, tuple):
            values[key] = names(value, source, where, error)
        else:
            values[key] = text(value, source, where, error)
    return cls(**values)


# Unicode categories no name or sentence needs: control characters (ESC, BEL, NUL), format
# characters (right-to-left overrides), surrogates, private use, and line breaks. An ESC in a
# plan name would reach a terminal or a log as an escape sequence.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def text(value: Any, source: str, where: str, error: type[FieldError]) -> str:
    """Return `value` as stripped text, refusing control characters (the value is not echoed:
    it may be a password)."""
    found = expect(value, str, source, where, error).strip()
    hidden = next((ch for ch in found if unicodedata.category(ch) in _HIDDEN_CATEGORIES), None)
    if hidden is not None:
        raise error(source, where, f"has a control character (U+{ord(hidden):04X}); "
                                   "write plain text without escape codes or line breaks")
    return found


def names(value: Any, source: str, where: str, error: type[FieldError]) -> tuple[str, ...]:
    """Return a list of names (Rhasspy siteIds), each non-empty, printable and listed once."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(source, where, f"must be a list of names, e.g. [\"default\", \"bedroom\"], not {value!r}")
    found = tuple(v.strip() for v in value)
    if any(not name for name in found):
        raise error(source, where, "has an empty name")
    if any(not name.isprintable() or len(name) > 64 for name in found):
        raise error(source, where, "has a name with control characters or over 64 characters")
    twice = sorted({name for name in found if found.count(name) > 1})
    if twice:
        raise error(source, where, f"lists {', '.join(twice)} more than once")
    return found


def time_of_day(value: Any, source: str, where: str, error: type[FieldError]) -> time:
    """Return a TOML local time or an "HH:MM" string as a time of day."""
    parsed: time | None = value if isinstance(value, time) else None
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            pass
    if parsed is None:
        raise error(source, where, f"{value!r} is not a time of day like \"09:00\"")
    if parsed.tzinfo is not None:
        # The daemon compares it with the home's local clock: an offset would be a second clock.
        raise error(source, where, f"{value!r} has a UTC offset; write the home's local time, e.g. \"09:00\"")
    return parsed


def number(value: Any, source: str, where: str, error: type[FieldError], *, bounds: Bounds | None = None,
           is_whole: bool = False) -> float:
    """Return `value` as a float within `bounds` (any plausible number when there are none)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error(source, where, f"{value!r} is not a number")
    try:
        result = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise error(source, where, "is out of range") from None
    if is_whole and not result.is_integer():
        raise error(source, where, f"{value!r} is not a whole number")
    low, high = (bounds.low, bounds.high) if bounds is not None else _ANY_NUMBER
    if not low <= result <= high:  # also refuses NaN
        raise error(source, where, bounds.problem() if bounds is not None else f"{value!r} is out of range")
    return result


def expect(value: Any, kind: type, source: str, where: str, error: type[FieldError]) -> Any:
    """Return `value` if it is a `kind` (text or true/false), else raise `error`."""
    if not isinstance(value, kind):
        raise error(source, where, f"must be {'true or false' if kind is bool else 'text'}, not {value!r}")
    return value
