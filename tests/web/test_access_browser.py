"""Who gets in, and what is refused: login and its rate limit, no session, CSRF, unknown URLs, big uploads."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hub.core.plan import load_plan
from tests.web.conftest import (NURSE, NURSE_PASSWORD, ConsoleServer, add_accounts, fixed_console, log_in,
                                screenshot)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 11, 24, 8, 0)


@pytest.fixture
def console(tmp_path: Path) -> Any:
    plan_path = tmp_path / "care-plan.toml"
    shutil.copy(EXAMPLES / "care-plan.toml", plan_path)
    shutil.copy(EXAMPLES / "appointments.ics", tmp_path / "appointments.ics")
    db_path = tmp_path / "hub.db"
    add_accounts(db_path)
    with ConsoleServer(db_path, fixed_console(db_path, NOW, plan_path=plan_path, max_body_bytes=64 * 1024)) as server:
        server.extra["plan_path"] = plan_path
        yield server


def test_wrong_password_is_refused_and_the_limit_is_said_then_reached(console: Any, page: Any) -> None:
    page.goto(console.url + "/login")
    assert "After 5 wrong passwords for one account" in page.locator(".note").first.inner_text()
    screenshot(page, "login")
    for _ in range(5):
        log_in(page, console.url, NURSE, "not the password")
        assert "Wrong account name or password" in page.locator(".error").inner_text()
        assert page.url.endswith("/login")
    log_in(page, console.url)  # the right password, but too late
    assert "Too many wrong passwords" in page.locator(".error").inner_text()
    assert page.url.endswith("/login")
    answer = console.call(lambda: console.console.audit.recent())
    assert [e.action for e in answer[:2]] == ["login refused", "login refused"]
    assert "rate limit" in answer[0].detail


def test_right_password_logs_in_with_strict_httponly_cookie(console: Any, page: Any) -> None:
    log_in(page, console.url)
    assert page.url == console.url + "/"
    cookie = next(c for c in page.context.cookies() if c["name"] == "hub_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.locator("header .who").inner_text() == "nurse (care-team)"
    assert console.call(lambda: console.console.audit.recent()[0].action) == "login"


@pytest.mark.parametrize("path", ["/", "/history", "/plan", "/report", "/plan/versions"])
def test_without_a_session_every_page_goes_to_login_and_shows_nothing(console: Any, page: Any, path: str) -> None:
    answer = page.goto(console.url + path)
    assert page.url.endswith("/login")
    body = page.content()
    assert "212-639-2000" not in body and "Sam" not in body
    assert answer is not None and answer.status == 200  # the login page, after a 303
    posted = page.request.post(console.url + "/acknowledge", form={"csrf": "x"}, max_redirects=0)
    assert posted.status == 401


def test_post_without_the_csrf_token_is_refused(console: Any, page: Any) -> None:
    log_in(page, console.url)
    before = console.extra["plan_path"].read_text()
    for form in ({"name": "Forged", "action": "save"}, {"name": "Forged", "action": "save", "csrf": "guess"}):
        answer = page.request.post(console.url + "/plan", form=form)
        assert answer.status == 403
        assert "did not come from the console" in answer.text()
    assert console.extra["plan_path"].read_text() == before
    login = page.request.post(console.url + "/login", form={"username": NURSE, "password": NURSE_PASSWORD})
    assert login.status == 403  # the login form has its own token


def test_every_page_carries_a_strict_content_security_policy(console: Any, page: Any) -> None:
    log_in(page, console.url)
    for path in ("/", "/history", "/plan", "/report", "/login", "/no-such-page"):
        answer = page.request.get(console.url + path)
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
        assert answer.headers["x-frame-options"] == "DENY"


def test_unknown_url_is_a_plain_404_page(console: Any, page: Any) -> None:
    answer = page.goto(console.url + "/etc/passwd")
    assert answer is not None and answer.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert "Traceback" not in page.content()


def test_oversized_upload_is_refused_with_the_limit(console: Any, page: Any, tmp_path: Path) -> None:
    big = tmp_path / "huge.ics"
    big.write_bytes(b"BEGIN:VCALENDAR\n" + b"X-PAD:" + b"a" * 100_000 + b"\nEND:VCALENDAR\n")
    log_in(page, console.url)
    page.goto(console.url + "/plan")
    page.set_input_files("#calendar", str(big))
    page.click("form.ics button")
    assert "too large" in page.content() and "64 KB" in page.content()
    assert load_plan(console.extra["plan_path"]).name == "Sam"


def test_logout_ends_the_session(console: Any, page: Any) -> None:
    log_in(page, console.url)
    page.click("form.logout button")
    assert page.url.endswith("/login")
    page.goto(console.url + "/history")
    assert page.url.endswith("/login")


def test_a_failing_page_says_so_without_a_traceback(tmp_path: Path, page: Any) -> None:
    db_path = tmp_path / "hub.db"
    add_accounts(db_path)

    def broken_plan() -> Any:
        raise RuntimeError("the plan vanished")

    make = fixed_console(db_path, NOW)

    def make_broken(server: Any) -> Any:
        console = make(server)
        console.plan = broken_plan
        return console

    with ConsoleServer(db_path, make_broken) as server:
        log_in(page, server.url)
        answer = page.goto(server.url + "/history")
        assert answer is not None and answer.status == 500
        assert page.locator("h1").inner_text() == "Something went wrong"
        assert "Traceback" not in page.content() and "vanished" not in page.content()
