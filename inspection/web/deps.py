"""Typed dependencies: settings, database session and the logged-in user (overridden in tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.models import User
from store.settings import Settings

USER_SESSION_KEY = "uid"
EPOCH_SESSION_KEY = "epoch"  # the user's session_epoch when this session logged in


class LoginRequired(Exception):
    """No valid login: pages redirect to /login, the API answers 401."""


def get_settings(request: Request) -> Settings:
    """The settings the app was made with."""
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    """The app's engine."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session per request; routes commit their own work, anything uncommitted is rolled back on close."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_current_user(request: Request, session: SessionDep) -> User:
    """The active user of this session's login, else LoginRequired."""
    user_id = request.session.get(USER_SESSION_KEY)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or request.session.get(EPOCH_SESSION_KEY) != user.session_epoch:
        # Unknown, deactivated, or logged out since this cookie was issued (a copy of an old cookie).
        request.session.pop(USER_SESSION_KEY, None)
        raise LoginRequired()
    # Detached: a rollback inside the request (a refused change) must not expire the user the error page
    # and the audit of the refusal still need.
    session.expunge(user)
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def client_ip(request: Request) -> str:
    """The peer address (a reverse proxy must be configured to pass the real one through uvicorn)."""
    return request.client.host if request.client else "unknown"
