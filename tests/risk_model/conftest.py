"""Tiny labelled sets built in the tests themselves, one per risk type, plus the ORFD location."""

from __future__ import annotations

import random

import pytest

from risk_model.data.examples import Example

_CHILD_RISKY = [
    "招聘电子厂学徒，年满14周岁即可，包吃包住，身份证统一保管",
    "服装厂急招小工，15-18岁，不满16也可以，暑假长期都要",
    "餐厅招服务员，年龄14-20岁，入职交押金300元",
]
_CHILD_SAFE = [
    "招聘仓库管理员，年龄18-45岁，五险一金，周末双休",
    "招聘会计，大专以上学历，两年经验，年龄22-40岁",
    "超市招收银员，年满18周岁，带薪年假，节日福利",
]
_MARRIAGE_RISKY = [
    "越南新娘包成功，18岁姑娘，处女，服务费6万全包",
    "缅甸媳妇快速领证，包娶包结婚，彩礼3万元",
    "老挝新娘相亲团，17岁女孩，不成功退款",
]
_MARRIAGE_SAFE = [
    "婚恋网站会员活动，周末相亲交友，自愿参加，持证婚介机构",
    "婚姻介绍所登记服务，真实身份认证，单身男女联谊",
    "同城交友活动，公益相亲会，免费报名",
]


def tiny_set(risky: list[str], safe: list[str], n: int = 60, seed: int = 1) -> list[Example]:
    """n examples mixing risky and safe templates with random padding, labels from the template."""
    rng = random.Random(seed)
    padding = ["联系人王先生", "地址：南京市玄武区", "欢迎加入", "工作地点苏州", "长期有效", "名额有限"]
    examples = []
    for index in range(n):
        label = index % 3 == 0
        body = rng.choice(risky if label else safe) + "，" + "，".join(rng.sample(padding, 2))
        examples.append(
            Example(
                example_id=f"tiny:{seed}:{index}",
                title=rng.choice(["招聘", "急招", "诚聘"]),
                body=body,
                label=int(label),
                company_name=rng.choice(["", "南京某某有限公司", "苏州某某人力资源公司"]),
                provenance="test",
            )
        )
    return examples


@pytest.fixture(scope="session")
def child_examples() -> list[Example]:
    return tiny_set(_CHILD_RISKY, _CHILD_SAFE)


@pytest.fixture(scope="session")
def marriage_examples() -> list[Example]:
    return tiny_set(_MARRIAGE_RISKY, _MARRIAGE_SAFE, seed=2)


@pytest.fixture(scope="session")
def child_model(child_examples):  # type: ignore[no-untyped-def]
    from risk_model.model.pipeline import train_risk_model

    return train_risk_model(child_examples, "child_labour")
