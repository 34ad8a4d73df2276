"""Fixtures for the inspection services."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from store.models import User
from tests.rows import make_users


@pytest.fixture
def users(session: Session) -> dict[str, User]:
    """One account per role and region of interest."""
    made = make_users(session)
    session.commit()
    return made
