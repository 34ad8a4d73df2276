"""Labelled examples: the one shape every training source (ORFD, demo corpus, findings) is mapped to."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

RISK_TYPES = ("illegal_agency", "child_labour", "forced_labour", "illegal_marriage_broker")

# The record keys the features read. Sources fill what they have; missing keys read as "".
AD_TEXT_FIELDS = ("title", "subtitle", "salary", "welfare", "requirement", "body")
COMPANY_TEXT_FIELDS = ("company_name", "company_intro", "business_scope")
STRUCTURED_FIELDS = (
    "credit_code",
    "org_number",
    "operating_status",
    "reg_capital",
    "reg_address",
    "established",
    "company_character",
    "company_size",
    "position_total",
    "need_number",
    "apply_num",
    "resume_read_percent",
    "feedback_ratio",
    "posted_at",
    "job_address",
    "company_address",
    "registry_source",  # where the registry fields came from; "" = not looked up (see records.py)
)
RECORD_FIELDS = AD_TEXT_FIELDS + COMPANY_TEXT_FIELDS + STRUCTURED_FIELDS

Record = Mapping[str, Any]


@dataclass(frozen=True)
class Example:
    """One labelled listing: text fields, optional registry/structured fields, label and provenance."""

    example_id: str
    title: str
    body: str
    label: int  # 1 = the risk is present (fake / illegal), 0 = not
    company_name: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)  # any other RECORD_FIELDS key
    provenance: str = "unknown"  # e.g. "orfd", "demo", "finding:123"
    weight: float = 1.0

    def record(self) -> dict[str, str]:
        """The feature record for this example (what the pipeline transforms)."""
        out = {key: "" for key in RECORD_FIELDS}
        out.update({k: str(v) for k, v in self.fields.items() if k in out})
        out.update(title=self.title, body=self.body, company_name=self.company_name)
        return out


def data_fingerprint(examples: Iterable[Example]) -> str:
    """SHA-256 over sorted (id, label) pairs: identifies the training set a model saw."""
    pairs = sorted(f"{e.example_id}\t{e.label}" for e in examples)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()
