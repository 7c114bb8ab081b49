"""The console as an ASGI application: its routes, its error pages, and its outer guards.

Each page is a plain async function of the request and the `Console` (hub.web.context);
all run on the daemon's event loop, so the SQLite connection is only ever used from
one thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from hub.web import auth, history, now, plan_page
from hub.web.context import Console
from hub.web.guard import BodyLimit, BodyTooLarge, SecurityHeaders

_LOGGER = logging.getLogger(__name__)
HERE = Path(__file__).parent

_MESSAGES = {
    401: ("Please log in", "This page needs you to log in first."),
    403: ("Not allowed", "Your account cannot do this. The care team edits the plan; a family account "
                         "sees the readings and acknowledges alarms."),
    404: ("Not found", "There is no page at this address."),
    405: ("Not allowed", "This address does not take that kind of request."),
    413: ("Too large", "That upload is too large."),
    500: ("Something went wrong", "The console could not show this page. The hub keeps watching the pump; "
                                  "the problem was written to the hub's log."),
}


def _error_page(request: Request, status: int, detail: str = "") -> Response:
    title, text = _MESSAGES.get(status, _MESSAGES[500])
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"title": title, "text": detail or text,
                                                              "user": None, "status": status},
                                      status_code=status)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _error_page(request, status)


async def _need_login(request: Request, exc: Exception) -> Response:
    if request.method == "GET":
        return RedirectResponse("/login", status_code=303)
    return _error_page(request, 401)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return _error_page(request, 403)


async def _csrf(request: Request, exc: Exception) -> Response:
    return _error_page(request, 403, "This form did not come from the console's own page (its security token is "
                                     "missing or stale), so it was refused. Reload the page and try again.")


async def _too_large(request: Request, exc: Exception) -> Response:
    kib = request.app.state.console.max_body_bytes // 1024
    return _error_page(request, 413, f"That upload is too large: the console takes at most {kib} KB.")


async def _crash(request: Request, exc: Exception) -> Response:
    _LOGGER.error("Console page %s failed", request.url.path, exc_info=exc)
    return _error_page(request, 500)


def build_app(console: Console) -> SecurityHeaders:
    """Return the console's ASGI application over `console`."""
    routes = [
        Route("/login", auth.login_page, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/", now.now_page, methods=["GET"]),
        Route("/acknowledge", now.acknowledge, methods=["POST"]),
        Route("/history", history.history_page, methods=["GET"]),
        Route("/report", history.report_page, methods=["GET"]),
        Route("/plan", plan_page.plan_page, methods=["GET"]),
        Route("/plan", plan_page.plan_post, methods=["POST"]),
        Route("/plan/ics", plan_page.ics_upload, methods=["POST"]),
        Route("/plan/ics/save", plan_page.ics_save, methods=["POST"]),
        Route("/plan/versions", plan_page.versions_page, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        HTTPException: _http_error, auth.NeedLogin: _need_login, auth.Forbidden: _forbidden,
        auth.CsrfRefused: _csrf, BodyTooLarge: _too_large, Exception: _crash})
    app.state.console = console
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    return SecurityHeaders(BodyLimit(app, max_bytes=console.max_body_bytes), is_tls=console.is_tls)
