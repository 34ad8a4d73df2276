"""`labourwatch model promote`, `rollback`, `compare` and `list`: the model versions and the champion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from risk_model.cli.formatting import fail, metrics_table
from store.cli import cli_engine, cli_settings, console


def promote_cmd(
    version: Annotated[str, typer.Argument(help="Model version to make champion.")],
    force_reason: Annotated[
        str | None, typer.Option(help="Promote despite regressions; the reason is audited.")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who promotes (recorded in the audit log).")] = "cli",
) -> None:
    """Promote a candidate; refused when a tracked metric regresses beyond the tolerance, unless forced."""
    from risk_model.ops.registry import PromotionError, model_promote
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            promoted = model_promote(
                session, version=version, actor=actor, settings=cli_settings(), force_reason=force_reason
            )
            console.print(f"champion is now [bold]{promoted.version}[/]")
    except PromotionError as error:
        raise fail(error) from None


def rollback_cmd(actor: Annotated[str, typer.Option(help="Who rolls back (audited).")] = "cli") -> None:
    """Restore the previous champion."""
    from risk_model.ops.registry import PromotionError, model_rollback
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            restored = model_rollback(session, actor=actor, settings=cli_settings())
            console.print(f"champion restored to [bold]{restored.version}[/]")
    except PromotionError as error:
        raise fail(error) from None


def compare_cmd(
    candidate: Annotated[str, typer.Argument(help="Candidate version.")],
    champion: Annotated[
        str | None, typer.Option(help="Version to compare with (default: the champion).")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Also write the full comparison as JSON here.")] = None,
) -> None:
    """Candidate against champion on the same held-out data, with per-source/region slices and label bias."""
    from risk_model.ops.compare import model_compare
    from risk_model.ops.registry import PromotionError, version_by_name
    from risk_model.ops.registry import champion as current_champion
    from store.db import session_scope

    try:
        with session_scope(cli_engine()) as session:
            cand = version_by_name(session, candidate)
            champ = version_by_name(session, champion) if champion else current_champion(session)
            if champ is None:
                raise PromotionError("no champion to compare with")
            result = model_compare(session, candidate=cand, champion=champ, settings=cli_settings())
    except PromotionError as error:
        raise fail(error) from None
    for risk, by_model in result["risk_types"].items():
        console.print(
            metrics_table(f"{risk}: hold-out", {name: part["overall"] for name, part in by_model.items()})
        )
    if output:
        output.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"full comparison in {output}")


def list_cmd() -> None:
    """Every model version with its status and headline metrics."""
    from risk_model.ops.registry import list_versions
    from store.db import session_scope

    table = Table(title="model versions (newest first)")
    table.add_column("version", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("ROC-AUC agency/child/marriage", no_wrap=True)
    table.add_column("findings")
    with session_scope(cli_engine()) as session:
        for v in list_versions(session):
            from risk_model.data.examples import RISK_TYPES as risks

            aucs = [v.metrics.get(r, {}).get("roc_auc") for r in risks]
            findings = len((v.training or {}).get("finding_examples", []))
            auc_text = "/".join("–" if a is None else f"{a:.3f}" for a in aucs)
            table.add_row(v.version, v.status, auc_text, str(findings))
    console.print(table)
