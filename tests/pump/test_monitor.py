"""PumpMonitor's bookkeeping, fed frames directly (no serial port)."""

from hub.core.home import PumpLight
from hub.pump.monitor import PumpMonitor
from hub.pump.protocol import Beep, Frame, LightSample, Status
from hub.sim.bridge import PATTERNS, RGBC


class FakeLink:
    """Stands in for PumpBridge: connected, on connection `session`."""

    def __init__(self) -> None:
        self.is_connected = True
        self.session = 1

    def poll(self):
        return []

    def close(self):
        pass


class Clock:
    now_s = 100.0

    def __call__(self):
        return self.now_s


def blink_frames(start_ms, end_ms, *, seq=0, light=PumpLight.GREEN_BLINKING, mic_ok=True, beep_at=()):
    frames = []
    for t in range(start_ms, end_ms + 1, 100):
        frames.append(Frame(seq % 65536, t, LightSample(*RGBC[PATTERNS[light](t)])))
        seq += 1
        if t % 1000 == 0:
            frames.append(Frame(seq % 65536, t, Status(True, mic_ok)))
            seq += 1
        if t in beep_at:
            frames.append(Frame(seq % 65536, t, Beep(2900, 150)))
            seq += 1
    return frames


def make():
    link, clock = FakeLink(), Clock()
    return PumpMonitor(link, clock=clock, beep_hold_ms=15_000), link, clock


def test_full_window_of_blinking_is_green_blinking_and_not_beeping():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000), session=1)
    state = monitor.state()
    assert state == state.__class__(True, PumpLight.GREEN_BLINKING, False, "", 0.0)


def test_bridge_reboot_starts_a_fresh_window():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000), session=1)
    monitor.handle(blink_frames(0, 2000, seq=0), session=1)  # t_ms went back
    assert monitor.bridge_restarts == 1
    assert monitor.state().light is PumpLight.UNKNOWN
    assert monitor.state().is_beeping is None


def test_lost_frames_are_counted_and_the_hole_makes_light_unknown():
    monitor, link, _ = make()
    frames = blink_frames(0, 16000)
    kept = frames[:100] + frames[110:]
    monitor.handle(kept, session=1)
    assert monitor.lost_frames == 10
    monitor.handle(blink_frames(16100, 16200, seq=kept[-1].seq + 1), session=1)
    assert monitor.state().light is PumpLight.GREEN_BLINKING  # the hole is long past
    monitor2, _, _ = make()
    frames = blink_frames(0, 16000)
    monitor2.handle(frames[:-20], session=1)
    monitor2.handle(frames[-10:], session=1)
    assert monitor2.state().light is PumpLight.UNKNOWN


def test_frames_of_an_old_connection_do_not_count():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000), session=1)
    link.session = 2  # the link reconnected; nothing from the new one yet
    assert monitor.state().is_bridge_connected is False


def test_disconnected_link_is_unknown_whatever_was_seen():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000), session=1)
    link.is_connected = False
    state = monitor.state()
    assert (state.is_bridge_connected, state.light, state.is_beeping) == (False, PumpLight.UNKNOWN, None)


def test_stale_data_is_unknown():
    monitor, link, clock = make()
    monitor.handle(blink_frames(0, 16000), session=1)
    clock.now_s += 1.5  # light samples stopped arriving, heartbeat age still within the plan
    assert monitor.state().light is PumpLight.UNKNOWN
    assert monitor.state().is_beeping is False
    clock.now_s += 1.5  # no heartbeat either: a beep could have been missed
    assert monitor.state().is_beeping is None
    clock.now_s += 30.0
    assert monitor.state().is_bridge_connected is False


def test_beep_heard_recently_is_beeping():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000, beep_at=(10000,)), session=1)
    assert monitor.state().is_beeping is True
    monitor.handle(blink_frames(16100, 26000, seq=1000), session=1)
    assert monitor.state().is_beeping is False


def test_microphone_failure_makes_beeping_unknown_but_a_heard_beep_still_counts():
    monitor, link, _ = make()
    frames = blink_frames(0, 16000)
    frames.append(Frame(frames[-1].seq + 1, 16000, Status(True, False)))
    monitor.handle(frames, session=1)
    assert monitor.state().is_beeping is None
    monitor.handle([Frame(frames[-1].seq + 1, 16050, Beep(2900, 150))], session=1)
    assert monitor.state().is_beeping is True


def test_microphone_back_needs_a_full_hold_before_not_beeping():
    monitor, link, _ = make()
    monitor.handle(blink_frames(0, 16000, mic_ok=False), session=1)
    monitor.handle(blink_frames(16100, 26000, seq=1000), session=1)
    assert monitor.state().is_beeping is None  # listening since 17000 only
    monitor.handle(blink_frames(26100, 33000, seq=5000), session=1)
    assert monitor.state().is_beeping is False


def test_light_sensor_fault_makes_light_unknown():
    monitor, link, _ = make()
    frames = blink_frames(0, 16000)
    frames.append(Frame(frames[-1].seq + 1, 16000, Status(False, True)))
    monitor.handle(frames, session=1)
    assert monitor.state().light is PumpLight.UNKNOWN


def test_duplicate_frames_are_ignored():
    monitor, link, _ = make()
    frames = blink_frames(0, 16000)
    monitor.handle(frames + frames[-1:], session=1)
    assert monitor.lost_frames == 0
    assert monitor.state().light is PumpLight.GREEN_BLINKING
