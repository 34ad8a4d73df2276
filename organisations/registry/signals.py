"""What listings reveal about their poster: acting as a job agency, charging job seekers, brokering marriages.

Each finder returns the phrases it matched, so a flag can show the inspector the words behind it.
Phrases that deny a fee (不收取任何押金, 押金由公司报销) are not counted as charging one.
"""

from __future__ import annotations

import re

from store.text import fold_text

_CLAIMS_AGENCY = re.compile(
    r"中介|劳务派遣|劳务公司|劳务团队|人力资源(?:服务)?(?:公司|机构)|职业介绍|人才服务|代招|输送(?:员工|工人|人员)|派遣工"
)
_MANY_EMPLOYERS = re.compile(
    r"多家(?:企业|工厂|单位|公司)|各大(?:电子厂|工厂|厂|企业)|上百家企业|合作(?:企业|工厂|厂家)|工厂随便挑|可自由挑选"
    r"|岗位任选|厂家任选|厂随便挑|多个厂"
)
_FEE_WORDS = re.compile(
    r"押金|保证金|报名费|中介费|介绍费|体检费|服装费|工服费|培训费|资料费|手续费|学费|服务费|"
    r"工作服、鞋子、工牌共|分期贷款|按月还款|从工资里还"
)
_CHARGE = re.compile(r"交|收|自理|缴|付|扣|还款|还|贷款|(?:费|金)\s*\d+\s*元")
_DENIAL = re.compile(
    r"不收|不用交|无需|免费|报销|垫付（不从|不从工资|谨防|举报|退还押金由公司|公司承担|包吃住免费"
)
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


def _sentences(text: str) -> list[str]:
    # Split before folding: fold_text turns line breaks into spaces, which would join unrelated lines.
    return [fold_text(s) for line in text.splitlines() for s in _SENTENCE.findall(line) if s.strip()]


def agency_claims(text: str) -> list[str]:
    """Phrases in which the poster presents itself as an intermediary."""
    return sorted({m.group() for m in _CLAIMS_AGENCY.finditer(fold_text(text))})


def many_employers(text: str) -> list[str]:
    """Phrases that show recruiting for several employers."""
    return sorted({m.group() for m in _MANY_EMPLOYERS.finditer(fold_text(text))})


def fee_phrases(text: str) -> list[str]:
    """Sentences that charge job seekers (deposits, sign-up, uniform, training fees, training loans)."""
    found = []
    for sentence in _sentences(text):
        if _FEE_WORDS.search(sentence) and _CHARGE.search(sentence) and not _DENIAL.search(sentence):
            found.append(sentence[:80])
    return found
