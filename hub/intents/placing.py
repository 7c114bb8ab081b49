"""Placing a reported problem by what it names and what it says of it, whatever the sentence.

A family reports a problem in words no template holds ("it hurts where the tube goes in",
"my sticker got mud on it"). When the whole sentence matches nothing, the thing named
(line, port, dressing, pump light, pump) and what is said of it (hurts, mud, amber) still
place it among the problems the sheet covers, so the reply says what to do first, not
only whom to call. Only text that already sounds like a worry is placed
(hub.intents.understand); a state said not to be ("not beeping") places nothing. Pure:
plain words (hub.intents.wording) in, a problem slot value out.
"""

from __future__ import annotations

import re

_SITE = r"(?:port|site|skin|where the line goes in|where the line is|around the line|by the line)"
# (problem slot, what must be named, what must be said of it), tried in order: pain and
# swelling before a line that "came out", a light before a pump that is "off".
_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (slot, re.compile(rf"\b{things}\b"), re.compile(rf"\b(?:{states})\b")) for slot, things, states in (
        ("port_pain", rf"(?:{_SITE}|line)",
         r"hurt\w*|pain\w*|sore\w*|ow|ouch|owie|sting\w*|tender|ach(?:e|es|ing|y)"),
        ("port_swelling", rf"(?:{_SITE}|line)", r"swollen|swell\w*|puff\w*|bump\w*|lump\w*"),
        ("dressing_wet", r"dressing", r"wet|soak\w*|damp|soggy|splash\w*|water"),
        ("dressing_dirty", r"dressing", r"dirty|stain\w*|mud\w*|muck\w*|food|gross|grubby|mess\w*|gunk\w*|crust\w*"),
        ("dressing_torn", r"dressing",
         r"torn|tear\w*|ripp?\w*|peel\w*|loose|lift\w*|unstuck|(?:coming|came|come|falling|fell) off"),
        ("line_disconnected", r"line",
         r"unhook\w*|unclip\w*|disconnect\w*|apart|undone|detach\w*|"
         r"(?:came|come|coming|popp?ed|pops?|popping|fell|falls?|falling|pulled|slipped) (?:out|off)"),
        ("pump_light", r"(?:pump light|light (?:on|of) the pump|pump (?:\w+ )?light)",
         r"amber|red|blue|white|purple|pink|off|out|not green|no longer green"),
        ("pump_beeping", r"pump", r"beep\w*|alarm\w*|going off|buzz\w*|chirp\w*|noise\w*|sound\w*"),
        ("leaking", r"(?:pump|line)", r"leak\w*|dripp\w*|liquid|fluid|puddle|wet|spill\w*"),
        ("pump_stopped", r"pump",
         r"stopp\w*|died|dead|off|not doing anything|not (?:running|working|going|pumping|on)|"
         r"will not (?:come|turn|switch|go|start) (?:back )?on"),
    ))
_NEGATED = re.compile(r"\b(?:not|no|never|nothing)(?:\s+\w+){0,3}\s+$")  # "not making the noise"


def place_problem(words: list[str]) -> str | None:
    """Return the problem slot `words` report (e.g. "port_pain"), or None when no rule places them."""
    text = " ".join(words)
    for slot, things, states in _RULES:
        if not things.search(text):
            continue
        if any(not _NEGATED.search(text[: m.start()]) for m in states.finditer(text)):
            return slot
    return None
