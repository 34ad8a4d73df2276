"""What both analyst modules share: who may open the pages and act on models, the risk types shown, and the
one-time result notice of a model action."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from inspection.access import AccessDenied
from store.enums import RiskType, Role
from store.models import User

ANALYST_ROLES = frozenset({Role.analyst, Role.supervisor, Role.admin})
MODEL_ACTION_ROLES = frozenset({Role.analyst})
RISK_TYPES = tuple(r.value for r in RiskType)
NOTICE_KEY = "analyst_notice"


def require_role(user: User, roles: frozenset[Role]) -> None:
    """AccessDenied (a 404) unless USER has one of ROLES."""
    if Role(user.role) not in roles:
        raise AccessDenied(f"the {user.role} role may not open this page")


def set_notice(request: Request, ok: bool, text: str) -> None:
    """Keep the result message of a model action for the next page."""
    request.session[NOTICE_KEY] = {"ok": ok, "text": text}


def pop_notice(request: Request) -> dict[str, Any] | None:
    """The result message of the last model action (shown once)."""
    notice = request.session.pop(NOTICE_KEY, None)
    return notice if isinstance(notice, dict) else None
