"""`GET /healthz`: the app answers and its database does (for load balancers and tests)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from inspection.web.deps import SessionDep

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def health(session: SessionDep) -> JSONResponse:
    """200 {"status": "ok"} when a query runs, else 503 (no detail: anonymous callers)."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
