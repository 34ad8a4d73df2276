"""Login (argon2) with throttling per account and per address, logout, password change, language."""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import update
from sqlmodel import Session, col
from starlette.responses import Response

from inspection.web.deps import (
    EPOCH_SESSION_KEY,
    USER_SESSION_KEY,
    CurrentUser,
    SessionDep,
    SettingsDep,
    client_ip,
)
from inspection.web.i18n import LANGUAGES
from inspection.web.security.throttle import (
    LoginPolicy,
    forget_attempt,
    refusal_for,
    reserve_attempt,
)
from inspection.web.templating import LANG_SESSION_KEY, render
from store.accounts.passwords import WeakPassword
from store.accounts.users import (
    WrongPassword,
    login_failures_clear,
    login_key,
    user_authenticate,
    user_change_password,
)
from store.audit import audit_append
from store.models import User

router = APIRouter(include_in_schema=False)

LOGIN_FAILED = "auth.login_failed"
LOGIN_REFUSED = "auth.login_refused"  # throttled: no password was checked
LOGIN_OK = "auth.login"
LOGOUT = "auth.logout"
PASSWORD_CHANGE_FAILED = "user.password_change_failed"


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would turn the login page into a phishing aid."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target if not urlsplit(target).netloc else "/"


@router.get("/login")
def login_page(request: Request, next: str = "/", changed: bool = False) -> Response:
    """The login form (with a notice after a password change)."""
    notice = "login.password_changed" if changed else None
    context = {"next": _safe_next(next), "error": None, "username": "", "notice": notice}
    return render(request, "login.html", context)


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Check the password unless the account or the address must wait; start a fresh session on success."""
    ip = client_ip(request)
    policy = LoginPolicy.from_settings(settings)
    attempt = reserve_attempt(session, username=username, ip=ip, policy=policy)
    refusal = refusal_for(session, attempt_id=attempt, policy=policy)
    if refusal is not None:
        forget_attempt(session, attempt_id=attempt)
        _audit_login(
            session, LOGIN_REFUSED, username, ip, reason=refusal.reason, wait_s=round(refusal.wait_s)
        )
        return _throttled(request, username, next, refusal.wait_s)
    user = user_authenticate(session, username=username, password=password)
    if user is None:
        _audit_login(session, LOGIN_FAILED, username, ip)  # the reserved row stays: it is the failure
        return _login_error(request, username, next, "login.failed", 401)
    login_failures_clear(session, username=username)
    _audit_login(session, LOGIN_OK, username, ip, user_id=user.id)
    request.session.clear()  # a new session (and CSRF token) on login: no fixation
    request.session[USER_SESSION_KEY] = user.id
    request.session[EPOCH_SESSION_KEY] = user.session_epoch
    return RedirectResponse(_safe_next(next), status_code=303)


def _audit_login(session: Session, action: str, username: str, ip: str, **details: object) -> None:
    user_id = details.pop("user_id", None)
    audit_append(
        session,
        action=action,
        actor_id=user_id if isinstance(user_id, int) else None,
        actor=username[:64],
        object_type="login",
        object_id=login_key(username),
        details={"username": username[:64], "ip": ip, **details},
    )
    session.commit()


def _login_error(request: Request, username: str, next: str, message: str, status: int) -> Response:
    context = {"next": _safe_next(next), "error": message, "username": username, "wait_s": 0}
    return render(request, "login.html", context, status_code=status)


def _throttled(request: Request, username: str, next: str, wait_s: float) -> Response:
    # The same words whether the account or the address must wait, and whether the user exists.
    wait = max(1, math.ceil(wait_s))
    context = {"next": _safe_next(next), "error": "login.throttled", "username": username, "wait_s": wait}
    response = render(request, "login.html", context, status_code=429)
    response.headers["retry-after"] = str(wait)
    return response


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


@router.get("/account/password")
def password_page(request: Request, user: CurrentUser) -> Response:
    """The form to change one's own password."""
    return render(request, "password.html", {"error": None, "wait_s": 0})


@router.post("/account/password")
def password_submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    current_password: Annotated[str, Form(max_length=256)],
    new_password: Annotated[str, Form(max_length=256)],
    new_password_again: Annotated[str, Form(max_length=256)],
) -> Response:
    """Change the password (current one required, throttled like logins), then end every session."""
    if new_password != new_password_again:
        return _password_error(request, "password.mismatch", 422)
    policy = LoginPolicy.from_settings(settings)
    attempt = reserve_attempt(session, username=user.username, ip=client_ip(request), policy=policy)
    refusal = refusal_for(session, attempt_id=attempt, policy=policy)
    if refusal is not None:
        forget_attempt(session, attempt_id=attempt)
        session.commit()
        return _password_error(request, "login.throttled", 429, wait_s=refusal.wait_s)
    try:
        user_change_password(session, user=user, current_password=current_password, new_password=new_password)
    except WrongPassword:  # the reserved row stays: a wrong current password counts as a failed login
        audit_append(
            session,
            action=PASSWORD_CHANGE_FAILED,
            actor_id=user.id,
            actor=user.username,
            object_type="user",
            object_id=user.id,
        )
        session.commit()
        return _password_error(request, "password.wrong_current", 400)
    except WeakPassword as weak:
        forget_attempt(session, attempt_id=attempt)
        session.commit()
        return _password_error(request, f"password.{weak.code}", 422)
    session.commit()
    request.session.clear()  # this session ended with all the others (the epoch moved on)
    return RedirectResponse("/login?changed=1", status_code=303)


def _password_error(request: Request, message: str, status: int, wait_s: float = 0) -> Response:
    wait = max(1, math.ceil(wait_s)) if wait_s else 0
    response = render(request, "password.html", {"error": message, "wait_s": wait}, status_code=status)
    if wait:
        response.headers["retry-after"] = str(wait)
    return response
