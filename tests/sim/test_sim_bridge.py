import pytest
import serial
import yaml

from hub.errors import ScenarioError
from hub.core.home import PumpLight
from hub.pump.protocol import FrameReader, LightSample, Status
from hub.sim.bridge import SimulatedBridge, Step, StepKind, parse_steps


def test_timeline_from_yaml():
    raw = yaml.safe_load(
        """
        - {seconds: 30, light: green_blinking}
        - {seconds: 10, light: red, beeping: true}
        - {seconds: 5, kind: unplug}
        - {seconds: 2, kind: garbage}
        """
    )
    steps = parse_steps(raw)
    assert steps[1] == Step(10.0, PumpLight.RED, True, StepKind.PLAY, True)
    assert steps[2].kind is StepKind.UNPLUG


@pytest.mark.parametrize(
    "raw",
    [{}, [{"seconds": 0}], [{"seconds": 5, "light": "purple"}], [{"seconds": 5, "beeping": "yes"}], [{"secs": 5}]],
)
def test_bad_timelines_are_refused(raw):
    with pytest.raises(ScenarioError):
        parse_steps(raw, source="t.yaml")


def test_ticks_emit_real_frames_on_the_pty():
    sim = SimulatedBridge([Step(10, light=PumpLight.GREEN_STEADY)])
    sim.replug()
    try:
        port = serial.serial_for_url(sim.slave_path, timeout=0.5)
        for _ in range(10):
            sim.tick()
        frames = FrameReader().feed(port.read(4096))
        port.close()
    finally:
        sim.close()
    kinds = [type(f.payload) for f in frames]
    assert kinds.count(LightSample) == 10 and Status in kinds
    assert [f.seq for f in frames] == sorted(f.seq for f in frames)


def test_unplug_step_removes_the_device_and_replug_restarts_the_bridge():
    sim = SimulatedBridge([Step(0.2), Step(0.2, kind=StepKind.UNPLUG), Step(1)])
    try:
        sim.replug()
        sim.tick()
        sim.tick()
        assert sim.is_plugged and sim.link.exists()
        sim.tick()
        assert not sim.is_plugged and not sim.link.exists()
        sim.tick()
        sim.tick()
        assert sim.is_plugged and sim.t_ms == 100 and sim.plug_count == 2
    finally:
        sim.close()
