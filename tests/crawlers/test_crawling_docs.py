"""docs/crawling.md documents every crawler setting, every source-file key and every shipped source."""

from __future__ import annotations

import re

from pydantic import BaseModel

from crawlers.config.schema import (
    POST_FIELDS,
    RAW_FIELDS,
    EmbeddedJson,
    Extract,
    JsonFeed,
    LinkRule,
    Links,
    Politeness,
    Selector,
    SourceConfig,
)
from store.settings import ENV_PREFIX, Settings
from tests.crawlers.helpers import ROOT, SOURCES

DOC = (ROOT / "docs" / "crawling.md").read_text(encoding="utf-8")
# Where sources are and which sites they crawl, and every CRAWL_* knob the settings define.
CRAWL_SETTINGS = (
    "sources_dir",
    "demo_web_url",
    "site_urls",
    *(name for name in Settings.model_fields if name.startswith("crawl_")),
)


def test_every_crawler_setting_is_documented() -> None:
    for name in CRAWL_SETTINGS:
        assert name in Settings.model_fields
        assert f"`{ENV_PREFIX}{name.upper()}`" in DOC, name
    documented = set(re.findall(rf"`{ENV_PREFIX}(CRAWL_[A-Z0-9_]+)`", DOC))
    assert documented <= {name.upper() for name in CRAWL_SETTINGS}, documented  # none the code lacks


def test_every_source_file_key_is_documented() -> None:
    models: list[type[BaseModel]] = [
        SourceConfig,
        Links,
        LinkRule,
        Extract,
        Politeness,
        Selector,
        EmbeddedJson,
        JsonFeed,
    ]
    for model in models:
        for key in model.model_fields:
            assert any(form in DOC for form in (f"{key} =", f"`{key}`", f"[{key}]", f".{key}]")), key
    for field in RAW_FIELDS:
        assert f"`{field}`" in DOC, field
    for field in POST_FIELDS:
        assert f"`{field}`" in DOC, field


def test_every_shipped_source_is_listed() -> None:
    for path in SOURCES.glob("*.toml"):
        assert f"`{path.name}`" in DOC, path.name
