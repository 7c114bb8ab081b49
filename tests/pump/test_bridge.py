"""The real pump driver against the simulated bridge on a pty: status, garbage, silence, unplugging."""

import time

import pytest

from hub.core.home import PumpLight
from hub.pump.bridge import Backoff, PumpBridge, find_bridge
from hub.pump.monitor import PumpMonitor
from hub.pump.protocol import Rejection
from hub.sim.bridge import SimulatedBridge, Step, StepKind

FAST = Backoff(initial_s=0.02, max_s=0.2)


def wait_for(predicate, timeout_s=10.0, step_s=0.01):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return predicate()


def monitor_for(sim, **kwargs):
    bridge = PumpBridge(
        patterns=(sim.pattern,),
        backoff=kwargs.pop("backoff", FAST),
        read_timeout_s=0.05,
        silence_timeout_s=kwargs.pop("silence_timeout_s", 0.5),
    )
    return PumpMonitor(bridge, **kwargs).start()


def settled(monitor):
    return lambda: monitor.observed_ms() > 16_000


def test_green_blinking_pump_comes_through_the_driver():
    with SimulatedBridge(speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(settled(monitor))
        state = monitor.state()
    assert state.is_bridge_connected is True
    assert state.light is PumpLight.GREEN_BLINKING
    assert state.is_beeping is False
    assert state.age_s is not None and state.age_s < 1.0
    assert monitor.bridge.port_name.endswith("-if00")  # found through the by-id link


@pytest.mark.parametrize("light", [PumpLight.RED, PumpLight.AMBER_STEADY, PumpLight.OFF, PumpLight.BLUE])
def test_other_lights_come_through(light):
    with SimulatedBridge([Step(60, light=light)], speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(lambda: monitor.observed_ms() > 7000)
        assert monitor.state().light is light


def test_beeping_pump_is_beeping():
    with SimulatedBridge([Step(60, is_beeping=True)], speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(lambda: monitor.state().is_beeping is True)


def test_broken_microphone_makes_beeping_unknown():
    with SimulatedBridge([Step(60, is_mic_ok=False)], speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(settled(monitor))
        assert monitor.state().is_beeping is None


def test_unplug_is_disconnected_and_unknown_never_last_value():
    with SimulatedBridge(speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(settled(monitor))
        assert monitor.state().light is PumpLight.GREEN_BLINKING
        sim.unplug()
        assert wait_for(lambda: monitor.state().is_bridge_connected is False, timeout_s=5)
        state = monitor.state()
        assert state.light is PumpLight.UNKNOWN and state.is_beeping is None
        sim.replug()
        assert wait_for(lambda: monitor.state().is_bridge_connected is True)
        # A new connection starts with an empty window: unknown until it has seen enough.
        assert monitor.state().light is PumpLight.UNKNOWN
        assert wait_for(lambda: monitor.state().light is PumpLight.GREEN_BLINKING)


def test_garbage_is_counted_and_ends_as_unknown():
    steps = [Step(20), Step(600, kind=StepKind.GARBAGE)]
    with SimulatedBridge(steps, speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(lambda: sim.current_step().kind is StepKind.GARBAGE)
        assert wait_for(lambda: monitor.state().is_bridge_connected is False, timeout_s=5)
        assert monitor.state().light is PumpLight.UNKNOWN
        assert sum(monitor.bridge.reader.rejected.values()) > 0
        time.sleep(1.0)
        assert monitor.state().is_bridge_connected is False  # garbage never counts as alive


def test_bad_checksums_are_counted_and_end_as_unknown():
    steps = [Step(20), Step(600, kind=StepKind.CORRUPT)]
    with SimulatedBridge(steps, speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(lambda: monitor.bridge.reader.rejected[Rejection.BAD_CHECKSUM] > 5)
        assert wait_for(lambda: monitor.state().is_bridge_connected is False, timeout_s=5)
        assert monitor.state().light is PumpLight.UNKNOWN


def test_silent_bridge_is_disconnected_then_recovers():
    steps = [Step(20), Step(40, kind=StepKind.PAUSE), Step(600)]
    with SimulatedBridge(steps, speed=20) as sim, monitor_for(sim) as monitor:
        assert wait_for(lambda: sim.current_step().kind is StepKind.PAUSE)
        assert wait_for(lambda: monitor.state().is_bridge_connected is False, timeout_s=5)
        assert wait_for(lambda: monitor.bridge.disconnects >= 1, timeout_s=5)  # and the port is reopened
        assert wait_for(lambda: monitor.state().light is PumpLight.GREEN_BLINKING, timeout_s=20)


def test_silence_longer_than_the_plan_allows_is_disconnected():
    offset = [0.0]
    with SimulatedBridge(speed=20) as sim:
        bridge = PumpBridge(patterns=(sim.pattern,), backoff=FAST, read_timeout_s=0.05, silence_timeout_s=60)
        monitor = PumpMonitor(bridge, stale_after_s=30.0, clock=lambda: time.monotonic() + offset[0]).start()
        with monitor:
            assert wait_for(settled(monitor))
            sim.unplug()  # no more frames; the port error is not what we test, so skip ahead in time
            offset[0] = 31.0
            assert monitor.state().is_bridge_connected is False


def test_no_device_is_disconnected_without_errors():
    with SimulatedBridge(speed=20) as sim:
        sim.unplug()
        with monitor_for(sim) as monitor:
            time.sleep(0.3)
            state = monitor.state()
    assert state.is_bridge_connected is False
    assert state.light is PumpLight.UNKNOWN
    assert state.age_s is None


def test_find_bridge_uses_the_first_pattern_that_matches(tmp_path):
    (tmp_path / "usb-MicroPython_Board_in_FS_mode_abc-if00").touch()
    assert find_bridge([str(tmp_path / "nothing*"), str(tmp_path / "usb-*-if00")]).endswith("abc-if00")
    assert find_bridge([str(tmp_path / "nothing*")]) is None


def test_backoff_doubles_up_to_its_cap():
    backoff = Backoff(initial_s=0.5, max_s=5.0)
    assert [backoff.delay_s(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]


# How long a reconnection may take is the backoff's cap (test_backoff_doubles_up_to_its_cap,
# exact); these tests check that it happens. Their waits only keep a broken monitor from
# hanging the suite, and are long enough for a loaded machine (timings: bench/, not here).
LIVENESS_S = 60.0


def test_hundred_unplug_replug_cycles_recover_each_time():
    with SimulatedBridge(speed=5) as sim, monitor_for(sim, backoff=Backoff(0.02, 0.25)) as monitor:
        assert wait_for(lambda: monitor.state().is_bridge_connected is True)
        for cycle in range(100):
            sim.unplug()
            assert wait_for(lambda: monitor.state().is_bridge_connected is False, timeout_s=LIVENESS_S), cycle
            assert monitor.state().light is PumpLight.UNKNOWN
            sim.replug()
            assert wait_for(lambda: monitor.state().is_bridge_connected is True, timeout_s=LIVENESS_S), cycle
        assert monitor.bridge.connects >= 101
        assert monitor._thread is not None and monitor._thread.is_alive()


def test_recovery_with_default_backoff_after_a_long_unplug():
    with SimulatedBridge(speed=5) as sim:
        # The default backoff (capped at 5 s) on a bridge clock that runs ten times fast.
        start = time.monotonic()
        bridge = PumpBridge(patterns=(sim.pattern,), read_timeout_s=0.05,
                            clock=lambda: start + 10 * (time.monotonic() - start))
        with PumpMonitor(bridge).start() as monitor:
            assert wait_for(lambda: monitor.state().is_bridge_connected is True)
            sim.unplug()
            time.sleep(0.6)  # 6 s on the bridge's clock: long enough for the backoff to reach its cap
            sim.replug()
            assert wait_for(lambda: monitor.state().is_bridge_connected is True, timeout_s=LIVENESS_S)
