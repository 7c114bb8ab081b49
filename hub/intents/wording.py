"""How people talk, folded into one plain form: contractions, fillers, synonyms.

Both the expanded template sentences and what the family says go through `canonical`,
so "um, is my kid's tubing like, okay?" and the template "is the line okay" meet in
the same words. Pure: text in, words out.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[^\w\s']+")

# Whole-phrase rewrites first (longest first), then word by word. A word mapped to ""
# is a filler and dropped.
_PHRASES: dict[str, str] = {
    # wake words and politeness
    "hey pump helper": "", "pump helper": "", "hey hub": "", "excuse me": "",
    "you know": "", "i mean": "", "kind of": "", "sort of": "", "okay so": "", "ok so": "",
    "so like": "", "um like": "", "and like": "", "thank you": "", "band aid": "dressing",
    "can you": "", "could you": "", "would you": "", "for me": "", "tell me about": "how is", "i want to know": "",
    "do you know": "", "i was wondering": "", "let me know": "", "a bit": "", "a little": "",
    "all right": "okay", "uh huh": "yes", "mm hmm": "yes",
    # the infusion's things, in the words families use
    "infusion line": "line", "iv line": "line", "medicine line": "line",
    "medicine pump": "pump", "infusion pump": "pump", "cadd pump": "pump",
    "port dressing": "dressing", "waterproof cover": "dressing",
    "implanted port": "port", "my little one": "he", "the little one": "he",
    # things with the infusion's names that are not the infusion's (near misses)
    "pump up": "otherpump", "turn up": "otherpump",
    "smoke alarm": "otheralarm", "fire alarm": "otheralarm", "car alarm": "otheralarm",
    "alarm clock": "otheralarm", "carbon monoxide alarm": "otheralarm",
    "washing machine": "otherthing", "coffee machine": "otherthing", "sewing machine": "otherthing",
    "slot machine": "otherthing", "baby monitor": "otherthing", "ice machine": "otherthing",
    "bread machine": "otherthing",
    "light bulb": "otherlight", "phone line": "otherline", "clothes line": "otherline",
    "washing line": "otherline", "fishing line": "otherline", "finish line": "otherline",
    "punch line": "otherline", "in line": "otherline", "line up": "otherline", "bus line": "otherline",
    "salad dressing": "otherdressing", "ranch dressing": "otherdressing", "getting dressed": "otherdressing",
    "dressing up": "otherdressing", "dressing gown": "otherdressing", "sea port": "otherport",
    "port wine": "otherport", "usb port": "otherport", "charging port": "otherport",
    "sleeping bag": "otherbag", "shopping bag": "otherbag", "trash bag": "otherbag", "garbage bag": "otherbag",
    "school bag": "otherbag", "grocery bag": "otherbag", "tea bag": "otherbag", "lunch bag": "otherbag",
    "bean bag": "otherbag", "diaper bag": "otherbag", "plastic bag": "otherbag",
}
# A pump, light, screen or line after one of these is someone else's.
_FOREIGN_MODIFIERS = frozenset({
    "bike", "bicycle", "tire", "tyre", "air", "breast", "gas", "fuel", "petrol", "sump", "pool", "water", "heat",
    "foot", "balloon", "insulin", "traffic", "kitchen", "porch", "car", "brake", "christmas", "fairy", "night",
    "ceiling", "street", "engine", "tv", "phone", "computer", "laptop", "ipad", "tablet", "oven", "microwave",
    "fridge", "stove", "dishwasher", "printer", "router", "bathroom", "flash", "torch", "lamp", "desk", "tail",
    "head", "fishing", "power", "extension", "landline", "touch", "lock", "loading", "dryer", "game",
})
_FOREIGNABLE = {"pump": "otherpump", "pumps": "otherpump", "light": "otherlight", "lights": "otherlight",
                "screen": "otherscreen", "line": "otherline", "lines": "otherline", "cord": "otherline",
                "bag": "otherbag"}
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"), (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"), (re.compile(r"\bain't\b"), "is not"),
    (re.compile(r"n't\b"), " not"), (re.compile(r"'re\b"), " are"), (re.compile(r"'m\b"), " am"),
    (re.compile(r"'ll\b"), " will"), (re.compile(r"'ve\b"), " have"), (re.compile(r"'d\b"), " would"),
    (re.compile(r"\blet's\b"), "let us"),
    (re.compile(r"\b(it|what|that|there|he|she|where|how|who|when|here|everything|something|nothing)'s\b"),
     r"\1 is"),
    (re.compile(r"'s\b"), ""), (re.compile(r"'"), ""),
)
_WORDS: dict[str, str] = {
    # fillers
    "um": "", "umm": "", "uh": "", "uhh": "", "uhm": "", "erm": "", "er": "", "hmm": "", "mm": "", "ah": "",
    "please": "", "pls": "", "plz": "", "hey": "", "hi": "", "hello": "", "hub": "", "so": "", "well": "",
    "just": "", "actually": "", "really": "", "basically": "", "literally": "", "yo": "", "again": "",
    "quickly": "", "quick": "", "now": "", "currently": "", "still": "", "but": "", "and": "", "also": "",
    "though": "", "then": "",
    # my / his / her / the
    "my": "the", "his": "the", "her": "the", "our": "the", "your": "the", "their": "the", "a": "the",
    "an": "the", "this": "the", "these": "the", "those": "the", "its": "the",
    "she": "he", "they": "he", "him": "he", "them": "he", "we": "he", "us": "he",
    "kid": "he", "kids": "he", "son": "he", "daughter": "he", "baby": "he", "boy": "he", "child": "he",
    "girl": "he", "toddler": "he", "kiddo": "he", "ring": "call", "things": "everything", "stuff": "everything",
    "sitting": "", "sat": "", "tub": "bath", "bathtub": "bath", "are": "is", "am": "is", "was": "is", "were": "is",
    # the infusion's things
    "tube": "line", "tubes": "line", "tubing": "line", "cord": "line", "iv": "line", "catheter": "line",
    "lines": "line", "hose": "line", "wire": "line", "cable": "line",
    "bandage": "dressing", "sticker": "dressing", "plaster": "dressing", "bandaid": "dressing", "tape": "dressing",
    "tegaderm": "dressing", "aquaguard": "dressing",
    "backpack": "pump", "machine": "pump", "pumps": "pump", "thing": "pump", "device": "pump",
    "orange": "amber", "yellow": "amber", "color": "colour",
    # the medicine is what the pump gives: a question about one is about the other
    "medicine": "pump", "medication": "pump", "meds": "pump", "med": "pump",
    "infusion": "pump", "drug": "pump", "drip": "pump", "blincyto": "pump",
    "blinatumomab": "pump", "blina": "pump", "chemo": "pump", "treatment": "pump",
    "ok": "okay", "okey": "okay", "alright": "okay", "k": "okay",
    "yeah": "yes", "yep": "yes", "yup": "yes", "ya": "yes", "yea": "yes",
    "nope": "no", "nah": "no", "naw": "no",
    "hows": "how is", "whats": "what is", "wheres": "where is", "whos": "who is", "dont": "do not",
    "doesnt": "does not", "cant": "can not", "wont": "will not", "isnt": "is not", "im": "i am",
    "theres": "there is", "thats": "that is", "didnt": "did not", "hasnt": "has not",
}
# "Like" is a filler unless it compares ("looks like") or wants ("I would like").
_LIKE_KEEPERS = frozenset({"look", "looks", "looked", "feel", "feels", "felt", "sound", "sounds", "would", "i",
                           "he", "do", "does", "did", "seem", "seems"})
# "Phone" after these is calling, not the thing.
_CALLERS = frozenset({"i", "we", "to", "do", "should", "can", "he", "she", "they", "please"})
# A bag next to these words is the bag change, not the backpack.
_BAG_CHANGE_WORDS = frozenset({"change", "changed", "changing", "changes", "new", "next", "swap", "swapped",
                               "appointment", "replace", "replaced", "fresh", "refill", "when"})
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(_PHRASES, key=len, reverse=True)) + r")\b")


def words(text: str) -> list[str]:
    """Return the plain words of `text`: lower case, contractions spelled out, fillers gone,
    my/his/her as "the", and one word for each thing the family calls by several names."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = " ".join(_PUNCTUATION.sub(" ", text).split())
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _PHRASE_RE.sub(lambda m: _PHRASES[m.group(1)], text)
    raw = text.split()
    out: list[str] = []
    for i, word in enumerate(raw):
        before = raw[i - 1] if i else ""
        after = raw[i + 1] if i + 1 < len(raw) else ""
        if word == "like" and before not in _LIKE_KEEPERS:
            continue
        if word in _FOREIGNABLE and before in _FOREIGN_MODIFIERS:
            out[-1:] = [_FOREIGNABLE[word]]
            continue
        if word == "phone" and (before in _CALLERS or after in {"them", "him", "her", "you", "the", "someone"}):
            out.append("call")  # "who do I phone", not "my phone"
            continue
        if word == "bag":
            out.append("bag" if {before, after} & _BAG_CHANGE_WORDS or _bag_change_nearby(raw, i) else "pump")
            continue
        mapped = _WORDS.get(word, word)
        out.extend(mapped.split())
    # "the the pump" after "my the": one article is enough; "the he" (my son) is "he".
    return [w for i, w in enumerate(out)
            if not (w == "the" and i + 1 < len(out) and out[i + 1] in ("the", "he"))]


def _bag_change_nearby(raw: list[str], i: int) -> bool:
    return bool(set(raw[max(0, i - 4):i + 3]) & {"change", "changed", "changing", "appointment", "new", "next",
                                                  "when"})


def stem(word: str) -> str:
    """Return a crude stem, so "beeping", "beeps" and "beeped" meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def canonical(text: str) -> str:
    """Return `text` as plain, stemmed words joined by spaces, the form sentences are compared in."""
    return " ".join(stem(w) for w in words(text))
