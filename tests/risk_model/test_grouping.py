"""Near-duplicate grouping keeps copies together and strangers apart."""

from __future__ import annotations

import numpy as np

from risk_model.data.grouping import near_duplicate_groups

BASE = "招聘仓库管理员，负责货物进出库登记，年龄18-45岁，五险一金，周末双休，工作地点南京市江宁区某物流园"


def test_exact_and_near_copies_share_a_group() -> None:
    texts = [BASE, BASE, BASE.replace("江宁区", "浦口区"), "超市收银员，熟练使用收银系统，早晚班轮换，包午餐"]
    groups = near_duplicate_groups(texts)
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[0]


def test_unrelated_texts_stay_apart() -> None:
    texts = [
        f"第{i}号岗位：{'甲乙丙丁戊己庚辛'[i]}类工作，地点{i * 7}号楼，薪资{i * 1000}元" for i in range(8)
    ]
    assert len(np.unique(near_duplicate_groups(texts))) == 8
