"""Command-line pieces every package shares (settings, engine, errors) and the db/users commands."""

from __future__ import annotations

import getpass
import sys
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from store.db import make_engine, session_scope
from store.enums import Role
from store.settings import Settings, load_settings, settings_help

console = Console()


class CliError(Exception):
    """An error to show as one line (no traceback) with a non-zero exit code."""


@lru_cache(maxsize=1)
def cli_settings() -> Settings:
    """Settings read once per command."""
    return load_settings()


@lru_cache(maxsize=1)
def cli_engine() -> Engine:
    """The engine of the configured database, made once per command."""
    from store.audit import AuditSeal, use_seal

    settings = cli_settings()
    engine = make_engine(settings.db_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    use_seal(engine, AuditSeal.from_settings(settings))
    return engine


def new_app(help_text: str) -> typer.Typer:
    """A sub-command group with the project's conventions."""
    return typer.Typer(help=help_text, no_args_is_help=True, pretty_exceptions_enable=False)


db_app = new_app("Database schema: migrate, inspect, compare with the code.")
users_app = new_app("Staff accounts: create, list, reset passwords (roles and regions).")


@db_app.command("upgrade")
def db_upgrade_cmd(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database to REVISION (default: the newest)."""
    from store.migrate import current_revision, db_upgrade

    engine = cli_engine()
    db_upgrade(engine, revision)
    console.print(f"database at revision [bold]{current_revision(engine)}[/]")


@db_app.command("downgrade")
def db_downgrade_cmd(revision: Annotated[str, typer.Argument(help="Target revision or 'base'.")]) -> None:
    """Undo migrations down to REVISION (data in dropped tables is lost)."""
    from store.migrate import current_revision, db_downgrade

    engine = cli_engine()
    db_downgrade(engine, revision)
    console.print(f"database at revision {current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current_cmd() -> None:
    """Show the database's revision and the newest one in the code."""
    from store.migrate import current_revision, head_revision

    console.print(f"database: {current_revision(cli_engine()) or 'not migrated'}; code: {head_revision()}")


@db_app.command("stats")
def db_stats_cmd() -> None:
    """Count the rows of every table."""
    print_table_counts(cli_engine())


@db_app.command("tallies")
def db_tallies_cmd(
    rebuild: Annotated[bool, typer.Option(help="Recount every tally from the tasks and findings.")] = False,
) -> None:
    """Fold the dashboard tallies (store.tallies) and check them against a fresh count."""
    from store import tallies

    with cli_engine().begin() as connection:
        if rebuild:
            tallies.rebuild(connection)
        before, after = tallies.compact(connection)
        wrong = tallies.drift(connection)
    console.print(f"看板计数已合并：{before} 行 → {after} 行")
    if wrong:
        raise CliError(
            f"看板计数与任务实际数量不符（{len(wrong)} 项，例如 {next(iter(wrong))}）："
            "请运行 `labourwatch db tallies --rebuild` 重新计数"
        )
    console.print("看板计数与任务、检查结果一致")


@db_app.command("backup")
def db_backup_cmd(
    file: Annotated[Path, typer.Argument(help="Where to write the backup (FILE.manifest.json beside it).")],
) -> None:
    """Write a consistent backup of the database while it runs (SQLite backup API or pg_dump -Fc)."""
    from store.backup.database import BackupError, backup_database

    try:
        manifest = backup_database(cli_engine(), file)
    except BackupError as error:
        raise CliError(str(error)) from None
    rows = sum(manifest.counts.values())
    console.print(f"backup {file} ({manifest.bytes} bytes, {rows} rows, revision {manifest.revision})")
    console.print(f"sha256 {manifest.sha256}")
    console.print(
        "keep DATA_DIR/audit_key with it: without the key the restored audit chain cannot be verified"
    )


@db_app.command("restore")
def db_restore_cmd(
    file: Annotated[Path, typer.Argument(help="A backup written by `labourwatch db backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Replace a database that already holds rows.")] = False,
    other_audit_key: Annotated[
        bool, typer.Option(help="Restore even though the backup's audit chain has another key or anchor.")
    ] = False,
) -> None:
    """Replace the database with a backup, all or nothing; the audit chain is re-anchored and checked."""
    from store.backup.database import BackupError, restore_database
    from store.migrate import head_revision

    try:
        report = restore_database(cli_engine(), file, overwrite=yes, other_chain=other_audit_key)
    except BackupError as error:
        raise CliError(str(error)) from None
    manifest = report.manifest
    console.print(
        f"restored {file} (backup of {manifest.created_at}, revision {manifest.revision}, "
        f"{sum(manifest.counts.values())} rows; {report.replaced_rows} rows replaced)"
    )
    if report.anchor_kept_as:
        console.print(f"previous audit anchor kept as {report.anchor_kept_as}")
    if manifest.revision != head_revision():
        console.print("the backup's schema is older than the code: run `labourwatch db upgrade`")
    if not report.audit_ok:
        raise CliError(
            "audit chain does not verify after the restore: " + "; ".join(report.audit_problems[:3])
        )
    console.print("audit chain verified")


def print_table_counts(engine: Engine) -> None:
    """Print a table of row counts."""
    from store.models import metadata

    table = Table("table", "rows", title="LabourWatch database")
    with engine.connect() as connection:
        for name, tbl in metadata.tables.items():
            table.add_row(name, str(connection.execute(select(func.count()).select_from(tbl)).scalar()))
    console.print(table)


@users_app.command("create")
def users_create_cmd(
    username: Annotated[str, typer.Argument(help="Login name (lower-case letters, digits, _ . -).")],
    role: Annotated[Role, typer.Option(help="What the user does; decides what they may see and do.")],
    region: Annotated[
        str, typer.Option(help="Six-digit region code, e.g. 320500 for 苏州, 320000 for 江苏.")
    ],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    language: Annotated[str, typer.Option(help="UI language: zh or en.")] = "zh",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Create a staff account; the password is asked for (or read from stdin)."""
    from store.accounts.users import user_create

    password = _read_password(password_stdin)
    with session_scope(cli_engine()) as session:
        user = user_create(
            session,
            username=username,
            password=password,
            role=role.value,
            region_code=region,
            display_name=name,
            language=language,
            created_by="cli",
        )
    console.print(f"created user [bold]{user.username}[/] ({user.role}, region {user.region_code})")


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise CliError("the two passwords differ")
    return first


@users_app.command("reset-password")
def users_reset_password_cmd(
    username: Annotated[str, typer.Argument(help="The account whose password is reset.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the new password from standard input.")] = False,
) -> None:
    """Set a new password (asked for, or read from stdin) and end every session of the user."""
    from store.accounts.users import user_reset_password

    password = _read_password(password_stdin)
    with session_scope(cli_engine()) as session:
        user = user_reset_password(session, username=username, new_password=password, actor="cli")
        name = user.username
    console.print(f"已重置 {name} 的密码，其所有会话均已失效（password reset; every session ended）")


@users_app.command("list")
def users_list_cmd() -> None:
    """List accounts with their role and region."""
    from store.models import User

    table = Table("username", "name", "role", "region", "active")
    with session_scope(cli_engine()) as session:
        for user in session.execute(select(User).order_by(User.username)).scalars():
            table.add_row(user.username, user.display_name, user.role, user.region_code, str(user.active))
    console.print(table)


def settings_cmd() -> None:
    """Show every setting, its default and what it does."""
    # One block per setting, not a table: names of 40+ characters were cut at 80 columns.
    console.print("[bold]Settings[/] (environment variables)")
    for variable, default, description in settings_help():
        shown = escape(default or "none")
        console.print(f"\n[bold]{variable}[/]  default: {shown}", highlight=False)
        console.print(Padding(escape(description), (0, 0, 0, 4)), highlight=False)
