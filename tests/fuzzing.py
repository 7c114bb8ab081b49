"""Hypothesis strategies for every parser of outside input, and what each must do with any input.

Each target pairs a strategy (mostly well-formed input with hostile values, plus arbitrary
bytes or text) with a check: the parser returns a value the rest of the hub can use, or
refuses with its own typed error naming the problem; nothing else. tests/test_fuzz.py runs
every target at a modest size in the suite; `python -m bench fuzz` runs them at 100,000
cases each (counts in bench/RESULTS.md).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import tomli_w
import yaml
from hypothesis import strategies as st

from hub.core import phrases
from hub.core.assessment import assess
from hub.core.calendar import parse_bag_changes
from hub.core.fields import parse_toml
from hub.core.home import HomeState
from hub.core.plan import CarePlan, parse_plan
from hub.core.replies import status_reply
from hub.core.scenario import parse_scenario_text
from hub.core.wrong_number import has_wrong_number
from hub.errors import FrameError, PlanError, ScenarioError
from hub.hermes.messages import (HermesPayloadError, parse_intent, parse_not_recognized, parse_say_finished,
                                 parse_session_ended)
from hub.pump.protocol import PAYLOAD_TYPES, PROTOCOL_VERSION, Frame, FrameReader, crc16_ccitt, parse_frame
from hub.voice.dsp import to_speech_rate
from hub.voice.wav import AudioError, parse_wav

NOW = datetime(2026, 11, 24, 9, 0)
ZONE = ZoneInfo("America/New_York")
# The sheet's misprint, so generated plans and screens carry it (tests may spell it).
MISPRINT = "202-639-2000"

# --- values people (and attackers) write ----------------------------------------------

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x1b[2J", "\x07", "\x00", "+/#", "\u202e", "a" * 300, MISPRINT,
                     f"call {MISPRINT} 1", "two zero two six three nine two zero zero zero", "24/7",
                     "212-639-2000", "the pediatric fellow", "America/New_York", "Mars/Olympus", "09:00",
                     "09:00+05:00", "1e309", "nan"]),
)
numbers = st.one_of(st.integers(), st.integers(min_value=-10**30, max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, -1, 1, 59, 60, 1883, 65536]))
datetimes = st.one_of(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
                      st.datetimes(timezones=st.just(timezone(timedelta(hours=5)))),
                      st.sampled_from([datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59), datetime(1970, 1, 1)]))
scalars = st.one_of(hostile_text, numbers, st.booleans(), datetimes, st.dates(), st.times())


def _values(depth: int = 2) -> st.SearchStrategy[Any]:
    if depth == 0:
        return scalars
    inner = _values(depth - 1)
    return st.one_of(scalars, st.lists(inner, max_size=4),
                     st.dictionaries(st.text(max_size=12), inner, max_size=4))


def _section(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), _values(1), max_size=len(keys))


# --- the care plan (TOML) ---------------------------------------------------------------

PLAN_SECTIONS = {
    "care_team": ["phone", "ask_for", "hours", "place", "place_short", "city"],
    "limits": ["temperature_min_c", "temperature_max_c", "humidity_max_pct", "sunlight_min_lux",
               "room_stale_after_s", "pump_stale_after_s"],
    "daily_check": ["time", "remind_after_min", "missed_after_min"],
    "alarms": ["urgent_repeat_s", "warning_repeat_s", "escalate_after_s", "stopped_repeat_s", "voice_rearm_s"],
    "mqtt": ["enabled", "host", "port", "site_id", "password"],
}


@st.composite
def plan_toml(draw: st.DrawFn) -> str:
    """A care plan as TOML: the real fields with any values, or any text at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=300))
    raw: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(["name", "timezone", "travel_time_min", "bag_changes",
                                              *PLAN_SECTIONS, "unknown"]), unique=True, max_size=7)):
        if key in PLAN_SECTIONS:
            raw[key] = draw(_section(PLAN_SECTIONS[key]))
        elif key == "bag_changes":
            raw[key] = draw(st.lists(datetimes, max_size=4))
        else:
            raw[key] = draw(_values(1))
    try:
        return tomli_w.dumps(raw)
    except (TypeError, ValueError):  # values TOML cannot hold (NaN keys, tz-aware times)
        return draw(st.text(max_size=300))


def check_plan(text: str) -> str:
    """A plan is refused with a PlanError, or it is one the hub can speak and assess with."""
    try:
        plan = parse_plan(parse_toml(text, "<fuzz>", PlanError), source="<fuzz>")
    except PlanError as exc:
        assert "\n" not in str(exc)
        return "refused"
    for sentence in (phrases.call_now(plan), phrases.who_to_call(plan), phrases.come_in(plan)):
        assert not has_wrong_number(sentence), sentence
    result = assess(plan, HomeState(), NOW)
    assert not result.is_all_ok
    return "accepted"


# --- the simulated home (YAML) ----------------------------------------------------------

