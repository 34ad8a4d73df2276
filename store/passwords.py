"""Argon2 password hashing (pwdlib)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash

MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    """An Argon2id hash of PASSWORD."""
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    """True when PASSWORD matches HASHED; False for any malformed hash."""
    try:
        return bool(_hasher().verify(password, hashed))
    except Exception:  # a corrupt or foreign hash is a failed login, never a crash
        return False


def check_password_strength(password: str) -> None:
    """Raise ValueError when PASSWORD is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise ValueError("password must mix letters with digits or symbols")
