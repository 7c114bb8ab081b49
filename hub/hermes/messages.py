"""Hermes messages in and out: strict parsing of what arrives, plain values for what leaves.

Pure, no network. Every incoming payload is checked field by field before anything acts
on it; a payload that is not what Rhasspy sends raises `HermesPayloadError` (the caller
logs it and ignores the message). Outgoing messages are built with `rhasspy-hermes`'
own classes, so their JSON is exactly what Rhasspy's dialogue manager expects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rhasspyhermes.dialogue import (
    DialogueContinueSession,
    DialogueEndSession,
    DialogueIntentNotRecognized,
    DialogueSessionEnded,
)
from rhasspyhermes.nlu import NluIntent
from rhasspyhermes.tts import TtsSay, TtsSayFinished

from hub.core.wrong_number import guard_speech
from hub.errors import HubError

INTENT_TOPIC = NluIntent.topic()  # hermes/intent/#
SESSION_ENDED_TOPIC = DialogueSessionEnded.topic()
NOT_RECOGNIZED_TOPIC = DialogueIntentNotRecognized.topic()
SAY_TOPIC = TtsSay.topic()
SAY_FINISHED_TOPIC = TtsSayFinished.topic()
MAX_PAYLOAD_BYTES = 64 * 1024  # a real intent is a few kB; anything bigger is not one


class HermesPayloadError(HubError, ValueError):
    """An MQTT payload that is not a valid Hermes message; it is logged and ignored."""

    def __init__(self, topic: str, problem: str) -> None:
        super().__init__(f"{topic}: {problem}")
        self.topic = topic
        self.problem = problem


@dataclass(frozen=True)
class Outgoing:
    """One message to publish: topic and JSON text. Retained ones carry hub state."""

    topic: str
    payload: str
    retain: bool = False


@dataclass(frozen=True)
class IntentRequest:
    """A recognised intent from hermes/intent/<name>, checked."""

    intent: str
    site_id: str
    session_id: str | None
    request_id: str | None
    slots: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def dedup_key(self) -> str | None:
        """The id that marks a repeat delivery, or None when the message has none."""
        if self.request_id is None:
            return None
        return f"intent/{self.site_id}/{self.session_id}/{self.request_id}"


@dataclass(frozen=True)
class SessionEvent:
    """A session that ended, or input the NLU did not recognise, for one site."""

    session_id: str
    site_id: str
    text: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SayFinished:
    """Rhasspy's confirmation that a `tts/say` with this id has been spoken."""

    say_id: str
    site_id: str


def parse_intent(topic: str, payload: bytes) -> IntentRequest:
    """Return the checked intent in a hermes/intent/<name> message, or raise `HermesPayloadError`."""
    if not NluIntent.is_topic(topic):
        raise HermesPayloadError(topic, "not an intent topic")
    data = _json_object(topic, payload)
    intent = _object(data, "intent", topic)
    name = _text(intent, "intentName", topic)
    if name != NluIntent.get_intent_name(topic):
        raise HermesPayloadError(topic, f"intentName {name!r} does not match the topic")
    slots: dict[str, str] = {}
    raw_slots = data.get("slots")
    if raw_slots is not None:
        if not isinstance(raw_slots, list):
            raise HermesPayloadError(topic, "slots is not a list")
        for slot in raw_slots:
            if not isinstance(slot, dict):
                raise HermesPayloadError(topic, "a slot is not an object")
            slot_name = _text(slot, "slotName", topic)
            value = _object(slot, "value", topic)
            slots[slot_name] = _text(value, "value", topic, allow_empty=True)
    return IntentRequest(
        intent=name,
        site_id=_text(data, "siteId", topic, default="default"),
        session_id=_optional_text(data, "sessionId", topic),
        request_id=_optional_text(data, "id", topic),
        slots=slots,
        text=_optional_text(data, "input", topic) or "",
    )


def parse_session_ended(topic: str, payload: bytes) -> SessionEvent:
    """Return the checked hermes/dialogueManager/sessionEnded message."""
    data = _json_object(topic, payload)
    termination = _object(data, "termination", topic)
    return SessionEvent(session_id=_text(data, "sessionId", topic),
                        site_id=_text(data, "siteId", topic, default="default"),
                        reason=_text(termination, "reason", topic))


def parse_not_recognized(topic: str, payload: bytes) -> SessionEvent:
    """Return the checked hermes/dialogueManager/intentNotRecognized message."""
    data = _json_object(topic, payload)
    return SessionEvent(session_id=_text(data, "sessionId", topic),
                        site_id=_text(data, "siteId", topic, default="default"),
                        text=_optional_text(data, "input", topic) or "")


def parse_say_finished(topic: str, payload: bytes) -> SayFinished:
    """Return the checked hermes/tts/sayFinished message; one without an id is not ours."""
    data = _json_object(topic, payload)
    return SayFinished(say_id=_text(data, "id", topic), site_id=_text(data, "siteId", topic, default="default"))


def end_session(session_id: str, text: str) -> Outgoing:
    """Return the message that speaks `text` and ends the session (reaches its own site)."""
    message = DialogueEndSession(session_id=session_id, text=guard_speech(text))
    return Outgoing(DialogueEndSession.topic(), str(message.payload()))


def continue_session(session_id: str, text: str, intent_filter: tuple[str, ...]) -> Outgoing:
    """Return the message that speaks `text` and listens again for `intent_filter` only.

    Unrecognised speech comes back as intentNotRecognized, so the dialogue can re-ask
    instead of the session silently ending mid-check.
    """
    message = DialogueContinueSession(session_id=session_id, text=guard_speech(text), intent_filter=list(intent_filter),
                                      send_intent_not_recognized=True)
    return Outgoing(DialogueContinueSession.topic(), str(message.payload()))


def say(text: str, site_id: str, say_id: str, *, volume: float | None = None) -> Outgoing:
    """Return a hermes/tts/say message; its id comes back in sayFinished."""
    message = TtsSay(text=guard_speech(text), site_id=site_id, id=say_id, volume=volume)
    return Outgoing(SAY_TOPIC, str(message.payload()))


# --- field checks ------------------------------------------------------------------

def _json_object(topic: str, payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise HermesPayloadError(topic, f"payload of {len(payload)} bytes is too large")
    try:
        data = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        raise HermesPayloadError(topic, "payload is not UTF-8") from None
    except (json.JSONDecodeError, RecursionError):
        raise HermesPayloadError(topic, "payload is not JSON") from None
    if not isinstance(data, dict):
        raise HermesPayloadError(topic, "payload is not a JSON object")
    return data


def _object(data: dict[str, Any], key: str, topic: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise HermesPayloadError(topic, f"{key} is missing or not an object")
    return value


def _text(data: dict[str, Any], key: str, topic: str, *, default: str | None = None,
          allow_empty: bool = False) -> str:
    value = data.get(key, default)
    if value is None and default is not None:
        value = default
    if not isinstance(value, str) or (not value and not allow_empty) or len(value) > 1000:
        raise HermesPayloadError(topic, f"{key} is missing or not text")
    return value


def _optional_text(data: dict[str, Any], key: str, topic: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 1000:
        raise HermesPayloadError(topic, f"{key} is not text")
    return value
