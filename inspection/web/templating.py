"""Jinja2 templates (autoescape always) with the per-request globals every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from inspection.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from inspection.web.render.present import beijing, region_label, risk_level, sla
from inspection.web.security.headers import csrf_token
from store.regions import region_name

TEMPLATES_DIR = Path(__file__).parent / "templates"
LANG_SESSION_KEY = "lang"


def request_language(request: Request) -> str:
    """The session's chosen language, else the user's own, else Chinese."""
    chosen = request.session.get(LANG_SESSION_KEY) if "session" in request.scope else None
    if chosen in LANGUAGES:
        return str(chosen)
    user = getattr(request.state, "user", None)
    return user.language if user is not None and user.language in LANGUAGES else DEFAULT_LANGUAGE


def _page_globals(request: Request) -> dict[str, Any]:
    lang = request_language(request)
    t = translator(lang)
    return {
        "lang": lang,
        "t": t,
        "sla": lambda due_at, status: sla(due_at, status, t),
        "risk_level": risk_level,
        "region_label": region_label,
        "csrf_token": csrf_token(request) if "session" in request.scope else "",
        "current_user": getattr(request.state, "user", None),
        "region_name": region_name,
    }


def make_templates() -> Jinja2Templates:
    """Templates whose environment escapes every value, whatever the file extension."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["bj"] = beijing
    return Jinja2Templates(env=env, context_processors=[_page_globals])


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """Render template NAME with CONTEXT (plus the page globals) as an HTML response."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
