"""Login (argon2), throttling per username and IP, logout and the language switch."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select, update
from sqlmodel import Session, col
from starlette.responses import Response

from inspection.web.deps import EPOCH_SESSION_KEY, USER_SESSION_KEY, SessionDep, SettingsDep, client_ip
from inspection.web.i18n import LANGUAGES
from inspection.web.templating import LANG_SESSION_KEY, render
from store.audit import audit_append
from store.models import AuditEvent, User
from store.types import utcnow
from store.users import user_authenticate

router = APIRouter(include_in_schema=False)

LOGIN_FAILED = "auth.login_failed"
LOGIN_OK = "auth.login"
LOGOUT = "auth.logout"


def throttle_key(username: str, ip: str) -> str:
    """The audit object id that groups attempts on one username from one address."""
    return hashlib.sha256(f"{username.lower()}\x00{ip}".encode()).hexdigest()[:40]


def recent_failures(session: Session, *, key: str, window_s: int) -> int:
    """Failed logins for KEY within the window and since its last success (counted in the audit log)."""
    since = utcnow() - timedelta(seconds=window_s)
    last_ok = session.execute(
        select(func.max(col(AuditEvent.at))).where(
            col(AuditEvent.action) == LOGIN_OK, col(AuditEvent.object_id) == key
        )
    ).scalar()
    if last_ok is not None and last_ok > since:
        since = last_ok
    statement = select(func.count()).where(
        col(AuditEvent.action) == LOGIN_FAILED, col(AuditEvent.object_id) == key, col(AuditEvent.at) >= since
    )
    return int(session.execute(statement).scalar() or 0)


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would turn the login page into a phishing aid."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target if not urlsplit(target).netloc else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    """The login form."""
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the password unless this username+IP is throttled; start a fresh session on success."""
    ip = client_ip(request)
    key = throttle_key(username, ip)
    if recent_failures(session, key=key, window_s=settings.login_window_s) >= settings.login_max_failures:
        _audit_login(session, LOGIN_FAILED, key, username, ip, throttled=True)
        return _login_error(request, username, next, "login.throttled", 429)
    user = user_authenticate(session, username=username, password=password)
    if user is None:
        _audit_login(session, LOGIN_FAILED, key, username, ip, throttled=False)
        return _login_error(request, username, next, "login.failed", 401)
    _audit_login(session, LOGIN_OK, key, username, ip, user_id=user.id)
    request.session.clear()  # a new session (and CSRF token) on login: no fixation
    request.session[USER_SESSION_KEY] = user.id
    request.session[EPOCH_SESSION_KEY] = user.session_epoch
    return RedirectResponse(_safe_next(next), status_code=303)


def _audit_login(session: Session, action: str, key: str, username: str, ip: str, **details: object) -> None:
    user_id = details.pop("user_id", None)
    audit_append(
        session,
        action=action,
        actor_id=user_id if isinstance(user_id, int) else None,
        actor=username[:64],
        object_type="login",
        object_id=key,
        details={"username": username[:64], "ip": ip, **details},
    )
    session.commit()


def _login_error(request: Request, username: str, next: str, message: str, status: int) -> Response:
    context = {"next": _safe_next(next), "error": message, "username": username}
    return render(request, "login.html", context, status_code=status)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    """End the session, and revoke every cookie this user was issued before (copies included)."""
    user_id = request.session.get(USER_SESSION_KEY)
    epoch = request.session.get(EPOCH_SESSION_KEY)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and epoch == user.session_epoch:
        session.execute(
            update(User).where(col(User.id) == user.id).values(session_epoch=User.session_epoch + 1)
        )
        audit_append(
            session,
            action=LOGOUT,
            actor_id=user.id,
            actor=user.username,
            object_type="user",
            object_id=str(user.id),
        )
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/lang")
def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=2)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Remember the chosen UI language for this session."""
    if lang in LANGUAGES:
        request.session[LANG_SESSION_KEY] = lang
    return RedirectResponse(_safe_next(next), status_code=303)
