"""Every sentence the hub says, in the project's own words.

Facts come from the hospital's take-home sheet (shared/reference/
home-infusion-instructions.txt); the wording is ours: short sentences a parent can
follow hands-free and a seven-year-old can understand. Where the sheet is silent, the
answer is to call the care team. The phone number always comes from the care plan.

Fixed sentences are module constants or depend only on the plan, so the voice can
synthesize them ahead of time (`hub.core.phrasebook.fixed_phrases`).
"""

from __future__ import annotations

from datetime import datetime

from hub.core.plan import CarePlan

# --- Calling and coming in ------------------------------------------------------------


# Every hospital-specific word (whom to ask for, the hours, the place, the city) comes
# from the care plan; a part the plan leaves out is left out of the sentence, never
# filled in from another hospital (hub.core.plan.CareTeam).


def _ask_for(plan: CarePlan) -> str:
    who = plan.care_team.ask_for
    return f" and ask for {who}" if who else ""


def call_now(plan: CarePlan) -> str:
    """The call line for urgent answers: number, whom to ask for, and that they are always there."""
    team = plan.care_team
    hours = f" They answer {team.hours}." if team.hours else ""
    return f"Call {team.phone} now{_ask_for(plan)}.{hours}"


def call_now_short(plan: CarePlan) -> str:
    """The first sentence of an urgent reply: the action, nothing else."""
    return f"Call {plan.care_team.phone} now{_ask_for(plan)}."


def call_number_now(plan: CarePlan) -> str:
    """The shortest call line, when whom to ask for is too long for a first sentence."""
    return f"Call {plan.care_team.phone} now."


def call_to_ask(plan: CarePlan) -> str:
    """The softer call line, for worries and for things the sheet does not cover."""
    return f"If you are worried, or not sure, call {plan.care_team.phone}{_ask_for(plan)}."


def call_if_not_right(plan: CarePlan) -> str:
    """The call line after things the family was asked to check by eye."""
    return f"If any of it is not right, or you are not sure, call {plan.care_team.phone} now{_ask_for(plan)}."


def place(plan: CarePlan) -> str:
    """Where the family goes, in full ("the Pediatric Ambulatory Care Center, the PACC, in
    Manhattan": an abbreviation is not said without its meaning), or "the clinic" when
    the plan names no place."""
    team = plan.care_team
    where = team.place or team.place_short or "the clinic"
    return f"{where}, in {team.city}" if team.city and "," in where else (
        f"{where} in {team.city}" if team.city else where)


def come_in(plan: CarePlan) -> str:
    """Source: problems with the pump, line or port mean coming to the clinic (the sheet's PACC)."""
    return f"You will need to come to {place(plan)}."


def who_to_call(plan: CarePlan) -> str:
    team = plan.care_team
    hours = f" You can reach them {team.hours}." if team.hours else ""
    return (
        f"Call {team.phone}{_ask_for(plan)}.{hours} "
        "Call if the line comes apart, the pump beeps, the dressing is dirty, wet or torn, "
        "the port hurts or is swollen, anything leaks, or you have any question at all."
    )


# --- Pump -----------------------------------------------------------------------------

PUMP_OK = "The pump light is green and blinking, and the pump is quiet. That is how it should be."
PUMP_BEEPING = "The pump is beeping. If words show on its screen, read them to the care team."
PUMP_LIGHT_URGENT = {
    "red": "The pump light is red. That is not normal.",
    "amber_blinking": "The pump light is blinking amber. That is not normal.",
    "amber_steady": "The pump light is amber. That is not normal.",
    "off": "The pump light is off. That is not normal.",
}
PUMP_LIGHT_ODD = {
    "green_steady": "The pump light is green but not blinking. It should be green and blinking.",
    "green_amber_blinking": "The pump light is blinking green and amber. It should be green and blinking only.",
    "blue": "The pump light is blue. It should be green and blinking.",
}
CHECK_PUMP_BY_EYE = "Please look at the pump: the light should be green and blinking, and it should not beep."
PUMP_NO_BRIDGE = "I can't hear from the pump monitor, so I can't check the pump. " + CHECK_PUMP_BY_EYE
PUMP_STALE = "My last pump reading is too old to trust. " + CHECK_PUMP_BY_EYE
PUMP_LIGHT_UNKNOWN = "I can't tell what the pump light is doing. " + CHECK_PUMP_BY_EYE
PUMP_BEEP_UNKNOWN = "I can't tell if the pump is beeping. Please listen to it: it should be quiet."


