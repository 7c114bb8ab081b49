# Beep detection for the pump-monitor bridge (MicroPython, also runs on CPython).
#
# The CADD-Solis alarm is a loud repeated tone. A Goertzel filter per candidate
# frequency measures tonal energy in short blocks of microphone samples; a beep is
# a run of blocks where one tone carries most of the energy. Pure integer/float code,
# no machine imports, so tests/pump/test_firmware.py runs it on CPython.

import math

SAMPLE_RATE_HZ = 8000
BLOCK = 200  # 25 ms at 8 kHz
# Candidate tones, Hz. Measure the real pump with a phone app and narrow this list.
TONES_HZ = (1000, 1500, 2000, 2500, 3000, 3500)
TONE_SHARE_MIN = 0.35  # a tone's share of the block's AC energy to count as "tonal"
LEVEL_MIN = 2.0e5  # below this AC energy per block the room is quiet
MIN_BEEP_MS = 50
# A microphone that is unplugged or dead gives a flat line (or sits on a rail).
FLAT_SPREAD_MAX = 64
RAIL_LOW, RAIL_HIGH = 512, 65535 - 512


def goertzel_power(samples, mean, freq_hz, rate_hz=SAMPLE_RATE_HZ):
    """Return the power of `freq_hz` in `samples` (after removing `mean`)."""
    k = 2.0 * math.cos(2.0 * math.pi * freq_hz / rate_hz)
    s1 = s2 = 0.0
    for x in samples:
        s0 = (x - mean) + k * s1 - s2
        s2 = s1
        s1 = s0
    return s1 * s1 + s2 * s2 - k * s1 * s2


def analyse_block(samples):
    """Return (is_mic_ok, tone_hz or 0) for one block of raw 16-bit ADC samples."""
    low, high = min(samples), max(samples)
    mean = sum(samples) / len(samples)
    if high - low < FLAT_SPREAD_MAX or mean < RAIL_LOW or mean > RAIL_HIGH:
        return False, 0
    energy = sum((x - mean) * (x - mean) for x in samples)
    if energy < LEVEL_MIN:
        return True, 0
    best_hz, best = 0, 0.0
    for hz in TONES_HZ:
        power = goertzel_power(samples, mean, hz)
        if power > best:
            best_hz, best = hz, power
    # Goertzel power of a pure tone over N samples is about N/2 times its AC energy.
    share = best / (energy * len(samples) / 2.0)
    return True, (best_hz if share >= TONE_SHARE_MIN else 0)


class BeepDetector:
    """Turns per-block tones into beep events: (freq_hz, duration_ms) when a beep ends."""

    def __init__(self, block_ms=BLOCK * 1000 // SAMPLE_RATE_HZ):
        self.block_ms = block_ms
        self.tone_hz = 0
        self.run_ms = 0

    def feed(self, tone_hz):
        """Feed one block's tone (0 for none); return a finished beep or None."""
        if tone_hz and (tone_hz == self.tone_hz or self.run_ms == 0):
            self.tone_hz = tone_hz
            self.run_ms += self.block_ms
            return None
        finished = None
        if self.run_ms >= MIN_BEEP_MS:
            finished = (self.tone_hz, self.run_ms)
        self.tone_hz = tone_hz
        self.run_ms = self.block_ms if tone_hz else 0
        return finished
