# Pump-monitor bridge firmware, MicroPython on a Raspberry Pi Pico (RP2040).
#
# Watches the CADD-Solis pump's infusion light with a TCS34725 colour sensor and
# listens for its alarm beeps with an electret microphone (MAX4466) or a piezo disc,
# and reports both to the hub over USB serial in the HB1 protocol (../PROTOCOL.md).
# It sends raw samples and events only: the hub decides what the light is doing.
#
# Wiring: ../WIRING.md. Copy hb1.py, tone.py, tcs34725.py and this file to the
# Pico's flash (e.g. `mpremote cp *.py :`).

import sys
import time

import machine
import micropython

from hb1 import Encoder
from tcs34725 import TCS34725
from tone import BLOCK, SAMPLE_RATE_HZ, BeepDetector, analyse_block

FIRMWARE = "pico-1.0"
LIGHT_PERIOD_MS = 100
STATUS_PERIOD_MS = 1000
HELLO_PERIOD_MS = 30000
LED_PIN = 25  # the Pico's own LED blinks with every status frame

# Nothing the host sends must stop us: Ctrl-C on the port would end main.py.
micropython.kbd_intr(-1)

i2c = machine.I2C(0, sda=machine.Pin(4), scl=machine.Pin(5), freq=100000)
mic = machine.ADC(26)
led = machine.Pin(LED_PIN, machine.Pin.OUT)
# If the loop ever hangs, the Pico resets; the hub sees t_ms restart and treats the
# light as unknown until it has a new window.
wdt = machine.WDT(timeout=8000)
out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout

encoder = Encoder()
beeps = BeepDetector()
colour = None
is_mic_ok = False
_last_ticks = time.ticks_ms()
_uptime_ms = 0


def uptime_ms():
    """Milliseconds since boot as a 32-bit count (ticks_ms itself wraps much sooner)."""
    global _last_ticks, _uptime_ms
    now = time.ticks_ms()
    _uptime_ms = (_uptime_ms + time.ticks_diff(now, _last_ticks)) & 0xFFFFFFFF
    _last_ticks = now
    return _uptime_ms


def due(now, at):
    """True once the 32-bit uptime `now` has reached `at`, across the 49-day wrap."""
    return (now - at) & 0xFFFFFFFF < 0x80000000


def send(line):
    try:
        out.write(line)
    except OSError:
        pass  # host not listening: drop, like the CDC buffer would


def open_colour_sensor():
    try:
        return TCS34725(i2c)
    except OSError:
        return None


def listen_block():
    """Sample the microphone for one block at about SAMPLE_RATE_HZ."""
    period_us = 1000000 // SAMPLE_RATE_HZ
    samples = []
    next_us = time.ticks_us()
    for _ in range(BLOCK):
        while time.ticks_diff(time.ticks_us(), next_us) < 0:
            pass
        samples.append(mic.read_u16())
        next_us = time.ticks_add(next_us, period_us)
    return samples


def main():
    global colour, is_mic_ok
    colour = open_colour_sensor()
    now = uptime_ms()
    send(encoder.hello(now, FIRMWARE, LIGHT_PERIOD_MS))
    next_light = now
    next_status = now
    next_hello = (now + HELLO_PERIOD_MS) & 0xFFFFFFFF
    while True:
        wdt.feed()
        ok, tone_hz = analyse_block(listen_block())
        is_mic_ok = ok
        finished = beeps.feed(tone_hz if ok else 0)
        now = uptime_ms()
        if finished is not None:
            send(encoder.beep(now, finished[0], finished[1]))
        if due(now, next_light):
            next_light = (now + LIGHT_PERIOD_MS) & 0xFFFFFFFF
            if colour is not None:
                try:
                    red, green, blue, clear = colour.read_rgbc()
                    send(encoder.light(now, min(red, 65535), min(green, 65535), min(blue, 65535), min(clear, 65535)))
                except OSError:
                    colour = None  # reported in the next status; retried below
        if due(now, next_status):
            next_status = (now + STATUS_PERIOD_MS) & 0xFFFFFFFF
            if colour is None:
                colour = open_colour_sensor()
            send(encoder.status(now, colour is not None, is_mic_ok))
            led.toggle()
        if due(now, next_hello):
            next_hello = (now + HELLO_PERIOD_MS) & 0xFFFFFFFF
            send(encoder.hello(now, FIRMWARE, LIGHT_PERIOD_MS))


main()