# The longest screen text read out: the CADD-Solis shows a short message, and anything
# longer is a garbled frame or not the pump's words; a family should not sit through it.
SCREEN_MAX_CHARS = 80
PUMP_SCREEN_READ = "Words on the pump screen can mean a problem. Read them to the care team."


def pump_screen(screen: str) -> str:
    """Say what the pump screen shows, at most `SCREEN_MAX_CHARS` characters of it."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in screen).split())
    if len(text) > SCREEN_MAX_CHARS:
        text = text[:SCREEN_MAX_CHARS].rsplit(" ", 1)[0].rstrip(" .,;:") + "..."
    elif not text.endswith("..."):
        text = text.rstrip(".")
    return f"The pump screen says: {text}."


# --- Infusion -------------------------------------------------------------------------

INFUSION_STOPPED = (
    "The infusion has stopped. Don't wait: a new bag is made only when it is needed, "
    "and making it can take several hours."
)
INFUSION_STILL_STOPPED = "The infusion is still stopped. You told me the care team knows."
INFUSION_UNKNOWN = "I don't know if the infusion is running. A green, blinking pump light means it is."


def infusion_stopped_long(plan: CarePlan) -> str:
    """Source: after more than 4 hours stopped, admission to restart it, because of side effects."""
    who = plan.name or "you"
    return (
        f"It has been stopped for more than 4 hours, so the care team may admit {who} to the hospital "
        "to restart it. Starting again can cause side effects, and the hospital can watch for them best."
    )


# --- Room -----------------------------------------------------------------------------


def _number(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def temperature(value_c: float) -> str:
    """Say a temperature in both units, as the sheet does; 40.1 stays 40.1, not 40."""
    return f"{_number(value_c)} °C ({_number(value_c * 9 / 5 + 32)} °F)"


def room_too_hot(plan: CarePlan, value_c: float) -> str:
    limit = plan.limits.temperature_max_c
    return (
        f"It is {temperature(value_c)} by the pump. That is too hot. Move the pump somewhere cooler, "
        f"below {temperature(limit)}."
    )


def room_too_cold(plan: CarePlan, value_c: float) -> str:
    limit = plan.limits.temperature_min_c
    return (
        f"It is {temperature(value_c)} by the pump. That is too cold. Move the pump somewhere warmer, "
        f"above {temperature(limit)}."
    )


def room_ok(value_c: float) -> str:
    return f"It is {temperature(value_c)} by the pump. That is fine."


ROOM_NOT_DAMP = "The air is not too damp."
ROOM_NO_SUN = "The pump is out of strong sun."


ROOM_STEAM = (
    "The air by the pump is very damp, like a steamy bathroom. Take the pump out of the steam, "
    "for example out of the bathroom after a hot shower."
)
ROOM_SUN = "The pump seems to be in direct sunlight. Move it into the shade."
TEMPERATURE_UNKNOWN = (
    "I can't read the temperature by the pump right now. Make sure it is not somewhere very hot or very cold."
)
HUMIDITY_UNKNOWN = "I can't read how damp the air is. Make sure the pump is not in a steamy room."
LIGHT_UNKNOWN = "I can't read the light by the pump. Make sure it is out of direct sunlight."

# --- Summaries ------------------------------------------------------------------------

ALL_OK = "Everything looks okay."
NOT_CHECKED_INTRO = "I could not check everything."
NOT_UNDERSTOOD = "Sorry, I didn't catch that. You can say: is the pump okay?"
# Not understood, and the words were barely above the room (hub.voice.snr.NOISY_SNR_DB).
TOO_NOISY = "Sorry, I couldn't hear you over the noise."
TOO_NOISY_ASK_AGAIN = f"{TOO_NOISY} Please come closer, or make the room quieter, and ask again."
HELP = (
    "You can ask me: is the pump okay? Is the room okay? When is the next bag change? Who do I call? "
    "You can say: let's do the daily check. Or tell me what is wrong, like: the pump is beeping."
)
ACKNOWLEDGED = "Okay. I have noted that you heard me."


def acknowledged_by_voice(plan: CarePlan) -> str:
    """What the hub says when an urgent alarm is acknowledged by voice: it comes back
    after `alarms.voice_rearm_s` while still wrong (hub.core.alarms), and the button is the
    way to silence it, so the family knows both."""
    when = spoken_duration(max(1, round(plan.alarms.voice_rearm_s / 60)))
    return (f"Okay, I heard you. If it is still a problem in {when}, I will say it again, "
            "unless you press the button on the hub.")


NOTHING_TO_ACKNOWLEDGE = "There is no alarm sounding right now."
ASSISTANT_FAILED = "Sorry, something went wrong. Please ask again."

# --- The hub's own alarms (technical alarms, said by hub.daemon) --------------------------

SOURCE_LOST = "I have lost contact with the sensors and the pump monitor, so I cannot check anything."
AUDIO_FAILING = "The hub's speaker is not working."
STORE_FAILING = ("The hub cannot write its record. It keeps watching and speaking, but what happens "
                 "is not being kept.")
ASSESSMENT_FAILED = ("The hub has an internal error and cannot check the pump or the room. "
                     "Please look at the pump yourself: the light should be green and blinking.")
MICROPHONE_FAILING = ("The hub cannot hear you: its microphone is not working. It still watches and "
                      "speaks. Press the button on the hub to answer alarms.")
# Only the hub's own Rhasspy sites may silence an alarm (hub.hermes.skill); anything else on
# the network saying "okay, I heard you" is refused, and the family is told, in every room.
ACKNOWLEDGEMENT_REFUSED = ("An acknowledgement came from an unknown room, so I did not silence anything. "
                           "Any alarm is still on.")
CLOCK_UNSET = ("The hub does not know the date and time yet, so times and schedules are unknown: it "
               "cannot remind you of the daily check or bag changes. Keep to the times on your calendar.")


def site_silent(sites: tuple[str, ...]) -> str:
    """Say which announcement sites (Rhasspy satellites) did not say the last announcement."""
    names = " and ".join(sites)
    if len(sites) == 1:
        return (f"The speaker {names} did not say my last announcement, so alarms may not be heard in "
                "that room. Please check that it is switched on and connected.")
    return (f"The speakers {names} did not say my last announcement, so alarms may not be heard in those "
            "rooms. Please check that they are switched on and connected.")


def escalated(speech: str) -> str:
    """An alarm said again, louder, because nobody answered it."""
    return f"Please answer the hub. {speech} Say: okay, I heard you."


def stopped_for(minutes: int) -> str:
    """How long the infusion has been stopped, added to each re-announcement of it."""
    return f"It has been stopped for {spoken_duration(minutes)}."

# --- Problems the family reports --------------------------------------------------------

LINE_DISCONNECTED_FIRST = "Do not put the line back together."
LINE_DISCONNECTED = f"{LINE_DISCONNECTED_FIRST} First close the clamp that is on the line."
DRESSING = {
    "dressing_dirty": "The dressing is dirty, so it needs to be changed by the care team.",
    "dressing_wet": "The dressing is wet, so it needs to be changed by the care team.",
    "dressing_torn": "The dressing is torn, so it needs to be changed by the care team.",
}
PORT_PAIN = "Pain around the port needs a call to the care team."
PORT_SWELLING = "Swelling around the port needs a call to the care team."
LEAKING = "Liquid leaking from the port, the tubing or the pump needs a call to the care team."
PUMP_LIGHT_REPORTED = "The pump light should be green and blinking. Any other light needs a call."
REPORTED_BEEPING = "A beeping pump needs a call. If words show on its screen, read them to the care team."



def told_me(when: str, what: str) -> str:
    """Name a problem the family reported and nobody has said is handled (hub.core.reported)."""
    return f"You told me {when} that {what}."


HAVE_YOU_CALLED = "Have you called the care team? When you have, say: we called."


HANDLED = "Thank you. I will stop asking you to call about it."


def handled_reminding(minutes: int) -> str:
    """After "we called" while an urgent problem is still there (hub.core.alarms.handle)."""
    return f"While it lasts, I will remind you every {spoken_duration(minutes)}, without the phone number."

HANDLED_NOTHING_OPEN = "Thank you. Tell me if anything else is wrong."

# --- Bathing ---------------------------------------------------------------------------

BATHING = (
    "Before every bath or shower, cover the port dressing with a waterproof cover, the way your "
    "care team showed you. Keep the pump out of the steam, and keep the backpack close so "
    "nothing pulls on the line."
)


def bathing(plan: CarePlan) -> str:
    return f"{BATHING} If the dressing gets wet, call {plan.care_team.phone}{_ask_for(plan)}."


# --- Questions about the sheet's topics ------------------------------------------------


def pump_off_time(plan: CarePlan) -> str:
    """Source: don't let the infusion be delayed or stopped; after more than 4 hours
    stopped, the care team may admit the child to restart it."""
    who = plan.name or "your child"
    team = plan.care_team
    return (
        "The pump should not be off at all: the medicine needs to keep going in. "
        f"If it stops, call {team.phone} right away and ask for {team.ask_for}. "
        f"If it stays stopped for more than 4 hours, the care team may admit {who} to the hospital to restart it."
    )


def light_colour(plan: CarePlan) -> str:
    """Source: check the infusion light every day; it should be green and blinking."""
    return f"The pump light should be green and blinking. Any other light needs a call. {call_to_ask(plan)}"


def pump_place(plan: CarePlan) -> str:
    """Source: pump at or above heart level (steady flow), backpack nearby (nothing pulls
    on the line), out of sun, heat, cold and steam. The sheet says nothing more about
    night-time, so the answer is to ask the care team."""
    team = plan.care_team
    return (
        "Keep the pump at or above heart level: it helps the medicine flow steadily. "
        "Keep the backpack close, day and night, so nothing pulls on the line. "
        "Keep it out of direct sun, steam, and very hot or very cold places. "
        f"If you are not sure where to put it at night, call {team.phone} and ask for {team.ask_for}."
    )


def clamp_line(plan: CarePlan) -> str:
    """Source: if the line is disconnected, do not reconnect it; clamp it with the clamp
    attached to the line, and call right away."""
    team = plan.care_team
    return (
        "Use the clamp that is on the line. If the line comes apart, do not put it back together: "
        f"close that clamp, then call {team.phone} right away and ask for {team.ask_for}. "
        "If you are not sure how the clamp works, call and ask them."
    )


def pump_screen_words(plan: CarePlan) -> str:
    """Source: the pump may show words on its screen when it beeps; a beeping pump needs a call."""
    team = plan.care_team
    return (
        f"If words show on the pump screen, call {team.phone} and ask for {team.ask_for}, "
        "and read the words to them just as they are."
    )


def swimming(plan: CarePlan) -> str:
    """The sheet says nothing about swimming, so the hub does not guess."""
    team = plan.care_team
    return (
        "My instructions don't cover swimming. Please ask the care team before any swimming: "
        f"call {team.phone} and ask for {team.ask_for}."
    )


# --- Worries the hub cannot place --------------------------------------------------------


def worry(plan: CarePlan) -> str:
    """A problem or worry the hub did not understand more precisely: the sheet says to
    call for any question or concern, so never a dead end."""
    team = plan.care_team
    return (
        "I can't tell exactly what is wrong, so please ask the care team. "
        f"Call {team.phone} and ask for {team.ask_for}. They answer {team.hours}."
    )


def emergency(plan: CarePlan) -> str:
    """Trouble breathing, a seizure or a child who won't wake: the emergency number the
    care team put in the plan comes first; without one, the care team's number."""
    team = plan.care_team
    if team.emergency_phone:
        return (f"If someone has trouble breathing, has a seizure, or won't wake up, call {team.emergency_phone} now. "
                f"Then call {team.phone} and ask for {team.ask_for}.")
    return call_now(plan)


