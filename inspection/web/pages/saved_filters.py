"""Saved queue views (保存的筛选): a user's named filter sets, shown only to them as links above the queue.

Only the query string of the known queue parameters is stored, built from values the queue's own parsers
(inspection/web/filters.py) accepted; the name is plain text (autoescaped wherever it is shown). Saving and
deleting are audited (`filter.save`, `filter.delete`) like other changes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select
from sqlmodel import Session, col
from starlette.responses import Response

from inspection.access import NotFound
from inspection.views.queue_filter import QueueFilter
from inspection.web.deps import CurrentUser, SessionDep
from inspection.web.filters import Mine, ObjectId, ShowClosed, Sort, query_of, queue_filters
from inspection.web.i18n import translator
from inspection.web.security.inputs import InputRefused
from inspection.web.templating import request_language
from store.audit import audit_append
from store.models import SavedFilter, User

router = APIRouter(include_in_schema=False)

MAX_NAME = 40
MAX_PER_USER = 20
# The parameters a saved view may carry, in the order they are written.
QUERY_KEYS = ("risk_type", "region", "status", "q", "overdue_only", "mine", "closed", "sort")


@dataclass(frozen=True)
class SavedView:
    """One saved view as the queue shows it."""

    id: int
    name: str
    query: str


def view_query(filters: QueueFilter, *, closed: bool, sort: str) -> str:
    """The query string of parsed queue filters (only non-default values)."""
    pairs = query_of(filters) | ({"closed": "true"} if closed else {})
    if sort != "priority":
        pairs["sort"] = sort
    return urlencode([(key, pairs[key]) for key in QUERY_KEYS if key in pairs])


def clean_query(text: str) -> str:
    """TEXT re-read keeping only the known parameters (a stored row never adds anything else to a link)."""
    return urlencode([(k, v) for k, v in parse_qsl(text) if k in QUERY_KEYS])


def clean_name(raw: str, refused: str) -> str:
    """RAW with spaces collapsed; InputRefused(REFUSED) when empty, too long or holding control characters."""
    if any(unicodedata.category(ch).startswith("C") for ch in raw):  # controls, bidi and zero-width marks
        raise InputRefused("name", refused)
    name = " ".join(raw.split())
    if not name or len(name) > MAX_NAME:
        raise InputRefused("name", refused)
    return name


def views_of(session: Session, user: User) -> list[SavedView]:
    """USER's saved views, by name (never anyone else's)."""
    rows = session.execute(
        select(SavedFilter).where(col(SavedFilter.user_id) == user.id).order_by(col(SavedFilter.name))
    ).scalars()
    return [SavedView(row.id or 0, row.name, clean_query(row.query)) for row in rows]


def save_view(session: Session, user: User, name: str, query: str) -> tuple[SavedFilter, bool]:
    """Store (or, under the same name, replace) USER's view; True when it is new. Audited."""
    row = session.execute(
        select(SavedFilter).where(col(SavedFilter.user_id) == user.id, col(SavedFilter.name) == name)
    ).scalar_one_or_none()
    created = row is None
    if row is None:
        row = SavedFilter(user_id=user.id or 0, name=name, query=query)
    row.query = query
    session.add(row)
    session.flush()
    audit_append(
        session,
        action="filter.save",
        actor_id=user.id,
        actor=user.username,
        object_type="saved_filter",
        object_id=str(row.id),
        details={"name": name, "query": query, "replaced": not created},
    )
    return row, created


def delete_view(session: Session, user: User, view_id: int) -> str:
    """Delete USER's view VIEW_ID (NotFound for anyone else's); its name. Audited."""
    row = session.get(SavedFilter, view_id)
    if row is None or row.user_id != user.id:
        raise NotFound("no such saved filter")
    name = row.name
    session.delete(row)
    audit_append(
        session,
        action="filter.delete",
        actor_id=user.id,
        actor=user.username,
        object_type="saved_filter",
        object_id=str(view_id),
        details={"name": name},
    )
    return name


def _count(session: Session, user: User) -> int:
    statement = select(func.count()).select_from(SavedFilter).where(col(SavedFilter.user_id) == user.id)
    return int(session.execute(statement).scalar_one())


@router.post("/filters")
def save_filter(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    filters: Annotated[QueueFilter, Depends(queue_filters)],
    name: Annotated[str, Form(max_length=200)] = "",
    mine: Mine = False,
    closed: ShowClosed = False,
    sort: Sort = "priority",
) -> Response:
    """Save the queue's current filters (the form's query string) under NAME; back to that queue."""
    t = translator(request_language(request))
    clean = clean_name(name, t("saved.invalid_name").format(MAX_NAME))
    query = view_query(replace(filters, assigned_to_me=mine), closed=closed, sort=sort)
    existing = {view.name for view in views_of(session, user)}
    if clean not in existing and _count(session, user) >= MAX_PER_USER:
        raise InputRefused("name", t("saved.too_many").format(MAX_PER_USER))
    save_view(session, user, clean, query)
    session.commit()
    request.session["queue_notice"] = t("saved.done").format(clean)
    return RedirectResponse(f"/?{query}" if query else "/", status_code=303)


@router.post("/filters/{view_id}/delete")
def delete_filter(request: Request, session: SessionDep, user: CurrentUser, view_id: ObjectId) -> Response:
    """Delete one of the user's saved views; back to the queue with a notice."""
    name = delete_view(session, user, view_id)
    session.commit()
    request.session["queue_notice"] = translator(request_language(request))("saved.deleted").format(name)
    return RedirectResponse("/", status_code=303)
