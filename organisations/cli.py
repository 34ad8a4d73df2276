"""`labourwatch orgs ...`: link listings to organisations, check licences, list, merge, split, export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from store.cli import CliError, cli_engine, console, new_app
from store.db import session_scope

orgs_app = new_app("Organisations behind listings: link, check licences, list flagged, merge, split, export.")


@orgs_app.command("link")
def link_cmd(
    licences: Annotated[bool, typer.Option(help="Run the licence checks after linking.")] = True,
) -> None:
    """Link every listing to an organisation (incremental; staff merges and splits are kept)."""
    from organisations.linking.run import link_listings
    from organisations.registry.licence import check_licences

    with console.status("linking listings"), session_scope(cli_engine()) as session:
        report = link_listings(session)
        checked = check_licences(session) if licences else None
    console.print(
        f"{report.listings} listings -> {report.clusters} organisations "
        f"({report.organisations_created} new, {report.organisations_kept} kept, "
        f"{report.organisations_merged} merged automatically); {report.listings_relinked} listings relinked; "
        f"unions refused: {report.refused or 'none'}"
    )
    if checked:
        console.print(f"licence checks: {dict(checked.by_status)}; {checked.flagged} organisations flagged")


@orgs_app.command("check")
def check_cmd() -> None:
    """Run the licence checks only (after a registry import)."""
    from organisations.registry.licence import check_licences

    with session_scope(cli_engine()) as session:
        checked = check_licences(session)
    console.print(f"licence checks: {dict(checked.by_status)}; {checked.flagged} organisations flagged")


@orgs_app.command("list")
def list_cmd(
    flagged: Annotated[bool, typer.Option("--flagged", help="Only organisations with flags.")] = False,
    region: Annotated[str | None, typer.Option(help="Region code (320500 = 苏州, 320000 = 江苏).")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
) -> None:
    """List organisations, flagged ones first by licence status and number of listings."""
    from organisations.export import export_rows
    from organisations.queries import flagged_organisations

    with session_scope(cli_engine()) as session:
        if flagged:
            rows = [(s.id, s.name, s.kind, s.licence_status, s.region_code, s.listing_count,
                     ",".join(f["code"] for f in s.flags)) for s in flagged_organisations(session, region=region, limit=limit)]  # fmt: skip
        else:
            rows = [(r["org_id"], r["name"], r["kind"], r["licence_status"], r["region_code"], r["listing_count"],
                     ",".join(r["flag_codes"])) for r in export_rows(session, region=region)[:limit]]  # fmt: skip
    table = Table("id", "name", "kind", "licence", "region", "listings", "flags")
    for row in rows:
        table.add_row(*(str(v) if v is not None else "" for v in row))
    console.print(table)


@orgs_app.command("show")
def show_cmd(org_id: Annotated[int, typer.Argument(help="Organisation id.")]) -> None:
    """Show one organisation with its names, listings, registry records and flags (JSON)."""
    from dataclasses import asdict

    from organisations.queries import organisation_profile

    with session_scope(cli_engine()) as session:
        profile = organisation_profile(session, org_id)
    if profile is None:
        raise CliError(f"organisation {org_id} does not exist")
    console.print_json(json.dumps(asdict(profile), ensure_ascii=False, default=str))


@orgs_app.command("merge")
def merge_cmd(
    keep: Annotated[int, typer.Argument(help="Organisation that stays.")],
    other: Annotated[int, typer.Argument(help="Organisation merged into KEEP.")],
    reason: Annotated[str, typer.Option(help="Why they are one actor (kept in the audit log).")],
    actor: Annotated[str, typer.Option(help="Who decides (user name).")] = "cli",
) -> None:
    """Merge OTHER into KEEP; the next linking run keeps them together."""
    from organisations.merge import OrgError, org_merge

    try:
        with session_scope(cli_engine()) as session:
            org_merge(session, keep_id=keep, merge_id=other, reason=reason, actor=actor)
    except OrgError as exc:
        raise CliError(str(exc)) from None
    console.print(f"organisation {other} merged into {keep}")


@orgs_app.command("split")
def split_cmd(
    org: Annotated[int, typer.Argument(help="Organisation to split.")],
    listings: Annotated[
        list[int], typer.Option("--listings", help="Listing ids that belong to another actor.")
    ],
    reason: Annotated[str, typer.Option(help="Why they are another actor (kept in the audit log).")],
    name: Annotated[str | None, typer.Option(help="Name of the new organisation.")] = None,
    actor: Annotated[str, typer.Option(help="Who decides (user name).")] = "cli",
) -> None:
    """Move LISTINGS to a new organisation; the next linking run keeps them apart."""
    from organisations.merge import OrgError, org_split

    try:
        with session_scope(cli_engine()) as session:
            new = org_split(session, org_id=org, listing_ids=listings, reason=reason, actor=actor, name=name)
    except OrgError as exc:
        raise CliError(str(exc)) from None
    console.print(f"listings {sorted(set(listings))} moved to new organisation {new.id}")


@orgs_app.command("export")
def export_cmd(
    format: Annotated[
        str, typer.Option("--format", help="csv or json (schema: docs/organisations.md).")
    ] = "csv",
    output: Annotated[Path | None, typer.Option(help="File to write (default: standard output).")] = None,
    region: Annotated[str | None, typer.Option(help="Only organisations in this region.")] = None,
    flagged_only: Annotated[bool, typer.Option(help="Only flagged organisations.")] = False,
) -> None:
    """Export organisations for exchange with other agencies and provinces."""
    from organisations.export import export_organisations
    from organisations.merge import OrgError

    try:
        with session_scope(cli_engine()) as session:
            text = export_organisations(session, format, region=region, flagged_only=flagged_only)
    except OrgError as exc:
        raise CliError(str(exc)) from None
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"written {output}")
    else:
        typer.echo(text, nl=False)


@orgs_app.command("demo-listings")
def demo_listings_cmd(
    seed: Annotated[int, typer.Option(help="Seed of synthetic_ads.ads.generate_ads.")] = 2014,
    n_job: Annotated[int, typer.Option(help="Job ads.")] = 240,
    n_marriage: Annotated[int, typer.Option(help="Marriage ads.")] = 60,
) -> None:
    """Store the demo ads as listings on three demo boards (without a crawl), for trying linking."""
    from organisations.linking.demo_listings import store_ads_as_listings
    from synthetic_ads.ads import generate_ads

    with session_scope(cli_engine()) as session:
        stored = store_ads_as_listings(session, generate_ads(seed, n_job, n_marriage), seed=seed)
    console.print(f"{len(stored)} demo listings stored")
