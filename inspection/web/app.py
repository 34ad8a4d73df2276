"""The application factory: everything is built here, nothing at import time."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from inspection.web.errors import install_error_handlers
from inspection.web.security.headers import SecurityHeadersMiddleware, csrf_protect
from inspection.web.security.inputs import refuse_hostile_input
from inspection.web.templating import make_templates
from store.audit import AuditSeal, use_seal
from store.db import make_engine
from store.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "lw_session"


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The web app for SETTINGS on ENGINE (made from the settings' database URL when not given)."""
    from inspection.web import health
    from inspection.web.analyst import actions as analyst_actions
    from inspection.web.analyst import pages as analyst
    from inspection.web.api import routes as api
    from inspection.web.pages import documents, operations, overview, saved_filters
    from inspection.web.pages import tasks as pages
    from inspection.web.security import auth

    app = FastAPI(
        title="LabourWatch API",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI needs inline script and a CDN; the CSP allows neither
        redoc_url=None,
        dependencies=[Depends(csrf_protect), Depends(refuse_hostile_input)],
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.db_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    use_seal(app.state.engine, AuditSeal.from_settings(settings))
    app.state.templates = make_templates()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.session_cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(saved_filters.router)
    app.include_router(documents.router)
    app.include_router(overview.router)
    app.include_router(analyst_actions.router)  # before analyst: /analyst/models/rollback is no version
    app.include_router(analyst.router)
    app.include_router(operations.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app for the settings in the environment (uvicorn's --factory entry point)."""
    from inspection.web.security.headers import mask_access_log
    from store.settings import load_settings

    mask_access_log()
    return create_app(load_settings())
