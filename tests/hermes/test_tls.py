"""MQTT over TLS against a real Mosquitto with its own throwaway CA: connects with `ca_file`
(and a client certificate), and says clearly in the log when TLS fails."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from hub.hermes.client import MqttClient
from hub.settings import parse_settings
from tests.hermes.conftest import Broker, find_mosquitto, wait_for


def _openssl(*args: str, cwd: Path) -> None:
    tool = shutil.which("openssl") or pytest.fail("openssl is missing (Debian package openssl)", pytrace=False)
    subprocess.run([tool, *args], cwd=cwd, check=True, capture_output=True)


def _issue(folder: Path, name: str, subject: str, ca: str, extensions: str) -> None:
    """Make `name`.key and `name`.pem, signed by the CA named `ca`."""
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{name}.key",
             "-out", f"{name}.csr", "-subj", subject, cwd=folder)
    (folder / f"{name}.ext").write_text(extensions, encoding="utf-8")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
             "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=folder)


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> Path:
    """A home CA with a broker certificate for 127.0.0.1 and a client certificate for the hub,
    and a second CA that signed nothing the broker uses."""
    folder = tmp_path_factory.mktemp("pki")
    for ca in ("ca", "other-ca"):
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "2", "-subj", f"/CN=hub test {ca}",
                 cwd=folder)
    _issue(folder, "broker", "/CN=127.0.0.1", "ca", "subjectAltName=IP:127.0.0.1\n")
    _issue(folder, "hub", "/CN=hub", "ca", "extendedKeyUsage=clientAuth\n")
    return folder


def _tls_broker(workdir: Path, pki: Path, *, require_certificate: bool) -> Broker:
    extra = (f"cafile {pki / 'ca.pem'}\ncertfile {pki / 'broker.pem'}\nkeyfile {pki / 'broker.key'}\n"
             f"require_certificate {'true' if require_certificate else 'false'}\n")
    broker = Broker(find_mosquitto(), workdir, listener_extra=extra)
    broker.start()
    return broker


def _settings(broker: Broker, settings_dir: Path, **mqtt: object):
    raw = {"mqtt": {"enabled": True, "host": "127.0.0.1", "port": broker.port, "tls": True, **mqtt}}
    return parse_settings(raw, source=str(settings_dir / "settings.toml"), base_dir=settings_dir).mqtt


def _round_trip(client: MqttClient) -> None:
    got = threading.Event()
    client.subscribe("hub-test/echo", lambda topic, payload: got.set())
    assert client.wait_connected(20), "no TLS connection"
    client.publish("hub-test/echo", "hello")
    wait_for(got.is_set, what="the message back over TLS")


def test_a_broker_with_its_own_ca_is_reached_with_ca_file(tmp_path: Path, pki: Path) -> None:
    broker = _tls_broker(tmp_path, pki, require_certificate=False)
    client = MqttClient(_settings(broker, pki, ca_file="ca.pem"), client_id=f"hub-{uuid.uuid4().hex[:6]}")
    try:
        client.start()
        _round_trip(client)
    finally:
        client.stop()
        broker.stop()


def test_a_broker_that_asks_for_a_client_certificate_gets_the_hubs(tmp_path: Path, pki: Path) -> None:
    broker = _tls_broker(tmp_path, pki, require_certificate=True)
    settings = _settings(broker, pki, ca_file="ca.pem", cert_file="hub.pem", key_file="hub.key")
    assert Path(settings.cert_file).is_absolute(), "relative paths are taken from the settings file's folder"
    client = MqttClient(settings, client_id=f"hub-{uuid.uuid4().hex[:6]}")
    try:
        client.start()
        _round_trip(client)
    finally:
        client.stop()
        broker.stop()


@pytest.mark.parametrize("ca_file", ["", "other-ca.pem"], ids=["system-cas", "wrong-ca"])
def test_a_certificate_the_hub_cannot_trust_is_logged_as_a_tls_failure(tmp_path: Path, pki: Path, caplog,
                                                                       ca_file: str) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    broker = _tls_broker(tmp_path, pki, require_certificate=False)
    client = MqttClient(_settings(broker, pki, ca_file=ca_file), client_id=f"hub-{uuid.uuid4().hex[:6]}")
    try:
        client.start()
        wait_for(lambda: any("TLS with the MQTT broker" in r.getMessage() for r in caplog.records),
                 what="the TLS failure in the log")
        assert not client.is_connected
        (line,) = {r.getMessage() for r in caplog.records if "TLS with the MQTT broker" in r.getMessage()}
        assert "certificate verify failed" in line and "ca_file" in line
    finally:
        client.stop()
        broker.stop()


def test_an_unreadable_ca_file_is_logged_and_the_hub_runs_on_without_the_broker(tmp_path: Path, pki: Path,
                                                                                caplog) -> None:
    caplog.set_level(logging.ERROR, logger="hub.hermes")
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate\n", encoding="utf-8")
    settings = replace(_settings(Broker(find_mosquitto(), tmp_path), pki, ca_file="ca.pem"), ca_file=str(broken))
    client = MqttClient(settings, client_id="hub-broken-ca")
    client.start()
    assert not client.wait_connected(0.5)
    client.stop()
    assert any("MQTT TLS cannot be set up" in r.getMessage() for r in caplog.records)
