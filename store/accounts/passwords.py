"""Argon2 password hashing (pwdlib)."""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # the login form's limit
MIN_DISTINCT_CHARACTERS = 5


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


class WeakPassword(ValueError):
    """A password the strength rule refuses; CODE names the rule (pages show it in Chinese)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_password_strength(password: str, username: str = "") -> None:
    """Raise WeakPassword when PASSWORD is too weak to accept (for USERNAME, when given)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword("too_short", f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword("too_long", f"password may have at most {MAX_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise WeakPassword("one_kind", "password must mix letters with digits or symbols")
    if len(username) >= 3 and username.casefold() in password.casefold():
        raise WeakPassword("contains_username", "password must not contain the username")
    if len(set(password.casefold())) < MIN_DISTINCT_CHARACTERS:
        raise WeakPassword("too_simple", "password is too simple (too few different characters)")
