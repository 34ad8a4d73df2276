"""docs/web.md names every web setting, the serve command and every API path (undocumented fails here)."""

from __future__ import annotations

import re
from pathlib import Path

from inspection.web.app import create_app
from store.settings import ENV_PREFIX, Settings
from tests.inspection.web.conftest import make_settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "web.md"
WEB_SETTINGS = [
    name
    for name in Settings.model_fields
    if name.startswith(("session_", "login_")) or name == "trusted_proxies"
]


def test_web_settings_documented_with_descriptions() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert WEB_SETTINGS
    for name in [*WEB_SETTINGS, "secret_key"]:
        assert ENV_PREFIX + name.upper() in text, name
        assert Settings.model_fields[name].description


def test_every_documented_web_variable_is_a_setting() -> None:
    """The other way round: docs/web.md names no session or login setting that the code lacks."""
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(rf"{ENV_PREFIX}((?:SESSION|LOGIN)_[A-Z0-9_]*[A-Z0-9])", text))
    assert documented
    assert documented <= {name.upper() for name in WEB_SETTINGS}, documented


def test_serve_command_and_api_paths_documented(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = DOC.read_text(encoding="utf-8")
    assert "labourwatch serve --host" in text
    spec = create_app(make_settings(tmp_path), engine=db).openapi()
    for path, operations in spec["paths"].items():
        for method in operations:
            documented = f"`{method.upper()} {path}"
            assert documented in text, documented
