"""Must-inspect rules: explicit violations that open a task whatever the model says.

An explicit under-16 hire, documents or passports kept, wages paid to a gang master, or cross-border
bride trade is evidence enough for an inspection; the rule is named as the task's reason and its span
is the evidence. Each rule reads one indicator's spans (risk_model.features.indicators).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from risk_model.features import legal_basis as law
from risk_model.features.indicators import indicator_spans
from zhtext.spans import Span


@dataclass(frozen=True)
class Rule:
    """A must-inspect rule: the risk type it opens a task for and the indicator whose spans trigger it."""

    name: str
    risk_type: str
    indicator: str
    meaning: str
    legal_basis: str


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """Every must-inspect rule."""
    return (
        Rule(
            "rule_under_16_hire",
            "child_labour",
            "minimum_age_under_16",
            "必查：明确招用不满16周岁的未成年人",
            law.CHILD_LABOUR,
        ),
        Rule(
            "rule_documents_kept",
            "forced_labour",
            "documents_kept",
            "必查：扣押身份证、护照等证件",
            law.CONTRACT_LAW_9,
        ),
        Rule(
            "rule_wages_to_gang_master",
            "forced_labour",
            "wages_to_others",
            "必查：工资由工头或他人代领",
            law.WAGES_TO_WORKER,
        ),
        Rule(
            "rule_cross_border_bride",
            "illegal_marriage_broker",
            "cross_border_bride",
            "必查：跨境介绍外籍新娘",
            law.TRAFFICKING,
        ),
    )


def rule_hits(ad_text: str, risk_type: str) -> list[tuple[Rule, list[Span]]]:
    """The rules of RISK_TYPE that fire on a folded, lower-cased ad text, with their spans."""
    out = []
    for rule in rules():
        if rule.risk_type == risk_type:
            spans = [s for s in indicator_spans(ad_text, rule.indicator) if s.end > s.start]
            if spans:
                out.append((rule, spans))
    return out
