"""The take-home sheet's misprinted phone number: found in any text, and never said.

The sheet prints the care team's area code once as 202 instead of 212. A parent who
dials that number in an emergency reaches nobody who can help, so the hub must never
say it, whatever put it in a sentence: a care plan field, a pump screen, a bug. Every
sentence the hub speaks, prints or publishes passes through `guard_speech` on its way
out (replies, the daemon's announcements, Hermes messages, the synthesizer); plans that
hold the number are refused when they are read (hub.core.plan).

The number is found in any spacing or punctuation ("202-639", "(202) 639", "2 0 2.6 3 9",
"two zero two, six three nine"), with or without more digits around it. It is kept here
as parts, so that no file of the project spells it out.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_LOGGER = logging.getLogger(__name__)

MISPRINTED_AREA, MISPRINTED_LINE = "202", "6392000"
# Area code and exchange together: any number holding these digits in a row is the misprint
# (the exchange is the hospital's; no other care team shares it in the 202 area).
_MISPRINT_HEAD = MISPRINTED_AREA + MISPRINTED_LINE[:3]

# Instead of the number: where the right one is.
SAFE_WORDS = "the care team's number from the care plan"

_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9"}
# A digit, or digits' names run together but not inside another word ("202six39" and
# "twozerotwo" count; "someone" does not).
_NOT_LETTER_BEFORE, _NOT_LETTER_AFTER = r"(?<![^\W\d_])", r"(?![^\W\d_])"
_DIGIT_WORD = re.compile("|".join(_DIGIT_WORDS), re.IGNORECASE)
_DIGIT = re.compile(r"\d|" + _NOT_LETTER_BEFORE + "(?:" + "|".join(_DIGIT_WORDS) + ")+" + _NOT_LETTER_AFTER,
                    re.IGNORECASE)
# Between the digits of one number: spaces and punctuation, a few characters at most.
_MAX_GAP = 4


def has_wrong_number(text: str) -> bool:
    """Return True when `text` holds the misprinted number in any spacing or punctuation."""
    return bool(_wrong_spans(text))


def guard_speech(text: str, *, phone: str | None = None) -> str:
    """Return `text` with any misprinted number replaced by words pointing to the right one.

    With `phone` (the care plan's number), the words name it. Each replacement is logged:
    something upstream (a plan, a screen, a sentence) needs fixing.
    """
    spans = _wrong_spans(text)
    if not spans:
        return text
    words = SAFE_WORDS
    if phone and not has_wrong_number(phone):
        words = f"the care team's number, {phone},"
    for start, end in reversed(spans):
        text = text[:start] + words + text[end:]
    _LOGGER.warning("Replaced the sheet's misprinted care-team number (202 area code) in what the hub "
                    "was about to say; now: %r", text[:300])
    return text


@lru_cache(maxsize=1024)  # the daemon checks the same few hundred sentences every tick
def _wrong_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) of every run of digits that holds the misprint."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for match in _DIGIT.finditer(text):
        if run and not _is_gap(text[run[-1].end() : match.start()]):
            _check_run(run, spans)
            run = []
        run.append(match)
    if run:
        _check_run(run, spans)
    return tuple(spans)


def _is_gap(between: str) -> bool:
    return len(between) <= _MAX_GAP and not any(ch.isalnum() for ch in between)


def _check_run(run: list[re.Match[str]], spans: list[tuple[int, int]]) -> None:
    digits = "".join(_digit(m.group(0)) for m in run)
    if _MISPRINT_HEAD in digits:
        spans.append((run[0].start(), run[-1].end()))


def _digit(token: str) -> str:
    if len(token) == 1 and token.isdigit():
        return str(int(token))  # other scripts' digits too (٢, ２)
    return "".join(_DIGIT_WORDS[word.lower()] for word in _DIGIT_WORD.findall(token))
