"""Microphone capture through a stand-in sounddevice, and the gate that keeps the hub from hearing itself."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from hub.voice.wav import Audio
from hub.errors import DeviceError
from hub.voice.mic import Microphone, SpeakingGate, play


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeSoundDevice:
    """Feeds `pcm` to the callback in blocks from a thread, like PortAudio; records plays."""

    def __init__(self, pcm: bytes = b"", *, on_block=None) -> None:
        self.pcm = pcm
        self.on_block = on_block
        self.played: list[tuple[int, int]] = []
        backend = self

        class RawInputStream:
            def __init__(self, *, samplerate, channels, dtype, blocksize, device, callback) -> None:
                assert (samplerate, channels, dtype) == (16000, 1, "int16")
                self.blocksize, self.callback = blocksize, callback
                self.thread = threading.Thread(target=self._run, daemon=True)

            def _run(self) -> None:
                step = self.blocksize * 2
                for i in range(0, len(backend.pcm), step):
                    if backend.on_block:
                        backend.on_block(i // step)
                    self.callback(backend.pcm[i : i + step], self.blocksize, None, None)

            def start(self) -> None:
                self.thread.start()

            def stop(self) -> None:
                self.thread.join(timeout=2)

            def close(self) -> None:
                pass

        self.RawInputStream = RawInputStream

    def play(self, samples, rate) -> None:
        self.played.append((len(samples), rate))

    def wait(self) -> None:
        pass


def test_gate_is_held_while_speaking_and_for_the_echo_tail() -> None:
    clock = FakeClock()
    gate = SpeakingGate(echo_s=0.3, clock=clock)
    assert not gate.is_speaking
    with gate.speaking():
        assert gate.is_speaking
    clock.now = 0.2
    assert gate.is_speaking
    clock.now = 0.31
    assert not gate.is_speaking


def test_microphone_yields_blocks_of_the_requested_size() -> None:
    backend = FakeSoundDevice(bytes(960 * 10))
    with Microphone(backend=backend, block_ms=30, timeout_s=0.5) as mic:
        blocks = [next(mic.blocks()) for _ in range(10)]
    assert all(len(b) == 960 for b in blocks)


def test_audio_captured_while_the_hub_speaks_is_dropped() -> None:
    gate = SpeakingGate(echo_s=0.0)
    speaking = gate.speaking()

    def on_block(index: int) -> None:
        if index == 3:
            speaking.__enter__()
        if index == 7:
            speaking.__exit__(None, None, None)

    backend = FakeSoundDevice(b"".join(bytes([i]) * 960 for i in range(10)), on_block=on_block)
    mic = Microphone(backend=backend, gate=gate, timeout_s=0.3)
    got = []
    with pytest.raises(DeviceError, match="no audio"):
        for block in mic.blocks():
            got.append(block[0])
    mic.close()
    assert got == [0, 1, 2, 7, 8, 9] and mic.dropped_blocks == 4


def test_silence_is_counted_from_the_end_of_the_hubs_reply_not_from_the_last_block() -> None:
    """A long reply drops every block while it plays; the microphone is not dead when the
    first block after it comes a moment later (under load on a 2-core Pi)."""
    clock = FakeClock()
    gate = SpeakingGate(echo_s=0.0, clock=clock)
    with gate.speaking():
        pass  # the reply ended at 0 s
    clock.now = 0.1
    late = FakeSoundDevice(bytes(960), on_block=lambda index: threading.Event().wait(0.6))
    mic = Microphone(backend=late, gate=gate, timeout_s=0.3)
    blocks = mic.blocks()
    assert len(next(blocks)) == 960  # 0.6 s with no block, but only 0.1 s since the reply
    clock.now = 1.0
    with pytest.raises(DeviceError, match="no audio"):
        next(blocks)
    mic.close()


def test_play_holds_the_gate_and_reports_failures() -> None:
    backend = FakeSoundDevice()
    gate = SpeakingGate(echo_s=10.0)
    play(Audio(np.zeros(100, dtype=np.float32), 22050), gate=gate, backend=backend)
    assert backend.played == [(100, 22050)] and gate.is_speaking

    class Broken(FakeSoundDevice):
        def play(self, samples, rate) -> None:
            raise RuntimeError("no default output device")

    with pytest.raises(DeviceError, match="write a WAV with --out"):
        play(Audio(np.zeros(10, dtype=np.float32), 22050), backend=Broken())


def test_unopenable_microphone_is_a_device_error() -> None:
    class NoDevice:
        class RawInputStream:
            def __init__(self, **kwargs) -> None:
                raise RuntimeError("Invalid device")

    with pytest.raises(DeviceError, match="cannot open"):
        Microphone("usb", backend=NoDevice())