# --- Bag changes -------------------------------------------------------------------------


def spoken_clock(at: datetime) -> str:
    """Say a time of day as a person would: "10 AM", "2:30 PM" (the same in every locale)."""
    hour = at.hour % 12 or 12
    minutes = f":{at.minute:02d}" if at.minute else ""
    return f"{hour}{minutes} {'AM' if at.hour < 12 else 'PM'}"


def spoken_duration(minutes: int) -> str:
    """Say a duration as a person would: "1 minute", "2 hours and 5 minutes", "1 hour"."""
    hours, mins = divmod(minutes, 60)
    return " and ".join(part for part in (
        f"{hours} hour{'s' if hours != 1 else ''}" if hours else "",
        f"{mins} minute{'s' if mins != 1 else ''}" if mins or not hours else "") if part)


def spoken_when(at: datetime, now: datetime) -> str:
    """Say a date-time as a person would: "today at 10 AM", "tomorrow, Wednesday, at 2:30 PM"."""
    clock = spoken_clock(at)
    days = (at.date() - now.date()).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow, {at:%A}, at {clock}"
    if 1 < days < 7:
        return f"on {at:%A} at {clock}"
    return f"on {at:%A}, {at:%B} {at.day}, at {clock}"


def next_bag_change(at: datetime, now: datetime) -> str:
    return (
        f"The next bag change is {spoken_when(at, now)}. Please be on time: the bag is changed "
        "at an exact time."
    )


