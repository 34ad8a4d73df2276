"""Staff accounts: create, look up, authenticate, change and reset passwords."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from store.accounts.passwords import WeakPassword, check_password_strength, hash_password, verify_password
from store.audit import audit_append
from store.enums import Role
from store.models import LoginFailure, User

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
        check_password_strength(password, username)
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


class WrongPassword(ValueError):
    """The current password given to change it is wrong."""


def user_change_password(session: Session, *, user: User, current_password: str, new_password: str) -> None:
    """USER's own change: the current password, the strength rule, then every session of USER ends."""
    if not verify_password(current_password, user.password_hash):
        raise WrongPassword("the current password is wrong")
    check_password_strength(new_password, user.username)
    if verify_password(new_password, user.password_hash):
        raise WeakPassword("unchanged", "the new password must differ from the current one")
    _set_password(session, user, new_password, action="user.password_change", actor=user.username)


def user_reset_password(session: Session, *, username: str, new_password: str, actor: str = "cli") -> User:
    """An administrator's reset of USERNAME's password: every session of the user ends."""
    user = user_by_name(session, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    try:
        check_password_strength(new_password, user.username)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    _set_password(session, user, new_password, action="user.password_reset", actor=actor)
    return user


def _set_password(session: Session, user: User, password: str, *, action: str, actor: str) -> None:
    # Bumping the epoch revokes every cookie issued before (inspection.web.deps checks it per request).
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(password_hash=hash_password(password), session_epoch=User.session_epoch + 1)
    )
    login_failures_clear(session, username=user.username)
    audit_append(
        session,
        action=action,
        actor_id=user.id if actor == user.username else None,
        actor=actor,
        object_type="user",
        object_id=user.id,
        details={"username": user.username, "sessions_revoked": True},
    )


def login_key(username: str) -> str:
    """The throttle key of a login name (case-folded, hashed: unknown names are throttled alike)."""
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:40]


def login_failures_clear(session: Session, *, username: str) -> None:
    """Start USERNAME's count of failed logins afresh (after a success or a new password)."""
    session.execute(delete(LoginFailure).where(col(LoginFailure.account_key) == login_key(username)))
