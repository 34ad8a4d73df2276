"""Model actions on the analyst pages: compare a version with the champion, promote it, roll back.

The same services as `labourwatch model compare/promote/rollback` (risk_model.ops.compare.model_compare,
risk_model.ops.registry.model_promote and model_rollback), so the promotion gate and the forced promotion
with a reason behave exactly as on the command line. Analysts only (README: analysts retrain, compare,
promote and roll back models); anyone else gets 404 like every remit check. POST forms with the CSRF
token, a confirmation in the page, a Chinese result message; every action is audited (promote and
rollback by the services, compare and refusals here).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.responses import Response

from inspection.web.analyst.common import MODEL_ACTION_ROLES, RISK_TYPES, require_role, set_notice
from inspection.web.deps import CurrentUser, SessionDep, SettingsDep
from inspection.web.i18n import translator
from inspection.web.render.messages import service_message
from inspection.web.templating import render, request_language
from store.audit import audit_append
from store.models import ModelVersion, User
from store.settings import Settings

router = APIRouter(include_in_schema=False)

COMPARE_METRICS = ("roc_auc", "average_precision", "f1", "brier")
Confirm = Annotated[str, Form(pattern=r"^yes$")]


def _version_or_none(session: Session, name: str) -> ModelVersion | None:
    from risk_model.ops.registry import PromotionError, version_by_name

    try:
        return version_by_name(session, name)
    except PromotionError:
        return None


def _audit(session: Session, user: User, action: str, version: str, details: dict[str, Any]) -> None:
    audit_append(
        session,
        action=action,
        actor_id=user.id,
        actor=user.username,
        object_type="model_version",
        object_id=version[:40],
        details={"version": version, **details},
    )


def refusal_text(session: Session, error: Exception, version: str, settings: Settings, lang: str) -> str:
    """Why a promotion or rollback was refused, in LANG (regressions listed per risk type and metric)."""
    from risk_model.ops.registry import champion, regressions

    t = translator(lang)
    if "regresses against champion" not in str(error):
        if isinstance(error, ValueError) and type(error).__name__ in {"UnsafeModelError", "StaleModelError"}:
            return t("model_action.unloadable")
        return service_message(str(error), lang)
    candidate, current = _version_or_none(session, version), champion(session)
    if candidate is None or current is None:
        return service_message(str(error), lang)
    found = regressions(candidate.metrics, current.metrics, settings.model_promotion_tolerance)
    listed = "；".join(
        f"{t('risk.' + r.risk_type)} {t('metric.' + r.metric)} {r.champion:.4f} → {r.candidate:.4f}"
        for r in found
    )
    return t("model_action.regresses").format(current.version, listed)


@router.post("/analyst/models/{version}/promote")
def promote(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    version: str,
    confirm: Confirm,
    force: Annotated[bool, Form()] = False,
    force_reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Make VERSION the champion through the promotion gate; forced only with a reason (audited)."""
    require_role(user, MODEL_ACTION_ROLES)
    from risk_model.model.model_files import StaleModelError, UnsafeModelError
    from risk_model.ops.registry import PromotionError, model_promote

    lang = request_language(request)
    t = translator(lang)
    try:
        model_promote(
            session,
            version=version,
            actor=user.username,
            actor_id=user.id,
            settings=settings,
            force_reason=force_reason if force else None,
        )
    except (PromotionError, UnsafeModelError, StaleModelError) as error:
        session.rollback()
        _refused(session, user, "model.promote_refused", version, error)
        set_notice(
            request,
            False,
            t("model_action.promote_refused") + refusal_text(session, error, version, settings, lang),
        )
    else:
        session.commit()
        set_notice(request, True, t("model_action.promoted").format(version))
    return _back(session, version)


def _refused(session: Session, user: User, action: str, version: str, error: Exception) -> None:
    _audit(session, user, action, version, {"error": str(error)[:500]})
    session.commit()


def _back(session: Session, version: str) -> Response:
    known = _version_or_none(session, version)
    target = f"/analyst/models/{known.version}" if known is not None else "/analyst/models"
    return RedirectResponse(target, status_code=303)


@router.post("/analyst/models/rollback")
def rollback(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser, confirm: Confirm
) -> Response:
    """Restore the champion before the current one (the current one is retired); audited."""
    require_role(user, MODEL_ACTION_ROLES)
    from risk_model.model.model_files import StaleModelError, UnsafeModelError
    from risk_model.ops.registry import PromotionError, champion, model_rollback

    lang = request_language(request)
    t = translator(lang)
    current = champion(session)
    try:
        restored = model_rollback(session, actor=user.username, actor_id=user.id, settings=settings)
    except (PromotionError, UnsafeModelError, StaleModelError) as error:
        session.rollback()
        _refused(session, user, "model.rollback_refused", current.version if current else "", error)
        set_notice(
            request,
            False,
            t("model_action.rollback_refused") + refusal_text(session, error, "", settings, lang),
        )
        return RedirectResponse("/analyst/models", status_code=303)
    session.commit()
    set_notice(request, True, t("model_action.rolled_back").format(restored.version))
    return RedirectResponse(f"/analyst/models/{restored.version}", status_code=303)


def comparison_rows(result: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per risk type: each metric with the candidate's and champion's hold-out values and the difference."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for risk in RISK_TYPES:
        parts = result["risk_types"].get(risk, {})
        cand = parts.get("candidate", {}).get("overall", {})
        champ = parts.get("champion", {}).get("overall", {})
        rows[risk] = [_metric_row(name, cand, champ) for name in COMPARE_METRICS]
        rows[risk].append(
            {
                "metric": "n_test",
                "candidate": cand.get("n_test"),
                "champion": champ.get("n_test"),
                "diff": None,
            }
        )
    return rows


def _metric_row(name: str, cand: dict[str, Any], champ: dict[str, Any]) -> dict[str, Any]:
    a, b = cand.get(name), champ.get(name)
    diff = float(a) - float(b) if a is not None and b is not None else None
    better = None if diff is None or abs(diff) < 1e-9 else (diff < 0 if name == "brier" else diff > 0)
    return {"metric": name, "candidate": a, "champion": b, "diff": diff, "better": better}


@router.post("/analyst/models/{version}/compare")
def compare(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    version: str,
    confirm: Confirm,
) -> Response:
    """VERSION against the champion on the same held-out rows (risk_model.ops.compare); audited."""
    require_role(user, MODEL_ACTION_ROLES)
    from risk_model.model.model_files import StaleModelError, UnsafeModelError
    from risk_model.ops.compare import model_compare
    from risk_model.ops.registry import PromotionError, champion, version_by_name
    from risk_model.ops.reports import synthetic_only

    lang = request_language(request)
    t = translator(lang)
    try:
        candidate = version_by_name(session, version)
        current = champion(session)
        if current is None:
            raise PromotionError("no champion to compare with")
        result = model_compare(session, candidate=candidate, champion=current, settings=settings)
    except (PromotionError, UnsafeModelError, StaleModelError) as error:
        session.rollback()
        _refused(session, user, "model.compare_refused", version, error)
        set_notice(
            request,
            False,
            t("model_action.compare_refused") + refusal_text(session, error, version, settings, lang),
        )
        return _back(session, version)
    _audit(session, user, "model.compare", candidate.version, {"champion": current.version})
    session.commit()
    context = {
        "candidate": candidate,
        "champion": current,
        "rows": comparison_rows(result),
        "risk_types": RISK_TYPES,
        "synthetic_only": synthetic_only(candidate),
        "notice": {"ok": True, "text": t("model_action.compared").format(candidate.version, current.version)},
    }
    return render(request, "analyst_compare.html", context)
