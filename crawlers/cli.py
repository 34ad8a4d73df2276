"""`labourwatch sources ...` and `labourwatch crawl ...`: check and list source files, run crawls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from store.cli import CliError, cli_settings, console, new_app

sources_app = new_app("Source files (one TOML file per site): check them and list them.")
# The folder holding our packages: the crawl child imports them from here, never from its working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
SUMMARY_COLUMNS = ("pages", "items", "items_new", "items_changed", "items_invalid", "errors")


def register(app: typer.Typer) -> None:
    """Add `sources` and `crawl` to the root command."""
    app.add_typer(sources_app, name="sources")
    app.command("crawl")(crawl_cmd)
    app.command("demo-web")(demo_web_cmd)


def demo_web_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on (keep it on loopback).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="First port; the sites take this and the next ones.")] = 8600,
    seed: Annotated[int, typer.Option(help="Seed of the generated ads.")] = 2014,
    n_job: Annotated[int, typer.Option(help="Job ads across the job boards.")] = 240,
    n_marriage: Annotated[int, typer.Option(help="Ads on the marriage-broker site.")] = 60,
    epoch: Annotated[int, typer.Option(help="Starting epoch (2 = some ads changed, some gone).")] = 1,
    ground_truth: Annotated[
        Path | None, typer.Option(help="Write the ground truth (every page's fields) to this JSON file.")
    ] = None,
) -> None:
    """Serve the local demo sites (job boards, a marriage-broker site, two feeds of posts) until Ctrl-C."""
    from crawlers.demo_web.server import serve_forever

    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise CliError("the demo web serves only on loopback (127.0.0.1)")
    console.print(f"demo web: set LABOURWATCH_DEMO_WEB_URL=http://{host}:{port} to crawl it; Ctrl-C stops")
    serve_forever(host, port, seed, n_job, n_marriage, epoch, ground_truth)


@sources_app.command("check")
def sources_check_cmd(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Source files (default: all in SOURCES_DIR).")
    ] = None,
) -> None:
    """Validate source files; print every problem with file, key and reason; exit 1 if any."""
    from crawlers.config.load import source_files
    from crawlers.config.resolve import check_source_here

    paths = files or source_files(cli_settings().sources_dir)
    if not paths:
        raise CliError(f"no source files in {cli_settings().sources_dir}")
    site_urls = cli_settings().site_urls
    problems = [p for path in paths for p in check_source_here(path, site_urls)[1]]
    for problem in problems:
        # escaped: a reason quoting a path such as data[next] must not be read as rich markup
        file, key, reason = escape(problem.file), escape(problem.key), escape(problem.reason)
        console.print(f"[red]✗[/] {file}: [bold]{key}[/]: {reason}", highlight=False)
    if problems:
        raise CliError(
            f"{len(problems)} problem(s) in {len({p.file for p in problems})} of {len(paths)} file(s)"
        )
    console.print(f"[green]✓[/] {len(paths)} source file(s) valid")


@sources_app.command("list")
def sources_list_cmd(
    sync: Annotated[bool, typer.Option(help="Create or update the Source rows in the database.")] = True,
) -> None:
    """Show every source file (and sync the valid ones into the database)."""
    from rich.table import Table

    from crawlers.config.load import check_source, source_files
    from store.regions import region_name

    table = Table("name", "kind", "region", "schedule", "enabled", "start URL", "valid", title="Sources")
    if sync:
        from store.cli import cli_engine
        from store.migrate import schema_problem

        if problem := schema_problem(cli_engine()):
            raise CliError(f"{problem} (or list without the database: `labourwatch sources list --no-sync`)")
    for path in source_files(cli_settings().sources_dir):
        config, problems = check_source(path)
        if config is None:
            table.add_row(path.stem, "", "", "", "", "", f"[red]{len(problems)} problem(s)[/]")
            continue
        if sync:
            from crawlers.storage import source_sync
            from store.cli import cli_engine

            source_sync(cli_engine(), config)
        region = f"{config.region} {region_name(config.region)}"
        table.add_row(
            config.name,
            config.kind,
            region,
            config.schedule or "",
            str(config.enabled),
            (config.start_urls or config.links.sitemaps or config.links.url_lists)[0],
            "[green]yes[/]",
        )
    console.print(table)


def crawl_cmd(
    names: Annotated[list[str] | None, typer.Argument(help="Source names (files in SOURCES_DIR).")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Crawl every enabled source.")] = False,
    fast_loopback: Annotated[
        bool, typer.Option(help="No delays for sites on 127.0.0.1 (tests and benchmarks only).")
    ] = False,
) -> None:
    """Crawl sources, each in its own process, with live progress and a summary table."""
    from store.cli import cli_engine
    from store.migrate import schema_problem

    chosen, invalid = _chosen_sources(names or [], all_sources)
    if chosen and (problem := schema_problem(cli_engine())):
        skipped = f"; {len(invalid)} invalid source file(s): {', '.join(invalid)}" if invalid else ""
        raise CliError(problem + skipped)
    results = [_crawl_one(name, fast_loopback) for name in chosen]
    if results:
        _print_summary(results)
    failed = [r["source"] for r in results if r.get("status") != "succeeded"]
    if failed or invalid:
        why = [f"{len(failed)} of {len(results)} crawl(s) failed: {', '.join(failed)}"] if failed else []
        why += [f"{len(invalid)} invalid source file(s) skipped: {', '.join(invalid)}"] if invalid else []
        raise CliError("; ".join(why))


def _chosen_sources(names: list[str], all_sources: bool) -> tuple[list[str], list[str]]:
    """(sources to crawl, invalid files skipped); --all lists every invalid file's problems first."""
    from crawlers.config.load import source_files
    from crawlers.config.resolve import check_source_here

    if not all_sources:
        if not names:
            raise CliError("name at least one source, or use --all")
        return names, []
    chosen, invalid = [], []
    for path in source_files(cli_settings().sources_dir):
        config, problems = check_source_here(path, cli_settings().site_urls)
        for problem in problems:
            console.print(f"[red]✗[/] {escape(str(problem))}", highlight=False)
        if config is None:
            invalid.append(path.name)
        elif config.enabled:
            chosen.append(config.name)
    return chosen, invalid


