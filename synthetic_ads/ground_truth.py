"""The ground-truth model of a synthetic ad: indicator names, the Ad record, and the label rules.

The law behind each indicator and the label rules are documented in synthetic_ads/ads.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

INDICATORS: tuple[str, ...] = (
    "deposit_fee",
    "training_fee",
    "uniform_fee",
    "training_loan",
    "id_card_kept",
    "wages_withheld",
    "no_freedom",
    "debt_bondage",
    "under_16",
    "intellectually_disabled",
    "pay_far_above_norm",
    "contact_only_phone_wechat",
    "no_company_named",
    "no_licence_shown",
    "claims_agency",
    "cross_border_bride",
    "bride_under_20",
    "guaranteed_success",
    "virgin_offer",
    "large_fee",
    "unregistered_marriage_agency",
)
RISK_TYPES: tuple[str, ...] = ("illegal_agency", "child_labour", "forced_labour", "illegal_marriage_broker")
FEE_INDICATORS = frozenset({"deposit_fee", "training_fee", "uniform_fee", "training_loan"})
COERCION_INDICATORS = frozenset(
    {"id_card_kept", "wages_withheld", "no_freedom", "debt_bondage", "intellectually_disabled"}
)
# The forced-labour signals (ILO indicators: retained documents, withheld wages, restricted movement,
# debt bondage); any of them, or recruiting intellectually disabled workers, makes a forced_labour case.
FORCED_LABOUR_INDICATORS = frozenset({"id_card_kept", "wages_withheld", "no_freedom", "debt_bondage"})
BROKER_CORE = frozenset({"cross_border_bride", "bride_under_20", "virgin_offer"})
LATEST_POSTED = date(2025, 6, 30)


@dataclass(frozen=True)
class Ad:
    """One synthetic ad as printed, with the ground truth behind it."""

    ad_id: str
    kind: str
    title: str
    body: str
    employer: str
    org_key: str
    contact_text: str
    phones: tuple[str, ...]
    wechat_ids: tuple[str, ...]
    salary_text: str
    salary_min: int | None
    salary_max: int | None
    age_text: str
    age_min: int | None
    age_max: int | None
    location_text: str
    province_code: str
    city_code: str
    county_code: str | None
    posted: date
    licence_no: str | None
    credit_code: str | None
    indicators: frozenset[str]
    labels: dict[str, bool] = field(hash=False)
    job_type: str | None = None
    synthetic: bool = True


@dataclass(frozen=True)
class LabelledExample:
    """A training text with its labels and where it came from."""

    text: str
    kind: str
    labels: dict[str, bool] = field(hash=False)
    indicators: frozenset[str]
    provenance: str


def derive_labels(kind: str, indicators: frozenset[str]) -> dict[str, bool]:
    """Risk-type labels from indicators, by the rules in the synthetic_ads.ads docstring."""
    job = kind == "job"
    agency = (
        bool(indicators & (FEE_INDICATORS | COERCION_INDICATORS))
        or {
            "claims_agency",
            "no_licence_shown",
        }
        <= indicators
    )
    broker = bool(indicators & BROKER_CORE) or (
        "guaranteed_success" in indicators
        and bool(indicators & {"large_fee", "unregistered_marriage_agency"})
    )
    return {
        "illegal_agency": job and agency,
        "child_labour": job and "under_16" in indicators,
        "forced_labour": job and bool(indicators & (FORCED_LABOUR_INDICATORS | {"intellectually_disabled"})),
        "illegal_marriage_broker": (not job) and broker,
    }
