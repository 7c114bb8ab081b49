"""Words that sound like a problem, a symptom or a worry, and the few that are an emergency.

The sheet says to call the care team with any question or concern, so whatever the hub
does not understand more precisely still gets the call line when it sounds like one of
these (hub.intents.understand). A worry about something that is plainly not the child
or the infusion ("the smoke alarm is beeping", "my phone broke") is not one. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Trouble breathing, a seizure, a child who won't wake: the plan's emergency number, if any.
_EMERGENCY = re.compile(r"\b(" + "|".join((
    r"breath\w*", r"chok\w*", r"gasp\w*", r"wheez\w*", r"lips? (?:are |is |look |turn\w* )?blue",
    r"blue lips?", r"seizure\w*", r"convuls\w*", r"(?:having|had|has) (?:the )?fits?", r"fitting",
    r"(?:will|can|does|did|is) not (?:wake|waking|respond\w*)", r"not waking", r"unresponsive",
    r"pass(?:ed|es|ing)? out", r"faint\w*", r"unconscious", r"collaps\w*", r"floppy", r"turn\w* blue",
    r"eyes (?:are )?rolling",
)) + r")\b")

_PROBLEM = re.compile(r"\b(" + "|".join((
    # how the child is
    r"pain\w*", r"hurt\w*", r"ach(?:e|es|ing|y)", r"sore\w*", r"fever\w*", r"burn\w*",
    r"chill\w*", r"shiver\w*", r"shak\w*", r"trembl\w*", r"twitch\w*", r"jerk\w*", r"throw\w* up", r"threw up",
    r"vomit\w*", r"puk\w*", r"sick", r"nause\w*", r"rash\w*", r"itch\w*", r"hives", r"spots", r"dizz\w*",
    r"confus\w*", r"sleepy", r"drowsy", r"letharg\w*", r"headache\w*", r"blood\w*", r"bleed\w*", r"cough\w*",
    r"diarrh\w*", r"cry\w*", r"pale", r"weak", r"fell", r"fall\w*", r"bump\w*", r"hit", r"infect\w*", r"pus",
    r"ooz\w*", r"smell\w*", r"stink\w*", r"swollen", r"swell\w*", r"puff\w*", r"lump\w*", r"redness",
    r"bruis\w*", r"shiver\w*", r"not eating", r"will not eat", r"ouch", r"owie", r"tender", r"sting\w*",
    r"throb\w*", r"numb", r"tingl\w*", r"cramp\w*", r"unwell", r"ill", r"poorly", r"not feeling well",
    r"temp", r"flushed", r"clammy", r"sweat\w*", r"blurr\w*", r"slurr\w*", r"not making sense",
    r"not (?:himself|herself|themselves)", r"tremor\w*", r"spasm\w*", r"stiff", r"drool\w*", r"blister\w*",
    r"scab\w*", r"sticky", r"gooey", r"crust\w*", r"swelled",
    # how the family feels
    r"scar\w*", r"worr\w*", r"afraid", r"frighten\w*", r"nervous", r"panic\w*", r"anxious", r"emergenc\w*",
    r"wrong", r"problem\w*", r"issue\w*", r"weird", r"strange", r"funny", r"not right", r"not okay",
    r"not working", r"help", r"freak\w*", r"upset", r"concern\w*", r"uneasy", r"stress\w*", r"terrified",
    r"overwhelm\w*", r"what (?:do|should) i do", r"not sure what to do",
)) + r")\b")
# Words about the state of a thing ("wet", "beeping", "red").
_STATE = re.compile(r"\b(" + "|".join((
    r"hot", r"cold", r"warm", r"red", r"wet", r"(?:is|looks|shut|turned|switched|went|goes|going)(?: itself)? off",
    r"chew\w*",
    r"bitten", r"damag\w*", r"wiggl\w*", r"wobbl\w*", r"dangl\w*", r"hanging", r"twist\w*", r"tangl\w*",
    r"stuck", r"snag\w*", r"caught", r"hole", r"soggy", r"moist", r"flicker\w*", r"dim", r"dark", r"purple",
    r"pink", r"white", r"buzz\w*", r"chirp\w*", r"vibrat\w*", r"squeak\w*", r"alert\w*", r"code",
    r"damp", r"soak\w*", r"leak\w*", r"dripp\w*", r"spill\w*", r"puddle", r"broke\w*", r"crack\w*",
    r"cut", r"snipp?\w*", r"pull\w*", r"tug\w*", r"yank\w*", r"(?:came|come|coming|fell|fall\w*|pop\w*) (?:out|off)",
    r"loose", r"disconnect\w*", r"unplug\w*", r"detach\w*", r"kink\w*", r"bubble\w*", r"air in",
    r"dirty", r"torn", r"ripp?\w*", r"peel\w*", r"beep\w*", r"alarm\w*", r"screen", r"message\w*", r"error\w*",
    r"warning\w*", r"amber", r"blue", r"flash\w*", r"dropp\w*", r"stopp\w*", r"died", r"dead", r"noise\w*",
    r"not (?:running|going|flowing)", r"on the floor", r"(?:there is|i see) (?:the )?pump (?:on|in)",
    r"apart", r"undone", r"(?:got|has|have|had|running|run) (?:the )?(?:temperature|temp)",
    r"not (?:look|seem|feel|sound)\w* (?:right|good|okay|well)", r"mess\w*", r"gross", r"making (?:the )?sound",
    r"split", r"pop\w*", r"liquid", r"fluid", r"unhook\w*", r"unclip\w*", r"stain\w*", r"mud\w*", r"muck\w*",
    r"gunk\w*", r"splash\w*", r"spinning", r"food on",
    # a good state said not to be ("the light isn't green", "it's not doing anything")
    r"(?:not|no longer|never) (?:\w+ )?(?:green|blink\w*|flash\w*|on|lit|work\w*|run\w*|going|moving|pumping|"
    r"doing anything|doing (?:the |its )?job|right|okay|fine|good|normal)",
    r"question for (?:the )?(?:nurse|doctor|team|fellow|hospital|clinic)",
    r"(?:will|would|does|can) not (?:come|turn|switch|go|start) (?:back )?on", r"(?:pump|it|light) off",
    r"not (?:acting|being|looking|seeming) (?:like )?(?:himself|herself|themselves|right|normal)",
    r"temperature is (?:up|high|over|above|thirty|forty|one hundred|a hundred|\d+)",
)) + r")\b")

# Signs on a body that are a worry wherever they are seen ("blood on her shirt"): a
# household word next to them never sets them aside.
_ALWAYS = re.compile(r"\b(" + "|".join((
    r"blood\w*", r"bleed\w*", r"vomit\w*", r"threw up", r"throw\w* up", r"puk\w*", r"fever\w*", r"rash\w*",
    r"pus", r"ooz\w*", r"swollen", r"infect\w*",
)) + r")\b")

# Things in a home that are plainly not the child or the infusion.
ELSEWHERE = frozenset({
    "oven", "stove", "microwave", "fridge", "freezer", "dishwasher", "otheralarm", "otherthing", "otherpump",
    "otherlight", "otherline", "otherdressing", "otherport", "otherscreen", "otherbag", "car", "phone", "tv",
    "television", "computer", "laptop", "dog", "cat", "puppy", "kitten", "fish", "hamster", "bird", "bike", "toaster",
    "kettle", "coffee", "tea", "soup", "pizza", "dinner", "lunch", "breakfast", "door", "window", "tap", "faucet",
    "sink", "toilet", "pipe", "roof", "fence", "garden", "plant", "plants", "vase", "glass", "plate", "cup", "mug",
    "toy", "lego", "battery", "printer", "wifi", "internet", "router", "clock", "watch", "game", "milk", "bread",
    "egg", "eggs", "rain", "weather", "sun", "snow", "movie", "show", "song", "music", "match", "stock",
    "market", "traffic", "bus", "train", "boss", "meeting", "email", "iron", "heater", "radiator",
    "boiler", "fan", "aircon", "vacuum", "hoover", "blender", "grill", "bbq", "chicken", "steak", "cake", "cookies",
    "tomato", "tomatoes", "ice", "cream", "shirt", "jeans", "shoe", "shoes", "sock", "socks", "chair", "table",
    "sofa", "couch", "mirror", "frame", "picture", "light bulb", "bulb", "lamp", "neighbour", "neighbor",
    "package", "delivery", "mail", "bill", "tire", "tyre", "engine", "brakes", "sandwich", "pasta", "rice",
    "outside", "sky", "grass", "towel", "juice", "glasses", "timer", "rhyme", "rhymes", "clothes", "laundry",
    "book", "books", "bottle", "hall", "hallway", "humidifier", "filter", "tank", "aquarium",
    "tent", "carpet", "rug", "wall", "ceiling", "remote", "charger", "tablet", "ipad",
})
# The child, the body and the infusion: a worry about these is never set aside.
_OURS = frozenset({
    "he", "me", "pump", "line", "port", "dressing", "medicine", "light", "screen", "bag", "clamp",
    "head", "tummy", "stomach", "belly", "arm", "arms", "leg", "legs", "chest", "skin", "face", "eyes", "mouth",
    "lips", "neck", "hand", "hands", "finger", "back", "body", "temperature", "nose", "ear", "ears", "throat",
})


@dataclass(frozen=True)
class Worry:
    """The worrying words heard, and whether any of them is an emergency."""

    words: tuple[str, ...] = ()
    is_emergency: bool = False

    def __bool__(self) -> bool:
        return bool(self.words)


def find_worry(words: list[str]) -> Worry:
    """Return the problem, symptom or worry words in `words` (from hub.intents.wording),
    or an empty `Worry` when there are none or they are plainly about something else in
    the home ("the towel is wet": a towel and nothing of ours)."""
    text = " ".join(words)
    emergency = tuple(m.group(0) for m in _EMERGENCY.finditer(text))
    if emergency:
        return Worry(emergency, is_emergency=True)
    said = set(words)
    if said & ELSEWHERE and not said & _OURS and not _ALWAYS.search(text):
        return Worry()
    return Worry(tuple(dict.fromkeys(m.group(0) for m in (*_PROBLEM.finditer(text), *_STATE.finditer(text)))))
