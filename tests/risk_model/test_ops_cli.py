"""`labourwatch model ...` in-process: train, list, score a JSON-lines file, card, promote, evaluate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

import labourwatch
from risk_model.data.orfd import DEFAULT_PATH as ORFD
from risk_model.ops.registry import champion, model_promote
from store import cli as store_cli
from store.cli import CliError
from store.models import AuditEvent
from tests.risk_model.ops_support import register, small_settings
from tests.rows import make_finding, make_listing, make_source


@pytest.fixture
def cli_env(db: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name, value in {
        "LABOURWATCH_DATABASE_URL": db_url,
        "LABOURWATCH_DATA_DIR": str(tmp_path),
        "LABOURWATCH_MODEL_ORFD_LIMIT": "100",
        "LABOURWATCH_MODEL_SYNTHETIC_PER_KIND": "120",
    }.items():
        monkeypatch.setenv(name, value)
    store_cli.cli_settings.cache_clear()
    store_cli.cli_engine.cache_clear()
    yield tmp_path
    store_cli.cli_engine().dispose()
    store_cli.cli_settings.cache_clear()
    store_cli.cli_engine.cache_clear()


def _run(*args: str) -> Result:
    return CliRunner().invoke(labourwatch.app, ["model", *args], catch_exceptions=True)


def test_model_commands(cli_env: Path) -> None:
    refused = _run("rollback")
    assert isinstance(refused.exception, CliError) and "no champion" in str(refused.exception)

    trained = _run("train", "--full")
    assert trained.exit_code == 0, trained.output
    assert "champion" in trained.output and "ROC-AUC" in trained.output
    listed = _run("list")
    assert listed.exit_code == 0 and "champion" in listed.output

    source, target = cli_env / "in.jsonl", cli_env / "out.jsonl"
    source.write_text(
        json.dumps(
            {"id": 1, "kind": "job", "title": "招工", "text": "年满14周岁即可，交押金"}, ensure_ascii=False
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    scored = _run("score", "--input", str(source), "--output", str(target))
    assert scored.exit_code == 0, scored.output
    assert "line 2" in scored.output and "1 scored" in scored.output
    assert json.loads(target.read_text(encoding="utf-8").splitlines()[0])["id"] == 1
    assert isinstance(_run("score", "--input", str(source)).exception, CliError)

    card = _run("card", "--output", str(cli_env / "card.md"))
    assert card.exit_code == 0 and (cli_env / "card.md").read_text(encoding="utf-8").startswith(
        "# Model card"
    )
    missing = _run("promote", "v-none")
    assert isinstance(missing.exception, CliError) and "no model version" in str(missing.exception)
    drift = _run("drift")
    assert drift.exit_code == 0, drift.output


def test_score_file_paths_are_checked_before_the_model_loads(cli_env: Path) -> None:
    source = cli_env / "in.jsonl"
    source.write_text('{"id": 1, "kind": "job", "text": "招工"}\n', encoding="utf-8")
    cases = {
        (cli_env, cli_env / "out.jsonl"): "is a directory, not a file",
        (cli_env / "none.jsonl", cli_env / "out.jsonl"): "does not exist",
        (source, cli_env / "no" / "out.jsonl"): f"output folder {cli_env / 'no'} does not exist",
        (source, cli_env): "is a directory; name a file in it",
        (source, source): "is the input file",
        (source, cli_env / "out.jsonl"): "no champion",  # the paths are fine: only now the model loads
    }
    for (input_path, output_path), message in cases.items():
        refused = _run("score", "--input", str(input_path), "--output", str(output_path))
        assert isinstance(refused.exception, CliError) and message in str(refused.exception)
    assert not (cli_env / "out.jsonl").exists()


def test_score_file_reports_hostile_lines_and_exits_1_when_nothing_is_valid(
    cli_env: Path, session: Session
) -> None:
    settings = small_settings(cli_env)
    model_promote(session, version=register(session, settings).version, actor="t", settings=settings)
    session.commit()
    source, target = cli_env / "in.jsonl", cli_env / "out.jsonl"
    lines = [
        json.dumps({"id": "a", "kind": "job", "title": "招工", "text": "年满14周岁即可" * 3000}),
        json.dumps({"id": "b", "kind": "[/]", "text": "t"}),
        json.dumps({"id": "c", "kind": "job", "text": "x" * 1_000_001}),
        json.dumps({"id": 1.5, "kind": "job", "text": "t"}),
    ]
    source.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    scored = _run("score", "--input", str(source), "--output", str(target))
    assert scored.exit_code == 0, scored.output
    text = " ".join(scored.output.split())
    assert "line 2: kind must be 'job' or 'marriage', not the string '[/]'" in text
    assert "line 3: the line is 1,000,0" in text and "line 4: id must be" in text
    assert "1 scored" in text and "3 invalid lines; 1 with a field cut to 20,000 characters" in text
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ["a"]

    source.write_text("{broken\n", encoding="utf-8")
    nothing = _run("score", "--input", str(source), "--output", str(target))
    assert nothing.exit_code == 1 and "line 1: not valid JSON" in nothing.output
    assert target.read_text(encoding="utf-8") == ""


def test_model_promote_and_rollback(cli_env: Path, db: Engine) -> None:
    with Session(db) as session:
        first = register(session, small_settings(cli_env)).version
        second = register(session, small_settings(cli_env)).version
        session.commit()

    promoted = _run("promote", first)
    assert promoted.exit_code == 0 and f"champion is now {first}" in promoted.output
    again = _run("promote", second, "--actor", "analyst.li")  # same metrics: no regression
    assert again.exit_code == 0 and f"champion is now {second}" in again.output
    with Session(db) as session:
        assert champion(session).version == second  # type: ignore[union-attr]
        (event,) = [e for e in _events(session, "model.promote") if e.actor == "analyst.li"]
        assert event.details["previous"] == first and not event.details["forced"]

    restored = _run("rollback")
    assert restored.exit_code == 0 and f"champion restored to {first}" in restored.output


def test_model_evaluate_per_source(cli_env: Path, db: Engine) -> None:
    with Session(db) as session:
        jobs = make_source(session)
        for index, (body, label) in enumerate([("入职交押金500元，包吃住", 1), ("招聘会计，五险一金", 0)]):
            listing = make_listing(session, jobs, f"j{index}", body)
            make_finding(session, listing, {"illegal_agency": label}, risk_type="illegal_agency")
        session.commit()

    evaluated = _run("evaluate", "--risk-type", "illegal_agency", "--folds", "2")
    assert evaluated.exit_code == 0, evaluated.output
    (folder,) = (cli_env / "reports").glob("evaluate-*")
    report = json.loads((folder / "evaluation.json").read_text(encoding="utf-8"))
    assert report["protocol"]["grouped_cv"]["folds"] == 2
    assert report["protocol"]["data_plan"]["synthetic_per_kind"] == 120
    result = report["risk_types"]["illegal_agency"]
    real = ["orfd", "finding"] if ORFD.exists() else ["finding"]
    assert list(result["grouped_cv"]["by_source"]) == [*real, "hand", "synthetic"]
    assert result["mixes"] == "+".join([*real, "hand", "synthetic"])
    assert result["grouped_cv"]["by_source"]["finding"]["n_test"] == 2
    assert result["time_split"]["by_source"]["finding"]["n_test"] == 0  # too few findings to hold out
    assert (folder / result["reliability_png"]).read_bytes()[:4] == b"\x89PNG"
    lines = evaluated.output.splitlines()
    shown = [
        next(i for i, line in enumerate(lines) if name in line) for name in ("finding (real)", "synthetic")
    ]
    assert shown == sorted(shown) and "all, mixed" in evaluated.output

    unknown = _run("evaluate", "--risk-type", "fraud")
    assert isinstance(unknown.exception, CliError) and "unknown risk type 'fraud'" in str(unknown.exception)


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))
