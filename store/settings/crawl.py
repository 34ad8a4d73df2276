"""Crawler settings: base URLs for source placeholders, batches, time limits."""

from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


class CrawlSettings(BaseSettings):
    """Base URLs that fill {placeholders} in source files, and how crawls run."""

    demo_web_url: str | None = Field(
        default=None,
        description="Base URL of the first local demo site (`labourwatch demo-web`, e.g. http://127.0.0.1:8600); "
        "the others listen on the next ports. Fills {demo_web}, {suzhou-jobs}, ... in source files.",
    )
    site_urls: dict[str, str] = Field(
        default_factory=dict,
        description='Base URLs for other {placeholders} in source files, as JSON: {"real_pages": "http://..."}.',
    )
    crawl_inactive_after_runs: int = Field(
        default=3,
        ge=1,
        le=1000,
        description="A listing missing from this many successful runs becomes inactive.",
    )
    crawl_batch_size: int = Field(
        default=200,
        ge=1,
        le=5000,
        description="Listings buffered before one database transaction writes them.",
    )
    crawl_timeout_s: int = Field(
        default=3600,
        ge=10,
        le=86_400,
        description="A crawl process running longer is stopped and its run failed.",
    )
    crawl_loopback_fast: bool = Field(
        default=False,
        description="Drop delays and AutoThrottle for sites on 127.0.0.1 only (tests and benchmarks).",
    )

    @field_validator("demo_web_url")
    @classmethod
    def _http_base(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value
