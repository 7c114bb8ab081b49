"""Decides what the pump's infusion light is doing from colour samples over a time window.

Pure functions, no I/O. The rules err towards `unknown`: a window with gaps, too many
unclear samples, or a pattern that is neither clearly steady nor clearly blinking is
unknown, because "green blinking" means "the infusion is running" and saying it
wrongly is the worst mistake the hub can make.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from hub.core.home import PumpLight

_LOGGER = logging.getLogger(__name__)


class SampleColour(str, Enum):
    """The colour of one sample of the light."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    BLUE = "blue"
    OFF = "off"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class ColourThresholds:
    """Chromaticity limits for one sample; fractions are of red + green + blue.

    Tuned for a TCS34725 held against the LED in a light-tight clip; check them on
    a real pump with `hub sensors read --json` and adjust here, not in firmware.
    """

    dark_clear: int = 200  # below this clear count the LED is off
    red_min: float = 0.6  # red: mostly red, little green
    red_green_max: float = 0.25
    amber_red_min: float = 0.4  # amber: red with a real share of green, little blue
    amber_green_min: float = 0.25
    amber_blue_max: float = 0.2
    green_min: float = 0.5
    green_red_max: float = 0.3
    blue_min: float = 0.5
    blue_red_max: float = 0.25


DEFAULT_THRESHOLDS = ColourThresholds()


def colour_of(
    red: int, green: int, blue: int, clear: int, limits: ColourThresholds = DEFAULT_THRESHOLDS
) -> SampleColour:
    """Return the colour of one raw sample; anything ambiguous is `unclear`."""
    total = red + green + blue
    if clear < limits.dark_clear or total <= 0:
        return SampleColour.OFF
    fr, fg, fb = red / total, green / total, blue / total
    if fr >= limits.red_min and fg < limits.red_green_max:
        return SampleColour.RED
    if fr >= limits.amber_red_min and fg >= limits.amber_green_min and fb < limits.amber_blue_max:
        return SampleColour.AMBER
    if fg >= limits.green_min and fr < limits.green_red_max:
        return SampleColour.GREEN
    if fb >= limits.blue_min and fr < limits.blue_red_max:
        return SampleColour.BLUE
    return SampleColour.UNCLEAR


@dataclass(frozen=True)
class WindowRules:
    """How a window of samples becomes a light state.

    Assumes the infusion light flashes at least every 3 s (`max_off_ms`) with flashes
    shorter than 1.5 s (`max_on_ms`); measure a real pump and adjust. Two separate
    flashes are needed for "blinking", so a light that was on and then went out is
    never mistaken for one that blinks.
    """

    window_ms: int = 6000
    max_gap_ms: int = 400  # samples come every 100 ms; a longer gap is missing data
    max_unclear_fraction: float = 0.2
    max_on_ms: int = 1500
    max_off_ms: int = 3000
    min_flashes: int = 2


@dataclass(frozen=True)
class _Run:
    colour: SampleColour
    start_ms: int
    end_ms: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


_BLINKING = {
    frozenset({SampleColour.GREEN}): PumpLight.GREEN_BLINKING,
    frozenset({SampleColour.AMBER}): PumpLight.AMBER_BLINKING,
    frozenset({SampleColour.GREEN, SampleColour.AMBER}): PumpLight.GREEN_AMBER_BLINKING,
}
_STEADY = {
    frozenset({SampleColour.GREEN}): PumpLight.GREEN_STEADY,
    frozenset({SampleColour.AMBER}): PumpLight.AMBER_STEADY,
    frozenset({SampleColour.BLUE}): PumpLight.BLUE,
}


def classify_window(
    samples: Sequence[tuple[int, SampleColour]], *, now_ms: int | None = None, rules: WindowRules | None = None
) -> PumpLight:
    """Return the light state over the window ending at `now_ms` (bridge time).

    `samples` are (t_ms, colour) in time order. `now_ms` defaults to the last
    sample's time; pass the newest frame's time so that samples that stopped
    coming make the light unknown.
    """
    rules = rules or WindowRules()
    if not samples:
        return PumpLight.UNKNOWN
    end_ms = samples[-1][0] if now_ms is None else now_ms
    start_ms = end_ms - rules.window_ms
    window = [(t, c) for t, c in samples if start_ms < t <= end_ms]
    if any(c is SampleColour.RED for _, c in window):
        # Any red is an alarm light; never explain it away, not even by missing data.
        return PumpLight.RED
    if not window or not _is_covered(window, start_ms, end_ms, rules):
        return PumpLight.UNKNOWN
    unclear = sum(1 for _, c in window if c is SampleColour.UNCLEAR)
    if unclear > rules.max_unclear_fraction * len(window):
        return PumpLight.UNKNOWN
    clear: list[tuple[int, SampleColour]] = [(t, c) for t, c in window if c is not SampleColour.UNCLEAR]
    lit = frozenset(c for _, c in clear if c is not SampleColour.OFF)
    if not lit:
        return PumpLight.OFF
    runs = _runs(clear, end_ms)
    has_off = any(run.colour is SampleColour.OFF for run in runs)
    if not has_off and len(runs) == 1:
        return _STEADY.get(lit, PumpLight.UNKNOWN)
    if lit in _BLINKING and _is_blinking(runs, rules):
        return _BLINKING[lit]
    return PumpLight.UNKNOWN


def _is_covered(window: list[tuple[int, SampleColour]], start_ms: int, end_ms: int, rules: WindowRules) -> bool:
    times = [start_ms] + [t for t, _ in window] + [end_ms]
    return all(b - a <= rules.max_gap_ms for a, b in zip(times, times[1:], strict=False))


def _runs(samples: list[tuple[int, SampleColour]], end_ms: int) -> list[_Run]:
    runs: list[_Run] = []
    for t, colour in samples:
        if runs and runs[-1].colour is colour:
            continue
        if runs:
            runs[-1] = _Run(runs[-1].colour, runs[-1].start_ms, t)
        runs.append(_Run(colour, t, end_ms))
    return runs


def _is_blinking(runs: list[_Run], rules: WindowRules) -> bool:
    flashes = [run for run in runs if run.colour is not SampleColour.OFF]
    gaps = [run for run in runs if run.colour is SampleColour.OFF]
    return (
        len(flashes) >= rules.min_flashes
        and all(run.duration_ms <= rules.max_on_ms for run in flashes)
        and all(run.duration_ms <= rules.max_off_ms for run in gaps)
    )


def is_beeping(
    beep_times_ms: Sequence[int], *, now_ms: int, listening_since_ms: int | None, hold_ms: int = 15_000
) -> bool | None:
    """Return whether the pump is beeping, from the bridge's beep events.

    True if a beep was heard within `hold_ms` of `now_ms` (the pump repeats its alarm
    tones more often than that). False only if the microphone has been listening
    for the whole `hold_ms` without a beep; otherwise None, not known.
    """
    if any(now_ms - hold_ms <= t <= now_ms for t in beep_times_ms):
        return True
    if listening_since_ms is None or now_ms - listening_since_ms < hold_ms:
        return None
    return False
