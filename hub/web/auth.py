"""Logging in and out, sessions in cookies, and the CSRF token every form carries.

Cookies are HttpOnly and SameSite=Strict, and Secure when the console runs with TLS.
A logged-in form carries the session's own token; the login form, having no session
yet, carries a token that must match a cookie set with the page (double submit).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.store.accounts import Role, Session
from hub.store.audit import AuditAction
from hub.web.context import SESSION_LIFETIME_S, Console
from hub.web.passwords import verify_password

_LOGGER = logging.getLogger(__name__)

SESSION_COOKIE = "hub_session"
LOGIN_COOKIE = "hub_login"


class NeedLogin(Exception):
    """No live session: a page answers with a redirect to /login, anything else with 401."""


class Forbidden(Exception):
    """The account's role may not do this (the family editing the plan)."""


class CsrfRefused(Exception):
    """A form post without the page's token: not sent from the console's own page."""


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


def current_session(request: Request) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return console_of(request).accounts.session(token, console_of(request).wall_s())


def require(request: Request, role: Role | None = None) -> Session:
    """Return the request's session, or raise NeedLogin / Forbidden."""
    session = current_session(request)
    if session is None:
        raise NeedLogin()
    if role is not None and session.user.role is not role:
        raise Forbidden()
    return session


async def checked_form(request: Request, session: Session) -> FormData:
    """Return the posted form if it carries the session's CSRF token, else raise CsrfRefused."""
    form = await request.form()
    if not _same(form.get("csrf"), session.csrf):
        raise CsrfRefused()
    return form


def _same(sent: Any, expected: str) -> bool:
    return isinstance(sent, str) and bool(sent) and hmac.compare_digest(sent.encode(), expected.encode())


def set_cookie(response: Response, console: Console, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=console.is_tls)


async def login_page(request: Request) -> Response:
    if current_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return _login_form(request)


def _login_form(request: Request, error: str = "", status: int = 200) -> Response:
    console = console_of(request)
    token = secrets.token_urlsafe(32)
    response = request.app.state.templates.TemplateResponse(
        request, "login.html", {"csrf": token, "error": error, "limit": console.login_limit.describe(),
                                "user": None}, status_code=status)
    set_cookie(response, console, LOGIN_COOKIE, token, 3600)
    return response


async def login(request: Request) -> Response:
    console = console_of(request)
    form = await request.form()
    if not _same(form.get("csrf"), request.cookies.get(LOGIN_COOKIE, "")):
        raise CsrfRefused()
    name, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    address = request.client.host if request.client else "unknown"
    if console.limiter.is_blocked(address, name):
        console.audit.add(console.now(), name or "-", AuditAction.LOGIN_REFUSED, f"rate limit, from {address}")
        return _login_form(request, "Too many wrong passwords. " + console.login_limit.describe(), 429)
    user = console.accounts.get(name) if name else None
    # argon2 takes a few tens of milliseconds: off the loop, so the daemon keeps ticking.
    is_ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
    if user is None or not is_ok:
        console.limiter.fail(address, name)
        console.audit.add(console.now(), name or "-", AuditAction.LOGIN_REFUSED, f"wrong password, from {address}")
        _LOGGER.warning("Console login refused for %r from %s", name, address)
        return _login_form(request, "Wrong account name or password.", 401)
    console.limiter.succeed(name)
    token, _ = console.accounts.open_session(user, console.wall_s(), SESSION_LIFETIME_S)
    console.audit.add(console.now(), user.name, AuditAction.LOGIN, f"from {address}")
    _LOGGER.info("Console login: %s (%s) from %s", user.name, user.role.value, address)
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, console, SESSION_COOKIE, token, int(SESSION_LIFETIME_S))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


async def logout(request: Request) -> Response:
    session = require(request)
    await checked_form(request, session)
    console = console_of(request)
    console.accounts.close_session(request.cookies.get(SESSION_COOKIE, ""))
    console.audit.add(console.now(), session.user.name, AuditAction.LOGOUT)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
