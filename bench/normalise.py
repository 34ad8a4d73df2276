"""Field normalisers' speed (ages, salaries, places, identifiers, phones), beside a bare regex scan.

These were timed tests; a timed test fails on a busy machine, a benchmark reports. Each figure is
strings per CPU-second on the same samples, with the cost of one plain compiled-regex search over
them as the baseline in the same run (the ratio holds on a noisy machine; absolute rates do not).

parse_location per call, same inputs, before and after the nationwide county table (2,843 counties and
~2,250 former names instead of Jiangsu only; one 2-CPU machine shared with other jobs, repeat 2000):
Jiangsu samples 9.2 µs before / 8.4 µs after; China-wide samples 8.8 µs / 9.4 µs; the first call, which
reads and indexes the table once, 25 ms / 164 ms. The scan tries only the name lengths that start with
each character, so the larger table costs little per call.

Run: PYTHONPATH=. python bench/normalise.py [--repeat 4000]
The last line printed is a JSON object with every figure.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table

from crawlers.normalise import find_phones, parse_location, parse_salary
from organisations.identifiers import find_credit_codes, find_hr_licences
from zhtext.ages import age_requirement
from zhtext.pii import mask_text

SAMPLES: dict[str, list[str]] = {
    "age_requirement": ["16-35周岁", "18岁以上", "年龄不限", "十四周岁以上", "月薪3000-5000元"],
    "parse_salary": ["3000-5000元/月", "8千-1.5万·13薪", "200元/天", "面议", "年薪10-15万"],
    "parse_location": ["江苏-南京-江宁区", "苏州工业园区", "昆山", "深圳深圳南山区", "湖北省武汉洪山区"],
    # The nationwide table (2,843 counties, former names): the same call on places outside Jiangsu.
    "parse_location (China-wide)": [
        "重庆-渝北区",
        "上海闸北区",
        "福州市鼓楼区",
        "长春-朝阳区",
        "位于老城区的门店",
    ],
    "identifiers": [
        "统一社会信用代码：91320500MA1MXXXX0X",
        "苏人服证字〔2020〕第320500000012号",
        "月薪3000-5000元",
    ],
    "find_phones": [
        "电话：138-1234-5678",
        "加微信：abc_12345",
        "月薪3000-5000元",
        "QQ：123456789",
        "一三八一二三四五六七八",
    ],
    "mask_text (a listing page)": [
        "招聘普工，月薪5000-6000元，包吃住。联系人：王先生，电话13812345678，微信wx_123456。"
        "地址：江苏省苏州市吴中区某某路88号。身份证原件报到，年龄18-45周岁，长白班，五险一金。" * 4
    ],
}
FUNCTIONS: dict[str, Callable[[str], object]] = {
    "age_requirement": age_requirement,
    "parse_salary": parse_salary,
    "parse_location": parse_location,
    "parse_location (China-wide)": parse_location,
    "identifiers": lambda text: (find_credit_codes(text), find_hr_licences(text)),
    "find_phones": find_phones,
    "mask_text (a listing page)": mask_text,
}
_BASELINE = re.compile(r"\d+")


def rate(function: Callable[[str], object], samples: list[str]) -> float:
    start = time.process_time()
    for text in samples:
        function(text)
    return len(samples) / max(time.process_time() - start, 1e-9)


def main(repeat: int = 4000) -> None:
    figures = {}
    table = Table(title="字段解析速度（每 CPU 秒字符串数）")
    for column in ("函数", "项目", "基线（正则扫描）", "项目/基线"):
        table.add_column(column, justify="right")
    for name, function in FUNCTIONS.items():
        samples = SAMPLES[name] * repeat
        project, baseline = rate(function, samples), rate(_BASELINE.findall, samples)
        figures[name] = {"per_cpu_s": round(project), "baseline_per_cpu_s": round(baseline)}
        table.add_row(name, f"{project:,.0f}", f"{baseline:,.0f}", f"{project / baseline:.3f}")
    Console().print(table)
    print(json.dumps(figures))


if __name__ == "__main__":
    typer.run(main)
