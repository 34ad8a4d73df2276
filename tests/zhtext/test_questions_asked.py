"""A practice asked about is not a practice done, unless the answer right after says yes.

A worker asking on a forum whether a factory keeps ID cards, or an ad's FAQ answering "不押", names the
practice without doing it. Documents kept opens a task whatever the model says (a must-inspect rule), so a
question read as the practice sends an inspector to a factory nobody accused. An FAQ that answers yes
("押工资吗? 押一个月") is the ad saying it does, and is read.

Written for this suite from the wording of questions and answers, not taken from any evaluation set.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from risk_model.features.rules import rule_hits
from tests.zhtext.readings import fired
from zhtext.fold import fold


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("刚进的电子厂，想问一下他们扣押工资卡吗？", "wages_withheld"),
        ("这算不算扣押工资吗?劳动局管不管", "wages_withheld"),
        ("问：进厂要押工资吗？答：不押，每月15号准时发", "wages_withheld"),
        ("宿舍几人一间？压工资么？不压。", "wages_withheld"),
        ("朋友介绍去东莞的厂，会扣身份证吗？", "documents_kept"),
        ("出国务工护照要交公司保管吗? 不用,本人自己拿着", "documents_kept"),
        ("【常见问题】身份证要押吗？否，只需复印件", "documents_kept"),
    ],
)
def test_a_question_not_answered_yes_is_not_the_practice(text: str, indicator: str) -> None:
    assert indicator not in fired(text), fired(text)


@pytest.mark.parametrize(
    ("text", "indicator", "quoted"),
    [
        ("问：压工资吗？答：压一个月，干满半年返还", "wages_withheld", "压工资"),
        ("押工资吗?押半个月的，正常", "wages_withheld", "押工资"),
        ("身份证要押吗？要的，离职时还你", "documents_kept", "身份证要押"),
        ("护照统一保管吗?是的，项目结束再发", "documents_kept", "护照统一保管"),
        # said, not asked: the question mark belongs to the next sentence
        ("入职押身份证。有宿舍吗？有", "documents_kept", "押身份证"),
    ],
)
def test_a_question_answered_yes_is_read(text: str, indicator: str, quoted: str) -> None:
    assert any(quoted in span for span in fired(text).get(indicator, [])), fired(text)


def test_a_workers_question_opens_no_must_inspect_task() -> None:
    asked = fold("老乡说那个厂会扣身份证吗？有没有人知道").lower()
    said = fold("老乡说那个厂会扣身份证，干满一年才还").lower()
    assert rule_hits(asked, "forced_labour") == []
    assert [rule.indicator for rule, _ in rule_hits(said, "forced_labour")] == ["documents_kept"]


_YES = st.sampled_from(["是的", "对", "会", "要的", "嗯，", "肯定", "当然", "押一个月", "扣的"])
_NO_OR_NOTHING = st.sampled_from(["", "不押", "不会", "没有", "不用", "否", "无", "谁知道", "求解答", "多谢"])


@given(
    practice=st.sampled_from(["押身份证", "扣押工资", "护照交公司保管", "压工资"]),
    mark=st.sampled_from(["吗?", "吗？", "么?", "?", "吗"]),
    yes=_YES,
    no=_NO_OR_NOTHING,
    space=st.sampled_from(["", " ", "\n", "答："]),
)
def test_only_a_yes_right_after_the_question_keeps_the_reading(
    practice: str, mark: str, yes: str, no: str, space: str
) -> None:
    indicator = "wages_withheld" if "工资" in practice else "documents_kept"
    assert indicator in fired(f"进厂{practice}{mark}{space}{yes}"), (practice, mark, yes)
    assert indicator not in fired(f"进厂{practice}{mark}{space}{no}"), (practice, mark, no)
