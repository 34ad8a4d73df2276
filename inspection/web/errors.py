"""Errors as a friendly page or a JSON body, never a traceback; refused access is audited."""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from inspection.access import AccessDenied, NotFound
from inspection.tasks.workflow import StaleTaskError, WorkflowError
from inspection.web.deps import LoginRequired
from inspection.web.i18n import translate
from inspection.web.pages.shaping import ExportThrottled
from inspection.web.render.messages import field_names, service_message
from inspection.web.security.headers import BASE_HEADERS, CsrfError
from inspection.web.security.inputs import InputRefused
from inspection.web.templating import render, request_language
from store.audit import audit_append
from store.db import session_scope
from store.errors import describe_database_error

log = logging.getLogger(__name__)

MESSAGE_KEYS = {400: "error.invalid", 403: "error.forbidden", 404: "error.not_found", 422: "error.invalid"}


def wants_json(request: Request) -> bool:
    """API paths answer JSON; pages answer HTML."""
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, detail: str, message_key: str | None = None) -> Response:
    """The error as JSON for the API, or as the error page."""
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    key = message_key or MESSAGE_KEYS.get(status, "error.server")
    detail = service_message(detail, request_language(request))
    return render(request, "error.html", {"status": status, "message_key": key, "detail": detail}, status)


def audit_denied(request: Request, reason: str) -> None:
    """Record a refused access in its own transaction (the request's own work is rolled back)."""
    user = getattr(request.state, "user", None)
    with session_scope(request.app.state.engine) as session:
        audit_append(
            session,
            action="access.denied",
            actor_id=user.id if user else None,
            actor=user.username if user else "anonymous",
            object_type="path",
            object_id=request.url.path[:40],
            details={"method": request.method, "path": request.url.path, "reason": reason[:300]},
        )


async def _login_required(request: Request, _exc: Exception) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": "login required"}, status_code=401)
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


async def _access_denied(request: Request, exc: Exception) -> Response:
    # 404, not 403: someone editing URLs learns nothing about objects outside their remit.
    audit_denied(request, str(exc))
    return error_response(request, 404, "not found")


async def _not_found(request: Request, _exc: Exception) -> Response:
    return error_response(request, 404, "not found")


async def _csrf(request: Request, _exc: Exception) -> Response:
    audit_denied(request, "missing or wrong CSRF token")
    return error_response(request, 403, "CSRF token missing or wrong", "error.csrf")


async def _stale(request: Request, exc: Exception) -> Response:
    return error_response(request, 409, str(exc))


async def _workflow(request: Request, exc: Exception) -> Response:
    return error_response(request, 409, str(exc), "error.invalid")


async def _export_throttled(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ExportThrottled)
    audit_denied(request, "export limit reached")
    response = error_response(request, 429, "too many exports, retry later", "error.export_throttled")
    response.headers["retry-after"] = str(max(1, math.ceil(exc.wait_s)))
    return response


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail))


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        errors: Any = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
    fields = [str(e.get("loc", ("", ""))[-1]) for e in exc.errors()]
    detail = translate("error.fields", request_language(request)).format(
        field_names(fields, request_language(request))
    )
    return error_response(request, 422, detail)


async def _refused_input(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputRefused)
    if wants_json(request):
        return JSONResponse({"detail": str(exc), "field": exc.field}, status_code=422)
    return error_response(request, 422, str(exc))


async def _bad_value(request: Request, exc: Exception) -> Response:
    # A value the database refuses (a NUL byte in a form field, an out-of-range number) is the client's error.
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path, str(exc)[:200])
    return error_response(request, 422, "invalid value")


async def _database_down(request: Request, exc: Exception) -> Response:
    # Down, read-only or full: say so (503, retry later) instead of a 500; the request's work was rolled back.
    assert isinstance(exc, OperationalError | InterfaceError)
    log.error(
        "database unavailable on %s %s: %s", request.method, request.url.path, describe_database_error(exc)
    )
    if wants_json(request):
        response: Response = JSONResponse(
            {"detail": "database unavailable, try again later"}, status_code=503
        )
    else:
        context = {"status": 503, "message_key": "error.unavailable", "detail": ""}
        response = render(request, "error.html", context, 503)
    response.headers.update(BASE_HEADERS)
    response.headers["cache-control"] = "no-store"
    response.headers["retry-after"] = "30"
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OperationalError | InterfaceError):  # raised outside the routes (middleware, deps)
        return await _database_down(request, exc)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if wants_json(request):
        response: Response = JSONResponse({"detail": "internal error"}, status_code=500)
    else:
        context = {"status": 500, "message_key": "error.server", "detail": ""}
        response = render(request, "error.html", context, 500)
    # This handler runs outside the middleware stack, so it adds the security headers itself.
    response.headers.update(BASE_HEADERS)
    response.headers["cache-control"] = "no-store"  # a stack of errors must not sit in a shared cache
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler on APP."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(AccessDenied, _access_denied)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(CsrfError, _csrf)
    app.add_exception_handler(ExportThrottled, _export_throttled)
    app.add_exception_handler(StaleTaskError, _stale)
    app.add_exception_handler(WorkflowError, _workflow)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(InputRefused, _refused_input)
    app.add_exception_handler(DataError, _bad_value)
    app.add_exception_handler(OperationalError, _database_down)
    app.add_exception_handler(InterfaceError, _database_down)
    app.add_exception_handler(Exception, _server_error)
