"""ORFD (58.com job ads, 2019) as labelled Examples for the illegal_agency risk type."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from risk_model.data.examples import Example

DEFAULT_PATH = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "orfd" / "orfd_58_all.csv"

# Real/Fake: 1 real; 0 fake, 0.5 fake (the authors' balanced set), 2 disputed (counted fake);
# 11 is a typo of 1. Blank means unlabelled. Positive class = fake.
_LABELS = {"1": 0, "1.0": 0, "11": 0, "11.0": 0, "0": 1, "0.0": 1, "0.5": 1, "2": 1, "2.0": 1}

# ORFD column -> record field.
_FIELD_MAP = {
    "jobSubTitle": "subtitle",
    "jobSalary": "salary",
    "jobWelfare": "welfare",
    "jobRequirement": "requirement",
    "companyIntro": "company_intro",
    "businessScope": "business_scope",
    "creditCode": "credit_code",
    "orgNumber": "org_number",
    "operatingStatus": "operating_status",
    "regCapital": "reg_capital",
    "regAddress": "reg_address",
    "estiblishDate": "established",
    "companyCharacter": "company_character",
    "companySize": "company_size",
    "positionTotal": "position_total",
    "needNumber": "need_number",
    "applyNum": "apply_num",
    "resumeReadPercent": "resume_read_percent",
    "feedbackRation": "feedback_ratio",
    "jobUpdateTime": "posted_at",
    "jobAddr": "job_address",
    "companyAddr": "company_address",
}
_MISSING = {"未知", "_", "-", "nan", "None"}


def orfd_label(raw: str) -> int | None:
    """1 = fake, 0 = real, None = unlabelled or unreadable."""
    return _LABELS.get(raw.strip())


def _clean(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value in _MISSING else value


# Annotation provenance kept beside the features (never read by them: not in RECORD_FIELDS): the
# annotators' file the row came from (each file was labelled by its own pair) and the raw label.


def row_to_example(row: dict[str, str], label: int) -> Example:
    """One ORFD CSV row as an Example (provenance 'orfd'; annotation file and raw label kept in fields)."""
    fields = {field: _clean(row.get(column)) for column, field in _FIELD_MAP.items()}
    fields["registry_source"] = "orfd"  # ORFD's crawl fetched each company's registration page
    fields["orfd_file"] = (row.get("source_file") or "").strip()
    fields["orfd_label_raw"] = (row.get("Real/Fake") or "").strip()
    return Example(
        example_id=f"orfd:{_clean(row.get('Job_ID'))}:{_clean(row.get('jobDetailUrl'))}",
        title=_clean(row.get("jobTitle")),
        body=_clean(row.get("jobDescription")),
        company_name=_clean(row.get("companyName")),
        fields=fields,
        label=label,
        provenance="orfd",
    )


def iter_orfd(path: Path = DEFAULT_PATH) -> Iterator[Example]:
    """Every usable labelled ORFD row, in file order (blank or unknown labels skipped)."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            label = orfd_label(row.get("Real/Fake") or "")
            if label is not None and (row.get("jobDescription") or row.get("jobTitle")):
                yield row_to_example(row, label)


def load_orfd(path: Path = DEFAULT_PATH, limit: int | None = None) -> list[Example]:
    """Usable labelled ORFD examples (all of them, or the first `limit`)."""
    examples = []
    for example in iter_orfd(path):
        examples.append(example)
        if limit is not None and len(examples) >= limit:
            break
    return examples
