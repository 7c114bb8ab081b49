"""Where the console listens: HOST:PORT checked before the hub starts, with one line saying what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.cli import main
from hub.web.server import WebError, parse_address


def test_default_is_this_machine_only() -> None:
    settings = parse_address("127.0.0.1:8470")
    assert (settings.host, settings.port, settings.is_tls, settings.url) == (
        "127.0.0.1", 8470, False, "http://127.0.0.1:8470/")


def test_a_lan_address_and_ipv6_are_accepted() -> None:
    assert parse_address("192.168.1.20:8470").host == "192.168.1.20"
    assert parse_address("[::1]:8470").url == "http://[::1]:8470/"


@pytest.mark.parametrize("text, says", [("8470", "HOST:PORT"), ("127.0.0.1:0", "HOST:PORT"),
                                        ("hub.local:8470", "not an IP address")])
def test_bad_address_says_what_to_give(text: str, says: str) -> None:
    with pytest.raises(WebError, match=says):
        parse_address(text)


def test_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    with pytest.raises(WebError, match="go together"):
        parse_address("127.0.0.1:8470", cert=cert)


def test_serve_with_a_bad_address_exits_2_before_starting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--simulate", "--db", str(tmp_path / "hub.db"), "--web", "somewhere:80"])
    err = capsys.readouterr().err
    assert code == 2 and "not an IP address" in err and err.count("\n") == 1
    assert not (tmp_path / "hub.db").exists()  # nothing was started


def test_hub_serve_web_serves_the_console_and_stops_on_sigterm(tmp_path: Path) -> None:
    """The console runs inside `hub serve`, and SIGTERM still stops the whole hub (uvicorn takes no signals)."""
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.web.conftest import free_port

    port = free_port()
    hub = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--simulate", "--db", str(tmp_path / "hub.db"),
                            "--web", f"127.0.0.1:{port}", "--for", "120"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    try:
        page = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not page:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
            except OSError:
                time.sleep(0.1)
        assert 'name="username"' in page and 'name="password"' in page
        hub.send_signal(signal.SIGTERM)
        assert hub.wait(15) == 0
    finally:
        if hub.poll() is None:
            hub.kill()
            hub.wait()
