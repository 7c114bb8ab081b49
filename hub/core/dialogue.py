"""The spoken daily check: one step at a time, yes / no / not sure / repeat / stop.

Steps and what to do on a "no" follow the sheet's daily checks. The dialogue is a
plain state machine over text intents, so voice, terminal and MQTT all drive it the
same way, and it returns a record of each answer for the daemon to store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub.core import phrases
from hub.core.assessment import PLAUSIBLE_LIGHT_LUX, is_fresh, usable_value
from hub.core.home import HomeState, PumpLight
from hub.core.pump_lights import LIGHT_SEEN
from hub.core.codes import ANSWER_INTENTS
from hub.core.plan import CarePlan
from hub.core.severity import Severity



@dataclass(frozen=True)
class Step:
    """One question of the check and what a "no" means."""

    key: str
    question: str
    if_no: str
    no_severity: Severity
    look: str  # what to check by eye when the hub cannot hear the answer
    no_calls: bool = False
    no_comes_in: bool = False
    first_aid: str = ""  # what to do at once if the check by eye finds it wrong


LINE_APART = "If the line has come apart, do not put it back together. Close the clamp that is on the line."

STEPS: tuple[Step, ...] = (
    Step("line_connections",
         "First, the line. Are all the connections on the line tight and secure?",
         LINE_APART, Severity.URGENT, "Every connection on the line should be tight and secure.",
         no_calls=True, no_comes_in=True, first_aid=LINE_APART),
    Step("line_not_pulled",
         "Is the line free, with nothing pulling on it, and is the backpack close by?",
         "Bring the backpack close, so nothing pulls on the line. Going too far from the backpack pulls the line.",
         Severity.WARNING, "Nothing should pull on the line, and the backpack should be close by."),
    Step("pump_light",
         "Now look at the pump. Is the light green and blinking?",
         "The light should be green and blinking. Tell the care team what the light is doing.",
         Severity.URGENT, "The pump light should be green and blinking.", no_calls=True, no_comes_in=True),
    Step("pump_position",
         "Is the pump at heart level or higher, and out of the sun?",
         "Move the pump up to heart level or higher, and out of direct sun. That helps the medicine flow steadily.",
         Severity.WARNING, "The pump should be at heart level or higher, and out of the sun."),
    Step("dressing",
         "Last, the port dressing. Is it clean, dry and not torn?",
         "The dressing needs to be changed by the care team.",
         Severity.URGENT, "The port dressing should be clean, dry and not torn.", no_calls=True, no_comes_in=True),
)

START = "Let's do the daily check. Answer yes, no, or not sure. You can say repeat or stop."
DONE_ALL_OK = "That's the daily check done. Everything you checked looks right. Well done!"
DONE_WITH_PROBLEMS = "That's the daily check done, with something to ask the care team about."
STOPPED = "Okay, I stopped the daily check. We can finish it later."
RESUME = "Let's finish the daily check from where we stopped. Answer yes, no, or not sure."
NOT_SURE = "That's okay. Please ask the care team."
# "I don't know" first gets how to look, and what the hub itself can see; the number is
# said once, at the end of a check with a problem, not after every unsure answer.
HOW_TO_LOOK = "That's okay. Here is how to look."
LOOK_THEN_ANSWER = "Have a look, then answer yes, no, or not sure."
NOTED_NOT_SURE = "Okay, I'll note that as not sure. Ask the care team about it when you call."
STOPPED_AFTER_URGENT = "Please make that call now. We can finish the check afterwards."
ANSWER_HINT = "Please answer yes, no, or not sure."
PAUSED = "I can't make out your answers, so I've paused the daily check."
PAUSED_NOISY = "It's too loud for me to hear your answers, so I've paused the daily check."
CHECK_BY_EYE = "Please check these yourself."
FINISH_LATER = "We can finish the check later."
# Answers not understood in a row, on one step, before the check pauses. Asked forever,
# a family gives up on the check with nothing checked and nothing said about it; three
# tries cover a cough, a passing noise and one misheard word.
MISSES_BEFORE_PAUSE = 3
# How long a stopped check waits to be finished rather than started over: long enough for
# a false "stop" or the 30-minute reminder, short enough that the earlier answers
# still describe the line and dressing as they are, and that a check after an urgent call
# (often a trip to the clinic) starts again from the line.
RESUME_WITHIN = timedelta(hours=2)


@dataclass(frozen=True)
class CheckAnswer:
    """One answer of the daily check, for the record."""

    step: str
    answer: str  # "yes" | "no" | "not_sure"
    at: datetime


@dataclass(frozen=True)
class Turn:
    """What the dialogue says after one input, and whether it waits for more."""

    speech: str
    severity: Severity
    is_open: bool
    answers: tuple[CheckAnswer, ...] = ()
    is_paused: bool = False  # stopped by the hub, unheard: not done, to be finished later


@dataclass
class DailyCheckDialogue:
    """One run of the daily check. Create it, call `start`, then `answer` per reply.

    A check stopped part way (by "stop", or to make an urgent call) can be resumed at
    the step it stopped on within `RESUME_WITHIN` (`can_resume`, `resume`): an
    out-of-domain phrase heard as "stop" should not make the family start over.
    """

    plan: CarePlan
    index: int = 0
    answers: list[CheckAnswer] = field(default_factory=list)
    worst: Severity = Severity.OK
    is_open: bool = False
    stopped_at: datetime | None = None
    misses: int = 0
    unsure_index: int | None = None  # the step that already got "how to look"

    @property
    def step(self) -> Step:
        return STEPS[self.index]

    def start(self) -> Turn:
        self.index, self.answers, self.worst, self.is_open = 0, [], Severity.OK, True
        self.stopped_at, self.misses = None, 0
        return Turn(f"{START} {self.step.question}", Severity.INFO, True)

    def can_resume(self, now: datetime) -> bool:
        """Return True when this check stopped part way, after at least one answer, today
        and within `RESUME_WITHIN`."""
        return (not self.is_open and self.stopped_at is not None and self.stopped_at.date() == now.date()
                and timedelta(0) <= now - self.stopped_at <= RESUME_WITHIN
                and (self.index > 0 or self.worst is not Severity.OK))

    def resume(self) -> Turn:
        """Open the check again at the step it stopped on. Answers given before were handed
        over with their turns, so only new ones are returned from here on; the worst
        answer so far still decides how the check ends."""
        self.answers, self.is_open, self.stopped_at, self.misses = [], True, None, 0
        return Turn(f"{RESUME} {self.step.question}", self._severity(), True)

    def answer(self, intent: str | None, now: datetime, *, is_noisy: bool = False,
               hints: Mapping[str, str] | None = None) -> Turn:
        """Take one answer (an intent name, or None when not understood, `is_noisy` when
        the room was too loud to hear it) and say what is next. `hints` are what the hub
        itself sees for a step ("The pump monitor sees a green, blinking light."), said
        with how to look when the family is not sure."""
        if not self.is_open:
            return Turn(STOPPED, Severity.INFO, False, tuple(self.answers))
        if intent not in ANSWER_INTENTS:
            self.misses += 1
            if self.misses >= MISSES_BEFORE_PAUSE:
                return self._pause(now, is_noisy=is_noisy)
        else:
            self.misses = 0
        if intent == "Repeat":
            return self._turn(self.step.question)
        if intent == "Stop":
            self.is_open, self.stopped_at = False, now
            return Turn(STOPPED, self._severity(), False, tuple(self.answers))
        if intent not in ("Yes", "No", "NotSure"):
            sorry = phrases.TOO_NOISY if is_noisy else f"{phrases.NOT_UNDERSTOOD.split('.')[0]}."
            return self._turn(f"{sorry} {ANSWER_HINT} {self.step.question}")

        step = self.step
        said: list[str] = []
        if intent == "Yes":
            self.answers.append(CheckAnswer(step.key, "yes", now))
        elif intent == "No":
            self.answers.append(CheckAnswer(step.key, "no", now))
            self.worst = Severity.worst([self.worst, step.no_severity])
            said.append(step.if_no)
            if step.no_comes_in:
                said.append(phrases.come_in(self.plan))
            if step.no_calls:
                said.append(phrases.call_now(self.plan))
                if self.index + 1 < len(STEPS):
                    said.append(STOPPED_AFTER_URGENT)
                    self.stopped_at = now  # the step is asked again when the check resumes
                self.is_open = False
                return Turn(" ".join(said), self.worst, False, tuple(self.answers))
        elif self.unsure_index != self.index:
            self.unsure_index = self.index
            hint = (hints or {}).get(step.key, "")
            return self._turn(" ".join(filter(None, (HOW_TO_LOOK, step.look, hint, LOOK_THEN_ANSWER,
                                                     step.question))))
        else:
            self.answers.append(CheckAnswer(step.key, "not_sure", now))
            self.worst = Severity.worst([self.worst, Severity.WARNING])
            said.append(NOTED_NOT_SURE)

        self.index += 1
        if self.index >= len(STEPS):
            self.is_open = False
            if self.worst is Severity.OK:
                said.append(DONE_ALL_OK)
            else:  # the number once, at the end, however many answers were not yes
                said += [DONE_WITH_PROBLEMS, phrases.call_to_ask(self.plan)]
            return Turn(" ".join(said), self._severity(), False, tuple(self.answers))
        said.append(self.step.question)
        return self._turn(" ".join(said))

    def _pause(self, now: datetime, *, is_noisy: bool) -> Turn:
        """Stop asking after `MISSES_BEFORE_PAUSE` misses: say what is left unchecked and
        how to check it by eye, and keep the check to be finished (`resume`). Nothing is
        recorded for the unheard steps, so the check is not done and its reminder stays."""
        self.is_open, self.stopped_at, self.misses = False, now, 0
        looks = " ".join(" ".join(filter(None, (step.look, step.first_aid))) for step in STEPS[self.index :])
        said = (f"{PAUSED_NOISY if is_noisy else PAUSED} {CHECK_BY_EYE} {looks} "
                f"{phrases.call_if_not_right(self.plan)} {FINISH_LATER}")
        severity = Severity.worst([self.worst, Severity.UNKNOWN])
        return Turn(said, severity, False, tuple(self.answers), is_paused=True)

    def _turn(self, speech: str) -> Turn:
        return Turn(speech, self._severity(), True, tuple(self.answers))

    def _severity(self) -> Severity:
        return Severity.INFO if self.worst is Severity.OK else self.worst


def fixed_phrases(plan: CarePlan) -> list[str]:
    """Every sentence of the dialogue, for the phrase cache."""
    out = [START, RESUME, DONE_ALL_OK, DONE_WITH_PROBLEMS, STOPPED, HOW_TO_LOOK, LOOK_THEN_ANSWER, NOTED_NOT_SURE,
           STOPPED_AFTER_URGENT, ANSWER_HINT,
           PAUSED, PAUSED_NOISY, CHECK_BY_EYE, FINISH_LATER]
    for step in STEPS:
        out += [text for text in (step.question, step.if_no, step.look, step.first_aid) if text]
    out.append(phrases.call_if_not_right(plan))
    return out + hint_phrases()



def check_hints(plan: CarePlan, home: HomeState) -> dict[str, str]:
    """Return what the hub itself sees for each step it can help with, in words.

    Only a fresh reading from a connected monitor is offered; "I can't see it" is said
    as such, never as fine (the family still looks for themselves).
    """
    pump = home.pump
    hints: dict[str, str] = {}
    if pump.is_bridge_connected and is_fresh(pump.age_s, plan.limits.pump_stale_after_s) \
            and pump.light is not PumpLight.UNKNOWN:
        hints["pump_light"] = _seen(pump.light)
    else:
        hints["pump_light"] = MONITOR_CANNOT_SEE
    lux = usable_value(home.environment.light_lux, plan.limits.room_stale_after_s, PLAUSIBLE_LIGHT_LUX)
    if lux is not None:
        hints["pump_position"] = SENSOR_SEES_SUN if lux >= plan.limits.sunlight_min_lux else SENSOR_SEES_NO_SUN
    return hints


MONITOR_CANNOT_SEE = "The pump monitor can't see the light right now."
SENSOR_SEES_SUN = "The light sensor by the pump sees strong sun."
SENSOR_SEES_NO_SUN = "The light sensor by the pump sees no strong sun."


def _seen(light: PumpLight) -> str:
    return f"The pump monitor sees {LIGHT_SEEN[light]}."


def hint_phrases() -> list[str]:
    """Every sentence `check_hints` can give, for the phrase cache."""
    return [*(_seen(light) for light in LIGHT_SEEN), MONITOR_CANNOT_SEE, SENSOR_SEES_SUN, SENSOR_SEES_NO_SUN]
