"""Deterministic synthetic Chinese job and matchmaking ads with ground truth (fields, indicators, labels).

Every ad is synthetic (``synthetic=True``) and generated from a seeded ``random.Random``: the same seed
gives identical output. Most ads are ordinary; a realistic minority (~15-20%) is written the way real
illegal ads are written. Indicators are ground truth chosen by the generator, not keyword hits, and the
printed text states each of them (an agency that claims to be one says so; "地址来了再说" is printed only
when no address is), so a reader of the text alone can recover the truth.

Indicators and the law behind them:

- deposit_fee, uniform_fee, training_fee, training_loan: fees, deposits or loans taken from job seekers
  (押金, 保证金, 报名费, 体检费, 服装费, 培训费, 招转培 loans). 劳动合同法 第九条 forbids employers to
  demand guarantees or property; 人力资源市场暂行条例 第二十五条 / 就业服务与就业管理规定 第十四条 forbid
  intermediaries to take deposits or fees beyond the approved scale.
- id_card_kept, wages_withheld: 劳动合同法 第九条 (no retention of ID documents) and 第三十条 / 工资支付
  暂行规定 第七条 (wages paid in full, at least monthly). no_freedom, debt_bondage: 劳动法 第三十二条 /
  第九十六条, 刑法 第244条 (强迫劳动罪). intellectually_disabled: recruitment of people with intellectual
  disabilities for closed workplaces, a known forced-labour pattern (刑法 第244条; 残疾人保障法 第四十条,
  which forbids forcing disabled people to work, and 第三十八条 on their pay).
- under_16: 禁止使用童工规定 (国务院令第364号) 第二条, 劳动法 第十五条: no employment under 16.
- claims_agency, no_licence_shown: the poster acts as an intermediary; 就业促进法 第四十条 and
  人力资源市场暂行条例 第十八条 require a 人力资源服务许可证 for job-placement services, and 第二十六条
  requires the licence to be shown.
- pay_far_above_norm, contact_only_phone_wechat, no_company_named: weak signals of recruitment fraud
  (就业服务与就业管理规定 第十四条: no false recruitment information).
- cross_border_bride: 刑法 第240条 (拐卖妇女) and 中国反对拐卖人口行动计划（2021—2030年）: sales of
  foreign brides; 婚姻登记条例 / 涉外婚姻介绍 is forbidden to ordinary agencies.
- bride_under_20, virgin_offer: 民法典 第1047条 (marriage age 22 for men, 20 for women); offering
  "virgins" treats women as goods (妇女权益保障法 第十九条 / 第二十条).
- guaranteed_success, large_fee, unregistered_marriage_agency: 婚姻介绍 fraud (刑法 第266条, 消费者权益
  保护法), unregistered business (市场主体登记管理条例).

Label rules (``derive_labels``):

- illegal_agency (job ads): any fee, coercion or disability indicator, or claims_agency together with
  no_licence_shown (an unlicensed intermediary).
- child_labour (job ads): under_16.
- forced_labour (job ads): any of id_card_kept, wages_withheld, no_freedom, debt_bondage, or
  intellectually_disabled (the plan names child labour and forced labour separately).
- illegal_marriage_broker (marriage ads): cross_border_bride, bride_under_20 or virgin_offer; or
  guaranteed_success together with large_fee or unregistered_marriage_agency.

Pay truth is monthly CNY: a day rate is multiplied by 21.75, an hourly rate by 174; "面议" is None.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from synthetic_ads.ground_truth import (
    COERCION_INDICATORS,
    FEE_INDICATORS,
    FORCED_LABOUR_INDICATORS,
    INDICATORS,
    RISK_TYPES,
    Ad,
    LabelledExample,
    derive_labels,
)
from synthetic_ads.organisations import Org
from synthetic_ads.writers.job import JobAdWriter
from synthetic_ads.writers.marriage import MarriageAdWriter

__all__ = [
    "COERCION_INDICATORS",
    "FEE_INDICATORS",
    "FORCED_LABOUR_INDICATORS",
    "INDICATORS",
    "RISK_TYPES",
    "Ad",
    "LabelledExample",
    "Org",
    "ad_text",
    "derive_labels",
    "generate_ads",
    "generate_extra_ads",
    "generate_labelled_corpus",
    "organisations",
]

ADS_JOB_MIX = {
    "employer": 62,
    "licensed_agency": 14,
    "legal_deposit": 4,
    "summer_adult": 3,
    "fee_agency": 6,
    "coercion": 3,
    "child": 4,
    "training_loan": 1.5,
    "high_pay": 2,
    "disabled": 0.5,
}
ADS_MARRIAGE_MIX = {
    "agency_service": 35,
    "event": 25,
    "member_profile": 22,
    "cross_border": 9,
    "minor_bride": 4,
    "guaranteed": 5,
}
CORPUS_JOB_MIX = {
    "employer": 35,
    "licensed_agency": 10,
    "legal_deposit": 13,
    "summer_adult": 12,
    "fee_agency": 9,
    "coercion": 6,
    "child": 12,
    "training_loan": 2,
    "high_pay": 2,
    "disabled": 2.5,
}
CORPUS_MARRIAGE_MIX = {
    "agency_service": 28,
    "event": 22,
    "member_profile": 20,
    "cross_border": 14,
    "minor_bride": 8,
    "guaranteed": 8,
}


class _Writer(JobAdWriter, MarriageAdWriter):
    """Writes both kinds of ads for one seed from one rng and one organisation pool."""


def _mixed(rng: random.Random, mix: Mapping[str, float], n: int) -> list[str]:
    """n archetype names drawn by weight (a fixed share is not forced: shares vary like real boards)."""
    names = list(mix)
    return rng.choices(names, weights=[mix[k] for k in names], k=n)


def generate_ads(seed: int = 2014, n_job: int = 240, n_marriage: int = 60) -> list[Ad]:
    """n_job job ads then n_marriage matchmaking ads, identical for the same arguments."""
    return list(iter_ads(seed, n_job, n_marriage))


def iter_ads(seed: int = 2014, n_job: int = 240, n_marriage: int = 60) -> Iterator[Ad]:
    """generate_ads one ad at a time (a million ads need not sit in memory at once)."""
    writer = _Writer(seed, n_job, n_marriage)
    plan_rng = random.Random(seed * 7919 + 1)
    job_plan = _mixed(plan_rng, ADS_JOB_MIX, n_job)
    marriage_plan = _mixed(plan_rng, ADS_MARRIAGE_MIX, n_marriage)
    for i, archetype in enumerate(job_plan):
        yield writer.job_ad(f"job-{seed}-{i:05d}", archetype)
    for i, archetype in enumerate(marriage_plan):
        yield writer.marriage_ad(f"mar-{seed}-{i:05d}", archetype)


def generate_extra_ads(
    seed: int, n_job: int, n_marriage: int, k_job: int, k_marriage: int, tag: str
) -> list[Ad]:
    """k new ads from the same organisations as generate_ads(seed, n_job, n_marriage) (for later crawls)."""
    writer = _Writer(seed, n_job, n_marriage)
    writer.rng = random.Random(f"{seed}:{tag}")
    ads = [
        writer.job_ad(f"job-{seed}-{tag}-{i:04d}", a)
        for i, a in enumerate(_mixed(writer.rng, ADS_JOB_MIX, k_job))
    ]
    ads += [
        writer.marriage_ad(f"mar-{seed}-{tag}-{i:04d}", a)
        for i, a in enumerate(_mixed(writer.rng, ADS_MARRIAGE_MIX, k_marriage))
    ]
    return ads


def ad_text(ad: Ad) -> str:
    """The text a model sees for an ad: title, body and contact line."""
    return f"{ad.title}\n{ad.body}"


def generate_labelled_corpus(seed: int, n: int, kind: str) -> list[LabelledExample]:
    """n labelled training texts of one kind (~30% positives, many hard negatives)."""
    if kind not in ("job", "marriage"):
        raise ValueError(f"kind must be 'job' or 'marriage', not {kind!r}")
    job = kind == "job"
    writer = _Writer(seed, n if job else 20, 20 if job else n)
    plan = _mixed(random.Random(seed * 31 + 7), CORPUS_JOB_MIX if job else CORPUS_MARRIAGE_MIX, n)
    make = writer.job_ad if job else writer.marriage_ad
    provenance = f"synthetic:demo.ads:v1:seed={seed}"
    examples = []
    for i, archetype in enumerate(plan):
        ad = make(f"corpus-{seed}-{i:06d}", archetype)
        examples.append(LabelledExample(ad_text(ad), kind, ad.labels, ad.indicators, provenance))
    return examples


def organisations(seed: int = 2014, n_job: int = 240, n_marriage: int = 60) -> dict[str, Org]:
    """The organisations behind generate_ads(seed, n_job, n_marriage), by org_key."""
    pool = _Writer(seed, n_job, n_marriage).pool
    return {org.key: org for orgs in pool.values() for org in orgs}
