"""`labourwatch tasks ...` and `labourwatch audit verify`: inspection work from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from store.cli import CliError, cli_engine, cli_settings, console, new_app
from store.models import User

tasks_app = new_app("Inspection tasks: generate from risk scores, list, release the backlog, tips.")
audit_app = new_app("The audit log: check that no event was edited or removed.")


def _user(session: Session, username: str) -> User:
    from store.accounts.users import user_by_name

    user = user_by_name(session, username)
    if user is None or not user.active:
        raise CliError(f"no active user {username!r} (see `labourwatch users list`)")
    return user


@tasks_app.command("generate")
def tasks_generate_cmd(
    seed: Annotated[
        int | None, typer.Option(help="Seed of the random-audit draw (default: the setting).")
    ] = None,
) -> None:
    """Create tasks from the champion model's scores; running it again creates nothing new."""
    from inspection.tasks.generate import tasks_generate
    from store import tallies
    from store.db import session_scope

    engine = cli_engine()
    with session_scope(engine) as session:
        report = tasks_generate(session, settings=cli_settings(), rng_seed=seed)
    with engine.begin() as connection:  # fold the tally rows the new tasks added (after the commit)
        tallies.compact(connection)
    if report.model_version_id is None:
        raise CliError("no champion model: train and promote one first (nothing to generate from)")
    console.print(
        f"model {report.model_version_id}: {report.created} tasks, {report.created_audit} audit tasks, "
        f"{report.created_active} active-learning tasks, {report.created_rule} rule tasks, "
        f"{report.attached} listings attached to open tasks, {report.backlog} in backlog"
    )


@tasks_app.command("release-backlog")
def tasks_release_cmd() -> None:
    """Move backlog tasks into `new` as far as each team's capacity allows."""
    from inspection.tasks.generate import tasks_release_backlog
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        released = tasks_release_backlog(session, settings=cli_settings())
    console.print(f"released {released} tasks from the backlog")


@tasks_app.command("reinspections")
def tasks_reinspections_cmd() -> None:
    """Open re-inspection tasks for findings whose follow-up date has come."""
    from inspection.tasks.reinspections import reinspections_generate
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        created = reinspections_generate(session, settings=cli_settings())
    console.print(f"opened {len(created)} re-inspection tasks")


@tasks_app.command("list")
def tasks_list_cmd(
    user: Annotated[str, typer.Option("--user", help="List the queue as this user sees it.")],
    status: Annotated[str | None, typer.Option(help="A status, or 'open' for all but closed.")] = None,
    risk: Annotated[str | None, typer.Option(help="Only this risk type.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region (inside the user's).")] = None,
    q: Annotated[str | None, typer.Option(help="Chinese text to search for, e.g. 童工.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only overdue tasks.")] = False,
    limit: Annotated[int, typer.Option(help="How many rows to show.")] = 30,
) -> None:
    """Show a user's work queue, highest priority first."""
    from inspection.views.queries import queue_for_user
    from inspection.views.queue_filter import QueueFilter
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        chosen = QueueFilter(status=status, risk_type=risk, region=region, q=q, overdue_only=overdue)
        page = queue_for_user(session, user=_user(session, user), filters=chosen, per_page=limit)
    table = Table("id", "priority", "status", "risk", "region", "due", "title", title=f"{page.total} tasks")
    for item in page.items:
        due = item.due_at.date().isoformat() if item.due_at else ""
        table.add_row(
            str(item.id), f"{item.priority:.3f}", item.status, item.risk_type, item.region_name,
            f"[red]{due}[/]" if item.overdue else due, item.title,
        )  # fmt: skip
    console.print(table)


@tasks_app.command("open-tip")
def tasks_open_tip_cmd(
    user: Annotated[str, typer.Option("--user", help="Who records the tip.")],
    risk: Annotated[
        str, typer.Option(help="illegal_agency, child_labour, forced_labour or illegal_marriage_broker.")
    ],
    region: Annotated[str, typer.Option(help="Six-digit region code of the place concerned.")],
    title: Annotated[str, typer.Option(help="One line saying what the tip is about.")],
    source: Annotated[str, typer.Option(help="Where the tip came from (hotline, letter, school...).")],
    text: Annotated[str, typer.Option(help="What the tip says.")],
    mandated: Annotated[bool, typer.Option(help="A mandated report (强制报告) rather than a tip.")] = False,
    listing: Annotated[int | None, typer.Option(help="Id of a listing the tip is about.")] = None,
) -> None:
    """Open a task from a tip or a mandated report."""
    from inspection.tasks.actions import task_open_from_tip
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        task = task_open_from_tip(
            session, actor=_user(session, user), risk_type=risk, region_code=region, title=title,
            tip_source=source, tip_text=text, origin="mandated_report" if mandated else "tip",
            listing_id=listing, settings=cli_settings(),
        )  # fmt: skip
        console.print(
            f"opened task {task.id} ({task.agency}, region {task.region_code}, due {task.due_at:%Y-%m-%d})"
        )


@audit_app.command("verify")
def audit_verify_cmd() -> None:
    """Recompute the keyed audit chain and check its anchored head; exit 1 listing every problem found."""
    from store.audit import audit_verify
    from store.db import session_scope

    with session_scope(cli_engine()) as session:
        report = audit_verify(session)
    if not report.ok:
        for problem in report.problems:
            typer.echo(problem.message, err=True)
        raise CliError(f"审计链有 {len(report.problems)} 处问题（共 {report.events} 条事件）")
    console.print(f"审计链完好：{report.events} 条事件（{report.keyed} 条带密钥），锚点一致")
