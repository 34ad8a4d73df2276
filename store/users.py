"""Staff accounts: create, look up, authenticate."""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import select
from sqlmodel import Session, col

from store.audit import audit_append
from store.enums import Role
from store.models import User
from store.passwords import check_password_strength, hash_password, verify_password

_USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,63}$")
_REGION = re.compile(r"^\d{6}$")


class UserError(ValueError):
    """A user could not be created or changed; the message says why."""


def _validate(username: str, role: str, region_code: str, password: str) -> None:
    if not _USERNAME.match(username):
        raise UserError("username: 3-64 characters, lower-case letters, digits, '_', '.', '-'; letter first")
    if role not in Role.__members__:
        raise UserError(f"role: must be one of {', '.join(Role)} (got {role!r})")
    if not _REGION.match(region_code):
        raise UserError(f"region: a six-digit region code such as 320500 (got {region_code!r})")
    try:
        check_password_strength(password)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def user_create(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    region_code: str,
    display_name: str = "",
    language: str = "zh",
    created_by: str = "system",
) -> User:
    """Create an account (argon2 hash); refuse duplicates and invalid values with a clear message."""
    _validate(username, role, region_code, password)
    if user_by_name(session, username) is not None:
        raise UserError(f"username {username!r} is taken")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        region_code=region_code,
        language=language,
    )
    session.add(user)
    session.flush()
    audit_append(
        session,
        action="user.create",
        actor=created_by,
        object_type="user",
        object_id=user.id,
        details={"username": username, "role": role, "region": region_code},
    )
    return user


def user_by_name(session: Session, username: str) -> User | None:
    """The account named USERNAME, or None."""
    return session.execute(select(User).where(col(User.username) == username)).scalar_one_or_none()


def user_authenticate(session: Session, *, username: str, password: str) -> User | None:
    """The active account when USERNAME and PASSWORD match, else None."""
    user = user_by_name(session, username)
    if user is None or not user.active:
        verify_password(password, _dummy_hash())  # same cost whether or not the user exists
        return None
    return user if verify_password(password, user.password_hash) else None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("no-such-user-placeholder")
