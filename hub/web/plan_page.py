"""The Plan page (care team): every field of the plan in one form, an .ics import, a preview of
what the hub will say, and the saved versions with who saved them and what changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.core import phrases
from hub.core.calendar import parse_bag_changes
from hub.core.plan import CarePlan
from hub.errors import PlanError
from hub.store.accounts import Role, Session
from hub.store.plan_versions import text_sha
from hub.web.auth import checked_form, console_of, require
from hub.web.plan_file import Conflict, current_text, save_plan
from hub.web.plan_form import (FIELDS, check, field_of, plan_values, raw_from_text, read_form, to_toml,
                               with_device_tables)


def preview(plan: CarePlan, now: datetime) -> list[str]:
    """Return sentences the hub will say with `plan`: whom to call, when to come in, the bag change."""
    upcoming = [at for at in plan.bag_changes if at >= now]
    lines = [phrases.who_to_call(plan), phrases.call_now(plan), phrases.come_in(plan),
             phrases.infusion_stopped_long(plan), phrases.acknowledged_by_voice(plan)]
    if upcoming:
        lines.append(phrases.next_bag_change(upcoming[0], now))
    return lines


def _render(request: Request, session: Session, *, values: dict[str, str], errors: dict[str, str],
            base_sha: str, status: int = 200, **extra: Any) -> Response:
    console = console_of(request)
    context = {"user": session.user, "csrf": session.csrf, "fields": FIELDS, "values": values, "errors": errors,
               "base_sha": base_sha, "plan_path": console.plan_path,
               "can_edit": session.user.role is Role.CARE_TEAM and console.plan_path is not None,
               "preview": extra.pop("preview", None) or preview(console.plan(), console.now()),
               "versions": console.versions.all()[:20], "max_upload_kb": console.max_body_bytes // 1024,
               "saved": request.query_params.get("saved"), "ics_error": "", "conflict": None,
               "plan": console.plan()}
    context.update(extra)
    return request.app.state.templates.TemplateResponse(request, "plan.html", context, status_code=status)


def _base_sha(request: Request) -> str:
    path = console_of(request).plan_path
    return text_sha(current_text(path)) if path is not None else ""


async def plan_page(request: Request) -> Response:
    session = require(request)
    return _render(request, session, values=plan_values(console_of(request).plan()), errors={},
                   base_sha=_base_sha(request))


async def plan_post(request: Request) -> Response:
    session = require(request, Role.CARE_TEAM)
    form = await checked_form(request, session)
    console = console_of(request)
    values = {fld.key: str(form.get(fld.key, "")) for fld in FIELDS}
    base_sha = str(form.get("base_sha", ""))
    raw, errors = read_form(values)
    plan, problems = check(raw, "the form", console.plan())
    errors = {**problems, **errors}
    if errors or plan is None:
        return _render(request, session, values=values, errors=errors, base_sha=base_sha, status=400)
    if form.get("action") == "preview" or console.plan_path is None:
        return _render(request, session, values=values, errors={}, base_sha=base_sha,
                       preview=preview(plan, console.now()), is_preview=True)
    now = console.now()
    text = to_toml(with_device_tables(raw, current_text(console.plan_path)), who=session.user.name, at=now)
    try:
        result = save_plan(console.plan_path, text, base_sha=base_sha, who=session.user.name, at=now,
                           versions=console.versions, audit=console.audit)
    except PlanError as exc:
        return _render(request, session, values=values, errors={field_of(exc.field) or "": exc.problem},
                       base_sha=base_sha, status=400)
    if isinstance(result, Conflict):
        return _render(request, session, values=values, errors={}, base_sha=text_sha(result.theirs),
                       status=409, conflict=result)
    console.plan_saved()
    return RedirectResponse(f"/plan?saved={result.version_id}", status_code=303)


async def ics_upload(request: Request) -> Response:
    """List the appointments an uploaded .ics export holds; nothing is saved until they are confirmed."""
    session = require(request, Role.CARE_TEAM)
    form = await checked_form(request, session)
    console = console_of(request)
    plan = console.plan()
    upload = form.get("calendar")
    base: dict[str, Any] = dict(values=plan_values(plan), errors={}, base_sha=_base_sha(request))
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _render(request, session, status=400, ics_error="choose a .ics file exported from the clinic's "
                       "calendar", **base)
    data = await upload.read()
    try:
        found = parse_bag_changes(data, source=upload.filename, zone=ZoneInfo(plan.timezone))
    except PlanError as exc:
        return _render(request, session, status=400, ics_error=f"{exc.field}: {exc.problem}", **base)
    if not found:
        return _render(request, session, status=400, ics_error=f"{upload.filename}: no appointments found", **base)
    known = set(plan.bag_changes)
    return request.app.state.templates.TemplateResponse(request, "plan_ics.html", {
        "user": session.user, "csrf": session.csrf, "filename": upload.filename,
        "events": [(at, at in known) for at in found], "base_sha": base["base_sha"],
        "new_count": sum(1 for at in found if at not in known)})


async def ics_save(request: Request) -> Response:
    session = require(request, Role.CARE_TEAM)
    form = await checked_form(request, session)
    console = console_of(request)
    if console.plan_path is None:
        return RedirectResponse("/plan", status_code=303)
    try:
        found = [datetime.fromisoformat(line) for line in str(form.get("events", "")).split()]
    except ValueError:
        found = []
    path = console.plan_path
    base_sha = str(form.get("base_sha", ""))
    now = console.now()
    try:
        raw = raw_from_text(current_text(path), path.parent) if current_text(path) else {}
        raw["bag_changes"] = sorted(set(raw.get("bag_changes", [])) | set(found))
        result = save_plan(path, to_toml(raw, who=session.user.name, at=now), base_sha=base_sha,
                           who=session.user.name, at=now, versions=console.versions, audit=console.audit)
    except PlanError as exc:
        return _render(request, session, values=plan_values(console.plan()), errors={},
                       base_sha=_base_sha(request), status=400, ics_error=f"{exc.field}: {exc.problem}")
    if isinstance(result, Conflict):
        return _render(request, session, values=plan_values(console.plan()), errors={},
                       base_sha=text_sha(result.theirs), status=409, conflict=result)
    console.plan_saved()
    return RedirectResponse(f"/plan?saved={result.version_id}", status_code=303)


async def versions_page(request: Request) -> Response:
    session = require(request, Role.CARE_TEAM)
    console = console_of(request)
    return request.app.state.templates.TemplateResponse(request, "versions.html", {
        "user": session.user, "csrf": session.csrf, "versions": console.versions.all(),
        "audit": console.audit.recent()})
