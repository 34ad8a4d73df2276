"""Source files: validation reports every problem; placeholders resolve at run time; shipped files are valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from crawlers.config.load import SourceError, check_source, check_source_text, load_source, source_files
from crawlers.config.resolve import resolve_source
from tests.crawlers.helpers import SOURCES, write_source

GOOD = """
kind = "job"
region = "320100"
start_urls = ["{demo_web}/jobs/list"]
min_items = 5
schedule = "0 */6 * * *"
[links]
detail = { css = "a.job::attr(href)" }
next = { xpath = "//a[@rel='next']/@href" }
[extract]
[extract.fields]
title = { css = "h1::text" }
body = { css = "div.desc", html = true }
"""


def test_a_good_file_loads(tmp_path: Path) -> None:
    config = load_source(write_source(tmp_path, "good-site", GOOD))
    assert config.kind == "job" and config.min_items == 5
    assert config.links.detail is not None and config.links.detail.css == "a.job::attr(href)"
    assert config.placeholders() == {"demo_web"}


def test_every_problem_is_reported_with_its_key(tmp_path: Path) -> None:
    text = """
kind = "jobs"
region = "999999"
start_urls = ["ftp://example.org/"]
schedule = "every day"
colour = "blue"
[extract]
[extract.fields]
titel = { css = "h1::text" }
[politeness]
concurrent_requests_per_domain = 5
"""
    _, problems = check_source(write_source(tmp_path, "bad-site", text))
    keys = {p.key for p in problems}
    assert {
        "kind",
        "region",
        "start_urls",
        "schedule",
        "colour",
        "extract.fields",
        "politeness.concurrent_requests_per_domain",
    } <= keys
    assert all(p.file.endswith("bad-site.toml") and p.reason for p in problems)


def test_toml_syntax_errors_name_line_and_column() -> None:
    _, problems = check_source_text('name = "x"\nkind = = "job"\n', "x.toml")
    assert [p.key for p in problems] == ["line 2, column 8"]
    assert "TOML syntax error" in problems[0].reason


def test_bad_selectors_and_mode_requirements_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace('css = "h1::text"', 'css = "h1[[["').replace(
        "[extract]", '[extract]\nmode = "embedded_json"'
    )
    _, problems = check_source(write_source(tmp_path, "sel-site", text))
    reasons = " ".join(p.reason for p in problems)
    assert "invalid CSS selector" in reasons


def test_the_name_must_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('name = "good-site"\n' + GOOD, encoding="utf-8")
    _, problems = check_source(path)
    assert [p.key for p in problems] == ["name"]


def test_placeholders_resolve_from_settings_and_give_the_domains(tmp_path: Path) -> None:
    config = load_source(write_source(tmp_path, "good-site", GOOD))
    resolved = resolve_source(config, {"demo_web": "http://127.0.0.1:8123/"})
    assert resolved.start_urls == ["http://127.0.0.1:8123/jobs/list"]
    assert resolved.allowed_domains == ["127.0.0.1"]
    with pytest.raises(SourceError, match="demo_web"):
        resolve_source(config, {})


def test_shipped_source_files_are_valid() -> None:
    files = source_files(SOURCES)
    assert files, "sources/ holds the source files"
    for path in files:
        config, problems = check_source(path)
        assert problems == [], problems
        assert (
            config is not None and ":" not in "".join(config.start_urls).split("//", 1)[-1].split("/")[0]
        ), f"{path.name}: no hardcoded host:port, use a placeholder"


def test_cli_check_exits_non_zero_and_lists_problems(tmp_path: Path) -> None:
    from labourwatch import app

    bad = write_source(tmp_path, "bad-site", 'kind = "x"\nregion = "1"\n')
    result = CliRunner().invoke(app, ["sources", "check", str(bad)])
    assert result.exit_code != 0
    assert "kind" in result.output and "region" in result.output and "start_urls" in result.output
    good = CliRunner().invoke(app, ["sources", "check", *map(str, source_files(SOURCES))])
    assert good.exit_code == 0, good.output


def test_demo_web_url_names_every_demo_site_on_consecutive_ports() -> None:
    from crawlers.config.resolve import site_bases

    bases = site_bases("http://127.0.0.1:8600", {"real_pages": "http://127.0.0.1:9000"})
    assert bases["demo_web"] == "http://127.0.0.1:8600" and bases["suzhou-jobs"] == "http://127.0.0.1:8600"
    assert (
        bases["jiangsu-talent"] == "http://127.0.0.1:8601"
        and bases["hongniang-marriage"] == "http://127.0.0.1:8603"
    )
    assert bases["real_pages"] == "http://127.0.0.1:9000"
    assert site_bases(None, {"51-style": "http://h:1"}) == {"51-style": "http://h:1"}


def test_cli_list_shows_and_syncs_sources(db: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from labourwatch import app
    from store.cli import cli_engine, cli_settings
    from store.models import Source

    monkeypatch.setenv("LABOURWATCH_SOURCES_DIR", str(SOURCES))
    monkeypatch.setenv("LABOURWATCH_DATABASE_URL", db_url)
    cli_settings.cache_clear()
    cli_engine.cache_clear()
    try:
        result = CliRunner().invoke(app, ["sources", "list"], env={"COLUMNS": "200"})
    finally:
        if cli_engine.cache_info().currsize:
            cli_engine().dispose()  # the CLI's engine must not outlive the test (PostgreSQL connections)
        cli_settings.cache_clear()
        cli_engine.cache_clear()
    assert result.exit_code == 0, result.output
    assert "demo-suzhou-jobs" in result.output and "苏州市" in result.output
    with db.connect() as conn:
        rows = {
            r.name: r
            for r in conn.execute(select(Source.name, Source.kind, Source.region_code, Source.enabled))
        }
    assert set(rows) == {p.stem for p in source_files(SOURCES)}
    assert rows["demo-hongniang-marriage"].kind == "marriage" and rows["real-lagou-2016"].enabled is False


def _cli(monkeypatch: pytest.MonkeyPatch, folder: Path, *args: str) -> tuple[int, str]:
    from labourwatch import app
    from store.cli import cli_settings

    monkeypatch.setenv("LABOURWATCH_SOURCES_DIR", str(folder))
    monkeypatch.setenv("LABOURWATCH_SITE_URLS", '{"known_site": "http://127.0.0.1:9"}')
    cli_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    finally:
        cli_settings.cache_clear()
    return result.exit_code, f"{result.output}\n{result.exception or ''}"  # CliError reaches main()


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("0 */6 * * *", "61 25 * * *"), "schedule"),
        (("min_items = 5", 'min_items = 5\nenabled = "yes"'), "enabled"),
        (("{demo_web}/jobs/list", "{nowhere}/jobs/list"), "{nowhere}"),
    ],
)
def test_sources_check_rejects_what_would_fail_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], key: str
) -> None:
    path = write_source(tmp_path, "bad-site", GOOD.replace(*change))
    code, output = _cli(monkeypatch, tmp_path, "sources", "check", str(path))
    assert code != 0 and "bad-site.toml" in output and key in output, output
    ok = write_source(tmp_path / "ok", "ok-site", GOOD.replace("{demo_web}", "{known_site}"))
    assert _cli(monkeypatch, tmp_path, "sources", "check", str(ok))[0] == 0


def test_crawl_all_names_invalid_files_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_source(tmp_path, "broken-a", GOOD.replace("0 */6 * * *", "61 25 * * *"))
    write_source(tmp_path, "broken-b", 'kind = "job"\n')
    code, output = _cli(monkeypatch, tmp_path, "crawl", "--all")
    assert code != 0, output
    assert "broken-a.toml" in output and "broken-b.toml" in output and "invalid source file" in output


def test_the_scheduler_names_the_source_file_with_a_bad_schedule(tmp_path: Path) -> None:
    from crawlers.config.load import load_source_schedules

    write_source(tmp_path, "bad-cron", GOOD.replace("0 */6 * * *", "61 25 * * *"))
    with pytest.raises(ValueError, match=r"bad-cron\.toml"):
        load_source_schedules(tmp_path)


def test_an_unmigrated_database_is_named_in_one_line_with_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from tests.crawlers.helpers import ROOT

    env = {
        "PYTHONPATH": str(ROOT),
        "LABOURWATCH_DATA_DIR": str(tmp_path),
        "LABOURWATCH_SOURCES_DIR": str(SOURCES),
        "LABOURWATCH_DEMO_WEB_URL": "http://127.0.0.1:9",
        "PATH": "/usr/bin:/bin",
    }
    for command in (["sources", "list"], ["crawl", "demo-suzhou-jobs"]):
        done = subprocess.run(
            [sys.executable, "-m", "labourwatch", *command],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, lines
        assert "has no tables yet; run `labourwatch db upgrade`" in lines[0] and "SQL" not in lines[0]
