"""`hub serve` as a Rhasspy skill: a Rhasspy-shaped client on a real broker gets answers, dialogues, alarms."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path


from tests.hermes.conftest import CONTINUE, SAY, Broker, FakeRhasspy, ask, wait_for
from tests.hermes.test_malformed import MALFORMED_BY_TOPIC

ROOT = Path(__file__).resolve().parents[2]


def _serve(broker: Broker, tmp_path: Path, *, is_old_plan: bool) -> subprocess.Popen[str]:
    """Start `hub serve` on the beeping pump, its MQTT settings in settings.toml or (as before
    settings.toml) inside the care plan."""
    mqtt = f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {broker.port}\nsite_id = "nursery"\n'
    plan = tmp_path / "plan.toml"
    settings = tmp_path / "settings.toml"
    plan.write_text('name = "Sam"\n' + (mqtt if is_old_plan else ""), encoding="utf-8")
    settings.write_text(mqtt, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "hub", "-v", "serve", "--simulate", "--no-drivers", "--plan", str(plan),
         *([] if is_old_plan else ["--settings", str(settings)]),
         "--scenario", str(ROOT / "examples/scenarios/pump-beeping.yaml"), "--db", str(tmp_path / "hub.db"),
         "--for", "120"],
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(proc: subprocess.Popen[str]) -> str:
    """SIGTERM `proc`, as systemd stops the hub; return what it printed."""
    proc.send_signal(signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_hub_serve_answers_and_announces_over_hermes(broker: Broker, rhasspy: FakeRhasspy, tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    proc = _serve(broker, tmp_path, is_old_plan=False)
    try:
        # Speaking first: the beeping pump is announced on the hub's site, with an id to confirm.
        alarm = rhasspy.wait_message(SAY, lambda m: "beep" in m["text"].lower(), timeout_s=60)
        assert alarm["siteId"] == "nursery" and alarm["id"]
        # Answering: the same readings, in a session.
        reply = ask(rhasspy, "PumpStatus", site_id="nursery")
        assert "beep" in reply["text"].lower() and "212-639-2000" in reply["text"]
        first = ask(rhasspy, "DailyCheck", topic=CONTINUE, session_id="check", site_id="nursery")
        assert first["intentFilter"]
        # State for Home Assistant, retained and online.
        state = rhasspy.wait_message("hub/hub_nursery/state", lambda m: m["alarms"]["count"] >= 1, timeout_s=30)
        assert state["pump"]["beeping"] is True
        wait_for(lambda: any(t.startswith("homeassistant/sensor/hub_nursery/") for t, _, _ in rhasspy.received),
                 what="discovery")
        # Malformed payloads on every topic the daemon listens on: ignored, and it keeps answering.
        for topic, payloads in MALFORMED_BY_TOPIC.items():
            for payload in payloads[:12]:
                rhasspy.publish(topic, payload)
        for payload in (b"", b"{}", b'{"id": 7}', b"\xff"):
            rhasspy.publish("hermes/tts/sayFinished", payload)
        reply = ask(rhasspy, "WhoToCall", site_id="nursery")
        assert "212-639-2000" in reply["text"]
        assert proc.poll() is None, "hub serve died"
    finally:
        out = _stop(proc)
    assert proc.returncode == 0, out
    assert "Traceback" not in out, out
    assert "[mqtt] is device settings now" not in out, out
    assert out.count("Ignored a malformed Hermes message") >= 4 * 12 + 4, out
    wait_for(lambda: [b for t, b, _ in rhasspy.received if t == "hub/hub_nursery/availability"][-1:] == ["offline"],
             what="offline after the hub stops")


def test_an_old_single_file_plan_still_reaches_the_broker_and_says_to_move_mqtt(broker: Broker, rhasspy: FakeRhasspy,
                                                                                 tmp_path: Path) -> None:
    rhasspy.is_confirming_says = True
    proc = _serve(broker, tmp_path, is_old_plan=True)
    try:
        alarm = rhasspy.wait_message(SAY, lambda m: "beep" in m["text"].lower(), timeout_s=60)
        assert alarm["siteId"] == "nursery"
    finally:
        out = _stop(proc)
    assert proc.returncode == 0, out
    assert "[mqtt] is device settings now" in out and "move it to settings.toml" in out, out
    wait_for(lambda: [b for t, b, _ in rhasspy.received if t == "hub/hub_nursery/availability"][-1:] == ["offline"],
             what="offline after the hub stops")


def test_sigterm_with_stdin_open_stops_hub_serve_and_says_offline(broker: Broker, rhasspy: FakeRhasspy,
                                                                  tmp_path: Path) -> None:
    """systemd stops the hub with SIGTERM; nobody closes its stdin. It must still stop, saying "offline"."""
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[mqtt]\nenabled = true\nhost = "127.0.0.1"\nport = {broker.port}\nsite_id = "nursery"\n',
                        encoding="utf-8")
    rhasspy.is_confirming_says = True
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub", "serve", "--simulate", "--no-drivers", "--settings", str(settings),
         "--scenario", str(ROOT / "examples/scenarios/all-ok.yaml"), "--db", str(tmp_path / "hub.db")],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: [b for t, b, _ in rhasspy.received if t == "hub/hub_nursery/availability"][-1:] == ["online"],
                 what="the hub online", timeout_s=60)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)  # generous; stdin stays open throughout
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out
    assert "Traceback" not in out, out
    wait_for(lambda: [b for t, b, _ in rhasspy.received if t == "hub/hub_nursery/availability"][-1:] == ["offline"],
             what="offline after SIGTERM")
