"""Security headers on every response and a session-bound CSRF token on every state change."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zhtext.pii import mask_text

CSRF_SESSION_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
# The raw crawled page: nothing may load or run, and only our own task page may frame it.
RAW_CSP = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"

BASE_HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class CsrfError(Exception):
    """A state-changing request came without the session's CSRF token."""


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response, keeping any a route set itself (raw pages)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in BASE_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (anonymous sessions get one for the login form)."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return str(token)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: refuse unsafe methods whose header or form token differs from the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_SESSION_KEY)
    sent = request.headers.get(CSRF_HEADER) or await _form_token(request)
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise CsrfError()


async def _form_token(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    try:
        form: Any = await request.form()  # cached: the route's Form parameters reuse it
    except Exception:  # a malformed body is a refusal, not a crash
        return None
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


class MaskPersonalData(logging.Filter):
    """Masks phones and ID numbers in a log record's arguments (uvicorn's access line holds the URL:
    an inspector searching `/?q=13912345678` must not leave the number in the server log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(mask_text(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        return True


def mask_access_log() -> None:
    """Install the masking filter on uvicorn's access logger (once per process)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, MaskPersonalData) for f in access.filters):
        access.addFilter(MaskPersonalData())
