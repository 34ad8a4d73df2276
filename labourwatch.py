"""The `labourwatch` command: the composition root that gathers each package's sub-commands."""

from __future__ import annotations

import logging
import os
import sys

import typer
from rich.console import Console
from sqlalchemy.exc import InterfaceError, OperationalError

from crawlers import cli as crawl_cli
from inspection.cli import audit_app, tasks_app
from inspection.reports.cli import report_app
from inspection.web.cli import serve_cmd
from organisations.cli import orgs_app
from organisations.registry.cli import registry_app
from risk_model.cli import model_app
from scheduling.cli import schedule_app, worker_cmd
from store.cli import CliError, db_app, settings_cmd, users_app
from store.errors import describe_database_error
from store.retention.cli import retention_app

app = typer.Typer(
    help="LabourWatch: find illegal job agencies, child labour and illegal marriage brokers in online "
    "listings, and turn them into inspections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(tasks_app, name="tasks")
app.add_typer(audit_app, name="audit")
app.add_typer(report_app, name="report")
app.command("settings")(settings_cmd)
app.add_typer(registry_app, name="registry")
app.add_typer(orgs_app, name="orgs")
crawl_cli.register(app)  # sources check/list, crawl
app.command("serve")(serve_cmd)
app.add_typer(model_app, name="model")
app.add_typer(schedule_app, name="schedule")
app.command("worker")(worker_cmd)
app.add_typer(retention_app, name="retention")


@app.command("demo")
def demo_cmd(
    port: int = typer.Option(8000, help="Port of the web UI on 127.0.0.1."),
    demo_web_port: int = typer.Option(8600, help="First port of the local demo sites (4 ports)."),
    seed: int = typer.Option(2014, help="Seed of the deterministic demo data."),
    serve: bool = typer.Option(True, help="After the first cycle, run the scheduler and the web UI."),
) -> None:
    """The main job: demo sites crawled, scored, tasks generated, then scheduler + web UI on 127.0.0.1."""
    from labourwatch_demo import run_demo

    run_demo(port=port, demo_web_port=demo_web_port, seed=seed, serve=serve)


_err = Console(stderr=True)


def main() -> None:
    """Entry point: run the app; show any error as one line and exit non-zero."""
    level = os.environ.get("LABOURWATCH_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING), format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        app()
    except (CliError, ValueError) as exc:  # our own errors (settings, validation) read as one sentence
        _err.print(f"error: {_one_line(exc)}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except (OperationalError, InterfaceError) as exc:  # the database is down, read-only, full, unmigrated
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            raise
        _err.print(f"error: {describe_database_error(exc)}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        _err.print("interrupted", highlight=False)
        sys.exit(130)
    except Exception as exc:  # never a traceback for the user; the class names the kind of failure
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            raise
        _err.print(
            f"error: {type(exc).__name__}: {_one_line(exc)}", markup=False, highlight=False, soft_wrap=True
        )
        sys.exit(1)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:500] if text else "no details"


if __name__ == "__main__":
    main()