def schedule_unknown(plan: CarePlan) -> str:
    """The answer to "when is the bag change?" while the hub does not know the date and time."""
    return ("I don't know the date and time yet, so I can't tell when the next bag change is. Keep to the "
            f"time on your calendar. If you are not sure, call {plan.care_team.phone}{_ask_for(plan)}.")


NO_BAG_CHANGE = "I don't have a bag change on my schedule. Call the care team to check when it is."
# A clinic's own words for a visit are read out, but not at length.
VISIT_NAME_MAX_CHARS = 60


def visit_name(summary: str) -> str:
    """The clinic's name for a visit that is not a bag change ("Lab draw (CBC)"), kept short."""
    text = " ".join(summary.split()) or "a clinic visit"
    return text if len(text) <= VISIT_NAME_MAX_CHARS else text[:VISIT_NAME_MAX_CHARS].rsplit(" ", 1)[0]


def visits_on(day_word: str, visits: list[tuple[datetime, str]]) -> str:
    """Say a day's visits in order: the bag change by that name, any other by the clinic's name."""
    said = [f"{name} at {spoken_clock(at)}" for at, name in visits]
    listed = said[0] if len(said) == 1 else f"{', '.join(said[:-1])}, and {said[-1]}"
    return f"{day_word.capitalize()} you have {listed}."


