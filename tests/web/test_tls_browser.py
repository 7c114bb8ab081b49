"""The console over TLS with a certificate the installer made: https only, Secure cookies, HSTS."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import ConsoleServer, add_accounts, fixed_console, log_in


def test_with_a_certificate_the_session_cookie_is_secure(tmp_path: Path, browser: Any) -> None:
    cert, key = tmp_path / "console.crt", tmp_path / "console.key"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("openssl could not make a certificate")
    db_path = tmp_path / "hub.db"
    add_accounts(db_path)
    make = fixed_console(db_path, datetime(2026, 11, 24, 8, 0), is_tls=True)
    with ConsoleServer(db_path, make, cert=cert, key=key) as server:
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        try:
            assert server.url.startswith("https://")
            log_in(page, server.url)
            assert page.url == server.url + "/"
            cookie = next(c for c in context.cookies() if c["name"] == "hub_session")
            assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            answer = page.request.get(server.url + "/")
            assert "max-age" in answer.headers["strict-transport-security"]
        finally:
            context.close()
