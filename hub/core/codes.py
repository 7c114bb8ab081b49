"""The stable names that cross module lines: finding codes and intent names.

Both appear in logs, the record, JSON and MQTT, so they are `StrEnum`s: a member
compares equal to its text, and a misspelt code fails where it is written instead of
silently missing a table (the alarm delays are keyed by `Code`, every member listed).
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """What one finding or technical condition is about; `topic.what` in text."""

    PUMP_OK = "pump.ok"
    PUMP_BEEPING = "pump.beeping"
    PUMP_LIGHT = "pump.light"
    PUMP_UNKNOWN = "pump.unknown"
    PUMP_STALE = "pump.stale"
    PUMP_LIGHT_UNKNOWN = "pump.light_unknown"
    PUMP_BEEP_UNKNOWN = "pump.beep_unknown"
    BRIDGE_DISCONNECTED = "bridge.disconnected"

    ROOM_TEMPERATURE = "room.temperature"
    ROOM_HUMIDITY = "room.humidity"
    ROOM_LIGHT = "room.light"
    ROOM_TOO_HOT = "room.too_hot"
    ROOM_TOO_COLD = "room.too_cold"
    ROOM_SUNLIGHT = "room.sunlight"
    ROOM_STEAM = "room.steam"
    ROOM_TEMPERATURE_UNKNOWN = "room.temperature_unknown"
    ROOM_HUMIDITY_UNKNOWN = "room.humidity_unknown"
    ROOM_LIGHT_UNKNOWN = "room.light_unknown"

    INFUSION_RUNNING = "infusion.running"
    INFUSION_STOPPED = "infusion.stopped"
    INFUSION_STOPPED_LONG = "infusion.stopped_long"
    INFUSION_UNKNOWN = "infusion.unknown"

    REPORTED_LINE_DISCONNECTED = "reported.line_disconnected"
    REPORTED_PUMP_BEEPING = "reported.pump_beeping"
    REPORTED_PUMP_STOPPED = "reported.pump_stopped"
    REPORTED_PUMP_LIGHT = "reported.pump_light"
    REPORTED_DRESSING_DIRTY = "reported.dressing_dirty"
    REPORTED_DRESSING_WET = "reported.dressing_wet"
    REPORTED_DRESSING_TORN = "reported.dressing_torn"
    REPORTED_PORT_PAIN = "reported.port_pain"
    REPORTED_PORT_SWELLING = "reported.port_swelling"
    REPORTED_LEAKING = "reported.leaking"
    REPORTED_OTHER = "reported.other"

    HUB_SOURCE_LOST = "hub.source_lost"
    HUB_AUDIO_FAILING = "hub.audio_failing"
    HUB_STORE_FAILING = "hub.store_failing"
    HUB_ASSESSMENT_FAILED = "hub.assessment_failed"
    HUB_MICROPHONE_FAILING = "hub.microphone_failing"
    HUB_SITE_SILENT = "hub.site_silent"
    HUB_CLOCK_UNSET = "hub.clock_unset"
    HUB_ACKNOWLEDGEMENT_REFUSED = "hub.acknowledgement_refused"

    APPOINTMENT_MISSED = "appointment.missed"

    @property
    def topic(self) -> str:
        """The part before the dot: pump, bridge, room, infusion, reported, hub or appointment."""
        return self.value.split(".", 1)[0]


class Intent(StrEnum):
    """What the family asked or answered, as the templates name it."""

    PUMP_STATUS = "PumpStatus"
    HOME_STATUS = "HomeStatus"
    ROOM_STATUS = "RoomStatus"
    NEXT_BAG_CHANGE = "NextBagChange"
    REPORT_PROBLEM = "ReportProblem"
    WHO_TO_CALL = "WhoToCall"
    BATHING = "Bathing"
    DAILY_CHECK = "DailyCheck"
    HELP = "Help"
    YES = "Yes"
    NO = "No"
    NOT_SURE = "NotSure"
    REPEAT = "Repeat"
    STOP = "Stop"
    ACKNOWLEDGE = "Acknowledge"
    PUMP_OFF_TIME = "PumpOffTime"
    LIGHT_COLOUR = "LightColour"
    PUMP_PLACE = "PumpPlace"
    CLAMP_LINE = "ClampLine"
    PUMP_SCREEN = "PumpScreen"
    SWIMMING = "Swimming"


# The answers the daily check asks for; a recognizer narrows its grammar to these.
ANSWER_INTENTS = (Intent.YES, Intent.NO, Intent.NOT_SURE, Intent.REPEAT, Intent.STOP)
