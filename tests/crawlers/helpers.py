"""Helpers for crawler tests: write source files, run a crawl process, read its summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources"
HTML = ROOT.parent / "shared" / "data" / "html"


def write_source(folder: Path, name: str, body: str) -> Path:
    """Write sources/NAME.toml with a name line prepended."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\n' + body, encoding="utf-8")
    return path


def run_crawl(
    source: str | Path,
    db_url: str,
    bases: dict[str, str],
    *,
    timeout: float = 60,
    sources_dir: Path = SOURCES,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run `python -m crawlers.run` on loopback; return the final JSON event (plus 'events', 'rc')."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), LABOURWATCH_SITE_URLS=json.dumps(bases), **(env or {}))
    command = [
        sys.executable,
        "-m",
        "crawlers.run",
        str(source),
        "--db-url",
        db_url,
        "--fast-loopback",
        "--sources-dir",
        str(sources_dir),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environ, cwd=ROOT)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    final = events[-1] if events else {"event": "none", "stderr": done.stderr[-2000:]}
    return {**final, "events": events, "rc": done.returncode, "stderr": done.stderr[-3000:]}
