"""`hub serve --web`: the command line wins, the device settings' [web] fill in what it leaves out."""

from __future__ import annotations

import argparse
from pathlib import Path

from hub.commands.console import web_settings
from hub.settings import DeviceSettings, Web


def args(web: str | None, cert: Path | None = None, key: Path | None = None) -> argparse.Namespace:
    return argparse.Namespace(web=web, web_cert=cert, web_key=key)


def test_no_web_flag_no_console() -> None:
    assert web_settings(args(None), DeviceSettings(web=Web(bind="0.0.0.0:8470"))) is None


def test_bare_web_uses_the_settings_address_and_certificate(tmp_path: Path) -> None:
    (tmp_path / "c.pem").write_text("x")
    (tmp_path / "k.pem").write_text("x")
    device = DeviceSettings(web=Web(bind="192.168.1.20:8443", cert_file="c.pem", key_file="k.pem"),
                            source=str(tmp_path / "settings.toml"))
    settings = web_settings(args(""), device)
    assert settings is not None and settings.url == "https://192.168.1.20:8443/"
    assert settings.cert == tmp_path / "c.pem"


def test_default_settings_listen_on_this_machine_only() -> None:
    settings = web_settings(args(""), DeviceSettings())
    assert settings is not None and settings.url == "http://127.0.0.1:8470/"


def test_an_address_on_the_command_line_wins() -> None:
    settings = web_settings(args("127.0.0.1:9000"), DeviceSettings(web=Web(bind="0.0.0.0:8470")))
    assert settings is not None and (settings.host, settings.port) == ("127.0.0.1", 9000)
