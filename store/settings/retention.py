"""Retention settings (store/retention/purge.py: `labourwatch retention purge`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class RetentionSettings(BaseSettings):
    """How long personal data and rejected items are kept."""

    retention_victim_days: int = Field(
        default=730,
        ge=30,
        le=36_500,
        description="Days after a task is closed before its victims' names, phones and ID numbers are erased "
        "(age, gender and nationality stay; the finding, its labels and attachments are kept).",
    )
    retention_listing_days: int = Field(
        default=365,
        ge=30,
        le=36_500,
        description="Days a listing must be inactive (not seen) before its phones, chat IDs and text are "
        "masked (never while an open task holds it) and, if no task ever used it, its raw pages dropped.",
    )
    retention_rejected_days: int = Field(
        default=90,
        ge=1,
        le=36_500,
        description="Days after which items rejected by crawl validation are deleted.",
    )
    retention_batch_size: int = Field(
        default=500, ge=1, le=20_000, description="Rows the retention purge reads and writes per batch."
    )
