"""Dependency audit: pip-audit over the installed environment, failing when it checked nothing.

An audit that skips every package ("not found on PyPI", an unreachable vulnerability service) prints
"No known vulnerabilities found" and exits 0: a green light that proved nothing. This test counts what
was really audited. When the service cannot be reached it skips with the reason, unless
LABOURWATCH_REQUIRE_DEPENDENCY_AUDIT=true makes that a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import pytest

# Our own distribution is not on PyPI; it is the one package pip-audit may rightly skip.
OWN = frozenset({"labourwatch"})
MIN_SHARE = 0.8  # of the installed distributions that must be audited for a green result
AUDIT_TIMEOUT_S = 180


@dataclass(frozen=True)
class Verdict:
    """What an audit report proves: 'ok', 'vulnerable', 'checked-nothing', 'partial' or 'unreachable'."""

    kind: str
    audited: int
    message: str


def judge(report: dict[str, Any], *, installed: int, stderr: str = "") -> Verdict:
    """The verdict on one `pip-audit --format json` report of an environment with INSTALLED packages."""
    deps = [d for d in report.get("dependencies", []) if d.get("name", "").lower() not in OWN]
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        names = ", ".join(
            f"{d['name']} {d['version']} ({', '.join(v['id'] for v in d['vulns'])})" for d in vulnerable
        )
        return Verdict("vulnerable", len(audited), f"known vulnerabilities: {names}")
    if not audited:
        not_found = deps and all("not found on PyPI" in d.get("skip_reason", "") for d in deps)
        if "ConnectionError" in stderr or "NameResolutionError" in stderr or not_found:
            return Verdict(
                "unreachable", 0, f"vulnerability service unreachable: 0 of {len(deps)} packages audited"
            )
        return Verdict("checked-nothing", 0, f"audit checked nothing ({len(deps)} packages listed)")
    if len(audited) < MIN_SHARE * max(installed - len(OWN), 1):
        return Verdict("partial", len(audited), f"only {len(audited)} of {installed} packages audited")
    return Verdict("ok", len(audited), f"{len(audited)} packages audited, no known vulnerabilities")


def _dep(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "version": "1.0", "vulns": [], **extra}


SKIPPED = "Dependency not found on PyPI and could not be audited: x (1.0)"


@pytest.mark.parametrize(
    ("report", "stderr", "kind"),
    [
        ({"dependencies": []}, "", "checked-nothing"),
        ({}, "", "checked-nothing"),
        ({"dependencies": [_dep("labourwatch", skip_reason=SKIPPED)]}, "", "checked-nothing"),
        ({"dependencies": [_dep("a", skip_reason="editable"), _dep("b", skip_reason="editable")]}, "",
         "checked-nothing"),
        ({"dependencies": [_dep("a", skip_reason=SKIPPED), _dep("b", skip_reason=SKIPPED)]}, "", "unreachable"),
        ({"dependencies": []}, "requests.exceptions.ConnectionError: ...", "unreachable"),
        ({"dependencies": [_dep("a"), _dep("b", skip_reason=SKIPPED), _dep("c", skip_reason=SKIPPED)]}, "",
         "partial"),
        ({"dependencies": [_dep("a"), _dep("b", vulns=[{"id": "PYSEC-1"}])]}, "", "vulnerable"),
        ({"dependencies": [_dep("a"), _dep("b"), _dep("c")]}, "", "ok"),
    ],
)  # fmt: skip
def test_the_verdict_fails_an_audit_that_checked_nothing(
    report: dict[str, Any], stderr: str, kind: str
) -> None:
    assert judge(report, installed=3, stderr=stderr).kind == kind


@pytest.mark.slow
def test_installed_dependencies_have_no_known_vulnerabilities() -> None:
    pytest.importorskip("pip_audit", reason="pip-audit is in the test extra: pip install -e '.[test]'")
    installed = len({d.metadata["Name"].lower() for d in metadata.distributions()})
    command = [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off", "-l"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=AUDIT_TIMEOUT_S, check=False)
        report = json.loads(done.stdout or "{}")
        stderr = done.stderr
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        report, stderr = {}, f"ConnectionError: pip-audit gave no report ({type(exc).__name__})"
    verdict = judge(report, installed=installed, stderr=stderr)
    print(f"\ndependency audit: {verdict.message}")
    # The package mirror this project's machines and CI reach serves packages but not the per-version
    # pages pip-audit reads, so an unreachable service is reported (skipped, with the reason) unless an
    # installation that can reach it asks for the audit to be required.
    required = os.environ.get("LABOURWATCH_REQUIRE_DEPENDENCY_AUDIT", "").lower() == "true"
    if verdict.kind == "unreachable" and not required:
        pytest.skip(
            f"{verdict.message} (set LABOURWATCH_REQUIRE_DEPENDENCY_AUDIT=true to make this a failure)"
        )
    assert verdict.kind == "ok", verdict.message
