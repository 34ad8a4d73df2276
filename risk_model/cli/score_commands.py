"""`labourwatch model score`: new and changed listings with the champion, or a JSON-lines file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from risk_model.cli.formatting import fail, progress_display
from store.cli import CliError, cli_engine, cli_settings, console


def score_cmd(
    input: Annotated[
        Path | None, typer.Option("--input", help="JSON-lines file of ads to score (format in README.md).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write the scored JSON lines.")
    ] = None,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Listings per batch.")] = None,
) -> None:
    """Score new and changed listings with the champion, or a JSON-lines file with --input/--output."""
    if (input is None) != (output is None):
        raise CliError("--input and --output go together")
    if input is not None and output is not None:
        return _score_file(input, output, batch_size)
    from risk_model.ops.registry import PromotionError
    from risk_model.ops.scoring import score_listings
    from store.db import session_scope

    with progress_display() as progress, session_scope(cli_engine()) as session:
        task = progress.add_task("scoring listings", total=None)
        try:
            run = score_listings(
                session,
                settings=cli_settings(),
                batch_size=batch_size,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        except PromotionError as error:
            raise fail(error) from None
    console.print(
        f"{run.listings} listings scored ({run.scores} scores) with {run.model_version} in {run.seconds} s"
    )


def _score_file(input_path: Path, output_path: Path, batch_size: int | None) -> None:
    from rich.markup import escape

    from risk_model.data.jsonl_files import MAX_FIELD_CHARS, check_input_path, check_output_path
    from risk_model.ops.jsonl_scoring import score_jsonl
    from risk_model.ops.registry import PromotionError, load_champion
    from store.db import session_scope

    settings = cli_settings()
    try:  # both paths are checked before the (slow) model load
        check_input_path(input_path)
        check_output_path(output_path, input_path)
        with session_scope(cli_engine()) as session:
            version, bundle = load_champion(session, settings)
        with console.status(f"scoring {escape(str(input_path))} with {version.version}"):
            report = score_jsonl(
                input_path,
                output_path,
                bundle,
                thresholds=settings.model_thresholds,
                batch_size=batch_size or 500,
            )
    except (PromotionError, ValueError) as error:  # JsonlError and UnsafeModelError are ValueErrors
        raise fail(error) from None
    for line, reason in report.errors:
        console.print(f"[yellow]line {line}[/]: {escape(reason)}", highlight=False)
    if report.invalid > len(report.errors):
        console.print(f"… and {report.invalid - len(report.errors):,} more invalid lines", highlight=False)
    cut = (
        f"; {report.truncated} with a field cut to {MAX_FIELD_CHARS:,} characters" if report.truncated else ""
    )
    console.print(
        f"{report.scored} scored into {escape(str(output_path))}; {report.invalid} invalid lines{cut}",
        highlight=False,
    )
    if report.invalid and not report.scored:
        raise typer.Exit(1)