def crawl_command(name: str, *, db_url: str, fast_loopback: bool = False) -> list[str]:
    """The command line of one crawl process."""
    # -P: the working directory is not on sys.path (a stray scrapy.py there must not be imported).
    command = [sys.executable, "-P", "-m", "crawlers.run", name, "--db-url", db_url]
    return command + (["--fast-loopback"] if fast_loopback else [])


def _crawl_one(name: str, fast_loopback: bool) -> dict[str, Any]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    settings = cli_settings()
    command = crawl_command(name, db_url=settings.db_url, fast_loopback=fast_loopback)
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TextColumn("{task.fields[line]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(name, line="starting")
        result = follow_crawl(
            command,
            settings.crawl_timeout_s + 60,
            lambda p: progress.update(task, line=_progress_line(p)),
            log_path=settings.data_dir / "logs" / f"crawl-{name}.log",
        )
        progress.update(task, line=f"{result.get('status')} {_progress_line(result)}")
    return {"source": name, **result}


def _progress_line(event: dict[str, Any]) -> str:
    return (
        f"pages {event.get('pages', 0)}  items {event.get('items', 0)}  invalid "
        f"{event.get('items_invalid', 0)}  errors {event.get('errors', 0)}"
    )


def follow_crawl(
    command: list[str], timeout_s: float, on_progress: Any, log_path: Path | None = None
) -> dict[str, Any]:
    """Run a crawl process, pass its progress events on, return its final summary (killed on timeout)."""
    import threading

    # No empty entry: an empty PYTHONPATH entry means the working directory, which -P keeps out.
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PROJECT_ROOT), *inherited]))
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(log_path or os.devnull, "ab") as log,
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=env) as child,
    ):
        watchdog = threading.Timer(timeout_s, child.kill)
        watchdog.start()
        try:
            summary = _read_events(child, on_progress)
        finally:
            watchdog.cancel()
            child.wait()
    if child.returncode < 0 and summary.get("reason") == _NO_SUMMARY:
        summary["reason"] = (
            f"the crawl process was killed (signal {-child.returncode}); timeout {timeout_s:.0f} s"
        )
    return summary


_NO_SUMMARY = "the crawl process ended without a summary"


def _read_events(child: subprocess.Popen[str], on_progress: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {"status": "failed", "reason": _NO_SUMMARY}
    assert child.stdout is not None
    for line in child.stdout:
        event = _event(line)
        if event.get("event") == "progress":
            on_progress(event)
        elif event.get("event") in {"done", "error"}:
            summary = {k: v for k, v in event.items() if k != "event"}
            summary.setdefault("status", "failed")
    return summary


def _event(line: str) -> dict[str, Any]:
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return event if isinstance(event, dict) else {}


def _print_summary(results: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(
        "source",
        "pages",
        "items",
        "new",
        "changed",
        "invalid",
        "errors",
        "status",
        "reason",
        title="Crawl summary",
    )
    for r in results:
        colour = "green" if r.get("status") == "succeeded" else "red"
        table.add_row(
            r["source"],
            *(str(r.get(c, 0) or 0) for c in SUMMARY_COLUMNS),
            f"[{colour}]{r.get('status')}[/]",
            r.get("reason") or "",
        )
    console.print(table)
    for r in results:
        for note in r.get("notes") or []:
            console.print(f"{r['source']}: {note}", highlight=False, soft_wrap=True)
