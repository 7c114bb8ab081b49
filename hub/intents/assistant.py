"""The assistant: text in, reply out, with the daily-check dialogue in between.

Voice, the terminal chat, the daemon and MQTT all call this one object. It holds the
loaded templates (load once, keep) and the state of an open dialogue; everything it
says comes from the assessment, the handlers and the dialogue.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from hub.core import phrases
from hub.core.assessment import assess
from hub.core.codes import ANSWER_INTENTS
from hub.core.dialogue import DailyCheckDialogue, Turn, check_hints
from hub.core.home import HomeState
from hub.intents.handlers import HANDLERS, Context
from hub.intents.templates import IntentMatch, Templates
from hub.core.plan import CarePlan
from hub.core.replies import Reply, shortened
from hub.core import reported
from hub.core.reported import OpenFinding
from hub.core.severity import Severity

_LOGGER = logging.getLogger(__name__)

NOTHING_ASKED = "I wasn't asking anything just now. You can say: is the pump okay?"
OKAY_STOPPED = "Okay."


class Assistant:
    """Answers questions and leads the daily check for one care plan."""

    def __init__(self, plan: CarePlan, *, templates: Templates | None = None) -> None:
        self.plan = plan
        self.templates = templates or Templates()
        self.dialogue: DailyCheckDialogue | None = None
        self._last_speech = phrases.HELP
        self._last_more = ""
        # What the family reported and nobody has said is handled; the daemon stores it
        # and hands it back after a restart (hub.core.reported).
        self.open_findings: tuple[OpenFinding, ...] = ()

    @property
    def expects(self) -> frozenset[str] | None:
        """The intents a dialogue waits for now, or None when any question is welcome."""
        if self.dialogue and self.dialogue.is_open:
            return frozenset(ANSWER_INTENTS)
        return None

    def match(self, text: str) -> IntentMatch | None:
        """Return the intent in `text`; inside a dialogue, its answers are tried first."""
        expected = self.expects
        if expected is not None:
            found = self.templates.match(text, allowed=expected)
            if found is not None:
                return found
        return self.templates.match(text)

    def ask(self, text: str, home: HomeState, now: datetime, *, is_noisy: bool = False) -> Reply:
        """Return the reply to `text`; unmatched text gets "I didn't catch that", never a
        guess, or, when speech went unheard in a loud room (`is_noisy`), that it was the noise."""
        found = self.match(text)
        _LOGGER.info("Heard %r as %s", text, found.name if found else "nothing")
        if found is None:
            return self._remember(self._not_understood(now, is_noisy=is_noisy))
        return self.handle(found.name, found.slots, home, now)

    def handle(self, intent: str, slots: dict[str, str], home: HomeState, now: datetime) -> Reply:
        """Return the reply to an already-recognised intent (from hassil or Rhasspy's NLU)."""
        if intent in ("Repeat", "TellMore") and not self._in_dialogue():
            # After a short urgent answer, "repeat" and "tell me more" give the whole of it.
            return Reply(intent, self._last_more or self._last_speech, Severity.INFO)
        if intent == "TellMore":  # inside the check: the whole of the last answer, then the question again
            return Reply(intent, self._last_more or self._last_speech, Severity.INFO, ANSWER_INTENTS)
        if intent in ANSWER_INTENTS:
            return self._remember(self._dialogue_answer(intent, home, now))
        if intent == "DailyCheck":
            return self._remember(self.start_daily_check(home, now))
        handler = HANDLERS.get(intent)
        if handler is None:
            _LOGGER.warning("No handler for intent %s", intent)
            return self._remember(self._not_understood(now))
        assessment = reported.with_reported(assess(self.plan, home, now), self.open_findings, self.plan, now)
        reply = handler(Context(self.plan, home, now, assessment, dict(slots), self.open_findings))
        self._track(reply)
        if self._in_dialogue() and self.dialogue is not None:
            # A question in the middle of the check: answer it (short, if urgent), then ask the step again.
            reply = shortened(self.plan, reply)
            reply = replace(reply, speech=f"{reply.speech} {self.dialogue.step.question}", expects=ANSWER_INTENTS,
                            records=tuple(self.dialogue.answers))
        return self._remember(reply)

    def start_daily_check(self, home: HomeState, now: datetime) -> Reply:
        """Begin the daily check, or carry on with today's if it stopped part way; the
        reply asks the next question."""
        if self.dialogue is not None and self.dialogue.can_resume(now):
            return self._turn_reply("DailyCheck", self.dialogue.resume())
        self.dialogue = DailyCheckDialogue(self.plan)
        return self._turn_reply("DailyCheck", self.dialogue.start())

    def _dialogue_answer(self, intent: str, home: HomeState, now: datetime) -> Reply:
        if not self._in_dialogue() or self.dialogue is None:
            if intent == "Stop":
                return Reply("Stop", OKAY_STOPPED, Severity.INFO)
            return Reply(intent, NOTHING_ASKED, Severity.INFO)
        return self._turn_reply(intent, self.dialogue.answer(intent, now, hints=check_hints(self.plan, home)))

    def _not_understood(self, now: datetime, *, is_noisy: bool = False) -> Reply:
        if self._in_dialogue() and self.dialogue is not None:
            return self._turn_reply(None, self.dialogue.answer(None, now, is_noisy=is_noisy))
        return Reply(None, phrases.TOO_NOISY_ASK_AGAIN if is_noisy else phrases.NOT_UNDERSTOOD, Severity.INFO)

    def _turn_reply(self, intent: str | None, turn: Turn) -> Reply:
        opened = tuple(OpenFinding(reported.CHECK_STEP_CODES[a.step], a.at) for a in turn.answers
                       if a.answer == "no" and a.step in reported.CHECK_STEP_CODES)
        reply = Reply(intent, turn.speech, turn.severity, ANSWER_INTENTS if turn.is_open else (),
                      records=turn.answers, is_check_paused=turn.is_paused, opened=opened)
        self._track(reply)
        return reply

    def _track(self, reply: Reply) -> None:
        """Keep what the family reported open until they say it is handled."""
        if reply.is_handled:
            self.open_findings = ()
        for item in reply.opened:
            self.open_findings = reported.add(self.open_findings, item)

    def _in_dialogue(self) -> bool:
        return self.dialogue is not None and self.dialogue.is_open

    def _remember(self, reply: Reply) -> Reply:
        reply = shortened(self.plan, reply)
        self._last_speech, self._last_more = reply.speech, reply.more
        return reply
