"""`labourwatch retention purge`: the daily erasure of expired personal data (run by the scheduler)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from store import tallies
from store.cli import cli_engine, cli_settings, console, new_app
from store.db import session_scope

retention_app = new_app("Retention of personal data: erase or mask what is no longer needed.")


@retention_app.command("purge")
def purge_cmd(
    dry_run: Annotated[bool, typer.Option(help="Only count what would be erased; change nothing.")] = False,
) -> None:
    """Erase victims' details of long-closed cases, mask old listings, drop unused raw pages (audited)."""
    from store.retention.purge import retention_purge

    settings = cli_settings()
    engine = cli_engine()
    with session_scope(engine) as session:
        report = retention_purge(session, settings=settings, dry_run=dry_run)
    if not dry_run:  # the nightly job also folds the dashboard tallies of the day's changes
        with engine.begin() as connection:
            tallies.compact(connection)
    table = Table(
        "what", "rows", title="retention purge (dry run: nothing changed)" if dry_run else "retention purge"
    )
    for name, count in report.counts().items():
        table.add_row(name.replace("_", " "), str(count))
    console.print(table)
    console.print(
        f"cutoffs: victims closed before {report.victim_cutoff:%Y-%m-%d}, listings inactive since "
        f"{report.listing_cutoff:%Y-%m-%d}, rejected items before {report.rejected_cutoff:%Y-%m-%d}"
    )
