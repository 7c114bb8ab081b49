"""What the hub will say with one care plan: the preview a nurse reads before discharge.

`hub plan check` prints it, so a plan made for another hospital is read as the family
will hear it (whose number, whom to ask for, where to go), and the calendar as the hub
understood it (bag changes, other visits, skipped all-day events). Pure: plan and time in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub.core import dialogue, phrases, reminders
from hub.core.codes import Code
from hub.core.plan import CarePlan
from hub.core.reported import KINDS, OpenFinding, finding_for

# How many upcoming events of each kind are listed.
UPCOMING = 5


def upcoming_bag_changes(plan: CarePlan, now: datetime) -> list[tuple[datetime, str]]:
    """Return the next `UPCOMING` bag changes (never a past one) with the sentence the hub says."""
    return [(at, phrases.next_bag_change(at, now)) for at in sorted(plan.bag_changes) if at >= now][:UPCOMING]


def upcoming_visits(plan: CarePlan, now: datetime) -> list[tuple[datetime, str]]:
    """Return the next `UPCOMING` other visits with the sentence the hub says about each."""
    visits = sorted((a for a in plan.appointments if a.at >= now), key=lambda a: a.at)[:UPCOMING]
    return [(a.at, phrases.next_visit(phrases.visit_name(a.summary), a.at, now)) for a in visits]


def sentences(plan: CarePlan, now: datetime) -> list[str]:
    """Return every sentence the hub can say that depends on this plan, once each.

    Readings change the numbers in a few (a temperature, minutes stopped); those are
    shown with an example value.
    """
    out = phrases.fixed_replies(plan) + dialogue.fixed_phrases(plan)
    out += [phrases.room_too_hot(plan, plan.limits.temperature_max_c + 1.5),
            phrases.room_too_cold(plan, plan.limits.temperature_min_c - 1.5),
            phrases.infusion_stopped_long(plan), phrases.stopped_for(35), phrases.INFUSION_STILL_STOPPED,
            phrases.HANDLED, phrases.HAVE_YOU_CALLED,
            phrases.handled_reminding(round(plan.alarms.handled_remind_s / 60))]
    example = now + timedelta(days=1)
    at = next((b for b in sorted(plan.bag_changes) if b >= now), example.replace(hour=10, minute=0, second=0))
    for speak in reminders.BAG_SPEECH.values():
        out.append(speak(plan, at, at - timedelta(days=1)))
    missed = reminders.missed_appointment(plan, at, at + timedelta(hours=1), reminders.Sightings(seen=3),
                                          frozenset())
    if missed is not None:
        out.append(missed.speech)
    out += [finding_for(OpenFinding(code, now), plan, now).speech for code in KINDS if code is not Code.REPORTED_OTHER]
    return list(dict.fromkeys(out))
