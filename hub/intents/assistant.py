"""The assistant: text in, reply out, with the daily-check dialogue in between.

Voice, the terminal chat, the daemon and MQTT all call this one object. It holds the
loaded templates (load once, keep) and the state of an open dialogue; everything it
says comes from the assessment, the handlers and the dialogue.
"""

from __future__ import annotations

import logging
from datetime import datetime

from hub.core import phrases
from hub.core.assessment import assess
from hub.core.codes import ANSWER_INTENTS
from hub.core.dialogue import DailyCheckDialogue, Turn
from hub.core.home import HomeState
from hub.intents.handlers import HANDLERS, Context, report_worry
from hub.intents.templates import IntentMatch, Templates
from hub.intents.understand import REASSURING, Understanding, Understood
from hub.core.plan import CarePlan
from hub.core.replies import Reply
from hub.core.severity import Severity

_LOGGER = logging.getLogger(__name__)

NOTHING_ASKED = "I wasn't asking anything just now. You can say: is the pump okay?"
OKAY_STOPPED = "Okay."


class Assistant:
    """Answers questions and leads the daily check for one care plan."""

    def __init__(self, plan: CarePlan, *, templates: Templates | None = None,
                 understanding: Understanding | None = None) -> None:
        self.plan = plan
        self.templates = templates or (understanding.templates if understanding else Templates())
        self.understanding = understanding or Understanding(self.templates)
        self.dialogue: DailyCheckDialogue | None = None
        self._last_speech = phrases.HELP

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

    def understand(self, text: str) -> Understood:
        """Return what `text` asks for; inside a dialogue, its answers are tried first."""
        return self.understanding.understand(text, expects=self.expects)

    def ask(self, text: str, home: HomeState, now: datetime, *, is_noisy: bool = False) -> Reply:
        """Return the reply to `text`, in whatever words it was said.

        Text that names no intent gets "I didn't catch that", never a guess, or, when
        speech went unheard in a loud room (`is_noisy`), that it was the noise; but text
        that sounds like a problem or a worry always gets the care team's number.
        """
        found = self.understand(text)
        _LOGGER.info("Heard %r as %s (%s%s)", text, found.intent or "nothing", found.how,
                     f", worry: {', '.join(found.worry.words)}" if found.is_worry else "")
        if found.intent is None:
            if found.is_worry:
                return self._remember(self._worried(found, home, now))
            return self._remember(self._not_understood(now, is_noisy=is_noisy))
        if found.is_worry and found.intent in REASSURING:
            # "Is the pump okay? It's beeping": what the family reports is taken as true, so
            # no reading may answer it with an all-clear.
            return self._remember(self._worried(found, home, now))
        reply = self.handle(found.intent, found.slots, home, now)
        if found.is_worry:
            reply = self._remember(_with_call_line(self.plan, reply, is_emergency=found.is_emergency))
        return reply

    def handle(self, intent: str, slots: dict[str, str], home: HomeState, now: datetime) -> Reply:
        """Return the reply to an already-recognised intent (from hassil or Rhasspy's NLU)."""
        if intent == "Repeat" and not self._in_dialogue():
            return Reply("Repeat", self._last_speech, Severity.INFO)
        if intent in ANSWER_INTENTS:
            return self._remember(self._dialogue_answer(intent, now))
        if intent == "DailyCheck":
            return self._remember(self.start_daily_check(home, now))
        handler = HANDLERS.get(intent)
        if handler is None:
            _LOGGER.warning("No handler for intent %s", intent)
            return self._remember(self._not_understood(now))
        reply = handler(Context(self.plan, home, now, assess(self.plan, home, now), dict(slots)))
        if self._in_dialogue() and self.dialogue is not None:
            # A question in the middle of the check: answer it, then ask the step again.
            reply = Reply(reply.intent, f"{reply.speech} {self.dialogue.step.question}", reply.severity,
                          ANSWER_INTENTS, reply.findings, tuple(self.dialogue.answers))
        return self._remember(reply)

    def start_daily_check(self, home: HomeState, now: datetime) -> Reply:
        """Begin the daily check, or carry on with today's if it stopped part way; the
        reply asks the next question."""
        if self.dialogue is not None and self.dialogue.can_resume(now):
            return self._turn_reply("DailyCheck", self.dialogue.resume())
        self.dialogue = DailyCheckDialogue(self.plan)
        return self._turn_reply("DailyCheck", self.dialogue.start())

    def _dialogue_answer(self, intent: str, now: datetime) -> Reply:
        if not self._in_dialogue() or self.dialogue is None:
            if intent == "Stop":
                return Reply("Stop", OKAY_STOPPED, Severity.INFO)
            return Reply(intent, NOTHING_ASKED, Severity.INFO)
        return self._turn_reply(intent, self.dialogue.answer(intent, now))

    def _worried(self, found: Understood, home: HomeState, now: datetime) -> Reply:
        reply = report_worry(Context(self.plan, home, now, assess(self.plan, home, now), {}),
                             is_emergency=found.is_emergency)
        if self._in_dialogue() and self.dialogue is not None:
            reply = Reply(reply.intent, f"{reply.speech} {self.dialogue.step.question}", reply.severity,
                          ANSWER_INTENTS, reply.findings, tuple(self.dialogue.answers))
        return reply

    def _not_understood(self, now: datetime, *, is_noisy: bool = False) -> Reply:
        if self._in_dialogue() and self.dialogue is not None:
            return self._turn_reply(None, self.dialogue.answer(None, now, is_noisy=is_noisy))
        return Reply(None, phrases.TOO_NOISY_ASK_AGAIN if is_noisy else phrases.NOT_UNDERSTOOD, Severity.INFO)

    def _turn_reply(self, intent: str | None, turn: Turn) -> Reply:
        return Reply(intent, turn.speech, turn.severity, ANSWER_INTENTS if turn.is_open else (),
                     records=turn.answers, is_check_paused=turn.is_paused)

    def _in_dialogue(self) -> bool:
        return self.dialogue is not None and self.dialogue.is_open

    def _remember(self, reply: Reply) -> Reply:
        self._last_speech = reply.speech
        return reply


def _with_call_line(plan: CarePlan, reply: Reply, *, is_emergency: bool) -> Reply:
    """Add whom to call to an answer given to words that also sounded worried."""
    line = phrases.emergency(plan) if is_emergency else phrases.call_to_ask(plan)
    if is_emergency and plan.care_team.emergency_phone and plan.care_team.emergency_phone not in reply.speech:
        speech = f"{line} {reply.speech}"
    elif plan.care_team.phone in reply.speech:
        return reply
    else:
        speech = f"{reply.speech} {line}"
    severity = Severity.worst([reply.severity, Severity.URGENT if is_emergency else Severity.WARNING])
    return Reply(reply.intent, speech, severity, reply.expects, reply.findings, reply.records, reply.is_check_paused)