def no_visit_on(day_word: str) -> str:
    return f"I have no hospital visit on my schedule for {day_word}. Call the care team to check."


def next_visit(name: str, at: datetime, now: datetime) -> str:
    """A visit that is not a bag change, never called one."""
    return f"The next visit on my schedule is {name}, {spoken_when(at, now)}."


NO_VISIT = "I have no hospital visit on my schedule. Call the care team to check."


def fixed_replies(plan: CarePlan) -> list[str]:
    """Return every reply outside the daily check that does not depend on live readings.

    Urgent instructions come first: `hub.core.phrasebook` puts them at the head of the cache.
    """

    urgent = [
        call_now(plan), come_in(plan), LINE_DISCONNECTED, PUMP_BEEPING, INFUSION_STOPPED,
        infusion_stopped_long(plan), *PUMP_LIGHT_URGENT.values(), REPORTED_BEEPING,
    ]
    others = [
        who_to_call(plan), call_to_ask(plan), PUMP_OK, *PUMP_LIGHT_ODD.values(), PUMP_NO_BRIDGE,
        PUMP_STALE, PUMP_LIGHT_UNKNOWN, PUMP_BEEP_UNKNOWN, INFUSION_UNKNOWN, ROOM_STEAM, ROOM_SUN,
        ROOM_NOT_DAMP, ROOM_NO_SUN,
        TEMPERATURE_UNKNOWN, HUMIDITY_UNKNOWN, LIGHT_UNKNOWN, ALL_OK, NOT_CHECKED_INTRO,
        NOT_UNDERSTOOD, TOO_NOISY_ASK_AGAIN, HELP, ACKNOWLEDGED, acknowledged_by_voice(plan),
        *DRESSING.values(), PORT_PAIN, PORT_SWELLING, LEAKING,
        PUMP_LIGHT_REPORTED, bathing(plan), NO_BAG_CHANGE, CLOCK_UNSET,
        pump_off_time(plan), light_colour(plan), pump_place(plan), clamp_line(plan), pump_screen_words(plan),
        swimming(plan), worry(plan), emergency(plan),
    ]
    seen: dict[str, None] = {}
    for text in urgent + others:
        seen.setdefault(text, None)
    return list(seen)
