"""Settings, accounts, the audit chain, the demo builder and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.accounts.users import UserError, user_authenticate, user_create
from store.audit import audit_append, audit_verify
from store.models import AuditEvent, User
from store.seed.users import DEMO_PASSWORD, DEMO_USERS, build_demo, demo_users
from store.settings import SettingsError, load_settings, settings_help
from tests.conftest import ROOT


def test_settings_default_to_sqlite_under_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("LABOURWATCH_DATABASE_URL", raising=False)
    settings = load_settings(data_dir=tmp_path)
    assert settings.db_url == f"sqlite:///{tmp_path.as_posix()}/labourwatch.db"


def test_database_url_is_read_without_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    assert load_settings().db_url == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("LABOURWATCH_LOG_LEVEL", "LOUD", "LABOURWATCH_LOG_LEVEL"),
        ("LABOURWATCH_SQLITE_BUSY_TIMEOUT_MS", "-5", "LABOURWATCH_SQLITE_BUSY_TIMEOUT_MS"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        # a setting whose meaning changed names its replacement instead of being silently ignored
        ("LABOURWATCH_TASK_AUDIT_SHARE", "0.05", "LABOURWATCH_TASK_AUDIT_CAPACITY_SHARE"),
        ("LABOURWATCH_MODEL_ACTIVE_SHARE", "0.1", "LABOURWATCH_TASK_ACTIVE_CAPACITY_SHARE"),
    ],
)
def test_invalid_setting_names_itself(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert named in str(caught.value) and "\n" not in str(caught.value)


def test_every_setting_has_help() -> None:
    for variable, _default, description in settings_help():
        assert variable.startswith("LABOURWATCH_") and len(description) > 15, variable


def test_user_create_and_authenticate(session: Session) -> None:
    user_create(session, username="li.na", password="s3cret-pass!", role="inspector", region_code="320500")
    session.commit()
    assert user_authenticate(session, username="li.na", password="s3cret-pass!") is not None
    assert user_authenticate(session, username="li.na", password="wrong-pass-1") is None
    assert user_authenticate(session, username="nobody", password="s3cret-pass!") is None
    stored = session.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "X"}, "username"),
        ({"role": "boss"}, "role"),
        ({"region_code": "32"}, "region"),
        ({"password": "short"}, "password"),
    ],
)
def test_user_create_refuses_bad_values(session: Session, fields: dict[str, str], message: str) -> None:
    values = {"username": "wang", "password": "long-enough-1", "role": "inspector", "region_code": "320100"}
    values.update(fields)
    with pytest.raises(UserError, match=message):
        user_create(session, **values)


def test_audit_chain_detects_edit_and_removal(session: Session) -> None:
    for i in range(5):
        audit_append(session, action="test.event", object_type="thing", object_id=i, details={"n": i})
    session.commit()
    assert audit_verify(session).ok and audit_verify(session).events == 5
    session.execute(update(AuditEvent).where(AuditEvent.object_id == "2").values(details={"n": 99}))
    session.commit()
    report = audit_verify(session)
    assert not report.ok and "被修改" in (report.reason or "")
    session.execute(update(AuditEvent).where(AuditEvent.object_id == "2").values(details={"n": 2}))
    third = session.execute(select(AuditEvent).where(AuditEvent.object_id == "3")).scalar_one()
    session.delete(third)
    session.commit()
    report = audit_verify(session)
    assert not report.ok and "被删除" in (report.reason or "")


def test_demo_builder_is_deterministic_and_idempotent(db: Engine) -> None:
    first = build_demo(db)
    second = build_demo(db)
    assert first.created_users == len(DEMO_USERS) and second.created_users == 0
    with Session(db) as session:
        assert session.execute(select(func.count()).select_from(User)).scalar() == len(DEMO_USERS)
        assert user_authenticate(session, username="inspector.sz", password=DEMO_PASSWORD) is not None


def test_demo_builder_seed_gives_its_own_rows_and_the_default_seed_todays() -> None:
    assert demo_users(2014) == DEMO_USERS and demo_users() == DEMO_USERS
    assert demo_users(7) == demo_users(7)
    assert [name for *_, name in demo_users(7)] != [name for *_, name in DEMO_USERS]
    # The accounts themselves (names, roles, regions in the README) are the same for every seed.
    assert [user[:3] for user in demo_users(7)] == [user[:3] for user in DEMO_USERS]


@pytest.mark.parametrize("seed", [2014, 7])
def test_demo_builder_writes_the_rows_of_its_seed(db: Engine, seed: int) -> None:
    build_demo(db, seed=seed)
    with Session(db) as session:
        rows = {user.username: user.display_name for user in session.execute(select(User)).scalars()}
    assert rows == {username: name for username, _, _, name in demo_users(seed)}


def _cli(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labourwatch", *args],
        cwd=ROOT,
        env=dict(os.environ, **(env or {})),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _subcommands() -> list[str]:
    import labourwatch

    group = labourwatch.typer.main.get_command(labourwatch.app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_help_lists_every_subcommand() -> None:
    result = _cli("--help")
    assert result.returncode == 0
    for name in _subcommands():
        assert name in result.stdout


@pytest.mark.parametrize("name", _subcommands())
def test_every_subcommand_explains_itself(name: str) -> None:
    result = _cli(name, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout and len(result.stdout) > 200


def test_cli_error_is_one_line_without_traceback(db_url: str) -> None:
    result = _cli(
        "users",
        "create",
        "bob",
        "--role",
        "inspector",
        "--region",
        "12",
        env={"DATABASE_URL": db_url},
        stdin="long-enough-1\n",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    assert "region" in result.stderr


def test_cli_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = _cli("db", "current", env={"LABOURWATCH_LOG_LEVEL": "LOUD"})
    assert result.returncode == 1 and "LABOURWATCH_LOG_LEVEL" in result.stderr
    assert "Traceback" not in result.stderr


def _clean_copy(target: Path) -> Path:
    """The tracked files of the checkout, as a fresh clone would have them."""
    import shutil

    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell which files a clone would have")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


@pytest.mark.slow
def test_wheel_carries_package_data(tmp_path: Path) -> None:
    source = _clean_copy(tmp_path / "clone")
    shipped = [
        p.relative_to(source).as_posix()
        for pattern in ("*/**/templates/**/*", "*/**/static/**/*")
        for p in source.glob(pattern)
        if p.is_file() and not p.relative_to(source).as_posix().startswith("tests/")
    ]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("labourwatch-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"labourwatch.py", "scheduler.py", "store/migrations/alembic.ini"} <= names
    assert "store/migrations/script.py.mako" in names
    assert any(n.startswith("store/migrations/versions/0001") for n in names)
    assert shipped, "expected templates and static files in the project"
    assert [p for p in shipped if p not in names] == []