SCENARIO_SECTIONS = {
    "environment": ["temperature_c", "humidity_pct", "light_lux", "age_s"],
    "pump": ["bridge_connected", "light", "beeping", "screen", "age_s"],
    "infusion": ["stopped_since"],
    "schedule": ["bag_changes"],
}
pump_values = st.one_of(_values(1), st.sampled_from(["green_blinking", "red", "off", "unknown"]),
                        hostile_text.map(lambda t: f"CALL {MISPRINT} {t}"))


@st.composite
def scenario_yaml(draw: st.DrawFn) -> str:
    """A scenario as YAML: the real sections with any values, or any text at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=300))
    raw: dict[str, Any] = {}
    if draw(st.booleans()):
        raw["now"] = draw(st.one_of(datetimes, _values(0)))
    for name, keys in SCENARIO_SECTIONS.items():
        if draw(st.booleans()):
            values = pump_values if name == "pump" else _values(1)
            raw[name] = draw(st.one_of(st.dictionaries(st.sampled_from(keys), values, max_size=len(keys)),
                                       _values(0)))
    try:
        return yaml.safe_dump(raw, allow_unicode=True)
    except yaml.YAMLError:  # values YAML cannot hold (a time of day)
        return draw(st.text(max_size=300))


def check_scenario(text: str) -> str:
    """A scenario is refused with a ScenarioError, or it gives a home the assessment can judge."""
    try:
        scenario = parse_scenario_text(text, source="<fuzz>")
    except ScenarioError as exc:
        assert "\n" not in str(exc)
        return "refused"
    plan = CarePlan()
    result = assess(plan, scenario.home, scenario.now)
    reply = status_reply(plan, result, "HomeStatus", focus=("pump", "infusion", "room"))
    assert not has_wrong_number(reply.speech), reply.speech
    if result.is_all_ok:  # an all-clear needs every reading and a clock that can be right
        assert 2025 <= scenario.now.year <= 2100 and scenario.home.pump.is_bridge_connected is True
    return "accepted"


# --- calendars (.ics) -------------------------------------------------------------------

ics_starts = st.one_of(
    datetimes.map(lambda d: d.strftime("%Y%m%dT%H%M%S") if d.year >= 1000 else "00010101T000000"),
    st.dates().map(lambda d: f"VALUE=DATE:{d:%Y%m%d}" if d.year >= 1000 else "VALUE=DATE:00010101"),
    st.sampled_from(["P1D", "VALUE=PERIOD:20261125T100000Z/PT1H", "20261125T100000Z",
                     "TZID=Mars/Olympus:20261125T100000", "TZID=America/New_York:20261125T100000", "", "garbage",
                     "99999999T999999"]),
    st.text(max_size=30),
)


@st.composite
def calendar_bytes(draw: st.DrawFn) -> bytes:
    """An iCalendar file: events with any DTSTART, or any bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    events = []
    for start in draw(st.lists(ics_starts, max_size=4)):
        sep = ";" if "=" in start.split(":", 1)[0] else ":"
        status = draw(st.sampled_from(["", "STATUS:CANCELLED\r\n", "STATUS:CONFIRMED\r\n"]))
        events.append(f"BEGIN:VEVENT\r\nUID:{len(events)}\r\n{status}DTSTART{sep}{start}\r\nEND:VEVENT\r\n")
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//\r\n" + "".join(events) + "END:VCALENDAR\r\n"
    return body.encode("utf-8", "surrogatepass") if draw(st.booleans()) else body.encode("utf-8", "replace")


def check_calendar(data: bytes) -> str:
    """A calendar is refused with a PlanError, or gives naive local date-times."""
    try:
        starts = parse_bag_changes(data, source="<fuzz>", zone=ZONE)
    except PlanError as exc:
        assert "\n" not in str(exc)
        return "refused"
    assert all(isinstance(s, datetime) and s.tzinfo is None for s in starts)
    return "accepted"


# --- the pump bridge's frames -----------------------------------------------------------


def _framed(body: str) -> bytes:
    raw = body.encode("ascii", "replace")
    return b"$" + raw + b"*" + f"{crc16_ccitt(raw):04X}".encode("ascii") + b"\n"


