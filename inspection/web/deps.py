"""Typed dependencies: settings, database session and the logged-in user (overridden in tests)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
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
    """The client's address: the peer, or what trusted proxies say in X-Forwarded-For.

    The header is read only when the peer is one of LABOURWATCH_TRUSTED_PROXIES (default none), right to
    left, skipping trusted proxies: anyone else can write any address into it.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = _trusted_networks(tuple(get_settings(request).trusted_proxies))
    if not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for line in request.headers.getlist("x-forwarded-for") for hop in line.split(",")]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop if _is_address(hop) else peer
    return peer


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(host: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)
