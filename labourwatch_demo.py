"""The README's main job: one full cycle on the local demo web, then the scheduler and the web UI.

Every step is the same `labourwatch` command an operator would type, run as a child process (crawls
must be: Scrapy's reactor cannot restart), so the demo shows exactly what production runs. Running it
again reuses the data: migrations, accounts, registries and tasks are idempotent, crawls add versions
only for changed ads, and a model is trained only when no champion exists that this code can run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine

from store.cli import CliError, cli_engine, cli_settings, console

HOST = "127.0.0.1"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _check_ports(port: int, demo_web_port: int) -> None:
    from crawlers.demo_web import SITES

    busy = [p for p in (port, *range(demo_web_port, demo_web_port + len(SITES))) if not _port_free(p)]
    if busy:
        raise CliError(
            f"port(s) {', '.join(map(str, busy))} on {HOST} are in use; pass --port/--demo-web-port"
        )


def _step(title: str, args: Sequence[str], env: dict[str, str], *, must: bool = True) -> bool:
    console.rule(f"[bold]{title}")
    code = subprocess.call([sys.executable, "-m", "labourwatch", *args], env=env)
    if code != 0 and must:
        raise CliError(f"`labourwatch {' '.join(args)}` failed (exit {code}); see its output above")
    if code != 0:
        console.print(f"[yellow]`labourwatch {' '.join(args)}` reported problems (exit {code}); going on")
    return code == 0


def _champion_usable(engine: Engine) -> bool:
    """A champion exists and this code can load and run it (a model from older code is retrained)."""
    from sqlmodel import Session

    from risk_model.ops.registry import champion, unusable_reason

    with Session(engine) as session:
        current = champion(session)
        if current is None:
            return False
        reason = unusable_reason(current, cli_settings())
    if reason:
        console.print(f"[yellow]the champion model cannot be used ({reason}); training a new one")
    return reason is None


def first_cycle(env: dict[str, str], *, seed: int, engine: Engine, data_dir: Path) -> None:
    """Registries, crawl every demo source, link organisations, train if needed, score, make tasks.

    ENV is the environment of the child commands (database, data dir, demo-web URLs).
    """
    registries = data_dir / "registries"
    _step("Demo licence registries", ["registry", "demo-files", str(registries), "--seed", str(seed)], env)
    for kind in ("hr_agency", "marriage_agency", "business"):
        _step(
            f"Import {kind}", ["registry", "import", kind, str(registries / f"{kind}.csv")], env, must=False
        )
    _step("Crawl every demo source", ["crawl", "--all", "--fast-loopback"], env, must=False)
    _step("Link listings to organisations and check licences", ["orgs", "link"], env)
    if not _champion_usable(engine):
        _step("Train a model (promoted automatically when none can be used)", ["model", "train"], env)
    _step("Score new and changed listings", ["model", "score"], env)
    _step("Generate inspection tasks", ["tasks", "generate"], env)


def _print_logins(port: int, seed: int) -> None:
    from store.seed.users import DEMO_PASSWORD, demo_users

    console.rule("[bold green]LabourWatch is running")
    console.print(f"web UI:  http://{HOST}:{port}/login   (API: http://{HOST}:{port}/api/openapi.json)")
    console.print(f"demo accounts, password [bold]{DEMO_PASSWORD}[/]:")
    for username, role, region, name in demo_users(seed):
        console.print(f"  {username:15} {role:15} {region}  {name}", highlight=False)
    console.print("Ctrl-C stops everything.")


def _serve(port: int, env: dict[str, str], seed: int) -> None:
    """Scheduler and web UI in child processes; Ctrl-C here stops both, once, with SIGTERM."""
    # Own sessions: the terminal's Ctrl-C reaches only this process, which then stops each child once
    # (a second signal would make uvicorn abort instead of shutting down cleanly).
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "labourwatch", "schedule", "start"], env=env, start_new_session=True
    )
    web = subprocess.Popen(
        [sys.executable, "-m", "labourwatch", "serve", "--host", HOST, "--port", str(port)],
        env=env,
        start_new_session=True,
    )
    _print_logins(port, seed)
    try:
        while scheduler.poll() is None and web.poll() is None:
            time.sleep(0.5)
        raise CliError("the scheduler or the web server stopped unexpectedly; see the output above")
    except KeyboardInterrupt:
        console.print("stopping ...")
    finally:
        for child in (web, scheduler):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in (web, scheduler):
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def run_demo(*, port: int, demo_web_port: int, seed: int, serve: bool) -> None:
    """Migrate, load demo accounts, start the demo web, run one cycle, then (optionally) serve."""
    from crawlers.demo_web.server import DemoWeb
    from store.migrate import db_upgrade
    from store.seed.users import build_demo

    _check_ports(port if serve else demo_web_port, demo_web_port)
    console.rule("[bold]Database and demo accounts")
    db_upgrade(cli_engine())
    build_demo(cli_engine(), seed=seed)
    web = DemoWeb(seed=seed)
    urls = web.start(HOST, demo_web_port)
    console.print("demo sites: " + ", ".join(f"{name} {url}" for name, url in urls.items()))
    # The demo sites are written by the generator of the synthetic corpus: illegal_agency learns from it
    # too (production default "auto" keeps real data first; docs/model.md).
    env = dict(
        os.environ,
        LABOURWATCH_DEMO_WEB_URL=f"http://{HOST}:{demo_web_port}",
        LABOURWATCH_MODEL_AGENCY_CORPUS=os.environ.get("LABOURWATCH_MODEL_AGENCY_CORPUS", "always"),
    )
    try:
        first_cycle(env, seed=seed, engine=cli_engine(), data_dir=cli_settings().data_dir)
        _step("What is in the database", ["db", "stats"], env, must=False)
        if serve:
            _serve(port, env, seed)
    finally:
        web.stop()