@st.composite
def bridge_bytes(draw: st.DrawFn) -> bytes:
    """Bridge lines with a correct checksum and any fields, flipped bits, or any bytes."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return draw(st.binary(max_size=160))
    field = st.one_of(st.integers(-5, 2**33).map(str), st.text(alphabet="0123456789ABCDEFabcdef.-_x,", max_size=12))
    fields = draw(st.lists(field, max_size=8))
    counter = st.one_of(st.integers(0, 70000), st.integers(0, 2**33)).map(str)  # sequence and time
    version = draw(st.sampled_from([PROTOCOL_VERSION, "HB2", ""]))
    kind = draw(st.sampled_from([*PAYLOAD_TYPES, "X"]))
    body = ",".join([version, draw(counter), draw(counter), kind, *fields])
    line = _framed(body)
    if choice == 2 and line:
        flips = draw(st.lists(st.tuples(st.integers(0, len(line) - 1), st.integers(0, 7)), max_size=3))
        mutable = bytearray(line)
        for index, bit in flips:
            mutable[index] ^= 1 << bit
        line = bytes(mutable)
    return line


def check_bridge(data: bytes) -> str:
    """A line is a frame or a FrameError; a stream of them never raises."""
    FrameReader().feed(data * 2)
    try:
        frame = parse_frame(data)
    except FrameError:
        return "refused"
    assert isinstance(frame, Frame) and 0 <= frame.seq < 1 << 16
    return "accepted"


# --- Rhasspy's MQTT payloads ------------------------------------------------------------

json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=10), inner, max_size=3)),
                           max_leaves=10)
MQTT_KEYS = ["intent", "intentName", "slots", "slotName", "value", "siteId", "sessionId", "id", "input",
             "termination", "reason", "confidenceScore"]
PARSERS: dict[str, Callable[[str, bytes], Any]] = {
    "hermes/intent/PumpStatus": parse_intent,
    "hermes/intent/Acknowledge": parse_intent,
    "hermes/dialogueManager/sessionEnded": parse_session_ended,
    "hermes/dialogueManager/intentNotRecognized": parse_not_recognized,
    "hermes/tts/sayFinished": parse_say_finished,
}


@st.composite
def mqtt_message(draw: st.DrawFn) -> tuple[str, bytes]:
    """A topic the hub listens on and a payload: Hermes-shaped JSON with any values, or any bytes."""
    topic = draw(st.sampled_from(list(PARSERS)))
    if draw(st.integers(0, 4)) == 0:
        return topic, draw(st.binary(max_size=200))
    shaped = draw(st.dictionaries(st.sampled_from(MQTT_KEYS), json_values, max_size=6))
    if draw(st.booleans()):
        shaped["intent"] = {"intentName": draw(st.sampled_from([topic.rsplit("/", 1)[1], "Other", ""]))}
    if draw(st.booleans()):
        shaped["slots"] = draw(st.lists(st.fixed_dictionaries({"slotName": hostile_text,
                                                               "value": st.fixed_dictionaries({"value": json_values})}),
                                        max_size=3))
    return topic, json.dumps(shaped).encode("utf-8")


def check_mqtt(message: tuple[str, bytes]) -> str:
    """A payload is parsed into its typed message or refused with HermesPayloadError."""
    topic, payload = message
    try:
        PARSERS[topic](topic, payload)
    except HermesPayloadError as exc:
        assert "\n" not in str(exc)
        return "refused"
    return "accepted"


# --- WAV files --------------------------------------------------------------------------


def header_wav(tag: int, channels: int, rate: int, bits: int, payload: bytes) -> bytes:
    """A WAV with whatever its header claims, however implausible."""
    fmt = struct.pack("<HHIIHH", tag, channels, rate, (rate * channels * bits // 8) & 0xFFFFFFFF,
                      (channels * bits // 8) & 0xFFFF, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


wav_bytes = st.one_of(
    st.builds(header_wav, st.sampled_from([0, 1, 2, 3, 6, 0xFFFE, 0xFFFF]), st.integers(0, 0xFFFF),
              st.one_of(st.integers(0, 0xFFFFFFFF), st.sampled_from([8000, 16000, 44100, 48000])),
              st.sampled_from([0, 1, 8, 12, 16, 24, 32, 64, 0xFFFF]), st.binary(max_size=256)),
    st.builds(header_wav, st.just(1), st.integers(1, 3), st.sampled_from([4000, 8000, 16000, 22050, 44100, 384000]),
              st.sampled_from([8, 16, 24, 32]), st.binary(max_size=256)),
    st.builds(header_wav, st.just(3), st.integers(1, 3), st.sampled_from([8000, 16000, 48000]),
              st.sampled_from([32, 64]), st.binary(max_size=256)),
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"RIFF\0\0\0\0WAVE" + b),
)


def check_wav(data: bytes) -> str:
    """A WAV is audio the voice can take, or an AudioError."""
    try:
        audio = parse_wav(data, source="<fuzz>")
    except AudioError as exc:
        assert "\n" not in str(exc)
        return "refused"
    speech = to_speech_rate(audio)
    assert speech.rate_hz == 16000 and bool(np.all(np.isfinite(speech.samples)))
    return "accepted"


@dataclass(frozen=True)
class Target:
    """One parser under fuzzing: what to generate, and what must hold for each case."""

    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], str]


TARGETS: dict[str, Target] = {
    "plan-toml": Target(plan_toml(), check_plan),
    "scenario-yaml": Target(scenario_yaml(), check_scenario),
    "calendar-ics": Target(calendar_bytes(), check_calendar),
    "bridge-frames": Target(bridge_bytes(), check_bridge),
    "mqtt-payloads": Target(mqtt_message(), check_mqtt),
    "wav-headers": Target(wav_bytes, check_wav),
}

__all__ = ["TARGETS", "Target"]
