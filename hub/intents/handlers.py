"""Intent handlers: each turns a recognised intent and the assessment into a reply.

Dispatch is a mapping from intent name to handler, so adding an intent is adding
one function and one entry, never another branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from hub.core import phrases
from hub.core.findings import Assessment, Finding
from hub.core.home import HomeState, PumpLight
from hub.core.plan import CarePlan
from hub.core.pump_lights import REPORTED_COLOURS, light_severity, light_words
from hub.core.reminders import is_clock_plausible
from hub.core.reported import OpenFinding, severity_of
from hub.core.replies import MORE_HINT, Reply, brief, compose, status_reply
from hub.core.severity import Severity
from hub.core.codes import Code, Intent


@dataclass(frozen=True)
class Context:
    """Everything a handler may use: plain values, no devices."""

    plan: CarePlan
    home: HomeState
    now: datetime
    assessment: Assessment
    slots: dict[str, str]
    open_findings: tuple[OpenFinding, ...] = ()


Handler = Callable[[Context], Reply]


def pump_status(ctx: Context) -> Reply:
    return status_reply(ctx.plan, ctx.assessment, "PumpStatus", focus=("pump", "infusion"))


def home_status(ctx: Context) -> Reply:
    return status_reply(ctx.plan, ctx.assessment, "HomeStatus", focus=("pump", "infusion", "room"))


def room_status(ctx: Context) -> Reply:
    return status_reply(ctx.plan, ctx.assessment, "RoomStatus", focus=("room",),
                        others_from=Severity.URGENT, say_all_ok=False)


def next_bag_change(ctx: Context) -> Reply:
    if not is_clock_plausible(ctx.now):  # a Pi booted without the time: "next" would be made up
        return _with_urgent(ctx, Reply("NextBagChange", phrases.schedule_unknown(ctx.plan), Severity.UNKNOWN))
    upcoming = _bag_changes(ctx)
    if not upcoming:
        return _with_urgent(ctx, Reply("NextBagChange", phrases.NO_BAG_CHANGE, Severity.INFO))
    speech = phrases.next_bag_change(upcoming[0], ctx.now)
    sooner = [v for v in _visits(ctx) if v[1] != _BAG_CHANGE and v[0] < upcoming[0]]
    if sooner:  # another visit comes first: said by its own name, never as a bag change
        speech = f"{speech} {phrases.next_visit(sooner[0][1], sooner[0][0], ctx.now)}"
    return _with_urgent(ctx, Reply("NextBagChange", speech, Severity.INFO))


_BAG_CHANGE = "the bag change"
_DAYS = {"today": 0, "tomorrow": 1}


def _bag_changes(ctx: Context) -> list[datetime]:
    return sorted(at for at in set(ctx.plan.bag_changes) | set(ctx.home.bag_changes) if at >= ctx.now)


def _visits(ctx: Context) -> list[tuple[datetime, str]]:
    """Every upcoming visit, bag changes and others, in time order, with what to call it."""
    visits = [(at, _BAG_CHANGE) for at in _bag_changes(ctx)]
    visits += [(a.at, phrases.visit_name(a.summary)) for a in ctx.plan.appointments if a.at >= ctx.now]
    return sorted(visits)


def next_appointment(ctx: Context) -> Reply:
    """"What time do we have to be at the hospital tomorrow": every visit that day, or the next."""
    if not is_clock_plausible(ctx.now):  # "tomorrow" from a clock that is not set would be made up
        return _with_urgent(ctx, Reply("NextAppointment", phrases.schedule_unknown(ctx.plan), Severity.UNKNOWN))
    day = ctx.slots.get("day", "")
    visits = _visits(ctx)
    if day in _DAYS:
        wanted = ctx.now.date() + timedelta(days=_DAYS[day])
        that_day = [v for v in visits if v[0].date() == wanted]
        speech = phrases.visits_on(day, that_day) if that_day else phrases.no_visit_on(day)
    elif not visits:
        speech = phrases.NO_VISIT
    elif visits[0][1] == _BAG_CHANGE:
        speech = phrases.next_bag_change(visits[0][0], ctx.now)
    else:
        speech = phrases.next_visit(visits[0][1], visits[0][0], ctx.now)
    return _with_urgent(ctx, Reply("NextAppointment", speech, Severity.INFO))


def who_to_call(ctx: Context) -> Reply:
    """During an urgent problem, the urgent answer already says to call now, the number,
    whom to ask for and that they always answer; saying the number again with the list
    of reasons to call would only make the family wait longer for the end of it."""
    urgent = _with_urgent(ctx, Reply("WhoToCall", "", Severity.INFO))
    if urgent.severity is Severity.URGENT and phrases.call_now(ctx.plan) in urgent.more:
        return Reply(urgent.intent, urgent.speech, urgent.severity, findings=urgent.findings,
                     more=urgent.more.strip())
    return _with_urgent(ctx, Reply("WhoToCall", phrases.who_to_call(ctx.plan), Severity.INFO))


def bathing(ctx: Context) -> Reply:
    return _with_urgent(ctx, Reply("Bathing", phrases.bathing(ctx.plan), Severity.INFO))


def _sheet_answer(intent: str, says: Callable[[CarePlan], str]) -> Handler:
    """A handler for a question the sheet answers the same way whatever the readings,
    with any urgent problem the hub sees said first."""
    def handler(ctx: Context) -> Reply:
        return _with_urgent(ctx, Reply(intent, says(ctx.plan), Severity.INFO))
    handler.__name__ = f"answer_{intent}"
    return handler


def help_(ctx: Context) -> Reply:
    return _with_urgent(ctx, Reply("Help", phrases.HELP, Severity.INFO))


def acknowledge(ctx: Context) -> Reply:
    return Reply("Acknowledge", phrases.ACKNOWLEDGED, Severity.INFO)


_REPORTED: dict[str, tuple[Code, str, bool]] = {
    # problem slot -> (finding code, what to do first, comes in to the PACC?)
    "line_disconnected": (Code.REPORTED_LINE_DISCONNECTED, phrases.LINE_DISCONNECTED, True),
    "pump_beeping": (Code.REPORTED_PUMP_BEEPING, phrases.REPORTED_BEEPING, True),
    "pump_stopped": (Code.REPORTED_PUMP_STOPPED, phrases.INFUSION_STOPPED, True),
    "pump_light": (Code.REPORTED_PUMP_LIGHT, phrases.PUMP_LIGHT_REPORTED, True),
    "dressing_dirty": (Code.REPORTED_DRESSING_DIRTY, phrases.DRESSING["dressing_dirty"], True),
    "dressing_wet": (Code.REPORTED_DRESSING_WET, phrases.DRESSING["dressing_wet"], True),
    "dressing_torn": (Code.REPORTED_DRESSING_TORN, phrases.DRESSING["dressing_torn"], True),
    "port_pain": (Code.REPORTED_PORT_PAIN, phrases.PORT_PAIN, False),
    "port_swelling": (Code.REPORTED_PORT_SWELLING, phrases.PORT_SWELLING, False),
    "leaking": (Code.REPORTED_LEAKING, phrases.LEAKING, False),
}
_LIGHT_PREFIX = "pump_light_"


def report_problem(ctx: Context) -> Reply:
    """What the family reports is always taken as true: the sheet says call for each of these.

    The first safe action comes first (for a disconnected line: do not reconnect, clamp).
    The problem stays open (`Reply.opened`) until the family says it is handled. A light
    they describe follows the same table as a light the bridge sees (hub.core.pump_lights).
    """
    problem = ctx.slots.get("problem", "")
    detail = ""
    if problem == "pump_light" and ctx.slots.get("colour"):
        problem = _LIGHT_PREFIX + ctx.slots["colour"]
    if problem.startswith(_LIGHT_PREFIX):
        light = REPORTED_COLOURS.get(problem.removeprefix(_LIGHT_PREFIX), PumpLight.UNKNOWN)
        detail = light.value
        code, says, comes_in = Code.REPORTED_PUMP_LIGHT, light_words(light), True
        comes_in = light_severity(light) is Severity.URGENT
    else:
        code, says, comes_in = _REPORTED.get(problem, (Code.REPORTED_OTHER, "", False))
    opened = OpenFinding(code, ctx.now, detail)
    severity = severity_of(opened)
    reported = Finding(code, "reported", severity, says, calls=True, comes_in=comes_in)
    # Problems still open from before, and anything urgent the hub sees, are said too.
    others = [f for f in ctx.assessment.findings
              if f.code != code and (f.severity is Severity.URGENT or f.topic == "reported")]
    speech = compose(ctx.plan, [reported, *others])
    worst = Severity.worst([severity, *(f.severity for f in others)])
    return Reply("ReportProblem", speech, worst, findings=(code, *(f.code for f in others)), opened=(opened,))


def handled(ctx: Context) -> Reply:
    """The family says the problem is handled ("we called", "the nurse changed it"): what
    they reported is closed, and the daemon stops repeating the call instruction."""
    speech = phrases.HANDLED if ctx.open_findings else phrases.HANDLED_NOTHING_OPEN
    return Reply("Handled", speech, Severity.INFO, is_handled=True)


def report_worry(ctx: Context, *, is_emergency: bool = False) -> Reply:
    """Something that sounds like a problem or a worry, not understood more precisely:
    the sheet says to call for any concern, so the answer is whom to call, never a shrug.
    Trouble breathing, a seizure or a child who won't wake gets the plan's emergency number."""
    says = phrases.emergency(ctx.plan) if is_emergency else phrases.worry(ctx.plan)
    reply = Reply(Intent.WHO_TO_CALL, says, Severity.URGENT if is_emergency else Severity.WARNING)
    urgent = [f for f in ctx.assessment.findings if f.severity is Severity.URGENT]
    if not urgent:
        return reply
    speech = f"{says} {compose(ctx.plan, urgent)}"
    return Reply(reply.intent, speech, Severity.URGENT, findings=tuple(f.code for f in urgent))


def _with_urgent(ctx: Context, reply: Reply) -> Reply:
    """Never let a side question hide an urgent problem the hub can see right now."""
    urgent = [f for f in ctx.assessment.findings if f.severity is Severity.URGENT]
    if not urgent:
        return reply
    whole = compose(ctx.plan, urgent)
    # The urgent action first, short, then the answer asked for; the rest on "tell me more".
    short = brief(ctx.plan, whole).removesuffix(MORE_HINT).strip()
    speech = " ".join(p for p in (short, reply.speech, MORE_HINT) if p)
    return Reply(reply.intent, speech, Severity.URGENT, reply.expects,
                 findings=tuple(f.code for f in urgent), more=f"{whole} {reply.speech}".rstrip())


HANDLERS: dict[str, Handler] = {
    "PumpStatus": pump_status,
    "HomeStatus": home_status,
    "RoomStatus": room_status,
    "NextBagChange": next_bag_change,
    "NextAppointment": next_appointment,
    "WhoToCall": who_to_call,
    "Bathing": bathing,
    "Help": help_,
    "ReportProblem": report_problem,
    "Acknowledge": acknowledge,
    "Handled": handled,
    **{str(intent): _sheet_answer(intent, says) for intent, says in (
        (Intent.PUMP_OFF_TIME, phrases.pump_off_time),
        (Intent.LIGHT_COLOUR, phrases.light_colour),
        (Intent.PUMP_PLACE, phrases.pump_place),
        (Intent.CLAMP_LINE, phrases.clamp_line),
        (Intent.PUMP_SCREEN, phrases.pump_screen_words),
        (Intent.SWIMMING, phrases.swimming),
    )},
}
