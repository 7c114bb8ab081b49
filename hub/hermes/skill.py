"""The Hermes skill: intents from Rhasspy in, session replies out, one dialogue per site.

`HermesSkill.receive(topic, payload)` takes one raw MQTT message and returns the
messages to publish; it does no I/O itself, so it is tested without a broker, and
`attach` connects it to an `MqttClient`.

The rules:
- Only the hub's own intents (those in its templates) are answered; another skill's
  intent on a shared Rhasspy is left alone, so its session is not ended under it.
- A reply ends the session (`endSession`), or, while the daily check waits for an
  answer, continues it with an intent filter (`continueSession`). Both name the
  session, and Rhasspy's dialogue manager speaks on the site that session belongs to.
  An intent without a session (straight from an NLU query) is answered with
  `tts/say` on its siteId.
- Each site has its own `Assistant`, so a satellite in the kitchen and one in the
  bedroom never answer each other's daily check. A dialogue belongs to the session it
  started in: when that session ends (timeout, abort), the dialogue is dropped, and a
  "yes" in a new session is never taken as an answer to an old question.
- Malformed payloads raise inside and are logged and ignored here, never acted on.
- A repeat delivery of the same intent id (QoS 1 allows it) is ignored.
- Only the hub's own sites (`acknowledging_sites`: the settings' `site_id` and
  `announce_sites`) may acknowledge an alarm. Anyone on the broker can publish an
  intent with any siteId, so "okay, I heard you" from elsewhere is refused and logged,
  `on_refused` tells the daemon (which says so on the hub's own sites), and the asking
  site is told too. The siteId is not authentication: the broker's ACL
  (firmware-config/mosquitto) decides who may publish intents at all.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from hub.core import phrases
from hub.intents.assistant import Assistant
from hub.hermes import messages
from hub.hermes.client import MqttClient, SeenIds
from hub.hermes.messages import HermesPayloadError, IntentRequest, Outgoing
from hub.core.home import HomeState
from hub.intents.templates import Templates
from hub.intents.understand import Understanding
from hub.core.plan import CarePlan
from hub.core.replies import Reply

_LOGGER = logging.getLogger(__name__)

MAX_SITES = 32  # sites are few; a flood of made-up siteIds must not grow memory without bound
ACKNOWLEDGE = "Acknowledge"


@dataclass
class _Site:
    """One site's assistant and the session its open dialogue belongs to.

    A pinned site's assistant is shared with the daemon (see `adopt`): it is never
    replaced or forgotten, only its dialogue is closed.
    """

    assistant: Assistant
    dialogue_session: str | None = None
    is_pinned: bool = False


class HermesSkill:
    """Answers the hub's intents for every site, from the home and time it is given.

    `home` returns the home as the daemon last saw it (a stale or missing one must come
    back as `HomeState()`, all unknown); `clock` returns the wall time. `on_acknowledge`
    is called with the siteId when someone says "okay, I heard you", so the daemon can
    silence its alarms; what it returns, if anything, is said instead of the plain
    acknowledgement (the daemon knows whether an urgent alarm will come back, or whether
    anything was sounding at all); `on_reply` with every reply given, so the daemon can record
    daily-check answers. `acknowledging_sites` (None: any) are the sites that may
    acknowledge; `on_refused` is called with the siteId of any other that tries.
    """

    def __init__(self, plan: CarePlan, *, home: Callable[[], HomeState], clock: Callable[[], datetime],
                 templates: Templates | None = None,
                 understanding: Understanding | None = None,
                 on_acknowledge: Callable[[str], str | None] | None = None,
                 on_reply: Callable[[str, Reply], None] | None = None,
                 acknowledging_sites: tuple[str, ...] | None = None,
                 on_refused: Callable[[str], None] | None = None) -> None:
        self.plan = plan
        self.templates = templates or (understanding.templates if understanding else Templates())
        # One for every site: folding the template sentences takes a moment.
        self.understanding = understanding or Understanding(self.templates)
        self._names = frozenset(self.templates.names)
        self._home = home
        self._clock = clock
        self._on_acknowledge = on_acknowledge
        self._on_reply = on_reply
        self._acknowledging = None if acknowledging_sites is None else frozenset(acknowledging_sites)
        self._on_refused = on_refused
        self._sites: OrderedDict[str, _Site] = OrderedDict()
        self._seen = SeenIds()
        self._routes: dict[str, Callable[[str, bytes], list[Outgoing]]] = {
            messages.INTENT_TOPIC: self._receive_intent,
            messages.SESSION_ENDED_TOPIC: self._receive_session_ended,
            messages.NOT_RECOGNIZED_TOPIC: self._receive_not_recognized,
        }

    @property
    def topics(self) -> tuple[str, ...]:
        """The topic filters the skill listens on."""
        return tuple(self._routes)

    def receive(self, topic: str, payload: bytes) -> list[Outgoing]:
        """Return the messages to publish in answer to one MQTT message (often none).

        Never raises for bad input: a malformed payload is logged and ignored.
        """
        route = self._routes.get(messages.INTENT_TOPIC if topic.startswith("hermes/intent/") else topic)
        if route is None:
            return []
        try:
            return route(topic, payload)
        except HermesPayloadError as exc:
            _LOGGER.warning("Ignored a malformed Hermes message: %s", exc)
            return []

    def adopt(self, site_id: str, assistant: Assistant) -> None:
        """Answer on `site_id` with `assistant`, shared with the daemon.

        The daemon starts the daily check on its own site by speaking first; sharing its
        assistant lets the family answer that check through Rhasspy.
        """
        self._sites[site_id] = _Site(assistant, is_pinned=True)

    def attach(self, client: MqttClient) -> None:
        """Subscribe on `client` and publish every answer through it."""
        for topic_filter in self.topics:
            client.subscribe(topic_filter, lambda topic, payload: self._publish(client, topic, payload))

    def _publish(self, client: MqttClient, topic: str, payload: bytes) -> None:
        for out in self.receive(topic, payload):
            client.publish(out.topic, out.payload, retain=out.retain)

    # --- routes ---------------------------------------------------------------------

    def _receive_intent(self, topic: str, payload: bytes) -> list[Outgoing]:
        request = messages.parse_intent(topic, payload)
        if request.intent not in self._names:
            _LOGGER.debug("Intent %s is not the hub's; left to other skills", request.intent)
            return []
        key = request.dedup_key
        if key is not None and not self._seen.is_new(key):
            _LOGGER.info("Ignored a repeat delivery of intent %s (id %s)", request.intent, request.request_id)
            return []
        if request.intent == ACKNOWLEDGE and self._acknowledging is not None \
                and request.site_id not in self._acknowledging:
            return [self._refuse(request)]
        site = self._site(request.site_id)
        if site.dialogue_session is not None and site.dialogue_session != request.session_id:
            _LOGGER.info("Site %s: a new session replaces the unfinished daily check", request.site_id)
            site = self._reset(request.site_id)
        reply = site.assistant.handle(request.intent, dict(request.slots), self._home(), self._clock())
        _LOGGER.info("Site %s: %s -> %s", request.site_id, request.intent, reply.severity.value)
        if request.intent == ACKNOWLEDGE and self._on_acknowledge is not None:
            instead = self._on_acknowledge(request.site_id)
            if instead:
                reply = replace(reply, speech=instead)
        return [self._answer(site, request, reply)]

    def _refuse(self, request: IntentRequest) -> Outgoing:
        """Answer an acknowledgement from a site that is not the hub's: nothing is silenced."""
        _LOGGER.warning("Refused an acknowledgement from unknown site %r (the hub's sites: %s)",
                        request.site_id, ", ".join(sorted(self._acknowledging or ())))
        if self._on_refused is not None:
            self._on_refused(request.site_id)
        if request.session_id is None:
            return messages.say(phrases.ACKNOWLEDGEMENT_REFUSED, request.site_id, f"reply-{uuid.uuid4()}")
        return messages.end_session(request.session_id, phrases.ACKNOWLEDGEMENT_REFUSED)

    def _answered(self, site_id: str, reply: Reply) -> None:
        if self._on_reply is not None:
            self._on_reply(site_id, reply)

    def _receive_not_recognized(self, topic: str, payload: bytes) -> list[Outgoing]:
        event = messages.parse_not_recognized(topic, payload)
        site = self._sites.get(event.site_id)
        if site is None or site.dialogue_session != event.session_id:
            return []  # not a session the hub is leading
        reply = site.assistant.ask(event.text, self._home(), self._clock())
        request = IntentRequest(intent="", site_id=event.site_id, session_id=event.session_id, request_id=None)
        return [self._answer(site, request, reply)]

    def _receive_session_ended(self, topic: str, payload: bytes) -> list[Outgoing]:
        event = messages.parse_session_ended(topic, payload)
        site = self._sites.get(event.site_id)
        if site is not None and site.dialogue_session == event.session_id:
            if site.assistant.expects is not None:
                _LOGGER.info("Site %s: session ended (%s) during the daily check; check dropped",
                             event.site_id, event.reason)
            self._reset(event.site_id)
        return []

    # --- helpers --------------------------------------------------------------------

    def _answer(self, site: _Site, request: IntentRequest, reply: Reply) -> Outgoing:
        self._answered(request.site_id, reply)
        is_open = bool(reply.expects) and site.assistant.expects is not None
        if request.session_id is None:
            # No session to answer in: speak on the asking site, and do not hold a dialogue open.
            if is_open:
                self._reset(request.site_id)
            return messages.say(reply.speech, request.site_id, f"reply-{uuid.uuid4()}")
        if is_open:
            site.dialogue_session = request.session_id
            return messages.continue_session(request.session_id, reply.speech, reply.expects)
        site.dialogue_session = None
        return messages.end_session(request.session_id, reply.speech)

    def _site(self, site_id: str) -> _Site:
        site = self._sites.get(site_id)
        if site is None:
            return self._reset(site_id)
        if not site.is_pinned and site.assistant.plan is not self.plan and site.assistant.expects is None:
            return self._reset(site_id)  # the plan was reloaded: its numbers and limits apply from now
        self._sites.move_to_end(site_id)
        return site

    def _reset(self, site_id: str) -> _Site:
        """Return the site with no dialogue open: a new assistant, or the shared one with its dialogue closed."""
        pinned = self._sites.get(site_id)
        if pinned is not None and pinned.is_pinned:
            pinned.assistant.dialogue = None
            pinned.dialogue_session = None
            return pinned
        site = _Site(Assistant(self.plan, understanding=self.understanding))
        self._sites[site_id] = site
        self._sites.move_to_end(site_id)
        unpinned = [key for key, value in self._sites.items() if not value.is_pinned]
        for dropped in unpinned[:max(0, len(unpinned) - MAX_SITES)]:
            del self._sites[dropped]
            _LOGGER.warning("Forgot the dialogue state of site %s (more than %d sites)", dropped, MAX_SITES)
        return site
