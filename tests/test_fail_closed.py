"""Fail in one line, lose nothing: with the database down (a closed port on 127.0.0.1), read-only or its folder
gone, every `labourwatch` command exits non-zero with one line naming the cause, and the web app answers 503
with a Chinese page that is never cached."""

from __future__ import annotations

import shutil
import socket
import sys
import warnings
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

import labourwatch
from inspection.web.app import create_app
from store import cli as store_cli
from store.db import make_engine
from store.migrate import db_upgrade
from store.models import User, metadata
from tests.inspection.web.conftest import csrf_from, demo_hash, make_settings
from tests.test_docs import _command_paths

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

TIP = ["--risk", "child_labour", "--region", "320500", "--title", "t", "--source", "s", "--text", "t"]
# Every command that reads or writes the database, with arguments that reach it.
DB_COMMANDS: dict[str, list[str]] = {
    "db upgrade": [], "db downgrade": ["base"], "db current": [], "db stats": [], "db tallies": [], "db backup": ["{tmp}/b.db"],
    "db restore": ["{tmp}/missing.db"], "users create": ["bob", "--role", "inspector", "--region", "320500",
    "--password-stdin"], "users list": [], "users reset-password": ["bob", "--password-stdin"], "tasks generate": [], "tasks release-backlog": [],
    "tasks reinspections": [], "tasks list": ["--user", "insp"], "tasks open-tip": ["--user", "insp", *TIP],
    "audit verify": [], "orgs link": [], "orgs check": [], "orgs list": [], "orgs show": ["1"],
    "orgs merge": ["1", "2", "--reason", "r"], "orgs split": ["1", "--listings", "1", "--reason", "r"],
    "orgs export": [], "orgs demo-listings": [], "sources list": [], "model train": [], "model evaluate": [],
    "model promote": ["v1"], "model rollback": [], "model compare": ["v1"], "model score": [], "model list": [],
    "model card": [], "model drift": [], "schedule list": [], "schedule run": ["score"],
    "schedule history": [], "retention purge": [], "registry import": ["hr_agency", "{tmp}/reg.csv"],
    "report monthly": ["--region", "320500", "--month", "2026-11", "--output", "{tmp}/r.pdf"],
    "report monthly-all": ["--month", "2026-11", "--output-dir", "{tmp}/reports"],
}  # fmt: skip
# Commands that never touch the database themselves (or only through child processes tested elsewhere).
NO_DB = {
    "settings",
    "crawl",
    "demo-web",
    "serve",
    "demo",
    "sources check",
    "registry demo-files",
    "schedule start",
    "worker",  # blocking, takes jobs from the broker; each job opens the database in its own process
}
WRITES = ["users create", "tasks open-tip", "db downgrade", "retention purge"]


def test_every_command_is_covered() -> None:
    assert set(DB_COMMANDS) | NO_DB == set(_command_paths())


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(
    path: str, url: str, tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    """Run `labourwatch PATH ...` in this process; (exit code, non-empty stderr lines)."""
    monkeypatch.setenv("LABOURWATCH_DATABASE_URL", url)
    monkeypatch.setenv("LABOURWATCH_DATA_DIR", str(tmp / "data"))
    monkeypatch.setenv("LABOURWATCH_LOG_LEVEL", "WARNING")
    (tmp / "reg.csv").write_text("licence_no,name\nL1,某某人力资源有限公司\n", encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp)) for a in DB_COMMANDS[path]]
    monkeypatch.setattr(sys, "argv", ["labourwatch", *path.split(), *args])
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("pass-word-123456\n"))
    store_cli.cli_settings.cache_clear()
    store_cli.cli_engine.cache_clear()
    capsys.readouterr()
    try:
        labourwatch.main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        engine = store_cli.cli_engine() if store_cli.cli_engine.cache_info().currsize else None
        if engine is not None:
            engine.dispose()
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.mark.parametrize("path", sorted(DB_COMMANDS))
def test_database_down_every_command_fails_in_one_line(
    path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/labourwatch"
    code, lines = run_cli(path, url, tmp_path, monkeypatch, capsys)
    assert code != 0
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    if path != "db restore":  # refused before connecting: the file is missing
        assert "database unavailable" in lines[0] and "Connection refused" in lines[0], lines


def _migrated_sqlite(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    db_upgrade(engine)
    with Session(engine) as session:
        session.add(User(username="insp", display_name="i", password_hash=demo_hash(), role="inspector",
                         region_code="320500"))  # fmt: skip
        session.commit()
    engine.dispose()


def _counts(path: Path) -> dict[str, int]:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        counts = {
            n: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for n, t in metadata.tables.items()
        }
    engine.dispose()
    return counts


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ro") / "labourwatch.db"
    _migrated_sqlite(path)
    return path


# Training reads the synthetic corpus for minutes before its one write; the other writers prove the point.
SLOW_ON_A_READABLE_DATABASE = {"model train", "model evaluate"}


@pytest.mark.parametrize("path", sorted(set(DB_COMMANDS) - SLOW_ON_A_READABLE_DATABASE))
def test_read_only_sqlite_writes_fail_in_one_line_and_change_nothing(
    path: str,
    sqlite_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _counts(sqlite_file)
    # mode=ro: what SQLite reports for a read-only file or mount (chmod cannot stop root, who runs CI).
    url = f"sqlite:///file:{sqlite_file}?mode=ro&uri=true"
    code, lines = run_cli(path, url, tmp_path, monkeypatch, capsys)
    assert code == 0 or (len(lines) == 1 and lines[0].startswith("error: ")), lines
    if path in WRITES:
        assert code != 0 and "not writable" in lines[0], lines
    assert _counts(sqlite_file) == before


# Creating the schema, or finding nothing to undo or report, is right for an empty new database.
FOLDER_GONE_OK = {"db upgrade", "db current", "db downgrade"}


@pytest.mark.parametrize("path", [p for p in sorted(DB_COMMANDS) if p not in FOLDER_GONE_OK])
def test_sqlite_folder_gone_fails_in_one_line(
    path: str,
    sqlite_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    shutil.copy(sqlite_file, folder / "labourwatch.db")
    shutil.rmtree(folder)
    code, lines = run_cli(path, f"sqlite:///{folder / 'labourwatch.db'}", tmp_path, monkeypatch, capsys)
    assert code != 0 and len(lines) == 1 and lines[0].startswith("error: "), lines


def _assert_503_page(response: object) -> None:
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert "数据库暂时不可用" in response.text  # type: ignore[attr-defined]
    assert response.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    assert "content-security-policy" in response.headers  # type: ignore[attr-defined]


def test_web_app_answers_503_in_chinese_when_postgresql_is_down(tmp_path: Path) -> None:
    engine = make_engine(f"postgresql://postgres@127.0.0.1:{closed_port()}/labourwatch")
    app = create_app(make_settings(tmp_path), engine=engine)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        token = csrf_from(client.get("/login").text)
        page = client.post("/login", data={"username": "insp", "password": "x" * 12, "csrf_token": token})
        _assert_503_page(page)


def test_web_app_answers_503_when_sqlite_is_read_only(sqlite_file: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///file:{sqlite_file}?mode=ro&uri=true")
    app = create_app(make_settings(tmp_path), engine=engine)
    before = _counts(sqlite_file)
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        token = csrf_from(client.get("/login").text)
        from store.seed.users import DEMO_PASSWORD

        page = client.post(
            "/login", data={"username": "insp", "password": DEMO_PASSWORD, "csrf_token": token}
        )
        _assert_503_page(page)
    assert _counts(sqlite_file) == before
