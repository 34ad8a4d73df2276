#!/usr/bin/env python3
"""The two commands of the README, with nothing but Python 3.11+ installed.

    python3 scripts/dev.py run    install, then run the main job (demo sites crawled, scored, tasks, web UI)
    python3 scripts/dev.py test   install with test tools, then run every check CI runs

A virtual environment in .venv is created on first use and reused afterwards; dependencies are
reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("LABOURWATCH_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
MYPY_TARGETS = (
    "zhtext",
    "synthetic_ads",
    "store",
    "organisations",
    "crawlers",
    "risk_model",
    "inspection",
    "scheduling",
    "scheduler.py",
    "labourwatch.py",
    "labourwatch_demo.py",
)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    """Run a command from the project root; stop with its exit code when it fails and CHECK is set."""
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)
    if check and code != 0:
        say(f"failed ({code}): {' '.join(str(a) for a in args)}")
        sys.exit(code)
    return code


def ensure_venv(extra: str) -> None:
    """Create .venv if missing and install the project (editable) when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file may be run by an older python3
        sys.exit("LabourWatch needs Python 3.11 or newer")
    if not PY.exists():
        say(f"creating virtual environment {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    stamp = VENV / f".labourwatch-{extra or 'run'}.sha256"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("installing LabourWatch and its dependencies (first time: a few minutes)")
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extra}]" if extra else "."
    run(PY, "-m", "pip", "install", "--quiet", "--editable", target)
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when it is missing and we may (root + apt)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    apt_install("chromium", "the browser tests", "chromium not found: browser tests will be skipped")


def ensure_cjk_font() -> None:
    """Install Debian's fonts-wqy-microhei for Chinese PDFs when no CJK font is present and we may."""
    fonts = (
        "/usr/share/fonts/truetype/wqy",
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/truetype/arphic",
    )
    if os.environ.get("LABOURWATCH_PDF_FONT") or any(Path(p).is_dir() for p in fonts):
        return
    apt_install("fonts-wqy-microhei", "Chinese PDFs", "no CJK font: PDFs and their tests need one")


def apt_install(package: str, purpose: str, unavailable: str) -> None:
    """Install one Debian package when we may (root + apt); otherwise say why and what to run."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        say(f"{unavailable} (apt-get install {package})")
        return
    say(f"installing Debian's {package} for {purpose}")
    run("apt-get", "update", "-qq", check=False)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "install", "-y", "-qq", package, env=env, check=False)


def cmd_run(args: list[str]) -> None:
    ensure_venv("")
    ensure_cjk_font()
    os.chdir(ROOT)  # data/ and sources/ are relative to the project
    os.execv(str(BIN / "labourwatch"), [str(BIN / "labourwatch"), "demo", *args])


def _pytest(label: str, env: dict[str, str], args: list[str]) -> int:
    say(f"test suite on {label}")
    code = run(PY, "-m", "pytest", *args, env=env, check=False)
    return 0 if code == 5 and os.environ.get("LABOURWATCH_ALLOW_EMPTY") else code


def cmd_test(args: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    ensure_cjk_font()
    say("ruff (lint and format)")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    say("mypy")
    run(BIN / "mypy", *MYPY_TARGETS)
    say("import-linter (layering contracts)")
    run(BIN / "lint-imports")
    say("layout (no import cycle, no module over 400 lines, no crowded folder)")
    run(PY, ROOT / "scripts" / "check_layout.py")
    base = dict(os.environ)
    failures = 0
    failures += _pytest("SQLite", dict(base, LABOURWATCH_TEST_DB="sqlite"), args) != 0
    failures += _pytest("PostgreSQL", dict(base, LABOURWATCH_TEST_DB="postgresql"), args) != 0
    if failures:
        say(f"{failures} test run(s) failed")
        sys.exit(1)
    say("all checks passed")


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
