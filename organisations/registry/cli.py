"""`labourwatch registry ...`: import registry CSV files, write the demo registry files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from organisations.registry.importer import ImportReport
from store.cli import CliError, cli_engine, console, new_app
from store.csvout import write_csv
from store.db import session_scope
from store.enums import RegistryKind

registry_app = new_app(
    "Registries: import licensed HR agencies, marriage agencies and business registrations."
)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    )  # fmt: skip


def _write_report(path: Path, rejected: list) -> None:
    write_csv(path, [("line", "code", "reason"), *((r.line, r.code, r.reason) for r in rejected)])


@registry_app.command("import")
def import_cmd(
    kind: Annotated[RegistryKind, typer.Argument(help="hr_agency, marriage_agency or business.")],
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8 with or without BOM, or GBK/GB18030).")],
    report: Annotated[
        Path | None, typer.Option(help="Also write every rejected row (line, reason) here.")
    ] = None,
    show: Annotated[int, typer.Option(help="How many rejected rows to print.")] = 20,
) -> None:
    """Validate FILE, import its good rows in one transaction (re-import is idempotent), report the bad."""
    from organisations.registry.csvfile import decode_bytes
    from organisations.registry.importer import import_registry_text

    if not file.is_file():
        raise CliError(f"no such file: {file}")
    decoded = decode_bytes(file.read_bytes())
    with _progress() as progress, session_scope(cli_engine()) as session:
        task = progress.add_task(f"{kind.value} {file.name}", total=decoded.text.count("\n") or 1)
        result = import_registry_text(
            session, kind, decoded.text, file_name=file.name, encoding=decoded.encoding,
            on_row=lambda line: progress.update(task, completed=line),
        )  # fmt: skip
    _print_report(result, show)
    if report:
        _write_report(report, result.rejected)
        console.print(f"rejected rows written to {report}")


def _print_report(result: ImportReport, show: int) -> None:
    console.print(
        f"[bold]{result.file}[/] ({result.kind}, {result.encoding}): {result.rows_read} rows read, "
        f"{result.imported} imported, {result.duplicates} identical duplicates skipped, "
        f"{len(result.rejected)} rejected"
    )
    if result.rejected:
        table = Table("line", "reason", title=f"rejected rows (first {show})")
        for rejection in result.rejected[:show]:
            table.add_row(str(rejection.line), rejection.reason)
        console.print(table)
        console.print("by reason: " + ", ".join(f"{k} {v}" for k, v in result.reasons().most_common()))


@registry_app.command("demo-files")
def demo_files_cmd(
    folder: Annotated[
        Path, typer.Argument(help="Folder to write hr_agency.csv, marriage_agency.csv, business.csv.")
    ],
    seed: Annotated[int, typer.Option(help="Seed of the demo ads (synthetic_ads.ads.generate_ads).")] = 2014,
    n_job: Annotated[int, typer.Option(help="Job ads the demo web generates.")] = 240,
    n_marriage: Annotated[int, typer.Option(help="Marriage ads the demo web generates.")] = 60,
) -> None:
    """Write deterministic demo registry files for the demo web's organisations."""
    from organisations.registry.demo import write_demo_registries

    for kind, path in write_demo_registries(folder, seed=seed, n_job=n_job, n_marriage=n_marriage).items():
        console.print(f"{kind:16} {path}")
